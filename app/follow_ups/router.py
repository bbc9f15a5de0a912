from dataclasses import replace
from datetime import timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from app.auth.access import ReadSelection
from app.auth.dependencies import AdminKey, CasesKey, ReadKey
from app.auth.service import Principal
from app.auth.tokens import Scope
from app.db import DatabaseDep
from app.errors import FieldError, ValidationFailed, problem_responses
from app.follow_ups import service
from app.follow_ups.schemas import (
    Case,
    CasePage,
    CasePatch,
    LoopMetrics,
    QueueSummary,
    RuleSet,
    Status,
)
from app.http.routes import StrictJSONRoute
from app.replica import ReadDatabaseDep
from app.selection.csv import CsvFormat, csv_response, wants_csv
from app.selection.filters import MinN, split_values
from app.settings import SettingsDep
from app.stats import DEFAULT_MIN_N
from app.types import Identifier

router = APIRouter(prefix="/v1/follow-ups", tags=["follow-ups"], route_class=StrictJSONRoute)
rules_router = APIRouter(
    prefix="/v1/follow-up-rules", tags=["follow-ups"], route_class=StrictJSONRoute
)
# The closed-loop figures (GET /v1/metrics/follow-ups), served beside the satisfaction metrics.
loop_router = APIRouter(prefix="/v1/metrics", tags=["metrics"], route_class=StrictJSONRoute)

CaseId = Annotated[int, Path(ge=1, le=2**63 - 1, description="The case's id.")]


@rules_router.get("", response_model=RuleSet, responses=problem_responses(401, 403, 422, 503))
async def get_follow_up_rules(db: DatabaseDep, _: AdminKey) -> RuleSet:
    """The rules that open follow-up cases. An event opens one case when any enabled
    rule matches it; the case lists the names of the rules that matched."""
    async with db.connection() as conn:
        return RuleSet.model_validate({"rules": await service.get_rules(conn)})


@rules_router.put(
    "", response_model=RuleSet, responses=problem_responses(401, 403, 413, 415, 422, 503)
)
async def put_follow_up_rules(rules: RuleSet, db: DatabaseDep, _: AdminKey) -> RuleSet:
    """Replace every rule at once (an empty list opens no more cases). Applies to
    events stored from now on; cases already open stay open.

    The defaults: `nps-detractor` (NPS 0-6), `csat-low` (CSAT 1-2), `ces-hard`
    (CES 1-2) and `follow-up-requested`, for customers and internal customers.
    """
    async with db.connection() as conn:
        return RuleSet.model_validate({"rules": await service.put_rules(conn, rules)})


MAX_VALUES = 100  # values of one list filter


async def queue_filters(
    status: Annotated[list[Status] | None, Query(description="Only these (repeatable).")] = None,
    location_id: Annotated[
        list[Identifier] | None,
        Query(
            max_length=MAX_VALUES,
            description="Only these branches. A key bound to a branch lists that branch "
            "only; naming another is a 403.",
        ),
    ] = None,
    channel: Annotated[
        list[str] | None,
        Query(
            description="Only cases of feedback from these channels (`web`, `pos`, ...). "
            "Repeatable or comma-separated, as in the metrics.",
            examples=["pos,kiosk"],
        ),
    ] = None,
    assignee: Annotated[
        list[Identifier] | None,
        Query(max_length=MAX_VALUES, description="Only these assignees."),
    ] = None,
    unassigned: Annotated[
        bool, Query(description="Only cases without an assignee (or also them, with `assignee`).")
    ] = False,
    min_age_hours: Annotated[
        float | None, Query(ge=0, le=87600, description="Opened at least this long ago.")
    ] = None,
    max_age_hours: Annotated[
        float | None, Query(ge=0, le=87600, description="Opened at most this long ago.")
    ] = None,
) -> service.Queue:
    """The work queue's filters, as asked (the routes narrow them to a key's branch)."""
    channels = split_values(channel, "channel")
    if len(channels) > MAX_VALUES:
        raise ValidationFailed(
            "Query parameter 'channel' is not valid.",
            errors=[
                FieldError(
                    pointer="", loc=["query", "channel"], type="too_long",
                    message=f"At most {MAX_VALUES} channels.",
                )
            ],
        )  # fmt: skip
    return service.Queue(
        statuses=tuple(status or ()),
        location_ids=tuple(location_id or ()),
        channels=channels,
        assignees=tuple(assignee or ()),
        unassigned=unassigned,
        min_age=None if min_age_hours is None else timedelta(hours=min_age_hours),
        max_age=None if max_age_hours is None else timedelta(hours=max_age_hours),
    )


