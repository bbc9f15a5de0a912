"""Follow-up cases: the rules that open them, the cases, and every change to a case."""

import uuid
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    SmallInteger,
    String,
    Text,
    Uuid,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base

STATUSES = ("open", "contacted", "resolved", "unreachable")
RULE_SCORES = ("nps", "csat", "ces", "follow_up_requested")


class FollowUpRule(Base):
    """An event opens a case when any enabled rule matches it (in the ingest statement)."""

    __tablename__ = "follow_up_rules"
    __table_args__ = (
        CheckConstraint(f"score IN {RULE_SCORES}", name="score"),
        CheckConstraint(
            "(score = 'follow_up_requested') = (min_score IS NULL AND max_score IS NULL)",
            name="score_range",
        ),
    )

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    score: Mapped[str] = mapped_column(String(32))
    min_score: Mapped[int | None] = mapped_column(SmallInteger)
    max_score: Mapped[int | None] = mapped_column(SmallInteger)
    respondent_types: Mapped[list[str]] = mapped_column(ARRAY(Text))
    enabled: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class FollowUp(Base):
    """One case per qualifying event, opened in the same statement that stores the event.

    The event's dimensions are copied so lists and metrics need no join with the
    raw table; `received_at` is when the feedback arrived, the start of every
    time-to-contact figure.
    """

    __tablename__ = "follow_ups"
    __table_args__ = (
        CheckConstraint(f"status IN {STATUSES}", name="status"),
        Index("ix_follow_ups_status_opened", "status", "opened_at", "id"),
        Index("ix_follow_ups_opened", "opened_at", "id"),
        Index("ix_follow_ups_respondent", "respondent_id", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=False), primary_key=True)
    event_pk: Mapped[int] = mapped_column(BigInteger, unique=True)
    event_id: Mapped[str] = mapped_column(String(128))
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    channel: Mapped[str] = mapped_column(String(64))
    touchpoint: Mapped[str | None] = mapped_column(String(64))
    location_id: Mapped[str | None] = mapped_column(String(128), index=True)
    employee_id: Mapped[str | None] = mapped_column(String(128))
    respondent_id: Mapped[str | None] = mapped_column(String(128))
    respondent_type: Mapped[str] = mapped_column(String(16))
    segment: Mapped[str | None] = mapped_column(String(64))
    acquisition_source: Mapped[str | None] = mapped_column(String(64))
    tags: Mapped[list[str]] = mapped_column(ARRAY(Text), server_default=text("'{}'::text[]"))
    nps: Mapped[int | None] = mapped_column(SmallInteger)
    csat: Mapped[int | None] = mapped_column(SmallInteger)
    ces: Mapped[int | None] = mapped_column(SmallInteger)
    reasons: Mapped[list[str]] = mapped_column(ARRAY(Text))  # names of the matching rules
    status: Mapped[str] = mapped_column(String(16), server_default="open")
    assignee: Mapped[str | None] = mapped_column(String(128), index=True)
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    first_contact_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    resolution: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class FollowUpChange(Base):
    """The history of a case: one row per change, never updated."""

    __tablename__ = "follow_up_changes"
    __table_args__ = (Index("ix_follow_up_changes_case", "follow_up_id", "id"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=False), primary_key=True)
    follow_up_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("follow_ups.id", ondelete="CASCADE")
    )
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    key_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)  # the API key that made it
    kind: Mapped[str] = mapped_column(String(32))  # opened, assigned, contact_attempt, status
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str | None] = mapped_column(String(16))
    assignee: Mapped[str | None] = mapped_column(String(128))
    contact_channel: Mapped[str | None] = mapped_column(String(64))
    contact_outcome: Mapped[str | None] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(Text)
    resolution: Mapped[str | None] = mapped_column(Text)
