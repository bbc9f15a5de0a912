"""app/driver_stats.py against independent references: R² of every subset by least squares
on the raw rows (numpy.linalg.lstsq, with an intercept), Shapley values by brute force
over all p! orders, the population LMG of a model whose covariance is known exactly, and
the spread of the estimates over independent samples from that population.

No test checks the module with its own functions: every expected figure is computed here
from the rows (or the population) by a different route.
"""

import itertools
import math
from collections.abc import Callable, Sequence

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

from app.driver_stats import (
    QUADRANTS,
    Design,
    Estimate,
    Fit,
    block_weights,
    collinearity,
    correlations,
    covariances,
    fit,
    level_opportunity,
    numeric_opportunity,
    quadrant,
    shapley,
    subset_r2,
    weighted_median,
)

Array = NDArray[np.float64]
Players = list[list[int]]

# --------------------------------------------------------------------------------------
# Independent references
# --------------------------------------------------------------------------------------


def dummies(codes: NDArray[np.int64], levels: int, reference: int) -> Array:
    """One 0/1 column per level but the reference, in level order."""
    kept = [level for level in range(levels) if level != reference]
    return np.column_stack([(codes == level).astype(np.float64) for level in kept])


def design_matrix(designs: Sequence[Design]) -> tuple[Array, Players]:
    """The raw columns of the drivers (dummy coded like the module says it does) and each
    driver's column indices."""
    columns: list[Array] = []
    players: Players = []
    for design in designs:
        if design.levels == 0:
            block = np.asarray(design.values, dtype=np.float64)[:, None]
        else:
            block = dummies(np.asarray(design.values), design.levels, design.reference)
        players.append(list(range(len(columns), len(columns) + block.shape[1])))
        columns.extend(block.T)
    return np.column_stack(columns), players


def ols(x: Array, y: Array) -> tuple[Array, float]:
    """Least squares of y on [1, x] over the raw rows: (slopes, R²)."""
    a = np.column_stack([np.ones(len(y)), x])
    coef = np.asarray(np.linalg.lstsq(a, y, rcond=None)[0], dtype=np.float64)
    residual = y - a @ coef
    total = float(((y - y.mean()) ** 2).sum())
    return coef[1:], 1.0 - float(residual @ residual) / total


def brute_subset_r2(x: Array, y: Array, players: Players) -> dict[int, float]:
    """R² of every subset of players (bit mask -> R²), each by its own lstsq."""
    out = {0: 0.0}
    for mask in range(1, 1 << len(players)):
        cols = [c for j, own in enumerate(players) if mask >> j & 1 for c in own]
        out[mask] = ols(x[:, cols], y)[1]
    return out


def brute_shapley(r2: Callable[[int], float], p: int) -> Array:
    """Each player's gain in R² averaged over all p! orders of entry (the definition)."""
    total = np.zeros(p)
    for entry in itertools.permutations(range(p)):
        mask = 0
        for j in entry:
            total[j] += r2(mask | 1 << j) - r2(mask)
            mask |= 1 << j
    return total / math.factorial(p)


def module_r2(x: Array, y: Array, players: Players) -> Array:
    """The module's subset R² (one stack entry) from the raw moment matrix of [1, x, y]."""
    rows = np.column_stack([np.ones(len(y)), x, y])
    moments = (rows.T @ rows)[None]
    return subset_r2(correlations(covariances(moments)), players)


def reference_gvif(x: Array, own: list[int]) -> float:
    """GVIF^(1/df) (Fox & Monette 1992) as det(S_JJ) / det(S_JJ given the rest): the
    generalised variance of the driver's columns over the one left after regressing them
    on all the other columns (lstsq on the raw rows)."""
    rest = [c for c in range(x.shape[1]) if c not in own]
    target = x[:, own] - x[:, own].mean(axis=0)
    a = np.column_stack([np.ones(len(x)), x[:, rest]])
    coef, *_ = np.linalg.lstsq(a, target, rcond=None)
    residual = target - a @ coef
    ratio = np.linalg.det(target.T @ target) / np.linalg.det(residual.T @ residual)
    return float(ratio ** (1.0 / len(own)))


def lower_weighted_median(values: Sequence[float], weights: Sequence[float]) -> float:
    """The definition: the smallest value with at least half the total weight at or
    below it."""
    total = sum(weights)
    return min(
        v
        for v in values
        if sum(w for u, w in zip(values, weights, strict=True) if u <= v) >= total / 2
    )


def estimates(result: Fit) -> list[Estimate]:
    """Every Estimate of a fit (to check them all for NaN)."""
    out = [result.r2]
    for driver in result.drivers:
        out += [driver.contribution, driver.opportunity, *driver.effects]
        if driver.importance is not None:
            out.append(driver.importance)
    return out


def contains(estimate: Estimate, truth: float) -> bool:
    return estimate.low <= truth <= estimate.high


# --------------------------------------------------------------------------------------
# Random small data sets (test 1)
# --------------------------------------------------------------------------------------


