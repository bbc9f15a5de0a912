"""The pure metric math against docs/metrics.md, hand-worked cases and raw-list recomputation."""

import math
import statistics

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.rollups.aggregates import NO_SERVQUAL, Aggregate, total
from app.stats import (
    CES_SCALE,
    CSAT_SCALE,
    NPS_SCALE,
    SCALES,
    Z95,
    Group,
    Scale,
    ServqualSums,
    ces,
    ces_easy,
    compare,
    consistency,
    csat,
    csat_mean,
    difference,
    empty_histogram,
    hist_count_between,
    hist_mean,
    hist_mean_interval,
    hist_n,
    hist_share_at_least,
    hist_share_between,
    hist_stdev,
    histogram,
    low_sample,
    mean_interval,
    nps,
    nps_figure,
    pearson,
    population_stdev,
    ranks,
    servqual_dimension,
    servqual_overall,
    servqual_sums,
    share_difference,
    spearman,
    wald_se,
    wilson,
)

WORKED_EXAMPLE = [10, 9, 9, 8, 7, 6, 5, 3, 10, 0]


@st.composite
def scale_and_scores(draw: st.DrawFn, max_size: int = 60) -> tuple[Scale, list[int]]:
    scale = draw(st.sampled_from(SCALES))
    scores = draw(st.lists(st.integers(scale.low, scale.high), max_size=max_size))
    return scale, scores


def scores_on(scale: Scale, min_size: int = 0) -> st.SearchStrategy[list[int]]:
    return st.lists(st.integers(scale.low, scale.high), min_size=min_size, max_size=60)


# The worked example ---------------------------------------------------------


def test_worked_example_counts_and_value() -> None:
    result = nps(histogram(WORKED_EXAMPLE, NPS_SCALE))
    assert (result.n, result.promoters, result.passives, result.detractors) == (10, 4, 2, 4)
    assert result.value == 0
    assert (result.promoter_share, result.passive_share, result.detractor_share) == (40, 20, 40)


def test_worked_example_adjusted_wald_interval_and_se() -> None:
    result = nps(histogram(WORKED_EXAMPLE, NPS_SCALE))
    assert result.ci_low is not None
    assert result.ci_high is not None
    assert result.se is not None
    assert round(result.ci_low, 1) == -46.5
    assert round(result.ci_high, 1) == 46.5
    assert result.se / 100 == pytest.approx(0.237093, abs=5e-7)
    assert result.se == pytest.approx(23.7093, abs=5e-5)
    assert result.se == pytest.approx(100 * math.sqrt((2 * 4.75 / 13) / 13))


# NPS ----------------------------------------------------------------------------


def test_nps_of_no_answers_is_null_not_zero() -> None:
    result = nps(empty_histogram(NPS_SCALE))
    assert result.n == 0
    assert result.value is None
    assert result.ci_low is None
    assert result.ci_high is None
    assert result.se is None
    assert result.promoter_share is None


def test_nps_interval_is_clamped_at_plus_100_for_few_promoters() -> None:
    # n = 5, all promoters: e = 5/8, se ≈ 0.2296, e + z·se ≈ 1.075 before clamping.
    result = nps(histogram([9, 10, 10, 9, 10], NPS_SCALE))
    assert result.value == 100
    assert result.ci_high == 100
    assert result.ci_low is not None
    assert result.ci_low == pytest.approx(100 * (0.625 - Z95 * math.sqrt(0.421875 / 8)))


def test_nps_interval_is_clamped_at_minus_100_for_few_detractors() -> None:
    result = nps(histogram([0, 3, 6], NPS_SCALE))
    assert result.value == -100
    assert result.ci_low == -100
    # n' = 6, d' = 3.75/6, e = -0.5, se = sqrt(0.5/6): the upper bound crosses 0.
    assert result.ci_high == pytest.approx(100 * (-0.5 + Z95 * math.sqrt(0.5 / 6)))


