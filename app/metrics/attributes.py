"""`GET /v1/metrics/attributes`: which attribute keys the selection's events carry, and
what each holds (docs/metrics.md, "Attributes as dimensions").

One statement over the selection's raw rows: every (event, key) pair with a non-null
value (`jsonb_each`), aggregated per key: how many events carry it, whether its values
are numbers, booleans, strings or a mix, how many distinct values, the range and
quartiles of a numeric key and the most frequent values of any other; at most
`MAX_KEYS` keys, the most set first.
"""

from decimal import Decimal
from typing import Any

from app.db import Database
from app.metrics.schemas import AttributeReport
from app.selection.attributes import json_number
from app.selection.conditions import selected_rows
from app.selection.filters import Selection
from app.selection.snapshot import CUSTOM_PLANS, snapshot
from app.sql import Params

MAX_KEYS = 200  # keys listed in one answer
TOP_VALUES = 10  # most frequent values listed per key that is not numeric
QUARTILES = (0.25, 0.5, 0.75)


def report_sql(filters: Selection, max_keys: int) -> tuple[str, list[Any]]:
    """Rows (key, n, kind, numbers, texts, min, max, quartiles, keys, top_values,
    top_counts), the most set key first; `keys`: every key of the selection."""
    params = Params()
    pairs = selected_rows(
        filters, params, "CROSS JOIN LATERAL jsonb_each(e.attributes) AS a(key, value)"
    )
    sql = f"""
WITH pairs AS MATERIALIZED (
    SELECT a.key, a.value #>> '{{}}' AS text, jsonb_typeof(a.value) AS type,
           CASE WHEN jsonb_typeof(a.value) = 'number' THEN a.value::numeric END AS number
    {pairs} AND jsonb_typeof(a.value) <> 'null'
), keys AS (
    SELECT key, count(*) AS n,
           CASE WHEN bool_and(type = 'number') THEN 'numeric'
                WHEN bool_and(type = 'boolean') THEN 'boolean'
                WHEN bool_and(type = 'string') THEN 'text'
                ELSE 'mixed' END AS kind,
           count(DISTINCT number) AS numbers, count(DISTINCT text) AS texts,
           min(number) AS min, max(number) AS max,
           percentile_disc({params(list(QUARTILES), "::float8[]")})
               WITHIN GROUP (ORDER BY number) AS quartiles
    FROM pairs GROUP BY key
), listed AS (
    SELECT *, count(*) OVER () AS keys FROM keys
    ORDER BY n DESC, key COLLATE "C" LIMIT {params(max_keys)}
), tops AS (
    SELECT p.key, p.text, count(*) AS n,
           row_number() OVER (PARTITION BY p.key ORDER BY count(*) DESC, p.text COLLATE "C")
               AS rank
    FROM pairs p JOIN listed l ON l.key = p.key AND l.kind <> 'numeric'
    GROUP BY p.key, p.text
)
SELECT l.key, l.n, l.kind, l.numbers, l.texts, l.min, l.max, l.quartiles, l.keys,
       t.top_values, t.top_counts
FROM listed l
LEFT JOIN LATERAL (
    SELECT array_agg(t.text ORDER BY t.rank) AS top_values,
           array_agg(t.n ORDER BY t.rank) AS top_counts
    FROM tops t WHERE t.key = l.key AND t.rank <= {params(TOP_VALUES)}
) AS t ON l.kind <> 'numeric'
ORDER BY l.n DESC, l.key COLLATE "C"
"""
    return sql, params.values


def _number(value: Decimal | None) -> int | float | None:
    return None if value is None else json_number(value)


async def report(db: Database, filters: Selection, max_values: int) -> AttributeReport:
    sql, values = report_sql(filters, MAX_KEYS)
    async with db.connection() as conn, snapshot(conn):
        await conn.execute(CUSTOM_PLANS)
        records = await conn.fetch(sql, *values)
    profiles = []
    for r in records:
        numeric = r["kind"] == "numeric"
        distinct = r["numbers"] if numeric else r["texts"]
        profiles.append(
            {
                "key": r["key"], "n": r["n"], "kind": r["kind"], "distinct": distinct,
                "more_than_bound": distinct > max_values,
                "min": _number(r["min"]) if numeric else None,
                "max": _number(r["max"]) if numeric else None,
                "quartiles": [json_number(q) for q in r["quartiles"]] if numeric else None,
                "top": None if numeric else [
                    {"value": v, "n": n}
                    for v, n in zip(r["top_values"], r["top_counts"], strict=True)
                ],
            }
        )  # fmt: skip
    applied = {name: list(values) for name, values in filters.dimensions.items()}
    applied["respondent_type"] = list(filters.respondent_types)
    keys = records[0]["keys"] if records else 0
    return AttributeReport.model_validate(
        {
            **filters.window(),
            "filters": applied,
            "max_values": max_values,
            "max_keys": MAX_KEYS,
            "keys": keys,
            "more_keys": keys > MAX_KEYS,
            "attributes": profiles,
        }
    )
