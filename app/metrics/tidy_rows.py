"""A timeseries' tidy rows, kept as columns until they are written: JSON or CSV.

A year by week by branch is ten thousand rows. The figures come as one column per
metric (app.cell_stats); the JSON rows are made from those columns in one pass, and
the CSV lines straight from them: each distinct bucket label and group is made a CSV
field once, each number column in one comprehension, and the lines are written a
chunk at a time as the response streams, without a dict per row in between. Both give
what the row dicts would (tests/metrics/test_tidy_rows.py compares them).
"""

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any

from app.cell_stats import TidyColumns
from app.selection.csv import csv_cell, csv_lines

# The fields of a row, in the order of the JSON rows and of the CSV columns.
FIELDS = ("bucket_start", "group", "metric", "value", "n", "ci_low", "ci_high", "low_sample")
CSV_CHUNK_ROWS = 2_000  # rows per chunk of a streamed CSV answer


@dataclass(frozen=True, slots=True)
class TidyRows:
    """Cells bucket by bucket, group by group (every label with every group), each with a row per
    metric in `figures` order; `figures[k]` holds one value per cell in each column."""

    labels: list[str]  # the buckets' starts, as the answer writes them
    groups: list[Any]  # the groups' values (one None when not grouped)
    figures: list[TidyColumns]

    def __len__(self) -> int:
        return len(self.labels) * len(self.groups) * len(self.figures)

    def dicts(self) -> list[dict[str, Any]]:
        """The rows as the JSON answer holds them."""
        buckets, groups = _cells(self.labels, self.groups)
        per_metric = [
            [
                {"bucket_start": b, "group": g, "metric": metric, "value": v, "n": n,
                 "ci_low": low, "ci_high": high, "low_sample": s}
                for b, g, v, n, low, high, s in zip(buckets, groups, *columns, strict=True)
            ]
            for metric, *columns in self.figures
        ]  # fmt: skip
        return _cell_by_cell(per_metric)

    def csv_fields(self, fields: Sequence[str]) -> list[tuple[str, ...]]:
        """Every row as its CSV fields (`csv_cell` of each value), `fields` of FIELDS."""
        buckets, groups = _cells(
            [csv_cell(label) for label in self.labels], [csv_cell(group) for group in self.groups]
        )
        per_metric = []
        for metric, values, ns, lows, highs, flags in self.figures:
            columns = {
                "bucket_start": buckets,
                "group": groups,
                "metric": [csv_cell(metric)] * len(buckets),
                "value": _floats(values),
                "n": list(map(str, ns)),
                "ci_low": _floats(lows),
                "ci_high": _floats(highs),
                "low_sample": ["true" if flag else "false" for flag in flags],
            }
            per_metric.append(list(zip(*(columns[f] for f in fields), strict=True)))
        return _cell_by_cell(per_metric)

    async def csv_chunks(self, fields: Sequence[str]) -> AsyncIterator[bytes]:
        """The CSV answer (header row, RFC 4180 lines, UTF-8) a chunk of rows at a time."""
        rows = self.csv_fields(fields)
        yield csv_lines([fields])
        for start in range(0, len(rows), CSV_CHUNK_ROWS):
            yield csv_lines(rows[start : start + CSV_CHUNK_ROWS])


def _cells(labels: list[Any], groups: list[Any]) -> tuple[list[Any], list[Any]]:
    """The bucket label and the group of every cell, bucket by bucket, group by group."""
    return [label for label in labels for _ in groups], groups * len(labels)


def _cell_by_cell(per_metric: list[list[Any]]) -> list[Any]:
    """The rows of each metric, interleaved: a cell's rows together, in metric order."""
    if len(per_metric) == 1:
        return per_metric[0]
    return [row for cell in zip(*per_metric, strict=True) for row in cell]


def _floats(values: list[Any]) -> list[str]:
    """csv_cell of floats or None, for a whole column."""
    return ["" if v is None else repr(v) for v in values]