def small_data(
    rng: np.random.Generator, n: int, numeric: int, levels: Sequence[int], rho: float
) -> tuple[Array, list[Design]]:
    """`numeric` correlated numeric drivers (pairwise correlation `rho`, mixed scales and
    offsets), one categorical driver per entry of `levels` (the first numeric column
    shifted by its level, so they are correlated too, reference level random), and an
    outcome linear in all of them plus noise."""
    corr = np.full((numeric, numeric), rho) + (1.0 - rho) * np.eye(numeric)
    z = rng.normal(size=(n, numeric)) @ np.linalg.cholesky(corr).T
    scale = rng.uniform(0.2, 5.0, size=numeric)
    offset = rng.uniform(-10.0, 10.0, size=numeric)
    designs: list[Design] = []
    for count in levels:
        codes = rng.choice(count, size=n, p=rng.dirichlet(np.full(count, 3.0)))
        z[:, 0] += rng.normal(size=count)[codes]
        designs.append(Design(codes, levels=count, reference=int(rng.integers(count))))
    designs = [Design(z[:, i] * scale[i] + offset[i]) for i in range(numeric)] + designs
    x, _ = design_matrix(designs)
    y = x @ rng.normal(size=x.shape[1]) + rng.normal(size=n) * rng.uniform(0.5, 3.0)
    order = rng.permutation(len(designs))  # categorical players not always last
    return y, [designs[i] for i in order]


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(50, 300),
    numeric=st.integers(1, 3),
    levels=st.lists(st.sampled_from([3, 4]), min_size=1, max_size=2),
    rho=st.sampled_from([0.0, 0.5, 0.8, 0.95]),
)
def test_subset_r2_and_shapley_match_lstsq_and_brute_force(
    seed: int, n: int, numeric: int, levels: list[int], rho: float
) -> None:
    """On random small data sets (2-5 players, 1-2 categorical of 3-4 levels as dummies,
    correlated numeric columns of mixed scale, any player order), the module's R² of
    every subset equals an lstsq fit on the raw rows, and its Shapley values equal the
    brute-force average over all p! orders, to 1e-9; the values add up to the full R²."""
    rng = np.random.default_rng(seed)
    y, designs = small_data(rng, n, numeric, levels, rho)
    x, players = design_matrix(designs)
    expected = brute_subset_r2(x, y, players)
    got = module_r2(x, y, players)
    assert got.shape == (1, 1 << len(players))
    np.testing.assert_allclose(got[0], [expected[m] for m in range(got.shape[1])], atol=1e-9)
    want = brute_shapley(expected.__getitem__, len(players))
    values = shapley(got)
    np.testing.assert_allclose(values[0], want, atol=1e-9)
    assert values[0].sum() == pytest.approx(expected[(1 << len(players)) - 1], abs=1e-12)


def test_shapley_of_a_hand_worked_game() -> None:
    """`shapley` alone on a 3-player game worked by hand: v(1)=.2, v(2)=.1, v(3)=0,
    v(12)=.4, v(13)=.3, v(23)=.1, v(123)=.5; each value is the sum over subsets S of the
    others of |S|!(p-|S|-1)!/p! [v(S+j) - v(S)], written out term by term below."""
    v = [0.0, 0.2, 0.1, 0.4, 0.0, 0.3, 0.1, 0.5]  # index: bit mask
    # Player 0: S={}: .2 (w 1/3); {1}: .3 (1/6); {2}: .3 (1/6); {1,2}: .4 (1/3).
    phi0 = 0.2 / 3 + 0.3 / 6 + 0.3 / 6 + 0.4 / 3
    # Player 1: {}: .1; {0}: .2; {2}: .1; {0,2}: .2.
    phi1 = 0.1 / 3 + 0.2 / 6 + 0.1 / 6 + 0.2 / 3
    phi2 = 0.5 - phi0 - phi1
    np.testing.assert_allclose(shapley(np.array([v]))[0], [phi0, phi1, phi2], atol=1e-15)


# --------------------------------------------------------------------------------------
# fit() point estimates against lstsq on the raw rows
# --------------------------------------------------------------------------------------


def mixed_designs(seed: int, n: int = 240) -> tuple[Array, list[Design]]:
    """Two positively acting numeric drivers on a 1-5 scale (correlated), one acting
    negatively, and a 4-level categorical (reference level 2) tied to the first."""
    rng = np.random.default_rng(seed)
    latent = rng.normal(size=n)
    a = np.clip(np.round(3 + latent + 0.8 * rng.normal(size=n)), 1, 5)
    b = np.clip(np.round(3 + 0.7 * latent + rng.normal(size=n)), 1, 5)
    c = rng.normal(50.0, 10.0, size=n)
    codes = np.where(latent > 0.8, 3, rng.choice(3, size=n, p=[0.5, 0.3, 0.2]))
    y = 2.0 + 0.8 * a + 0.4 * b - 0.05 * c + np.array([0.0, 0.5, -0.4, 1.0])[codes]
    y = y + rng.normal(size=n)
    return y, [Design(a), Design(b), Design(c), Design(codes, levels=4, reference=2)]


