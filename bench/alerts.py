"""How soon the alert detector finds a dip, and how often it alerts on nothing: a simulation.

Many synthetic chains go day by day through the real detector
(`app.alerts.detect.Monitor`, with the default alert rules of `app.alerts.rules`;
flags override the threshold, shift factor, FDR and improvements). No database, no
service: the series are made here as the worker would read them.

The world simulated (one run = one chain, one metric):

- 10 branches (`--branches`). The branch watched (`b0`) gets `volume` answers a week
  on average; each other branch between half and twice that (log-uniform).
- Quality: each branch its own level, drawn once: NPS 20-50 with 20-35 % passives
  (promoters and detractors make up the rest), CSAT 75-90 % satisfied, CES 4.6-5.4 on
  1-7 (a skewed distribution with a standard deviation of about 1.5, tilted to the
  branch's mean). Per-answer scores as the worker reads them: NPS -100/0/+100, CSAT
  100/0, CES 1-7.
- Volume: Poisson each day, times a weekday factor (Monday first: 0.85, 0.9, 0.95,
  1.0, 1.15, 1.35, 0.8; they average 1).
- What moves without being news, and must not alert:
  * a weekday effect on the scores, chain-wide (Monday first, NPS points: +1, +1.5, +1,
    0, -1.5, -2.5, +0.5; busy days score worse);
  * a seasonal drift of the whole chain: a yearly sine of +-5 NPS points, its phase
    random per run;
  * a slow wander of each branch: an Ornstein-Uhlenbeck process with a standard
    deviation of 2 NPS points and a mean-reversion time of 60 days (staff turn over,
    a road is dug up...), `--wander 0` to switch it off.
  CSAT and CES move by the same amounts in their units, scaled as the minimum changes
  of the alert rules are: 1 NPS point = 0.5 CSAT points = 0.025 CES points.
- A dip: from a known day, for 28 days, branch `b0` drops by `size` NPS points
  (promoters become detractors: 10 % of the answers for -20, so the expected NPS falls
  by exactly 20, passives unchanged), or CSAT by size/2 points of satisfied answers, or
  CES by size/40 (the distribution tilted to the lower mean). Sizes are given in NPS
  points (`--sizes 10,20,30`: NPS -10/-20/-30, CSAT -5/-10/-15, CES -0.25/-0.5/-0.75).

The detector sees, each day, the chain scope and every branch (with the rest of the
chain, chain minus branch) for the metric simulated: 11 series, one Benjamini-Hochberg
family of 21 hypotheses a round per direction watched (the chain has no rest-of-chain
question). The worker's family is larger (every dimension, every metric), and BH asks
a lone change for about ln(family / fdr) nats, more than the threshold once the family
passes ~55 hypotheses: the sweep's higher thresholds show what that costs. The first
`baseline + window` days (84 by default) are history only; the detector evaluates
every day from the first day it has a full series, at the end of that day.

Measured:

- dip runs: the detector runs 14 days before the dip (alerts then are false), the 28
  days of the dip and 7 days after. Detected: a down alert on `b0` opening on or after
  the dip's first day and before its end + 7 days. Delay: the days of dip data it had
  seen when it opened (1 = opened at the end of the dip's first day). Within 7 / 14
  days: delay <= 7 / 14. Alerts on the other branches in those runs count as false.
- stable runs (no dip, 6 months evaluated): every alert opened is false. Per 100
  scope-months: a scope is one series (one metric in one scope), a month 30 evaluated
  days; counted in both directions, and down only. Per 100 branch-months: the branch
  series only, all directions.

Targets (the issue): a -20-point NPS dip at 100 answers a week is found within 7 days
in at least 90 % of runs; at most 1 false alert per 100 scope-months on stable data.

Each run has its own seed, made from `--seed` and what the run is (metric, volume,
size, index), so results do not depend on `--jobs` and the sweep compares settings on
the same chains. The default run takes a few minutes on 2 cores.

    .venv/bin/python -m bench.alerts [--runs 60] [--stable-runs 12] [--seed 1]
        [--metrics nps,csat,ces] [--volumes 25,50,100,200] [--sizes 10,20,30]
        [--threshold 7] [--shift-factor 1.5] [--fdr 0.05] [--[no-]improvements]
        [--branches 10] [--wander 2] [--season 5] [--jobs N] [--json PATH]
    .venv/bin/python -m bench.alerts --sweep [--sweep-thresholds 4,5,6,7,8]
        [--sweep-shift-factors 1.5,2,2.5]      # NPS -20 at 100 a week, per setting
"""

