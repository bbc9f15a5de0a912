"""Known feedback for the dashboard tests (and its screenshot): a small chain over 90 days.

Four branches with enough answers to compare (n ≥ 30), one clearly worse
(`lnz-01`), and one too small to be read (`sbg-01`, n < 30). Events lie at least
half a day away from the edges of the page's 30- and 90-day windows, so the
expected figures do not depend on the hour the test runs. Seeded, so every run
(and the screenshot) has the same data.

Some answers come with a comment (`with_comments`), and what the text enrichment
would derive from each (`Insight`: language, sentiment, themes) is written straight
into `comment_insights`: the worker is not run, so the themes are known exactly. A
previous period of comments (95 to 175 days ago) gives the themes' change.

Most answers of the 90 days rate the five SERVQUAL dimensions too (`SERVQUAL`), drawn
from their NPS with a random generator of their own (the scores are those of the runs
before), so the key driver analysis has something to find: two dimensions that go
closely with the score and are rated low (and with each other), one that goes with it
and is rated high, two that hardly go with it.

Two branches slip lately (`DIPS`), and the alerts about them (`ALERTS`) are stored
as the alert worker would have stored them: the evidence has the shape of
`app.alerts.service.evidence()`, its periods' figures are what the metrics API
answers to the requests it names (asked by the test), and only the statistics are
made up (the detector is not run: it needs more answers than this chain has).
"""

import math
import random
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

# Branch -> (weight of promoters, passives, detractors), events per week.
BRANCHES: dict[str, tuple[tuple[int, int, int], int]] = {
    "vie-01": ((62, 26, 12), 11),
    "vie-02": ((55, 30, 15), 9),
    "gra-01": ((50, 32, 18), 8),
    "lnz-01": ((18, 30, 52), 8),  # clearly worse
}
SMALL_BRANCH = "sbg-01"  # 12 events in all: too few to compare
WORSE_BRANCH = "lnz-01"
# Branch -> (weights as above, weeks): lately worse, for the alerts below.
DIPS: dict[str, tuple[tuple[int, int, int], int]] = {
    WORSE_BRANCH: ((6, 24, 70), 3),  # worse still in the last three weeks
    "vie-02": ((25, 30, 45), 2),  # slipped in the last two
}
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
            dip, weeks = DIPS.get(branch, (weights, 0))
            for _ in range(per_week + rng.choice((-2, -1, 0, 1, 2)) + (2 if week < 4 else 0)):
                add(branch, dip if week < weeks else weights, week)
        if week < 12:
            add(SMALL_BRANCH, (50, 30, 20), week)
    return with_servqual(out)


# ---------------------------------------------------------------- SERVQUAL perceptions

# Dimension -> (the mean perception of a passive, how far the NPS moves it: points per
# NPS point from 7.5, the spread of the rest). Reliability follows responsiveness
# closely instead (the two are nearly collinear, as such ratings often are).
SERVQUAL: dict[str, tuple[float, float, float]] = {
    "responsiveness": (2.3, 0.45, 0.9),  # goes with the score, rated low: fix first
    "empathy": (6.0, 0.35, 0.8),  # goes with the score, rated high: keep up
    "tangibles": (3.0, 0.1, 1.2),  # hardly goes with it, rated low
    "assurance": (5.9, 0.05, 1.0),  # hardly goes with it, rated high
}
SERVQUAL_SHARE = 0.9  # of the answers rate the dimensions (all five)


def _likert(value: float) -> int:
    return max(1, min(7, round(value)))


def with_servqual(known: list[Event], seed: int = 20) -> list[Event]:
    """`known` with the five SERVQUAL perceptions on most answers (their own generator)."""
    rng = random.Random(seed)
    out = []
    for e in known:
        if rng.random() >= SERVQUAL_SHARE:
            out.append(e)
            continue
        nps = e.body["nps"]
        rated = {
            d: _likert(rng.gauss(mean + slope * (nps - 7.5), spread))
            for d, (mean, slope, spread) in SERVQUAL.items()
        }
        rated["reliability"] = _likert(rated["responsiveness"] + rng.gauss(0, 0.45))
        servqual = {d: {"perception": p} for d, p in sorted(rated.items())}
        out.append(Event({**e.body, "servqual": servqual}, e.age_days))
    return out