def test_fit_point_estimates_match_lstsq_on_raw_rows() -> None:
    """`fit()`'s point estimates from the raw per-respondent arrays: R², adjusted R²,
    each driver's contribution (= brute-force Shapley value), importance (= 100·value/R²),
    numeric slope and per-level effect vs the reference (= lstsq coefficients with the
    same dummy coding, the reference's 0), opportunity (|slope| * mean distance to the
    median on the weak side; for levels, the count-weighted shortfall below the weighted
    median level effect), median and GVIF^(1/df) (residual generalised variance)."""
    y, designs = mixed_designs(3)
    n = len(y)
    result = fit(y, designs, replicates=30, seed=11)
    x, players = design_matrix(designs)
    r2 = brute_subset_r2(x, y, players)
    full = r2[(1 << len(players)) - 1]
    phi = brute_shapley(r2.__getitem__, len(players))
    coef, r2_full = ols(x, y)
    k = x.shape[1]
    assert result.n == n
    assert result.replicates == 30
    assert result.blocks == n  # n < max_blocks: every block one respondent
    assert result.r2.value == pytest.approx(full, abs=1e-10)
    assert result.r2.value == pytest.approx(r2_full, abs=1e-10)
    assert result.r2_adjusted == pytest.approx(1 - (1 - full) * (n - 1) / (n - k - 1), abs=1e-10)
    for j, (design, driver) in enumerate(zip(designs, result.drivers, strict=True)):
        assert driver.contribution.value == pytest.approx(phi[j], abs=1e-10)
        assert driver.importance is not None
        assert driver.importance.value == pytest.approx(100 * phi[j] / full, abs=1e-8)
        assert driver.vif == pytest.approx(reference_gvif(x, players[j]), rel=1e-8)
        if design.levels == 0:
            values = np.asarray(design.values, dtype=np.float64)
            slope = coef[players[j][0]]
            median = float(np.median(values))
            side = np.maximum(median - values, 0) if slope > 0 else np.maximum(values - median, 0)
            assert len(driver.effects) == 1
            assert driver.effects[0].value == pytest.approx(slope, abs=1e-10)
            assert driver.median == median
            assert driver.opportunity.value == pytest.approx(abs(slope) * side.mean(), abs=1e-10)
        else:
            level_effects = np.insert(coef[players[j]], design.reference, 0.0)
            counts = np.bincount(np.asarray(design.values), minlength=design.levels)
            assert [e.value for e in driver.effects] == pytest.approx(level_effects, abs=1e-10)
            assert driver.effects[design.reference].value == 0.0
            med = lower_weighted_median(list(level_effects), list(counts.astype(float)))
            assert driver.median == pytest.approx(med, abs=1e-10)
            gain = float(np.maximum(med - level_effects, 0) @ counts) / n
            assert driver.opportunity.value == pytest.approx(gain, abs=1e-10)
    signs = [np.sign(d.effects[0].value) for d in result.drivers[:3]]
    assert signs == [1, 1, -1]  # both sides of numeric_opportunity were exercised


def test_fit_does_not_depend_on_the_order_of_the_drivers() -> None:
    """Naming the drivers in another order permutes the answer and changes nothing else:
    the same point estimates, and (same seed, so the same resampling) the same
    intervals."""
    y, designs = mixed_designs(5)
    base = fit(y, designs, replicates=60, seed=2)
    order = [3, 0, 2, 1]
    moved = fit(y, [designs[i] for i in order], replicates=60, seed=2)
    for position, i in enumerate(order):
        want, got = base.drivers[i], moved.drivers[position]
        for a, b in [
            (want.contribution, got.contribution),
            (want.opportunity, got.opportunity),
            *zip(want.effects, got.effects, strict=True),
        ]:
            assert (b.value, b.low, b.high) == pytest.approx((a.value, a.low, a.high), abs=1e-10)
        assert want.importance is not None
        assert got.importance is not None
        assert got.importance.value == pytest.approx(want.importance.value, abs=1e-8)
        assert got.vif == pytest.approx(want.vif, rel=1e-9)
    r2 = (moved.r2.value, moved.r2.low, moved.r2.high)
    assert r2 == pytest.approx((base.r2.value, base.r2.low, base.r2.high), abs=1e-10)


def test_categorical_value_does_not_depend_on_the_reference_level() -> None:
    """A categorical player (3 columns) gets the same Shapley value, importance,
    opportunity and GVIF whichever level is the reference; its level effects shift by
    the new reference's old effect; the other drivers do not notice (also through
    `subset_r2` directly, with the dummies of each reference built here)."""
    y, designs = mixed_designs(8)
    fits = []
    for reference in range(4):
        moved = [*designs[:3], Design(designs[3].values, levels=4, reference=reference)]
        fits.append(fit(y, moved, replicates=40, seed=4))
        x, players = design_matrix(moved)
        r2 = module_r2(x, y, players)
        if reference == 0:
            first = r2
        np.testing.assert_allclose(r2, first, atol=1e-12)
    base = fits[0]
    effects0 = np.array([e.value for e in base.drivers[3].effects])
    for other in fits[1:]:
        for a, b in zip(base.drivers, other.drivers, strict=True):
            assert b.contribution.value == pytest.approx(a.contribution.value, abs=1e-12)
            assert (b.contribution.low, b.contribution.high) == pytest.approx(
                (a.contribution.low, a.contribution.high), abs=1e-10
            )
            assert b.opportunity.value == pytest.approx(a.opportunity.value, abs=1e-10)
            assert b.vif == pytest.approx(a.vif, rel=1e-9)
        reference = next(i for i, e in enumerate(other.drivers[3].effects) if e.value == 0.0)
        shifted = effects0 - effects0[reference]
        assert [e.value for e in other.drivers[3].effects] == pytest.approx(shifted, abs=1e-10)


