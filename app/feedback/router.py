"""Reading stored events: a page at a time, one by its event_id, or all as an export.
(The routes that take events are app.ingest.router.)"""

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.responses import StreamingResponse

from app.auth.access import ReadSelection
from app.auth.dependencies import ReadKey
from app.auth.service import Principal
from app.auth.tokens import Scope
from app.db import DatabaseDep
from app.errors import FieldError, Forbidden, NotFound, ValidationFailed, problem_responses
from app.feedback import service
from app.feedback.schemas import FeedbackOut, FeedbackPage
from app.feedback.store import get_event
from app.http.routes import StrictJSONRoute
from app.replica import ReadDatabaseDep
from app.selection.csv import wants_csv
from app.selection.filters import Selection
from app.settings import SettingsDep
from app.types import Identifier

Score = Annotated[int | None, Query(ge=0, le=10, description="Score bound (inclusive).")]

router = APIRouter(prefix="/v1/feedback", tags=["feedback"], route_class=StrictJSONRoute)


async def event_query(
    has_comment: Annotated[
        bool | None, Query(description="Only events with (true) or without (false) a comment.")
    ] = None,
    min_nps: Score = None,
    max_nps: Score = None,
    min_csat: Score = None,
    max_csat: Score = None,
    min_ces: Score = None,
    max_ces: Score = None,
    q: Annotated[
        str | None,
        Query(
            max_length=200,
            pattern=r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$",
            description="Text search in comments: every word must occur, in any case, as a "
            f"word or part of one (at most {service.MAX_SEARCH_TERMS} words). Any language "
            "and script; `%` and `_` are plain characters.",
            examples=["slow checkout", "очередь"],
        ),
    ] = None,
) -> service.EventQuery:
    """What event lists add to the metrics filters: a comment, score bounds, a text search."""
    ranges = (("nps", min_nps, max_nps), ("csat", min_csat, max_csat), ("ces", min_ces, max_ces))
    for score, low, high in ranges:
        if low is not None and high is not None and low > high:
            raise ValidationFailed(
                f"min_{score} is above max_{score}.",
                errors=[FieldError(pointer="", loc=["query", f"max_{score}"], type="value_error",
                                   message=f"max_{score} must be at least min_{score}.")],
            )  # fmt: skip
    terms = service.search_terms(q or "")
    if len(terms) > service.MAX_SEARCH_TERMS:
        raise ValidationFailed(
            f"A search takes at most {service.MAX_SEARCH_TERMS} words; this one has {len(terms)}.",
            errors=[FieldError(pointer="", loc=["query", "q"], type="too_long",
                               message=f"At most {service.MAX_SEARCH_TERMS} words.")],
        )  # fmt: skip
    return service.EventQuery(has_comment, tuple(r for r in ranges if r[1:] != (None, None)), terms)


EventQueryDep = Annotated[service.EventQuery, Depends(event_query)]


@router.get("", response_model=FeedbackPage, responses=problem_responses(401, 403, 422, 503))
async def list_feedback(
    filters: ReadSelection,
    db: ReadDatabaseDep,
    key: ReadKey,
    query: EventQueryDep,
    limit: Annotated[int, Query(ge=1, le=1000, description="Page size.")] = 100,
    cursor: Annotated[
        str | None, Query(max_length=500, description="`next_cursor` of the previous page.")
    ] = None,
) -> FeedbackPage:
    """Stored events for BI and audits, oldest `occurred_at` first, a page at a time.

    The window and dimension filters are those of the metrics endpoints, except that
    every respondent type is listed unless `respondent_type` is given. A score bound
    keeps only events that carry that score. `q` searches the comments (indexed). Contact
    data is never included. Each item's `text` is what the text enrichment derived from
    its comment (language, sentiment, themes, key phrases; null until enriched), which
    `theme`, `sentiment` and `language` filter on.

    Example: the negative comments about waiting, in German:
    `GET /v1/feedback?theme=waiting&sentiment=negative&language=de&from=2026-11-01`

    Example: the unhappy customers of one branch with something to say:
    `GET /v1/feedback?location_id=vie-07&max_nps=6&has_comment=true&from=2026-11-01`

    Example: who mentioned the queue: `GET /v1/feedback?q=queue&from=2026-11-01`

    Example: the gold members who waited 20 minutes or more (the events' own attributes:
    `attribute.<key>`, a bin label for a range):
    `GET /v1/feedback?attribute.tier=gold&attribute.wait_minutes=[20..)&from=2026-11-01`

    `employee_id` is shown, and may be filtered on, with an admin key only (see
    `employee_min_n` in the metrics).
    """
    hide = hides_employees(filters, key)
    async with db.connection() as conn:
        items, next_cursor = await service.list_events(
            conn, filters, query, limit=limit, cursor=cursor
        )
    if hide:
        items = [item.model_copy(update={"employee_id": None}) for item in items]
    return FeedbackPage(items=items, next_cursor=next_cursor)


