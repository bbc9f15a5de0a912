"""The detector's pure parts: CUSUM, its p-value, Benjamini-Hochberg, the between-day
variance, and one round's decisions (open, hold, resolve), with no database."""

import math
import random
from dataclasses import replace
from datetime import date, timedelta

import pytest

from app.alerts import detect
from app.alerts.detect import (
    Monitor,
    OpenAlert,
    Series,
    Sums,
    Watch,
    between_days,
    cusum,
    evaluate,
    p_value,
    recovery,
)
from app.alerts.rules import AlertRules
from app.stats import benjamini_hochberg

FIRST = date(2026, 3, 2)  # a fixed day: nothing here reads the clock
WATCH = Watch(baseline_days=56, window_days=28)
NPS = AlertRules().tuning()["nps"]


def nps_day(rng: random.Random, n: int, promoters: float, detractors: float) -> Sums:
    total = squares = 0.0
    for _ in range(n):
        u = rng.random()
        if u < promoters:
            total, squares = total + 100, squares + 1e4
        elif u < promoters + detractors:
            total, squares = total - 100, squares + 1e4
    return Sums(n, total, squares)


def branch(
    rng: random.Random, per_day: int, dip_from: int | None = None, dip: float = 0.0, days: int = 84
) -> tuple[Sums, ...]:
    """Days of NPS around 35 (50 % promoters, 15 % detractors); from `dip_from` on the
    NPS moves by `dip` (half from promoters, half to detractors)."""
    out = []
    for i in range(days):
        shift = dip / 200 if dip_from is not None and i >= dip_from else 0.0
        out.append(nps_day(rng, per_day, 0.5 + shift, 0.15 - shift))
    return tuple(out)


def series(
    days: tuple[Sums, ...], value: str = "b1", rest: tuple[Sums, ...] | None = None
) -> Series:
    return Series(("nps", "location_id", value, ()), FIRST, days, rest)


# ---------------------------------------------------------------- CUSUM


def test_cusum_adds_the_log_likelihood_ratio_and_restarts_at_zero() -> None:
    # shift 2, variance 1: a day of deviation d adds 2d - 2.
    assert cusum([(2.0, 1.0), (2.0, 1.0)], 2.0) == (4.0, 0)
    assert cusum([(2.0, 1.0), (0.0, 1.0), (0.0, 1.0)], 2.0) == (0.0, None)
    # it starts again on the day that lifts it from 0, and skips days without answers
    assert cusum([(0.0, 1.0), None, (3.0, 1.0), (1.5, 1.0)], 2.0) == (5.0, 2)


def test_recovery_is_the_mirror_of_the_cusum() -> None:
    days: list[detect.Observation] = [(0.0, 1.0), (0.0, 1.0), (2.0, 1.0)]
    assert recovery(days, 2.0).statistic == 2.0  # two days at 0 favour "back", 2 each
    assert recovery([(2.0, 1.0)], 2.0).statistic == 0.0


def test_the_p_value_holds_its_level_at_every_look() -> None:
    """Under no change, P(S >= h) <= exp(-h) at each look (Kingman's bound): 4,000 charts of
    60 looks with daily n from 5 to 40 never exceed the bound beyond sampling error."""
    rng = random.Random(7)
    shift, h = 1.0, 3.0
    crossings = looks = 0
    for _ in range(4000):
        s = 0.0
        for _ in range(60):
            n = rng.randint(5, 40)
            d = rng.gauss(0.0, 1.0 / math.sqrt(n))  # a day's mean, sd 1 per answer
            s = max(0.0, s + (shift * d - shift * shift / 2) * n)
            looks += 1
            crossings += s >= h
    rate = crossings / looks
    assert rate <= math.exp(-h)  # 0.0498; the real rate is well below the bound
    assert p_value(h) == pytest.approx(math.exp(-h))
    assert p_value(0.0) == 1.0


def test_benjamini_hochberg_matches_the_textbook_example() -> None:
    # Sorted: 0.005, 0.01, 0.03, 0.04, 0.2, 0.5; p·m/rank: 0.03, 0.03, 0.06, 0.06, 0.24,
    # 0.5; the step-up takes the least from each rank on up.
    p = [0.01, 0.04, 0.03, 0.005, 0.20, 0.50]
    q = benjamini_hochberg(p)
    assert q == pytest.approx([0.03, 0.06, 0.06, 0.03, 0.24, 0.5])
    assert [x <= 0.05 for x in q] == [True, False, False, True, False, False]
    # the step-up: a p above its own rank's line is rejected with a lower one's
    assert benjamini_hochberg([0.04, 0.049]) == pytest.approx([0.049, 0.049])
    assert benjamini_hochberg([]) == []


def test_between_day_variance_is_zero_for_pure_sampling_noise_and_finds_day_effects() -> None:
    rng = random.Random(3)
    noise = [(rng.gauss(0, 10), 100.0) for _ in range(400)]  # each day's own variance only
    assert between_days(noise) < 15  # about 0: the estimator's error, not a day effect
    effects = [(rng.gauss(0, 10) + rng.gauss(0, 20), 100.0) for _ in range(400)]
    assert 300 < between_days(effects) < 500  # 20² = 400
    assert between_days([(1.0, 1.0)]) == 0.0


# ---------------------------------------------------------------- one round


def test_a_clear_dip_opens_one_alert_with_where_and_since_when() -> None:
    rng = random.Random(1)
    dip_day = WATCH.baseline_days + 14
    s = series(branch(rng, 30, dip_from=dip_day, dip=-30))
    out = evaluate([s], {}, {"nps": NPS}, WATCH)
    ((opened, direction, found),) = out.opened
    assert (opened.key, direction) == (s.key, "down")
    fired = [f for f in found if f.fired]
    assert fired
    assert all(f.adjusted_p <= 0.05 and f.statistic >= NPS.threshold for f in fired)
    since = min(f.since for f in fired)
    assert abs((since - s.day(dip_day)).days) <= 3
    assert out.tested == 1  # no rest of the chain: one question, down only