# ---------------------------------------------------------------- comments and their themes


@dataclass(frozen=True)
class Insight:
    """What the text enrichment would derive from the comment of `event_id`."""

    event_id: str
    themes: tuple[str, ...]
    sentiment: str | None
    language: str


# Comments of one kind: how many, their themes, their sentiment, and their texts
# (language, text), used in turn, oldest first. A kind's comments go to answers of the
# NPS bands its sentiment makes likely (`BANDS`), so those who complain about a theme
# mostly score lower.
Kind = tuple[int, tuple[str, ...], str | None, tuple[tuple[str, str], ...]]
BANDS = ("detractor", "passive", "promoter")
BAND_WEIGHTS: dict[str | None, tuple[int, int, int]] = {
    "negative": (70, 25, 5),
    "neutral": (25, 55, 20),
    None: (10, 70, 20),
    "positive": (5, 25, 70),
}

# The 90 days: 200 comments. Mentions: waiting 50, staff_friendliness 36, price 26,
# product_quality 18, cleanliness 12, payment 8 (the six the card lists), delivery 5,
# opening_hours 2; 57 comments mention no theme.
COMMENTS_NOW: list[Kind] = [
    (30, ("waiting",), "negative", (
        ("de", "Viel zu lange Schlange an der Kasse, nur eine Kasse offen."),
        ("en", "Twenty minutes in the queue with one till open."),
        ("ru", "Очень длинная очередь, работала только одна касса."),
        ("hu", "Nagyon hosszú volt a sor, csak egy pénztár volt nyitva."),
        ("ja", "レジの待ち時間が長すぎます。"),
        ("pt", "A fila estava enorme e só havia um caixa aberto."),
    )),
    (8, ("waiting", "payment"), "negative", (
        ("en", "Long wait and then the card terminal failed twice."),
        ("pt", "Esperei muito e o terminal de cartão não funcionava."),
        ("de", "Lange gewartet, dann ging die Kartenzahlung nicht."),
    )),
    (6, ("waiting", "staff_friendliness"), "neutral", (
        ("en", "The queue was long but the cashier was lovely."),
        ("ja", "レジは混んでいましたが、店員さんは親切でした。"),
    )),
    (4, ("waiting",), "neutral", (
        ("en", "A bit of a wait at the deli counter."),
        ("de", "Etwas Wartezeit an der Frischetheke."),
    )),
    (2, ("waiting",), None, (("en", "queue"),)),
    (22, ("staff_friendliness",), "positive", (
        ("en", "Such friendly staff, always a smile."),
        ("de", "Sehr freundliches Personal, immer hilfsbereit."),
        ("hu", "Nagyon kedves és segítőkész volt az eladó."),
        ("ru", "Очень вежливый и приветливый персонал."),
    )),
    (8, ("staff_friendliness",), "negative", (
        ("en", "The cashier was rude and ignored my question."),
        ("ru", "Продавец нагрубил и не ответил на вопрос."),
    )),
    (14, ("price",), "neutral", (
        ("en", "Prices went up again, but still OK."),
        ("de", "Die Preise sind gestiegen, aber noch in Ordnung."),
    )),
    (12, ("price",), "negative", (
        ("en", "Far too expensive for what you get."),
        ("pt", "Os preços estão caros demais."),
        ("hu", "Túl drága minden."),
    )),
    (12, ("product_quality",), "positive", (
        ("en", "Fresh bread and great fruit."),
        ("de", "Tolles Obst, sehr frisch."),
        ("ja", "野菜がとても新鮮でした。"),
    )),
    (6, ("product_quality",), "negative", (
        ("de", "Das Obst war schon schimmelig."),
        ("en", "The milk was past its date."),
    )),
    (12, ("cleanliness",), "positive", (
        ("en", "Spotless shop, very tidy aisles."),
        ("hu", "Nagyon tiszta és rendezett az üzlet."),
        ("de", "Sehr sauberer Laden."),
    )),
    (5, ("delivery",), "negative", (("en", "My delivery came a day late."),)),
    (2, ("opening_hours",), None, (("en", "Open on Sundays please."),)),
    (40, (), "positive", (("en", "All good, thanks!"), ("de", "Alles bestens."))),
    (17, (), "neutral", (("en", "It was fine."), ("ru", "Нормально."))),
]  # fmt: skip
# The 90 days before: 150 comments. Waiting grows from 10 % to 25 % of the comments and
# staff friendliness falls from 30 % to 18 % (both clearly); the others hardly move.
COMMENTS_BEFORE: list[Kind] = [
    (15, ("waiting",), "negative", (("en", "Had to wait at the till."),)),
    (35, ("staff_friendliness",), "positive", (("en", "Lovely, friendly staff."),)),
    (10, ("staff_friendliness",), "negative", (("en", "Unfriendly cashier."),)),
    (10, ("price",), "neutral", (("en", "Prices are fair."),)),
    (10, ("price",), "negative", (("en", "Too expensive."),)),
    (14, ("product_quality",), "positive", (("en", "Good quality vegetables."),)),
    (8, ("cleanliness",), "positive", (("en", "Very clean."),)),
    (6, ("payment",), "negative", (("en", "Card payment did not work."),)),
    (4, ("delivery",), "negative", (("en", "Delivery was late."),)),
    (38, (), "positive", (("en", "Great shop."),)),
]  # fmt: skip
TOP_THEMES = 6  # how many the card lists
# The oldest comment about waiting in the 90 days: long, so the card cuts it short.
LONG_COMMENT = (
    "Twenty minutes in the queue and only one till open, while three colleagues stocked "
    "shelves right next to us. The self-checkout was off too, so everyone waited; in the "
    "end I left my trolley and went to the shop across the road."
)
BEFORE_AGES = (95.0, 175.0)  # days: inside the previous 90 days, away from their edges
BAND_SCORES = {"detractor": (1, 3, 5, 6), "passive": (7, 8), "promoter": (9, 10)}