QueueFilters = Annotated[service.Queue, Depends(queue_filters)]


def for_branches(queue: service.Queue, key: Principal) -> service.Queue:
    """The queue as this key may read it (a key bound to a branch: that branch only)."""
    return replace(queue, location_ids=key.branches(queue.location_ids))


@router.get("", response_model=CasePage, responses=problem_responses(401, 403, 422, 503))
async def list_follow_ups(
    db: DatabaseDep,
    key: ReadKey,
    queue: QueueFilters,
    limit: Annotated[int, Query(ge=1, le=1000, description="Page size.")] = 100,
    cursor: Annotated[
        str | None, Query(max_length=500, description="`next_cursor` of the previous page.")
    ] = None,
) -> CasePage:
    """The work queue: follow-up cases, oldest first. `employee_id` is shown to admin
    keys only (null for others: see `employee_min_n` in the metrics). How many cases the
    filters select in all, and how many are overdue: `GET /v1/follow-ups/summary`.

    Example: the open cases of one branch waiting more than a day:
    `GET /v1/follow-ups?status=open&location_id=vie-07&min_age_hours=24`
    """
    async with db.connection() as conn:
        rows, next_cursor = await service.list_cases(
            conn, for_branches(queue, key), limit=limit, cursor=cursor
        )
    items = [for_key(row, key) for row in rows]
    return CasePage.model_validate({"items": items, "next_cursor": next_cursor})


@router.get(
    "/summary", response_model=QueueSummary, responses=problem_responses(401, 403, 422, 503)
)
async def follow_ups_summary(
    db: DatabaseDep, key: ReadKey, queue: QueueFilters, settings: SettingsDep
) -> QueueSummary:
    """Every case the list's filters select, counted in one statement: by status, and
    how many are **overdue** (open, their first contact due `FEEDBACK_FOLLOW_UP_SLA` after
    the feedback arrived, and that time passed). The list pages; this counts them all.

    Example: the waiting cases of one branch's tills and kiosks, and how many are late:
    `GET /v1/follow-ups/summary?status=open&status=contacted&location_id=vie-07&channel=pos,kiosk`
    """
    async with db.connection() as conn:
        counts = await service.summarize_cases(
            conn, for_branches(queue, key), settings.follow_up_sla
        )
    return QueueSummary.model_validate(counts)


def for_key(case: dict[str, Any], key: Principal) -> dict[str, Any]:
    """The case as this key may see it: `employee_id` for admin keys only. A case is one
    event's ratings, and one employee's single ratings would undo the metrics' privacy
    floor (`employee_min_n`), as in the event list (app.feedback.router.hides_employees)."""
    return case if key.allows(Scope.admin) else {**case, "employee_id": None}


@router.get("/{case_id}", response_model=Case, responses=problem_responses(401, 403, 404, 422, 503))
async def get_follow_up(case_id: CaseId, db: DatabaseDep, key: ReadKey) -> Case:
    """One case with its whole history, oldest change first. With a key bound to a
    branch, a case of another branch is a 404."""
    async with db.connection() as conn:
        case = await service.get_case(conn, case_id, location_id=key.location_id)
    return Case.model_validate(for_key(case, key))