def test_fit_takes_any_numeric_dtype_and_offset() -> None:
    """Answers as small integers (int8/uint8 codes and values) or shifted by 1e6 give
    the same analysis as float64 (the module centres the columns; nothing overflows)."""
    y, designs = mixed_designs(9)
    base = fit(y, designs, replicates=40, seed=1)
    small = [
        Design(designs[0].values.astype(np.uint8)),
        Design(designs[1].values.astype(np.int8)),
        Design(designs[2].values + 1e6),
        Design(designs[3].values.astype(np.uint8), levels=4, reference=2),
    ]
    other = fit(y + 1e6, small, replicates=40, seed=1)
    for a, b in zip(base.drivers, other.drivers, strict=True):
        assert b.contribution.value == pytest.approx(a.contribution.value, abs=1e-9)
        assert b.contribution.high == pytest.approx(a.contribution.high, abs=1e-8)
        assert [e.value for e in b.effects] == pytest.approx([e.value for e in a.effects], abs=1e-7)
        assert b.opportunity.value == pytest.approx(a.opportunity.value, abs=1e-7)
    assert other.r2.value == pytest.approx(base.r2.value, abs=1e-9)


# --------------------------------------------------------------------------------------
# Edge cases
# --------------------------------------------------------------------------------------


def test_constant_column_gets_nothing_and_no_nan() -> None:
    """A driver without variance explains nothing: Shapley value 0 (point and every
    replicate), importance 0, slope 0, opportunity 0, no NaN anywhere; the other drivers'
    values are those of the model without it (lstsq)."""
    y, designs = mixed_designs(12)
    flat = Design(np.full(len(y), 4.0))
    result = fit(y, [designs[0], flat, *designs[1:]], replicates=50, seed=3)
    without = fit(y, designs, replicates=50, seed=3)
    driver = result.drivers[1]
    assert (driver.contribution.value, driver.contribution.low, driver.contribution.high) == (
        0.0,
        0.0,
        0.0,
    )
    assert driver.importance is not None
    assert driver.importance.value == 0.0
    assert driver.effects[0].value == pytest.approx(0.0, abs=1e-12)  # lstsq's min-norm
    assert driver.opportunity.value == pytest.approx(0.0, abs=1e-12)
    assert driver.median == 4.0
    assert not any(math.isnan(v) for e in estimates(result) for v in (e.value, e.low, e.high))
    others = [d.contribution.value for i, d in enumerate(result.drivers) if i != 1]
    assert others == pytest.approx([d.contribution.value for d in without.drivers], abs=1e-12)
    assert result.r2.value == pytest.approx(without.r2.value, abs=1e-12)
    # And through subset_r2 against lstsq (where the constant is collinear with the intercept).
    x, players = design_matrix([designs[0], flat, designs[1]])
    expected = brute_subset_r2(x, y, players)
    got = module_r2(x, y, players)[0]
    np.testing.assert_allclose(got, [expected[m] for m in range(8)], atol=1e-10)
    assert shapley(got[None])[0][1] == 0.0


def test_duplicated_column_splits_its_value_with_its_twin() -> None:
    """Shapley symmetry: an exact copy of a driver gets exactly its twin's value, both
    equal to the brute-force values of the game with the twin (lstsq R², which a copy
    does not change), and together with the others add up to R²; R² itself is the
    model's without the copy. The twins' GVIF is (numerically) infinite."""
    y, designs = mixed_designs(13)
    twin = Design(designs[0].values.copy())
    all_designs = [designs[0], designs[1], twin, designs[3]]
    result = fit(y, all_designs, replicates=50, seed=5)
    values = [d.contribution.value for d in result.drivers]
    assert values[0] == pytest.approx(values[2], abs=1e-12)
    x, players = design_matrix(all_designs)
    r2 = brute_subset_r2(x, y, players)
    assert values == pytest.approx(brute_shapley(r2.__getitem__, 4), abs=1e-10)
    assert sum(values) == pytest.approx(result.r2.value, abs=1e-12)
    assert result.r2.value == pytest.approx(ols(x[:, [0, 1, 3, 4, 5]], y)[1], abs=1e-10)
    assert result.drivers[0].vif > 1e12
    assert result.drivers[2].vif > 1e12
    # Two players, one the copy of the other: each gets exactly half.
    a = np.asarray(designs[0].values, dtype=np.float64)
    pair = module_r2(np.column_stack([a, a]), y, [[0], [1]])
    np.testing.assert_allclose(shapley(pair)[0], [pair[0, 3] / 2] * 2, atol=1e-13)
    assert pair[0, 3] == pytest.approx(ols(a[:, None], y)[1], abs=1e-12)


def test_collinearity_infinite_for_exact_duplicate_when_det_rounds_to_zero() -> None:
    """`collinearity` of an exactly duplicated column is inf (on data where the rounded
    correlation matrix is exactly singular)."""
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=300), rng.normal(size=300)
    rows = np.column_stack([np.ones(300), a, a, b])
    corr = correlations(covariances((rows.T @ rows)[None]))[0]
    gvif = collinearity(corr, [[0], [1], [2]])
    assert np.isinf(gvif[0])
    assert np.isinf(gvif[1])


def test_collinearity_infinite_for_exact_duplicate_whatever_the_rounding() -> None:
    """`collinearity` says a driver that is exactly a combination of others gets inf: an
    exact copy of a column, whatever the scale of the data."""
    rng = np.random.default_rng(1)
    a = rng.normal(size=300) * rng.uniform(0.1, 10)
    b = rng.normal(size=300)
    rows = np.column_stack([np.ones(300), a, a, b])
    corr = correlations(covariances((rows.T @ rows)[None]))[0]
    gvif = collinearity(corr, [[0], [1], [2]])
    assert np.isinf(gvif[0])


