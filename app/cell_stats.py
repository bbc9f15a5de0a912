"""The tidy figures of many cells at once: app.stats' formulas over numpy columns.

A timeseries of a year by week by branch is ten thousand cells; computed one cell at a
time (`app.metrics.service.tidy`), Python's cost per cell was most of the answer's time.
Here each formula runs once over all cells, operation for operation as app.stats writes
it, so every figure is the same float (tests/metrics/test_cell_stats.py compares them
cell by cell). Integer sums stay exact in int64 below `EXACT_N` answers per cell; a cell
with more is computed by app.stats itself.

Input: the histogram columns of the rollups (`nps_0`..`nps_10`, `csat_1`..`csat_5`,
`ces_1`..`ces_7`, `sq_<dimension>_<part>`, `volume`) as int64 arrays of one length.
Output: per metric, the tidy columns (value, n, ci_low, ci_high, low_sample) as lists,
None where app.stats gives None.
"""

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from app import stats

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Column = list[Any]
TidyColumns = tuple[str, Column, Column, Column, Column, Column]
"""(metric, values, n, ci_low, ci_high, low_sample): one entry per cell in each list."""

# Below this many answers in a cell, n·Σx² fits int64 and converts to a float exactly, as
# app.stats' Python integers do; a larger cell is recomputed by app.stats.
EXACT_N = 1 << 22

Z = stats.Z95


def _nan_to_none(values: Floats) -> Column:
    out: Column = values.tolist()
    for i in np.flatnonzero(np.isnan(values)).tolist():  # only the empty cells, not every one
        out[i] = None
    return out


def _hist(columns: Mapping[str, Ints], prefix: str, low: int, high: int) -> Ints:
    return np.stack([columns[f"{prefix}_{s}"] for s in range(low, high + 1)], axis=1)


def _nps(counts: Ints) -> tuple[Ints, Floats, Floats, Floats]:
    n = counts.sum(axis=1)
    promoters = counts[:, 9] + counts[:, 10]
    detractors = counts[:, :7].sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = (100 * (promoters - detractors)).astype(np.float64) / n
        n_adj = n + 3
        p_adj = (promoters + 0.75) / n_adj
        d_adj = (detractors + 0.75) / n_adj
        e = p_adj - d_adj
        se = np.sqrt((p_adj + d_adj - e * e) / n_adj)
        low = 100 * np.maximum(-1.0, e - Z * se)
        high = 100 * np.minimum(1.0, e + Z * se)
    empty = n == 0
    return (
        n,
        np.where(empty, np.nan, value),
        np.where(empty, np.nan, low),
        np.where(empty, np.nan, high),
    )


def _share(successes: Ints, n: Ints) -> tuple[Ints, Floats, Floats, Floats]:
    """stats.share: the value and its Wilson interval, in percent."""
    with np.errstate(divide="ignore", invalid="ignore"):
        value = (100 * successes).astype(np.float64) / n
        p = successes / n
        z2 = Z * Z
        denominator = 1 + z2 / n
        center = (p + z2 / (2 * n)) / denominator
        half = Z / denominator * np.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
        low = np.where(successes == 0, 0.0, np.maximum(0.0, center - half))
        high = np.where(successes == n, 1.0, np.minimum(1.0, center + half))
    empty = n == 0
    return (
        n,
        np.where(empty, np.nan, value),
        np.where(empty, np.nan, 100 * low),
        np.where(empty, np.nan, 100 * high),
    )


