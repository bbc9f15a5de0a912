"""`GET /v1/metrics/themes`: what the comments of a selection are about (docs/metrics.md,
"Themes").

Per theme in force (app.text's defaults with the admin's, every one even when no
comment mentions it), per group: how many enriched comments of the selection mention
it, their share with a Wilson interval, their sentiment mix, the NPS (or CSAT) of
those who mention it against those who commented without mentioning it, and the
change of the share against the previous period; with `interval`, the share per
bucket. Two statements, in one snapshot: the themes in force, and one statement that
reads the enriched comments of both periods once and aggregates them per period and
group, per period, group and theme, and per bucket (with the buckets themselves).
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg

from app import stats
from app.db import Database
from app.metrics import answer_size
from app.metrics.schemas import Definition, ThemeReport
from app.metrics.service import DEFINITIONS, too_many_groups
from app.rollups.aggregates import FAMILIES
from app.rollups.queries import bucket_expression, buckets_sql
from app.selection.attributes import BinRequest
from app.selection.comments import INSIGHT_ALIAS, THEME_JOIN
from app.selection.conditions import dimension_conditions, group_column
from app.selection.filters import Selection
from app.selection.grouping import resolve
from app.selection.snapshot import CUSTOM_PLANS, snapshot
from app.sql import Params
from app.text.service import themes as themes_in_force
from app.text.themes import Theme
from app.vocabulary import SENTIMENTS

Z = "95 %"
THEME_DEFINITIONS = {
    "share": Definition(
        scale="enriched comments of the selection",
        formula="100 * mentions / comments",
        interval=f"Wilson score, {Z}",
    ),
    "difference": Definition(
        scale="points of the metric",
        formula="metric of those who mention the theme - metric of those whose enriched "
        "comment does not",
        interval=f"± z·√(se₁² + se₂²), unpooled, {Z}",
    ),
    "change": Definition(
        scale="percent points",
        formula="share - share in the previous period",
        interval=f"Newcombe hybrid score (1998, method 10), {Z}",
    ),
}


@dataclass(frozen=True, slots=True)
class Counts:
    """Comments (or the mentions of a theme among them) of one period and group."""

    n: int = 0
    histogram: tuple[int, ...] = ()  # of the metric's scores, lowest first
    sentiments: tuple[int, int, int] = (0, 0, 0)  # negative, neutral, positive


def statement(
    current: Selection, previous: Selection, metric: str, names: Sequence[str], interval: str | None
) -> tuple[str, list[Any]]:
    """The one statement of an answer: rows (part, period, bucket, grp, theme, n,
    negative, neutral, positive, the metric's histogram).

    `part`: `comments` per (period, group), `mentions` per (period, group, theme),
    with `interval` also `bucket_comments` per (bucket, group) and `bucket_mentions` per
    (bucket, group, theme) of the current period, and `bucket` for every bucket start.
    The enriched comments of both periods are read once (`base`); only themes in
    `names` are counted, each at most once per comment.
    """
    params = Params()
    # $1, $2 (and $3 with buckets) are the current window and zone, as buckets_sql() names them.
    start, end = params(current.start), params(current.end)
    if interval:
        params(current.tz)
    previous_start, previous_end = params(previous.start), params(previous.end)
    in_force = params(list(names), "::text[]")
    group_by = current.group_by
    grouped = [group_by] if group_by else []
    # An attribute groups by its label as `current.grouping` says (app/selection/grouping.py).
    grp = group_column(current, group_by, "e", params) if group_by else "NULL::text"
    joins = []
    if "region" in current.dimensions or "region" in grouped:
        joins.append("LEFT JOIN locations l ON l.id = e.location_id")
    if "tag" in grouped:
        joins.append("CROSS JOIN LATERAL unnest(e.tags) AS t(tag)")
    if "theme" in grouped:  # the insight itself is joined below: every row has one
        joins.append(THEME_JOIN)
    bucket = (
        f"CASE WHEN p.period = 0 THEN {bucket_expression(interval, current.tz)} END"
        if interval
        else "NULL::timestamptz"
    )
    histogram = FAMILIES[metric]
    counted = ", ".join(f"{sql} AS {name}" for name, sql in histogram)
    zeros = ", ".join(f"0 AS {name}" for name, _ in histogram)
    sentiments = ", ".join(
        f"(count(*) FILTER (WHERE b.sentiment = '{s}'))::int AS {s}" for s in SENTIMENTS
    )
    no_sentiments = ", ".join(f"0 AS {s}" for s in SENTIMENTS)
    mentioned = (
        f"CROSS JOIN LATERAL (SELECT DISTINCT u.theme FROM unnest(b.themes) AS u(theme) "
        f"WHERE u.theme = ANY({in_force})) AS m"
    )
    # Both windows again, as plain bounds: the join on `periods` prunes no partition of
    # the events; these prune all but the windows' months (tests/feedback/test_pruning.py).
    windows = (
        f"(e.occurred_at >= {start} AND e.occurred_at < {end} "
        f"OR e.occurred_at >= {previous_start} AND e.occurred_at < {previous_end})"
    )
    conditions = " AND ".join([windows, *dimension_conditions(current, params, "e")])
    parts = [
        f"SELECT 'comments' AS part, b.period, NULL::timestamptz AS bucket, b.grp, "
        f"NULL::text AS theme, count(*)::int AS n, {no_sentiments}, {counted}\n"
        f"FROM base b GROUP BY b.period, b.grp",
        f"SELECT 'mentions', b.period, NULL::timestamptz, b.grp, m.theme, count(*)::int, "
        f"{sentiments}, {counted}\nFROM base b {mentioned}\nGROUP BY b.period, b.grp, m.theme",
    ]
    if interval:
        parts += [
            f"SELECT 'bucket_comments', 0, b.bucket, b.grp, NULL::text, count(*)::int, "
            f"{no_sentiments}, {zeros}\nFROM base b WHERE b.period = 0 GROUP BY b.bucket, b.grp",
            f"SELECT 'bucket_mentions', 0, b.bucket, b.grp, m.theme, count(*)::int, "
            f"{no_sentiments}, {zeros}\nFROM base b {mentioned}\nWHERE b.period = 0\n"
            f"GROUP BY b.bucket, b.grp, m.theme",
            f"SELECT 'bucket', NULL, g.g, NULL, NULL, 0, {no_sentiments}, {zeros}\n"
            f"FROM ({buckets_sql(interval)}) AS g(g)",
        ]
    union = "\nUNION ALL\n".join(f"({p})" for p in parts)
    sql = f"""
WITH periods (period, s, t) AS (
    VALUES (0, {start}::timestamptz, {end}::timestamptz),
           (1, {previous_start}::timestamptz, {previous_end}::timestamptz)
), base AS MATERIALIZED (
    SELECT p.period, {bucket} AS bucket, {grp} AS grp, {INSIGHT_ALIAS}.themes,
           {INSIGHT_ALIAS}.sentiment, e.{metric} AS {metric}
    FROM periods p
    JOIN feedback_events e ON e.occurred_at >= p.s AND e.occurred_at < p.t
    JOIN comment_insights {INSIGHT_ALIAS} ON {INSIGHT_ALIAS}.event_pk = e.id
    {" ".join(joins)}
    WHERE {conditions}
)
{union}"""
    return sql, params.values


async def fetch(
    conn: asyncpg.Connection,
    current: Selection,
    previous: Selection,
    metric: str,
    interval: str | None,
    max_rows: int,
    bins: BinRequest | None,
    max_values: int,
) -> tuple[list[Theme], list[asyncpg.Record], Selection]:
    """The themes in force and the statement's rows, in one snapshot, and `current` with
    the grouping of an attribute group_by (read from the current window). A trend that
    could hold more than `max_rows` rows is refused before the statement, from the window."""
    async with snapshot(conn):
        await conn.execute(CUSTOM_PLANS)
        current = await resolve(conn, current, bins, max_values)
        theme_list = list(await themes_in_force(conn))
        if interval:
            most = answer_size.most_buckets(current.start, current.end, interval)
            answer_size.check_rows(most, 1, len(theme_list), max_rows, exact=False)
        sql, params = statement(current, previous, metric, [t.name for t in theme_list], interval)
        records: list[asyncpg.Record] = await conn.fetch(sql, *params)
    return theme_list, records, current


def _hide(filters: Selection, n: int) -> bool:
    """Per-employee figures from fewer than employee_min_n answers are not shown."""
    return filters.per_employee and n < filters.employee_min_n


def score_figure(
    metric: str, histogram: Sequence[int], filters: Selection
) -> tuple[dict[str, Any], float | None, float | None]:
    """The metric of a histogram as a figure, with the value and se its difference uses."""
    if metric == "nps":
        n, value, low, high, se = stats.nps_figure(histogram)
    else:
        share = stats.csat(histogram)
        n, value, low, high, se = share.n, share.value, share.ci_low, share.ci_high, share.se
    if _hide(filters, n):
        value = low = high = se = None
    figure = {
        "value": value, "n": n, "ci_low": low, "ci_high": high,
        "low_sample": stats.low_sample(n, filters.min_n),
    }  # fmt: skip
    return figure, value, se


def theme_row(
    filters: Selection,
    metric: str,
    group: Any,
    theme: Theme,
    comments: Counts,
    mentions: Counts,
    before: Counts,
    before_mentions: Counts,
) -> dict[str, Any]:
    """One theme in one group: share, sentiment mix, the metric with and without, change."""
    hidden = _hide(filters, comments.n)
    share = stats.share(mentions.n, comments.n)
    rated = sum(mentions.sentiments)
    mix: dict[str, Any] = {"n": rated}
    for name, count in zip(SENTIMENTS, mentions.sentiments, strict=True):
        mix[name] = None if hidden else count
    mix["none"] = None if hidden else mentions.n - rated
    for name, count in zip(SENTIMENTS, mentions.sentiments, strict=True):
        mix[f"{name}_share"] = None if hidden or not rated else 100 * count / rated
    without = tuple(a - b for a, b in zip(comments.histogram, mentions.histogram, strict=True))
    mentioning, value_with, se_with = score_figure(metric, mentions.histogram, filters)
    not_mentioning, value_without, se_without = score_figure(metric, without, filters)
    gap = stats.difference(value_with, se_with, value_without, se_without)
    change = stats.share_difference(mentions.n, comments.n, before_mentions.n, before.n)
    before_share = stats.share(before_mentions.n, before.n)
    change_hidden = hidden or _hide(filters, before.n)
    return {
        "group": group,
        "theme": theme.name,
        "label": theme.label,
        "comments": comments.n,
        "mentions": None if hidden else mentions.n,
        "share": None if hidden else share.value,
        "ci_low": None if hidden else share.ci_low,
        "ci_high": None if hidden else share.ci_high,
        "low_sample": stats.low_sample(comments.n, filters.min_n),
        "sentiment": mix,
        "mentioning": mentioning,
        "not_mentioning": not_mentioning,
        "difference": {
            "value": gap.value, "ci_low": gap.ci_low, "ci_high": gap.ci_high, "se": gap.se,
            "z": gap.z, "significant": gap.significant,
        },
        "change": {
            "previous_comments": before.n,
            "previous_mentions": None if change_hidden else before_mentions.n,
            "previous_share": None if change_hidden else before_share.value,
            "delta": None if change_hidden else change.value,
            "ci_low": None if change_hidden else change.ci_low,
            "ci_high": None if change_hidden else change.ci_high,
            "significant": None if change_hidden else change.significant,
            "low_sample": stats.low_sample(min(comments.n, before.n), filters.min_n),
        },
    }  # fmt: skip


def _counts(record: asyncpg.Record, metric: str) -> Counts:
    histogram = tuple(record[name] for name, _ in FAMILIES[metric])
    sentiments = (record["negative"], record["neutral"], record["positive"])
    return Counts(record["n"], histogram, sentiments)


def _group_order(group: Any) -> tuple[bool, str]:
    return group is None, "" if group is None else str(group)


async def report(
    db: Database,
    current: Selection,
    previous: Selection,
    *,
    metric: str,
    interval: str | None,
    max_groups: int,
    max_rows: int,
    bins: BinRequest | None,
    max_values: int,
) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]] | None]:
    """The answer's envelope (JSON-ready, without rows), its theme rows and, with
    `interval`, its trend rows, as plain dicts (`ThemeRow`, `ThemeTrendRow`)."""
    previous = replace(previous, group_by=current.group_by)
    async with db.connection() as conn:
        theme_list, records, current = await fetch(
            conn, current, previous, metric, interval, max_rows, bins, max_values
        )
    empty = Counts(histogram=(0,) * len(FAMILIES[metric]))
    comments: dict[tuple[int, Any], Counts] = {}
    mentions: dict[tuple[int, Any, str], Counts] = {}
    bucket_comments: dict[tuple[datetime, Any], int] = {}
    bucket_mentions: dict[tuple[datetime, Any, str], int] = defaultdict(int)
    starts: list[datetime] = []
    for r in records:
        part = r["part"]
        if part == "comments":
            comments[r["period"], r["grp"]] = _counts(r, metric)
        elif part == "mentions":
            mentions[r["period"], r["grp"], r["theme"]] = _counts(r, metric)
        elif part == "bucket_comments":
            bucket_comments[r["bucket"], r["grp"]] = r["n"]
        elif part == "bucket_mentions":
            bucket_mentions[r["bucket"], r["grp"], r["theme"]] = r["n"]
        else:
            starts.append(r["bucket"])
    groups: list[Any] = [None]
    if current.group_by:
        order = _group_order if current.grouping is None else current.grouping.sort_key()
        groups = sorted({g for period, g in comments if period == 0}, key=order)
        if len(groups) > max_groups:
            raise too_many_groups(len(groups), max_groups)
    answer_size.check_rows(1, len(groups), len(theme_list), max_rows, exact=True)
    rows = []
    for group in groups:
        now, before = comments.get((0, group), empty), comments.get((1, group), empty)
        found = [
            theme_row(
                current, metric, group, theme, now, mentions.get((0, group, theme.name), empty),
                before, mentions.get((1, group, theme.name), empty),
            )
            for theme in theme_list
        ]  # fmt: skip
        # The most mentioned first; ties in the order of the themes in force.
        found.sort(key=lambda row: -(row["mentions"] or 0))
        rows += found
    trend = None
    if interval:
        starts.sort()
        answer_size.check_rows(len(starts), len(groups), len(theme_list), max_rows, exact=True)
        zone = ZoneInfo(current.tz)
        trend = []
        for start in starts:
            label = start.astimezone(zone).isoformat()
            for group in groups:
                n = bucket_comments.get((start, group), 0)
                hidden = _hide(current, n)
                for theme in theme_list:
                    share = stats.share(bucket_mentions[start, group, theme.name], n)
                    trend.append(
                        {
                            "bucket_start": label, "group": group, "theme": theme.name,
                            "comments": n, "mentions": None if hidden else share.successes,
                            "share": None if hidden else share.value,
                            "ci_low": None if hidden else share.ci_low,
                            "ci_high": None if hidden else share.ci_high,
                            "low_sample": stats.low_sample(n, current.min_n),
                        }
                    )  # fmt: skip
    envelope = ThemeReport.model_validate(
        {
            **current.window(),
            "previous_from": previous.start,
            "previous_to": previous.end,
            "metric": metric,
            "group_by": current.group_by,
            "bins": None if current.grouping is None else current.grouping.answer(),
            "interval": interval,
            "min_n": current.min_n,
            "definitions": {**THEME_DEFINITIONS, "metric": DEFINITIONS[metric]},
            "rows": [],
            "trend": None,
        }
    ).model_dump(mode="json", by_alias=True)
    return envelope, rows, trend
