"""How a metrics query splits its window between rollup rows and the raw table.

The window `[start, end)` is cut into spans, coarsest first:

- whole local months of the request's zone, from `month` rows, when that zone
  is rolled up and the buckets are months, quarters or years (or there are none);
- whole local ISO weeks, from `week` rows, when the buckets are weeks (or there
  are none: then the weeks of what is left around the months);
- whole local days, from `day` rows, when the zone is rolled up and the buckets
  are days or longer (or there are none);
- whole UTC hours, from `hour` rows, when the cube keeps them and each hour
  falls in a single bucket: always in what is left after the days (it lies in
  one local day) or without buckets, otherwise only in zones whose UTC offset
  is a whole number of hours;
- everything else (the partial hours at the edges, or all of it) from the raw table.

The partial hour (or, for cubes without hours, the partial day) at the end of
the window may instead be read from its whole cell, minus the rolled-up raw
rows after `end` (`beyond`): when the window ends now or later, those are only
the few events dated up to a few minutes ahead, while the part before `end` is
everything that arrived since the hour (day) began, which a dashboard asking
about "until now" would otherwise aggregate raw on every read. For windows
ending in the past it is done when the part after `end` is the shorter one.

Rows not yet rolled up (id above the watermark) inside the rolled spans (up to
`end`) are read from the raw table as well; `app/rollups/queries.py` builds that SQL.

A query no cube serves (`cube` None: tags, the comment's theme, sentiment or language,
see `cubes.RAW_ONLY`, or dimensions no cube has together) reads its whole window raw.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from itertools import pairwise
from zoneinfo import ZoneInfo

from app.rollups.cubes import Cube

Span = tuple[datetime, datetime]
HOUR = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class Plan:
    cube: Cube | None
    month: Span | None = None  # served by the cube's month rows of the request zone
    weeks: tuple[Span, ...] = ()  # served by its week rows of the request zone
    days: tuple[Span, ...] = ()  # served by its day rows of the request zone
    hours: tuple[Span, ...] = ()  # served by its UTC hour rows
    raw: tuple[Span, ...] = ()  # read from the raw table in full
    beyond: tuple[Span, ...] = ()  # after `end`, inside a cell read: its rolled rows subtracted

    @property
    def rolled(self) -> tuple[Span, ...]:
        """The spans served by rollup rows (the last may reach past `end`)."""
        return ((self.month,) if self.month else ()) + self.weeks + self.days + self.hours

    @property
    def unrolled(self) -> tuple[Span, ...]:
        """Where rows not rolled up yet are read raw: the rolled spans, cut at `end`."""
        cuts = {b: a for a, b in self.beyond}  # a span that reaches past `end` ends a beyond
        return tuple((a, min(b, cuts.get(b, b))) for a, b in self.rolled)


@dataclass(frozen=True, slots=True)
class Calendar:
    """Local boundaries in the request zone where rollup cells may start and stop: the
    first day, week and month start at or after `start`, the last at or before `end`
    (the first instants of those days, weeks and months; see `calendar`)."""

    first_day: datetime
    last_day: datetime
    first_week: datetime
    last_week: datetime
    first_month: datetime
    last_month: datetime
    week_before_month: datetime  # the last week start at or before first_month
    week_after_month: datetime  # the first week start at or after last_month
    day_after_last: datetime  # the first instant of the day after last_day


def true_start(label: datetime, zone: str) -> datetime:
    """The first instant of the local day, week or month whose date_trunc label is `label`.

    The same instant, except where local midnight happens twice (America/Havana,
    2026-11-01, clocks go back from 01:00 to 00:00): PostgreSQL labels that day by the
    second midnight, so its cell also holds the hour before its label.
    """
    return label.astimezone(ZoneInfo(zone)).replace(fold=0).astimezone(UTC)


def calendar(state: Mapping[str, datetime], zone: str, start: datetime) -> Calendar:
    """The boundaries of `queries.STATE_SQL`'s labels, as first instants.

    Cells with labels in [a, b) hold exactly the events of [true_start(a), true_start(b)),
    so the plan cuts there. A first label whose day began before `start` (the window
    starts in the repeated hour, or at the second midnight) is skipped for the next one
    (`next_day`: the first label after `start` + 2 hours, longer than any clock change).
    """

    def first(label: datetime, after: datetime) -> datetime:
        at = true_start(label, zone)
        return at if at >= start else true_start(after, zone)

    return Calendar(
        first(state["first_day"], state["next_day"]),
        true_start(state["last_day"], zone),
        first(state["first_week"], state["next_week"]),
        true_start(state["last_week"], zone),
        first(state["first_month"], state["next_month"]),
        true_start(state["last_month"], zone),
        true_start(state["week_before_month"], zone),
        true_start(state["week_after_month"], zone),
        true_start(state["day_after_last"], zone),
    )


def _floor_hour(t: datetime) -> datetime:
    return t.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def _ceil_hour(t: datetime) -> datetime:
    floor = _floor_hour(t)
    return floor if floor == t else floor + HOUR


@lru_cache(maxsize=4096)
def _whole_hours_in_year(zone: str, year: int) -> bool:
    """Is the zone's UTC offset a whole number of hours all through this UTC year?

    Sampled every three hours: tz data has no offset that lasts less than that.
    """
    info = ZoneInfo(zone)
    t = datetime(year, 1, 1, tzinfo=UTC)
    stop = datetime(year + 1, 1, 1, tzinfo=UTC)
    while t < stop:
        offset = t.astimezone(info).utcoffset()
        if offset is None or offset % HOUR:
            return False
        t += timedelta(hours=3)
    return True


def whole_hour_zone(zone: str, start: datetime, end: datetime) -> bool:
    """UTC hours never straddle a bucket boundary of `zone` in [start, end)."""
    return all(
        _whole_hours_in_year(zone, year)
        for year in range(start.astimezone(UTC).year, end.astimezone(UTC).year + 1)
    )


def _split_hours(span: Span) -> tuple[Span | None, list[Span]]:
    """The whole UTC hours inside a span, and the partial hours around them."""
    start, end = span
    first, last = _ceil_hour(start), _floor_hour(end)
    if first >= last:
        return None, [span]
    return (first, last), [s for s in ((start, first), (last, end)) if s[0] < s[1]]


def _cut(span: Span, at: tuple[datetime, ...]) -> list[Span]:
    points = [span[0], *sorted(t for t in set(at) if span[0] < t < span[1]), span[1]]
    return list(pairwise(points))


def plan(
    *,
    start: datetime,
    end: datetime,
    cube: Cube | None,
    interval: str | None,
    zone: str,
    calendar: Calendar | None,
    open_end: bool = False,
) -> Plan:
    """Cut [start, end) for a query on `cube` with buckets of `interval` in `zone`.

    `calendar` is given when the zone's local days and weeks are rolled up;
    `open_end` when `end` is now or later (no rows after it but future-dated ones).
    """
    if cube is None:
        return Plan(None, raw=((start, end),))
    month: Span | None = None
    weeks: list[Span] = []
    days: list[Span] = []
    beyond: list[Span] = []
    edges: list[Span] = [(start, end)]
    if calendar is not None and interval != "hour":
        c = calendar
        if interval in (None, "month", "quarter", "year") and c.first_month < c.last_month:
            month = (c.first_month, c.last_month)
            edges = [s for s in ((start, month[0]), (month[1], end)) if s[0] < s[1]]
        if interval in (None, "week"):
            # Whole weeks (of the edges around the months, when there are months).
            candidates = (
                [(c.first_week, c.week_before_month), (c.week_after_month, c.last_week)]
                if month
                else [(c.first_week, c.last_week)]
            )
            weeks = [w for w in candidates if w[0] < w[1] and _inside(w, edges)]
            edges = [p for edge in edges for p in _cut(edge, _points(weeks)) if p not in weeks]
        whole = (c.first_day, c.last_day)
        # Cut every edge at its midnights: whole days go to day rows, and what is
        # left lies within one local day, so within one bucket.
        pieces = [p for edge in edges for p in _cut(edge, whole)]
        days = [p for p in pieces if whole[0] <= p[0] and p[1] <= whole[1]]
        edges = [p for p in pieces if p not in days]
        today = (c.last_day, end)  # the last day so far, one bucket: its day cell less beyond
        if not cube.hourly and today in edges and _from_cell(today, c.day_after_last, open_end):
            edges.remove(today)
            days.append((c.last_day, c.day_after_last))
            beyond.append((end, c.day_after_last))
        within_a_bucket = True
    else:
        within_a_bucket = interval is None
    hours: list[Span] = []
    raw: list[Span] = []
    for edge in edges:
        if cube.hourly and (within_a_bucket or whole_hour_zone(zone, *edge)):
            whole_hours, rest = _split_hours(edge)
            if whole_hours:
                hours.append(whole_hours)
            last = (_floor_hour(end), _ceil_hour(end))
            if (
                rest
                and rest[-1] == (last[0], end)
                and _from_cell(rest[-1], last[1], open_end)
                and (interval is None or whole_hour_zone(zone, *last))  # one bucket
            ):
                rest.pop()
                hours.append(last)
                beyond.append((end, last[1]))
            raw.extend(rest)
        else:
            raw.append(edge)
    return Plan(cube, month, tuple(weeks), tuple(days), tuple(hours), tuple(raw), tuple(beyond))


def _from_cell(part: Span, cell_end: datetime, open_end: bool) -> bool:
    """Read `part` (the start of a cell up to `end`) as the cell less [end, cell_end)?"""
    return open_end or cell_end - part[1] < part[1] - part[0]


def _inside(span: Span, edges: list[Span]) -> bool:
    return any(a <= span[0] and span[1] <= b for a, b in edges)


def _points(spans: list[Span]) -> tuple[datetime, ...]:
    return tuple(t for span in spans for t in span)
