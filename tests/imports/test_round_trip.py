"""The export of one service imports into another unchanged: `GET /v1/feedback/export`
(CSV and NDJSON) -> `feedback import FILE`, no mapping -> the same metrics, the same rows.

Three databases of their own (`fresh_database`): the import commits, as in production,
and each service starts empty. The background workers are off, so both sides answer
from the raw events and neither enriches comments (`text` is null on both).
"""

import asyncio
import csv
import io
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from sqlalchemy.engine import URL

from app import cli
from app.auth import service as key_service
from app.auth.schemas import KeyCreate
from app.auth.tokens import Scope
from app.db import libpq_url
from app.imports import service
from app.main import create_app
from app.settings import Settings, get_settings

WINDOW = {"from": "2025-01-01T00:00:00Z", "to": "2026-01-01T00:00:00Z", "tz": "Europe/Vienna"}

# Every field the export writes, with the values its CSV must carry back exactly: text a
# spreadsheet would run (guarded with a `'` in the CSV), blanks at the ends, quotes,
# commas and line breaks, offsets and microseconds, every respondent type, SERVQUAL in
# part, JSON tags and attributes (null, a dotted key, numbers), contact data.
EVENTS: list[dict[str, Any]] = [
    {
        "event_id": "full-1", "occurred_at": "2025-03-14T09:30:00.123456+01:00",
        "channel": "pos", "touchpoint": "checkout", "location_id": "vie-07",
        "employee_id": "emp-1", "acquisition_source": "referral",
        "respondent": {"id": "crm-1", "type": "customer", "segment": "gold"},
        "nps": 10, "csat": 5, "ces": 7,
        "servqual": {d: {"perception": 6, "expectation": 7} for d in (
            "reliability", "responsiveness", "assurance", "tangibles", "empathy")},
        "comment": 'Quick, "friendly"\r\nand a second line', "language": "de-AT",
        "tags": ["checkout", "staff"],
        "attributes": {"plan": " gold ", "basket": 3, "eur": 12.5, "member": True, "x": None,
                       "a.b": "dotted"},
        "follow_up_requested": True, "contact": {"email": "anna@example.com"},
    },
    {"event_id": "=2+2", "occurred_at": "2025-03-15T23:30:00+05:30", "channel": "web",
     "location_id": "+lis", "employee_id": "-7", "respondent": {"id": "@c2"},
     "nps": 0, "comment": "=HYPERLINK(\"x\")", "attributes": {"plan": "basic"}},
    {"event_id": " padded id ", "occurred_at": "2025-04-01T08:00:00Z", "channel": "app",
     "location_id": "'=quoted", "nps": 6, "csat": 2, "comment": "- too slow -  ",
     "tags": ["waiting"], "attributes": {"plan": "gold"}},
    {"event_id": "staff-1", "occurred_at": "2025-04-02T08:00:00Z", "channel": "in_person",
     "respondent": {"type": "employee", "segment": "kitchen"}, "nps": 9},
    {"event_id": "internal-1", "occurred_at": "2025-05-20T12:00:00Z", "channel": "email",
     "respondent": {"type": "internal"}, "csat": 4, "ces": 2},
    {"event_id": "comment-only", "occurred_at": "2025-06-30T21:59:59Z", "channel": "sms",
     "touchpoint": "delivery", "acquisition_source": "ad", "comment": "Grüße ☕ 👍"},
    {"event_id": "sq-part", "occurred_at": "2025-07-01T00:00:00+02:00", "channel": "kiosk",
     "location_id": "lis-01", "servqual": {"empathy": {"perception": 3},
                                           "tangibles": {"expectation": 5}}, "ces": 5},
    *({"event_id": f"bulk-{i}", "occurred_at": f"2025-{1 + i % 12:02d}-0{1 + i % 9}T10:00:00Z",
       "channel": ("pos", "web", "app")[i % 3], "location_id": ("vie-07", "lis-01")[i % 2],
       "nps": i % 11, "csat": 1 + i % 5, "tags": [("price", "staff", "waiting")[i % 3]],
       "attributes": {"plan": ("gold", "basic")[i % 2]}} for i in range(12)),
]  # fmt: skip

ANSWERS = [
    ("/v1/metrics/summary", {}),
    ("/v1/metrics/timeseries", {"interval": "month"}),
    ("/v1/metrics/breakdown", {"group_by": "location_id", "metric": "nps", "sort": "group"}),
    ("/v1/metrics/breakdown", {"group_by": "attribute:plan", "metric": "csat", "sort": "group"}),
    ("/v1/metrics/breakdown", {"group_by": "respondent_type", "metric": "volume",
                               "respondent_type": "customer,internal,employee"}),
]  # fmt: skip


