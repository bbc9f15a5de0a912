"""`feedback import` on a real database: the batch ingest path, idempotency, rejects, dry run.

Each test has its own database (`live_url`): an import commits a statement per batch,
as it does in production, so nothing here can run inside a rolled-back transaction.
"""

import asyncio
import csv
import os
import random
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import orjson
import pytest
from fastapi import FastAPI
from sqlalchemy.engine import URL

from app import cli
from app.auth import service as key_service
from app.auth.schemas import KeyCreate
from app.auth.tokens import Scope
from app.db import libpq_url
from app.imports import service
from app.imports.mapping import load_spec
from app.ingest import statement
from app.main import create_app
from app.rollups import service as rollups
from app.settings import Settings, get_settings

MAP = ("occurred_at=Submitted", "nps=Recommend", "comment=Comment", "location_id=Store")
SCALE = ("nps=1..10:0..10:half-up",)


@pytest.fixture
async def conn(live_url: URL) -> AsyncIterator[asyncpg.Connection]:
    connection = await asyncpg.connect(libpq_url(live_url))
    yield connection
    await connection.close()


@pytest.fixture
async def conns(live_url: URL) -> AsyncIterator[tuple[asyncpg.Connection, ...]]:
    """Three more connections, for batches stored at once."""
    connections = tuple([await asyncpg.connect(libpq_url(live_url)) for _ in range(3)])
    yield connections
    for connection in connections:
        await connection.close()


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([["Submitted", "Recommend", "Comment", "Store"], *rows])
    return path


async def run_import(
    conn: asyncpg.Connection,
    path: Path,
    *,
    maps: tuple[str, ...] = MAP,
    sets: tuple[str, ...] = ("channel=email",),
    scales: tuple[str, ...] = SCALE,
    source: str | None = None,
    dry_run: bool = False,
    more: tuple[asyncpg.Connection, ...] = (),
    **overrides: Any,
) -> service.Summary:
    spec = load_spec(None, maps=maps, sets=sets, scales=scales, overrides=overrides)
    options = service.ImportOptions(source=source or path.name, dry_run=dry_run, batch_size=3)
    return await service.run(conn, path, spec, options, more=more)


def rejects(path: Path) -> list[dict[str, str]]:
    with service.report_path(path).open(newline="") as f:
        return list(csv.DictReader(f))


async def count(conn: asyncpg.Connection) -> int:
    return int(await conn.fetchval("SELECT count(*) FROM feedback_events"))