def hides_employees(filters: Selection, key: Principal) -> bool:
    """Whether this key reads events without their `employee_id`: every key but an admin
    key. Single ratings of one employee would undo the metrics' privacy floor
    (`employee_min_n`): a read key cannot filter events by employee either (403)."""
    if key.allows(Scope.admin):
        return False
    if "employee_id" in filters.dimensions:
        raise Forbidden(
            "Listing or exporting events by employee_id needs an admin key: per-employee "
            "figures are shown only from employee_min_n answers (GET /v1/metrics/breakdown"
            "?group_by=employee_id)."
        )
    return True


NDJSON = "application/x-ndjson"


@router.get(
    "/export",
    responses={
        200: {
            "description": "The events, CSV (`text/csv`) or NDJSON (`application/x-ndjson`).",
            "content": {"text/csv": {"schema": {"type": "string"}},
                        NDJSON: {"schema": {"type": "string"}}},
        },
        **problem_responses(401, 403, 422, 503),
    },
)  # fmt: skip
async def export_feedback(
    filters: ReadSelection,
    request: Request,
    db: ReadDatabaseDep,
    settings: SettingsDep,
    key: ReadKey,
    query: EventQueryDep,
    format: Annotated[
        Literal["csv", "ndjson"] | None,
        Query(description="Overrides the Accept header; default NDJSON."),
    ] = None,
) -> Response:
    """The whole filtered set, streamed in constant memory, oldest `occurred_at` first:
    CSV (`format=csv` or `Accept: text/csv`; RFC 4180, header row) or NDJSON (one
    JSON object per line). The filters are those of `GET /v1/feedback`.

    Columns, in this order (the same keys in NDJSON): `event_id, occurred_at,
    received_at, channel, touchpoint, location_id, employee_id, respondent_id,
    respondent_type, segment, acquisition_source, nps, csat, ces`, the ten SERVQUAL
    columns `sq_<dimension>_p` and `sq_<dimension>_e`, `comment, language, tags,
    attributes, follow_up_requested, has_contact, text`. `text` is what the text
    enrichment derived from the comment, as in `GET /v1/feedback` (an object, JSON in CSV
    like `tags` and `attributes`; null, empty in CSV, until enriched). Contact data is
    never exported; `employee_id` only with an admin key (empty otherwise).

    A set larger than the service's `FEEDBACK_MAX_EXPORT_ROWS` (default 1,000,000) is
    refused with a 422 before anything is sent, never truncated: export it in parts.
    """
    as_csv = wants_csv(request)
    hide = hides_employees(filters, key)
    # Refused before the first byte: a file cut off at a limit would look complete.
    most = settings.max_export_rows
    async with db.connection() as conn:
        selected = await service.count_events(conn, filters, query, up_to=most + 1)
    if selected > most:
        raise ValidationFailed(
            f"The export would hold more than {most} events; narrow the window or the filters, "
            "or export it in parts (e.g. a month at a time).",
            errors=[FieldError(pointer="", loc=["query", "from"], type="too_many_rows",
                               message=f"At most {most} events per export.")],
        )  # fmt: skip
    name = "feedback.csv" if as_csv else "feedback.ndjson"
    media_type = "text/csv; charset=utf-8; header=present" if as_csv else NDJSON
    disposition = {"Content-Disposition": f'attachment; filename="{name}"'}
    if request.method == "HEAD":  # GET's answer without its body, and without its work
        return Response(media_type=media_type, headers=disposition)
    return StreamingResponse(
        service.export_events(db, filters, query, as_csv=as_csv, hide_employees=hide),
        media_type=media_type,
        headers=disposition,
    )


@router.get(
    "/{event_id:id}",  # event_ids may contain "/"
    response_model=FeedbackOut,
    responses=problem_responses(401, 403, 404, 422, 503),
)
async def get_feedback(
    event_id: Annotated[Identifier, Path(examples=["5f0c6a4e-1f7b-4c1e-9d0a-2b7f4f8e9a10"])],
    db: DatabaseDep,
    key: ReadKey,
) -> FeedbackOut:
    """One stored event by its `event_id` (contact data is not included). With a key
    bound to a branch, an event of another branch is a 404, as if it did not exist."""
    async with db.connection() as conn:
        event = await get_event(conn, event_id)
    if event is None or not key.sees(event.location_id):
        raise NotFound(f"No event with event_id '{event_id}'.")
    if not key.allows(Scope.admin):  # as in the list (`hides_employees`)
        event = event.model_copy(update={"employee_id": None})
    return event
