from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request

from app.alerts import service
from app.alerts.rules import AlertMetric, AlertRules
from app.alerts.schemas import Alert, AlertPage, AlertPatch
from app.auth.dependencies import AdminKey, CasesKey, ReadKey
from app.db import DatabaseDep
from app.errors import problem_responses
from app.http.routes import StrictJSONRoute
from app.selection.csv import CsvFormat, csv_or_json, csv_response, wants_csv
from app.types import Identifier, Instant

router = APIRouter(prefix="/v1/alerts", tags=["alerts"], route_class=StrictJSONRoute)
rules_router = APIRouter(prefix="/v1/alert-rules", tags=["alerts"], route_class=StrictJSONRoute)

AlertId = Annotated[int, Path(ge=1, le=2**63 - 1, description="The alert's id.")]
CSV_COLUMNS = (
    "id", "status", "metric", "dimension", "value", "within", "direction", "since", "zone",
    "opened_at", "resolved_at", "acknowledged_at", "muted_until", "current_value", "current_n",
    "baseline_value", "baseline_n", "change", "min_change", "statistic", "adjusted_p_value",
)  # fmt: skip


@router.get("", response_model=AlertPage, responses=csv_or_json("Alerts, newest first."))
async def list_alerts(
    request: Request,
    db: DatabaseDep,
    key: ReadKey,
    status: Annotated[
        Literal["open", "resolved", "all"], Query(description="Which alerts (default open).")
    ] = "open",
    metric: Annotated[
        list[AlertMetric] | None, Query(max_length=20, description="Only these metrics.")
    ] = None,
    dimension: Annotated[
        list[Identifier] | None,
        Query(max_length=20, description="Only scopes of these dimensions (`location_id`...)."),
    ] = None,
    location_id: Annotated[
        list[Identifier] | None,
        Query(
            max_length=100,
            description="Only alerts about these branches (the branch, or its channels, "
            "touchpoints and employees). A key bound to a branch sees that branch only.",
        ),
    ] = None,
    from_: Annotated[
        Instant | None,
        Query(alias="from", description="Alerts open at some time at or after this instant."),
    ] = None,
    to: Annotated[Instant | None, Query(description="Alerts opened before this instant.")] = None,
    limit: Annotated[int, Query(ge=1, le=1000, description="Page size.")] = 100,
    cursor: Annotated[
        str | None, Query(max_length=500, description="`next_cursor` of the previous page.")
    ] = None,
    format: CsvFormat = None,
) -> Any:
    """What the service noticed: changes in a metric of one scope that are real (a CUSUM
    against the scope's own past and against the rest of the chain, false discoveries
    controlled across every series checked) and large enough to matter. Newest first.
    CSV (`format=csv`) gives one row per alert with the figures that opened it.

    Example: the open alerts of one branch: `GET /v1/alerts?location_id=lis-03`
    """
    async with db.connection() as conn:
        items, next_cursor = await service.list_alerts(
            conn,
            status=status,
            metrics=metric or [],
            dimensions=dimension or [],
            locations=key.branches(tuple(location_id or ())),
            start=from_,
            end=to,
            limit=limit,
            cursor=cursor,
        )
    if wants_csv(request):
        return csv_response(CSV_COLUMNS, map(_csv_row, items), "alerts.csv")
    return AlertPage.model_validate({"items": items, "next_cursor": next_cursor})


def _csv_row(a: dict[str, Any]) -> list[Any]:
    e = a["evidence"]
    first = next((t for t in e["tests"] if t["fired"]), e["tests"][0] if e["tests"] else {})
    return [
        a["id"], a["status"], a["metric"], a["scope"]["dimension"], a["scope"]["value"],
        a["scope"]["within"] or None, a["direction"], a["since"], a["zone"], a["opened_at"],
        a["resolved_at"], a["acknowledged_at"], a["muted_until"], e["current"]["value"],
        e["current"]["n"], e["baseline"]["value"], e["baseline"]["n"], e["change"],
        e["min_change"], first.get("statistic"), first.get("adjusted_p_value"),
    ]  # fmt: skip


@router.get(
    "/{alert_id}", response_model=Alert, responses=problem_responses(401, 403, 404, 422, 503)
)
async def get_alert(alert_id: AlertId, db: DatabaseDep, key: ReadKey) -> Alert:
    """One alert with its evidence. With a key bound to a branch, an alert about another
    scope is a 404."""
    async with db.connection() as conn:
        return Alert.model_validate(await service.get_alert(conn, alert_id, key.location_id))


@router.patch(
    "/{alert_id}",
    response_model=Alert,
    responses=problem_responses(401, 403, 404, 413, 415, 422, 503),
)
async def patch_alert(
    alert_id: AlertId, patch: AlertPatch, db: DatabaseDep, key: CasesKey
) -> Alert:
    """Acknowledge an alert (someone is on it), add a note, or mute it until an instant: a
    muted alert sends no `alert.resolved`, and its series reopening meanwhile sends no
    `alert.opened`. The alert itself still opens, updates and resolves as the data says."""
    given = patch.model_fields_set
    by = patch.acknowledged_by or f"key:{key.key_id}"
    async with db.connection() as conn:
        alert = await service.patch_alert(
            conn, alert_id,
            acknowledged=patch.acknowledged, by=by if patch.acknowledged else None,
            note=("note" in given, patch.note),
            muted_until=("muted_until" in given, patch.muted_until),
            location=key.location_id,
        )  # fmt: skip
    return Alert.model_validate(alert)


@rules_router.get("", response_model=AlertRules, responses=problem_responses(401, 403, 422, 503))
async def get_alert_rules(db: DatabaseDep, _: AdminKey) -> AlertRules:
    """What the alert worker watches and how sensitively (docs/alerts.md, "Tuning")."""
    async with db.connection() as conn:
        return await service.get_rules(conn)


@rules_router.put(
    "", response_model=AlertRules, responses=problem_responses(401, 403, 413, 415, 422, 503)
)
async def put_alert_rules(rules: AlertRules, db: DatabaseDep, _: AdminKey) -> AlertRules:
    """Replace the rules (fields left out take their defaults). They apply from the next
    round; try them on your own history first with `feedback alerts backtest`."""
    async with db.connection() as conn:
        return await service.put_rules(conn, rules)