async def test_csv_rows_become_events_and_bad_rows_are_reported_with_their_line(
    conn: asyncpg.Connection, tmp_path: Path
) -> None:
    path = tmp_path / "survey.csv"
    path.write_bytes(
        b"Submitted,Recommend,Comment,Store\r\n"
        b'2025-03-14T09:30:00+01:00,10,"Great,\r\nreally great",vie-07\r\n'  # lines 2-3
        b"2025-03-14T10:00:00Z,1,,vie-07\r\n"  # 4
        b"2025-03-14T10:00:00Z,0,zero is not on 1..10,vie-07\r\n"  # 5
        b"2025-03-14T10:00:00Z,4,ragged\r\n"  # 6
        b'2025-03-14T10:00:00Z,5,"multi\r\nline, then bad bytes \xe9",vie-07\r\n'  # 7-8
        b"2025-03-14 10:00:00,5,no offset and no zone,vie-07\r\n"  # 9
        b"2099-01-01T00:00:00Z,5,in the future,vie-07\r\n"  # 10
        b"2025-03-15T10:00:00Z,7,,Store with a\x01control char\r\n"  # 11
        b"2025-03-16T10:00:00Z,6,,vie-08\r\n"  # 12
    )
    summary = await run_import(conn, path)
    assert (summary.read, summary.stored, summary.already_stored, summary.rejected) == (9, 3, 0, 6)
    stored = await conn.fetch(
        "SELECT event_id, occurred_at, nps, comment, channel, source_key_id "
        "FROM feedback_events ORDER BY id"
    )
    assert [tuple(r) for r in stored] == [
        ("import:survey.csv:1", datetime(2025, 3, 14, 8, 30, tzinfo=UTC), 10,
         "Great,\r\nreally great", "email", None),
        ("import:survey.csv:2", datetime(2025, 3, 14, 10, tzinfo=UTC), 0, None, "email", None),
        ("import:survey.csv:9", datetime(2025, 3, 16, 10, tzinfo=UTC), 6, None, "email", None),
    ]  # fmt: skip
    report = rejects(path)
    assert [(r["line"], r["record"], r["field"]) for r in report] == [
        ("5", "3", "nps (column 'Recommend')"),
        ("6", "4", "row"),
        ("7", "5", "row"),
        ("9", "6", "occurred_at (column 'Submitted')"),
        ("10", "7", "occurred_at (column 'Submitted')"),
        ("11", "8", "location_id (column 'Store')"),
    ]
    assert report[0]["reason"] == "0 is outside the declared source scale 1..10"
    assert report[0]["row"] == "2025-03-14T10:00:00Z,0,zero is not on 1..10,vie-07"
    assert report[1]["reason"] == "the row has 3 fields, the header 4"
    assert "not valid in the file's encoding" in report[2]["reason"]
    assert report[2]["row"] == '2025-03-14T10:00:00Z,5,"multi\r\nline, then bad bytes \\xe9",vie-07'
    assert "no UTC offset" in report[3]["reason"]
    assert "after arrival" in report[4]["reason"]
    assert report[4]["event_id"] == "import:survey.csv:7"


async def test_other_scale_without_a_declared_map_is_rejected_not_clamped(
    conn: asyncpg.Connection, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "s.csv",
        [["2025-01-01T00:00:00Z", "10", "", "a"], ["2025-01-01T00:00:00Z", "11", "", "a"]],
    )
    summary = await run_import(conn, path, scales=())
    assert (summary.stored, summary.rejected) == (1, 1)
    assert await conn.fetchval("SELECT nps FROM feedback_events") == 10
    [reject] = rejects(path)
    assert reject["line"] == "3"
    assert reject["field"] == "nps (column 'Recommend')"
    assert reject["reason"].startswith("Input should be less than or equal to 10")
    assert "declare [scales.nps]" in reject["reason"]


async def test_rerun_adds_nothing_and_another_source_adds_again(
    conn: asyncpg.Connection, tmp_path: Path
) -> None:
    rows = [[f"2025-01-0{d}T12:00:00Z", str(d), f"c{d}", "s1"] for d in range(1, 8)]
    path = write_csv(tmp_path / "wave.csv", rows)
    first = await run_import(conn, path)
    again = await run_import(conn, path)
    assert (first.stored, first.already_stored) == (7, 0)
    assert (again.stored, again.already_stored, again.rejected) == (0, 7, 0)
    assert await count(conn) == 7
    # Rows appended to the export: only they are new.
    write_csv(path, [*rows, ["2025-01-09T12:00:00Z", "9", "", "s1"]])
    appended = await run_import(conn, path)
    assert (appended.stored, appended.already_stored) == (1, 7)
    other = await run_import(conn, path, source="wave-b")
    assert (other.stored, other.already_stored) == (8, 0)
    assert await count(conn) == 16
    assert (
        await conn.fetchval(
            "SELECT count(*) FROM feedback_events WHERE event_id LIKE 'import:wave-b:%'"
        )
        == 8
    )