def _band_of(nps: int) -> str:
    return "promoter" if nps >= 9 else "passive" if nps >= 7 else "detractor"


def with_comments(known: list[Event], seed: int = 11) -> tuple[list[Event], list[Insight]]:
    """`known` with comments on some answers of the 90 days, the answers with comments of
    the 90 days before, and what the enrichment derives from every comment."""
    rng = random.Random(seed)
    pools: dict[str, list[int]] = {band: [] for band in BANDS}
    for i, e in enumerate(known):
        pools[_band_of(e.body["nps"])].append(i)
    for pool in pools.values():
        rng.shuffle(pool)
    out = list(known)
    insights: list[Insight] = []
    for count, themes, sentiment, texts in COMMENTS_NOW:
        bands = rng.choices(BANDS, weights=BAND_WEIGHTS[sentiment], k=count)
        chosen = sorted((pools[band].pop() for band in bands), key=lambda i: -known[i].age_days)
        for j, i in enumerate(chosen):
            language, text = texts[j % len(texts)]
            out[i] = Event(
                {**known[i].body, "comment": text, "language": language}, known[i].age_days
            )
            insights.append(Insight(known[i].body["event_id"], themes, sentiment, language))
    # The oldest comment about waiting is the long one.
    about_waiting = {x.event_id for x in insights if "waiting" in x.themes}
    oldest = max(
        (i for i, e in enumerate(out) if e.body["event_id"] in about_waiting),
        key=lambda i: out[i].age_days,
    )
    out[oldest] = Event({**out[oldest].body, "comment": LONG_COMMENT, "language": "en"},
                        out[oldest].age_days)  # fmt: skip
    insights = [
        replace(x, language="en") if x.event_id == out[oldest].body["event_id"] else x
        for x in insights
    ]
    branches = list(BRANCHES)
    for count, themes, sentiment, texts in COMMENTS_BEFORE:
        for j in range(count):
            event_id = f"dash-before-{len(out):04d}"
            band = rng.choices(BANDS, weights=BAND_WEIGHTS[sentiment])[0]
            channel = rng.choice(CHANNELS)
            language, text = texts[j % len(texts)]
            body = {
                "event_id": event_id, "channel": channel, "touchpoint": TOUCHPOINTS[channel],
                "location_id": branches[len(out) % len(branches)],
                "nps": rng.choice(BAND_SCORES[band]), "comment": text, "language": language,
            }  # fmt: skip
            out.append(Event(body, rng.uniform(*BEFORE_AGES)))
            insights.append(Insight(event_id, themes, sentiment, language))
    return out, insights


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