@router.patch(
    "/{case_id}",
    response_model=Case,
    responses=problem_responses(401, 403, 404, 409, 413, 415, 422, 503),
)
async def patch_follow_up(
    case_id: CaseId, patch: CasePatch, db: DatabaseDep, principal: CasesKey
) -> Case:
    """Assign the case, log a contact attempt, or move it on; answers the case with
    its history. Needs a `cases` (or admin) key.

    A `reached` contact attempt is the first contact: it moves an open case to
    `contacted`. Resolving needs a `resolution`. A move the case cannot make
    (resolving an open case nobody reached, changing a closed case) is **409**. A key
    bound to a branch works that branch's cases only (another's is a 404, unchanged).
    """
    async with db.connection() as conn:
        case = await service.patch_case(
            conn, case_id, patch, principal.key_id, location_id=principal.location_id
        )
    return Case.model_validate(for_key(case, principal))


LOOP_CSV_COLUMNS = (
    "scope", "group", "cases", "open", "contacted", "resolved", "unreachable", "contacted_n",
    "median_hours", "median_ci_low", "median_ci_high", "p90_hours", "within_sla", "within_sla_n",
    "within_sla_ci_low", "within_sla_ci_high", "resolved_share", "resolved_share_n",
    "resolved_share_ci_low",
    "resolved_share_ci_high", "recovery", "recovery_n", "recovery_ci_low", "recovery_ci_high",
)  # fmt: skip


@loop_router.get(
    "/follow-ups",
    response_model=LoopMetrics,
    response_model_by_alias=True,
    responses={
        200: {"content": {"text/csv": {"schema": {"type": "string"}}}},
        **problem_responses(401, 403, 422, 503),
    },
)
async def metrics_follow_ups(
    filters: ReadSelection,
    _: ReadKey,
    request: Request,
    db: ReadDatabaseDep,
    settings: SettingsDep,
    min_n: MinN = DEFAULT_MIN_N,
    group_by: Annotated[
        Literal["location_id", "assignee"] | None, Query(description="One row per group.")
    ] = None,
    format: CsvFormat = None,
) -> LoopMetrics | Response:
    """Closing the loop (docs/metrics.md): how fast unhappy customers are reached, how many
    within the SLA (`FEEDBACK_FOLLOW_UP_SLA`), how many cases are resolved, and how
    many reached customers come back happier, overall and per branch or assignee.

    Cases count when their feedback's `occurred_at` lies in the window, with the
    usual filters. CSV (`format=csv`) has the overall row first (`scope` `overall`,
    empty `group`), then one row per group (`scope` `group`; an empty `group` there is
    the cases with no branch or no assignee).
    """
    sla: timedelta = settings.follow_up_sla
    async with db.connection() as conn:
        overall, groups = await service.loop_metrics(
            conn, replace(filters, min_n=min_n), group_by, sla
        )
    body = LoopMetrics.model_validate(
        {
            **filters.window(),
            "sla_hours": sla.total_seconds() / 3600,
            "group_by": group_by,
            "overall": overall,
            "groups": groups,
        }
    )
    if wants_csv(request):
        return csv_response(
            LOOP_CSV_COLUMNS,
            (
                _csv_row("overall", None, overall),
                *(_csv_row("group", g["group"], g) for g in groups),
            ),
            "follow-ups.csv",
        )
    return body


def _csv_row(scope: str, group: str | None, f: dict[str, object]) -> list[object]:
    time = f["time_to_first_contact"]
    assert isinstance(time, dict)
    row: list[object] = [scope, group, f["cases"], f["open"], f["contacted"], f["resolved"]]
    row += [f["unreachable"], time["n"], time["median_hours"], time["median_ci_low"]]
    row += [time["median_ci_high"], time["p90_hours"]]
    for name in ("within_sla", "resolved_share", "recovery"):
        share = f[name]
        assert isinstance(share, dict)
        row += [share["value"], share["n"], share["ci_low"], share["ci_high"]]
    return row
