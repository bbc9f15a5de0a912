"""The routes that take events: one (`POST /v1/feedback`) or a batch, as JSON or as a
browser's beacon."""

from typing import Any

from fastapi import APIRouter, Response
from fastapi.routing import APIRoute

from app.auth.dependencies import IngestKey
from app.db import DatabaseDep
from app.errors import problem_responses
from app.feedback.schemas import FeedbackIn, FeedbackOut
from app.ingest import service
from app.ingest.beacon import BeaconRoute
from app.ingest.dependencies import SingleIngestDep
from app.ingest.schemas import BatchIn, BatchResult
from app.settings import SettingsDep

router = APIRouter(prefix="/v1/feedback", tags=["feedback"], route_class=BeaconRoute)


def beacon_body(schema: str) -> dict[str, Any]:
    """OpenAPI: the ingest routes also take `text/plain`, what `navigator.sendBeacon` sends: a
    string holding the `schema` JSON document (JSON Schema's `contentMediaType` and
    `contentSchema`). Declared as the object itself, it said that an object is sent as text."""
    text = {
        "type": "string",
        "description": (
            f"The `{schema}` JSON document as text, as `navigator.sendBeacon` sends it: "
            "only from a publishable key posting from one of its origins (a 415 otherwise)."
        ),
        "contentMediaType": "application/json",
        "contentSchema": {"$ref": f"#/components/schemas/{schema}"},
    }
    return {"requestBody": {"content": {"text/plain": {"schema": text}}}}


@router.post(
    "",
    status_code=201,
    response_model=FeedbackOut,
    responses={
        200: {"model": FeedbackOut, "description": "A replay: this event was stored before."},
        **problem_responses(401, 403, 409, 410, 413, 415, 422, 503),
    },
    openapi_extra=beacon_body("FeedbackIn"),
)
async def submit_feedback(
    event: FeedbackIn, key: IngestKey, single: SingleIngestDep, response: Response
) -> FeedbackOut:
    """Record one feedback event.

    Safe to retry: send the same `event_id` and the same body again and you get
    **200** with the stored event; nothing is stored twice. A new event answers
    **201**. The same `event_id` with a different body is a **409**. An `event_id` whose
    event was erased at its respondent's request is a **410**: it is never stored again,
    whatever the body (do not retry it).

    From a browser, with a publishable key: `navigator.sendBeacon(url + "?key=" + key,
    JSON.stringify(event))` works too. The key may be in the URL and the body
    `text/plain` only for a publishable key posting from one of its origins; a secret
    key in the URL is a **403**, `text/plain` from anyone else a **415**.
    """
    stored, created = await service.ingest_one(single.writer, event, key, single.rules)
    if not created:
        response.status_code = 200
    return stored


@router.post(
    "/batch",
    response_model=BatchResult,
    responses=problem_responses(401, 403, 413, 415, 422, 503),
    openapi_extra=beacon_body("BatchIn"),
)
async def submit_feedback_batch(
    batch: BatchIn, db: DatabaseDep, key: IngestKey, settings: SettingsDep
) -> BatchResult:
    """Record up to 1,000 events in one transaction (an offline queue, a day of a POS).

    Every item gets a result, in input order: `accepted` (stored now), `duplicate`
    (stored before with the same body) or `rejected` (not stored; `problem` says
    why). Invalid items never block valid ones and are never partly stored.
    Replaying the whole batch is safe. Publishable keys may send it as a beacon, as
    `POST /v1/feedback` says.
    """
    limit = settings.max_batch_events
    if len(batch.events) > limit:
        raise service.too_many_events(len(batch.events), limit)
    return await service.ingest_batch(db, batch.events, key, service.rules_for(settings))


# Where events come in, for what app.main wires around these routes: the ingest quota,
# CORS for publishable keys, the batch's body limit.
INGEST_PATHS = frozenset(route.path for route in router.routes if isinstance(route, APIRoute))
BATCH_PATH = router.url_path_for("submit_feedback_batch")
