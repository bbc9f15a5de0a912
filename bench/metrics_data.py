"""A year of generated feedback for the metrics benchmark, loaded by COPY.

    python -m bench.metrics_data --events 1000000 --seed 1 --database-url postgresql://...

What it makes (the same rows for the same --seed, --events and --end, whatever --jobs):

- 200 locations in 4 regions, one time zone each (emea Europe/Vienna, india
  Asia/Kolkata, americas America/New_York, apac Australia/Sydney), registered
  in `locations`. Volume per location is Zipf-skewed (weight 1/rank); a few
  locations serve worse and a few better than the rest.
- 2,000 employees, each working at one location (bigger locations have more).
- `--events` events over the 365 days before `--end`, with a local daily and
  weekly rhythm per location and a mild growth over the year, in time order
  (as they would have arrived).
- Every channel (pos, web, app, in_person, email, kiosk, phone, sms, chat,
  social, other), touchpoints per channel, staff named on staffed channels.
- 5 % employee respondents (eNPS pulse surveys), 3 % internal customers.
- NPS on about 80 % of events, CSAT 50 %, CES 30 %, SERVQUAL 10 %, skewed the
  way real answers are (NPS about +35 overall), correlated within an event.
- The idempotency ledger (`feedback_event_ids`) and contact rows, as ingest
  would have left them.

Fastest path: asyncpg `copy_records_to_table` in chunks, one process per core
generating and copying its own chunks; the ledger and contacts are then
filled by INSERT ... SELECT inside PostgreSQL, with the ledger's primary key
(and any secondary index of `feedback_events`) built once at the end instead
of row by row. Then VACUUM ANALYZE. The tables must be empty to start with.
"""

import argparse
import asyncio
import multiprocessing
import os
import random
import sys
import time
from bisect import bisect_right
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import asyncpg

from app.db import asyncpg_url, libpq_url
from app.feedback import partitions
from app.vocabulary import EVENT_COLUMNS

DAYS = 365
HOURS = DAYS * 24
DEFAULT_CHUNK = 50_000
LOCATION_COUNT = 200
EMPLOYEE_COUNT = 2_000
ZIPF_S = 1.0
TABLE = 1000  # resolution of the precomputed lookup tables (0.1 %)

# (region, time zone, number of locations, cities used for names)
REGIONS = (
    ("emea", "Europe/Vienna", 70, ("Vienna", "Graz", "Linz", "Munich", "Budapest", "Prague")),
    ("india", "Asia/Kolkata", 40, ("Mumbai", "Delhi", "Bengaluru", "Chennai", "Pune")),
    ("americas", "America/New_York", 60, ("New York", "Boston", "Toronto", "Miami", "Atlanta")),
    ("apac", "Australia/Sydney", 30, ("Sydney", "Melbourne", "Brisbane", "Canberra")),
)
LANGUAGES = {
    "emea": (("de", 50), ("en", 30), ("fr", 10), ("hu", 10)),
    "india": (("en", 70), ("hi", 30)),
    "americas": (("en", 80), ("es", 20)),
    "apac": (("en", 100),),
}

# Local rhythm: weight per hour of the day, per weekday (Monday first).
HOUR_WEIGHTS = (
    0.15, 0.08, 0.05, 0.05, 0.06, 0.12, 0.35, 0.8, 1.3, 1.6, 1.8, 1.9,
    2.0, 1.9, 1.8, 1.8, 1.9, 2.0, 2.0, 1.8, 1.4, 0.9, 0.5, 0.3,
)  # fmt: skip
DAY_WEIGHTS = (0.9, 0.95, 1.0, 1.0, 1.15, 1.3, 0.7)

