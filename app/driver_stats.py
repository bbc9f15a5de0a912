"""Key driver analysis: how much of an outcome each driver explains, fair to correlated
drivers, with bootstrap intervals (docs/metrics.md, "Drivers"). Pure functions over
moment matrices; nothing of the service.

A *driver* (a "player" here) is one or more columns of the design: a numeric driver is
one column, a categorical one its dummy columns (one level left out). Importance is the
driver's Shapley value of R² (LMG: Lindeman, Merenda & Gold 1980; Grömping 2006): its
gain in R² when added to a subset of the other drivers, averaged over every order in
which the drivers can enter the model. The values add up to the full model's R², do not
depend on the order the drivers are named in, and split what correlated drivers explain
together between them, instead of crediting whichever one comes first.

Every function takes a stack of B covariance matrices (the point estimate and the
bootstrap replicates) and computes all of them at once: R² of all 2^p subsets costs
2^p small steps (one Cholesky extension per subset, in depth-first order, each over
the whole stack), so 12 drivers and 200 replicates take well under a second.

The bootstrap resamples *blocks*: the respondents are split at random into m blocks,
each block's moment matrix (sums of products) is computed once, and a replicate is
the sum of m blocks drawn with replacement. Moments add up, so a replicate costs a
weighted sum of m small matrices instead of a pass over the rows; with m = n (each
block one respondent) it is the ordinary bootstrap, and for m in the hundreds its
variance is the ordinary bootstrap's (a replicate is a sum of m i.i.d. block sums).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from math import factorial
from typing import Any

import numpy as np
from numpy.typing import NDArray
from threadpoolctl import threadpool_limits

Array = NDArray[np.float64]

# A pivot (a driver's variance left after the drivers before it, in correlation units)
# below this counts as zero: that driver adds nothing to the subset.
_PIVOT = 1e-12


def covariances(moments: Array) -> Array:
    """(..., K+1, K+1) moment matrices of rows [1, v_1, ..., v_K] (sums of products, so
    [0, 0] is n) -> (..., K, K) covariance matrices of v (divided by n)."""
    n = moments[..., 0, 0]
    mean = moments[..., 0, 1:] / n[..., None]
    second: Array = moments[..., 1:, 1:] / n[..., None, None]
    return second - mean[..., :, None] * mean[..., None, :]


def correlations(cov: Array) -> Array:
    """Covariance -> correlation matrices; a variable without variance gets a row and
    column of zeros (and 1 on the diagonal), so it explains nothing."""
    sd = np.sqrt(np.clip(np.diagonal(cov, axis1=-2, axis2=-1), 0.0, None))
    flat = sd <= 1e-12 * np.maximum(sd.max(axis=-1, keepdims=True), 1e-300)
    safe = np.where(flat, 1.0, sd)
    corr: Array = cov / (safe[..., :, None] * safe[..., None, :])
    corr = np.where(flat[..., :, None] | flat[..., None, :], 0.0, corr)
    k = corr.shape[-1]
    corr[..., np.arange(k), np.arange(k)] = 1.0
    return corr


def subset_r2(corr: Array, players: Sequence[Sequence[int]]) -> Array:
    """R² of the least-squares regression of the last variable on the columns of every
    subset of players: (B, 2^p), indexed by the subset's bit mask (bit j: player j).

    `corr`: (B, K, K) correlation matrices, the outcome last; `players`: each player's
    column indices (disjoint, none the outcome's). Depth-first over subsets, each one
    the subset without its highest player plus that player, carrying what is left of the
    later players' columns and the outcome once the subset's columns are regressed out
    (the Schur complement): adding a player sweeps its columns out one at a time (always
    forwards, never undone), and R² grows by each swept column's residual covariance
    with the outcome squared over its residual variance. Exactly collinear columns add
    nothing (pivots below 1e-12). Elementwise operations over the whole stack only, and
    the players with most columns first (they are then swept in the fewest subsets).
    """
    b, k, _ = corr.shape
    p = len(players)
    order = sorted(range(p), key=lambda j: -len(players[j]))
    columns = [c for j in order for c in players[j]]
    starts = list(np.cumsum([0] + [len(players[j]) for j in order]))
    index = np.asarray([*columns, k - 1], dtype=np.intp)
    # (r, r, b): the stack last, so that every row taken is contiguous.
    rest0 = np.ascontiguousarray(np.moveaxis(corr[:, index[:, None], index[None, :]], 0, -1))
    by_order = np.zeros((1 << p, b))

    def extend(mask: int, rest: Array, r2: Array, first: int) -> None:
        # rest: over the columns of players first..p-1 (in `order`) and the outcome.
        base = starts[first]
        for j in range(first, p):
            sub = rest[starts[j] - base :, starts[j] - base :]
            grown = r2
            for _ in range(starts[j + 1] - starts[j]):
                pivot = sub[0, 0]
                ok = pivot > _PIVOT
                inverse = np.where(ok, 1.0 / np.where(ok, pivot, 1.0), 0.0)
                row = sub[0, 1:]
                grown = grown + row[-1] * row[-1] * inverse
                sub = sub[1:, 1:] - row[:, None, :] * (row * inverse)[None, :, :]
            grown_mask = mask | (1 << j)
            by_order[grown_mask] = grown
            if j + 1 < p:  # a subset with the last player has no children
                extend(grown_mask, sub, grown, j + 1)

    extend(0, rest0, np.zeros(b), 0)
    masks = np.arange(1 << p)
    original = np.zeros(1 << p, dtype=np.intp)
    for position, j in enumerate(order):
        original |= ((masks >> position) & 1) << j
    out = np.empty((b, 1 << p))
    out[:, original] = by_order.T
    return out


def shapley(r2: Array) -> Array:
    """(B, 2^p) R² of every subset -> (B, p) each player's Shapley value (LMG): the
    mean gain in R² when it joins the others, over all orders of joining. The values
    of a row add up to the R² of all players."""
    b, size = r2.shape
    p = size.bit_length() - 1
    by_subset = np.ascontiguousarray(r2.T)
    masks = np.arange(size)
    sizes = np.array([m.bit_count() for m in range(size)])
    weight = np.array([factorial(s) * factorial(p - s - 1) / factorial(p) for s in range(p)])
    out = np.empty((b, p))
    for j in range(p):
        without = masks[(masks >> j) & 1 == 0]
        out[:, j] = weight[sizes[without]] @ (by_subset[without | (1 << j)] - by_subset[without])
    return out


def coefficients(cov: Array) -> Array:
    """(B, K, K) covariances, the outcome last -> (B, K-1) least-squares slopes of the
    outcome on all the other variables (the intercept is the means' business), solved
    on the correlation scale: a column without variance gets 0; when some matrix is
    singular (exact twins), every one gets the minimum-norm solution instead."""
    sd = np.sqrt(np.clip(np.diagonal(cov, axis1=-2, axis2=-1), 0.0, None))
    corr = correlations(cov)
    k = corr.shape[-1] - 1
    solved: Array
    try:
        solved = np.linalg.solve(corr[:, :k, :k], corr[:, :k, k:])[:, :, 0].astype(np.float64)
        if not np.isfinite(solved).all():
            raise np.linalg.LinAlgError("not finite")
    except np.linalg.LinAlgError:
        solved = np.stack(
            [np.linalg.lstsq(m[:k, :k], m[:k, k], rcond=1e-10)[0] for m in corr]
        ).astype(np.float64)
    ratio = sd[:, k:] / np.where(sd[:, :k] > 0, sd[:, :k], 1.0)
    slopes: Array = solved * np.where(sd[:, :k] > 0, ratio, 0.0)
    return slopes


def collinearity(corr: Array, players: Sequence[Sequence[int]]) -> Array:
    """Each player's generalised variance inflation factor (Fox & Monette 1992), as
    GVIF^(1/df): the plain VIF for a one-column driver, comparable to it for a
    categorical one. `corr`: one (K, K) correlation matrix of the drivers' columns (no
    outcome). GVIF = det(R_jj) / det(R_jj - R_jo R_oo^+ R_oj): the generalised variance
    of the player's columns over what is left of it once the others are regressed out
    (a pseudo-inverse, so that others exactly collinear among themselves do not spoil
    it). Large values (5 and above) mean the other drivers carry most of what this one
    does: its share of R² is then split with them and uncertain. Infinite when a driver
    is (within 1e-10 of its variance) a combination of others."""
    columns = np.arange(corr.shape[-1])
    out = np.empty(len(players))
    for j, own in enumerate(players):
        own_idx = np.asarray(own, dtype=np.intp)
        rest = np.setdiff1d(columns, own_idx)
        own_block = corr[np.ix_(own_idx, own_idx)]
        across = corr[np.ix_(own_idx, rest)]
        left = (
            own_block - across @ np.linalg.pinv(corr[np.ix_(rest, rest)], hermitian=True) @ across.T
        )
        total = np.linalg.det(own_block)
        remaining = np.linalg.det(left)
        if total <= 0 or remaining <= 1e-10 * total:
            out[j] = np.inf
        else:
            out[j] = float((total / remaining) ** (1.0 / len(own_idx)))
    return out


def block_weights(blocks: int, replicates: int, rng: np.random.Generator) -> Array:
    """(replicates, blocks) how often each block is drawn in each bootstrap replicate:
    `blocks` draws with replacement, equally likely."""
    draws: Array = rng.multinomial(blocks, np.full(blocks, 1.0 / blocks), size=replicates).astype(
        np.float64
    )
    return draws


def percentile_interval(samples: Array, level: float = 0.95) -> tuple[Array, Array]:
    """The bootstrap percentile interval along the first axis (replicates)."""
    tail = (1.0 - level) / 2.0 * 100.0
    low, high = np.percentile(samples, [tail, 100.0 - tail], axis=0)
    return low, high


def weighted_median(values: Array, weights: Array) -> float:
    """The lower weighted median: the smallest value with at least half the weight at or
    below it."""
    order = np.argsort(values, kind="stable")
    cumulative = np.cumsum(weights[order])
    at = int(np.searchsorted(cumulative, cumulative[-1] / 2.0))
    return float(values[order][at])


def level_opportunity(effects: Array, counts: Array) -> float:
    """Of a categorical driver: the expected change of the outcome's mean if every
    respondent in a level whose effect lies below the median respondent's level effect
    had the median effect instead. `effects` per level (any reference), `counts` the
    respondents per level."""
    total = float(counts.sum())
    if total <= 0:
        return 0.0
    median = weighted_median(effects, counts)
    return float(np.clip(median - effects, 0.0, None) @ counts) / total


def level_opportunities(effects: Array, shares: Array) -> Array:
    """`level_opportunity` of each row (replicate) of effects and shares, at once."""
    order = np.argsort(effects, axis=1, kind="stable")
    ordered = np.take_along_axis(effects, order, axis=1)
    cumulative = np.cumsum(np.take_along_axis(shares, order, axis=1), axis=1)
    at = np.argmax(cumulative >= cumulative[:, -1:] / 2.0, axis=1)
    median = ordered[np.arange(len(effects)), at]
    gain: Array = (np.clip(median[:, None] - effects, 0.0, None) * shares).sum(axis=1)
    return gain / np.where(cumulative[:, -1] > 0, cumulative[:, -1], 1.0)


def numeric_opportunity(slope: Array, below: Array, above: Array, n: Array) -> Array:
    """Of a numeric driver: the expected change of the outcome's mean if every respondent
    on its weak side of the median were at the median. `below` and `above`: the sums of
    max(0, median - x) and max(0, x - median) over the n respondents; the weak side is
    below the median when higher values go with a better outcome (slope > 0). Elementwise
    over replicates."""
    gain: Array = np.where(slope > 0, slope * below, -slope * above) / np.maximum(n, 1.0)
    return gain


QUADRANTS = ("fix_first", "keep_up", "watch", "less_urgent")


def quadrant(
    importance: float, performance: float, mean_importance: float, median_performance: float
) -> str:
    """Importance (share of R²) against performance (0-100): important and weak is
    `fix_first`, important and strong `keep_up`, less important and weak `watch`, less
    important and strong `less_urgent`. Splits: the mean importance (1/p of R²) and the
    median performance over the drivers."""
    important = importance >= mean_importance
    strong = performance >= median_performance
    if important:
        return "keep_up" if strong else "fix_first"
    return "less_urgent" if strong else "watch"


# The whole analysis ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Design:
    """One driver's answers, one per respondent: a number (`levels` = 0), or the index
    of its level (0..levels-1; `reference` is the level without a column). Any numeric
    dtype: the answers as they came (small integers stay small until a block is built)."""

    values: NDArray[Any]
    levels: int = 0
    reference: int = 0

    @property
    def width(self) -> int:
        return 1 if self.levels == 0 else self.levels - 1


@dataclass(frozen=True, slots=True)
class Estimate:
    """A point estimate with its bootstrap percentile interval (95 %)."""

    value: float
    low: float
    high: float


@dataclass(frozen=True, slots=True)
class DriverFit:
    importance: Estimate | None  # percent of the model's R²; None when R² is 0
    contribution: Estimate  # the Shapley value itself, in R² (0..1)
    effects: list[Estimate]  # numeric: [slope]; levels: per level, the reference's 0
    opportunity: Estimate
    median: float  # numeric: the median value; levels: the median level effect
    vif: float


@dataclass(frozen=True, slots=True)
class Fit:
    n: int
    outcome_mean: float
    r2: Estimate
    r2_adjusted: float
    drivers: list[DriverFit]
    replicates: int
    blocks: int


def _estimate(samples: Array) -> Estimate:
    """Replicate 0 is the point estimate; the rest give the interval."""
    low, high = percentile_interval(samples[1:]) if len(samples) > 1 else (samples[0],) * 2
    return Estimate(float(samples[0]), float(low), float(high))


def fit(
    outcome: NDArray[Any],
    designs: Sequence[Design],
    *,
    replicates: int,
    seed: int,
    max_blocks: int = 500,
) -> Fit:
    """Key driver analysis of `outcome` (one number per respondent) on the drivers: the
    least-squares model with all of them, each one's Shapley share of its R², effects
    and opportunity, all with bootstrap intervals (`replicates` of min(n, max_blocks)
    random blocks; `seed` makes an answer repeatable).

    BLAS runs on one thread meanwhile: its matrices here are small (a block's rows by
    some 30 columns), and its threads spinning for work on a busy machine made the
    block products 5 times slower (0.56 s against 0.10 s for 250 blocks, measured).
    """
    with threadpool_limits(1, "blas"):
        return _fit(outcome, designs, replicates=replicates, seed=seed, max_blocks=max_blocks)


def _fit(
    outcome: NDArray[Any],
    designs: Sequence[Design],
    *,
    replicates: int,
    seed: int,
    max_blocks: int = 500,
) -> Fit:
    """Key driver analysis of `outcome` (one number per respondent) on the drivers: the
    least-squares model with all of them, each one's Shapley share of its R², effects
    and opportunity, all with bootstrap intervals (`replicates` of min(n, max_blocks)
    random blocks; `seed` makes an answer repeatable)."""
    n = len(outcome)
    widths = [d.width for d in designs]
    k = sum(widths)
    numeric = [j for j, d in enumerate(designs) if d.levels == 0]
    medians = {j: float(np.median(designs[j].values)) for j in numeric}
    # Rows: [1, the drivers' columns, outcome], centred on their means (the moments are
    # then well scaled); beside them, per numeric driver, the block sums of
    # max(0, median - x) and max(0, x - median) (opportunity needs no cross products).
    # Blocks of equal size (the last one short), rows drawn at random (`order`), built
    # some blocks at a time.
    rng = np.random.default_rng(seed)
    order = rng.permutation(n)
    # The answers as two matrices, rows in the random order (one gather each): the level
    # indices (small integers), and the numbers with the outcome last.
    leveled = [j for j, d in enumerate(designs) if d.levels]
    codes = (
        np.column_stack([designs[j].values for j in leveled]).astype(np.int16)[order]
        if leveled
        else np.zeros((n, 0), dtype=np.int16)
    )  # int16: a fifth of the bytes to gather (levels are at most a few dozen)
    numbers = np.column_stack([*(designs[j].values for j in numeric), outcome])[order].astype(
        np.float64
    )
    first_column = np.cumsum([1, *widths])[:-1]  # of each design in a row
    width = 1 + k + 1
    centre = np.zeros(width)
    for c, j in enumerate(numeric):
        centre[first_column[j]] = numbers[:, c].mean()
    centre[-1] = numbers[:, -1].mean()
    for c, j in enumerate(leveled):
        d = designs[j]
        shares = np.bincount(codes[:, c].astype(np.intp), minlength=d.levels) / n
        centre[first_column[j] : first_column[j] + d.width] = np.delete(shares, d.reference)
    median_row = np.array([medians[j] for j in numeric])
    blocks = min(n, max_blocks)
    size = -(-n // blocks)
    per_block = np.empty((blocks, width, width))
    sides = np.zeros((blocks, 2 * len(numeric)))  # per block, below and above the median
    step = max(1, (1 << 21) // (size * width))  # blocks per stack: ~16 MB of rows
    for first_block in range(0, blocks, step):
        stack = min(step, blocks - first_block)
        lo, hi = first_block * size, min(n, (first_block + stack) * size)
        real = hi - lo
        rows = np.zeros((stack * size, width))
        rows[:real, 0] = 1.0
        chunk = numbers[lo:hi]
        for c, j in enumerate(numeric):
            rows[:real, first_column[j]] = chunk[:, c]
        rows[:real, -1] = chunk[:, -1]
        for c, j in enumerate(leveled):
            d = designs[j]
            level = codes[lo:hi, c].astype(np.intp)
            position = level - (level > d.reference)  # the reference has no column
            coded = np.flatnonzero(level != d.reference)
            rows[coded, first_column[j] + position[coded]] = 1.0
        rows[:real, 1:] -= centre[1:]
        for b, block in enumerate(rows.reshape(stack, size, width)):
            per_block[first_block + b] = block.T @ block  # BLAS (a stacked matmul is not)
        if numeric:
            gap = chunk[:, :-1] - median_row
            starts = np.arange(0, real, size)
            at = slice(first_block, first_block + len(starts))
            sides[at, 0::2] = np.add.reduceat(np.maximum(-gap, 0.0), starts, axis=0)
            sides[at, 1::2] = np.add.reduceat(np.maximum(gap, 0.0), starts, axis=0)
    weights = np.vstack([np.ones((1, blocks)), block_weights(blocks, replicates, rng)])
    moments = (weights @ per_block.reshape(blocks, -1)).reshape(-1, width, width)
    count = moments[:, 0, 0]
    means = moments[:, 0, 1:] / count[:, None] + centre[None, 1:]  # per replicate
    side_sums = weights @ sides

    cov = covariances(moments)
    corr = correlations(cov)
    players, start = [], 0
    for w in widths:
        players.append(list(range(start, start + w)))
        start += w
    r2_all = subset_r2(corr, players)
    r2 = r2_all[:, -1]
    values = shapley(r2_all)
    slopes = coefficients(cov)
    vif = collinearity(corr[0, :k, :k], players)

    fits = []
    for j, design in enumerate(designs):
        cols = players[j]
        if design.levels == 0:
            i = numeric.index(j)
            slope = slopes[:, cols[0]]
            below = side_sums[:, 2 * i]
            above = side_sums[:, 2 * i + 1]
            gain = numeric_opportunity(slope, below, above, count)
            effects = [_estimate(slope)]
            median = medians[j]
        else:
            level_effects = np.insert(slopes[:, cols], design.reference, 0.0, axis=1)
            shares = np.insert(means[:, cols], design.reference, 0.0, axis=1)
            shares[:, design.reference] = 1.0 - shares.sum(axis=1)
            gain = level_opportunities(level_effects, shares)
            effects = [_estimate(level_effects[:, level]) for level in range(design.levels)]
            median = weighted_median(level_effects[0], shares[0])
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(r2 > 1e-12, 100.0 * values[:, j] / r2, np.nan)
        fits.append(
            DriverFit(
                importance=_estimate(share) if np.isfinite(share[0]) else None,
                contribution=_estimate(values[:, j]),
                effects=effects,
                opportunity=_estimate(gain),
                median=median,
                vif=float(vif[j]),
            )
        )
    adjusted = 1.0 - (1.0 - r2[0]) * (n - 1) / (n - k - 1) if n > k + 1 else float("nan")
    return Fit(
        n=n, outcome_mean=float(np.mean(outcome)), r2=_estimate(r2),
        r2_adjusted=float(adjusted), drivers=fits, replicates=replicates, blocks=blocks,
    )  # fmt: skip