import argparse
import functools
import json
import math
import os
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from app.alerts.detect import EMPTY, Monitor, Series, SeriesKey, Sums, minus
from app.alerts.rules import AlertRules

METRICS = ("nps", "csat", "ces")
PER_NPS_POINT = {"nps": 1.0, "csat": 0.5, "ces": 0.025}  # as the rules' minimum changes
WEEKDAY_VOLUME = (0.85, 0.9, 0.95, 1.0, 1.15, 1.35, 0.8)  # Monday first; mean 1
WEEKDAY_SCORE = (1.0, 1.5, 1.0, 0.0, -1.5, -2.5, 0.5)  # NPS points, Monday first; mean 0
SEASON = 5.0  # NPS points, amplitude of the yearly sine of the whole chain
WANDER = 2.0  # NPS points, standard deviation of each branch's slow wander
WANDER_DAYS = 60.0  # its mean-reversion time
CES_SHAPE = (0.03, 0.05, 0.08, 0.14, 0.25, 0.27, 0.18)  # 1-7; mean 5.06, sd 1.54
LEAD, DIP_DAYS, GRACE = 14, 28, 7  # dip runs: days evaluated before, during, after
STABLE_DAYS = 180  # stable runs: days evaluated
MONTH = 30  # evaluated days a "month"
NPS_TARGET = (20.0, 100.0)  # the target's dip (NPS points) and volume (answers a week)


# ---------------------------------------------------------------- the world


@dataclass(frozen=True, slots=True)
class Scenario:
    """One kind of run: a metric, the weekly volume of the branch watched, and its drop
    (NPS points; 0 for a stable chain)."""

    metric: str
    volume: float
    drop: float = 0.0
    branches: int = 10
    wander: float = WANDER
    season: float = SEASON
    stable_days: int = STABLE_DAYS

    @property
    def evaluated(self) -> int:
        return LEAD + DIP_DAYS + GRACE if self.drop else self.stable_days


@dataclass(frozen=True, slots=True)
class Branch:
    level: float  # mean score, in the metric's units
    volume: float  # answers a week
    passives: float = 0.0  # NPS only: the share of passives


def ces_distribution(level: float) -> tuple[float, ...]:
    """CES_SHAPE exponentially tilted to the mean `level` (p_k ~ shape_k e^(θk)), the
    level rounded to 0.001 (0.04 NPS points' worth)."""
    return _ces_tilt(round(min(max(level, 1.1), 6.9), 3))


@functools.lru_cache(maxsize=10_000)
def _ces_tilt(level: float) -> tuple[float, ...]:
    theta, p = 0.0, list(CES_SHAPE)
    for _ in range(50):  # Newton: d mean / d theta = variance
        w = [q * math.exp(theta * (k + 1)) for k, q in enumerate(CES_SHAPE)]
        total = sum(w)
        p = [x / total for x in w]
        m = sum((k + 1) * q for k, q in enumerate(p))
        v = sum((k + 1 - m) ** 2 * q for k, q in enumerate(p))
        if abs(m - level) < 1e-9:
            break
        theta += (level - m) / v
    return tuple(p)


