"""The demo's feedback events, drawn from the chain (`app/demo/chain.py`). Pure, no I/O.

Each branch's day draws from its own `random.Random` seeded by (seed, branch,
day), and the people (employees' skill, customers' mood) from one seeded by
`seed`: the same seed, end and size give the same events, byte for byte, in
whatever order or process the days are generated, and event ids name their
branch and local day (`demo-1-lis-03-20261012-0042`). Each event is what a
client would POST (a dict for `FeedbackIn`), with the moment it reached the
service (`received_at`: at once from a till or an app, hours later from an
e-mail survey).

The model: a latent satisfaction per answer, z = branch quality + channel +
touchpoint + the serving employee's skill + the customer's mood + the dip +
noise (about N(0, 1)); NPS, CSAT, CES and SERVQUAL perceptions are read off z,
so they move together as real answers do.
"""

import math
import random
from bisect import bisect
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from app.demo import chain
from app.demo.chain import Branch
from app.vocabulary import SERVQUAL_DIMENSIONS

EVENTS_PER_DAY = 600  # customers of the whole chain at --scale 1: 120,000 events in 180 days
MIN_DAYS = 7 * (chain.DIP_WEEKS + chain.DIP_ENDS_WEEKS_BEFORE_END + 6)  # 6 weeks before the dip
EVENT_ID_PREFIX = "demo-"
INTERNAL_SHARE = 0.03  # of the chain's traffic: store staff rating central services
PULSE_EVERY_DAYS = 14  # the eNPS pulse survey, every other Tuesday
PULSE_RESPONSE = 0.75

DIMENSION_EFFECT = {"reliability": 0.0, "responsiveness": -0.2, "assurance": 0.1,
                    "tangibles": 0.3, "empathy": 0.05}  # fmt: skip
DIP_DIMENSION_EFFECT = {"reliability": -0.4, "responsiveness": -0.7}


@dataclass(frozen=True, slots=True)
class Spec:
    """What to generate: `days` of feedback ending at `end`, `scale` times the default volume."""

    seed: int
    end: datetime
    days: int = 180
    scale: float = 1.0

    def __post_init__(self) -> None:
        if self.end.tzinfo is None:
            raise ValueError("end needs a time zone")
        if self.days < MIN_DAYS:
            raise ValueError(
                f"--days must be at least {MIN_DAYS} (the dip and the weeks around it)"
            )
        if not 0 < self.scale <= 20:
            raise ValueError("--scale must be more than 0 and at most 20")

    @property
    def start(self) -> datetime:
        return self.end - timedelta(days=self.days)


@dataclass(frozen=True, slots=True)
class Dip:
    """The service dip: local dates [start, end) at one branch, Monday to Monday."""

    branch: Branch
    start: date
    end: date

    def covers(self, branch: Branch, day: date) -> bool:
        return branch.id == self.branch.id and self.start <= day < self.end


def dip_of(spec: Spec) -> Dip:
    branch = branch_by_id(chain.DIP_BRANCH)
    last = spec.end.astimezone(ZoneInfo(branch.timezone)).date()
    monday = last - timedelta(days=last.weekday())
    end = monday - timedelta(weeks=chain.DIP_ENDS_WEEKS_BEFORE_END)
    return Dip(branch, end - timedelta(weeks=chain.DIP_WEEKS), end)


def branch_by_id(branch_id: str) -> Branch:
    return next(b for b in chain.BRANCHES if b.id == branch_id)


def employee_ids(branch: Branch) -> list[str]:
    return [f"{branch.id}-emp{k:02d}" for k in range(1, branch.staff + 1)]


@dataclass(frozen=True, slots=True)
class Event:
    body: dict[str, Any]  # as a client would POST it (FeedbackIn)
    received_at: datetime


@dataclass(slots=True)
class _People:
    """Per branch: the serving employees' skill and the known customers' mood and segment."""

    skill: dict[str, list[float]] = field(default_factory=dict)
    mood: dict[str, list[float]] = field(default_factory=dict)
    segment: dict[str, list[str]] = field(default_factory=dict)


def _clamp(value: float, low: int, high: int) -> int:
    return max(low, min(high, round(value)))


def _weighted(rng: random.Random, items: list[Any], cumulative: list[float]) -> Any:
    return items[bisect(cumulative, rng.random() * cumulative[-1])]