CUSTOMER_CHANNELS = (
    ("pos", 24), ("web", 17), ("app", 14), ("in_person", 10), ("email", 9), ("kiosk", 6),
    ("phone", 6), ("sms", 5), ("chat", 5), ("social", 2), ("other", 2),
)  # fmt: skip
TOUCHPOINTS = {
    "pos": (("checkout", 70), ("returns", 15), ("loyalty_signup", 15)),
    "web": (("purchase", 45), ("delivery", 30), ("account", 10), ("support", 15)),
    "app": (("purchase", 40), ("delivery", 30), ("account", 15), ("support", 15)),
    "in_person": (("checkout", 40), ("advice", 35), ("returns", 15), ("pickup", 10)),
    "email": (("delivery", 50), ("support", 30), ("purchase", 20)),
    "kiosk": (("checkout", 60), ("pickup", 40)),
    "phone": (("support_call", 70), ("complaint", 20), ("order", 10)),
    "sms": (("delivery", 60), ("pickup", 40)),
    "chat": (("support", 80), ("order", 20)),
    "social": (("complaint", 60), ("support", 40)),
    "other": (("other", 100),),
}
# Share of events on a channel that name the employee who served.
STAFFED = {"pos": 0.95, "in_person": 0.9, "phone": 0.85, "chat": 0.8, "kiosk": 0.1}
EMPLOYEE_CHANNELS = (("email", 40), ("app", 30), ("web", 20), ("other", 10))
EMPLOYEE_TOUCHPOINTS = (("pulse_survey", 80), ("onboarding", 10), ("exit", 10))
INTERNAL_CHANNELS = (("email", 40), ("phone", 25), ("chat", 25), ("web", 10))
INTERNAL_TOUCHPOINTS = (
    ("it_helpdesk", 40),
    ("facilities", 25),
    ("payroll", 20),
    ("procurement", 15),
)
DEPARTMENTS = (
    ("dept-stores", 40), ("dept-logistics", 20), ("dept-sales", 20), ("dept-finance", 10),
    ("dept-hr", 10),
)  # fmt: skip
SEGMENTS = (("new", 35), ("silver", 30), ("b2b", 20), ("gold", 15))
SOURCES = (("search", 35), ("referral", 20), ("ad", 20), ("social", 15), ("walk_in", 10))
TAGS = ("checkout", "staff", "price", "wait_time", "cleanliness", "app", "delivery", "stock")
NEGATIVE_COMMENTS = (
    "Waited twenty minutes at the counter, nobody told us why.",
    "The app crashed twice while paying.",
    "Delivery came a day late and the box was damaged.",
    "Nobody could answer my question about the warranty.",
    "Shelves were half empty again.",
)
POSITIVE_COMMENTS = (
    "Quick and friendly checkout.",
    "Great advice from the staff.",
    "Clean store, easy to find everything.",
    "Delivery was early, thank you!",
    "The new app makes reordering painless.",
)

# Answer mixes by service tier (poor, normal, great): weights per score, lowest score first.
NPS_MIX = (
    (6, 3, 4, 5, 6, 9, 10, 14, 16, 12, 15),  # NPS about -16
    (2, 1, 1.5, 2, 2.5, 4.5, 6, 10, 17, 22, 31.5),  # about +34
    (1, 0.5, 0.5, 1, 1, 2, 3, 7, 15, 27, 42),  # about +60
)
ENPS_MIX = (
    (8, 4, 5, 6, 7, 10, 12, 16, 14, 8, 10),
    (4, 2, 3, 4, 5, 8, 11, 17, 18, 13, 15),  # staff are harder to please: about -9
    (2, 1, 2, 2, 3, 5, 8, 16, 21, 19, 21),
)
CSAT_MIX = ((14, 15, 21, 28, 22), (6, 8, 14, 34, 38), (2, 4, 9, 32, 53))
CES_MIX = (
    (10, 11, 14, 17, 19, 16, 13),
    (4, 5, 8, 13, 21, 26, 23),
    (2, 3, 5, 9, 18, 30, 33),
)
PERCEPTION_MIX = (
    (8, 10, 15, 20, 22, 16, 9),
    (3, 4, 8, 16, 26, 27, 16),
    (1, 2, 4, 10, 23, 34, 26),
)
EXPECTATION_MIX = (1, 1, 2, 6, 16, 34, 40)
SERVQUAL_DIMENSIONS = ("reliability", "responsiveness", "assurance", "tangibles", "empathy")
POOR, NORMAL, GREAT = 0, 1, 2
T = TypeVar("T")

