"""How a metrics query splits its window between rollup rows and the raw table.

The window `[start, end)` is cut into spans:

- the whole local days of the request's zone, read from `day:<zone>` rows when
  that zone is rolled up and the buckets are days or longer (or there are none);
- whole UTC hours, read from `hour` rows when the cube keeps them and each hour
  falls in a single bucket: always when the span lies inside one local day
  (the partial days at the window's edges, or no buckets at all), otherwise
  only in zones whose UTC offset is a whole number of hours;
- everything else (the partial hours at the edges, or all of it) from the raw table.

Rows not yet rolled up (id above the watermark) inside the rolled spans are
read from the raw table as well; `app/metrics/queries.py` builds that SQL.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from app.rollups.cubes import Cube

Span = tuple[datetime, datetime]
HOUR = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class Plan:
    cube: Cube | None
    day: Span | None = None  # served by the cube's day rows of the request zone
    hours: tuple[Span, ...] = ()  # served by the cube's UTC hour rows
    raw: tuple[Span, ...] = ()  # read from the raw table in full

    @property
    def rolled(self) -> tuple[Span, ...]:
        """The spans served by rollup rows (their unrolled rows are read raw)."""
        return ((self.day,) if self.day else ()) + self.hours


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


def plan(
    *,
    start: datetime,
    end: datetime,
    cube: Cube | None,
    interval: str | None,
    zone: str,
    days: Span | None,
) -> Plan:
    """Cut [start, end) for a query on `cube` with buckets of `interval` in `zone`.

    `days` is (first local midnight at or after start, last local midnight at or
    before end) in `zone` when the zone's local days are rolled up, else None;
    the caller asks PostgreSQL for them so they match its `date_trunc` exactly.
    """
    if cube is None:
        return Plan(None, raw=((start, end),))
    day: Span | None = None
    edges: list[Span] = [(start, end)]
    if days is not None and interval != "hour" and days[0] < days[1]:
        day = days
        edges = [s for s in ((start, days[0]), (days[1], end)) if s[0] < s[1]]
    # An edge of a day span lies in one local day, so in one bucket of a day or longer.
    within_a_bucket = interval is None or (day is not None and interval != "hour")
    hours: list[Span] = []
    raw: list[Span] = []
    for edge in edges:
        if cube.hourly and (within_a_bucket or whole_hour_zone(zone, *edge)):
            whole, rest = _split_hours(edge)
            if whole:
                hours.append(whole)
            raw.extend(rest)
        else:
            raw.append(edge)
    return Plan(cube, day, tuple(hours), tuple(raw))
