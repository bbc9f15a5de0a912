"""Alerts: one row per alert (open or resolved), and the alert rules (one row)."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    Identity,
    Index,
    SmallInteger,
    String,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base

STATUSES = ("open", "resolved")
DIRECTIONS = ("down", "up")


class Alert(Base):
    """A change in one metric of one scope, in one direction, from `since` on.

    At most one is open per (`series`, `direction`), where `series` is the
    canonical text of metric and scope. `state` is the detector's memory (the
    references the alert was opened against: docs/alerts.md); `evidence` is what
    the API shows, refreshed by every round while the alert is open.
    """

    __tablename__ = "alerts"
    __table_args__ = (
        CheckConstraint(f"status IN {STATUSES}", name="status"),
        CheckConstraint(f"direction IN {DIRECTIONS}", name="direction"),
        Index(
            "uq_alerts_open_series",
            "series",
            "direction",
            unique=True,
            postgresql_where=text("status = 'open'"),
        ),
        Index("ix_alerts_opened", "opened_at", "id"),
        Index("ix_alerts_status_opened", "status", "opened_at", "id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=False), primary_key=True)
    series: Mapped[str] = mapped_column(Text)
    metric: Mapped[str] = mapped_column(String(64))
    dimension: Mapped[str] = mapped_column(String(64))
    value: Mapped[str | None] = mapped_column(Text)
    conditions: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=text("'{}'"))
    location_id: Mapped[str | None] = mapped_column(Text, index=True)  # of the scope, if one
    direction: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(16), server_default="open")
    zone: Mapped[str] = mapped_column(String(64))  # the local days of `since` and the evidence
    since: Mapped[date] = mapped_column(Date)
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    acknowledged_by: Mapped[str | None] = mapped_column(String(128))
    note: Mapped[str | None] = mapped_column(Text)
    muted_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    evidence: Mapped[dict[str, Any]] = mapped_column(JSONB)
    state: Mapped[dict[str, Any]] = mapped_column(JSONB)


class AlertRulesRow(Base):
    """The alert rules (`app/alerts/rules.py`), as one JSON document."""

    __tablename__ = "alert_rules"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    rules: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=text("'{}'"))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