async def test_batches_stored_at_once_give_the_same_result_and_report(
    conn: asyncpg.Connection, conns: tuple[asyncpg.Connection, ...], tmp_path: Path
) -> None:
    rows = [
        [f"2025-01-01T{h:02d}:00:00Z", "11" if h % 7 == 3 else str(1 + h % 10), "", "s1"]
        for h in range(24)
    ]  # 8 batches of 3 on 4 connections; rows 4, 11, 18 off the scale
    path = write_csv(tmp_path / "many.csv", rows)
    summary = await run_import(conn, path, more=conns)
    assert (summary.read, summary.stored, summary.rejected) == (24, 21, 3)
    assert [(r["line"], r["record"]) for r in rejects(path)] == [
        ("5", "4"), ("12", "11"), ("19", "18"),
    ]  # fmt: skip
    again = await run_import(conn, path, more=conns)
    assert (again.stored, again.already_stored, again.rejected) == (0, 21, 3)
    assert await conn.fetchval(
        "SELECT array_agg(split_part(event_id, ':', 3)::int ORDER BY occurred_at) "
        "FROM feedback_events"
    ) == [n for n in range(1, 25) if n not in (4, 11, 18)]


async def test_changed_row_under_the_same_event_id_is_a_rejected_conflict(
    conn: asyncpg.Connection, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "ids.csv",
        [["2025-01-01T00:00:00Z", "9", "fine", "s1"], ["2025-01-02T00:00:00Z", "3", "bad", "s1"]],
    )
    await run_import(conn, path)
    write_csv(
        path,
        [["2025-01-01T00:00:00Z", "9", "fine", "s1"], ["2025-01-02T00:00:00Z", "4", "bad", "s1"]],
    )
    for dry_run in (True, False):
        summary = await run_import(conn, path, dry_run=dry_run)
        assert (summary.stored, summary.already_stored, summary.rejected) == (0, 1, 1)
        [reject] = rejects(path)
        assert (reject["line"], reject["event_id"], reject["field"]) == (
            "3", "import:ids.csv:2", "event_id",
        )  # fmt: skip
        assert "already stored with different content" in reject["reason"]
    assert await conn.fetchval("SELECT nps FROM feedback_events WHERE comment = 'bad'") == 2


async def test_mapped_ids_repeated_in_the_file_count_once_or_conflict(
    conn: asyncpg.Connection, live_url: URL, tmp_path: Path
) -> None:
    """Given more connections too: with mapped ids, batches are stored one after the
    other on the first, so the later row of a repeated id is always the one judged
    (the extra connection is closed: using it would fail)."""
    closed = await asyncpg.connect(libpq_url(live_url))
    await closed.close()
    path = tmp_path / "ids.ndjson"
    lines = [
        {"id": "R1", "at": "2025-01-01T00:00:00Z", "nps": 9},
        {"id": "R2", "at": "2025-01-01T00:00:00Z", "nps": 9},
        {"id": "R1", "at": "2025-01-01T00:00:00Z", "nps": 9},  # same batch, same content
        {"id": "R2", "at": "2025-01-01T00:00:00Z", "nps": 1},  # same batch, other content
        {"id": "R1", "at": "2025-01-01T00:00:00Z", "nps": 2},  # a later batch
    ]
    path.write_bytes(b"".join(orjson.dumps(line) + b"\n" for line in lines))
    maps = ("event_id=id", "occurred_at=at", "nps=nps")
    for dry_run in (True, False):
        summary = await run_import(
            conn, path, maps=maps, scales=(), dry_run=dry_run, more=(closed,)
        )
        assert (summary.stored, summary.already_stored, summary.rejected) == (2, 1, 2)
        assert [(r["line"], r["event_id"]) for r in rejects(path)] == [("4", "R2"), ("5", "R1")]
        assert await count(conn) == (0 if dry_run else 2)


async def test_dry_run_stores_nothing_and_tells_new_from_stored(
    conn: asyncpg.Connection, tmp_path: Path
) -> None:
    rows = [[f"2025-02-0{d}T12:00:00Z", "2", "", "s1"] for d in range(1, 6)]
    path = write_csv(tmp_path / "d.csv", [*rows, ["2025-02-09T12:00:00Z", "99", "", "s1"]])
    dry = await run_import(conn, path, dry_run=True)
    assert (dry.read, dry.stored, dry.already_stored, dry.rejected) == (6, 5, 0, 1)
    assert await count(conn) == 0
    assert await conn.fetchval("SELECT count(*) FROM feedback_event_ids") == 0
    assert await conn.fetchval("SELECT count(*) FROM follow_ups") == 0
    assert [r["line"] for r in rejects(path)] == ["7"]
    await run_import(conn, path)
    dry = await run_import(conn, path, dry_run=True)
    assert (dry.stored, dry.already_stored, dry.rejected) == (0, 5, 1)


