"""Known feedback for the dashboard tests (and its screenshot): a small chain over 90 days.

Four branches with enough answers to compare (n ≥ 30), one clearly worse
(`lnz-01`), and one too small to be read (`sbg-01`, n < 30). Events lie at least
half a day away from the edges of the page's 30- and 90-day windows, so the
expected figures do not depend on the hour the test runs. Seeded, so every run
(and the screenshot) has the same data.
"""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

# Branch -> (weight of promoters, passives, detractors), events per week.
BRANCHES: dict[str, tuple[tuple[int, int, int], int]] = {
    "vie-01": ((62, 26, 12), 11),
    "vie-02": ((55, 30, 15), 9),
    "gra-01": ((50, 32, 18), 8),
    "lnz-01": ((18, 30, 52), 8),  # clearly worse
}
SMALL_BRANCH = "sbg-01"  # 12 events in all: too few to compare
WORSE_BRANCH = "lnz-01"
CHANNELS = ("pos", "web", "app", "kiosk")
TOUCHPOINTS = {"pos": "checkout", "web": "delivery", "app": "delivery", "kiosk": "check_in"}
WEEKS = 13
# Ages (days before now) are kept out of these bands around the windows' edges.
EDGES = ((28.6, 30.4), (88.0, 92.0))


@dataclass(frozen=True)
class Event:
    body: dict[str, Any]
    age_days: float

    @property
    def nps(self) -> int | None:
        value: int | None = self.body.get("nps")
        return value


def _nps(rng: random.Random, weights: tuple[int, int, int]) -> int:
    band = rng.choices(("promoter", "passive", "detractor"), weights=weights)[0]
    if band == "promoter":
        return rng.choice((9, 10))
    if band == "passive":
        return rng.choice((7, 8))
    return rng.choice((0, 2, 3, 4, 5, 6, 6))


def _age(rng: random.Random, week: int) -> float:
    while True:
        age = week * 7 + rng.uniform(0.05, 6.95)
        if age < 88 and not any(lo <= age <= hi for lo, hi in EDGES):
            return age


def events(seed: int = 7) -> list[Event]:
    rng = random.Random(seed)
    out: list[Event] = []

    def add(branch: str, weights: tuple[int, int, int], week: int) -> None:
        nps = _nps(rng, weights)
        channel = rng.choice(CHANNELS)
        body: dict[str, Any] = {
            "event_id": f"dash-{len(out):04d}",
            "channel": channel,
            "touchpoint": TOUCHPOINTS[channel],
            "location_id": branch,
            "nps": nps,
            # CSAT and CES follow NPS loosely, as they do in real answers.
            "csat": max(1, min(5, round(nps / 2.2) + rng.choice((-1, 0, 0, 1)))),
            "ces": max(1, min(7, round(nps / 1.6) + rng.choice((-1, 0, 1)))),
        }
        out.append(Event(body, _age(rng, week)))

    for week in range(WEEKS):
        for branch, (weights, per_week) in BRANCHES.items():
            # Busier lately, so the trend has something to show.
            for _ in range(per_week + rng.choice((-2, -1, 0, 1, 2)) + (2 if week < 4 else 0)):
                add(branch, weights, week)
        if week < 12:
            add(SMALL_BRANCH, (50, 30, 20), week)
    return out


FOLLOW_UP_RULES = {
    # Only an explicit request opens a case here, so the queue stays short enough to
    # read in the screenshot (the default rules would open one per detractor too).
    "rules": [{"name": "follow-up-requested", "score": "follow_up_requested"}]
}
# (branch, NPS, hours since the feedback arrived, reached?) of the cases left open.
CASES: list[tuple[str, int, float, bool]] = [
    (WORSE_BRANCH, 2, 71.0, False),  # overdue (SLA 48 h)
    (WORSE_BRANCH, 4, 55.0, False),  # overdue
    ("gra-01", 5, 30.0, True),  # contacted, not resolved yet
    ("vie-02", 3, 20.0, False),  # due in about a day
    (WORSE_BRANCH, 0, 3.0, False),  # just in
]


def case_events(now: datetime) -> list[dict[str, Any]]:
    """The events that open the follow-up cases (posted last, with their own ids)."""
    return [
        {
            "event_id": f"dash-case-{i}",
            "occurred_at": (now - timedelta(hours=hours)).isoformat(),
            "channel": "pos",
            "touchpoint": "checkout",
            "location_id": branch,
            "nps": nps,
            "follow_up_requested": True,
            "comment": "Please call me back.",
            "contact": {"phone": "+43 660 0000000"},
        }
        for i, (branch, nps, hours, _) in enumerate(CASES)
    ]


def nps_of(scores: list[int]) -> float:
    """NPS as docs/metrics.md defines it, computed here independently of the service."""
    promoters = sum(s >= 9 for s in scores)
    detractors = sum(s <= 6 for s in scores)
    return 100 * (promoters - detractors) / len(scores)


def now() -> datetime:
    return datetime.now(UTC)
