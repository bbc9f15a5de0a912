"""What the text enrichment derives and keeps (docs/text.md, "Storage").

- `comment_insights`: one row per enriched comment; goes with its event (erasure and
  the retention of whole months delete it explicitly, app/text/data_rights.py: a
  foreign key into the partitioned `feedback_events` would have to carry
  `occurred_at`) and with its text (retention and redaction: the trigger of the
  migration deletes it when the comment changes, and queues the event again when a
  comment is left).
- `text_examples`: the embeddings and score classes of recent scored comments, the
  sentiment model's training data; they go with their event and text too.
- `text_pending`: events whose comment changed after enrichment (redaction).
- `text_models`: every sentiment model trained (the one in use is `text_state.model_id`),
  and the seeds' embeddings per embedding model (`kind` seed_vectors), kept for retraining.
- `text_themes`: the themes an admin defined (`PUT /v1/themes`).
- `text_state`: the watermark, the rebuild cursor, the model and themes in use.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    Float,
    Identity,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base
from app.vocabulary import SENTIMENTS


class CommentInsight(Base):
    __tablename__ = "comment_insights"
    __table_args__ = (
        CheckConstraint(f"sentiment IN {SENTIMENTS}", name="sentiment"),
        Index("ix_comment_insights_themes", "themes", postgresql_using="gin"),
    )

    event_pk: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    language: Mapped[str] = mapped_column(String(16))
    language_source: Mapped[str] = mapped_column(String(16))
    sentiment: Mapped[str | None] = mapped_column(String(16))
    sentiment_score: Mapped[float | None] = mapped_column(Float)
    sentiment_source: Mapped[str] = mapped_column(String(16))
    themes: Mapped[list[str]] = mapped_column(ARRAY(Text), server_default=text("'{}'::text[]"))
    key_phrases: Mapped[list[str]] = mapped_column(ARRAY(Text), server_default=text("'{}'::text[]"))
    version: Mapped[str] = mapped_column(String(64))
    enriched_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )


class TextExample(Base):
    __tablename__ = "text_examples"
    __table_args__ = (Index("ix_text_examples_class", "language", "label", "event_pk"),)

    event_pk: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    language: Mapped[str] = mapped_column(String(16))
    label: Mapped[int] = mapped_column(SmallInteger)
    vector: Mapped[bytes] = mapped_column(LargeBinary)  # float32, little-endian


class TextPending(Base):
    __tablename__ = "text_pending"

    event_pk: Mapped[int] = mapped_column(BigInteger, primary_key=True)


class TextModel(Base):
    __tablename__ = "text_models"

    id: Mapped[int] = mapped_column(Integer, Identity(always=False), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), server_default="sentiment")  # or seed_vectors
    embedder: Mapped[str] = mapped_column(String(128))
    model: Mapped[dict[str, Any]] = mapped_column(JSONB)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class TextTheme(Base):
    __tablename__ = "text_themes"

    name: Mapped[str] = mapped_column(String(48), primary_key=True)
    definition: Mapped[dict[str, Any]] = mapped_column(JSONB)
    position: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class TextState(Base):
    __tablename__ = "text_state"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    watermark: Mapped[int] = mapped_column(BigInteger, server_default="0")
    rebuild_from: Mapped[int | None] = mapped_column(BigInteger)  # ids above it are redone,
    rebuild_to: Mapped[int | None] = mapped_column(BigInteger)  # up to this one
    model_id: Mapped[int | None] = mapped_column(Integer)
    enriched_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
