"""The alert detector: plain functions over daily series, no I/O (docs/alerts.md).

A *series* is one metric in one scope (the chain, a region, a branch, a
channel...) as daily sums of per-answer scores (`Sums`), oldest day first, the
last day being the day of the evaluation (possibly not over yet). The worker
(`app/alerts/service.py`), the backtest and the simulation in `bench/alerts.py`
all run the same `evaluate`.

Each series answers two questions, in each direction (down, and up when
improvements are on):

- **own past**: is the level now different from the scope's own baseline (the
  `baseline_days` before the `window_days` being watched)?
- **rest of chain**: has the scope's gap to the rest of the chain over the
  same days moved away from the gap it had in the baseline? (A branch that has
  always been below the chain is a consistency finding, not news.)

Both are a CUSUM of the log-likelihood ratio of "shifted by `shift`" against
"as in the baseline", day by day, weighted by each day's answers (the
CUSUM for normal means with known variance and varying sample sizes). Its
statistic S is the evidence in nats; `p = exp(-S)` is a valid p-value at every
look (Kingman's bound on the reflected random walk: the likelihood ratio of a
day has mean 1 under no change), and the expected number of days with a false
crossing of h is at most `exp(-h)` per day (Lorden), whatever the number of
looks. The p-values of every series checked in one round go through
Benjamini-Hochberg. An alert opens only when the evidence crosses the
threshold, the adjusted p-value is at most `fdr`, the estimated change is at
least the metric's `min_change` and both the watched days and the baseline
have enough answers.

The baseline is an estimate; its own noise would raise the false-alarm rate of
a chart that took it as the truth. The reference is therefore moved by
`guard_z` standard errors of the baseline towards the direction tested (the
"guaranteed in-control performance" adjustment, Gandy & Kvaløy 2013). An open
alert keeps the reference it was opened with (the dip must not become its own
baseline) and resolves when the mirrored CUSUM (evidence for "back to the
baseline" against "still shifted") crosses `resolve_threshold`.
"""

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Literal, NamedTuple

from app.stats import benjamini_hochberg

Direction = Literal["down", "up"]
Question = Literal["own_past", "rest_of_chain"]
DIRECTIONS: tuple[Direction, ...] = ("down", "up")
QUESTIONS: tuple[Question, ...] = ("own_past", "rest_of_chain")


class Sums(NamedTuple):
    """Answers of one day (or of several summed): their number, and the sum and the sum of
    squares of their per-answer scores on the metric's scale."""

    n: int = 0
    total: float = 0.0
    squares: float = 0.0


EMPTY = Sums()


def add(parts: Iterable[Sums]) -> Sums:
    n, total, squares = 0, 0.0, 0.0
    for part in parts:
        n += part.n
        total += part.total
        squares += part.squares
    return Sums(n, total, squares)


def minus(whole: Sums, part: Sums) -> Sums:
    return Sums(whole.n - part.n, whole.total - part.total, whole.squares - part.squares)


@dataclass(frozen=True, slots=True)
class Tuning:
    """How one metric is watched (the alert rules, resolved per metric)."""

    min_change: float  # the smallest change worth an alert, in the metric's units
    shift: float  # the change the CUSUM is tuned to detect (at least min_change)
    min_n: int = 30  # answers in the watched days since the change began
    min_baseline_n: int = 100  # answers in the baseline
    threshold: float = 8.0  # h: evidence (nats) an alert needs; false crossings <= e^-h a day
    resolve_threshold: float = 3.0  # evidence (nats) for "back to normal" that resolves one
    guard_z: float = 1.28  # baseline standard errors the reference is moved by
    variance_floor: float = 0.0  # the least per-answer variance assumed (a share of 0 % ...)
    worse: Direction = "down"  # the direction that is bad news ("up" for the late share)


@dataclass(frozen=True, slots=True)
class Reference:
    """What "normal" is for one question: the mean level (own past) or the mean gap to the
    rest of the chain (rest of chain), the per-answer variances, and the baseline's n."""

    level: float  # baseline mean (own past) or baseline gap scope - rest (rest of chain)
    variance: float  # per-answer variance of the scope's scores in the baseline
    rest_variance: float  # of the rest of the chain (0 for own past)
    se: float  # standard error of `level`
    n: int  # baseline answers of the scope
    tau2: float = 0.0  # the variance between days beyond the answers' own (day effects)


