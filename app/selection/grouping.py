"""How `group_by=attribute:<key>` groups a selection: as its data says.

One small statement over the selection's raw rows (its window and filters) reads what
the key holds: whether every non-null value is a JSON number, how many distinct
values there are, and, when they are wanted, the quantiles (what PostgreSQL's
`percentile_disc` gives), one scan grouped by value and the rest over the distinct
values, each part only when the decision needs it. Then:

- not every value a number: categorical, a group per text form (booleans `true` and
  `false`), at most `max_values` of them (else a 422 that says how many and how to
  narrow); `bins` is refused;
- numbers: into the explicit `bins`, into the selection's quantiles
  (`bins=quantiles:K`), by value (at most `max_values` distinct values, labels as
  `attributes.number_text`), or into quintiles beyond that.

Events without the key, or with null, are the null group. Run it in the snapshot of the
cells it groups (`resolved`), so both read the same rows.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from decimal import Decimal

import asyncpg

from app.errors import FieldError, ValidationFailed
from app.selection.attributes import (
    DEFAULT_QUANTILES,
    KEY,
    AttributeGrouping,
    BinRequest,
    attribute_key,
    json_value,
    numeric_value,
)
from app.selection.conditions import selected_rows
from app.selection.filters import Selection
from app.selection.snapshot import CUSTOM_PLANS, snapshot
from app.sql import Params


def _problem(
    message: str, detail: str, kind: str = "value_error", parameter: str = "group_by"
) -> ValidationFailed:
    return ValidationFailed(
        detail,
        errors=[FieldError(pointer="", loc=["query", parameter], type=kind, message=message)],
    )


def _values(filters: Selection, key: str, params: Params) -> str:
    """The selection's non-null values of the attribute: (text, number), number NULL for
    anything but a JSON number."""
    bound = params(key, "::text")
    value = json_value("e.attributes", bound)
    return (
        f"SELECT e.attributes ->> {bound} AS text, {numeric_value('e.attributes', bound)} "
        f"AS number\n{selected_rows(filters, params)} AND jsonb_typeof({value}) <> 'null'"
    )


def profile_sql(
    filters: Selection, key: str, bins: BinRequest | None, max_values: int
) -> tuple[str, list[object]]:
    """One row: `n` (events with a non-null value) and `others` (of them, not a JSON
    number); unless `bins` are explicit (which need nothing more), also `texts` (distinct
    text forms, for a key that is not numeric), `numbers` (distinct numbers, for a numeric
    key) and, when wanted, the quantiles as `targets` (the row numbers percentile_disc
    takes at the fractions of `bins=quantiles:K`, or of quintiles when there are more
    than `max_values` distinct numbers), `reached` and `edges` (see `quantile_edges`).

    One scan of the selection, grouped by value; the rest reads those distinct values
    only, each part when its CASE branch is taken (PostgreSQL evaluates a sub-select
    there only then)."""
    params = Params()
    values = _values(filters, key, params)
    if bins is not None and bins.method == "explicit":
        sql = (
            "SELECT count(*) AS n, count(*) FILTER (WHERE a.number IS NULL) AS others, "
            "NULL::bigint AS texts, NULL::bigint AS numbers, NULL::bigint[] AS targets, "
            f"NULL::bigint[] AS reached, NULL::numeric[] AS edges FROM ({values}) AS a"
        )
        return sql, params.values
    most = params(max_values)
    by_value = params(bins is None)
    request = bins if bins is not None else BinRequest("quantiles", quantiles=DEFAULT_QUANTILES)
    fractions = params(request.fractions, "::float8[]")
    sql = f"""