ZONE = "Europe/Vienna"  # the browser's zone in the tests, and the alerts' local days
UNITS = {"nps": "NPS points", "csat": "percentage points of satisfied answers",
         "ces": "points of the 1-7 mean"}  # fmt: skip
MIN_CHANGE = {"nps": 10.0, "csat": 5.0, "ces": 0.25}
METHOD = {
    "own_past": "CUSUM of the log-likelihood ratio against the scope's own baseline",
    "rest_of_chain": "CUSUM of the log-likelihood ratio of the gap to the rest of the chain "
    "against the gap in the baseline",
}
WINDOW_DAYS, BASELINE_DAYS = 28, 56  # the default rules


@dataclass(frozen=True)
class AlertSpec:
    """An alert about a branch: what, since when, and its life (days before `now`)."""

    metric: str  # nps, csat or ces: figures of /v1/metrics/summary
    branch: str
    since_days: int  # the change began on the local day this many days before today
    opened_days: float
    statistics: tuple[float, float]  # the CUSUMs of own_past and rest_of_chain (nats)
    # Adjusted p-values: only an alert opened in the last round has them.
    adjusted: tuple[float | None, float | None] = (None, None)
    acknowledged_by: str | None = None
    muted_for_days: float | None = None  # from now on
    note: str | None = None
    resolved_days: float | None = None


ALERTS: list[AlertSpec] = [
    # Opened two days into lnz-01's slide; updated every round since.
    AlertSpec("nps", WORSE_BRANCH, since_days=20, opened_days=18, statistics=(14.2, 11.6)),
    # The same slide seen in CES a day later: someone is on it, and muted it for now.
    AlertSpec(
        "ces",
        WORSE_BRANCH,
        since_days=20,
        opened_days=17,
        statistics=(9.3, 5.1),
        acknowledged_by="ops-linz",
        muted_for_days=3,
        note="New staff at the tills; trained Monday.",
    ),
    # vie-02's milder slip: enough evidence only in the last round (so adjusted p-values).
    AlertSpec(
        "nps",
        "vie-02",
        since_days=13,
        opened_days=5 / 1440,
        statistics=(8.1, 6.2),
        adjusted=(0.012, 0.091),
    ),
    # Long over: not listed among the open alerts.
    AlertSpec(
        "csat", "gra-01", since_days=60, opened_days=58, statistics=(8.4, 7.7), resolved_days=45
    ),
]


def _iso(t: datetime) -> str:
    return t.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), ZoneInfo(ZONE)).astimezone(UTC)


def summary_request(metric: str, start: datetime, end: datetime, branches: list[str]) -> str:
    """`/v1/metrics/summary?...` as `app.alerts.service` writes an evidence request."""
    params = [("from", _iso(start)), ("to", _iso(end)), ("tz", ZONE)]
    params += [("location_id", b) for b in branches]
    return f"/v1/metrics/summary?{urlencode([*params, ('metrics', metric)])}"


def last_round(spec: AlertSpec, now: datetime) -> datetime:
    """When the alert was last updated (or resolved): the worker's last round."""
    if spec.resolved_days is not None:
        return now - timedelta(days=spec.resolved_days)
    return (now - timedelta(minutes=5)).replace(microsecond=0)


def since(spec: AlertSpec, now: datetime) -> date:
    today = last_round(spec, now).astimezone(ZoneInfo(ZONE)).date()
    return today - timedelta(days=spec.since_days)


def alert_periods(spec: AlertSpec, now: datetime) -> dict[str, tuple[datetime, datetime]]:
    """The evidence's periods: since the change began, and the baseline (the 56 days
    before the 28 watched), in local days of ZONE up to the alert's last round."""
    as_of = last_round(spec, now)
    today = as_of.astimezone(ZoneInfo(ZONE)).date()
    return {
        "current": (_midnight(since(spec, now)), as_of),
        "baseline": (
            _midnight(today - timedelta(days=WINDOW_DAYS + BASELINE_DAYS)),
            _midnight(today - timedelta(days=WINDOW_DAYS)),
        ),
    }