def mean(s: Sums) -> float | None:
    return s.total / s.n if s.n else None


def variance(s: Sums, floor: float) -> float:
    """The per-answer variance (population form), at least `floor`."""
    if s.n == 0:
        return floor
    m = s.total / s.n
    return max(s.squares / s.n - m * m, floor)


def between_days(points: Sequence[tuple[float, float]]) -> float:
    """The variance between days beyond what each day's own sampling variance explains
    (DerSimonian-Laird's moment estimator, over (daily value, its variance) pairs; 0 when
    the days vary no more than their answers do).

    Real days differ by more than their answers' noise: weather, events, who is on
    shift, the weekday. A chart that ignored it would take a busy scope's ordinary
    ups and downs for changes (Laney's p' chart makes the same correction).
    """
    if len(points) < 2:
        return 0.0
    weights = [1 / v for _, v in points]
    total = sum(weights)
    centre = sum(w * x for w, (x, _) in zip(weights, points, strict=True)) / total
    q = sum(w * (x - centre) ** 2 for w, (x, _) in zip(weights, points, strict=True))
    scale = total - sum(w * w for w in weights) / total
    return max(0.0, (q - (len(points) - 1)) / scale) if scale > 0 else 0.0


def own_past_reference(days: Sequence[Sums], tuning: Tuning) -> Reference | None:
    """Normal for the own-past question, from the baseline days."""
    base = add(days)
    if base.n < tuning.min_baseline_n:
        return None
    var = variance(base, tuning.variance_floor)
    points = [(d.total / d.n, var / d.n) for d in days if d.n]
    tau2 = between_days(points)
    se = math.sqrt(var / base.n + tau2 / len(points))
    return Reference(base.total / base.n, var, 0.0, se, base.n, tau2)


def rest_of_chain_reference(
    days: Sequence[Sums], rest: Sequence[Sums], tuning: Tuning
) -> Reference | None:
    """Normal for the rest-of-chain question: the baseline gap, from the baseline days."""
    base, other = add(days), add(rest)
    if base.n < tuning.min_baseline_n or other.n < tuning.min_baseline_n:
        return None
    var = variance(base, tuning.variance_floor)
    rest_var = variance(other, tuning.variance_floor)
    points = [
        (d.total / d.n - r.total / r.n, var / d.n + rest_var / r.n)
        for d, r in zip(days, rest, strict=True)
        if d.n and r.n
    ]
    tau2 = between_days(points)
    se = math.sqrt(var / base.n + rest_var / other.n + tau2 / max(len(points), 1))
    gap = base.total / base.n - other.total / other.n
    return Reference(gap, var, rest_var, se, base.n, tau2)


Observation = tuple[float, float] | None
"""One day's deviation from the reference (positive: in the tested direction) and its
variance; None for a day without answers."""


def observations(
    question: Question,
    days: Sequence[Sums],
    rest: Sequence[Sums] | None,
    reference: Reference,
    direction: Direction,
    guard_z: float,
) -> list[Observation]:
    """Each day's signed deviation from the guarded reference, and its variance.

    The reference moves `guard_z` standard errors towards `direction`: an alert
    must show a change beyond what the baseline's own noise could explain.
    """
    sign = -1.0 if direction == "down" else 1.0
    guarded = reference.level + sign * guard_z * reference.se
    out: list[Observation] = []
    for i, day in enumerate(days):
        if day.n == 0:
            out.append(None)
            continue
        value, var = day.total / day.n, reference.variance / day.n + reference.tau2
        if question == "rest_of_chain":
            other = rest[i] if rest is not None else EMPTY
            if other.n == 0:
                out.append(None)
                continue
            value -= other.total / other.n
            var += reference.rest_variance / other.n
        out.append((sign * (value - guarded), var))
    return out


class Run(NamedTuple):
    statistic: float  # S at the last day, in nats (0: no evidence of a change)
    start: int | None  # index of the day the current run began (the change-point estimate)


def cusum(days: Sequence[Observation], shift: float) -> Run:
    """The CUSUM of the log-likelihood ratio "deviation = shift" against "= 0".

    A day with deviation d and variance v adds (shift·d - shift²/2) / v; S never
    goes below 0, and a run starts on the first day that lifts it from 0.
    """
    s, start = 0.0, None
    for i, day in enumerate(days):
        if day is None:
            continue
        d, v = day
        s += (shift * d - shift * shift / 2) / v
        if s <= 0:
            s, start = 0.0, None
        elif start is None:
            start = i
    return Run(s, start)


