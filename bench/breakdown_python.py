"""The Python part of a 2,000-group breakdown: database rows in, response bytes out.

    python -m bench.breakdown_python [--groups 2000] [--repeat 50]

What `/v1/metrics/breakdown?group_by=employee_id&metric=nps` does after its
query: the rows' columns, the pooled figure from their sums, the figure of every
group at once (app.cell_stats), shrunk scores and flags, the row dicts sorted,
orjson. The rows are made up (random NPS histograms), so only the worker's cost
is timed; median per step.
"""

import argparse
import random
import statistics
import struct
import time
from dataclasses import replace
from datetime import UTC, datetime

import orjson

from app.metrics import service
from app.rollups.aggregates import column_names
from app.selection.filters import Selection


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--groups", type=int, default=2000, help="groups (2,000)")
    p.add_argument("--repeat", type=int, default=50, help="timed runs (50)")
    args = p.parse_args()
    rng = random.Random(1)
    records = []
    for i in range(args.groups):
        counts = [rng.randint(0, 20) for _ in range(11)]
        # As fetch_cells(packed=True) gives them: the binary form (array_send) of a bigint[],
        # volume then nps_0..nps_10.
        cell = [sum(counts), *counts]
        head = struct.pack(">5i", 1, 0, 20, len(cell), 1)
        body = b"".join(struct.pack(">iq", 8, v) for v in cell)
        records.append({"grp": f"emp-{i:04d}", "counts": head + body})
    filters = Selection(
        start=datetime(2026, 1, 1, tzinfo=UTC), end=datetime(2026, 4, 1, tzinfo=UTC), tz="UTC",
        metrics=("nps",), group_by="employee_id",
    )  # fmt: skip
    steps: dict[str, list[float]] = {}

    def timed(name: str, start: float) -> float:
        now = time.perf_counter()
        steps.setdefault(name, []).append(now - start)
        return now

    for _ in range(args.repeat):
        t = t0 = time.perf_counter()
        names = column_names(filters.metrics)
        table = service._table(records, len(names))
        t = timed("columns from rows", t)
        sums = service._named(table.sum(axis=0, keepdims=True), names)
        pooled = service._one_metric(sums, replace(filters, group_by=None), "nps")
        t = timed("pooled figure", t)
        figures = service._one_metric(service._named(table, names), filters, "nps")
        groups = [str(r["grp"]) for r in records]
        t = timed("the figure of every group", t)
        rows = service.group_rows(groups, figures, pooled[1][0], filters.min_n)
        t = timed("rows, shrunk scores, flags", t)
        out = service.sort_rows(rows, "shrunk", "desc")
        t = timed("sorted", t)
        orjson.dumps({"rows": out})
        timed("orjson", t)
        timed("all", t0)
    print(f"{args.groups:,} groups, median of {args.repeat} runs:")
    for name, values in steps.items():
        print(f"  {name:26} {statistics.median(values) * 1000:7.2f} ms")


if __name__ == "__main__":
    main()