async def test_imported_events_take_the_api_path_contacts_cases_and_respondents(
    conn: asyncpg.Connection, tmp_path: Path
) -> None:
    path = tmp_path / "crm.ndjson"
    path.write_text(
        '{"when": 1735725600, "score": "Not at all likely", "who": {"id": "c-1", "mail": '
        '"anna@example.com"}, "text": "Nobody called back"}\n'
        '{"when": 1735729200, "score": "Extremely likely", "who": {"id": "c-2"}}\n'
    )
    mapping = tmp_path / "crm.toml"
    mapping.write_text(
        """
        timestamp_format = "unix"
        [fields]
        occurred_at = "when"
        nps = "score"
        "respondent.id" = "who.id"
        "contact.email" = "who.mail"
        comment = "text"
        [set]
        channel = "phone"
        "attributes.imported_from" = "crm-2024"
        [values.nps]
        "Not at all likely" = 0
        "Extremely likely" = 10
        """
    )
    spec = load_spec(mapping)
    summary = await service.run(conn, path, spec, service.ImportOptions(source="crm"))
    assert summary.stored == 2
    events = await conn.fetch(
        "SELECT event_id, nps, respondent_id, has_contact, attributes::text FROM feedback_events "
        "ORDER BY event_id"
    )
    assert [tuple(e) for e in events] == [
        ("import:crm:1", 0, "c-1", True, '{"imported_from": "crm-2024"}'),
        ("import:crm:2", 10, "c-2", False, '{"imported_from": "crm-2024"}'),
    ]
    assert await conn.fetchval("SELECT email FROM feedback_contacts") == "anna@example.com"
    # The default rules open a case for the detractor, as for a posted event.
    assert await conn.fetchval("SELECT reasons FROM follow_ups") == ["nps-detractor"]


async def test_history_can_be_imported_without_cases_or_webhook_messages(
    conn: asyncpg.Connection, tmp_path: Path
) -> None:
    await conn.execute(
        "INSERT INTO webhook_subscriptions (url, event_types, secret) "
        "VALUES ('https://crm.example/hook', '{feedback.created,follow_up.opened}', 'whsec_x')"
    )
    rows = [["2024-03-01T09:00:00Z", "1", "Rude", "s1"], ["2024-03-01T10:00:00Z", "10", "", "s1"]]
    path = write_csv(tmp_path / "2024.csv", rows)
    spec = load_spec(None, maps=MAP, sets=("channel=email",), scales=SCALE)
    quiet = service.ImportOptions(source="2024", follow_ups=False, webhooks=False)
    assert (await service.run(conn, path, spec, quiet)).stored == 2
    assert await conn.fetchval("SELECT count(*) FROM follow_ups") == 0
    assert await conn.fetchval("SELECT count(*) FROM webhook_messages") == 0
    # Cases without messages: the case is opened, no subscriber hears of it.
    cases_only = service.ImportOptions(source="2024-b", webhooks=False)
    assert (await service.run(conn, path, spec, cases_only)).stored == 2
    assert await conn.fetchval("SELECT count(*) FROM follow_ups") == 1
    assert await conn.fetchval("SELECT count(*) FROM webhook_messages") == 0
    # The defaults do what the API does: a case for the detractor, a message for each.
    assert (await service.run(conn, path, spec, service.ImportOptions(source="2024-c"))).stored == 2
    assert await conn.fetchval("SELECT count(*) FROM follow_ups") == 2
    kinds = await conn.fetch(
        "SELECT event_type, count(*) FROM webhook_messages GROUP BY 1 ORDER BY 1"
    )
    assert [tuple(k) for k in kinds] == [("feedback.created", 2), ("follow_up.opened", 1)]


