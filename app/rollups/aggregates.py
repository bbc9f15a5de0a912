"""The additive summary of a set of events, and the SQL that computes it.

An `Aggregate` holds what every metric needs and nothing more: the number of
events, a histogram per score and, per SERVQUAL dimension, counts and sums.
Aggregates of disjoint sets add up to the aggregate of their union, which is
what lets rollups (pre-aggregated buckets) and the not-yet-rolled-up rows be
merged exactly. The same column list defines the raw-table query here and,
later, the rollup tables.
"""

import operator
from collections.abc import Collection, Iterable, Mapping
from types import MappingProxyType
from typing import Any, NamedTuple

from app.stats import ServqualSums
from app.vocabulary import SERVQUAL_DIMENSIONS

SERVQUAL_PARTS = ("n_p", "sum_p", "n_e", "sum_e", "n_pe", "sum_gap", "sum_gap_sq", "sum_p_sq")


def _servqual_sql(d: str) -> list[tuple[str, str]]:
    p, e = f"sq_{d}_p", f"sq_{d}_e"
    return [
        (f"sq_{d}_n_p", f"count({p})::int"),
        (f"sq_{d}_sum_p", f"coalesce(sum({p}), 0)"),
        (f"sq_{d}_n_e", f"count({e})::int"),
        (f"sq_{d}_sum_e", f"coalesce(sum({e}), 0)"),
        (f"sq_{d}_n_pe", f"count({p} - {e})::int"),
        (f"sq_{d}_sum_gap", f"coalesce(sum({p} - {e}), 0)"),
        (f"sq_{d}_sum_gap_sq", f"coalesce(sum(({p} - {e}) * ({p} - {e})), 0)"),
        (f"sq_{d}_sum_p_sq", f"coalesce(sum({p} * {p}), 0)"),  # the spread the alerts need
    ]


# By score family: (column, SQL aggregate over rows of feedback_events); every one
# is a count or a sum. `volume` is always computed. Counts are cast to int4 like the
# rollup columns they are merged with: summing int4 stays in int8 arithmetic, while
# one int8 input turns the merge into numeric sums, 40 % slower (27 against 44 ms
# for a year by week by location on 1M events). A count overflows int4 only past
# 2^31 events in one group of one query's raw part.
FAMILIES: dict[str, tuple[tuple[str, str], ...]] = {
    "volume": (("volume", "count(*)::int"),),
    "nps": tuple((f"nps_{s}", f"(count(*) FILTER (WHERE nps = {s}))::int") for s in range(11)),
    "csat": tuple((f"csat_{s}", f"(count(*) FILTER (WHERE csat = {s}))::int") for s in range(1, 6)),
    "ces": tuple((f"ces_{s}", f"(count(*) FILTER (WHERE ces = {s}))::int") for s in range(1, 8)),
    "servqual": tuple(column for d in SERVQUAL_DIMENSIONS for column in _servqual_sql(d)),
}
COLUMNS = tuple(column for family in FAMILIES.values() for column in family)


def column_names(metrics: Iterable[str]) -> tuple[str, ...]:
    """The names `select_list(metrics)` gives its columns, in its order."""
    wanted = {"volume", *metrics}
    return tuple(name for family in FAMILIES if family in wanted for name, _ in FAMILIES[family])


def select_list(metrics: Iterable[str]) -> str:
    """The aggregates the given metric families need (and volume), as a SELECT list.

    Computing only these matters: all 59 columns cost a query over a year of
    events about a third more than the NPS columns alone (bench/metrics_query.py).
    """
    wanted = {"volume", *metrics}
    return ",\n    ".join(
        f"{sql} AS {name}" for family in FAMILIES if family in wanted
        for name, sql in FAMILIES[family]
    )  # fmt: skip


NO_SERVQUAL: Mapping[str, ServqualSums] = MappingProxyType(
    {d: ServqualSums() for d in SERVQUAL_DIMENSIONS}
)


class Aggregate(NamedTuple):
    """A NamedTuple (immutable, and cheap to build once per cell of a timeseries).
    Add aggregates with `total()`, not `+` (that would concatenate the tuples)."""

    volume: int = 0
    nps: tuple[int, ...] = (0,) * 11
    csat: tuple[int, ...] = (0,) * 5
    ces: tuple[int, ...] = (0,) * 7
    servqual: Mapping[str, ServqualSums] = NO_SERVQUAL


_EMPTY = Aggregate()
_NPS = operator.itemgetter(*(f"nps_{s}" for s in range(0, 11)))
_CSAT = operator.itemgetter(*(f"csat_{s}" for s in range(1, 6)))
_CES = operator.itemgetter(*(f"ces_{s}" for s in range(1, 8)))
_SERVQUAL = {
    d: operator.itemgetter(*(f"sq_{d}_{part}" for part in SERVQUAL_PARTS))
    for d in SERVQUAL_DIMENSIONS
}


def from_record(record: Mapping[str, Any], metrics: Collection[str]) -> Aggregate:
    """An aggregate from a result row of `select_list(metrics)` (other families stay 0).

    itemgetter with precomputed names: this runs once per cell of a timeseries.
    """
    return Aggregate(
        record["volume"],
        _NPS(record) if "nps" in metrics else _EMPTY.nps,
        _CSAT(record) if "csat" in metrics else _EMPTY.csat,
        _CES(record) if "ces" in metrics else _EMPTY.ces,
        {d: ServqualSums(*get(record)) for d, get in _SERVQUAL.items()}
        if "servqual" in metrics
        else NO_SERVQUAL,
    )


def total(aggregates: Collection[Aggregate], metrics: Collection[str] = FAMILIES) -> Aggregate:
    """The sum of many aggregates, column by column (not a chain of `+`); only the
    families in `metrics` (the others stay 0, as `from_record` leaves them)."""
    if not aggregates:
        return _EMPTY

    def columns(histograms: Iterable[tuple[int, ...]]) -> tuple[int, ...]:
        return tuple(map(sum, zip(*histograms, strict=True)))

    return Aggregate(
        sum(a.volume for a in aggregates),
        columns(a.nps for a in aggregates) if "nps" in metrics else _EMPTY.nps,
        columns(a.csat for a in aggregates) if "csat" in metrics else _EMPTY.csat,
        columns(a.ces for a in aggregates) if "ces" in metrics else _EMPTY.ces,
        {d: ServqualSums(*columns(a.servqual[d] for a in aggregates)) for d in SERVQUAL_DIMENSIONS}
        if "servqual" in metrics
        else NO_SERVQUAL,
    )
