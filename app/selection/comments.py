"""What the text enrichment derived from an event's comment, as selections read it.

`comment_insights` (written by app.text, one row per enriched comment, keyed by the
event's `id`) gives three dimensions: `theme` (a comment mentions zero or more, so an
event is in each of its themes' groups, like `tag`), `sentiment` and `language` (the
comment's resolved language). No rollup keeps them: a query on them reads raw rows.
The SQL here is the one place outside app.text that names that table.
"""

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from app.sql import Params

# The enriched comment of the event rows `e` (at most one: the key is the event's id).
INSIGHT_ALIAS = "ci"
INSIGHT_JOIN = f"LEFT JOIN comment_insights {INSIGHT_ALIAS} ON {INSIGHT_ALIAS}.event_pk = e.id"

# The expressions a comment dimension groups on, with INSIGHT_JOIN (and, for `theme`,
# THEME_JOIN: one row per theme of the comment; a comment without themes is in no group).
GROUP_COLUMNS = {
    "theme": "ct.theme",
    "sentiment": f"{INSIGHT_ALIAS}.sentiment",
    "language": f"{INSIGHT_ALIAS}.language",
}
THEME_JOIN = f"CROSS JOIN LATERAL (SELECT DISTINCT unnest({INSIGHT_ALIAS}.themes) AS theme) AS ct"

# The derived fields an event list or export shows, as `text` (null: not enriched): one
# column, an anonymous record (asyncpg gives a tuple), NULL for an event without one, so
# a row of an export carries one more value, not five.
TEXT_FIELDS = ("language", "sentiment", "sentiment_score", "themes", "key_phrases")
TEXT_COLUMN = (
    f"CASE WHEN {INSIGHT_ALIAS}.event_pk IS NOT NULL THEN "
    f"ROW({', '.join(f'{INSIGHT_ALIAS}.{name}' for name in TEXT_FIELDS)}) END AS text"
)


def group_joins(dimensions: Iterable[str]) -> list[str]:
    """The joins that grouping event rows `e` on these dimensions needs."""
    wanted = set(dimensions)
    joins = [INSIGHT_JOIN] if wanted & GROUP_COLUMNS.keys() else []
    if "theme" in wanted:
        joins.append(THEME_JOIN)
    return joins


def insight_condition(
    dimensions: Mapping[str, tuple[str, ...]], params: Params, event_pk: str
) -> str | None:
    """Events (by the id expression `event_pk`) whose enriched comment matches every
    comment dimension given: any of the themes, any of the sentiments, any of the
    languages. None when none is given. One probe of the key per event row."""
    clauses = []
    if "theme" in dimensions:  # served by the GIN index when it is the selective part
        clauses.append(f"x.themes && {params(list(dimensions['theme']), '::text[]')}")
    for name in ("sentiment", "language"):
        if name in dimensions:
            clauses.append(f"x.{name} = ANY({params(list(dimensions[name]), '::text[]')})")
    if not clauses:
        return None
    return (
        f"EXISTS (SELECT 1 FROM comment_insights x WHERE x.event_pk = {event_pk} "
        f"AND {' AND '.join(clauses)})"
    )


def text_of(value: Sequence[Any] | None) -> dict[str, Any] | None:
    """The `text` object of a TEXT_COLUMN value (null when not enriched)."""
    return None if value is None else dict(zip(TEXT_FIELDS, value, strict=True))