def test_collinearity_of_a_bystander_to_duplicated_drivers_is_finite() -> None:
    """A driver that is not a combination of the others keeps its plain VIF
    1/(1 - R² of it on the others) even if two *other* drivers are exact copies of each
    other (the VIF of b depends only on the span of the others)."""
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=300), rng.normal(size=300)
    b = b + 0.3 * a
    rows = np.column_stack([np.ones(300), a, a, b])
    corr = correlations(covariances((rows.T @ rows)[None]))[0]
    gvif = collinearity(corr, [[0], [1], [2]])
    want = 1.0 / (1.0 - ols(a[:, None], b)[1])
    assert gvif[2] == pytest.approx(want, rel=1e-6)


def test_collinearity_matches_residual_generalised_variance() -> None:
    """GVIF^(1/df) of numeric and categorical drivers against det(S_JJ)/det(S_JJ|rest)
    from lstsq residuals; a linear combination of other columns is (numerically)
    infinite."""
    _, designs = mixed_designs(21)
    x, players = design_matrix(designs)
    corr = correlations(covariances(module_moments(x)))[0]
    got = collinearity(corr, players)
    assert got == pytest.approx([reference_gvif(x, own) for own in players], rel=1e-8)
    combo = np.column_stack([x, x[:, 0] + 0.5 * x[:, 2]])
    corr = correlations(covariances(module_moments(combo)))[0]
    got = collinearity(corr, [*players, [x.shape[1]]])
    assert got[0] > 1e12
    assert got[2] > 1e12
    assert got[-1] > 1e12


def module_moments(x: Array) -> Array:
    rows = np.column_stack([np.ones(len(x)), x])
    return (rows.T @ rows)[None]


def test_column_independent_of_outcome_gets_about_zero() -> None:
    """A column exactly orthogonal (in the sample) to the outcome and to every other
    column adds nothing to any subset: Shapley value 0 to 1e-12. A column merely drawn
    independently (n = 20,000) gets almost nothing: below 5e-4, its interval's low end
    at most 1e-4."""
    y, designs = mixed_designs(14, n=300)
    x, players = design_matrix(designs)
    rng = np.random.default_rng(0)
    noise = rng.normal(size=len(y))
    basis = np.column_stack([np.ones(len(y)), x, y])
    coef, *_ = np.linalg.lstsq(basis, noise, rcond=None)
    orthogonal = noise - basis @ coef
    both = np.column_stack([x, orthogonal])
    values = shapley(module_r2(both, y, [*players, [x.shape[1]]]))[0]
    assert values[-1] == pytest.approx(0.0, abs=1e-12)
    assert values[:-1] == pytest.approx(shapley(module_r2(x, y, players))[0], abs=1e-12)

    n = 20_000
    a = rng.normal(size=n)
    unrelated = rng.normal(size=n)
    y2 = a + rng.normal(size=n)
    result = fit(y2, [Design(a), Design(unrelated)], replicates=100, seed=1)
    assert 0.0 <= result.drivers[1].contribution.value < 5e-4
    assert result.drivers[1].contribution.low < 1e-4


def test_outcome_perfectly_explained_gives_r2_one() -> None:
    """y an exact linear function of the drivers (a categorical included): R² = 1 in
    the point estimate and every replicate, the values add up to 1 and the importance
    shares to 100 %, effects are the true coefficients."""
    _, designs = mixed_designs(15)
    a, b = (np.asarray(d.values, dtype=np.float64) for d in designs[:2])
    codes = np.asarray(designs[3].values)
    exact = 3.0 + 2.0 * a - b + np.array([0.0, 0.5, 0.0, -1.5])[codes]
    result = fit(exact, [designs[0], designs[1], designs[3]], replicates=50, seed=2)
    assert (result.r2.value, result.r2.low, result.r2.high) == pytest.approx((1, 1, 1), abs=1e-9)
    assert sum(d.contribution.value for d in result.drivers) == pytest.approx(1.0, abs=1e-9)
    shares = [d.importance.value for d in result.drivers if d.importance is not None]
    assert sum(shares) == pytest.approx(100.0, abs=1e-7)
    assert result.drivers[0].effects[0].value == pytest.approx(2.0, abs=1e-9)
    assert result.drivers[1].effects[0].value == pytest.approx(-1.0, abs=1e-9)
    levels = [e.value for e in result.drivers[2].effects]
    assert levels == pytest.approx([0.0, 0.5, 0.0, -1.5], abs=1e-9)


def test_constant_outcome_has_no_importance() -> None:
    """An outcome without variance: R² 0, every contribution 0, importance None (no
    division by zero), no NaN in what is reported."""
    _, designs = mixed_designs(16)
    result = fit(np.full(240, 7.0), designs, replicates=20, seed=1)
    assert result.r2.value == 0.0
    for driver in result.drivers:
        assert driver.importance is None
        assert driver.contribution.value == 0.0
    assert not any(math.isnan(v) for e in estimates(result) for v in (e.value, e.low, e.high))


