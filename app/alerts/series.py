"""The daily series the detector watches, read as of an instant.

Scopes read their local days in their own zone: a branch (and a branch's
channels, touchpoints and employees) in its registered location's zone, every
other scope (the chain, regions, channels, touchpoints, respondent types) in
the default zone. The scores come from the rollups through `fetch_cells` (exact:
rolled cells plus the raw rows not rolled up yet), so an evaluation counts what
is stored when it runs, late and backfilled events included. A replay
(`received_before`) reads the raw rows stored before each day's end instead.
The late share of follow-up cases comes from `app.follow_ups.lateness`.
"""

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg

from app.alerts.detect import EMPTY, Series, SeriesKey, Sums, minus
from app.alerts.rules import AlertRules
from app.follow_ups.lateness import daily_lateness
from app.rollups.aggregates import Aggregate, from_record, total
from app.rollups.cells import fetch_cells
from app.selection.filters import Selection
from app.vocabulary import RESPONDENT_TYPES, SERVQUAL_DIMENSIONS

FAMILY = {
    "nps": "nps", "csat": "csat", "ces": "ces",
    **{f"servqual_{d}_perception": "servqual" for d in SERVQUAL_DIMENSIONS},
}  # fmt: skip


def sums_of(metric: str, a: Aggregate) -> Sums:
    """One metric's per-answer sums from an aggregate (docs/alerts.md, "Scales")."""
    if metric == "nps":
        promoters, detractors = a.nps[9] + a.nps[10], sum(a.nps[:7])
        return Sums(sum(a.nps), 100.0 * (promoters - detractors), 1e4 * (promoters + detractors))
    if metric == "csat":
        satisfied = a.csat[3] + a.csat[4]
        return Sums(sum(a.csat), 100.0 * satisfied, 1e4 * satisfied)
    if metric == "ces":
        return Sums(
            sum(a.ces),
            float(sum((i + 1) * c for i, c in enumerate(a.ces))),
            float(sum((i + 1) ** 2 * c for i, c in enumerate(a.ces))),
        )
    d = a.servqual[metric.removeprefix("servqual_").removesuffix("_perception")]
    return Sums(d.n_p, float(d.sum_p), float(d.sum_p_sq))


@dataclass(frozen=True, slots=True)
class ScopeInfo:
    """What the service needs besides the days: the zone of the days, the location of the
    scope (branch-bound keys see only their branch's alerts) and the metrics filters
    that reproduce the figures."""

    zone: str
    location_id: str | None
    filters: tuple[tuple[str, str], ...]  # query parameters of /v1/metrics/summary


@dataclass(frozen=True, slots=True)
class Days:
    """The local days of one zone a round reads: `first` to `last`, and the window
    [start, end) of instants they cover (end: the instant of the evaluation)."""

    zone: str
    first: date
    last: date
    start: datetime
    end: datetime

    @classmethod
    def of(cls, zone: str, end: datetime, count: int) -> "Days":
        tz = ZoneInfo(zone)
        last = (end - timedelta(microseconds=1)).astimezone(tz).date()
        first = last - timedelta(days=count - 1)
        start = datetime.combine(first, time(), tz).astimezone(UTC)
        return cls(zone, first, last, start, end)

    def index(self, bucket: datetime) -> int:
        return (bucket.astimezone(ZoneInfo(self.zone)).date() - self.first).days


@dataclass
class Round:
    """Everything a round reads: series with their scope information."""

    series: list[Series]
    info: dict[SeriesKey, ScopeInfo]


Cells = dict[Any, list[Aggregate | None]]  # group -> aggregate per day (None: no answers)


def _midnight(day: date, zone: str) -> datetime:
    return datetime.combine(day, time(), ZoneInfo(zone)).astimezone(UTC)


def _group(record: asyncpg.Record, group_by: str | None) -> Any:
    group = record["grp"] if group_by else None
    return tuple(group) if isinstance(group, list) else group