async def test_a_column_missing_from_the_header_stops_before_anything_is_written(
    conn: asyncpg.Connection, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "h.csv", [["2025-01-01T00:00:00Z", "5", "", "s"]])
    with pytest.raises(ValueError, match=r"columns not in the header: \['Q9'\]"):
        await run_import(conn, path, maps=(*MAP, "csat=Q9"))
    assert not service.report_path(path).exists()


async def test_a_file_named_like_the_event_needs_no_mapping(
    conn: asyncpg.Connection, tmp_path: Path
) -> None:
    """The issue's file: refused before until every column had its --map. In NDJSON the
    first batch (3 records here) decides; a field's key first seen after it is a
    rejected row that says how to map it, never left out unnoticed."""
    path = tmp_path / "own.csv"
    path.write_text(
        "event_id,occurred_at,channel,location_id,nps,csat,comment\n"
        "r1,2025-03-14T09:30:00+01:00,pos,vie-07,9,5,Fine\n"
        "r2,2025-03-15T10:00:00Z,web,,3,,\n",
        encoding="utf-8",
    )
    summary = await run_import(conn, path, maps=(), sets=(), scales=())
    assert (summary.stored, summary.rejected) == (2, 0)
    assert summary.not_imported == {}
    stored = await conn.fetch(
        "SELECT event_id, channel, location_id, nps, csat, comment FROM feedback_events "
        "ORDER BY event_id"
    )
    assert [tuple(r) for r in stored] == [
        ("r1", "pos", "vie-07", 9, 5, "Fine"), ("r2", "web", None, 3, None, None),
    ]  # fmt: skip
    lines = [
        {"event_id": f"n{i}", "occurred_at": "2025-01-01T00:00:00Z", "channel": "app", "nps": i,
         "respondent": {"id": f"c{i}"}}
        for i in range(3)
    ]  # fmt: skip
    lines += [{**lines[0], "event_id": "n3", "ces": 2}, {**lines[0], "event_id": "n4"}]
    path = tmp_path / "own.ndjson"
    path.write_bytes(b"".join(orjson.dumps(line) + b"\n" for line in lines))
    summary = await run_import(conn, path, maps=(), sets=(), scales=())
    assert (summary.stored, summary.rejected) == (4, 1)
    [reject] = rejects(path)
    assert (reject["line"], reject["field"]) == ("4", "row")
    assert "key 'ces' is in none of the first batch's records" in reject["reason"]
    assert "--map ces=ces" in reject["reason"]
    sql = "SELECT respondent_id FROM feedback_events WHERE event_id = 'n4'"
    assert await conn.fetchval(sql) == "c0"


# --- metrics after an import of old events --------------------------------------------


def survey_rows(n: int) -> list[list[str]]:
    rng = random.Random(11)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    return [
        [
            (start + timedelta(minutes=rng.randint(0, 365 * 24 * 60))).isoformat(),
            str(rng.randint(1, 10)),
            "",
            rng.choice(("s1", "s2", "s3")),
        ]
        for _ in range(n)
    ]


def nps_of(rows: list[list[str]], store: str | None = None) -> tuple[int, float]:
    half_up = {1: 0, 2: 1, 3: 2, 4: 3, 5: 4, 6: 6, 7: 7, 8: 8, 9: 9, 10: 10}  # 1..10 -> 0..10
    scores = [half_up[int(r[1])] for r in rows if store in (None, r[3])]
    promoters, detractors = sum(s >= 9 for s in scores), sum(s <= 6 for s in scores)
    return len(scores), 100 * (promoters - detractors) / len(scores)


@pytest.fixture
async def quiet_app(live_url: URL) -> AsyncIterator[FastAPI]:
    """The app without its rollup worker: the test decides when rolling up happens."""
    app = create_app(Settings(database_url=libpq_url(live_url), rollup_interval_seconds=0))
    async with app.router.lifespan_context(app):
        yield app