def change_start(days: Sequence[Observation]) -> int | None:
    """The most likely first day of a change at the end of `days`: the start whose days,
    to the end, deviate most in the tested direction (the generalised likelihood ratio
    for a shift of unknown size, sum(d/v) / sqrt(sum(1/v))). More accurate than where
    the CUSUM last left 0, which a run of ordinary days just before a change moves
    earlier."""
    best, best_z = None, 0.0
    weighted = information = 0.0
    for i in range(len(days) - 1, -1, -1):
        day = days[i]
        if day is None:
            continue
        d, v = day
        weighted += d / v
        information += 1 / v
        z = weighted / math.sqrt(information)
        if z > best_z:
            best, best_z = i, z
    return best


def recovery(days: Sequence[Observation], shift: float) -> Run:
    """The mirrored CUSUM: evidence for "deviation = 0" (back to the reference) against
    "= shift" (still changed). Its increments are those of `cusum(days, shift)`, negated."""
    return cusum([None if d is None else (shift - d[0], d[1]) for d in days], shift)


def p_value(statistic: float) -> float:
    """exp(-S): valid at every look (Kingman's bound; docs/alerts.md)."""
    return min(1.0, math.exp(-statistic))


# ---------------------------------------------------------------- one round


SeriesKey = tuple[str, str, str | None, tuple[tuple[str, str], ...]]
"""(metric, dimension, value, other conditions of the scope as sorted (dimension, value))"""


@dataclass(frozen=True, slots=True)
class Series:
    key: SeriesKey
    first_day: date  # the local day of days[0]
    days: tuple[Sums, ...]  # Watch.days days, the last being the evaluation day
    rest: tuple[Sums, ...] | None = None  # the rest of the chain on the same days
    min_n: int = 0  # a floor of the scope's own on the answers an alert needs (employees)
    # Days under an earlier alert of this series, [first, last): not normal, so never
    # part of a baseline (after a dip, the recovery is not an improvement).
    excluded: tuple[tuple[date, date], ...] = ()

    def day(self, index: int) -> date:
        return self.first_day + timedelta(days=index)

    def index(self, day: date) -> int:
        return (day - self.first_day).days


@dataclass(frozen=True, slots=True)
class Watch:
    """The days an evaluation reads: the baseline, then the watched window (ending with
    the evaluation day)."""

    baseline_days: int = 56
    window_days: int = 28

    @property
    def days(self) -> int:
        return self.baseline_days + self.window_days


@dataclass(frozen=True, slots=True)
class Finding:
    """One question's answer for one series and direction."""

    question: Question
    statistic: float
    p_value: float
    since: date  # the first day of the change (the run's start)
    change: float  # estimated change since `since`, signed, in the metric's units
    level_change: float  # the scope's own level since `since` minus its baseline level
    current: Sums  # the scope since `since`
    adjusted_p: float = 1.0  # across the round's tests (Benjamini-Hochberg); 1 when not tested
    fired: bool = False  # this question opened the alert


@dataclass(slots=True)
class OpenAlert:
    """What an open alert keeps between rounds: the references it was opened against and
    the day (index into the current round's days) the change began."""

    key: SeriesKey
    direction: Direction
    references: dict[Question, Reference]
    since: date  # the first day of the change; may lie before the days read


@dataclass(slots=True)
class Outcome:
    opened: list[tuple[Series, Direction, list[Finding]]] = field(default_factory=list)
    updated: list[tuple[Series, OpenAlert, list[Finding]]] = field(default_factory=list)
    resolved: list[tuple[Series, OpenAlert, list[Finding]]] = field(default_factory=list)
    tested: int = 0  # hypotheses in the BH family of this round


def _estimate(question: Question, series: Series, start: int, reference: Reference) -> float:
    """The change since `start`: the mean then minus the reference level (own past), or the
    gap to the rest of the chain then minus the baseline gap (rest of chain)."""
    current = add(series.days[max(start, 0) :])
    value = mean(current) or 0.0
    if question == "rest_of_chain" and series.rest is not None:
        value -= mean(add(series.rest[max(start, 0) :])) or 0.0
    return value - reference.level