# --------------------------------------------------------------------------------------
# A population whose LMG is known exactly (tests 3 and 4)
# --------------------------------------------------------------------------------------
#
# Numeric x1, x2, x3 and z4 are jointly normal (sds 1, 2, 0.5, 1; correlations
# x1-x2 .6, x1-x3 .5, x2-x3 .7, x1-z4 .3, x2-z4 .2); a 3-level factor C, independent of
# them, has P = (.5, .3, .2); x4 = m[C] + z4 with m = (0, 1.5, 3), so x4 is correlated
# with C (.63 with its level-2 dummy). y = .5 x1 + .3 x2 + x3 + .4 x4 + .8 [C=1] - .6 [C=2]
# + N(0, 1.5²). The covariance of V = (x1, x2, x3, x4, [C=1], [C=2]) is then exact:
# A Σ_w Aᵀ + B (diag P - P Pᵀ) Bᵀ (x4's row of B is m), Cov(V, y) = Σ_VV θ, and
# Var(y) = θᵀ Σ_VV θ + 1.5². The true contributions, by brute force over the 120 orders
# from R²(S) = Σ_yS Σ_SS⁻¹ Σ_Sy / Var(y) (checked by test_population_truth_by_simulation):
# R² = .5393; x1 .1335, x2 .1607, x3 .1210, x4 .0602, C .0640.

SD = np.array([1.0, 2.0, 0.5, 1.0])
CORR_W = np.array(
    [
        [1.0, 0.6, 0.5, 0.3],
        [0.6, 1.0, 0.7, 0.2],
        [0.5, 0.7, 1.0, 0.0],
        [0.3, 0.2, 0.0, 1.0],
    ]
)
SIGMA_W = CORR_W * np.outer(SD, SD)
P_LEVEL = np.array([0.5, 0.3, 0.2])
SHIFT = np.array([0.0, 1.5, 3.0])
BETA = np.array([0.5, 0.3, 1.0, 0.4])
GAMMA = np.array([0.8, -0.6])  # levels 1 and 2 against level 0
NOISE = 1.5
POP_PLAYERS: Players = [[0], [1], [2], [3], [4, 5]]


def population() -> tuple[Array, Array, float]:
    """(Σ_VV, Σ_Vy, Var(y)) of the population, exactly."""
    a = np.zeros((6, 4))
    a[:4, :4] = np.eye(4)
    b = np.zeros((6, 3))
    b[3] = SHIFT
    b[4, 1] = b[5, 2] = 1.0
    sigma = a @ SIGMA_W @ a.T + b @ (np.diag(P_LEVEL) - np.outer(P_LEVEL, P_LEVEL)) @ b.T
    theta = np.concatenate([BETA, GAMMA])
    return sigma, sigma @ theta, float(theta @ sigma @ theta + NOISE**2)


def population_lmg() -> tuple[Array, float]:
    """(true contributions, true R²) from the population covariance alone."""
    sigma, cross, var_y = population()

    def r2(mask: int) -> float:
        cols = [c for j, own in enumerate(POP_PLAYERS) if mask >> j & 1 for c in own]
        if not cols:
            return 0.0
        s = sigma[np.ix_(cols, cols)]
        return float(cross[cols] @ np.linalg.solve(s, cross[cols])) / var_y

    table = [r2(mask) for mask in range(1 << len(POP_PLAYERS))]
    return brute_shapley(table.__getitem__, len(POP_PLAYERS)), table[-1]


def sample(rng: np.random.Generator, n: int) -> tuple[Array, list[Design]]:
    """n respondents from the population (numeric drivers around 3, like ratings)."""
    w = rng.multivariate_normal(np.zeros(4), SIGMA_W, size=n, method="cholesky")
    codes = rng.choice(3, size=n, p=P_LEVEL)
    x = w.copy()
    x[:, 3] += SHIFT[codes]
    y = x @ BETA + np.concatenate([[0.0], GAMMA])[codes] + NOISE * rng.normal(size=n)
    numeric = [Design(x[:, i] + 3.0) for i in range(4)]
    return y, [*numeric, Design(codes, levels=3, reference=0)]


def test_population_truth_by_simulation() -> None:
    """The analytic population covariance (and so the 'truth' of the coverage tests)
    is right: the covariance of 1,000,000 simulated respondents agrees with it to
    ±0.01, and the stated true values are what population_lmg computes."""
    rng = np.random.default_rng(2024)
    y, designs = sample(rng, 1_000_000)
    x, _ = design_matrix(designs)
    empirical = np.cov(np.column_stack([x, y]), rowvar=False)
    sigma, cross, var_y = population()
    np.testing.assert_allclose(empirical[:6, :6], sigma, atol=0.01)
    np.testing.assert_allclose(empirical[:6, 6], cross, atol=0.01)
    assert empirical[6, 6] == pytest.approx(var_y, abs=0.02)
    values, r2 = population_lmg()
    assert r2 == pytest.approx(0.5393, abs=5e-5)
    assert values == pytest.approx([0.1335, 0.1607, 0.1210, 0.0602, 0.0640], abs=5e-5)
    assert values.sum() == pytest.approx(r2, abs=1e-12)


# Coverage of the true values by the 95 % intervals of fit(), over 20 samples of n = 8,000
# (replicates 250, default 500 blocks). Nominal coverage is 95 %; a percentile bootstrap
# of a smooth statistic at this n should be close. Observed (numpy 2.4.6): contribution
# 95/100, importance 95/100, R² 19/20, effects (4 slopes + 2 level effects) 115/120
# (the misses cluster in a few samples, as expected: the drivers share the data).
# Assert >= 85 % for each kind (a binomial 95 % over 100 intervals falls below 85 %
# with probability ~1e-4; the seeds are fixed, so the test is deterministic). A wrong
# interval (e.g. half as wide) would cover ~65 %, and a biased estimate far less.
COVERAGE_SEEDS = range(20)