def _mean(n: Ints, total: Ints, total_sq: Ints) -> tuple[Ints, Floats, Floats, Floats]:
    """stats.mean_interval: the mean and mean ± z·s/√n (no interval below 2 answers)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = total / n
        numerator = np.maximum(n * total_sq - total * total, 0)
        sd = np.sqrt(numerator / (n * (n - 1)))
        se = sd / np.sqrt(n)
        low = mean - Z * se
        high = mean + Z * se
    none = n < 2
    return (
        n,
        np.where(n == 0, np.nan, mean),
        np.where(none, np.nan, low),
        np.where(none, np.nan, high),
    )


def _hist_mean(counts: Ints, low: int) -> tuple[Ints, Floats, Floats, Floats]:
    scores = np.arange(low, low + counts.shape[1], dtype=np.int64)
    return _mean(counts.sum(axis=1), counts @ scores, counts @ (scores * scores))


def _between(counts: Ints, low: int, first: int, last: int) -> Ints:
    chosen: Ints = counts[:, first - low : last - low + 1].sum(axis=1)
    return chosen


Figures = tuple[Ints, Floats, Floats, Floats]


def tidy_columns(
    columns: Mapping[str, Ints],
    metrics: Sequence[str],
    *,
    min_n: int,
    hide_below: int = 0,
    dimensions: Sequence[str] = (),
    exact: Callable[[int], list[tuple[str, Any, int, Any, Any, bool]]] | None = None,
) -> list[TidyColumns]:
    """The tidy rows of every cell, metric by metric, in app.metrics.service.tidy's order.

    `metrics`: the families asked for (volume, nps, csat, ces, servqual). `hide_below`:
    figures from fewer answers are withheld (per-employee answers). `dimensions`: the
    SERVQUAL dimensions, in order. `exact(i)`: the tidy rows of cell i by app.stats, used
    for cells of `EXACT_N` answers or more.
    """
    out: list[TidyColumns] = []
    cells = len(columns["volume"])

    def add(name: str, figures: Figures) -> None:
        n, value, low, high = figures
        if hide_below:
            hidden = n < hide_below
            value, low, high = (np.where(hidden, np.nan, a) for a in (value, low, high))
        out.append(
            (name, _nan_to_none(value), n.tolist(), _nan_to_none(low), _nan_to_none(high),
             (n < min_n).tolist())
        )  # fmt: skip

    if "volume" in metrics:
        volume = columns["volume"]
        out.append(
            ("volume", volume.astype(np.float64).tolist(), volume.tolist(), [None] * cells,
             [None] * cells, (volume < min_n).tolist())
        )  # fmt: skip
    if "nps" in metrics:
        add("nps", _nps(_hist(columns, "nps", 0, 10)))
    if "csat" in metrics:
        csat = _hist(columns, "csat", 1, 5)
        add("csat", _share(_between(csat, 1, stats.CSAT_SATISFIED_MIN, 5), csat.sum(axis=1)))
        add("csat_mean", _hist_mean(csat, 1))
    if "ces" in metrics:
        ces = _hist(columns, "ces", 1, 7)
        add("ces", _hist_mean(ces, 1))
        add("ces_easy", _share(_between(ces, 1, stats.CES_EASY_MIN, 7), ces.sum(axis=1)))
    if "servqual" in metrics:
        dims = {
            d: _mean(columns[f"sq_{d}_n_pe"], columns[f"sq_{d}_sum_gap"],
                     columns[f"sq_{d}_sum_gap_sq"])
            for d in dimensions
        }  # fmt: skip
        add("servqual", _servqual_overall(dims, cells))
        for d, figures in dims.items():
            add(f"servqual_{d}", figures)
    if exact is not None:
        _replace_large(out, columns, exact)
    return out


def _servqual_overall(dims: Mapping[str, Figures], cells: int) -> Figures:
    """stats.servqual_overall: the mean of the dimensions' gaps that have a value (fsum,
    as there), n the smallest of their n; no interval."""
    values = np.stack([figures[1] for figures in dims.values()], axis=1)
    ns = np.stack([figures[0] for figures in dims.values()], axis=1)
    used = ~np.isnan(values)
    count = used.sum(axis=1)
    overall = np.full(cells, np.nan)
    for i in np.flatnonzero(count):
        overall[i] = math.fsum(values[i, used[i]].tolist()) / int(count[i])
    n = np.where(count > 0, np.where(used, ns, np.iinfo(np.int64).max).min(axis=1), 0)
    nothing = np.full(cells, np.nan)
    return n.astype(np.int64), overall, nothing, nothing


def _replace_large(
    out: list[TidyColumns],
    columns: Mapping[str, Ints],
    exact: Callable[[int], list[tuple[str, Any, int, Any, Any, bool]]],
) -> None:
    """Cells of `EXACT_N` answers or more: their rows from app.stats (Python integers)."""
    large = np.flatnonzero(columns["volume"] >= EXACT_N)
    for i in large.tolist():
        for k, (_, value, n, low, high, low_sample) in enumerate(exact(i)):
            _, values, ns, lows, highs, flags = out[k]
            values[i], ns[i], lows[i], highs[i], flags[i] = value, n, low, high, low_sample


def shrunk_and_flags(
    values: Column, ns: Column, lows: Column, highs: Column, pooled: float | None, min_n: int
) -> tuple[Column, Column]:
    """stats.consistency's `shrunk` and `flag` of every group at once, the same floats:
    shrunk = (n·value + k·pooled) / (n + k), k = min_n, for a group with a value; the flag
    "below" ("above") for a group that counts (a value, n ≥ min_n) whose interval lies
    wholly under (over) the pooled value. Columns as tidy_columns gives them (None: no
    figure)."""
    cells = len(ns)
    if pooled is None:
        return [None] * cells, [None] * cells
    n = np.asarray(ns, dtype=np.int64)
    value, low, high = (np.array(c, dtype=np.float64) for c in (values, lows, highs))  # None: nan
    weight = float(min_n)
    with np.errstate(divide="ignore", invalid="ignore"):
        shrunk = (n * value + weight * pooled) / (n + weight)
    shrunk = np.where(n + weight > 0, shrunk, np.nan)  # nan already where there is no value
    counted = ~np.isnan(value) & (n >= min_n)
    below = counted & (high < pooled)  # a missing bound (nan) compares False, as None is skipped
    above = counted & ~below & (low > pooled)
    flags = np.full(cells, None, dtype=object)
    flags[below], flags[above] = "below", "above"
    return _nan_to_none(shrunk), flags.tolist()