# The columns this generator fills, in the order of its row tuples. Checked against the
# service's EVENT_COLUMNS at import, so a new column cannot be forgotten silently.
COLUMNS = (
    "event_id", "occurred_at", "received_at", "sent_at", "source_key_id", "channel",
    "touchpoint", "location_id", "employee_id", "respondent_id", "respondent_type", "segment",
    "acquisition_source", "nps", "csat", "ces",
    *(f"sq_{d}_{pe}" for d in SERVQUAL_DIMENSIONS for pe in ("p", "e")),
    "comment", "language", "tags", "attributes", "follow_up_requested", "has_contact",
)  # fmt: skip
if set(COLUMNS) != {name for name, _ in EVENT_COLUMNS}:
    raise RuntimeError(
        "bench/metrics_data.py is out of step with EVENT_COLUMNS: "
        f"{sorted(set(COLUMNS) ^ {name for name, _ in EVENT_COLUMNS})}"
    )
NO_SERVQUAL: tuple[None, ...] = (None,) * 10


def lookup(pairs: Sequence[tuple[T, float]]) -> tuple[T, ...]:
    """A TABLE-long tuple to draw from with `table[int(random() * TABLE)]`: the inverse
    CDF at the midpoints, so the values come out in their given order (scores ascending)."""
    total = sum(w for _, w in pairs)
    cumulative = list(accumulate(w / total for _, w in pairs))
    last = len(pairs) - 1
    return tuple(
        pairs[min(bisect_right(cumulative, (i + 0.5) / TABLE), last)][0] for i in range(TABLE)
    )


def score_tables(mix: Sequence[Sequence[float]], lowest: int) -> tuple[tuple[int, ...], ...]:
    return tuple(lookup(list(zip(range(lowest, lowest + len(w)), w, strict=True))) for w in mix)


@dataclass(frozen=True)
class Location:
    id: str
    name: str
    region: str
    timezone: str
    weight: float  # Zipf: 1 / rank
    tier: int
    employees: tuple[tuple[str, int], ...] = field(repr=False)  # (employee_id, tier)
    languages: tuple[str, ...] = field(repr=False)  # a lookup table


@dataclass
class World:
    """Everything a chunk needs to make its rows; rebuilt identically from (seed, end)."""

    seed: int
    end: datetime  # whole hour, UTC; events lie in [end - 365 days, end)
    start: datetime
    locations: list[Location]
    hour_cumulative: list[float]  # cumulative event weight of each hour of the year
    hour_zones: list[tuple[float, ...]]  # per hour: cumulative weight of each region
    zone_cumulative: list[list[float]]  # per region: cumulative weight of its locations
    zone_locations: list[list[Location]]
    tables: dict[str, tuple[Any, ...]] = field(default_factory=dict)

    @property
    def total(self) -> float:
        return self.hour_cumulative[-1]