def _finding(
    question: Question,
    series: Series,
    direction: Direction,
    tuning: Tuning,
    reference: Reference,
    start_at: int,
    own_level: float,
) -> Finding:
    """The CUSUM of one question over the days from `start_at` to the evaluation day;
    `own_level` is the scope's baseline level (for the size check on its own change)."""
    obs = observations(
        question, series.days[start_at:], series.rest[start_at:] if series.rest else None,
        reference, direction, tuning.guard_z,
    )  # fmt: skip
    run = cusum(obs, tuning.shift)
    if run.start is None:  # no evidence of a change (most series, most days): no estimates
        end = series.day(len(series.days))
        return Finding(question, 0.0, 1.0, end, 0.0, 0.0, EMPTY)
    begun = change_start(obs)
    start = start_at + (begun if begun is not None else run.start)
    current = add(series.days[start:])
    return Finding(
        question=question,
        statistic=run.statistic,
        p_value=p_value(run.statistic),
        since=series.day(start),
        change=_estimate(question, series, start, reference),
        level_change=(mean(current) or 0.0) - own_level,
        current=current,
    )


def watched_from(series: Series, watch: Watch) -> int:
    """The first watched day: the window's, or the day after the last one under an earlier
    alert (a resolved change must not open a new alert on its own days)."""
    ends = [series.index(b) for _, b in series.excluded if b <= series.day(len(series.days))]
    return max([watch.baseline_days, *ends])


def baseline_days(series: Series, watch: Watch) -> list[int]:
    """The baseline: the days before the watched ones, less those under an earlier alert
    of the series (as indexes)."""
    if not series.excluded:
        return list(range(watch.baseline_days))
    return [
        i for i in range(watch.baseline_days)
        if not any(a <= series.day(i) < b for a, b in series.excluded)
    ]  # fmt: skip


def baseline(series: Series, watch: Watch) -> Sums:
    """The scope's baseline sums."""
    return add(series.days[i] for i in baseline_days(series, watch))


def references(series: Series, watch: Watch, tuning: Tuning) -> dict[Question, Reference]:
    days = baseline_days(series, watch)
    out: dict[Question, Reference] = {}
    if len(days) * 2 < watch.baseline_days:  # mostly under an earlier alert: wait
        return out
    own = own_past_reference([series.days[i] for i in days], tuning)
    if own is not None:
        out["own_past"] = own
    if series.rest is not None:
        rest = series.rest
        chain = rest_of_chain_reference(
            [series.days[i] for i in days], [rest[i] for i in days], tuning
        )
        if chain is not None:
            out["rest_of_chain"] = chain
    return out


def _size_ok(finding: Finding, series: Series, direction: Direction, tuning: Tuning) -> bool:
    """Large enough to matter: the question's change, and the scope's own level too (a scope
    that only looks better because the rest of the chain got worse has not changed)."""
    sign = 1.0 if direction == "up" else -1.0
    return (
        sign * finding.change >= tuning.min_change
        and sign * finding.level_change >= tuning.min_change
        and finding.current.n >= max(tuning.min_n, series.min_n)
    )


def evaluate(
    series: Iterable[Series],
    open_alerts: Mapping[tuple[SeriesKey, Direction], OpenAlert],
    tuning: Mapping[str, Tuning],
    watch: Watch,
    *,
    fdr: float = 0.05,
    improvements: bool = False,
) -> Outcome:
    """One round: which alerts open, which stay open (with fresh evidence), which resolve.

    `series` hold `watch.days` days each (the last is the evaluation day); a series
    without an open alert in a direction is tested on its watched window against its
    baseline; an open one is checked for recovery against the references it was
    opened with. BH runs over every (series, question, direction) tested.
    """
    outcome = Outcome()
    candidates: list[tuple[Series, Direction, Finding]] = []
    for s in series:
        t = tuning[s.key[0]]
        refs: dict[Question, Reference] | None = None
        for direction in DIRECTIONS:
            alert = open_alerts.get((s.key, direction))
            if alert is not None:
                _follow(s, alert, watch, t, outcome)
                continue
            if not improvements and direction != t.worse:
                continue
            if refs is None:
                refs = references(s, watch, t)
            if not refs:  # too few answers for a baseline (own past and gap alike)
                continue
            own_level = refs["own_past"].level  # there whenever the gap's reference is
            for question, ref in refs.items():
                f = _finding(question, s, direction, t, ref, watched_from(s, watch), own_level)
                candidates.append((s, direction, f))
    outcome.tested = len(candidates)
    adjusted = benjamini_hochberg([f.p_value for _, _, f in candidates])
    tests: dict[tuple[SeriesKey, Direction], tuple[Series, list[Finding]]] = {}
    for (s, direction, f), q in zip(candidates, adjusted, strict=True):
        t = tuning[s.key[0]]
        fired = f.statistic >= t.threshold and q <= fdr and _size_ok(f, s, direction, t)
        tests.setdefault((s.key, direction), (s, []))[1].append(
            replace(f, adjusted_p=q, fired=fired)
        )
    for (_, direction), (s, found) in tests.items():
        if any(f.fired for f in found):
            outcome.opened.append((s, direction, found))
    return outcome