async def test_metrics_after_importing_a_past_year_are_exact_before_and_after_rollup(
    quiet_app: FastAPI, conn: asyncpg.Connection, tmp_path: Path
) -> None:
    async with quiet_app.state.db.connection() as key_conn:
        _, token = await key_service.create_key(key_conn, KeyCreate(name="bi", scope=Scope.read))
    await rollups.roll_up(conn, ("UTC",))  # rolled up to now; the import comes after
    rows = survey_rows(3000)
    assert (await run_import(conn, write_csv(tmp_path / "2024.csv", rows))).stored == 3000
    window = {"from": "2024-01-01T00:00:00Z", "to": "2025-01-01T00:00:00Z"}
    transport = httpx.ASGITransport(app=quiet_app)
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(transport=transport, base_url="http://t", headers=headers) as c:

        async def figures() -> tuple[list[tuple[Any, ...]], tuple[int, float]]:
            by_store = await c.get(
                "/v1/metrics/breakdown",
                params={**window, "group_by": "location_id", "metric": "nps", "sort": "group"},
            )
            total = await c.get("/v1/metrics/summary", params={**window, "metrics": "nps"})
            assert by_store.status_code == total.status_code == 200, by_store.text
            nps = total.json()["metrics"]["nps"]
            return (
                sorted((g["group"], g["n"], round(g["value"], 9)) for g in by_store.json()["rows"]),
                (nps["n"], round(nps["value"], 9)),
            )

        expected = (
            [(s, n, round(v, 9)) for s in ("s1", "s2", "s3") for n, v in [nps_of(rows, s)]],
            (nps_of(rows)[0], round(nps_of(rows)[1], 9)),
        )
        assert (await rollups.status(conn)).pending_events == 3000  # read raw
        assert await figures() == expected
        await rollups.roll_up(conn, ("UTC",))
        assert (await rollups.status(conn)).pending_events == 0  # read from the rollups
        assert await figures() == expected


# --- the command -------------------------------------------------------------------


