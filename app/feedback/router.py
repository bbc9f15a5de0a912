from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from app.auth.dependencies import IngestKey, ReadKey
from app.db import Database, DatabaseDep
from app.errors import NotFound, problem_responses
from app.feedback import service
from app.feedback.schemas import EVENT_EXAMPLE, BatchResult, FeedbackIn, FeedbackOut
from app.feedback.store import get_event
from app.feedback.writer import EventWriter
from app.routing import StrictJSONRoute
from app.types import Identifier

router = APIRouter(prefix="/v1/feedback", tags=["feedback"], route_class=StrictJSONRoute)


class BatchIn(BaseModel):
    """Up to 1,000 events (and 1 MiB). Each is validated and stored on its own merits."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"events": [EVENT_EXAMPLE]}]},
    )

    events: list[Any] = Field(
        min_length=1,
        # Items are validated one by one in the service (so one bad item cannot sink
        # the batch); the document still shows their real schema.
        json_schema_extra={"items": {"$ref": "#/components/schemas/FeedbackIn"}},
    )


def ingest_rules(request: Request) -> service.IngestRules:
    """The server's side of an ingest request: its arrival time and limits."""
    return service.IngestRules(
        received_at=datetime.now(UTC),
        max_future=timedelta(seconds=request.app.state.settings.max_future_skew_seconds),
    )


@router.post(
    "",
    status_code=201,
    response_model=FeedbackOut,
    responses={
        200: {"model": FeedbackOut, "description": "A replay: this event was stored before."},
        **problem_responses(401, 403, 409, 413, 415, 422, 503),
    },
)
async def submit_feedback(
    event: FeedbackIn, key: IngestKey, request: Request, response: Response
) -> FeedbackOut:
    """Record one feedback event.

    Safe to retry: send the same `event_id` and the same body again and you get
    **200** with the stored event; nothing is stored twice. A new event answers
    **201**. The same `event_id` with a different body is a **409**.
    """
    db: Database = request.app.state.db
    writer: EventWriter = request.app.state.writer
    stored, created = await service.ingest_one(db, writer, event, key, ingest_rules(request))
    if not created:
        response.status_code = 200
    return stored


@router.post(
    "/batch",
    response_model=BatchResult,
    responses=problem_responses(401, 403, 413, 415, 422, 503),
)
async def submit_feedback_batch(
    batch: BatchIn, db: DatabaseDep, key: IngestKey, request: Request
) -> BatchResult:
    """Record up to 1,000 events in one transaction (an offline queue, a day of a POS).

    Every item gets a result, in input order: `accepted` (stored now), `duplicate`
    (stored before with the same body) or `rejected` (not stored; `problem` says
    why). Invalid items never block valid ones and are never partly stored.
    Replaying the whole batch is safe.
    """
    limit = request.app.state.settings.max_batch_events
    if len(batch.events) > limit:
        raise service.too_many_events(len(batch.events), limit)
    return await service.ingest_batch(db, batch.events, key, ingest_rules(request))


@router.get(
    "/{event_id:path}",  # event_ids may contain "/"
    response_model=FeedbackOut,
    responses=problem_responses(401, 403, 404, 422, 503),
)
async def get_feedback(
    event_id: Annotated[Identifier, Path(examples=["5f0c6a4e-1f7b-4c1e-9d0a-2b7f4f8e9a10"])],
    db: DatabaseDep,
    key: ReadKey,
) -> FeedbackOut:
    """One stored event by its `event_id` (contact data is not included)."""
    async with db.connection() as conn:
        event = await get_event(conn, event_id)
    if event is None:
        raise NotFound(f"No event with event_id '{event_id}'.")
    return event