def _follow(series: Series, alert: OpenAlert, watch: Watch, tuning: Tuning, out: Outcome) -> None:
    """An open alert: still changed, or recovered? Measured over the watched window since
    the change began, against the references it was opened with."""
    start_at = max(series.index(alert.since), watch.baseline_days)
    findings, recovered = [], True
    for question, ref in alert.references.items():
        if question == "rest_of_chain" and series.rest is None:
            continue
        mine, rest = series.days[start_at:], series.rest[start_at:] if series.rest else None
        obs = observations(question, mine, rest, ref, alert.direction, tuning.guard_z)
        still = cusum(obs, tuning.shift).statistic
        # Back to normal: evidence for "no change" against "the smallest change worth an
        # alert", from the reference itself (the guard would favour resolving).
        plain = observations(question, mine, rest, ref, alert.direction, 0.0)
        findings.append(
            Finding(
                question=question,
                statistic=still,
                p_value=p_value(still),
                since=alert.since,
                change=_estimate(question, series, start_at, ref),
                level_change=_estimate(
                    "own_past", series, start_at, alert.references.get("own_past", ref)
                ),
                current=add(series.days[start_at:]),
            )
        )
        back = recovery(plain, tuning.min_change).statistic
        recovered = recovered and back >= tuning.resolve_threshold
    (out.resolved if recovered else out.updated).append((series, alert, findings))


class Monitor:
    """The detector's memory between rounds, in memory: the backtest and the simulation
    step it day by day (the worker keeps the same state in the `alerts` table)."""

    def __init__(
        self, tuning: Mapping[str, Tuning], watch: Watch, *, fdr: float = 0.05,
        improvements: bool = False,
    ) -> None:  # fmt: skip
        self.tuning, self.watch, self.fdr, self.improvements = tuning, watch, fdr, improvements
        self.open: dict[tuple[SeriesKey, Direction], OpenAlert] = {}
        self.past: dict[SeriesKey, list[tuple[date, date]]] = {}  # resolved alerts' days

    def step(self, series: Sequence[Series]) -> Outcome:
        """Evaluate one round; `series` end with the evaluation day."""
        series = [with_excluded(s, self.past.get(s.key, ()), self.open) for s in series]
        out = evaluate(
            series, self.open, self.tuning, self.watch, fdr=self.fdr,
            improvements=self.improvements,
        )  # fmt: skip
        for s, direction, found in out.opened:
            self.open[(s.key, direction)] = opened_alert(
                s, direction, found, self.tuning[s.key[0]], self.watch
            )
        for s, alert, _ in out.resolved:
            del self.open[(s.key, alert.direction)]
            last = s.day(len(s.days))  # resolved at the end of the evaluation day
            self.past.setdefault(s.key, []).append((alert.since, last))
        return out


def with_excluded(
    series: Series,
    past: Iterable[tuple[date, date]],
    open_alerts: Mapping[tuple[SeriesKey, Direction], OpenAlert],
) -> Series:
    """The series with the days under its resolved and open alerts excluded from baselines."""
    periods = [p for p in past if p[1] > series.first_day]
    end = series.day(len(series.days))
    for direction in DIRECTIONS:
        alert = open_alerts.get((series.key, direction))
        if alert is not None:
            periods.append((alert.since, end))
    return replace(series, excluded=tuple(periods)) if periods else series


def opened_alert(
    series: Series, direction: Direction, found: Sequence[Finding], tuning: Tuning, watch: Watch
) -> OpenAlert:
    """The state an alert opened by `found` keeps: every question's reference (a scope that
    moved with the chain must also be back on its own past to resolve) and the earliest
    start of the questions that fired."""
    refs = references(series, watch, tuning)
    return OpenAlert(series.key, direction, refs, min(f.since for f in found if f.fired))