def distribution(
    metric: str, branch: Branch, level: float
) -> tuple[tuple[float, ...], list[float]]:
    """Per-answer scores and their probabilities when the branch's mean is `level`."""
    if metric == "nps":
        q = branch.passives
        p = min(max((1 - q + level / 100) / 2, 0.0), 1 - q)
        return (-100.0, 0.0, 100.0), [1 - q - p, q, p]
    if metric == "csat":
        p = min(max(level / 100, 0.0), 1.0)
        return (0.0, 100.0), [1 - p, p]
    if metric == "ces":
        return (1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0), list(ces_distribution(level))
    raise ValueError(f"no model of {metric!r}")


def expected(metric: str, branch: Branch, level: float) -> float:
    """The mean of `distribution` (what the tests check a dip against)."""
    values, weights = distribution(metric, branch, level)
    return sum(v * w for v, w in zip(values, weights, strict=True))


def draw_branch(metric: str, rng: random.Random, volume: float) -> Branch:
    if metric == "nps":
        return Branch(rng.uniform(20, 50), volume, rng.uniform(0.20, 0.35))
    if metric == "csat":
        return Branch(rng.uniform(75, 90), volume)
    return Branch(rng.uniform(4.6, 5.4), volume)


def poisson(rng: random.Random, lam: float) -> int:
    """Knuth's method, in pieces of at most 30 so that e^-λ stays far from underflow."""
    n = 0
    while lam > 0:
        part = min(lam, 30.0)
        lam -= part
        limit, k, prod = math.exp(-part), -1, 1.0
        while prod > limit:
            prod *= rng.random()
            k += 1
        n += k
    return n


def day_sums(rng: random.Random, n: int, values: Sequence[float], weights: list[float]) -> Sums:
    if n == 0:
        return EMPTY
    counts = [0] * len(values)
    for i in rng.choices(range(len(values)), weights=weights, k=n):
        counts[i] += 1
    total = sum(c * v for c, v in zip(counts, values, strict=True))
    squares = sum(c * v * v for c, v in zip(counts, values, strict=True))
    return Sums(n, float(total), float(squares))


@dataclass(frozen=True, slots=True)
class Chain:
    first_day: date
    days: list[list[Sums]]  # per branch (b0 first), per day
    dip: tuple[int, int] | None  # [first, end) day indexes of b0's dip


def simulate(scenario: Scenario, rng: random.Random, history: int) -> Chain:
    """`history` days before the first evaluated one, then `scenario.evaluated` days."""
    metric, unit = scenario.metric, PER_NPS_POINT[scenario.metric]
    total = history + scenario.evaluated
    first = date(2025, 1, 1) + timedelta(days=rng.randrange(365))
    phase = rng.uniform(0, 2 * math.pi)
    branches = [draw_branch(metric, rng, scenario.volume)] + [
        draw_branch(metric, rng, scenario.volume * 2 ** rng.uniform(-1, 1))
        for _ in range(scenario.branches - 1)
    ]
    dip = (history + LEAD, history + LEAD + DIP_DAYS) if scenario.drop else None
    keep = math.exp(-1 / WANDER_DAYS)
    step = scenario.wander * math.sqrt(1 - keep * keep)
    wander = [rng.gauss(0, scenario.wander) for _ in branches]
    days: list[list[Sums]] = [[] for _ in branches]
    for t in range(total):
        weekday = (first + timedelta(days=t)).weekday()
        common = WEEKDAY_SCORE[weekday] + scenario.season * math.sin(phase + 2 * math.pi * t / 365)
        for b, branch in enumerate(branches):
            shift = common + wander[b]
            if b == 0 and dip is not None and dip[0] <= t < dip[1]:
                shift -= scenario.drop
            values, weights = distribution(metric, branch, branch.level + shift * unit)
            n = poisson(rng, branch.volume / 7 * WEEKDAY_VOLUME[weekday])
            days[b].append(day_sums(rng, n, values, weights))
            wander[b] = wander[b] * keep + step * rng.gauss(0, 1)
    return Chain(first, days, dip)