class Replay:
    """A replay of days `first` to `last`: each query reads the raw rows of the whole
    replay once, keyed by the local day each event was stored, and every day sums what
    was stored by its end (late events count from the day they arrived)."""

    def __init__(self, first: date, last: date) -> None:
        self.first, self.last, self.day = first, last, first
        # (zone, group_by, filters) -> group -> occurred day -> [(stored day, aggregate)]
        self._loaded: dict[tuple[Any, ...], dict[Any, dict[date, list[tuple[date, Aggregate]]]]]
        self._loaded = {}

    async def cells(
        self,
        reader: "Reader",
        days: Days,
        group_by: str | None,
        dimensions: dict[str, tuple[str, ...]],
    ) -> Cells:
        key = (days.zone, group_by, tuple(sorted(dimensions.items())), reader.families)
        if key not in self._loaded:
            start = _midnight(self.first - timedelta(days=reader.count - 1), days.zone)
            filters = Selection(
                start=start, end=_midnight(self.last + timedelta(days=1), days.zone),
                tz=days.zone, dimensions=dimensions, metrics=reader.families,
            )  # fmt: skip
            records = await fetch_cells(
                reader.conn, filters, interval="day", group_by=group_by, by_received_day=True
            )
            zone = ZoneInfo(days.zone)
            loaded: dict[Any, dict[date, list[tuple[date, Aggregate]]]] = defaultdict(dict)
            for r in records:
                occurred = r["bucket"].astimezone(zone).date()
                stored = r["received"].astimezone(zone).date()
                aggregate = from_record(r, reader.families)
                loaded[_group(r, group_by)].setdefault(occurred, []).append((stored, aggregate))
            for by_day in loaded.values():  # what was known by each stored day: running sums
                for occurred, parts in by_day.items():
                    parts.sort(key=lambda part: part[0])
                    running = [parts[0]]
                    for stored, aggregate in parts[1:]:
                        running.append((stored, total([running[-1][1], aggregate])))
                    by_day[occurred] = running
            self._loaded[key] = loaded
        out: Cells = defaultdict(lambda: [None] * reader.count)
        for group, by_day in self._loaded[key].items():
            for occurred, running in by_day.items():
                i = (occurred - days.first).days
                if 0 <= i < reader.count and running[0][0] <= days.last:
                    known = bisect_right(running, days.last, key=lambda part: part[0])
                    out[group][i] = running[known - 1][1]
        return out


