"""A timeseries' rows made from columns (app/metrics/tidy_rows.py) are the rows the
cell-by-cell path made: the same JSON rows, and CSV bytes equal to a dict per row
written with `csv_cell`; the answer over a real database equals `tidy` of each cell."""

import random
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg
import httpx
import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.metrics import tidy_rows
from app.metrics.service import _table, group_order, tidy
from app.metrics.tidy_rows import FIELDS, TidyRows
from app.rollups.aggregates import Aggregate, from_record
from app.rollups.cells import fetch_cells
from app.rollups.queries import buckets_sql
from app.selection.csv import csv_cell, csv_lines
from app.selection.filters import Selection
from tests.conftest import Headers, RollUp
from tests.metrics.test_summary import post_events


def old_rows(rows: TidyRows) -> list[dict[str, Any]]:
    """The rows as the cell-by-cell loop made them: a dict per cell and metric."""
    out = []
    for i, label in enumerate(rows.labels):
        for j, group in enumerate(rows.groups):
            cell = i * len(rows.groups) + j
            for metric, values, ns, lows, highs, flags in rows.figures:
                out.append(
                    {"bucket_start": label, "group": group, "metric": metric,
                     "value": values[cell], "n": ns[cell], "ci_low": lows[cell],
                     "ci_high": highs[cell], "low_sample": flags[cell]}
                )  # fmt: skip
    return out


def old_csv(rows: list[dict[str, Any]], fields: list[str]) -> bytes:
    """The CSV answer as it was written from the row dicts."""
    return csv_lines([fields, *(map(csv_cell, [r[f] for f in fields]) for r in rows)])


async def streamed(rows: TidyRows, fields: list[str]) -> bytes:
    return b"".join([chunk async for chunk in rows.csv_chunks(fields)])


text = st.text(st.characters(codec="utf-8"), max_size=8)
group = st.one_of(
    st.none(), text, st.sampled_from(["=1+1", "'=x", "-5", "a,b", 'say "hi"', "x\ny"]),
    st.lists(st.one_of(st.none(), text), min_size=2, max_size=2), st.integers(-5, 5),
)  # fmt: skip
number = st.one_of(
    st.none(), st.floats(allow_nan=False, allow_infinity=False), st.integers(0, 10**9)
)


@st.composite
def tables(draw: st.DrawFn) -> TidyRows:
    labels = draw(st.lists(text, max_size=4))
    groups = draw(st.lists(group, min_size=1, max_size=4))
    cells = len(labels) * len(groups)
    figures = []
    for metric in draw(st.lists(st.sampled_from(["nps", "csat", "=x"]), max_size=3)):
        values, lows, highs = (draw(st.lists(number, min_size=cells, max_size=cells))
                               for _ in range(3))  # fmt: skip
        ns = draw(st.lists(st.integers(0, 10**12), min_size=cells, max_size=cells))
        flags = draw(st.lists(st.booleans(), min_size=cells, max_size=cells))
        figures.append((metric, values, ns, lows, highs, flags))
    return TidyRows(labels, groups, figures)


@given(rows=tables())
@settings(max_examples=300, deadline=None)
async def test_json_rows_and_csv_are_the_row_by_row_ones(rows: TidyRows) -> None:
    expected = old_rows(rows)
    assert rows.dicts() == expected
    assert orjson.dumps(rows.dicts()) == orjson.dumps(expected)
    assert len(rows) == len(expected)
    for fields in (list(FIELDS), [f for f in FIELDS if f != "group"]):
        assert await streamed(rows, fields) == old_csv(expected, fields)


async def test_csv_streams_in_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tidy_rows, "CSV_CHUNK_ROWS", 3)
    rows = TidyRows(["a", "b"], ["x", None, "=y"], [("nps", [1.5] * 6, [1] * 6, [None] * 6,
                                                    [2.0] * 6, [True] * 6)])  # fmt: skip
    chunks = [chunk async for chunk in rows.csv_chunks(list(FIELDS))]
    assert len(chunks) == 3  # the header, then 3 rows at a time
    assert b"".join(chunks) == old_csv(old_rows(rows), list(FIELDS))
    assert b"'=y" in chunks[1]


# Across Lisbon's change to summer time (2026-03-29), partly rolled up, partly raw.
START = datetime(2026, 3, 26, tzinfo=UTC)
ZONE = "Europe/Lisbon"


