"""The SQL conditions a selection puts on the event dimensions, with bound values only."""

from app.selection.attributes import AttributeGrouping, attribute_conditions, attribute_key
from app.selection.comments import GROUP_COLUMNS, insight_condition
from app.selection.filters import COMMENT_DIMENSIONS, Selection
from app.sql import Params

# The event's id in rows of each table a selection filters: the events themselves, and
# the follow-up cases (one per event). Rollup rows have none: no rollup keeps the
# comment dimensions or the attributes, so a selection on them never reads rollup rows.
EVENT_KEYS = {"e": "e.id", "f": "f.event_pk"}
# And its occurred_at, the partition key: a lookup by (id, occurred_at) reads one partition.
EVENT_TIMES = {"e": "e.occurred_at", "f": "f.occurred_at"}


def column(dimension: str, table: str) -> str:
    """The expression a dimension filters or groups on, for rows of `table` ("e" or "r").

    Two dimensions joined by "+" ("location_id+touchpoint") group on both: a text array.
    The comment dimensions need their joins (`comments.group_joins`); an attribute needs
    bound parameters (`group_column`).
    """
    if attribute_key(dimension) is not None:
        raise ValueError("an attribute is grouped on by group_column(), with its key bound")
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
        if attribute_key(dimension) is not None:
            continue  # below, all of them at once
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
    if any(attribute_key(d) is not None for d in filters.dimensions):
        clauses += _attribute_clauses(filters, params, table)
    return clauses


def _attribute_clauses(filters: Selection, params: Params, table: str) -> list[str]:
    """The attribute filters on rows of `table` (rows of the selection's window): on the
    event's own `attributes`, or for follow-up cases on their event's (by its primary
    key, in the window's partitions)."""
    if table == "e":
        return attribute_conditions(filters.dimensions, "e.attributes", params)
    if table not in EVENT_KEYS:
        raise ValueError(f"rows of {table!r} carry no event id to filter attributes by")
    conditions = attribute_conditions(filters.dimensions, "x.attributes", params)
    # The rows are those of the selection's window (cases by their event's occurred_at),
    # so their events are too: said as plain bounds, which prune the partitions outside
    # it whatever the join the planner picks (a hash join prunes none by the key alone).
    return [
        f"EXISTS (SELECT 1 FROM feedback_events x WHERE x.id = {EVENT_KEYS[table]} "
        f"AND x.occurred_at = {EVENT_TIMES[table]} AND x.occurred_at >= "
        f"{params(filters.start)} AND x.occurred_at < {params(filters.end)} "
        f"AND {' AND '.join(conditions)})"
    ]


def group_column(filters: Selection, group_by: str, table: str, params: Params) -> str:
    """The expression rows of `table` group on for `group_by`: `column()`, and for an
    attribute (event rows "e" only) its label as `filters.grouping` says (by the text form
    when there is none), with the key bound."""
    key = attribute_key(group_by)
    if key is None:
        return column(group_by, table)
    if table != "e":
        raise ValueError(f"rows of {table!r} carry no attributes to group on")
    grouping = filters.grouping
    if grouping is None or grouping.key != key:
        grouping = AttributeGrouping(key, "text")
    return grouping.expression("e.attributes", params)


def selected_rows(filters: Selection, params: Params, joins: str = "") -> str:
    """`FROM ... WHERE ...` of the raw events `e` a selection selects: its window and every
    dimension condition (the location registry joined for `region`), with `joins` added."""
    joined = ["feedback_events e"]
    if "region" in filters.dimensions:
        joined.append("LEFT JOIN locations l ON l.id = e.location_id")
    if joins:
        joined.append(joins)
    where = [
        f"e.occurred_at >= {params(filters.start)}",
        f"e.occurred_at < {params(filters.end)}",
        *dimension_conditions(filters, params, "e"),
    ]
    return f"FROM {' '.join(joined)}\nWHERE {' AND '.join(where)}"
