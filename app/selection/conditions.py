"""The SQL conditions a selection puts on the event dimensions, with bound values only."""

from app.selection.comments import GROUP_COLUMNS, insight_condition
from app.selection.filters import COMMENT_DIMENSIONS, Selection
from app.sql import Params

# The event's id in rows of each table a selection filters: the events themselves, and
# the follow-up cases (one per event). Rollup rows have none: no rollup keeps the
# comment dimensions, so a selection on them never reads rollup rows.
EVENT_KEYS = {"e": "e.id", "f": "f.event_pk"}


def column(dimension: str, table: str) -> str:
    """The expression a dimension filters or groups on, for rows of `table` ("e" or "r").

    Two dimensions joined by "+" ("location_id+touchpoint") group on both: a text array.
    The comment dimensions need their joins (`comments.group_joins`).
    """
    if "+" in dimension:
        return f"ARRAY[{', '.join(column(d, table) for d in dimension.split('+'))}]"
    if dimension == "region":
        return "l.region"  # from the location registry
    if dimension == "tag":
        return "t.tag"  # one row per tag (CROSS JOIN LATERAL unnest)
    if dimension in GROUP_COLUMNS:
        return GROUP_COLUMNS[dimension]  # the event's enriched comment
    return f"{table}.{dimension}"


def dimension_conditions(
    filters: Selection, params: Params, table: str, *, customers_by_default: bool = True
) -> list[str]:
    """Conditions on the dimensions (not the window) for rows of `table` ("e", "r" or "f").

    Metrics count only customers unless `respondent_type` is given (docs/metrics.md);
    event lists pass `customers_by_default=False` and show every respondent type.
    """
    clauses = []
    if customers_by_default or "respondent_type" in filters.dimensions:
        types = list(filters.respondent_types)
        clauses.append(f"{table}.respondent_type = ANY({params(types, '::text[]')})")
    for dimension, values in filters.dimensions.items():
        if dimension == "respondent_type" or dimension in COMMENT_DIMENSIONS:
            continue
        if dimension == "tag":  # raw rows only: no rollup keeps tags
            clauses.append(f"{table}.tags && {params(list(values), '::text[]')}")
        else:
            values_list = params(list(values), "::text[]")
            clauses.append(f"{column(dimension, table)} = ANY({values_list})")
    if any(d in filters.dimensions for d in COMMENT_DIMENSIONS):
        if table not in EVENT_KEYS:
            raise ValueError(f"rows of {table!r} carry no event id to filter comments by")
        condition = insight_condition(filters.dimensions, params, EVENT_KEYS[table])
        if condition:
            clauses.append(condition)
    return clauses