# ---------------------------------------------------------------- one run


@dataclass(frozen=True, slots=True)
class Opened:
    day: int  # evaluated day (0: the first), the alert opened at its end
    scope: str  # "chain" or the branch ("b0" is the one that may dip)
    direction: str
    questions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RunResult:
    scenario: Scenario
    opened: tuple[Opened, ...]
    series: int  # series watched each day
    days: int  # days evaluated
    dip_start: int | None  # evaluated day the dip began


def run_key(seed: int, scenario: Scenario, index: int) -> str:
    """The seed of one run: what it is, not how it is scheduled or which rules judge it."""
    return f"{seed}:{scenario.metric}:{scenario.volume:g}:{scenario.drop:g}:{index}"


def run_once(scenario: Scenario, rules: AlertRules, key: str) -> RunResult:
    """One chain simulated and watched day by day."""
    rng = random.Random(key)
    watch = rules.watch()
    history = watch.days - 1  # the first evaluated day is the first with a full series
    chain = simulate(scenario, rng, history)
    metric = scenario.metric
    totals = [Sums(*map(sum, zip(*day, strict=True))) for day in zip(*chain.days, strict=True)]
    keys: list[SeriesKey] = [(metric, "chain", None, ())] + [
        (metric, "location_id", f"b{b}", ()) for b in range(len(chain.days))
    ]
    rests = [[minus(c, d) for c, d in zip(totals, days, strict=True)] for days in chain.days]
    monitor = Monitor(rules.tuning(), watch, fdr=rules.fdr, improvements=rules.improvements)
    opened: list[Opened] = []
    for e in range(scenario.evaluated):
        end = history + e + 1
        lo = end - watch.days
        first = chain.first_day + timedelta(days=lo)
        series = [Series(keys[0], first, tuple(totals[lo:end]))] + [
            Series(keys[b + 1], first, tuple(days[lo:end]), tuple(rests[b][lo:end]))
            for b, days in enumerate(chain.days)
        ]
        outcome = monitor.step(series)
        for s, direction, found in outcome.opened:
            scope = s.key[2] or "chain"
            fired = tuple(f.question for f in found if f.fired)
            opened.append(Opened(e, scope, direction, fired))
    dip_start = chain.dip[0] - history if chain.dip else None
    return RunResult(scenario, tuple(opened), len(keys), scenario.evaluated, dip_start)


def _task(args: tuple[Scenario, dict[str, Any], str]) -> RunResult:
    scenario, rules, key = args
    return run_once(scenario, AlertRules(**rules), key)