async def test_command_end_to_end_exit_status_and_summary(
    live_url: URL,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("FEEDBACK_DATABASE_URL", libpq_url(live_url))
    get_settings.cache_clear()
    path = write_csv(
        tmp_path / "export.csv",
        [["07.03.2025 09:05", "9", "", "s1"], ["07.03.2025 09:06", "x", "", "s1"]],
    )
    args = [
        "import", str(path), "--map", "occurred_at=Submitted", "--map", "nps=Recommend",
        "--ignore", "Comment", "--set", "channel=email", "--timezone", "Europe/Vienna",
        "--timestamp-format", "%d.%m.%Y %H:%M", "--source", "march",
    ]  # fmt: skip
    try:
        assert await asyncio.to_thread(cli.main, [*args, "--dry-run"]) == 1
        out = capsys.readouterr().out
        assert "would store     1 new events" in out
        assert "dry run: nothing was stored" in out
        assert "not imported    Comment: left out, as --ignore says\n" in out
        assert "not imported    Store: no event field is named like it\n" in out
        assert await asyncio.to_thread(cli.main, args) == 1
        assert "stored          1 new events" in capsys.readouterr().out
        assert rejects(path)[0]["reason"] == "'x' is not a number"
        fixed = write_csv(path, [["07.03.2025 09:05", "9", "", "s1"]])
        assert await asyncio.to_thread(cli.main, [*args[:2], *args[2:]]) == 0
        assert "already stored  1" in capsys.readouterr().out
        assert rejects(fixed) == []
        assert await asyncio.to_thread(cli.main, [*args, "--map", "csat=Nope"]) == 2
        assert "columns not in the header" in capsys.readouterr().err
        detractor = write_csv(tmp_path / "old.csv", [["01.02.2025 10:00", "2", "", "s1"]])
        quiet = [*args[:1], str(detractor), *args[2:-1], "old", "--no-follow-ups", "--no-webhooks"]
        assert await asyncio.to_thread(cli.main, quiet) == 0
    finally:
        get_settings.cache_clear()
    conn = await asyncpg.connect(libpq_url(live_url))
    try:
        rows = await conn.fetch("SELECT event_id, occurred_at FROM feedback_events ORDER BY 1")
        cases = await conn.fetchval("SELECT count(*) FROM follow_ups")
    finally:
        await conn.close()
    assert [tuple(r) for r in rows] == [
        ("import:march:1", datetime(2025, 3, 7, 8, 5, tzinfo=UTC)),
        ("import:old:1", datetime(2025, 2, 1, 9, 0, tzinfo=UTC)),
    ]
    assert cases == 0  # the detractor's case was not opened


async def test_empty_mapped_event_id_is_rejected_not_given_a_random_id(
    conn: asyncpg.Connection, tmp_path: Path
) -> None:
    """A random id would store the row again on every run of the same import."""
    path = tmp_path / "ids.csv"
    path.write_text(
        "id,at,nps\nR1,2025-01-01T00:00:00Z,9\n,2025-01-01T00:00:00Z,8\n", encoding="utf-8"
    )
    maps = ("event_id=id", "occurred_at=at", "nps=nps")
    for dry_run, stored in ((True, 1), (False, 1), (False, 0)):
        summary = await run_import(conn, path, maps=maps, scales=(), dry_run=dry_run)
        assert (summary.stored, summary.rejected) == (stored, 1)
        [reject] = rejects(path)
        assert (reject["line"], reject["event_id"]) == ("3", "")
        assert reject["field"] == "event_id (column 'id')"
        assert "the event_id column is empty" in reject["reason"]
    assert await count(conn) == 1


@pytest.mark.parametrize(
    ("zone", "naive"),
    [("Europe/Vienna", "0001-01-01 00:30:00"), ("America/New_York", "9999-12-31 23:30:00")],
)
async def test_timestamps_whose_utc_time_leaves_years_1_to_9999_are_rejected_rows(
    conn: asyncpg.Connection, tmp_path: Path, zone: str, naive: str
) -> None:
    """Naive ones overflowed in the parser (the import died); aware ones in validation."""
    path = tmp_path / "ends.csv"
    path.write_text(
        f"at,nps\n{naive},9\n0001-01-01T00:30:00+01:00,9\n9999-12-31T23:30:00-01:00,9\n"
        "2025-01-01 12:00:00,9\n",
        encoding="utf-8",
    )
    maps = ("occurred_at=at", "nps=nps")
    for dry_run in (True, False):
        summary = await run_import(conn, path, maps=maps, scales=(), dry_run=dry_run, timezone=zone)
        assert (summary.read, summary.stored, summary.rejected) == (4, 1, 3)
        assert [r["line"] for r in rejects(path)] == ["2", "3", "4"]
        assert all("1..9999" in r["reason"] for r in rejects(path))


async def test_a_cell_longer_than_the_csv_modules_default_limit_is_one_rejected_row(
    conn: asyncpg.Connection, tmp_path: Path
) -> None:
    """At the csv module's default limit (131,072 characters) the record broke off inside
    the cell and its tail became more records, stored as phantom events."""
    long = "\n".join(["x" * 999] * 140)  # 140,000 characters over 140 lines
    path = write_csv(
        tmp_path / "long.csv",
        [["2025-01-01T00:00:00Z", "9", long, "s1"], ["2025-01-02T00:00:00Z", "9", "ok", "s1"]],
    )
    summary = await run_import(conn, path)
    assert (summary.read, summary.stored, summary.rejected) == (2, 1, 1)
    [reject] = rejects(path)
    assert (reject["line"], reject["record"]) == ("2", "1")
    assert reject["field"].startswith("comment")
    ids = await conn.fetch("SELECT event_id, comment FROM feedback_events")
    assert [tuple(r) for r in ids] == [(f"import:{path.name}:2", "ok")]


async def test_command_database_failures_are_one_line_and_their_own_exit_status(
    live_url: URL,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A database that cannot be reached: 2, nothing stored. One lost during the import
    (here: its backend terminated before the second batch): 3, the first batch stays."""
    path = write_csv(
        tmp_path / "db.csv", [[f"2025-01-0{d}T00:00:00Z", "9", "", "s"] for d in (1, 2)]
    )
    args = [
        "import", str(path), "--map", "occurred_at=Submitted", "--map", "nps=Recommend",
        "--ignore", "Comment", "--set", "channel=email", "--batch-size", "1", "--connections", "1",
    ]  # fmt: skip
    monkeypatch.setenv("FEEDBACK_DATABASE_URL", libpq_url(live_url.set(database="no_such_db")))
    get_settings.cache_clear()
    try:
        assert await asyncio.to_thread(cli.main, args) == 2
        err = capsys.readouterr().err
        assert err.startswith("feedback: cannot connect to the database: ")
        assert "no_such_db" in err
        assert err.count("\n") == 1  # no traceback

        calls = 0
        real_store = statement.store

        async def store_then_lose(conn: asyncpg.Connection, *a: Any, **kw: Any) -> Any:
            nonlocal calls
            calls += 1
            if calls == 2:
                await conn.execute("SELECT pg_terminate_backend(pg_backend_pid())")
            return await real_store(conn, *a, **kw)

        monkeypatch.setattr(service, "store", store_then_lose)
        monkeypatch.setenv("FEEDBACK_DATABASE_URL", libpq_url(live_url))
        get_settings.cache_clear()
        assert await asyncio.to_thread(cli.main, args) == 3
        err = capsys.readouterr().err
        assert err.startswith("feedback: import aborted, the database failed: ")
        assert "run the same command again" in err
        assert err.count("\n") == 1
    finally:
        get_settings.cache_clear()
    check = await asyncpg.connect(libpq_url(live_url))
    try:
        assert await count(check) == 1
    finally:
        await check.close()


async def test_ndjson_key_in_none_of_the_first_batch_stops_before_anything_is_written(
    conn: asyncpg.Connection, tmp_path: Path
) -> None:
    """As a CSV column missing from the header: a misspelt key left its field out of
    every event. A key some records lack, or a nested object's path, is fine."""
    path = tmp_path / "keys.ndjson"
    lines = [
        {"at": "2025-01-01T00:00:00Z", "score": 9, "meta": {"wave": "w1"}},
        {"at": "2025-01-02T00:00:00Z", "score": 8, "text": "fine"},
    ]
    path.write_bytes(b"".join(orjson.dumps(line) + b"\n" for line in lines))
    maps = ("occurred_at=at", "nps=score", "comment=text", "attributes.wave=meta.wave")
    for dry_run in (True, False):
        with pytest.raises(ValueError, match=r"keys in none of the first 2 records: \['nps'\]"):
            await run_import(conn, path, maps=(*maps, "csat=nps"), scales=(), dry_run=dry_run)
        assert not service.report_path(path).exists()
    assert await count(conn) == 0
    summary = await run_import(conn, path, maps=maps, scales=())
    assert (summary.stored, summary.rejected) == (2, 0)


async def test_rejects_report_is_utf8_whatever_the_locale(live_url: URL, tmp_path: Path) -> None:
    """The report was written in the locale's encoding: under the plain C locale (no
    UTF-8 mode) a non-ASCII row ended the import with a UnicodeEncodeError."""
    path = write_csv(tmp_path / "u.csv", [["2025-01-01T00:00:00Z", "99", "Grüße ☕", "s"]])
    env = {
        "PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), "LC_ALL": "C",
        "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0", "PYTHONIOENCODING": "utf-8",
        "FEEDBACK_DATABASE_URL": libpq_url(live_url),
    }  # fmt: skip
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "app.cli", "import", str(path), "--map", "occurred_at=Submitted",
        "--map", "nps=Recommend", "--map", "comment=Comment", "--set", "channel=email",
        "--dry-run", env=env, stderr=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    _, err = await process.communicate()
    assert process.returncode == 1, err.decode()
    assert service.report_path(path).read_bytes().decode("utf-8").count("Grüße ☕") == 1
