"""The SQL conditions a selection puts on the event dimensions, with bound values only."""

from app.selection.filters import Selection
from app.sql import Params


def column(dimension: str, table: str) -> str:
    """The expression a dimension filters or groups on, for rows of `table` ("e" or "r").

    Two dimensions joined by "+" ("location_id+touchpoint") group on both: a text array.
    """
    if "+" in dimension:
        return f"ARRAY[{', '.join(column(d, table) for d in dimension.split('+'))}]"
    if dimension == "region":
        return "l.region"  # from the location registry
    if dimension == "tag":
        return "t.tag"  # one row per tag (CROSS JOIN LATERAL unnest)
    return f"{table}.{dimension}"


def dimension_conditions(
    filters: Selection, params: Params, table: str, *, customers_by_default: bool = True
) -> list[str]:
    """Conditions on the dimensions (not the window) for rows of `table` ("e" or "r").

    Metrics count only customers unless `respondent_type` is given (docs/metrics.md);
    event lists pass `customers_by_default=False` and show every respondent type.
    """
    clauses = []
    if customers_by_default or "respondent_type" in filters.dimensions:
        types = list(filters.respondent_types)
        clauses.append(f"{table}.respondent_type = ANY({params(types, '::text[]')})")
    for dimension, values in filters.dimensions.items():
        if dimension == "respondent_type":
            continue
        if dimension == "tag":  # raw rows only: no rollup keeps tags
            clauses.append(f"{table}.tags && {params(list(values), '::text[]')}")
        else:
            values_list = params(list(values), "::text[]")
            clauses.append(f"{column(dimension, table)} = ANY({values_list})")
    return clauses
