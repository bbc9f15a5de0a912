"""Tables of the feedback domain. Why they are shaped this way: docs/architecture.md."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    Identity,
    Index,
    LargeBinary,
    SmallInteger,
    String,
    Text,
    Uuid,
    false,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base
from app.vocabulary import SERVQUAL_DIMENSIONS


def _score_range(column: str, low: int, high: int) -> CheckConstraint:
    return CheckConstraint(f"{column} BETWEEN {low} AND {high}", name=f"{column}_range")


class FeedbackEvent(Base):
    """The raw, append-only event table, partitioned by month on `occurred_at`.

    Scores are plain smallint columns (not JSON) so rollups and filters are
    cheap; SERVQUAL is ten of them, `sq_<dimension>_p` / `sq_<dimension>_e`.
    The primary key holds the partition key, (id, occurred_at); `id` alone is
    unique by its sequence. The partitions (a month each, one `feedback_events_legacy`
    after the migration of an older table) are made by the migration and by
    app/feedback/partitions.py, not modelled here (`include_name`).
    """

    __tablename__ = "feedback_events"
    __table_args__ = (
        _score_range("nps", 0, 10),
        _score_range("csat", 1, 5),
        _score_range("ces", 1, 7),
        *(_score_range(f"sq_{d}_{pe}", 1, 7) for d in SERVQUAL_DIMENSIONS for pe in ("p", "e")),
        CheckConstraint(
            "respondent_type IN ('customer', 'internal', 'employee')", name="respondent_type"
        ),
        # Metrics windows filter on occurred_at; events arrive roughly in time order, so a
        # BRIN index (tens of kB for millions of rows, near-free on insert) prunes well.
        Index("ix_feedback_events_occurred_at_brin", "occurred_at", postgresql_using="brin"),
        # Retention clears what arrived before a cutoff; arrival order is table order.
        Index("ix_feedback_events_received_at_brin", "received_at", postgresql_using="brin"),
        # One respondent's events: follow-up recovery (their next feedback) and data rights.
        Index(
            "ix_feedback_events_respondent",
            "respondent_id",
            "occurred_at",
            postgresql_where=text("respondent_id IS NOT NULL"),
        ),
        # `GET /v1/feedback?q=`: comment ILIKE '%word%' in any script (pg_trgm).
        Index(
            "ix_feedback_events_comment_trgm",
            "comment",
            postgresql_using="gin",
            postgresql_ops={"comment": "gin_trgm_ops"},
            postgresql_where=text("comment IS NOT NULL"),
        ),
        # Event lists and the export page in (occurred_at, id) order: 3 ms a page
        # instead of a sort of the whole window (850 ms at 10M events).
        Index("ix_feedback_events_occurred_at_id", "occurred_at", "id"),
        {"postgresql_partition_by": "RANGE (occurred_at)"},
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=False), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(128))
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    source_key_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    channel: Mapped[str] = mapped_column(String(64))
    touchpoint: Mapped[str | None] = mapped_column(String(64))
    location_id: Mapped[str | None] = mapped_column(String(128))
    employee_id: Mapped[str | None] = mapped_column(String(128))
    respondent_id: Mapped[str | None] = mapped_column(String(128))
    respondent_type: Mapped[str] = mapped_column(String(16), server_default="customer")
    segment: Mapped[str | None] = mapped_column(String(64))
    acquisition_source: Mapped[str | None] = mapped_column(String(64))
    nps: Mapped[int | None] = mapped_column(SmallInteger)
    csat: Mapped[int | None] = mapped_column(SmallInteger)
    ces: Mapped[int | None] = mapped_column(SmallInteger)
    sq_reliability_p: Mapped[int | None] = mapped_column(SmallInteger)
    sq_reliability_e: Mapped[int | None] = mapped_column(SmallInteger)
    sq_responsiveness_p: Mapped[int | None] = mapped_column(SmallInteger)
    sq_responsiveness_e: Mapped[int | None] = mapped_column(SmallInteger)
    sq_assurance_p: Mapped[int | None] = mapped_column(SmallInteger)
    sq_assurance_e: Mapped[int | None] = mapped_column(SmallInteger)
    sq_tangibles_p: Mapped[int | None] = mapped_column(SmallInteger)
    sq_tangibles_e: Mapped[int | None] = mapped_column(SmallInteger)
    sq_empathy_p: Mapped[int | None] = mapped_column(SmallInteger)
    sq_empathy_e: Mapped[int | None] = mapped_column(SmallInteger)
    comment: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(35))
    tags: Mapped[list[str]] = mapped_column(ARRAY(Text), server_default=text("'{}'::text[]"))
    attributes: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=text("'{}'::jsonb"))
    follow_up_requested: Mapped[bool] = mapped_column(Boolean, server_default=false())
    has_contact: Mapped[bool] = mapped_column(Boolean, server_default=false())


class FeedbackEventId(Base):
    """The idempotency ledger: one row per `event_id` ever stored.

    Uniqueness of `event_id` lives here, not on the raw table, because a
    partitioned (or distributed) raw table can only enforce unique keys that
    include its partition key, and `occurred_at` is not part of the identity
    of an event (see docs/architecture.md).

    A *tombstone* (everything but `event_id` NULL) is what an erased event
    leaves: a replay of it is recognised and stores nothing (app/respondents).
    """

    __tablename__ = "feedback_event_ids"
    __table_args__ = (
        CheckConstraint(
            "(event_pk IS NULL) = (occurred_at IS NULL) "
            "AND (event_pk IS NULL) = (body_hash IS NULL)",
            name="tombstone",
        ),
    )

    event_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    event_pk: Mapped[int | None] = mapped_column(BigInteger)
    occurred_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    body_hash: Mapped[bytes | None] = mapped_column(LargeBinary)


class FeedbackContact(Base):
    """Personal contact data, apart from the event so it can be erased on its own."""

    __tablename__ = "feedback_contacts"

    event_pk: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    name: Mapped[str | None] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(Text)
    phone: Mapped[str | None] = mapped_column(Text)


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Alembic autogenerate filter: the partitions of `feedback_events` are made by its
    migration and by app/feedback/partitions.py, not modelled here."""
    return not (type_ == "table" and name is not None and name.startswith("feedback_events_"))