class Reader:
    """Reads the series of one round as of `end` (now, or a day's end for a replay)."""

    def __init__(
        self,
        conn: asyncpg.Connection,
        rules: AlertRules,
        *,
        default_zone: str,
        location_zones: Mapping[str, str],
        sla: timedelta,
        end: datetime | None = None,
        employee_min_n: int,
        replay: "Replay | None" = None,
        followed: Iterable[SeriesKey] = (),
    ) -> None:
        """As of `end` (live: the rollups, now), or, for a `replay` of a past day, as of
        that day's end in each zone, from the rows stored by then."""
        if (end is None) == (replay is None):
            raise ValueError("give either end or replay")
        self.conn, self.rules, self.sla, self.end, self.replay = conn, rules, sla, end, replay
        self.default_zone, self.employee_min_n = default_zone, employee_min_n
        self.location_zones = location_zones
        self.count = rules.baseline_days + rules.window_days
        self.families = tuple(sorted({FAMILY[m] for m in rules.watched_metrics() if m in FAMILY}))
        self.followed = set(followed)  # series of open alerts: read however few their answers

    def days(self, zone: str) -> Days:
        end = self.end
        if self.replay is not None:
            end = _midnight(self.replay.day + timedelta(days=1), zone)
        assert end is not None
        return Days.of(zone, end, self.count)

    async def _cells(
        self, days: Days, group_by: str | None, dimensions: dict[str, tuple[str, ...]]
    ) -> Cells:
        if self.replay is not None:
            return await self.replay.cells(self, days, group_by, dimensions)
        filters = Selection(
            start=days.start, end=days.end, tz=days.zone, dimensions=dimensions,
            metrics=self.families,
        )  # fmt: skip
        records = await fetch_cells(self.conn, filters, interval="day", group_by=group_by)
        out: Cells = defaultdict(lambda: [None] * self.count)
        for r in records:
            i = days.index(r["bucket"])
            if 0 <= i < self.count:
                out[_group(r, group_by)][i] = from_record(r, self.families)
        return out

    async def _lateness(
        self, days: Days, group_by: str | None, location_ids: list[str] | None
    ) -> dict[Any, list[Sums]]:
        rows = await daily_lateness(
            self.conn, zone=days.zone, start=days.start, end=days.end, as_of=days.end,
            sla=self.sla, group_by=group_by, location_ids=location_ids,
        )  # fmt: skip
        out: dict[Any, list[Sums]] = defaultdict(lambda: [EMPTY] * self.count)
        for r in rows:
            i = days.index(r["bucket"])
            if 0 <= i < self.count:
                late = r["late"]
                out[r["grp"] if group_by else None][i] = Sums(r["due"], 100.0 * late, 1e4 * late)
        return out

    async def read(self) -> Round:
        rules, dims = self.rules, set[str](self.rules.dimensions)
        metrics = [m for m in rules.watched_metrics() if m in FAMILY]
        late = "follow_up_late" in rules.watched_metrics()
        out = Round([], {})
        home = self.days(self.default_zone)
        # By the cells' identity; the memo holds the cells so that no other list takes it.
        memo: dict[tuple[str, int], tuple[list[Aggregate | None], tuple[Sums, ...]]] = {}

        def daily(metric: str, cells: list[Aggregate | None]) -> tuple[Sums, ...]:
            """The metric's sums per day (the rest of the chain's once per round)."""
            key = (metric, id(cells))
            if key not in memo:
                memo[key] = (
                    cells,
                    tuple(EMPTY if c is None else sums_of(metric, c) for c in cells),
                )
            return memo[key][1]

        def emit(
            key_dim: str,
            groups: Mapping[Any, list[Aggregate | None]],
            rest_of: Mapping[Any, list[Aggregate | None]] | None,
            days: Days,
            *,
            by_value: bool = False,  # the rest of a pair is the rest of its value (channel...)
        ) -> None:
            for group, cells in groups.items():
                if group is None:
                    continue
                if isinstance(group, tuple):
                    if None in group:
                        continue
                    location, value = group
                    conditions: tuple[tuple[str, str], ...] = (("location_id", location),)
                    rest_cells = (
                        None if rest_of is None else rest_of.get(value if by_value else None)
                    )
                else:
                    location = group if key_dim == "location_id" else None
                    value, conditions = group, ()
                    rest_cells = rest_of.get(None) if rest_of is not None else None
                filters = (*conditions, (key_dim, value))
                if key_dim == "respondent_type":
                    filters = (("respondent_type", value),)
                for metric in metrics:
                    mine = daily(metric, cells)
                    key: SeriesKey = (metric, key_dim, value, conditions)
                    if (
                        sum(d.n for d in mine) < self.rules.min_baseline_n
                        and key not in self.followed
                    ):
                        continue  # too few answers in all the days read for a baseline
                    rest = None
                    if rest_cells is not None:
                        rest = tuple(map(minus, daily(metric, rest_cells), mine))
                    floor = self.employee_min_n if key_dim == "employee_id" else 0
                    out.series.append(Series(key, days.first, mine, rest, floor))
                    out.info[key] = ScopeInfo(days.zone, location, filters)

        everyone: dict[str, tuple[str, ...]] = {"respondent_type": RESPONDENT_TYPES}
        chain = await self._cells(home, None, {})
        if "chain" in dims:
            for metric in metrics:
                mine = daily(metric, chain[None])
                key = (metric, "chain", None, ())
                out.series.append(Series(key, home.first, mine, None))
                out.info[key] = ScopeInfo(home.zone, None, ())
        for dim in ("region", "channel", "touchpoint"):
            if dim in dims:
                emit(dim, await self._cells(home, dim, {}), chain, home)
        if "respondent_type" in dims:
            emit(
                "respondent_type", await self._cells(home, "respondent_type", everyone), None, home
            )

        zones = sorted({*self.location_zones.values(), self.default_zone})
        for zone in zones:
            days = home if zone == self.default_zone else self.days(zone)
            if zone == self.default_zone:  # its own locations, and every one not registered
                branches = await self._cells(days, "location_id", {})
                ids = sorted(
                    g for g in branches
                    if g is not None and self.location_zones.get(g, zone) == zone
                )  # fmt: skip
            else:
                ids = sorted(i for i, z in self.location_zones.items() if z == zone)
                if not ids:
                    continue
                branches = await self._cells(days, "location_id", {"location_id": tuple(ids)})
            if not ids:
                continue
            where: dict[str, tuple[str, ...]] = {"location_id": tuple(ids)}
            zone_chain = chain if zone == self.default_zone else await self._cells(days, None, {})
            if "location_id" in dims:
                emit(
                    "location_id", {g: branches[g] for g in ids if g in branches}, zone_chain, days
                )
            for dim in ("channel", "touchpoint"):
                if f"location_id+{dim}" in dims:
                    totals = await self._cells(days, dim, {})
                    pairs = await self._cells(days, f"location_id+{dim}", where)
                    emit(dim, pairs, totals, days, by_value=True)
            if "employee_id" in dims:
                people = await self._cells(days, "location_id+employee_id", where)
                emit("employee_id", people, zone_chain, days)
        if late:
            await self._read_lateness(out, home, dims)
        return out

    async def _read_lateness(self, out: Round, home: Days, dims: set[str]) -> None:
        def add(key_dim: str, value: Any, days: Days, mine: list[Sums], rest: list[Sums] | None,
                location: str | None) -> None:  # fmt: skip
            key: SeriesKey = ("follow_up_late", key_dim, value, ())
            out.series.append(
                Series(key, days.first, tuple(mine),
                       None if rest is None else tuple(map(minus, rest, mine)))
            )  # fmt: skip
            filters = () if key_dim == "chain" else ((key_dim, value),)
            out.info[key] = ScopeInfo(days.zone, location, filters)

        chain = (await self._lateness(home, None, None))[None]
        if "chain" in dims:
            add("chain", None, home, chain, None, None)
        for dim in ("region", "channel", "touchpoint"):
            if dim in dims:
                for value, mine in (await self._lateness(home, dim, None)).items():
                    if value is not None:
                        add(dim, value, home, mine, chain, None)
        if "location_id" not in dims:
            return
        for zone in sorted({*self.location_zones.values(), self.default_zone}):
            days = home if zone == self.default_zone else self.days(zone)
            ids = sorted(i for i, z in self.location_zones.items() if z == zone)
            if zone != self.default_zone and not ids:
                continue
            zone_chain = chain if zone == self.default_zone else (
                await self._lateness(days, None, None))[None]  # fmt: skip
            groups = await self._lateness(
                days, "location_id", None if zone == self.default_zone else ids
            )
            for value, mine in groups.items():
                registered = self.location_zones.get(value)
                if value is None or (registered is not None and registered != zone):
                    continue
                add("location_id", value, days, mine, zone_chain, value)