def test_intervals_cover_the_true_importances() -> None:
    """The bootstrap 95 % intervals are honest: over 20 independent samples, the true
    (population) contribution and importance share of every driver, the true R², and
    the true slopes and level effects lie inside their intervals about 95 % of the time
    (at least 85 %), and every truth lies within twice its interval's half-widths."""
    truth, true_r2 = population_lmg()
    true_share = 100.0 * truth / true_r2
    true_effects = [[b] for b in BETA] + [[0.0, *GAMMA]]
    hits = {"contribution": 0, "importance": 0, "r2": 0, "effects": 0}
    totals = dict.fromkeys(hits, 0)

    def check(kind: str, estimate: Estimate, value: float) -> None:
        hits[kind] += contains(estimate, value)
        totals[kind] += 1
        wide = Estimate(
            estimate.value,
            estimate.value - 2 * (estimate.value - estimate.low),
            estimate.value + 2 * (estimate.high - estimate.value),
        )
        assert contains(wide, value), (kind, estimate, value)

    for seed in COVERAGE_SEEDS:
        y, designs = sample(np.random.default_rng(1000 + seed), 8_000)
        result = fit(y, designs, replicates=250, seed=seed)
        check("r2", result.r2, true_r2)
        for j, driver in enumerate(result.drivers):
            assert driver.importance is not None
            check("contribution", driver.contribution, truth[j])
            check("importance", driver.importance, true_share[j])
            for level, effect in enumerate(driver.effects):
                if j < 4 or level > 0:
                    check("effects", effect, true_effects[j][level])
    coverage = {kind: hits[kind] / totals[kind] for kind in hits}
    assert coverage["contribution"] >= 0.85, (hits, totals)
    assert coverage["importance"] >= 0.85, (hits, totals)
    assert coverage["effects"] >= 0.85, (hits, totals)
    assert coverage["r2"] >= 0.85, (hits, totals)


# Block vs ordinary bootstrap, and both vs the true spread. n = 2,000, 400 replicates.
# The sd of each estimate over 100 independent samples (point estimates by the brute-force
# reference here, not the module) times 2·1.96 is the "honest" width. Observed ratios
# (numpy 2.4.6; R², then x1..x4, C): block/ordinary 0.95-1.16; ordinary/true 0.85-1.12;
# block/true 0.90-1.11.


def reference_point_estimates(y: Array, designs: Sequence[Design]) -> Array:
    """(R², contributions...) by the references of this file (population-free)."""
    x, players = design_matrix(designs)
    cov = np.cov(np.column_stack([x, y]), rowvar=False)

    def r2(mask: int) -> float:
        cols = [c for j, own in enumerate(players) if mask >> j & 1 for c in own]
        if not cols:
            return 0.0
        s = cov[np.ix_(cols, cols)]
        return float(cov[cols, -1] @ np.linalg.solve(s, cov[cols, -1])) / float(cov[-1, -1])

    table = [r2(mask) for mask in range(1 << len(players))]
    values = brute_shapley(table.__getitem__, len(players))
    return np.concatenate([[values.sum()], values])


def widths(result: Fit) -> Array:
    estimates = [result.r2, *(d.contribution for d in result.drivers)]
    return np.array([e.high - e.low for e in estimates])


def test_block_bootstrap_agrees_with_ordinary_and_with_true_spread() -> None:
    """On one sample of 2,000, the 95 % interval widths of R² and every contribution from
    the block bootstrap (200 blocks) agree with the ordinary bootstrap (max_blocks = n:
    one respondent per block) within ±35 %, and both agree within ±40 % with
    2·1.96·sd of the estimates over 100 independent samples from the population: the
    intervals measure the real sampling error, not just each other."""
    n = 2_000
    y, designs = sample(np.random.default_rng(77), n)
    ordinary = fit(y, designs, replicates=400, seed=1, max_blocks=n)
    blocked = fit(y, designs, replicates=400, seed=1, max_blocks=200)
    assert ordinary.blocks == n
    assert blocked.blocks == 200
    rng = np.random.default_rng(78)
    spread = np.array([reference_point_estimates(*sample(rng, n)) for _ in range(100)])
    honest = 2 * 1.96 * spread.std(axis=0, ddof=1)
    w_ordinary, w_blocked = widths(ordinary), widths(blocked)
    np.testing.assert_allclose(w_blocked / w_ordinary, 1.0, atol=0.35)
    np.testing.assert_allclose(w_ordinary / honest, 1.0, atol=0.40)
    np.testing.assert_allclose(w_blocked / honest, 1.0, atol=0.40)
    # And the point estimate does not depend on the blocks.
    assert blocked.r2.value == pytest.approx(ordinary.r2.value, abs=1e-12)


def test_block_weights_draw_each_block_with_replacement() -> None:
    """Each replicate draws `blocks` blocks: rows sum to `blocks`, counts are
    non-negative integers, each block is drawn once on average, and the count of one
    block has the multinomial variance (1 - 1/m)."""
    m = 50
    weights = block_weights(m, 4_000, np.random.default_rng(0))
    assert weights.shape == (4_000, m)
    assert (weights.sum(axis=1) == m).all()
    assert (weights >= 0).all()
    assert (weights == np.round(weights)).all()
    assert weights.mean() == pytest.approx(1.0, abs=0.01)
    assert weights.var(axis=0).mean() == pytest.approx(1 - 1 / m, abs=0.03)


