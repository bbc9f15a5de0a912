"""app.cell_stats gives, for every cell, exactly the tidy rows app.metrics.service.tidy
gives cell by cell with app.stats: the same floats (==, not approximately), the same
None, n and low_sample; the figures withheld below the per-employee minimum too."""

from types import SimpleNamespace
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from app import cell_stats, stats
from app.metrics.service import tidy
from app.rollups.aggregates import Aggregate, column_names, from_record
from app.vocabulary import SERVQUAL_DIMENSIONS

FAMILIES = ("volume", "nps", "csat", "ces", "servqual")
NAMES = column_names(FAMILIES)

# Counts from none and one answer (no interval) to more than a cell may hold exactly in
# int64 arithmetic (cell_stats.EXACT_N: those cells go to app.stats).
count = st.one_of(
    st.integers(0, 3), st.integers(0, 400), st.integers(0, 3_000_000),
    st.just(cell_stats.EXACT_N),
)  # fmt: skip


@st.composite
def cells(draw: st.DrawFn) -> dict[str, int]:
    """One cell's columns: histograms and SERVQUAL sums that real answers could give."""
    cell = {f"nps_{s}": draw(count) if draw(st.booleans()) else 0 for s in range(11)}
    cell |= {f"csat_{s}": draw(count) if draw(st.booleans()) else 0 for s in range(1, 6)}
    cell |= {f"ces_{s}": draw(count) if draw(st.booleans()) else 0 for s in range(1, 8)}
    for d in SERVQUAL_DIMENSIONS:
        gaps = draw(st.lists(st.integers(-6, 6), max_size=4))
        scale = draw(st.sampled_from([1, 1, 1000, 1_000_000]))  # the same gaps many times
        n = len(gaps) * scale
        cell |= {
            f"sq_{d}_n_p": n, f"sq_{d}_sum_p": 4 * n, f"sq_{d}_n_e": n, f"sq_{d}_sum_e": 4 * n,
            f"sq_{d}_n_pe": n, f"sq_{d}_sum_gap": sum(gaps) * scale,
            f"sq_{d}_sum_gap_sq": sum(g * g for g in gaps) * scale, f"sq_{d}_sum_p_sq": 16 * n,
        }  # fmt: skip
    cell["volume"] = max(
        sum(cell[f"nps_{s}"] for s in range(11)),
        sum(cell[f"csat_{s}"] for s in range(1, 6)),
        sum(cell[f"ces_{s}"] for s in range(1, 8)),
        *(cell[f"sq_{d}_n_pe"] for d in SERVQUAL_DIMENSIONS),
    )
    return cell


@settings(max_examples=300, deadline=None)
@given(
    table=st.lists(cells(), min_size=1, max_size=6),
    metrics=st.lists(st.sampled_from(FAMILIES), min_size=1, unique=True),
    min_n=st.integers(0, 50),
    hide_below=st.sampled_from([0, 0, 5, 30]),
)
def test_every_cell_is_what_app_stats_gives(
    table: list[dict[str, int]], metrics: list[str], min_n: int, hide_below: int
) -> None:
    filters: Any = SimpleNamespace(
        metrics=tuple(metrics), min_n=min_n, per_employee=hide_below > 0,
        employee_min_n=hide_below,
    )  # fmt: skip
    expected = [tidy(from_record(cell, filters.metrics), filters) for cell in table]
    columns = {name: np.array([cell[name] for cell in table], dtype=np.int64) for name in NAMES}
    got = cell_stats.tidy_columns(
        columns, filters.metrics, min_n=min_n, hide_below=hide_below,
        dimensions=SERVQUAL_DIMENSIONS,
        exact=lambda i: tidy(from_record(table[i], filters.metrics), filters),
    )  # fmt: skip
    for i, rows in enumerate(expected):
        assert [(f[0], f[1][i], f[2][i], f[3][i], f[4][i], f[5][i]) for f in got] == rows


def test_an_empty_cell_is_the_empty_aggregate() -> None:
    filters: Any = SimpleNamespace(metrics=FAMILIES, min_n=30, per_employee=False, employee_min_n=5)
    columns = {name: np.zeros(2, dtype=np.int64) for name in NAMES}
    got = cell_stats.tidy_columns(columns, FAMILIES, min_n=30, dimensions=SERVQUAL_DIMENSIONS)
    empty = tidy(Aggregate(), filters)
    assert [(f[0], f[1][1], f[2][1], f[3][1], f[4][1], f[5][1]) for f in got] == empty


@settings(max_examples=200, deadline=None)
@given(
    table=st.lists(cells(), min_size=1, max_size=12),
    metric=st.sampled_from(["nps", "csat", "ces", "servqual_reliability", "volume"]),
    min_n=st.integers(0, 50),
    pooled=st.none() | st.floats(-100, 100) | st.sampled_from([0.0, 33.3, -100.0]),
)
def test_shrunk_scores_and_flags_are_what_app_stats_gives(
    table: list[dict[str, int]], metric: str, min_n: int, pooled: float | None
) -> None:
    """cell_stats.shrunk_and_flags equals stats.consistency group by group (==)."""
    filters: Any = SimpleNamespace(metrics=FAMILIES, min_n=min_n, per_employee=False)
    columns = {name: np.array([cell[name] for cell in table], dtype=np.int64) for name in NAMES}
    figures = next(
        f for f in cell_stats.tidy_columns(
            columns, FAMILIES, min_n=min_n, dimensions=SERVQUAL_DIMENSIONS,
            exact=lambda i: tidy(from_record(table[i], filters.metrics), filters),
        ) if f[0] == metric
    )  # fmt: skip
    _, values, ns, lows, highs, _ = figures
    names = [f"g{i}" for i in range(len(table))]
    expected = stats.consistency(zip(names, values, ns, lows, highs, strict=True), pooled, min_n)
    shrunk, flags = cell_stats.shrunk_and_flags(values, ns, lows, highs, pooled, min_n)
    assert shrunk == [g.shrunk for g in expected.groups]
    assert flags == [g.flag for g in expected.groups]
    kinds = [type(g.shrunk) for g in expected.groups]
    assert [type(s) for s in shrunk] == kinds  # floats and None, not numpy scalars


def test_a_bound_equal_to_the_pooled_value_is_no_flag_and_small_groups_none() -> None:
    values, ns = [10.0, None, 50.0, -20.0, -40.0, 30.0], [40, 0, 2, 40, 40, 40]
    lows, highs = [5.0, None, 30.0, -30.0, -50.0, 0.0], [20.0, None, 70.0, 0.0, -1.0, 60.0]
    groups = list(zip("abcdef", values, ns, lows, highs, strict=True))
    expected = stats.consistency(groups, 0.0, 30)
    shrunk, flags = cell_stats.shrunk_and_flags(values, ns, lows, highs, 0.0, 30)
    assert flags == [g.flag for g in expected.groups] == [
        "above", None, None, None, "below", None,
    ]  # fmt: skip
    assert shrunk == [g.shrunk for g in expected.groups]
    assert shrunk[1] is None
    assert shrunk[2] == 100 / 32
