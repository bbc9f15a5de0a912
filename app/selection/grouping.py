"""How `group_by=attribute:<key>` groups a selection: as its data says.

One small statement over the selection's raw rows (its window and filters) reads what
the key holds: whether every non-null value is a JSON number, how many distinct
values there are, and, when they may be wanted, the quantiles (PostgreSQL's
`percentile_disc`). Then:

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


def profile_sql(filters: Selection, key: str, fractions: list[float]) -> tuple[str, list[object]]:
    """One row: `n` (events with a non-null value), `others` (of them, not a JSON
    number), `texts` and `numbers` (distinct text forms and distinct numbers) and
    `quantiles` (percentile_disc of the numbers at `fractions`; NULL without numbers)."""
    params = Params()
    bound = params(key, "::text")
    value = json_value("e.attributes", bound)
    sql = f"""
SELECT count(*) AS n,
       count(*) FILTER (WHERE a.number IS NULL) AS others,
       count(DISTINCT a.text) AS texts,
       count(DISTINCT a.number) AS numbers,
       percentile_disc({params(fractions, "::float8[]")}) WITHIN GROUP (ORDER BY a.number)
           AS quantiles
FROM (
    SELECT e.attributes ->> {bound} AS text, {numeric_value("e.attributes", bound)} AS number
    {selected_rows(filters, params)} AND jsonb_typeof({value}) <> 'null'
) AS a"""
    return sql, params.values


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
    wanted = bins is None or bins.method == "quantiles"
    request = bins if bins is not None else BinRequest("quantiles", quantiles=DEFAULT_QUANTILES)
    sql, values = profile_sql(filters, key, request.fractions if wanted else [])
    await conn.execute(CUSTOM_PLANS)
    row = await conn.fetchrow(sql, *values)
    if row["others"]:  # categorical
        if bins is not None:
            raise _problem(
                "bins groups numbers only.",
                f"bins needs a numeric attribute, and '{key}' holds other values than numbers "
                "in this selection: group it without bins, or filter it to its numbers.",
                parameter="bins",
            )
        if row["texts"] > max_values:
            raise _problem(
                f"At most {max_values} values.",
                f"group_by=attribute:{key} would give {row['texts']} groups: the selection "
                f"has {row['texts']} distinct values of '{key}', and at most {max_values} "
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
        found: list[Decimal] = sorted(set(row["quantiles"] or []))
        grouping = AttributeGrouping(key, "bins", "quantiles", tuple(found))
    return replace(filters, grouping=grouping)


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
