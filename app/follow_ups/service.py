"""Follow-up cases: rules, the work queue, changes to a case, and closing-the-loop metrics.

Cases are opened by the ingest statement itself (app/feedback/store.py), so this
module never opens one.
"""

import uuid
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

import asyncpg

from app import stats
from app.errors import Conflict, NotFound
from app.follow_ups import states
from app.follow_ups.schemas import CasePatch, CaseSummary, RuleSet
from app.http.cursors import decode_instant_cursor, encode_instant_cursor, page
from app.selection.conditions import dimension_conditions
from app.selection.filters import Selection
from app.sql import Params
from app.webhooks import service as webhooks
from app.webhooks.payloads import FOLLOW_UP_RESOLVED, FOLLOW_UP_UPDATED

# ---------------------------------------------------------------- rules

RULE_COLUMNS = "name, score, min_score, max_score, respondent_types, enabled"


async def get_rules(conn: asyncpg.Connection) -> list[dict[str, Any]]:
    rows = await conn.fetch(f"SELECT {RULE_COLUMNS} FROM follow_up_rules ORDER BY name")
    return [dict(r) for r in rows]


async def put_rules(conn: asyncpg.Connection, rules: RuleSet) -> list[dict[str, Any]]:
    """Replace every rule at once. Ingest statements see the old set or the new one."""
    async with conn.transaction():
        await conn.execute("LOCK TABLE follow_up_rules IN EXCLUSIVE MODE")  # one writer
        await conn.execute("DELETE FROM follow_up_rules")
        await conn.executemany(
            f"INSERT INTO follow_up_rules ({RULE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)",
            [
                (r.name, r.score, r.min_score, r.max_score, r.respondent_types, r.enabled)
                for r in rules.rules
            ],
        )
        return await get_rules(conn)


# ---------------------------------------------------------------- cases

CASE_COLUMNS = (
    "id, event_id, status, reasons, assignee, location_id, channel, touchpoint, employee_id, "
    "respondent_id, respondent_type, segment, nps, csat, ces, occurred_at, received_at, "
    "opened_at, first_contact_at, closed_at, resolution, updated_at"
)
HISTORY_SQL = """
SELECT at, kind, key_id::text AS key_id, from_status, to_status, assignee,
       contact_channel, contact_outcome, note, resolution
FROM follow_up_changes WHERE follow_up_id = $1 ORDER BY id
"""


@dataclass(frozen=True, slots=True)
class Queue:
    """Which cases a read of the work queue covers: the list and its summary share it.

    Values within one field are alternatives (OR), fields all apply (AND); empty: any."""

    statuses: tuple[str, ...] = ()
    location_ids: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    assignees: tuple[str, ...] = ()
    unassigned: bool = False
    min_age: timedelta | None = None
    max_age: timedelta | None = None


def queue_conditions(queue: Queue, params: Params) -> list[str]:
    """The WHERE conditions of `queue` on follow_ups (unqualified columns)."""
    where = []
    if queue.statuses:
        where.append(f"status = ANY({params(list(queue.statuses), '::text[]')})")
    if queue.location_ids:
        where.append(f"location_id = ANY({params(list(queue.location_ids), '::text[]')})")
    if queue.channels:
        where.append(f"channel = ANY({params(list(queue.channels), '::text[]')})")
    if queue.assignees or queue.unassigned:
        either = (
            [f"assignee = ANY({params(list(queue.assignees), '::text[]')})"]
            if queue.assignees
            else []
        )
        either += ["assignee IS NULL"] if queue.unassigned else []
        where.append(f"({' OR '.join(either)})")
    if queue.min_age is not None:
        where.append(f"opened_at <= now() - {params(queue.min_age)}::interval")
    if queue.max_age is not None:
        where.append(f"opened_at >= now() - {params(queue.max_age)}::interval")
    return where


