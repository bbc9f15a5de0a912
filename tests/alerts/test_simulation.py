"""The alert simulation (bench/alerts.py), small: what the detector must do on made-up chains.

No database. A handful of seeded runs each, so the answers are fixed; the bounds are
what the detector's own guarantees and the issue's targets allow, not the figures of
one version of it.
"""

import random
import statistics

import pytest

from app.alerts.rules import AlertRules
from bench.alerts import (
    MONTH,
    PER_NPS_POINT,
    WEEKDAY_SCORE,
    WEEKDAY_VOLUME,
    Branch,
    Detection,
    RunResult,
    Scenario,
    detection,
    distribution,
    draw_branch,
    expected,
    run_key,
    run_once,
    simulate,
)

RULES = AlertRules()
SEED = 20


def dip_runs(scenario: Scenario, runs: int) -> list[Detection]:
    return [detection(run_once(scenario, RULES, run_key(SEED, scenario, i))) for i in range(runs)]


def test_the_weekday_patterns_average_out() -> None:
    assert statistics.fmean(WEEKDAY_VOLUME) == pytest.approx(1.0)
    assert statistics.fmean(WEEKDAY_SCORE) == pytest.approx(0.0)


@pytest.mark.parametrize("metric", ["nps", "csat", "ces"])
@pytest.mark.parametrize("drop", [10.0, 20.0, 30.0])
def test_a_dip_lowers_the_expected_score_by_its_size(metric: str, drop: float) -> None:
    rng = random.Random(drop)
    for _ in range(20):
        branch = draw_branch(metric, rng, 100)
        size = drop * PER_NPS_POINT[metric]
        before = expected(metric, branch, branch.level)
        assert before == pytest.approx(branch.level, abs=1e-3)
        after = expected(metric, branch, branch.level - size)
        assert before - after == pytest.approx(size, abs=2e-3)


def test_nps_dips_turn_promoters_into_detractors() -> None:
    branch = Branch(level=40.0, volume=100, passives=0.3)
    _, before = distribution("nps", branch, 40.0)
    _, after = distribution("nps", branch, 20.0)
    assert after[1] == before[1]  # passives
    assert after[2] == pytest.approx(before[2] - 0.1)  # promoters
    assert after[0] == pytest.approx(before[0] + 0.1)  # detractors


def test_the_branch_watched_gets_its_volume() -> None:
    scenario = Scenario("csat", 100.0, stable_days=700)
    chain = simulate(scenario, random.Random(3), history=83)
    weeks = len(chain.days[0]) / 7
    assert sum(d.n for d in chain.days[0]) / weeks == pytest.approx(100, rel=0.05)
    assert len(chain.days) == scenario.branches


def test_a_big_dip_is_found_soon_and_never_before_it_began() -> None:
    found = dip_runs(Scenario("nps", 200.0, drop=30.0), 6)
    delays = [d.delay for d in found if d.delay is not None]
    assert len(delays) >= 5, found
    assert statistics.median(delays) <= 10, delays
    assert all(d.early == 0 for d in found), found


def test_detection_grows_with_volume() -> None:
    rates = {}
    for volume in (25.0, 200.0):
        found = dip_runs(Scenario("nps", volume, drop=20.0), 8)
        rates[volume] = sum(d.delay is not None for d in found)
    assert rates[200.0] >= 6, rates
    assert rates[200.0] >= rates[25.0] + 3, rates


def test_stable_chains_stay_quiet() -> None:
    """Four chains, six months each, 11 series: 264 scope-months. At the target (1 false
    alert per 100 scope-months) 2.6 alerts are expected; 6 or more would happen by chance
    once in 20 seeds."""
    scenario = Scenario("nps", 100.0)
    results: list[RunResult] = [
        run_once(scenario, RULES, run_key(SEED, scenario, i)) for i in range(4)
    ]
    scope_months = sum(r.series * r.days for r in results) / MONTH
    assert scope_months == pytest.approx(264)
    alerts = [a for r in results for a in r.opened]
    assert len(alerts) <= 5, alerts