# --------------------------------------------------------------------------------------
# Opportunity
# --------------------------------------------------------------------------------------


def test_numeric_opportunity_by_hand() -> None:
    """Answers [1,2,3,4,5], median 3: below-sum 3, above-sum 3; slope 10 per point ->
    10·3/5 = 6. Answers [1,1,3,4,5], median 3: below-sum 4, above-sum 3: slope +10 ->
    10·4/5 = 8 (the weak side is below), slope -10 -> 10·3/5 = 6 (the weak side is above),
    slope 0 -> 0. Elementwise over replicates; n = 0 does not divide by zero."""
    got = numeric_opportunity(
        np.array([10.0, 10.0, -10.0, 0.0, 5.0]),
        np.array([3.0, 4.0, 4.0, 4.0, 0.0]),
        np.array([3.0, 3.0, 3.0, 3.0, 0.0]),
        np.array([5.0, 5.0, 5.0, 5.0, 0.0]),
    )
    np.testing.assert_allclose(got, [6.0, 8.0, 6.0, 0.0, 0.0])


def test_level_opportunity_by_hand() -> None:
    """Effects [0, 2, -1] with counts [5, 3, 2]: the weighted median effect is 0 (2 at
    -1, 7 at or below 0 >= 5); only the -1 level is below it: (0 - (-1))·2/10 = 0.2. The
    same with any reference (effects shifted by a constant); no respondents -> 0."""
    effects = np.array([0.0, 2.0, -1.0])
    counts = np.array([5.0, 3.0, 2.0])
    assert level_opportunity(effects, counts) == pytest.approx(0.2)
    assert level_opportunity(effects - 2.0, counts) == pytest.approx(0.2)
    # Median level 2 (weight 6 of 10 at or below it): [1 (2 resp.), 2 (4), 5 (4)] -> 0.2.
    assert level_opportunity(np.array([5.0, 1.0, 2.0]), np.array([4.0, 2.0, 4.0])) == (
        pytest.approx(1 * 2 / 10)
    )
    assert level_opportunity(effects, np.zeros(3)) == 0.0


def test_weighted_median_by_hand() -> None:
    """Lower weighted median: [1,2,3,4] equal weights -> 2 (half the weight at or below
    it); unsorted input; zero weights are ignored; one heavy value wins."""
    assert weighted_median(np.array([1.0, 2.0, 3.0, 4.0]), np.ones(4)) == 2.0
    assert weighted_median(np.array([4.0, 1.0, 3.0, 2.0]), np.ones(4)) == 2.0
    assert weighted_median(np.array([1.0, 2.0, 3.0]), np.array([0.0, 0.0, 1.0])) == 3.0
    assert weighted_median(np.array([1.0, 2.0, 3.0]), np.array([1.0, 1.0, 3.0])) == 3.0
    assert weighted_median(np.array([1.0, 2.0, 3.0]), np.array([1.0, 1.0, 2.0])) == 2.0


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.integers(-5, 5), st.integers(0, 6)), min_size=1, max_size=12).filter(
        lambda pairs: sum(w for _, w in pairs) > 0
    )
)
def test_weighted_median_matches_its_definition(pairs: list[tuple[int, int]]) -> None:
    """Property: with integer values (ties allowed) and integer weights, the result is
    the smallest value with at least half the total weight at or below it."""
    values = [float(v) for v, _ in pairs]
    weights = [float(w) for _, w in pairs]
    got = weighted_median(np.array(values), np.array(weights))
    assert got == lower_weighted_median(values, weights)


# --------------------------------------------------------------------------------------
# Quadrant
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("importance", "performance", "expected"),
    [
        (30.0, 40.0, "fix_first"),  # important, weak
        (30.0, 90.0, "keep_up"),  # important, strong
        (10.0, 40.0, "watch"),  # less important, weak
        (10.0, 90.0, "less_urgent"),  # less important, strong
        (20.0, 70.0, "keep_up"),  # both on the split: important and strong
        (20.0, 69.999, "fix_first"),  # importance on the split counts as important
        (19.999, 70.0, "less_urgent"),  # performance on the split counts as strong
        (19.999, 69.999, "watch"),
    ],
)
def test_quadrant(importance: float, performance: float, expected: str) -> None:
    """The four quadrants around the splits (mean importance 20, median performance 70);
    a value exactly on a split belongs to the upper side."""
    assert quadrant(importance, performance, 20.0, 70.0) == expected
    assert expected in QUADRANTS


# --------------------------------------------------------------------------------------
# Determinism
# --------------------------------------------------------------------------------------


def test_same_seed_same_fit_other_seed_same_point_estimates() -> None:
    """The same data and seed give an identical Fit (every field, bit for bit); another
    seed resamples differently (other intervals) but leaves the point estimates."""
    y, designs = mixed_designs(30)
    first = fit(y, designs, replicates=80, seed=123)
    again = fit(y, designs, replicates=80, seed=123)
    assert first == again
    other = fit(y, designs, replicates=80, seed=124)
    assert other.r2.value == pytest.approx(first.r2.value, abs=1e-12)
    assert (other.r2.low, other.r2.high) != (first.r2.low, first.r2.high)
    for a, b in zip(first.drivers, other.drivers, strict=True):
        assert b.contribution.value == pytest.approx(a.contribution.value, abs=1e-12)