async def list_cases(
    conn: asyncpg.Connection, queue: Queue, *, limit: int, cursor: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    """Oldest first (the work queue's order), by (opened_at, id) keyset."""
    params = Params()
    where = queue_conditions(queue, params)
    if cursor:
        opened_at, after_id = decode_instant_cursor(cursor, "follow-ups")
        where.append(f"(opened_at, id) > ({params(opened_at)}, {params(after_id)})")
    sql = (
        f"SELECT {CASE_COLUMNS} FROM follow_ups "
        f"{'WHERE ' + ' AND '.join(where) if where else ''} "
        f"ORDER BY opened_at, id LIMIT {params(limit + 1)}"
    )
    rows = [dict(r) for r in await conn.fetch(sql, *params.values)]
    return page(
        rows, limit, lambda last: encode_instant_cursor("follow-ups", last["opened_at"], last["id"])
    )


async def summarize_cases(conn: asyncpg.Connection, queue: Queue, sla: timedelta) -> dict[str, Any]:
    """Every case of `queue` counted, in one statement (one snapshot): by status, and the
    `overdue` ones, open with their first contact due (arrival + `sla`) before now."""
    params = Params()
    where = queue_conditions(queue, params)
    sql = f"""
SELECT now() AS as_of, count(*) AS cases,
       count(*) FILTER (WHERE status = 'open') AS open,
       count(*) FILTER (WHERE status = 'contacted') AS contacted,
       count(*) FILTER (WHERE status = 'resolved') AS resolved,
       count(*) FILTER (WHERE status = 'unreachable') AS unreachable,
       count(*) FILTER (WHERE status = 'open' AND received_at + {params(sla)}::interval < now())
           AS overdue
FROM follow_ups {"WHERE " + " AND ".join(where) if where else ""}
"""
    row = await conn.fetchrow(sql, *params.values)
    assert row is not None  # an aggregate without GROUP BY answers one row
    return {**dict(row), "sla_hours": sla.total_seconds() / 3600}


async def get_case(
    conn: asyncpg.Connection, case_id: int, *, location_id: str | None = None
) -> dict[str, Any]:
    """The case with its history; with `location_id` (a key bound to a branch), a case
    of another branch is not found."""
    row = await conn.fetchrow(
        f"SELECT {CASE_COLUMNS} FROM follow_ups WHERE id = $1 "
        "AND ($2::text IS NULL OR location_id = $2)",
        case_id,
        location_id,
    )
    if row is None:
        raise NotFound(f"No follow-up case {case_id}.")
    return {**dict(row), "history": await _history(conn, case_id)}


async def _history(conn: asyncpg.Connection, case_id: int) -> list[dict[str, Any]]:
    return [change_out(r) for r in await conn.fetch(HISTORY_SQL, case_id)]


def change_out(record: Mapping[str, Any]) -> dict[str, Any]:
    """A history row of HISTORY_SQL's columns as `Change` expects it (contact nested)."""
    change = dict(record)
    channel, outcome, note = (
        change.pop("contact_channel"), change.pop("contact_outcome"), change.pop("note")
    )  # fmt: skip
    change["contact"] = {"channel": channel, "outcome": outcome, "note": note} if outcome else None
    return change


async def patch_case(
    conn: asyncpg.Connection,
    case_id: int,
    patch: CasePatch,
    key_id: uuid.UUID,
    *,
    location_id: str | None = None,
) -> dict[str, Any]:
    """Apply the patch under a row lock, store the case and its history rows, all or
    nothing; with `location_id` (a key bound to a branch), a case of another branch is
    not found and nothing changes."""
    async with conn.transaction():
        row = await conn.fetchrow(
            "SELECT status, assignee, first_contact_at, closed_at, resolution, now() AS now "
            "FROM follow_ups WHERE id = $1 AND ($2::text IS NULL OR location_id = $2) "
            "FOR UPDATE",
            case_id,
            location_id,
        )
        if row is None:
            raise NotFound(f"No follow-up case {case_id}.")
        now: datetime = row["now"]
        before = states.Case(
            row["status"], row["assignee"], row["first_contact_at"], row["closed_at"],
            row["resolution"],
        )  # fmt: skip
        attempt = patch.contact_attempt
        try:
            after, changes = states.apply(
                before,
                states.Patch(
                    status=patch.status,
                    set_assignee="assignee" in patch.model_fields_set,
                    assignee=patch.assignee,
                    attempt=states.Attempt(attempt.channel, attempt.outcome, attempt.note)
                    if attempt
                    else None,
                    resolution=patch.resolution,
                ),
                now,
            )
        except states.Refused as exc:
            raise Conflict(str(exc)) from exc
        if changes:
            await conn.execute(
                "UPDATE follow_ups SET status = $2, assignee = $3, first_contact_at = $4, "
                "closed_at = $5, resolution = $6, updated_at = $7 WHERE id = $1",
                case_id, after.status, after.assignee, after.first_contact_at, after.closed_at,
                after.resolution, now,
            )  # fmt: skip
            await conn.executemany(
                "INSERT INTO follow_up_changes (follow_up_id, at, key_id, kind, from_status, "
                "to_status, assignee, contact_channel, contact_outcome, note, resolution) "
                "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                [(case_id, now, key_id, *asdict(c).values()) for c in changes],
            )
        case = await get_case(conn, case_id)
        if changes:  # the webhook message commits with the change, or neither does
            resolved = after.status == "resolved"
            summary = CaseSummary.model_validate(case).model_dump(mode="json")
            await webhooks.enqueue(
                conn, FOLLOW_UP_RESOLVED if resolved else FOLLOW_UP_UPDATED, now, summary
            )
        return case


# ---------------------------------------------------------------- metrics


def loop_sql(
    filters: Selection, group_by: str | None, sla_window: timedelta
) -> tuple[str, list[Any]]:
    """Per group (and overall): status counts, sorted hours to first contact, SLA and
    recovery counts, for the cases whose feedback lies in the window."""
    params = Params()
    sla = params(sla_window)
    conditions = [
        f"f.occurred_at >= {params(filters.start)}",
        f"f.occurred_at < {params(filters.end)}",
        *dimension_conditions(filters, params, "f"),
    ]
    region = "region" in filters.dimensions
    grp = f"f.{group_by}" if group_by else "NULL::text"
    sets = "GROUPING SETS ((), (grp))" if group_by else "()"
    overall = "GROUPING(grp) = 1 AS overall, grp" if group_by else "true AS overall, NULL AS grp"
    sql = f"""
SELECT {overall},
       count(*) AS cases,
       count(*) FILTER (WHERE status = 'open') AS open,
       count(*) FILTER (WHERE status = 'contacted') AS contacted,
       count(*) FILTER (WHERE status = 'resolved') AS resolved,
       count(*) FILTER (WHERE status = 'unreachable') AS unreachable,
       coalesce(array_agg(hours ORDER BY hours) FILTER (WHERE hours IS NOT NULL), '{{}}')
           AS hours,
       count(*) FILTER (WHERE hours IS NOT NULL OR now() - received_at > {sla}) AS sla_n,
       count(*) FILTER (WHERE hours * interval '1 hour' <= {sla}) AS sla_met,
       count(*) FILTER (WHERE next_nps IS NOT NULL AND nps <= 6
                           OR next_csat IS NOT NULL AND csat IS NOT NULL) AS recovery_n,
       count(*) FILTER (WHERE next_nps >= 7 AND nps <= 6 OR next_csat > csat) AS recovered
FROM (
    SELECT f.status, f.received_at, f.nps, f.csat, {grp} AS grp,
           extract(epoch FROM f.first_contact_at - f.received_at)::float8 / 3600 AS hours,
           nxt.nps AS next_nps, nxt.csat AS next_csat
    FROM follow_ups f
    {"LEFT JOIN locations l ON l.id = f.location_id" if region else ""}
    LEFT JOIN LATERAL (
        -- the customer's next scored feedback after the case's own and after the contact
        SELECT e.nps, e.csat FROM feedback_events e
        WHERE e.respondent_id = f.respondent_id AND e.id <> f.event_pk
          AND e.occurred_at > greatest(f.occurred_at, f.first_contact_at)
          AND (e.nps IS NOT NULL OR e.csat IS NOT NULL)
        ORDER BY e.occurred_at, e.id LIMIT 1
    ) nxt ON f.respondent_id IS NOT NULL AND f.first_contact_at IS NOT NULL
    WHERE {" AND ".join(conditions)}
) c
GROUP BY {sets}
ORDER BY overall DESC, grp NULLS LAST
"""
    return sql, params.values


async def loop_metrics(
    conn: asyncpg.Connection, filters: Selection, group_by: str | None, sla: timedelta
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    sql, values = loop_sql(filters, group_by, sla)
    rows = await conn.fetch(sql, *values)
    overall = next((r for r in rows if r["overall"]), None)
    groups = [
        {"group": r["grp"], **loop_figures(r, filters.min_n)} for r in rows if not r["overall"]
    ]
    return loop_figures(overall, filters.min_n), groups


def loop_figures(row: asyncpg.Record | None, min_n: int) -> dict[str, Any]:
    """The figures of one group from its row of `loop_sql` (None: no cases)."""

    def get(name: str) -> Any:
        if row is None:
            return [] if name == "hours" else 0
        return row[name]

    hours: list[float] = list(get("hours"))
    median = stats.median_interval(hours)

    def share(successes: int, n: int) -> dict[str, Any]:
        result = stats.share(successes, n)
        return {
            "value": result.value, "n": n, "ci_low": result.ci_low, "ci_high": result.ci_high,
            "low_sample": stats.low_sample(n, min_n),
        }  # fmt: skip

    cases = get("cases")
    return {
        "cases": cases,
        **{s: get(s) for s in ("open", "contacted", "resolved", "unreachable")},
        "time_to_first_contact": {
            "n": len(hours),
            "median_hours": stats.quantile(hours, 0.5),
            "median_ci_low": median.low if median else None,
            "median_ci_high": median.high if median else None,
            "p90_hours": stats.quantile(hours, 0.9),
            "low_sample": stats.low_sample(len(hours), min_n),
        },
        "within_sla": share(get("sla_met"), get("sla_n")),
        "resolved_share": share(get("resolved"), cases),
        "recovery": share(get("recovered"), get("recovery_n")),
    }