def _count(rng: random.Random, expected: float) -> int:
    """A Poisson-like daily count (normal approximation, never negative)."""
    return max(0, round(rng.gauss(expected, math.sqrt(expected)))) if expected > 0 else 0


class Generator:
    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.rng = random.Random(f"{spec.seed}/people")
        self.dip = dip_of(spec)
        self.start = spec.start
        self.first_day = spec.start.date()
        self.prefix = ""
        self.next_id = 0
        total_weight = sum(b.weight for b in chain.BRANCHES)
        self.per_day = {
            b.id: EVENTS_PER_DAY * spec.scale * b.weight / total_weight for b in chain.BRANCHES
        }
        self.channels = list(chain.CHANNELS)
        self.channel_cum = _cumulative([c[1] for c in chain.CHANNELS])
        self.online = [c for c in chain.CHANNELS if c[0] in chain.ONLINE_CHANNELS]
        self.online_cum = _cumulative([c[1] for c in self.online])
        self.store_hours = {
            b.id: [h for h in chain.STORE_HOURS if b.open_hour <= h < b.close_hour]
            for b in chain.BRANCHES
        }
        self.store_cum = {
            bid: _cumulative([chain.STORE_HOURS[h] for h in hours])
            for bid, hours in self.store_hours.items()
        }
        self.online_hour_cum = _cumulative(list(chain.ONLINE_HOURS))
        self.segments = [s for s, _ in chain.SEGMENTS]
        self.segment_cum = _cumulative([w for _, w in chain.SEGMENTS])
        self.people = self._people()

    def _id(self) -> str:
        self.next_id += 1
        return f"{self.prefix}{self.next_id:04d}"

    def _people(self) -> _People:
        people = _People()
        for b in chain.BRANCHES:
            skill = [self.rng.gauss(0, 0.25) for _ in range(b.staff)]
            skill[0], skill[-1] = 0.6, -0.6  # every branch has its star and a newcomer
            people.skill[b.id] = skill
            pool = max(50, round(self.per_day[b.id] * self.spec.days * 0.55 / 3))  # ~3 each
            people.mood[b.id] = [self.rng.gauss(0, 0.45) for _ in range(pool)]
            people.segment[b.id] = [
                _weighted(self.rng, self.segments, self.segment_cum) for _ in range(pool)
            ]
        return people

    def days(self) -> list[tuple[str, date]]:
        """Every (branch, local day) that has events, in time order."""
        first = self.first_day - timedelta(days=1)
        return [
            (branch.id, first + timedelta(days=offset))
            for offset in range(self.spec.days + 2)
            for branch in chain.BRANCHES
        ]

    def events(self, days: list[tuple[str, date]] | None = None) -> Iterator[Event]:
        """The events of `days` (default: all), each branch's local days, within the span."""
        for branch_id, day in self.days() if days is None else days:
            yield from self.day(branch_by_id(branch_id), day)

    def day(self, branch: Branch, day: date) -> Iterator[Event]:
        """One branch's local day: its own random stream and event ids."""
        spec = self.spec
        rng = self.rng = random.Random(f"{spec.seed}/{branch.id}/{day.isoformat()}")
        self.prefix = f"{EVENT_ID_PREFIX}{spec.seed}-{branch.id}-{day:%Y%m%d}-"
        self.next_id = 0
        zone = ZoneInfo(branch.timezone)
        growth = 1 + 0.15 * (day - self.first_day).days / spec.days
        expected = self.per_day[branch.id] * chain.WEEKDAY[day.weekday()] * growth
        store_open = not (branch.closed_on_sunday and day.weekday() == 6)
        dip = self.dip.covers(branch, day)
        for _ in range(_count(rng, expected)):
            if store_open:
                channel = _weighted(rng, self.channels, self.channel_cum)
            else:
                channel = _weighted(rng, self.online, self.online_cum)
            name = channel[0]
            if name in chain.ONLINE_CHANNELS:
                hour = _weighted(rng, list(range(24)), self.online_hour_cum)
            else:
                hour = _weighted(rng, self.store_hours[branch.id], self.store_cum[branch.id])
            at = _local(day, hour, rng.random(), zone)
            event = self._customer(branch, channel, at, day, dip)
            if event is not None:
                yield event
        for _ in range(_count(rng, expected * INTERNAL_SHARE)):
            at = _local(day, rng.randint(9, 17), rng.random(), zone)
            event = self._internal(branch, at, dip)
            if event is not None:
                yield event
        if day.weekday() == 1 and day.toordinal() // 7 % (PULSE_EVERY_DAYS // 7) == 0:
            for _ in range(branch.staff):
                if rng.random() < PULSE_RESPONSE:
                    at = _local(day, rng.randint(9, 18), rng.random(), zone)
                    event = self._pulse(branch, at, dip)
                    if event is not None:
                        yield event

    def _keep(self, occurred: datetime, received: datetime) -> bool:
        return self.start <= occurred and received <= self.spec.end

    def _customer(
        self,
        branch: Branch,
        channel: tuple[str, float, tuple[str, ...], bool, float],
        occurred: datetime,
        day: date,
        dip: bool,
    ) -> Event | None:
        rng = self.rng
        name, _, touchpoints, staffed, known_share = channel
        received = occurred + _delay(rng, name)
        if not self._keep(occurred, received):
            return None
        touchpoint = touchpoints[0] if len(touchpoints) == 1 else rng.choice(touchpoints)
        body: dict[str, Any] = {
            "event_id": self._id(),
            "occurred_at": occurred,
            "channel": name,
            "touchpoint": touchpoint,
            "location_id": branch.id,
        }
        z = branch.quality + chain.CHANNEL_EFFECT[name] + chain.TOUCHPOINT_EFFECT[touchpoint]
        z += 0.1 * (day - self.first_day).days / self.spec.days  # a slow improvement
        if staffed:
            k = rng.randrange(branch.staff)
            body["employee_id"] = f"{branch.id}-emp{k + 1:02d}"
            z += self.people.skill[branch.id][k]
        if rng.random() < known_share:
            k = rng.randrange(len(self.people.mood[branch.id]))
            body["respondent"] = {
                "id": f"cust-{branch.id}-{k:05d}",
                "segment": self.people.segment[branch.id][k],
            }
            z += self.people.mood[branch.id][k]
        if name in ("web", "app") and rng.random() < 0.4:
            body["acquisition_source"] = rng.choice(chain.ACQUISITION)
        if dip:
            z += chain.DIP_EFFECT
        z += rng.gauss(0, 1)
        surveyed = name in ("email", "sms")
        if rng.random() < 0.8:
            body["nps"] = customer_nps(z)
        if rng.random() < (0.9 if surveyed else 0.5):
            body["csat"] = customer_csat(z + rng.gauss(0, 0.6))
        if rng.random() < (0.85 if touchpoint in chain.EFFORT_TOUCHPOINTS else 0.2):
            body["ces"] = _clamp(5.2 + 1.2 * (0.7 * z + rng.gauss(0, 0.7)) - 0.4 * dip, 1, 7)
        if rng.random() < (0.35 if name == "email" else 0.02):
            body["servqual"] = self._servqual(z, dip)
        if not any(k in body for k in ("nps", "csat", "servqual")):
            body["csat"] = customer_csat(z + rng.gauss(0, 0.6))
        unhappy = body.get("nps", 10) <= 6 or body.get("csat", 5) <= 2
        mood = "bad" if unhappy or z < -0.8 else "good" if z > 0.5 else "meh"
        if rng.random() < (0.45 if mood == "bad" else 0.2):
            self._comment(body, branch, mood, dip)
        if unhappy and rng.random() < 0.3:
            body["follow_up_requested"] = True
            if rng.random() < 0.85:
                body["contact"] = self._contact()
        return Event(body, received)

    def _servqual(self, z: float, dip: bool) -> dict[str, Any]:
        rng = self.rng
        standard = rng.gauss(0, 0.6)  # how demanding this respondent is
        out = {}
        for d in SERVQUAL_DIMENSIONS:
            if rng.random() < 0.92:
                effect = DIMENSION_EFFECT[d] + (DIP_DIMENSION_EFFECT.get(d, 0.0) if dip else 0.0)
                out[d] = {
                    "perception": _clamp(5.4 + 0.9 * z + effect + rng.gauss(0, 0.6), 1, 7),
                    "expectation": _clamp(6.0 + 0.6 * standard + rng.gauss(0, 0.5), 1, 7),
                }
        return out or {"reliability": {"perception": _clamp(5.4 + 0.9 * z, 1, 7)}}

    def _comment(self, body: dict[str, Any], branch: Branch, mood: str, dip: bool) -> None:
        rng = self.rng
        language = branch.language
        roll = rng.random()
        if roll < 0.2:
            language = "en"  # tourists and expats
        elif branch.id == "nyc-04" and roll < 0.32:
            language = "es-US"
        pool = chain.COMMENTS[language.split("-")[0]]
        choices = (
            pool["dip"]
            if dip and mood == "bad" and "dip" in pool and rng.random() < 0.6
            else pool[mood]
        )
        text, tags = rng.choice(choices)
        body["comment"] = text
        body["language"] = language
        body["tags"] = list(tags)

    def _contact(self) -> dict[str, str]:
        rng = self.rng
        first, last = rng.choice(chain.FIRST_NAMES), rng.choice(chain.LAST_NAMES)
        contact = {"name": f"{first} {last}"}
        if rng.random() < 0.7:
            contact["phone"] = f"+1 555 01{rng.randrange(100):02d}"  # reserved for fiction
        if "phone" not in contact or rng.random() < 0.5:
            contact["email"] = f"{first.lower()}.{last.lower()}{rng.randrange(1000)}@example.com"
        return contact

    def _internal(self, branch: Branch, occurred: datetime, dip: bool) -> Event | None:
        rng = self.rng
        received = occurred + timedelta(seconds=rng.uniform(5, 120))
        if not self._keep(occurred, received):
            return None
        touchpoint = rng.choice(chain.INTERNAL_TOUCHPOINTS)
        z = rng.gauss(0, 1) - 0.2 * (touchpoint == "it_helpdesk")
        if dip and touchpoint == "replenishment":
            z -= 1.5  # the shelves stayed empty too
        k = rng.randrange(branch.staff)
        body: dict[str, Any] = {
            "event_id": self._id(),
            "occurred_at": occurred,
            "channel": "web",
            "touchpoint": touchpoint,
            "location_id": branch.id,
            "respondent": {
                "id": f"{branch.id}-emp{k + 1:02d}",
                "type": "internal",
                "segment": "store_ops",
            },
            "csat": _clamp(3.9 + 0.8 * z, 1, 5),
            "ces": _clamp(5.0 + 1.2 * z, 1, 7),
        }
        if rng.random() < 0.6:
            body["nps"] = _clamp(7.8 + 1.8 * z, 0, 10)
        return Event(body, received)

    def _pulse(self, branch: Branch, occurred: datetime, dip: bool) -> Event | None:
        rng = self.rng
        received = occurred + timedelta(seconds=rng.uniform(5, 60))
        if not self._keep(occurred, received):
            return None
        z = branch.quality + (chain.DIP_STAFF_EFFECT if dip else 0.0) + rng.gauss(0, 1)
        body: dict[str, Any] = {
            "event_id": self._id(),
            "occurred_at": occurred,
            "channel": "app",
            "touchpoint": "pulse_survey",
            "location_id": branch.id,
            "respondent": {"type": "employee"},  # anonymous: eNPS answers name nobody
            "nps": _clamp(7.7 + 1.9 * z, 0, 10),
        }
        if rng.random() < 0.2:
            body["comment"] = rng.choice(chain.STAFF_COMMENTS["bad" if z < -0.5 else "good"])
            body["language"] = "en"
        return Event(body, received)