def test_nps_interval_misses_the_value_for_a_single_answer() -> None:
    """Adjusted Wald shrinks toward 0; with n = 1 the interval leaves out the value.

    That is the method as docs/metrics.md defines it (Rocks 2016), not a bug: from
    n = 2 the interval always contains the value (see the property test).
    """
    result = nps(histogram([10], NPS_SCALE))
    assert result.value == 100
    assert result.ci_low is not None
    assert result.ci_high is not None
    assert round(result.ci_low, 1) == -48.5
    assert round(result.ci_high, 1) == 98.5


def test_nps_rejects_a_histogram_of_another_scale() -> None:
    with pytest.raises(ValueError, match="11 counts"):
        nps(empty_histogram(CSAT_SCALE))


def test_nps_rejects_negative_counts() -> None:
    with pytest.raises(ValueError, match="non-negative"):
        nps([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1])


@given(scores_on(NPS_SCALE))
def test_nps_matches_counts_from_the_raw_answers(scores: list[int]) -> None:
    result = nps(histogram(scores, NPS_SCALE))
    promoters = sum(1 for s in scores if s >= 9)
    passives = sum(1 for s in scores if s in (7, 8))
    detractors = sum(1 for s in scores if s <= 6)
    assert (result.n, result.promoters, result.passives, result.detractors) == (
        len(scores),
        promoters,
        passives,
        detractors,
    )
    if scores:
        assert result.value == pytest.approx(100 * (promoters - detractors) / len(scores))
        assert result.promoter_share is not None
        assert result.passive_share is not None
        assert result.detractor_share is not None
        total = result.promoter_share + result.passive_share + result.detractor_share
        assert total == pytest.approx(100)
    else:
        assert result.value is None


@given(scores_on(NPS_SCALE, min_size=2))
def test_nps_interval_lies_in_range_and_contains_the_value_from_two_answers(
    scores: list[int],
) -> None:
    result = nps(histogram(scores, NPS_SCALE))
    assert result.value is not None
    assert result.ci_low is not None
    assert result.ci_high is not None
    assert -100 <= result.ci_low <= result.value <= result.ci_high <= 100


# Wilson and shares --------------------------------------------------------------


def test_wilson_of_8_out_of_10() -> None:
    interval = wilson(8, 10)
    assert interval is not None
    assert round(interval.low, 1) == 49.0
    assert round(interval.high, 1) == 94.3


def test_wilson_at_zero_successes_starts_exactly_at_0() -> None:
    # Upper bound for 0/n is (z²/n) / (1 + z²/n).
    interval = wilson(0, 10)
    assert interval is not None
    assert interval.low == 0.0
    assert interval.high == pytest.approx(100 * 0.384146 / 1.384146, abs=1e-4)


def test_wilson_at_all_successes_ends_exactly_at_100() -> None:
    interval = wilson(10, 10)
    assert interval is not None
    assert interval.high == 100.0
    assert interval.low == pytest.approx(100 - 100 * 0.384146 / 1.384146, abs=1e-4)


def test_wilson_of_no_trials_is_none() -> None:
    assert wilson(0, 0) is None


@pytest.mark.parametrize(("successes", "n"), [(-1, 5), (6, 5)])
def test_wilson_rejects_impossible_counts(successes: int, n: int) -> None:
    with pytest.raises(ValueError, match="successes"):
        wilson(successes, n)


