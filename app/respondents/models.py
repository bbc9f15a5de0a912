"""Tables of the data-rights domain: the erasure audit trail and the retention state."""

import uuid
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    Identity,
    Integer,
    SmallInteger,
    Uuid,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base


class Erasure(Base):
    """One row per erasure request: when, by which key, and how much was erased.

    Deliberately nothing of the respondent (no id, no hash of it: a hash of a
    guessable CRM id would be as good as the id), so the audit trail holds no
    personal data.
    """

    __tablename__ = "erasures"

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=False), primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    key_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)  # the admin key that asked
    events: Mapped[int] = mapped_column(Integer)
    contacts: Mapped[int] = mapped_column(Integer)
    comments: Mapped[int] = mapped_column(Integer)
    follow_ups: Mapped[int] = mapped_column(Integer)
    follow_up_changes: Mapped[int] = mapped_column(Integer)
    ledger_tombstones: Mapped[int] = mapped_column(Integer)
    webhook_messages: Mapped[int] = mapped_column(Integer)


class RetentionState(Base):
    """Single row: every event received before `cleared_before` has had its comment and
    contact data removed, so the next run only looks at what arrived since."""

    __tablename__ = "retention_state"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    cleared_before: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ran_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