def customer_nps(z: float) -> int:
    return _clamp(8.3 + 1.8 * z, 0, 10)


def customer_csat(z: float) -> int:
    return _clamp(4.0 + 0.8 * z, 1, 5)


def _cumulative(weights: list[float]) -> list[float]:
    out, total = [], 0.0
    for w in weights:
        total += w
        out.append(total)
    return out


def _local(day: date, hour: int, fraction: float, zone: ZoneInfo) -> datetime:
    """`hour` plus `fraction` of an hour on the local `day`, as UTC (a wall time that a DST
    change skips is read with the offset before the change, as zoneinfo does)."""
    local = datetime.combine(day, time(hour), tzinfo=zone) + timedelta(seconds=fraction * 3600)
    return local.astimezone(UTC)


def _delay(rng: random.Random, channel: str) -> timedelta:
    """From the moment to its arrival: at once from a till, hours later from a survey."""
    if channel == "email":
        return timedelta(hours=min(72.0, rng.lognormvariate(math.log(6), 0.9)))
    if channel == "sms":
        return timedelta(minutes=rng.uniform(5, 240))
    if channel == "phone":
        return timedelta(minutes=rng.uniform(1, 4))
    if channel == "pos" and rng.random() < 0.03:  # a till offline for a while, then its queue
        return timedelta(minutes=rng.uniform(1, 120))
    return timedelta(seconds=rng.uniform(1, 20))
