import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, LargeBinary, String, Text, func, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base


class ApiKey(Base):
    __tablename__ = "api_keys"
    __table_args__ = (
        CheckConstraint("scope IN ('ingest', 'read', 'cases', 'admin')", name="scope"),
        # Admin keys are never bound to a branch (docs/security.md, API1).
        CheckConstraint("location_id IS NULL OR scope <> 'admin'", name="location_not_admin"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, server_default=func.gen_random_uuid())
    name: Mapped[str] = mapped_column(String(200))
    scope: Mapped[str] = mapped_column(String(16))
    prefix: Mapped[str] = mapped_column(String(40))
    secret_hash: Mapped[bytes] = mapped_column(LargeBinary, unique=True)
    location_id: Mapped[str | None] = mapped_column(String(128))
    allowed_origins: Mapped[list[str]] = mapped_column(
        ARRAY(Text), server_default=text("'{}'::text[]")
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    @property
    def publishable(self) -> bool:
        """A key with allowed browser origins is meant to be embedded in a web page."""
        return bool(self.allowed_origins)
