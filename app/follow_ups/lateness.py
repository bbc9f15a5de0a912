"""The share of cases called back late, per local day of their deadline (for the alerts).

A case is *due* once `received_at + sla` has passed; it is *late* if nobody made the
first contact by then. Both are judged as of an instant (`as_of`: now for the
worker, a day's end for a backtest), so a contact made later does not count yet.
Cases are placed on the local day (in `zone`) their deadline fell on.
"""

from datetime import datetime, timedelta

import asyncpg

from app.selection.conditions import column
from app.sql import Params


def lateness_sql(
    *,
    zone: str,
    start: datetime,
    end: datetime,
    as_of: datetime,
    sla: timedelta,
    group_by: str | None,
    location_ids: list[str] | None,
) -> tuple[str, list[object]]:
    """Per (deadline day, group): due and late cases, for deadlines in [start, end)."""
    params = Params()
    deadline = f"(f.received_at + {params(sla)}::interval)"
    at = params(as_of)
    grp = column(group_by, "f") if group_by else "NULL::text"
    region = group_by is not None and "region" in group_by.split("+")
    where = [f"{deadline} >= {params(start)}", f"{deadline} < {params(end)}", f"{deadline} <= {at}"]
    if location_ids is not None:
        where.append(f"f.location_id = ANY({params(location_ids, '::text[]')})")
    sql = f"""
SELECT date_trunc('day', {deadline}, {params(zone)}::text) AS bucket, {grp} AS grp,
       count(*)::int AS due,
       (count(*) FILTER (WHERE f.first_contact_at IS NULL OR f.first_contact_at > {at}
                            OR f.first_contact_at > {deadline}))::int AS late
FROM follow_ups f {"LEFT JOIN locations l ON l.id = f.location_id" if region else ""}
WHERE {" AND ".join(where)}
GROUP BY 1, 2
"""
    return sql, params.values


async def daily_lateness(
    conn: asyncpg.Connection,
    *,
    zone: str,
    start: datetime,
    end: datetime,
    as_of: datetime,
    sla: timedelta,
    group_by: str | None = None,
    location_ids: list[str] | None = None,
) -> list[asyncpg.Record]:
    """Rows (bucket, grp, due, late): `bucket` is the local day's first instant in `zone`."""
    sql, values = lateness_sql(
        zone=zone, start=start, end=end, as_of=as_of, sla=sla, group_by=group_by,
        location_ids=location_ids,
    )  # fmt: skip
    return list(await conn.fetch(sql, *values))
