"""Generated feedback events for the benchmarks: realistic mix, unique ids, never committed.

The mix (every event has at least one score or a comment, as the API demands):
channels as a retail chain sees them, NPS on most events, CSAT and CES on some,
SERVQUAL on a fifth, a comment on a third, contact details on a few.
"""

import random
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson

from app.feedback.schemas import FeedbackIn
from app.ingest.normalize import prepare
from app.vocabulary import EVENT_COLUMNS, SERVQUAL_DIMENSIONS

CHANNELS = ("pos", "pos", "web", "app", "kiosk", "email", "sms", "phone", "chat", "in_person")
TOUCHPOINTS = ("checkout", "delivery", "support_call", "returns", "check_in", "onboarding")
SEGMENTS = ("gold", "silver", "b2b", "new")
SOURCES = ("search", "referral", "ad", "social", "walk_in")
TAGS = ("checkout", "staff", "price", "wait_time", "cleanliness", "app", "delivery")
LANGUAGES = ("en", "de", "hu-HU", "fr", "es")
COMMENTS = (
    "Quick and friendly checkout.",
    "Waited twenty minutes at the counter, nobody told us why.",
    "The app crashed twice while paying, otherwise fine.",
    "Great advice from the staff about the warranty.",
    "Delivery came a day late and the box was damaged.",
    "Clean store, easy to find everything.",
)

COLUMN_NAMES = tuple(name for name, _ in EVENT_COLUMNS)


def make_event(rng: random.Random, now: datetime) -> dict[str, Any]:
    """One event as a client would POST it, without `event_id` (the caller makes it unique)."""
    occurred = now - timedelta(seconds=rng.randint(60, 3 * 86400))
    event: dict[str, Any] = {
        "occurred_at": occurred.isoformat(timespec="seconds"),
        "channel": rng.choice(CHANNELS),
        "touchpoint": rng.choice(TOUCHPOINTS),
        "location_id": f"store-{rng.randint(1, 120):03d}",
    }
    if rng.random() < 0.6:
        event["employee_id"] = f"emp-{rng.randint(1000, 1999)}"
    if rng.random() < 0.5:
        event["respondent"] = {
            "id": f"crm-{rng.randint(1, 10**6)}",
            "segment": rng.choice(SEGMENTS),
        }
    if rng.random() < 0.3:
        event["acquisition_source"] = rng.choice(SOURCES)
    if rng.random() < 0.2:
        event["sent_at"] = (occurred + timedelta(seconds=rng.randint(0, 600))).isoformat(
            timespec="seconds"
        )
    if rng.random() < 0.8:
        event["nps"] = rng.randint(0, 10)
    if rng.random() < 0.5:
        event["csat"] = rng.randint(1, 5)
    if rng.random() < 0.3:
        event["ces"] = rng.randint(1, 7)
    if rng.random() < 0.2:
        event["servqual"] = {
            d: {"perception": rng.randint(1, 7), "expectation": rng.randint(4, 7)}
            for d in SERVQUAL_DIMENSIONS
            if rng.random() < 0.7
        } or {"reliability": {"perception": rng.randint(1, 7)}}
    if rng.random() < 0.35 or not any(k in event for k in ("nps", "csat", "ces", "servqual")):
        event["comment"] = rng.choice(COMMENTS)
        event["language"] = rng.choice(LANGUAGES)
    event["tags"] = rng.sample(TAGS, rng.randint(0, 3))
    event["attributes"] = {"basket_size": rng.randint(1, 12), "loyalty_member": rng.random() < 0.4}
    if rng.random() < 0.1:
        event["follow_up_requested"] = True
        event["contact"] = {"name": "Alex Example", "email": f"alex{rng.randint(1, 999)}@ex.com"}
    return event


def make_templates(count: int, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    now = datetime.now(UTC)
    return [make_event(rng, now) for _ in range(count)]


class BatchSource:
    """Hands out batches of unique events: as JSON bodies for the API, as rows for COPY.

    Both forms come from the same templates, so the service and its ceiling store
    the same rows; only `event_id` changes from one batch to the next. The rows are
    prepared by the service's own `prepare()` once, up front, outside any timing.
    """

    def __init__(
        self, templates: Sequence[dict[str, Any]], batch_size: int, tag: str, key_id: uuid.UUID
    ) -> None:
        self.templates = list(templates)
        self.batch_size = batch_size
        self.tag = tag
        self.next_id = 0
        received_at = datetime.now(UTC)
        self.rows: list[tuple[Any, ...]] = []
        for t in self.templates:
            prepared = prepare(
                FeedbackIn.model_validate({**t, "event_id": "template"}),
                key_id=key_id,
                key_location_id=None,
                received_at=received_at,
                max_future=timedelta(minutes=5),
            )
            row = {**prepared.row, "attributes": orjson.dumps(prepared.row["attributes"]).decode()}
            self.rows.append(tuple(row[name] for name in COLUMN_NAMES[1:]))
        if COLUMN_NAMES[0] != "event_id":  # the row tuples put event_id first
            raise RuntimeError(f"EVENT_COLUMNS starts with {COLUMN_NAMES[0]!r}, not event_id")

    def _ids(self) -> tuple[int, list[str]]:
        start = self.next_id
        self.next_id += self.batch_size
        offset = start % len(self.templates)
        return offset, [f"b-{self.tag}-{n}" for n in range(start, start + self.batch_size)]

    def _indexes(self, offset: int) -> range:
        return range(offset, offset + self.batch_size)

    def json_batch(self) -> bytes:
        offset, ids = self._ids()
        n = len(self.templates)
        events = [
            {**self.templates[i % n], "event_id": eid}
            for i, eid in zip(self._indexes(offset), ids, strict=True)
        ]
        return orjson.dumps({"events": events})

    def row_batch(self) -> list[tuple[Any, ...]]:
        offset, ids = self._ids()
        n = len(self.rows)
        return [(eid, *self.rows[i % n]) for i, eid in zip(self._indexes(offset), ids, strict=True)]