@asynccontextmanager
async def running(url: URL) -> AsyncIterator[tuple[httpx.AsyncClient, dict[str, str]]]:
    """The service on the database at `url`: a client, and an ingest and an admin key."""
    app = create_app(
        Settings(
            database_url=libpq_url(url), rollup_interval_seconds=0, text_interval_seconds=0,
            webhooks_interval_seconds=0, alerts_interval_seconds=0,
        )
    )  # fmt: skip
    async with app.router.lifespan_context(app):
        keys = {}
        async with app.state.db.connection() as conn:
            for scope in (Scope.ingest, Scope.admin):
                _, token = await key_service.create_key(conn, KeyCreate(name="t", scope=scope))
                keys[scope.value] = f"Bearer {token}"
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            yield client, keys


async def answers(client: httpx.AsyncClient, admin: str) -> list[Any]:
    """The metrics answers, and the export in both formats (the admin key sees employee_id)."""
    got = []
    for path, params in ANSWERS:
        headers = {"Authorization": admin}
        answer = await client.get(path, params={**WINDOW, **params}, headers=headers)
        assert answer.status_code == 200, answer.text
        got.append(answer.json())
    return got


async def export(client: httpx.AsyncClient, admin: str, fmt: str) -> bytes:
    answer = await client.get(
        "/v1/feedback/export", params={**WINDOW, "format": fmt}, headers={"Authorization": admin}
    )
    assert answer.status_code == 200, answer.text
    return answer.content


def rows(data: bytes, fmt: str) -> list[dict[str, Any]]:
    """The exported rows without received_at, the one column that must differ."""
    if fmt == "csv":
        parsed: list[dict[str, Any]] = list(csv.DictReader(io.StringIO(data.decode())))
    else:
        parsed = [orjson.loads(line) for line in data.splitlines()]
    for row in parsed:
        assert row.pop("received_at")
    return parsed


async def feedback_import(url: URL, path: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setenv("FEEDBACK_DATABASE_URL", libpq_url(url))
    get_settings.cache_clear()
    try:
        return await asyncio.to_thread(cli.main, ["import", str(path)])
    finally:
        get_settings.cache_clear()


async def test_the_export_of_one_service_imports_into_another_with_equal_metrics(
    fresh_database: Callable[[], Awaitable[URL]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    async with running(await fresh_database()) as (source, keys):
        stored = await source.post(
            "/v1/feedback/batch", json={"events": EVENTS}, headers={"Authorization": keys["ingest"]}
        )
        assert stored.status_code == 200, stored.text
        assert {i["status"] for i in stored.json()["items"]} == {"accepted"}, stored.text
        expected = await answers(source, keys["admin"])
        exported = {fmt: await export(source, keys["admin"], fmt) for fmt in ("csv", "ndjson")}
    assert b"'=2+2" in exported["csv"]  # the spreadsheet guard is there to be taken off
    assert expected[0]["metrics"]["volume"]["n"] > 0

    for fmt, data in exported.items():
        path = tmp_path / f"feedback.{fmt}"
        path.write_bytes(data)
        target = await fresh_database()
        assert await feedback_import(target, path, monkeypatch) == 0, capsys.readouterr().err
        out = capsys.readouterr().out
        assert f"stored          {len(EVENTS)} new events" in out
        assert "mapped by name  event_id, occurred_at, channel," in out
        assert "sq_empathy_p (servqual.empathy.perception)" in out
        assert "not imported    received_at: set by the service" in out
        assert "not imported    has_contact: contact data is never exported" in out
        assert "(1 of the rows had contact data)" in out
        assert service.report_path(path).read_text() == ",".join(service.REPORT_COLUMNS) + "\n"
        async with running(target) as (imported, target_keys):
            assert await answers(imported, target_keys["admin"]) == expected, fmt
            for out_fmt in ("csv", "ndjson"):
                before = rows(exported[out_fmt], out_fmt)
                after = rows(await export(imported, target_keys["admin"], out_fmt), out_fmt)
                # Contact data is never exported, so it cannot come back: the one difference.
                assert [r["event_id"] for r in before if r["has_contact"] in (True, "true")] == [
                    "full-1"
                ]
                for row in before:
                    row["has_contact"] = False if out_fmt == "ndjson" else "false"
                assert after == before, (fmt, out_fmt)