def run_many(tasks: Sequence[tuple[Scenario, AlertRules, str]], jobs: int) -> list[RunResult]:
    """Every task, in order, on `jobs` processes."""
    payload = [(s, r.model_dump(), k) for s, r, k in tasks]
    if jobs <= 1:
        return [_task(p) for p in payload]
    with ProcessPoolExecutor(jobs) as pool:
        return list(pool.map(_task, payload, chunksize=max(1, len(payload) // (jobs * 8))))


# ---------------------------------------------------------------- the figures


@dataclass(frozen=True, slots=True)
class Detection:
    """What one dip run says about the dip."""

    delay: int | None  # days of dip data seen when the alert opened; None: not found
    early: int  # alerts on b0 before the dip began
    other_false: int  # alerts on the other branches
    other_days: int  # branch-days of the other branches evaluated
    chain_alerts: int  # alerts on the chain scope (it moved by a tenth of the dip or so)


def detection(result: RunResult) -> Detection:
    start = result.dip_start
    assert start is not None
    delay = None
    for a in result.opened:
        if a.scope == "b0" and a.direction == "down" and start <= a.day < start + DIP_DAYS + GRACE:
            delay = a.day - start + 1
            break
    branches = result.series - 1
    return Detection(
        delay=delay,
        early=sum(a.scope == "b0" and a.day < start for a in result.opened),
        other_false=sum(a.scope not in ("b0", "chain") for a in result.opened),
        other_days=(branches - 1) * result.days,
        chain_alerts=sum(a.scope == "chain" for a in result.opened),
    )


@dataclass(slots=True)
class DipCell:
    metric: str
    drop: float
    volume: float
    runs: int = 0
    detected: int = 0
    within7: int = 0
    within14: int = 0
    delays: list[int] = field(default_factory=list)
    early: int = 0
    other_false: int = 0
    other_days: int = 0
    chain_alerts: int = 0

    def add(self, d: Detection) -> None:
        self.runs += 1
        if d.delay is not None:
            self.detected += 1
            self.within7 += d.delay <= 7
            self.within14 += d.delay <= 14
            self.delays.append(d.delay)
        self.early += d.early
        self.other_false += d.other_false
        self.other_days += d.other_days
        self.chain_alerts += d.chain_alerts

    def summary(self) -> dict[str, Any]:
        return {
            "metric": self.metric, "size": -self.drop * PER_NPS_POINT[self.metric],
            "volume": self.volume, "runs": self.runs,
            "detected": _share(self.detected, self.runs),
            "within_7_days": _share(self.within7, self.runs),
            "within_7_days_ci95": wilson(self.within7, self.runs),
            "within_14_days": _share(self.within14, self.runs),
            "median_delay": statistics.median(self.delays) if self.delays else None,
            "p90_delay": _quantile(self.delays, 0.9),
            "alerts_before_dip": self.early,
            "false_other_branches": self.other_false,
            "false_per_100_branch_months": _per100(self.other_false, self.other_days),
            "chain_alerts": self.chain_alerts,
        }  # fmt: skip


@dataclass(slots=True)
class StableCell:
    metric: str
    volume: float
    runs: int = 0
    alerts: int = 0
    down: int = 0
    chain: int = 0
    series_days: int = 0
    branch_days: int = 0

    def add(self, result: RunResult) -> None:
        self.runs += 1
        self.alerts += len(result.opened)
        self.down += sum(a.direction == "down" for a in result.opened)
        self.chain += sum(a.scope == "chain" for a in result.opened)
        self.series_days += result.series * result.days
        self.branch_days += (result.series - 1) * result.days

    def summary(self) -> dict[str, Any]:
        return {
            "metric": self.metric, "volume": self.volume, "runs": self.runs,
            "scope_months": self.series_days / MONTH, "alerts": self.alerts,
            "down": self.down, "chain": self.chain,
            "per_100_scope_months": _per100(self.alerts, self.series_days),
            "per_100_scope_months_upper95": _per100(poisson_upper(self.alerts), self.series_days),
            "down_per_100_scope_months": _per100(self.down, self.series_days),
            "per_100_branch_months": _per100(self.alerts - self.chain, self.branch_days),
        }  # fmt: skip


def _share(k: int, n: int) -> float | None:
    return 100 * k / n if n else None


def _per100(k: float, days: int) -> float | None:
    return 100 * k / (days / MONTH) if days else None


def _quantile(xs: Sequence[int], q: float) -> float | None:
    if not xs:
        return None
    s = sorted(xs)
    return float(s[min(len(s) - 1, math.ceil(q * len(s)) - 1)])


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float] | None:
    """95 % Wilson interval of a share, in %."""
    if n == 0:
        return None
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return 100 * max(0.0, centre - half), 100 * min(1.0, centre + half)


def poisson_upper(k: int, alpha: float = 0.025) -> float:
    """The upper end of the exact two-sided 95 % interval of a Poisson mean, k observed."""

    def cdf(lam: float) -> float:
        term = total = math.exp(-lam)
        for i in range(1, k + 1):
            term *= lam / i
            total += term
        return total

    lo, hi = float(k), float(k) + 10 * math.sqrt(k + 1) + 10
    for _ in range(80):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if cdf(mid) > alpha else (lo, mid)
    return (lo + hi) / 2


# ---------------------------------------------------------------- the report


def rules_from(args: argparse.Namespace, **override: float) -> AlertRules:
    fields: dict[str, Any] = {}
    for name in ("threshold", "shift_factor", "fdr", "improvements"):
        value = override.get(name, getattr(args, name))
        if value is not None:
            fields[name] = value
    return AlertRules(**fields)


def _fmt(x: float | None, digits: int = 0) -> str:
    return "-" if x is None else f"{x:.{digits}f}"


def _size(metric: str, drop: float) -> str:
    size = drop * PER_NPS_POINT[metric]
    return f"-{size:g}" if size else "0"


def bench(args: argparse.Namespace) -> dict[str, Any]:
    rules = rules_from(args)
    tasks: list[tuple[Scenario, AlertRules, str]] = []
    for metric in args.metrics:
        for volume in args.volumes:
            for drop in (*args.sizes, 0.0):
                scenario = Scenario(metric, volume, drop, args.branches, args.wander, args.season)
                count = args.runs if drop else args.stable_runs
                tasks += [(scenario, rules, run_key(args.seed, scenario, i)) for i in range(count)]
    results = run_many(tasks, args.jobs)
    dips: dict[tuple[str, float, float], DipCell] = {}
    stable: dict[tuple[str, float], StableCell] = {}
    for r in results:  # in the order of the tasks: metric, volume, size
        m, v, d = r.scenario.metric, r.scenario.volume, r.scenario.drop
        if d:
            dips.setdefault((m, d, v), DipCell(m, d, v)).add(detection(r))
        else:
            stable.setdefault((m, v), StableCell(m, v)).add(r)
    t = rules.tuning()
    print(
        f"Rules: threshold {rules.threshold:g} nats, shift factor {rules.shift_factor:g}, "
        f"FDR {rules.fdr:g}, improvements {'on' if rules.improvements else 'off'}, "
        f"baseline {rules.baseline_days} + window {rules.window_days} days; min change "
        + ", ".join(f"{m} {t[m].min_change:g}" for m in args.metrics)
        + f". {args.runs} dip runs per cell, {args.stable_runs} stable runs per volume "
        f"({STABLE_DAYS} days each), seed {args.seed}, {args.branches} branches, "
        f"wander {args.wander:g}, season {args.season:g} NPS points.\n"
    )
    print("### Dips (one branch, 28 days; volume = its answers a week)\n")
    print(
        "| metric | size | volume | runs | detected % | ≤ 7 d % | ≤ 14 d % | median delay (d) "
        "| p90 delay (d) | alerts before dip | false /100 branch-months (other branches) "
        "| chain alerts |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for (metric, drop, volume), c in sorted(dips.items(), key=_order(args.metrics)):
        s = c.summary()
        print(
            f"| {metric} | {_size(metric, drop)} | {volume:g} | {c.runs} | "
            f"{_fmt(s['detected'])} | {_fmt(s['within_7_days'])} | {_fmt(s['within_14_days'])} "
            f"| {_fmt(s['median_delay'], 1)} | {_fmt(s['p90_delay'])} | {c.early} | "
            f"{_fmt(s['false_per_100_branch_months'], 2)} | {c.chain_alerts} |"
        )
    print("\n### Stable chains (no dip; every alert is false)\n")
    print(
        "| metric | volume | runs | scope-months | alerts (down) | per 100 scope-months "
        "(95 % upper) | down per 100 scope-months | per 100 branch-months | chain alerts |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for (metric, volume), sc in stable.items():
        s = sc.summary()
        print(
            f"| {metric} | {volume:g} | {sc.runs} | {s['scope_months']:.0f} | "
            f"{sc.alerts} ({sc.down}) | {_fmt(s['per_100_scope_months'], 2)} "
            f"({_fmt(s['per_100_scope_months_upper95'], 2)}) | "
            f"{_fmt(s['down_per_100_scope_months'], 2)} | {_fmt(s['per_100_branch_months'], 2)} "
            f"| {sc.chain} |"
        )
    verdicts = targets(dips, stable)
    print()
    for line in verdicts:
        print(line)
    return {
        "rules": rules.model_dump(),
        "dips": [c.summary() for c in dips.values()],
        "stable": [c.summary() for c in stable.values()],
        "targets": verdicts,
    }


def _order(metrics: list[str]) -> Callable[[tuple[tuple[str, float, float], Any]], Any]:
    return lambda item: (metrics.index(item[0][0]), *item[0][1:])


def targets(
    dips: dict[tuple[str, float, float], DipCell], stable: dict[tuple[str, float], StableCell]
) -> list[str]:
    out = []
    cell = dips.get(("nps", *NPS_TARGET))
    if cell is None:
        out.append("Target 1 (NPS -20 at 100 a week within 7 days in ≥ 90 % of runs): not run.")
    else:
        s = cell.summary()
        lo, hi = s["within_7_days_ci95"]
        met = "met" if s["within_7_days"] >= 90 else "NOT met"
        out.append(
            f"Target 1 (NPS -20 at 100 a week found within 7 days in ≥ 90 % of runs): {met} — "
            f"{s['within_7_days']:.0f} % (95 % CI {lo:.0f}-{hi:.0f} %); within 14 days "
            f"{s['within_14_days']:.0f} %, median delay {_fmt(s['median_delay'], 1)} days."
        )
    if not stable:
        out.append("Target 2 (≤ 1 false alert per 100 scope-months): not run.")
    else:
        alerts = sum(c.alerts for c in stable.values())
        days = sum(c.series_days for c in stable.values())
        rate = _per100(alerts, days) or 0.0
        worst = max(stable.values(), key=lambda c: _per100(c.alerts, c.series_days) or 0.0)
        met = "met" if rate <= 1 else "NOT met"
        out.append(
            f"Target 2 (≤ 1 false alert per 100 scope-months on stable data, both directions): "
            f"{met} — {rate:.2f} overall ({alerts} alerts in {days / MONTH:.0f} scope-months, "
            f"95 % upper {_per100(poisson_upper(alerts), days):.2f}); worst cell {worst.metric} "
            f"at {worst.volume:g} a week: {_per100(worst.alerts, worst.series_days):.2f}."
        )
    return out


def sweep(args: argparse.Namespace) -> dict[str, Any]:
    drop, volume = NPS_TARGET
    dip, calm = (
        Scenario("nps", volume, d, args.branches, args.wander, args.season) for d in (drop, 0.0)
    )
    settings = [(h, f) for h in args.sweep_thresholds for f in args.sweep_shift_factors]
    tasks: list[tuple[Scenario, AlertRules, str]] = []
    for h, f in settings:
        rules = rules_from(args, threshold=h, shift_factor=f)
        tasks += [(dip, rules, run_key(args.seed, dip, i)) for i in range(args.runs)]
        tasks += [(calm, rules, run_key(args.seed, calm, i)) for i in range(args.stable_runs)]
    results = iter(run_many(tasks, args.jobs))
    base = rules_from(args)
    print(
        f"Sweep: NPS -{drop:g} at {volume:g} answers a week; {args.runs} dip runs and "
        f"{args.stable_runs} stable runs ({STABLE_DAYS} days) per setting, the same chains "
        f"for every setting; FDR {base.fdr:g}, improvements {'on' if base.improvements else 'off'}."
        "\n"
    )
    print(
        "| threshold | shift factor | shift (NPS) | detected % | ≤ 7 d % | ≤ 14 d % "
        "| median delay (d) | false /100 scope-months (stable) | down /100 scope-months "
        "| false /100 branch-months (dip runs, other branches) |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    rows = []
    for h, f in settings:
        cell, sc = DipCell("nps", drop, volume), StableCell("nps", volume)
        for _ in range(args.runs):
            cell.add(detection(next(results)))
        for _ in range(args.stable_runs):
            sc.add(next(results))
        d, s = cell.summary(), sc.summary()
        rows.append({"threshold": h, "shift_factor": f, "dip": d, "stable": s})
        print(
            f"| {h:g} | {f:g} | {10 * f:g} | {_fmt(d['detected'])} | {_fmt(d['within_7_days'])} "
            f"| {_fmt(d['within_14_days'])} | {_fmt(d['median_delay'], 1)} | "
            f"{_fmt(s['per_100_scope_months'], 2)} | {_fmt(s['down_per_100_scope_months'], 2)} "
            f"| {_fmt(d['false_per_100_branch_months'], 2)} |"
        )
    return {"sweep": rows}


def _numbers(text: str) -> list[float]:
    return [float(x) for x in text.split(",") if x.strip()]


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="bench.alerts", description=__doc__.split("\n\n")[0])
    p.add_argument("--runs", type=int, default=60, help="dip runs per cell (60)")
    p.add_argument(
        "--stable-runs", type=int, default=12,
        help=f"stable runs per metric and volume, {STABLE_DAYS} days each (12)",
    )  # fmt: skip
    p.add_argument("--seed", type=int, default=1, help="random seed (1)")
    p.add_argument(
        "--metrics", type=lambda s: [m for m in s.split(",") if m], default=list(METRICS),
        help="nps,csat,ces",
    )  # fmt: skip
    p.add_argument(
        "--volumes", type=_numbers, default=[25.0, 50.0, 100.0, 200.0],
        help="answers a week of the branch watched (25,50,100,200)",
    )  # fmt: skip
    p.add_argument(
        "--sizes", type=_numbers, default=[10.0, 20.0, 30.0],
        help="drops in NPS points; CSAT by half, CES by a 40th (10,20,30)",
    )  # fmt: skip
    default = AlertRules()
    p.add_argument(
        "--threshold", type=float, help=f"evidence in nats (rules: {default.threshold:g})"
    )  # fmt: skip
    p.add_argument("--shift-factor", type=float, help=f"(rules: {default.shift_factor:g})")
    p.add_argument("--fdr", type=float, help=f"(rules: {default.fdr:g})")
    p.add_argument(
        "--improvements", action=argparse.BooleanOptionalAction,
        help=f"alert on changes for the better too (rules: {default.improvements})",
    )  # fmt: skip
    p.add_argument("--branches", type=int, default=10, help="branches a chain (10)")
    p.add_argument("--wander", type=float, default=WANDER, help="NPS points; 0: off (2)")
    p.add_argument(
        "--season", type=float, default=SEASON, help="NPS points, yearly amplitude; 0: off (5)"
    )  # fmt: skip
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes")
    p.add_argument("--json", type=Path, help="also write the figures here")
    p.add_argument("--sweep", action="store_true", help="thresholds x shift factors instead")
    p.add_argument("--sweep-thresholds", type=_numbers, default=[4.0, 5.0, 6.0, 7.0, 8.0])
    p.add_argument("--sweep-shift-factors", type=_numbers, default=[1.5, 2.0, 2.5])
    args = p.parse_args(argv)
    unknown = set(args.metrics) - set(METRICS)
    if unknown:
        p.error(f"no model of {', '.join(sorted(unknown))}; choose from {', '.join(METRICS)}")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    figures = sweep(args) if args.sweep else bench(args)
    elapsed = time.perf_counter() - started
    print(f"\n{elapsed:.0f} s on {args.jobs} process(es).")
    if args.json is not None:
        figures["seconds"] = elapsed
        figures["args"] = {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()}
        args.json.write_text(json.dumps(figures, indent=2, default=_jsonable) + "\n")
    return 0


def _jsonable(x: object) -> object:
    if isinstance(x, Iterable):
        return list(x)
    return str(x)


if __name__ == "__main__":
    sys.exit(main())