def make_world(seed: int, end: datetime) -> World:
    rng = random.Random(seed)
    end = end.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    start = end - timedelta(days=DAYS)
    ranks = list(range(1, LOCATION_COUNT + 1))
    rng.shuffle(ranks)
    tiers = [NORMAL] * LOCATION_COUNT
    for i in rng.sample(range(LOCATION_COUNT), 30):  # 10 poor, 20 great
        tiers[i] = POOR if tiers.count(POOR) < 10 else GREAT
    raw: list[tuple[str, str, str, str, float, int]] = []  # id, name, region, zone, weight, tier
    for region, zone, count, cities in REGIONS:
        for j in range(count):
            n = len(raw)
            name = f"{cities[j % len(cities)]} #{j // len(cities) + 1}"
            raw.append((f"loc-{n + 1:03d}", name, region, zone, 1.0 / ranks[n] ** ZIPF_S, tiers[n]))
    # Employees: 2 per location, the rest in proportion to volume (largest remainder).
    total_weight = sum(r[4] for r in raw)
    spare = EMPLOYEE_COUNT - 2 * LOCATION_COUNT
    shares = [spare * r[4] / total_weight for r in raw]
    counts = [2 + int(s) for s in shares]
    by_remainder = sorted(
        range(LOCATION_COUNT), key=lambda i: shares[i] - int(shares[i]), reverse=True
    )
    for i in by_remainder[: EMPLOYEE_COUNT - sum(counts)]:
        counts[i] += 1
    locations: list[Location] = []
    emp = 0
    for (loc_id, name, region, zone, weight, tier), count in zip(raw, counts, strict=True):
        staff = []
        for _ in range(count):
            emp += 1
            r = rng.random()
            staff.append((f"emp-{emp:05d}", POOR if r < 0.08 else GREAT if r < 0.18 else NORMAL))
        languages = lookup(LANGUAGES[region])
        locations.append(
            Location(loc_id, name, region, zone, weight, tier, tuple(staff), languages)
        )

    zones = [ZoneInfo(zone) for _, zone, _, _ in REGIONS]
    zone_locations = [[loc for loc in locations if loc.region == region] for region, *_ in REGIONS]
    zone_weight = [sum(loc.weight for loc in group) for group in zone_locations]
    hour_zones: list[tuple[float, ...]] = []
    hour_weight: list[float] = []
    for h in range(HOURS):
        instant = start + timedelta(hours=h)
        weights = []
        for z, zone_info in enumerate(zones):
            local = instant.astimezone(zone_info)
            weights.append(zone_weight[z] * HOUR_WEIGHTS[local.hour] * DAY_WEIGHTS[local.weekday()])
        hour_zones.append(tuple(accumulate(weights)))
        hour_weight.append((0.85 + 0.3 * h / HOURS) * sum(weights))  # growth over the year
    world = World(
        seed=seed,
        end=end,
        start=start,
        locations=locations,
        hour_cumulative=list(accumulate(hour_weight)),
        hour_zones=hour_zones,
        zone_cumulative=[list(accumulate(loc.weight for loc in group)) for group in zone_locations],
        zone_locations=zone_locations,
    )
    t = world.tables
    t["customer_channel"] = lookup(CUSTOMER_CHANNELS)
    for channel, touchpoints in TOUCHPOINTS.items():
        t[f"touchpoint:{channel}"] = lookup(touchpoints)
    t["employee_channel"] = lookup(EMPLOYEE_CHANNELS)
    t["employee_touchpoint"] = lookup(EMPLOYEE_TOUCHPOINTS)
    t["internal_channel"] = lookup(INTERNAL_CHANNELS)
    t["internal_touchpoint"] = lookup(INTERNAL_TOUCHPOINTS)
    t["department"] = lookup(DEPARTMENTS)
    t["segment"] = lookup(SEGMENTS)
    t["source"] = lookup(SOURCES)
    # Seconds from the moment to its arrival: most within a minute, some devices hours offline.
    delays = [rng.randint(1, 30) for _ in range(600)] + [rng.randint(30, 600) for _ in range(250)]
    delays += [rng.randint(600, 7200) for _ in range(100)] + [
        rng.randint(7200, 172800) for _ in range(50)
    ]
    rng.shuffle(delays)
    t["delay"] = tuple(delays)
    t["tags"] = tuple(
        [] if i < 600 else [TAGS[i % len(TAGS)]] if i < 900 else [TAGS[i % 8], TAGS[(i // 8) % 8]]
        for i in range(TABLE)
    )
    t["attributes"] = tuple(
        "{}"
        if i < 700
        else f'{{"basket_size": {1 + i % 12}, "loyalty_member": {str(i % 3 == 0).lower()}}}'
        for i in range(TABLE)
    )
    return world


@dataclass(frozen=True)
class Scores:
    nps: tuple[tuple[int, ...], ...] = score_tables(NPS_MIX, 0)
    enps: tuple[tuple[int, ...], ...] = score_tables(ENPS_MIX, 0)
    csat: tuple[tuple[int, ...], ...] = score_tables(CSAT_MIX, 1)
    ces: tuple[tuple[int, ...], ...] = score_tables(CES_MIX, 1)
    perception: tuple[tuple[int, ...], ...] = score_tables(PERCEPTION_MIX, 1)
    expectation: tuple[int, ...] = score_tables((EXPECTATION_MIX,), 1)[0]


SCORES = Scores()


def chunk_count(events: int, chunk: int) -> int:
    return (events + chunk - 1) // chunk


def make_chunk(world: World, index: int, events: int, chunk: int) -> list[tuple[Any, ...]]:
    """Rows `index * chunk` up to the next chunk, sorted by occurred_at.

    Chunk k holds the k-th slice of the year's event distribution, so chunks
    follow each other in time, and each has its own random stream: any worker
    can make any chunk and the result is the same.
    """
    first = index * chunk
    last = min(events, first + chunk)
    rng = random.Random(world.seed * 1_000_003 + index + 1)
    rnd = rng.random
    lo, span = first / events * world.total, (last - first) / events * world.total
    positions = sorted(lo + span * rnd() for _ in range(last - first))
    t = world.tables
    cum, hour_zones = world.hour_cumulative, world.hour_zones
    zone_cum, zone_locs = world.zone_cumulative, world.zone_locations
    start_ts, end_ts = world.start.timestamp(), world.end.timestamp()
    from_ts = datetime.fromtimestamp
    customer_channel, delays = t["customer_channel"], t["delay"]
    tags_table, attributes_table = t["tags"], t["attributes"]
    segment_table, source_table = t["segment"], t["source"]
    nps_t, enps_t, csat_t, ces_t = SCORES.nps, SCORES.enps, SCORES.csat, SCORES.ces
    perc_t, exp_t = SCORES.perception, SCORES.expectation
    touch = {c: t[f"touchpoint:{c}"] for c in TOUCHPOINTS}
    rows: list[tuple[Any, ...]] = []
    append = rows.append
    for x in positions:
        h = bisect_right(cum, x)
        if h >= HOURS:
            h = HOURS - 1
        below = cum[h - 1] if h else 0.0
        seconds = int((h + (x - below) / (cum[h] - below)) * 3600)
        occurred_ts = start_ts + seconds
        zones = hour_zones[h]
        r = rnd() * zones[-1]
        z = 0 if r < zones[0] else 1 if r < zones[1] else 2 if r < zones[2] else 3
        group = zone_cum[z]
        loc = zone_locs[z][bisect_right(group, rnd() * group[-1])]
        received_ts = min(occurred_ts + delays[int(rnd() * TABLE)], end_ts)
        occurred = from_ts(occurred_ts, UTC)
        received = from_ts(received_ts, UTC)
        sent = received if rnd() < 0.15 else None
        event_id = f"{rng.getrandbits(128):032x}"
        mood = rnd()  # one latent satisfaction per event: its scores agree, mostly
        kind = rnd()
        employee_id = respondent_id = segment = source = comment = language = None
        nps = csat = ces = None
        servqual: tuple[int | None, ...] = NO_SERVQUAL
        follow_up = contact = False
        if kind < 0.05:  # employee pulse survey (eNPS): about the workplace, not a colleague
            respondent_type = "employee"
            channel = t["employee_channel"][int(rnd() * TABLE)]
            touchpoint = t["employee_touchpoint"][int(rnd() * TABLE)]
            respondent_id, tier = loc.employees[int(rnd() * len(loc.employees))]
            tier = min(tier, loc.tier) if loc.tier == POOR else tier
            nps = enps_t[tier][int((mood if rnd() < 0.7 else rnd()) * TABLE)]
            if rnd() < 0.1:
                comment = NEGATIVE_COMMENTS[0] if nps <= 6 else POSITIVE_COMMENTS[1]
                language = loc.languages[int(rnd() * TABLE)]
        else:
            if kind < 0.08:
                respondent_type = "internal"
                channel = t["internal_channel"][int(rnd() * TABLE)]
                touchpoint = t["internal_touchpoint"][int(rnd() * TABLE)]
                segment = t["department"][int(rnd() * TABLE)]
                tier = loc.tier
                if rnd() < 0.5:
                    employee_id, employee_tier = loc.employees[int(rnd() * len(loc.employees))]
                    tier = min(tier, employee_tier)
                nps_share, csat_share, ces_share, servqual_share = 0.5, 0.7, 0.4, 0.05
            else:
                respondent_type = "customer"
                channel = customer_channel[int(rnd() * TABLE)]
                touchpoint = touch[channel][int(rnd() * TABLE)]
                tier = loc.tier
                staffed = STAFFED.get(channel)
                if staffed is not None and rnd() < staffed:
                    employee_id, employee_tier = loc.employees[int(rnd() * len(loc.employees))]
                    if employee_tier != NORMAL:
                        tier = employee_tier if tier == NORMAL else min(tier, employee_tier)
                if rnd() < 0.45:
                    respondent_id = f"crm-{int(rnd() * 2_000_000):07d}"
                if rnd() < 0.35:
                    segment = segment_table[int(rnd() * TABLE)]
                if rnd() < 0.2:
                    source = source_table[int(rnd() * TABLE)]
                nps_share, csat_share, ces_share, servqual_share = 0.8, 0.5, 0.3, 0.1
            if rnd() < nps_share:
                nps = nps_t[tier][int((mood if rnd() < 0.7 else rnd()) * TABLE)]
            if rnd() < csat_share:
                csat = csat_t[tier][int((mood if rnd() < 0.7 else rnd()) * TABLE)]
            if rnd() < ces_share:
                ces = ces_t[tier][int((mood if rnd() < 0.6 else rnd()) * TABLE)]
            if rnd() < servqual_share:
                perc = perc_t[tier]
                values: list[int | None] = []
                for _ in SERVQUAL_DIMENSIONS:
                    if rnd() < 0.85:
                        values.append(perc[int((mood if rnd() < 0.6 else rnd()) * TABLE)])
                        values.append(exp_t[int(rnd() * TABLE)])
                    else:
                        values.extend((None, None))
                servqual = tuple(values)
            if nps is None and csat is None and ces is None and servqual is NO_SERVQUAL:
                csat = csat_t[tier][int(mood * TABLE)]  # the API demands a score or a comment
            unhappy = mood < 0.25
            if rnd() < (0.3 if unhappy else 0.12):
                pool = NEGATIVE_COMMENTS if unhappy else POSITIVE_COMMENTS
                comment = pool[int(rnd() * len(pool))]
                language = loc.languages[int(rnd() * TABLE)]
            if unhappy and rnd() < 0.15:
                follow_up = True
                contact = rnd() < 0.7
        append(
            (
                event_id, occurred, received, sent, None, channel, touchpoint, loc.id,
                employee_id, respondent_id, respondent_type, segment, source, nps, csat, ces,
                *servqual, comment, language, tags_table[int(rnd() * TABLE)],
                attributes_table[int(rnd() * TABLE)], follow_up, contact,
            )
        )  # fmt: skip
    return rows


# --- loading -----------------------------------------------------------------------------

_progress: Any = None  # a shared counter in worker processes (multiprocessing.Value)


def _init_worker(counter: Any) -> None:
    global _progress
    _progress = counter


async def copy_chunks(
    url: str, seed: int, end: datetime, events: int, chunk: int, indexes: Sequence[int]
) -> int:
    """Make and COPY the given chunks over one connection; returns the rows copied."""
    world = make_world(seed, end)
    conn = await asyncpg.connect(url)
    copied = 0
    try:
        await conn.execute("SET synchronous_commit = off")
        pending: asyncio.Task[str] | None = None
        for index in indexes:
            rows = make_chunk(world, index, events, chunk)
            if pending is not None:
                await pending
            # The next chunk is generated while PostgreSQL stores this one.
            pending = asyncio.ensure_future(
                conn.copy_records_to_table("feedback_events", records=rows, columns=COLUMNS)
            )
            copied += len(rows)
            if _progress is not None:
                with _progress.get_lock():
                    _progress.value += len(rows)
        if pending is not None:
            await pending
    finally:
        await conn.close()
    return copied


def _worker(url: str, seed: int, end: datetime, events: int, chunk: int, indexes: list[int]) -> int:
    return asyncio.run(copy_chunks(url, seed, end, events, chunk, indexes))


@dataclass
class LoadResult:
    events: int
    seconds: dict[str, float]  # per phase
    sizes: list[tuple[str, int, int, int]]  # (table, rows, total bytes, index bytes)

    @property
    def copy_rate(self) -> float:
        return self.events / self.seconds["copy"]

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())


async def table_sizes(conn: asyncpg.Connection) -> list[tuple[str, int, int, int]]:
    """Size of the raw tables, the location registry and any rollup table, biggest first."""
    records = await conn.fetch(
        """
        SELECT c.relname, c.reltuples::bigint AS rows, pg_total_relation_size(c.oid) AS total,
               pg_indexes_size(c.oid) AS indexes
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'm')
          AND (c.relname IN ('feedback_events', 'feedback_event_ids', 'feedback_contacts',
                             'locations') OR c.relname LIKE '%rollup%')
        ORDER BY 3 DESC
        """
    )
    return [
        (r["relname"], max(int(r["rows"]), 0), int(r["total"]), int(r["indexes"])) for r in records
    ]


async def register_locations(conn: asyncpg.Connection, world: World) -> None:
    await conn.executemany(
        """
        INSERT INTO locations (id, name, region, timezone) VALUES ($1, $2, $3, $4)
        ON CONFLICT (id) DO UPDATE
        SET name = excluded.name, region = excluded.region, timezone = excluded.timezone,
            updated_at = now()
        """,
        [(loc.id, loc.name, loc.region, loc.timezone) for loc in world.locations],
    )


async def _index_definitions(conn: asyncpg.Connection, table: str) -> list[tuple[str, str]]:
    """(name, CREATE INDEX ...) of the table's indexes that no constraint owns."""
    records = await conn.fetch(
        """
        SELECT i.relname, pg_get_indexdef(i.oid) AS definition
        FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
        WHERE x.indrelid = $1::regclass
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
        """,
        table,
    )
    return [(r["relname"], r["definition"]) for r in records]


async def load(
    url: str,
    events: int,
    seed: int = 1,
    end: datetime | None = None,
    jobs: int | None = None,
    chunk: int = DEFAULT_CHUNK,
) -> LoadResult:
    """Fill an empty, migrated database: locations, events, ledger, contacts; VACUUM ANALYZE."""
    end = end or datetime.now(UTC)
    jobs = max(1, min(jobs or os.cpu_count() or 1, chunk_count(events, chunk)))
    seconds: dict[str, float] = {}
    conn = await asyncpg.connect(url)
    try:
        for table in ("feedback_events", "feedback_event_ids", "feedback_contacts"):
            if await conn.fetchval(f"SELECT EXISTS (SELECT 1 FROM {table})"):
                raise RuntimeError(f"{table} is not empty: load into a fresh database")
        t0 = time.monotonic()
        world = make_world(seed, end)
        await register_locations(conn, world)
        # feedback_events is partitioned by month: a year before now needs its months.
        await partitions.ensure_range(conn, world.start, world.end)
        print(
            f"{len(world.locations)} locations, "
            f"{sum(len(loc.employees) for loc in world.locations)} "
            f"employees; events from {world.start:%Y-%m-%d %H:%M} to {world.end:%Y-%m-%d %H:%M} UTC"
        )
        # Indexes are built once at the end (a sort) instead of row by row. The events'
        # own primary key stays: its ids come in order, so its inserts are appends.
        later = await _index_definitions(conn, "feedback_events")
        for name, _ in later:
            await conn.execute(f'DROP INDEX "{name}"')
        ledger_pk = await conn.fetchrow(
            """
            SELECT conname, pg_get_constraintdef(oid) AS definition FROM pg_constraint
            WHERE conrelid = 'feedback_event_ids'::regclass AND contype = 'p'
            """
        )
        if ledger_pk:
            await conn.execute(
                f'ALTER TABLE feedback_event_ids DROP CONSTRAINT "{ledger_pk["conname"]}"'
            )
        seconds["prepare"] = time.monotonic() - t0

        t0 = time.monotonic()
        copied = await _copy_all(url, seed, world.end, events, chunk, jobs)
        seconds["copy"] = time.monotonic() - t0
        print(
            f"copied {copied:,} events in {seconds['copy']:.0f} s: "
            f"{copied / seconds['copy']:,.0f} rows/s ({jobs} processes)"
        )

        t0 = time.monotonic()
        await conn.execute("SET maintenance_work_mem = '1GB'")
        await conn.execute(
            """
            INSERT INTO feedback_event_ids (event_id, event_pk, occurred_at, body_hash)
            SELECT event_id, id, occurred_at, sha256(convert_to(event_id, 'UTF8'))
            FROM feedback_events
            """
        )
        await conn.execute(
            """
            INSERT INTO feedback_contacts (event_pk, occurred_at, name, email, phone)
            SELECT id, occurred_at, 'Alex Example', 'alex' || id || '@example.com',
                   CASE WHEN id % 3 = 0 THEN '+43 1 555 ' || lpad((id % 10000)::text, 4, '0') END
            FROM feedback_events WHERE has_contact
            """
        )
        seconds["ledger"] = time.monotonic() - t0
        t0 = time.monotonic()
        if ledger_pk:
            await conn.execute(
                f'ALTER TABLE feedback_event_ids ADD CONSTRAINT "{ledger_pk["conname"]}" '
                f"{ledger_pk['definition']}"
            )
        for _, definition in later:
            await conn.execute(definition)
        seconds["indexes"] = time.monotonic() - t0
        print(f"ledger and contacts {seconds['ledger']:.0f} s, indexes {seconds['indexes']:.0f} s")

        t0 = time.monotonic()
        for table in ("feedback_events", "feedback_event_ids", "feedback_contacts", "locations"):
            await conn.execute(f"VACUUM (ANALYZE) {table}")
        seconds["vacuum"] = time.monotonic() - t0
        print(f"VACUUM ANALYZE {seconds['vacuum']:.0f} s")
        sizes = await table_sizes(conn)
    finally:
        await conn.close()
    return LoadResult(copied, seconds, sizes)


async def _copy_all(url: str, seed: int, end: datetime, events: int, chunk: int, jobs: int) -> int:
    chunks = chunk_count(events, chunk)
    if jobs == 1:
        return await copy_chunks(url, seed, end, events, chunk, range(chunks))
    # spawn, not fork: the parent runs an event loop, and a forked copy of it misbehaves.
    context = multiprocessing.get_context("spawn")
    counter = context.Value("q", 0)
    loop = asyncio.get_running_loop()
    with ProcessPoolExecutor(
        jobs, mp_context=context, initializer=_init_worker, initargs=(counter,)
    ) as pool:
        futures = [
            loop.run_in_executor(
                pool, _worker, url, seed, end, events, chunk, list(range(j, chunks, jobs))
            )
            for j in range(jobs)
        ]
        started = time.monotonic()
        done = asyncio.gather(*futures)
        last = 0
        while True:
            try:
                result = await asyncio.wait_for(asyncio.shield(done), 10)
            except TimeoutError:
                now = counter.value
                elapsed = time.monotonic() - started
                print(
                    f"  {now:>12,} rows  {now / elapsed:9,.0f} rows/s  "
                    f"({(now - last) / 10:,.0f} in the last 10 s)"
                )
                last = now
                continue
            return sum(result)


def print_sizes(sizes: Sequence[tuple[str, int, int, int]]) -> None:
    for name, rows, total, indexes in sizes:
        print(
            f"  {name:24} {rows:>12,} rows  {total / 2**20:10,.1f} MiB "
            f"(indexes {indexes / 2**20:,.1f} MiB)"
        )


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="bench.metrics_data", description=__doc__.split("\n\n")[0])
    p.add_argument("--events", type=int, default=10_000_000, help="events to make (10,000,000)")
    p.add_argument("--seed", type=int, default=1, help="random seed (1)")
    p.add_argument(
        "--database-url",
        default=os.environ.get("FEEDBACK_DATABASE_URL"),
        help="database to fill (default $FEEDBACK_DATABASE_URL); its tables must be empty",
    )
    p.add_argument(
        "--end", type=datetime.fromisoformat, help="end of the year of data (default now)"
    )
    p.add_argument("--jobs", type=int, help="generating processes (default: one per CPU)")
    p.add_argument("--chunk", type=int, default=DEFAULT_CHUNK, help="rows per COPY (50,000)")
    p.add_argument("--migrate", action="store_true", help="run the migrations first")
    args = p.parse_args(argv)
    if not args.database_url:
        p.error("give --database-url or set FEEDBACK_DATABASE_URL")
    if args.events < 1 or args.chunk < 1:
        p.error("--events and --chunk must be positive")
    if args.end is not None and args.end.tzinfo is None:
        p.error("--end needs a UTC offset")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    url = asyncpg_url(args.database_url)
    if args.migrate:
        from app.cli import migrate

        migrate(url)
    result = asyncio.run(
        load(libpq_url(url), args.events, args.seed, args.end, args.jobs, args.chunk)
    )
    print(f"{result.events:,} events loaded in {result.total_seconds:.0f} s")
    print_sizes(result.sizes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
