"""What the branch teams did with the demo's follow-up cases. Pure, no I/O.

The ingest statement opened the cases (the default rules: detractors, low CSAT
or CES, call-back requests). Here each case gets a plausible history up to the
demo's end, made of the same patches a call-centre tool would send, applied by
the service's own state machine (`app/follow_ups/states.py`), with the time
each patch happened:

- a customer we can reach (contact details, or a known loyalty customer) is
  assigned, called (median about 6 hours after the feedback arrived, slower at
  the dip branch during the dip), called again when nobody answers, and the
  case is resolved with what was done; after three failed tries it is
  `unreachable`. A few cases are forgotten and stay open (overdue);
- an anonymous customer cannot be called back: the case is closed as
  `unreachable` at the branch's next weekly review (Monday morning);
- whatever would happen after the end has not happened yet: recent cases are
  still open or contacted;
- some reached customers give feedback again weeks later (`comebacks`), happier
  when their case was resolved: the recovery that `/v1/metrics/follow-ups` measures.
"""

import math
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from app.demo import chain
from app.demo.generate import Dip, Event, branch_by_id, customer_csat, customer_nps
from app.follow_ups import states


@dataclass(frozen=True, slots=True)
class CaseSeed:
    """What the plan needs to know about one case, read back after the ingest."""

    id: int
    event_id: str
    received_at: datetime
    location_id: str
    reachable: bool  # contact details given, or a known customer (the CRM has a number)
    respondent_id: str | None = None
    segment: str | None = None


@dataclass(frozen=True, slots=True)
class Timed:
    at: datetime
    change: states.Change


@dataclass(frozen=True, slots=True)
class History:
    case_id: int
    case: states.Case  # the state at the end
    changes: tuple[Timed, ...]
    updated_at: datetime


def plan(seed: CaseSeed, rng: random.Random, dip: Dip) -> list[tuple[datetime, states.Patch]]:
    """The patches the team sends for this case, with their times (the end not applied)."""
    branch = branch_by_id(seed.location_id)
    zone = ZoneInfo(branch.timezone)
    if not seed.reachable:
        return [(_next_review(seed.received_at, zone), states.Patch(status="unreachable"))]
    if rng.random() < 0.05:
        return []  # fell through the cracks: open, and overdue
    local_day = seed.received_at.astimezone(zone).date()
    slow = dip.covers(branch, local_day)
    median_hours = 30.0 if slow else 6.0
    assignee = rng.choice(branch.team)
    at = seed.received_at + timedelta(minutes=rng.uniform(10, 120))
    patches = [(at, states.Patch(set_assignee=True, assignee=assignee))]
    at += timedelta(hours=rng.lognormvariate(math.log(median_hours), 0.8))  # the first call
    channel = "phone" if rng.random() < 0.8 else "email"
    for attempt in range(3):
        roll = rng.random()
        if roll < (0.65, 0.5, 0.45)[attempt]:
            note = rng.choice(chain.ATTEMPT_NOTES)
            patches.append((at, states.Patch(attempt=states.Attempt(channel, "reached", note))))
            if rng.random() < 0.85:
                done = at + timedelta(hours=rng.uniform(0.1, 72))
                resolution = rng.choice(chain.RESOLUTIONS)
                patches.append((done, states.Patch(status="resolved", resolution=resolution)))
            return patches
        outcome = "wrong_contact" if roll > 0.97 else rng.choice(("no_answer", "left_message"))
        patches.append((at, states.Patch(attempt=states.Attempt(channel, outcome))))
        if outcome == "wrong_contact":
            break
        at += timedelta(hours=rng.uniform(6, 30))
    patches.append((at + timedelta(hours=rng.uniform(1, 24)), states.Patch(status="unreachable")))
    return patches


def history(seed: CaseSeed, patches: list[tuple[datetime, states.Patch]], end: datetime) -> History:
    """Apply the patches up to `end`, through the service's state machine."""
    case = states.Case("open", None, None, None, None)
    timed: list[Timed] = []
    updated = seed.received_at
    for at, patch in patches:
        if at > end:
            break
        case, changes = states.apply(case, patch, at)
        timed += [Timed(at, c) for c in changes]
        updated = at
    return History(seed.id, case, tuple(timed), updated)


def histories(seeds: list[CaseSeed], seed: int, dip: Dip, end: datetime) -> list[History]:
    """Every case's history, each drawn from its own stream: the same `seed` gives the
    same history to a case, whichever other cases there are."""
    return [history(s, plan(s, random.Random(f"{seed}/{s.event_id}"), dip), end) for s in seeds]


COMEBACK_SHARE = 0.45  # of the reached known customers, who give feedback again later


def comebacks(seeds: list[CaseSeed], done: list[History], seed: int, end: datetime) -> list[Event]:
    """The next feedback of reached known customers, 3 to 40 days after the call: better
    after a resolved case than after one left open (what `recovery` measures)."""
    out = []
    for s, h in zip(seeds, done, strict=True):
        contact = h.case.first_contact_at
        if contact is None or s.respondent_id is None:
            continue
        rng = random.Random(f"{seed}/{s.event_id}/back")
        if rng.random() >= COMEBACK_SHARE:
            continue
        occurred = contact + timedelta(days=rng.uniform(3, 40))
        received = occurred + timedelta(seconds=rng.uniform(1, 20))
        if received > end:
            continue
        z = rng.gauss(0.3 if h.case.status == "resolved" else -0.7, 1.0)
        body = {
            "event_id": f"{s.event_id}-back",
            "occurred_at": occurred,
            "channel": "app",
            "touchpoint": rng.choice(("checkout", "click_and_collect", "online_order")),
            "location_id": s.location_id,
            "respondent": {"id": s.respondent_id, "segment": s.segment},
            "nps": customer_nps(z),
            "csat": customer_csat(z + rng.gauss(0, 0.6)),
        }
        out.append(Event(body, received))
    return out


def _next_review(received_at: datetime, zone: ZoneInfo) -> datetime:
    """09:00 local on the Monday after the feedback arrived (at least a day later)."""
    day: date = (received_at + timedelta(days=1)).astimezone(zone).date()
    monday = day + timedelta(days=(7 - day.weekday()) % 7)
    return datetime.combine(monday, time(9), tzinfo=zone)