def events(count: int) -> list[dict[str, Any]]:
    rng = random.Random(7)
    out = []
    for i in range(count):
        event: dict[str, Any] = {
            "event_id": f"t{i}", "channel": rng.choice(["web", "pos"]),
            "occurred_at": (START + timedelta(minutes=rng.randrange(6 * 24 * 60))).isoformat(),
            "location_id": rng.choice(["lis", "=cmd", None]),
        }  # fmt: skip
        for name, low, high in (("nps", 0, 10), ("csat", 1, 5), ("ces", 1, 7)):
            if name == "nps" or rng.random() < 0.7:
                event[name] = rng.randint(low, high)
        if rng.random() < 0.5:
            event["servqual"] = {"empathy": {"perception": rng.randint(1, 7),
                                             "expectation": rng.randint(1, 7)}}  # fmt: skip
        out.append(event)
    return out


async def test_the_answer_is_tidy_of_each_cell(
    client: httpx.AsyncClient, ingest_key: Headers, read_key: Headers, roll_up: RollUp,
    conn: asyncpg.Connection,
) -> None:  # fmt: skip
    await post_events(client, ingest_key, events(300))
    await roll_up(("UTC", ZONE), 200)  # the rest is read raw
    end = START + timedelta(days=6)
    params = {"from": START.isoformat(), "to": end.isoformat(), "tz": ZONE, "interval": "day",
              "group_by": "location_id", "metrics": "nps,csat,ces,servqual"}  # fmt: skip
    answer = await client.get("/v1/metrics/timeseries", params=params, headers=read_key)
    assert answer.status_code == 200, answer.text
    filters = Selection(
        start=START, end=end, tz=ZONE, metrics=("nps", "csat", "ces", "servqual"),
        group_by="location_id",
    )  # fmt: skip
    records = await fetch_cells(conn, filters, interval="day", group_by=filters.group_by)
    cells = {(r["bucket"], r["grp"]): r for r in records}
    groups = sorted({r["grp"] for r in records}, key=group_order(filters))
    starts = [r["g"] for r in await conn.fetch(buckets_sql("day"), START, end, ZONE)]
    expected = []
    for start in starts:
        for g in groups:
            record = cells.get((start, g))
            aggregate = Aggregate() if record is None else from_record(record, filters.metrics)
            for metric, value, n, low, high, low_sample in tidy(aggregate, filters):
                expected.append(
                    {"bucket_start": start.astimezone(ZoneInfo(ZONE)).isoformat(), "group": g,
                     "metric": metric, "value": value, "n": n, "ci_low": low, "ci_high": high,
                     "low_sample": low_sample}
                )  # fmt: skip
    assert len(starts) == 7  # a 23-hour day on 2026-03-29
    assert groups == ["=cmd", "lis", None]
    assert answer.json()["rows"] == expected
    as_csv = await client.get(
        "/v1/metrics/timeseries", params={**params, "format": "csv"}, headers=read_key
    )
    assert as_csv.content == old_csv(expected, list(FIELDS))


async def test_packed_cells_are_read_whole_and_a_form_not_expected_is_refused(
    conn: asyncpg.Connection,
) -> None:
    """`_table` reads the binary form of the cells' bigint[] (`array_send`) with numpy:
    values past 32 bits and negative ones (events after `to`, taken out) come back as
    sent; a null, another element type or another width is an error, not a misread."""
    records = await conn.fetch(
        "SELECT array_send(ARRAY[v, -v, 1]::bigint[]) AS counts "
        "FROM unnest(ARRAY[0, 5, 3000000000, 9007199254740993]::bigint[]) AS v"
    )
    assert _table(records, 3).tolist() == [
        [0, 0, 1], [5, -5, 1], [3000000000, -3000000000, 1],
        [9007199254740993, -9007199254740993, 1],
    ]  # fmt: skip
    for sql in (
        "SELECT array_send(ARRAY[1, NULL, 3]::bigint[]) AS counts",
        "SELECT array_send(ARRAY[1, 2, 3]::int[]) AS counts",
        "SELECT array_send(ARRAY[1, 2, 3, 4]::bigint[]) AS counts",
    ):
        with pytest.raises(RuntimeError, match="binary form"):
            _table(await conn.fetch(sql), 3)