def others(branch: str) -> list[str]:
    return sorted(b for b in [*BRANCHES, SMALL_BRANCH] if b != branch)


def figure_requests(spec: AlertSpec, now: datetime) -> dict[str, str]:
    """The requests whose answers are the evidence's figures: the scope's, and the rest of
    the chain's (every other branch) over the same periods."""
    out = {}
    for name, (start, end) in alert_periods(spec, now).items():
        out[name] = summary_request(spec.metric, start, end, [spec.branch])
        out[f"rest_{name}"] = summary_request(spec.metric, start, end, others(spec.branch))
    return out


def alert_row(spec: AlertSpec, now: datetime, figures: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The `alerts` row of `spec`, with `figures` ({value, n, ci_low, ci_high} as the API
    answered each of `figure_requests`)."""
    periods = alert_periods(spec, now)
    first_day = since(spec, now)
    opened = now - timedelta(days=spec.opened_days)
    as_of = last_round(spec, now)

    def period(name: str, *, rest: bool = False) -> dict[str, Any]:
        start, end = periods[name]
        f = figures[f"rest_{name}" if rest else name]
        return {
            "from": _iso(start), "to": _iso(end),
            **{k: f[k] for k in ("value", "n", "ci_low", "ci_high")},
            "request": summary_request(spec.metric, start, end, [] if rest else [spec.branch]),
        }  # fmt: skip

    current, baseline = period("current"), period("baseline")
    rest = {
        **period("current", rest=True),
        "note": "the rest of the chain is the chain (this request) less this scope",
    }
    change = current["value"] - baseline["value"]
    gap = change - (rest["value"] - figures["rest_baseline"]["value"])
    tests = [
        {
            "question": question,
            "method": METHOD[question],
            "statistic": statistic,
            "threshold": 7.0,
            "p_value": math.exp(-statistic),
            "adjusted_p_value": adjusted,
            "change": question_change,
            "fired": statistic >= 7.0
            and -question_change >= MIN_CHANGE[spec.metric]
            and (adjusted is None or adjusted <= 0.05),
        }
        for question, statistic, adjusted, question_change in zip(
            ("own_past", "rest_of_chain"),
            spec.statistics,
            spec.adjusted,
            (change, gap),
            strict=True,
        )
    ]
    evidence = {
        "since": first_day.isoformat(),
        "zone": ZONE,
        "as_of": _iso(as_of),
        "unit": UNITS[spec.metric],
        "current": current,
        "baseline": baseline,
        "rest_of_chain": rest,
        "change": change,
        "min_change": MIN_CHANGE[spec.metric],
        "tests": tests,
    }
    resolved = None if spec.resolved_days is None else as_of
    return {
        "metric": spec.metric,
        "dimension": "location_id",
        "value": spec.branch,
        "location_id": spec.branch,
        "direction": "down",
        "status": "open" if resolved is None else "resolved",
        "zone": ZONE,
        "since": first_day,
        "opened_at": opened,
        "updated_at": as_of,
        "resolved_at": resolved,
        "acknowledged_at": opened + timedelta(hours=6) if spec.acknowledged_by else None,
        "acknowledged_by": spec.acknowledged_by,
        "note": spec.note,
        "muted_until": None
        if spec.muted_for_days is None
        else now + timedelta(days=spec.muted_for_days),
        "evidence": evidence,
        # The detector's memory (its references at opening): not read here, no round runs.
        "state": {
            "key": [spec.metric, "location_id", spec.branch, []],
            "references": {"own_past": [baseline["value"], 1.0, None, 1.0, baseline["n"]]},
        },
    }


def nps_of(scores: list[int]) -> float:
    """NPS as docs/metrics.md defines it, computed here independently of the service."""
    promoters = sum(s >= 9 for s in scores)
    detractors = sum(s <= 6 for s in scores)
    return 100 * (promoters - detractors) / len(scores)


def now() -> datetime:
    return datetime.now(UTC)
