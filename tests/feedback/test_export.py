"""GET /v1/feedback/export: the whole filtered set as CSV or NDJSON, in constant memory."""

import csv
import io
import tracemalloc
from datetime import UTC, datetime
from typing import Any

import asyncpg
import httpx
import orjson
import pytest
from fastapi import FastAPI

from app.feedback import partitions, service
from app.selection.filters import Selection
from tests.conftest import Headers
from tests.feedback.test_list import WINDOW, events  # noqa: F401 - the fixture
from tests.metrics.test_themes import enrich

EXPECTED = ["a", "b", "c", "d", "e"]


@pytest.mark.usefixtures("events")
async def test_csv_has_the_documented_columns_and_every_event(
    client: httpx.AsyncClient, read_key: Headers
) -> None:
    response = await client.get(
        "/v1/feedback/export", params={**WINDOW, "format": "csv"}, headers=read_key
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.text)))
    assert tuple(rows[0]) == service.EXPORT_COLUMNS
    assert rows[0][:3] == ["event_id", "occurred_at", "received_at"]
    body = [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    assert [r["event_id"] for r in body] == EXPECTED
    assert body[0]["nps"] == "2"
    assert body[0]["comment"] == "Slow checkout"
    assert body[0]["occurred_at"] == "2026-11-02T09:00:00+00:00"
    assert body[1]["tags"] == '["vip"]'
    assert body[3]["respondent_type"] == "employee"
    assert "\r\n" in response.text


@pytest.mark.usefixtures("events")
async def test_ndjson_by_default_and_csv_by_accept(
    client: httpx.AsyncClient, read_key: Headers
) -> None:
    response = await client.get("/v1/feedback/export", params=WINDOW, headers=read_key)
    assert response.headers["content-type"] == "application/x-ndjson"
    lines = [orjson.loads(line) for line in response.text.splitlines()]
    assert [line["event_id"] for line in lines] == EXPECTED
    assert tuple(lines[0]) == service.EXPORT_COLUMNS
    assert lines[1]["tags"] == ["vip"]
    by_accept = await client.get(
        "/v1/feedback/export", params=WINDOW, headers={**read_key, "Accept": "text/csv"}
    )
    assert by_accept.headers["content-type"].startswith("text/csv")


@pytest.mark.usefixtures("events")
async def test_filters_apply(client: httpx.AsyncClient, read_key: Headers) -> None:
    params: dict[str, Any] = {**WINDOW, "max_nps": 6, "respondent_type": "customer"}
    response = await client.get("/v1/feedback/export", params=params, headers=read_key)
    assert [orjson.loads(line)["event_id"] for line in response.text.splitlines()] == ["a"]
    empty = await client.get(
        "/v1/feedback/export", params={**WINDOW, "channel": "kiosk"}, headers=read_key
    )
    assert empty.status_code == 200
    assert empty.text == ""


@pytest.mark.usefixtures("events")
async def test_what_the_comment_says_is_the_last_column(
    client: httpx.AsyncClient, read_key: Headers, conn: asyncpg.Connection
) -> None:
    await enrich(conn, "a", themes=["waiting"], sentiment="negative", score=-0.5,
                 key_phrases=["slow checkout"])  # fmt: skip
    text = {"language": "en", "sentiment": "negative", "sentiment_score": -0.5,
            "themes": ["waiting"], "key_phrases": ["slow checkout"]}  # fmt: skip
    assert service.EXPORT_COLUMNS[-1] == "text"
    ndjson = await client.get("/v1/feedback/export", params=WINDOW, headers=read_key)
    lines = {line["event_id"]: line for line in map(orjson.loads, ndjson.text.splitlines())}
    assert lines["a"]["text"] == text
    assert lines["b"]["text"] is None
    as_csv = await client.get(
        "/v1/feedback/export", params={**WINDOW, "format": "csv"}, headers=read_key
    )
    rows = {r["event_id"]: r for r in csv.DictReader(io.StringIO(as_csv.text))}
    assert orjson.loads(rows["a"]["text"]) == text  # JSON in CSV, as tags and attributes
    assert rows["b"]["text"] == ""
    filtered = await client.get(
        "/v1/feedback/export",
        params={**WINDOW, "theme": "waiting", "sentiment": "negative", "language": "en"},
        headers=read_key,
    )
    assert [orjson.loads(line)["event_id"] for line in filtered.text.splitlines()] == ["a"]


async def test_contact_data_is_never_exported(
    client: httpx.AsyncClient, ingest_key: Headers, read_key: Headers
) -> None:
    from tests.follow_ups.test_cases import event, post

    await post(client, ingest_key, event("x", nps=1, contact={"email": "jo@example.com"}))
    for fmt in ("csv", "ndjson"):
        response = await client.get(
            "/v1/feedback/export", params={**WINDOW, "format": fmt}, headers=read_key
        )
        assert "jo@example.com" not in response.text
        assert "x" in response.text


@pytest.mark.parametrize(
    "params",
    [
        {"format": "xml"}, {"min_nps": 5, "max_nps": 4}, {"respondent_type": "robot"},
        {"sentiment": "furious"}, {"theme": "a,b c"}, {"language": "1x"},
    ],
)  # fmt: skip
async def test_bad_parameters_are_422(
    client: httpx.AsyncClient, read_key: Headers, params: dict[str, Any]
) -> None:
    response = await client.get(
        "/v1/feedback/export", params={**WINDOW, **params}, headers=read_key
    )
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"


async def _peak_bytes(app: FastAPI, count: int, as_csv: bool) -> tuple[int, int]:
    """Peak Python memory while exporting `count` generated rows, and the bytes exported.

    In a transaction of its own that is rolled back: nothing else here has begun one
    on the test's connection yet (no key was made), and the rows must not persist.
    """
    conn = app.state.db.conn
    transaction = conn.transaction()
    await transaction.start()
    try:
        return await _export_generated(app, count, as_csv)
    finally:
        await transaction.rollback()


async def _export_generated(app: FastAPI, count: int, as_csv: bool) -> tuple[int, int]:
    conn = app.state.db.conn
    await partitions.ensure(conn, [datetime(2026, 11, 10, tzinfo=UTC)])
    await conn.execute(
        """
        INSERT INTO feedback_events (event_id, occurred_at, received_at, channel,
                                     respondent_type, nps, comment, tags)
        SELECT 'gen-' || g, timestamptz '2026-11-10' + g * interval '1 second',
               timestamptz '2026-11-10' + g * interval '1 second', 'web', 'customer',
               g % 11, repeat('quite a long comment ', 10), ARRAY['t' || (g % 7)]
        FROM generate_series(1, $1) AS g
        """,
        count,
    )
    filters = Selection(
        start=datetime(2026, 11, 1, tzinfo=UTC), end=datetime(2026, 12, 1, tzinfo=UTC), tz="UTC"
    )
    exported = 0
    tracemalloc.start()
    try:
        stream = service.export_events(app.state.db, filters, service.EventQuery(), as_csv=as_csv)
        async for chunk in stream:
            exported += len(chunk)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, exported


@pytest.mark.parametrize("as_csv", [True, False])
async def test_memory_stays_flat_however_large_the_export(app: FastAPI, as_csv: bool) -> None:
    small_peak, small_bytes = await _peak_bytes(app, 5_000, as_csv)
    large_peak, large_bytes = await _peak_bytes(app, 50_000, as_csv)
    assert large_bytes > 9 * small_bytes  # ten times the rows really went through
    assert large_bytes > 10 * 2**20  # more than 10 MiB exported...
    assert large_peak < 1.5 * small_peak + 256 * 2**10, (small_peak, large_peak)
    assert large_peak < 4 * 2**20  # ...with a peak of a few batches, not the whole set


def test_readme_and_route_document_the_column_order() -> None:
    from pathlib import Path

    from app.feedback.router import export_feedback

    readme = " ".join((Path(__file__).parents[2] / "README.md").read_text().split())
    assert ", ".join(service.EXPORT_COLUMNS) in readme
    doc = " ".join((export_feedback.__doc__ or "").split())
    assert "event_id, occurred_at, received_at, channel, touchpoint" in doc


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
async def test_csv_text_that_a_spreadsheet_would_run_is_defused(
    client: httpx.AsyncClient, ingest_key: Headers, read_key: Headers, start: str
) -> None:
    comment = f"{start}cmd|' /C calc'!A0"
    event_id = f"{start}1" if start.isprintable() else "plain"  # ids refuse control characters
    event = {"event_id": event_id, "channel": "web", "nps": 0, "comment": comment}
    assert (await client.post("/v1/feedback", json=event, headers=ingest_key)).status_code == 201
    as_csv = await client.get("/v1/feedback/export", params={"format": "csv"}, headers=read_key)
    (row,) = csv.DictReader(io.StringIO(as_csv.text))
    assert row["comment"] == "'" + comment
    assert row["event_id"] == ("'" + event_id if start.isprintable() else event_id)
    assert row["nps"] == "0"
    as_ndjson = await client.get("/v1/feedback/export", headers=read_key)
    assert orjson.loads(as_ndjson.text)["comment"] == comment  # NDJSON stays exact


@pytest.mark.usefixtures("events")
async def test_export_over_the_row_limit_is_refused_before_any_row(
    client: httpx.AsyncClient, read_key: Headers, app: FastAPI
) -> None:
    app.state.settings = app.state.settings.model_copy(update={"max_export_rows": 4})
    for extra in ({}, {"format": "csv"}):
        response = await client.get(
            "/v1/feedback/export", params={**WINDOW, **extra}, headers=read_key
        )
        assert response.status_code == 422, response.text
        assert response.headers["content-type"] == "application/problem+json"
        problem = response.json()
        assert "more than 4 events" in problem["detail"]
        assert problem["errors"][0]["loc"] == ["query", "from"]
        assert problem["errors"][0]["type"] == "too_many_rows"
    # Narrower filters fit, and the limit itself is allowed: never a cut-off file.
    narrower = await client.get(
        "/v1/feedback/export", params={**WINDOW, "max_nps": 6}, headers=read_key
    )
    assert narrower.status_code == 200
    app.state.settings = app.state.settings.model_copy(update={"max_export_rows": 5})
    exact = await client.get("/v1/feedback/export", params=WINDOW, headers=read_key)
    assert [orjson.loads(line)["event_id"] for line in exact.text.splitlines()] == EXPECTED