WITH g AS MATERIALIZED (
    SELECT a.text, a.number, count(*) AS n
    FROM ({values}) AS a
    GROUP BY 1, 2
), k AS MATERIALIZED (
    SELECT coalesce(sum(g.n), 0)::bigint AS n,
           coalesce(sum(g.n) FILTER (WHERE g.number IS NULL), 0)::bigint AS others
    FROM g
), numbers AS MATERIALIZED (
    -- in order, with the running count (equal numbers, 5 and 5.0, share theirs)
    SELECT g.number, sum(g.n) OVER w AS upto,
           g.number IS DISTINCT FROM lag(g.number) OVER w AS new
    FROM g WHERE g.number IS NOT NULL
    WINDOW w AS (ORDER BY g.number)
), counted AS MATERIALIZED (
    SELECT k.n, k.others,
           CASE WHEN k.others > 0 THEN (SELECT count(DISTINCT g.text) FROM g) END AS texts,
           CASE WHEN k.others = 0 THEN (SELECT count(*) FILTER (WHERE u.new) FROM numbers AS u)
           END AS numbers,
           ARRAY(SELECT ceil(f.f * k.n)::bigint FROM unnest({fractions}) AS f(f) ORDER BY 1)
               AS targets
    FROM k
), wanted AS MATERIALIZED (
    SELECT c.*, c.others = 0 AND c.n > 0 AND (NOT {by_value} OR c.numbers > {most}) AS binned
    FROM counted AS c
)
SELECT w.n, w.others, w.texts, w.numbers, w.targets, q.reached, q.edges
FROM wanted AS w
LEFT JOIN LATERAL (
    SELECT array_agg(b.reached ORDER BY b.reached) AS reached,
           array_agg(b.edge ORDER BY b.reached) AS edges
    FROM (
        SELECT width_bucket(u.upto, w.targets) AS reached, min(u.number) AS edge
        FROM numbers AS u WHERE w.binned GROUP BY 1
    ) AS b
) AS q ON true"""
    return sql, params.values


def quantile_edges(targets: list[int], reached: list[int], edges: list[Decimal]) -> list[Decimal]:
    """The quantiles, percentile_disc's way: for each fraction f (its target row
    ceil(f * n)), the first value whose running count reaches the target. `reached` is,
    per run of values, how many targets their running count reaches (width_bucket over
    the sorted targets), `edges` the first value of that run: the value of the j-th target
    is the first run that reaches j. Repeats dropped, ascending."""
    found = set()
    for j in range(1, len(targets) + 1):
        found.add(next(edge for count, edge in zip(reached, edges, strict=True) if count >= j))
    return sorted(found)


async def resolve(
    conn: asyncpg.Connection, filters: Selection, bins: BinRequest | None, max_values: int
) -> Selection:
    """`filters` with the grouping of its `attribute:<key>` group_by (unchanged for any
    other group_by). 422 for a categorical key with `bins` or too many values."""
    key = attribute_key(filters.group_by)
    if key is None:
        return filters
    if not KEY.fullmatch(key):
        raise _problem(
            "An attribute's key is 1 to 64 printable characters: attribute:<key>.",
            "Query parameter 'group_by' is not valid.",
        )
    await conn.execute(CUSTOM_PLANS)
    row = await conn.fetchrow(*_with_values(profile_sql(filters, key, bins, max_values)))
    if row["others"]:  # categorical
        if bins is not None:
            raise _problem(
                "bins groups numbers only.",
                f"bins needs a numeric attribute, and '{key}' holds other values than numbers "
                "in this selection: group it without bins, or filter it to its numbers.",
                parameter="bins",
            )
        if row["texts"] > max_values:
            count = row["texts"]
            raise _problem(
                f"At most {max_values} values.",
                f"group_by=attribute:{key} would give {count} groups: the selection has "
                f"{count} distinct values of '{key}', and at most {max_values} "
                "(FEEDBACK_MAX_ATTRIBUTE_VALUES) are grouped. Narrow the window or the "
                f"filters (e.g. attribute.{key}=...), or group by another dimension.",
                "too_many_values",
            )
        grouping = AttributeGrouping(key, "text")
    elif bins is not None and bins.method == "explicit":
        grouping = AttributeGrouping(key, "bins", "explicit", bins.edges)
    elif bins is None and row["numbers"] <= max_values:
        grouping = AttributeGrouping(key, "number")
    else:
        found = quantile_edges(row["targets"], row["reached"], row["edges"]) if row["n"] else []
        grouping = AttributeGrouping(key, "bins", "quantiles", tuple(found))
    return replace(filters, grouping=grouping)


def _with_values(statement: tuple[str, list[object]]) -> list[object]:
    sql, values = statement
    return [sql, *values]


@asynccontextmanager
async def resolved(
    conn: asyncpg.Connection, filters: Selection, bins: BinRequest | None, max_values: int
) -> AsyncIterator[Selection]:
    """`resolve` and, for an attribute group_by, one snapshot for it and the statements
    read inside (any other selection goes on as it is: no transaction added)."""
    if attribute_key(filters.group_by) is None:
        yield filters
        return
    async with snapshot(conn):
        yield await resolve(conn, filters, bins, max_values)