@given(st.integers(1, 10_000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_wilson_contains_the_share_and_mirrors_its_complement(pair: tuple[int, int]) -> None:
    successes, n = pair
    interval = wilson(successes, n)
    mirror = wilson(n - successes, n)
    assert interval is not None
    assert mirror is not None
    assert 0 <= interval.low <= 100 * successes / n <= interval.high <= 100
    assert interval.low == pytest.approx(100 - mirror.high, abs=1e-9)
    assert interval.high == pytest.approx(100 - mirror.low, abs=1e-9)


def test_wald_se_in_percent_points() -> None:
    assert wald_se(8, 10) == pytest.approx(100 * math.sqrt(0.8 * 0.2 / 10))
    assert wald_se(0, 10) == 0
    assert wald_se(0, 0) is None


def test_csat_counts_4_and_5_as_satisfied() -> None:
    result = csat(histogram([5, 4, 3, 2, 1, 5, 4, 4, 5, 5], CSAT_SCALE))
    assert (result.n, result.successes, result.value) == (10, 7, 70)
    expected = wilson(7, 10)
    assert expected is not None
    assert (result.ci_low, result.ci_high) == (expected.low, expected.high)
    assert result.se == pytest.approx(100 * math.sqrt(0.7 * 0.3 / 10))


def test_csat_mean_interval_is_mean_plus_minus_z_sd_over_root_n() -> None:
    scores = [5, 4, 3, 2, 1, 5, 4, 4, 5, 5]
    result = csat_mean(histogram(scores, CSAT_SCALE))
    half = Z95 * statistics.stdev(scores) / math.sqrt(len(scores))
    assert result.value == pytest.approx(3.8)
    assert result.ci_low == pytest.approx(3.8 - half)
    assert result.ci_high == pytest.approx(3.8 + half)


def test_ces_easy_counts_5_to_7() -> None:
    result = ces_easy(histogram([1, 4, 5, 6, 7, 7, 2, 3], CES_SCALE))
    assert (result.n, result.successes, result.value) == (8, 4, 50)


def test_ces_mean_of_one_answer_has_no_interval() -> None:
    result = ces(histogram([6], CES_SCALE))
    assert (result.n, result.value) == (1, 6)
    assert (result.ci_low, result.ci_high, result.sd, result.se) == (None, None, None, None)


def test_empty_shares_and_means_are_null() -> None:
    share = csat(empty_histogram(CSAT_SCALE))
    mean = ces(empty_histogram(CES_SCALE))
    assert (share.n, share.value, share.ci_low, share.se) == (0, None, None, None)
    assert (mean.n, mean.value, mean.ci_low, mean.se) == (0, None, None, None)


@given(scores_on(CSAT_SCALE), scores_on(CES_SCALE))
def test_shares_match_raw_answers_and_lie_in_their_interval(
    csat_scores: list[int], ces_scores: list[int]
) -> None:
    for result, scores, threshold in (
        (csat(histogram(csat_scores, CSAT_SCALE)), csat_scores, 4),
        (ces_easy(histogram(ces_scores, CES_SCALE)), ces_scores, 5),
    ):
        assert result.n == len(scores)
        if not scores:
            assert result.value is None
            continue
        assert result.value is not None
        assert result.value == pytest.approx(
            100 * sum(1 for s in scores if s >= threshold) / len(scores)
        )
        assert result.ci_low is not None
        assert result.ci_high is not None
        assert 0 <= result.ci_low <= result.value <= result.ci_high <= 100


# Histograms ---------------------------------------------------------------------


def test_histogram_rejects_a_score_outside_the_scale() -> None:
    with pytest.raises(ValueError, match="outside the csat scale"):
        histogram([1, 6], CSAT_SCALE)


def test_count_and_share_between_on_a_hand_made_histogram() -> None:
    counts = histogram([1, 2, 2, 3, 5, 5, 5, 7], CES_SCALE)
    assert counts == (1, 2, 1, 0, 3, 0, 1)
    assert hist_count_between(counts, 1, 2, 5) == 6
    assert hist_count_between(counts, 1, 6, 99) == 1
    assert hist_count_between(counts, 1, 5, 4) == 0
    assert hist_share_between(counts, 1, 1, 2) == 3 / 8
    assert hist_share_at_least(counts, 1, 5) == 4 / 8
    assert hist_share_at_least(empty_histogram(CES_SCALE), 1, 5) is None


@given(scale_and_scores())
def test_histogram_mean_and_stdev_match_statistics_on_the_raw_list(
    case: tuple[Scale, list[int]],
) -> None:
    scale, scores = case
    counts = histogram(scores, scale)
    assert hist_n(counts) == len(scores)
    mean = hist_mean(counts, scale.low)
    stdev = hist_stdev(counts, scale.low)
    if scores:
        assert mean == pytest.approx(statistics.mean(scores), rel=1e-12)
    else:
        assert mean is None
    if len(scores) >= 2:
        assert stdev == pytest.approx(statistics.stdev(scores), rel=1e-9, abs=1e-12)
    else:
        assert stdev is None


@given(scale_and_scores())
def test_histogram_share_at_least_matches_the_raw_list(case: tuple[Scale, list[int]]) -> None:
    scale, scores = case
    counts = histogram(scores, scale)
    for threshold in range(scale.low, scale.high + 1):
        expected = sum(1 for s in scores if s >= threshold) / len(scores) if scores else None
        assert hist_share_at_least(counts, scale.low, threshold) == expected


@given(scale_and_scores())
def test_histogram_mean_interval_is_centred_on_the_mean(case: tuple[Scale, list[int]]) -> None:
    scale, scores = case
    result = hist_mean_interval(histogram(scores, scale), scale.low)
    if len(scores) < 2:
        assert result.ci_low is None
        return
    assert result.value is not None
    assert result.ci_low is not None
    assert result.ci_high is not None
    half = Z95 * statistics.stdev(scores) / math.sqrt(len(scores))
    assert result.ci_low == pytest.approx(result.value - half, abs=1e-9)
    assert result.ci_high == pytest.approx(result.value + half, abs=1e-9)
    assert result.ci_low <= result.value <= result.ci_high


def test_mean_interval_from_sums() -> None:
    # 2, 4, 4, 4, 5, 5, 7, 9: mean 5, sample sd √(32/7).
    result = mean_interval(8, 40, 232)
    sd = math.sqrt(32 / 7)
    assert result.value == 5
    assert result.sd == pytest.approx(sd)
    assert result.se == pytest.approx(sd / math.sqrt(8))
    assert result.ci_low == pytest.approx(5 - Z95 * sd / math.sqrt(8))


def test_mean_interval_of_identical_values_has_zero_width() -> None:
    result = mean_interval(3, 12, 48)
    assert (result.value, result.sd, result.ci_low, result.ci_high) == (4, 0, 4, 4)


# SERVQUAL -----------------------------------------------------------------------


def test_servqual_gap_uses_only_events_that_carry_both_scores() -> None:
    sums = servqual_sums([(7, 5), (6, 6), (4, 6), (5, None), (None, 7)])
    assert sums == ServqualSums(
        n_p=4, sum_p=22, n_e=4, sum_e=24, n_pe=3, sum_gap=0, sum_gap_sq=8, sum_p_sq=126
    )
    result = servqual_dimension("reliability", sums)
    assert (result.n_perception, result.perception) == (4, 5.5)
    assert (result.n_expectation, result.expectation) == (4, 6.0)
    # The gap is 0 over the three pairs, not perception - expectation = -0.5.
    assert (result.dimension, result.n, result.value, result.sd) == ("reliability", 3, 0, 2)
    assert result.ci_low == pytest.approx(-Z95 * 2 / math.sqrt(3))
    assert result.ci_high == pytest.approx(Z95 * 2 / math.sqrt(3))


def test_servqual_dimension_without_answers_is_null() -> None:
    result = servqual_dimension("empathy", ServqualSums())
    assert (result.n, result.value, result.perception, result.expectation) == (0, None, None, None)


def test_servqual_overall_is_the_unweighted_mean_of_dimensions_with_data() -> None:
    dimensions = [
        servqual_dimension("reliability", servqual_sums([(7, 5), (6, 6), (4, 6)])),
        servqual_dimension("empathy", servqual_sums([(3, 5)] * 40 + [(5, 5)] * 40)),
        servqual_dimension("tangibles", servqual_sums([(5, None)])),
    ]
    overall = servqual_overall(dimensions)
    assert overall.value == pytest.approx((0 + -1) / 2)
    assert overall.dimensions == ("reliability", "empathy")
    assert overall.n == 3


def test_servqual_overall_without_data_is_null() -> None:
    overall = servqual_overall([servqual_dimension("assurance", ServqualSums())])
    assert (overall.n, overall.value, overall.dimensions) == (0, None, ())


optional_score = st.one_of(st.none(), st.integers(1, 7))
servqual_answers = st.lists(st.tuples(optional_score, optional_score), max_size=40)


@given(servqual_answers, servqual_answers)
def test_servqual_sums_merge_by_addition(
    first: list[tuple[int | None, int | None]], second: list[tuple[int | None, int | None]]
) -> None:
    parts = [
        Aggregate(servqual={**NO_SERVQUAL, "empathy": servqual_sums(answers)})
        for answers in (first, second)
    ]
    assert total(parts).servqual["empathy"] == servqual_sums(first + second)


@given(st.lists(st.lists(st.integers(0, 10), max_size=30), max_size=6))
def test_total_is_the_aggregate_of_the_union(parts: list[list[int]]) -> None:
    """aggregates.total, the merge every grouped answer relies on, adds field by field."""
    aggregates = [
        Aggregate(volume=len(scores), nps=histogram(scores, NPS_SCALE), csat=(1, 0, 2, 0, 3))
        for scores in parts
    ]
    union = [score for scores in parts for score in scores]
    merged = total(aggregates)
    assert merged.volume == len(union)
    assert merged.nps == histogram(union, NPS_SCALE)
    assert merged.csat == tuple(c * len(parts) for c in (1, 0, 2, 0, 3))
    assert merged.servqual == NO_SERVQUAL


@given(servqual_answers)
def test_servqual_dimension_matches_statistics_on_raw_gaps(
    answers: list[tuple[int | None, int | None]],
) -> None:
    result = servqual_dimension("assurance", servqual_sums(answers))
    gaps = [p - e for p, e in answers if p is not None and e is not None]
    perceptions = [p for p, _ in answers if p is not None]
    assert result.n == len(gaps)
    assert result.value == (pytest.approx(statistics.mean(gaps)) if gaps else None)
    assert result.sd == (pytest.approx(statistics.stdev(gaps)) if len(gaps) >= 2 else None)
    assert result.perception == (
        pytest.approx(statistics.mean(perceptions)) if perceptions else None
    )


# Comparison ---------------------------------------------------------------------


def test_compare_computes_delta_se_and_z() -> None:
    result = compare(10, 3, 4, 4)
    assert (result.delta, result.se_delta, result.z, result.significant) == (6, 5, 1.2, False)


@pytest.mark.parametrize(("current", "expected_z"), [(20.0, 2.0), (0.0, -2.0)])
def test_compare_is_significant_either_way_at_abs_z_2(current: float, expected_z: float) -> None:
    result = compare(current, 3, 10, 4)
    assert result.z == pytest.approx(expected_z)
    assert result.significant is True


def test_compare_is_significant_at_exactly_1_96() -> None:
    assert compare(1.96, 1.0, 0.0, 0.0).significant is True
    assert compare(1.95, 1.0, 0.0, 0.0).significant is False


@pytest.mark.parametrize(
    "args",
    [(None, 3.0, 4.0, 4.0), (10.0, 3.0, None, None), (10.0, None, 4.0, 4.0)],
)
def test_compare_with_a_missing_side_has_no_z(
    args: tuple[float | None, float | None, float | None, float | None],
) -> None:
    result = compare(*args)
    assert result.z is None
    assert result.significant is None


def test_compare_with_zero_se_reports_delta_but_no_z() -> None:
    result = compare(100, 0, 0, 0)
    assert (result.delta, result.se_delta, result.z, result.significant) == (100, 0, None, None)


def test_compare_two_nps_periods_with_the_adjusted_wald_se() -> None:
    current = nps(histogram([10] * 30 + [0] * 10, NPS_SCALE))
    previous = nps(histogram(WORKED_EXAMPLE, NPS_SCALE))
    assert current.se is not None
    assert previous.se is not None
    result = compare(current.value, current.se, previous.value, previous.se)
    assert result.delta == 50
    assert result.se_delta == pytest.approx(math.sqrt(current.se**2 + previous.se**2))
    assert result.significant is (abs(50 / math.sqrt(current.se**2 + previous.se**2)) >= 1.96)


# Consistency --------------------------------------------------------------------


def consistency_groups() -> list[Group]:
    return [
        Group("low", 50.0, 100, 40.0, 60.0),
        Group("high", 90.0, 100, 80.0, 99.0),
        Group("middle", 72.0, 50, 60.0, 84.0),
        Group("touching", 65.0, 40, 55.0, 70.0),
        Group("at_min_n", 75.0, 30, 71.0, 79.0),
        Group("small", 10.0, 5, 0.0, 40.0),
        Group("empty", None, 0, None, None),
    ]


def test_consistency_spread_uses_only_groups_with_enough_answers() -> None:
    result = consistency(consistency_groups(), pooled_value=70.0, min_n=30)
    values = [50.0, 90.0, 72.0, 65.0, 75.0]
    spread = result.spread
    assert spread.n_groups == 5
    assert spread.mean == pytest.approx(352 / 5)
    assert spread.stdev == pytest.approx(statistics.pstdev(values))
    assert spread.stdev == pytest.approx(math.sqrt(sum((v - 352 / 5) ** 2 for v in values) / 5))
    assert (spread.min, spread.max, spread.range) == (50, 90, 40)
    included = {g.name: g.included for g in result.groups}
    assert included == {
        "low": True,
        "high": True,
        "middle": True,
        "touching": True,
        "at_min_n": True,
        "small": False,
        "empty": False,
    }


def test_consistency_flags_groups_whose_whole_interval_is_off_the_pooled_value() -> None:
    result = consistency(consistency_groups(), pooled_value=70.0, min_n=30)
    flags = {g.name: g.flag for g in result.groups}
    # "touching" ends exactly at the pooled value, so it is not wholly below;
    # "small" lies wholly below but has too few answers to be flagged.
    assert flags == {
        "low": "below",
        "high": "above",
        "middle": None,
        "touching": None,
        "at_min_n": "above",
        "small": None,
        "empty": None,
    }


def test_consistency_shrinks_toward_the_pooled_value_with_k_equal_to_min_n() -> None:
    result = consistency(consistency_groups(), pooled_value=70.0, min_n=30)
    shrunk = {g.name: g.shrunk for g in result.groups}
    assert shrunk["small"] == pytest.approx((5 * 10 + 30 * 70) / 35)
    assert shrunk["low"] == pytest.approx((100 * 50 + 30 * 70) / 130)
    assert shrunk["empty"] is None


def test_consistency_with_explicit_k_zero_does_not_shrink() -> None:
    result = consistency(consistency_groups(), pooled_value=70.0, min_n=30, k=0)
    assert result.k == 0
    assert [g.shrunk for g in result.groups[:6]] == [50, 90, 72, 65, 75, 10]


def test_consistency_accepts_plain_tuples_and_handles_no_eligible_group() -> None:
    result = consistency([("a", 40.0, 3, 10.0, 70.0)], pooled_value=50.0, min_n=30)
    assert result.spread == (0, None, None, None, None, None)
    assert result.groups[0].shrunk == pytest.approx((3 * 40 + 30 * 50) / 33)


# Correlation --------------------------------------------------------------------


def test_pearson_of_a_hand_computed_case() -> None:
    assert pearson([1, 2, 3], [2, 4, 7]) == pytest.approx(15 / math.sqrt(228))


def test_pearson_of_perfectly_linear_data() -> None:
    assert pearson([1, 2, 3, 4], [10, 8, 6, 4]) == pytest.approx(-1)


def test_ranks_average_ties() -> None:
    assert ranks([30, 10, 20, 10, 30, 30]) == [5, 1.5, 3, 1.5, 5, 5]


def test_spearman_with_ties_in_one_variable() -> None:
    # Ranks x: 1, 2.5, 2.5, 4; y: 1, 3, 2, 4 -> r = 4.5 / √(4.5 · 5) = 3/√10.
    assert spearman([1, 2, 2, 3], [1, 3, 2, 4]) == pytest.approx(3 / math.sqrt(10))


def test_spearman_with_ties_in_both_variables() -> None:
    # Ranks x: 1.5, 1.5, 3.5, 3.5, 5; y: 3, 1.5, 1.5, 4.5, 4.5 -> 5.25 / 9.
    assert spearman([1, 1, 2, 2, 3], [2, 1, 1, 3, 3]) == pytest.approx(7 / 12)


def test_spearman_sees_a_monotone_but_curved_relation_as_perfect() -> None:
    xs = [1.0, 2.0, 3.0, 4.0, 5.0]
    assert spearman(xs, [x**3 for x in xs]) == pytest.approx(1)
    pearson_r = pearson(xs, [x**3 for x in xs])
    assert pearson_r is not None
    assert pearson_r < 0.99


@pytest.mark.parametrize(
    ("xs", "ys"),
    [([1, 2], [3, 4]), ([], []), ([1, 2, 3], [5, 5, 5]), ([0.1, 0.1, 0.1], [1, 2, 3])],
)
def test_correlations_are_none_with_under_3_pairs_or_zero_variance(
    xs: list[float], ys: list[float]
) -> None:
    assert pearson(xs, ys) is None
    assert spearman(xs, ys) is None


def test_correlations_reject_unpaired_lists() -> None:
    with pytest.raises(ValueError, match="pairs"):
        pearson([1, 2, 3], [1, 2])
    with pytest.raises(ValueError, match="pairs"):
        spearman([1, 2, 3], [1, 2])


paired_values = st.integers(3, 30).flatmap(
    lambda n: st.tuples(
        st.lists(st.integers(-100, 100), min_size=n, max_size=n),
        st.lists(st.integers(-100, 100), min_size=n, max_size=n),
    )
)


@given(paired_values)
def test_pearson_matches_statistics_correlation(pair: tuple[list[int], list[int]]) -> None:
    xs, ys = pair
    r = pearson(xs, ys)
    if len(set(xs)) < 2 or len(set(ys)) < 2:
        assert r is None
    else:
        assert r == pytest.approx(statistics.correlation(xs, ys), abs=1e-9)


@given(
    st.integers(3, 30).flatmap(
        lambda n: st.tuples(
            st.lists(st.integers(-1000, 1000), min_size=n, max_size=n, unique=True),
            st.lists(st.integers(-1000, 1000), min_size=n, max_size=n, unique=True),
        )
    )
)
def test_spearman_without_ties_matches_the_rank_difference_formula(
    pair: tuple[list[int], list[int]],
) -> None:
    xs, ys = pair
    n = len(xs)
    rank_x = {x: i + 1 for i, x in enumerate(sorted(xs))}
    rank_y = {y: i + 1 for i, y in enumerate(sorted(ys))}
    d2 = sum((rank_x[x] - rank_y[y]) ** 2 for x, y in zip(xs, ys, strict=True))
    assert spearman(xs, ys) == pytest.approx(1 - 6 * d2 / (n * (n * n - 1)), abs=1e-9)


# Small samples ------------------------------------------------------------------


def test_low_sample_below_min_n_only() -> None:
    assert low_sample(29) is True
    assert low_sample(30) is False
    assert low_sample(4, min_n=5) is True
    assert low_sample(5, min_n=5) is False


@given(st.lists(st.integers(0, 10**6), min_size=11, max_size=11))
def test_nps_figure_is_nps_without_its_shares(counts: list[int]) -> None:
    full = nps(counts)
    assert nps_figure(counts) == (full.n, full.value, full.ci_low, full.ci_high, full.se)


@given(st.lists(st.floats(-100, 100), min_size=1, max_size=300))
def test_population_stdev_matches_statistics(values: list[float]) -> None:
    assert population_stdev(values) == pytest.approx(statistics.pstdev(values), abs=1e-9)


# Differences of two independent figures --------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "low", "high"),
    [
        ((56, 70), (48, 80), 0.0524, 0.3339),
        ((9, 10), (3, 10), 0.1705, 0.8090),
        ((6, 7), (2, 7), 0.0582, 0.8062),
        ((5, 56), (0, 29), -0.0381, 0.1926),
        ((0, 10), (0, 20), -0.1611, 0.2775),
        ((0, 10), (0, 10), -0.2775, 0.2775),
        ((10, 10), (0, 20), 0.6791, 1.0),
        ((10, 10), (0, 10), 0.6075, 1.0),
    ],
)
def test_share_difference_is_newcombes_method_10(
    a: tuple[int, int], b: tuple[int, int], low: float, high: float
) -> None:
    """Newcombe 1998 (Statistics in Medicine 17), Table II, method 10, to four places."""
    result = share_difference(*a, *b)
    assert result.value == pytest.approx(100 * (a[0] / a[1] - b[0] / b[1]))
    assert result.ci_low is not None
    assert result.ci_high is not None
    assert (round(result.ci_low / 100, 4), round(result.ci_high / 100, 4)) == (low, high)
    assert result.significant is (low > 0 or high < 0)
    assert (result.se, result.z) == (None, None)


def _wilson_plain(s: int, n: int) -> tuple[float, float]:
    """Wilson's interval written out: (p + z²/2n ± z√(p(1-p)/n + z²/4n²)) / (1 + z²/n)."""
    p, z2 = s / n, Z95 * Z95
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = Z95 * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return max(0.0, centre - half), min(1.0, centre + half)


@given(
    st.integers(1, 500).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))),
    st.integers(1, 500).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))),
)
def test_share_difference_matches_a_plain_reference(a: tuple[int, int], b: tuple[int, int]) -> None:
    (l1, u1), (l2, u2) = _wilson_plain(*a), _wilson_plain(*b)
    p1, p2 = a[0] / a[1], b[0] / b[1]
    low = p1 - p2 - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = p1 - p2 + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    result = share_difference(*a, *b)
    assert result.ci_low == pytest.approx(100 * low, abs=1e-9)
    assert result.ci_high == pytest.approx(100 * high, abs=1e-9)
    assert -100 <= result.ci_low <= result.value <= result.ci_high <= 100  # type: ignore[operator]


def test_share_difference_needs_both_samples() -> None:
    assert share_difference(0, 0, 3, 10) == (None, None, None, None, None, None)
    assert share_difference(3, 10, 0, 0).value is None


def test_difference_is_the_unpooled_test_with_its_interval() -> None:
    result = difference(-30.0, 24.09, 66.7, 11.08)
    se = math.hypot(24.09, 11.08)
    assert result.value == pytest.approx(-96.7)
    assert result.se == pytest.approx(se)
    assert (result.ci_low, result.ci_high) == pytest.approx((-96.7 - Z95 * se, -96.7 + Z95 * se))
    assert result.z == pytest.approx(-96.7 / se)
    assert result.significant is True
    assert difference(None, None, 10.0, 2.0) == (None, None, None, None, None, None)
    assert difference(10.0, 0.0, 10.0, 0.0).z is None  # no spread: no test