def test_stable_series_open_nothing_and_improvements_only_when_asked() -> None:
    rng = random.Random(2)
    stable = [series(branch(rng, 30), f"b{i}") for i in range(20)]
    assert evaluate(stable, {}, {"nps": NPS}, WATCH).opened == []
    rise = series(branch(rng, 30, dip_from=WATCH.baseline_days, dip=+30), "up")
    assert evaluate([rise], {}, {"nps": NPS}, WATCH).opened == []
    ((_, direction, _),) = evaluate([rise], {}, {"nps": NPS}, WATCH, improvements=True).opened
    assert direction == "up"


def test_a_significant_change_below_the_minimum_is_not_news() -> None:
    """With 2,000 answers a day a 4-point dip is certain, and still below NPS's 10."""
    rng = random.Random(4)
    s = series(branch(rng, 2000, dip_from=WATCH.baseline_days, dip=-4))
    keen = replace(NPS, min_change=2.0, shift=3.0)
    assert evaluate([s], {}, {"nps": keen}, WATCH).opened  # it is real...
    assert evaluate([s], {}, {"nps": NPS}, WATCH).opened == []  # ...and too small to matter


def test_too_few_answers_are_not_tested_and_employees_keep_their_floor() -> None:
    rng = random.Random(5)
    thin = series(branch(rng, 1, dip_from=WATCH.baseline_days, dip=-60))  # 56 baseline answers
    assert evaluate([thin], {}, {"nps": NPS}, WATCH).tested == 0
    days = branch(rng, 30, dip_from=WATCH.baseline_days + 20, dip=-40)
    person = Series(("nps", "employee_id", "e1", ()), FIRST, days, None, min_n=1000)
    assert evaluate([person], {}, {"nps": NPS}, WATCH).opened == []  # below its own floor


def test_a_dip_the_whole_chain_shares_is_not_one_branch_falling_behind() -> None:
    """Every branch drops 15 points together: each has changed against its own past, but
    not against the rest of the chain."""
    rng = random.Random(6)
    dip = WATCH.baseline_days + 7
    days = [branch(rng, 40, dip_from=dip, dip=-15) for _ in range(6)]
    chain = tuple(detect.add(d[i] for d in days) for i in range(WATCH.days))
    out = evaluate(
        [series(d, f"b{i}", tuple(map(detect.minus, chain, d))) for i, d in enumerate(days)],
        {}, {"nps": NPS}, WATCH,
    )  # fmt: skip
    for _, _, found in out.opened:
        assert not any(f.fired for f in found if f.question == "rest_of_chain")


def test_an_open_alert_stays_while_the_dip_lasts_and_resolves_after_it() -> None:
    rng = random.Random(8)
    days = 84 + 60
    dip_from, dip_to = 84, 84 + 21
    history = [
        nps_day(rng, 40, 0.5 - (0.15 if dip_from <= i < dip_to else 0), 0.15
                + (0.15 if dip_from <= i < dip_to else 0))
        for i in range(days)
    ]  # fmt: skip
    monitor = Monitor({"nps": NPS}, WATCH)
    opened = resolved = None
    for end in range(WATCH.days, days + 1):
        first = FIRST + timedelta(days=end - WATCH.days)
        s = Series(("nps", "chain", None, ()), first, tuple(history[end - WATCH.days : end]))
        out = monitor.step([s])
        day = end - 1
        if out.opened:
            assert opened is None
            opened = day
        if out.resolved:
            resolved = day
            break
    assert opened is not None
    assert dip_from <= opened <= dip_from + 7
    assert resolved is not None
    assert dip_to <= resolved <= dip_to + 21
    assert monitor.open == {}
    # the days under the alert are no baseline any more, nor do they reopen it
    ((start, stop),) = monitor.past[("nps", "chain", None, ())]
    assert abs((start - (FIRST + timedelta(days=dip_from))).days) <= 7
    assert stop == FIRST + timedelta(days=resolved + 1)


def test_open_alerts_are_followed_not_tested_again() -> None:
    rng = random.Random(9)
    s = series(branch(rng, 30, dip_from=WATCH.baseline_days, dip=-30))
    refs = detect.references(s, WATCH, NPS)
    alert = OpenAlert(s.key, "down", refs, s.day(WATCH.baseline_days))
    out = evaluate([s], {(s.key, "down"): alert}, {"nps": NPS}, WATCH)
    assert out.opened == []
    assert out.tested == 0
    ((_, still, findings),) = out.updated
    assert still is alert
    assert findings[0].change < -20


def test_benjamini_hochberg_runs_across_the_whole_round() -> None:
    """A moderate dip opens an alert when tested alone; among 300 stable series its
    adjusted p-value is 300 times larger and it does not."""
    rng = random.Random(12)
    keen = replace(NPS, threshold=1.0)  # only the FDR step decides here
    dip = series(branch(rng, 12, dip_from=WATCH.baseline_days + 20, dip=-25), "dip")
    alone = evaluate([dip], {}, {"nps": keen}, WATCH)
    ((_, _, found),) = alone.opened
    (fired,) = [f for f in found if f.fired]
    assert 0.05 / 300 < fired.p_value < 0.05  # significant alone, not among 300
    crowd = [series(branch(rng, 12), f"b{i}") for i in range(299)]
    together = evaluate([dip, *crowd], {}, {"nps": keen}, WATCH)
    assert together.tested == 300
    assert all(s.key != dip.key for s, _, _ in together.opened)
