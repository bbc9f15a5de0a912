"""Log lines: JSON objects that carry the request id, coloured lines on a terminal,
and exceptions written without their messages."""

import io
import json
import logging
import os
import pty
from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI

from app.logs import formatter, logging_config, use_console
from app.settings import Settings
from tests.conftest import Headers

SECRET = "zsofia.private@example.org"


@pytest.fixture
def settings() -> Settings:
    """The app of these tests writes access lines (off by default)."""
    return Settings(database_url="postgresql://unused-in-rolled-back-tests/none", access_log=True)


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    """Everything logged at INFO and above, through the service's JSON formatter."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter("json"))
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield stream
    root.removeHandler(handler)
    root.setLevel(level)


def lines(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]  # each one parses


async def test_json_lines_carry_the_request_id_and_the_access_fields(
    app: FastAPI, client: httpx.AsyncClient, ingest_key: Headers, captured: io.StringIO
) -> None:
    async def broken() -> None:
        raise RuntimeError(f"cannot store {SECRET}")

    app.add_api_route("/broken", broken)
    event = {"event_id": "log-1", "channel": "web", "nps": 9, "comment": SECRET}
    answer = await client.post(
        "/v1/feedback", json=event, headers={**ingest_key, "X-Request-ID": "req-ok"}
    )
    assert answer.status_code == 201
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as raw:
        failed = await raw.get("/broken", headers={"X-Request-ID": "req-500"})
    assert failed.status_code == 500

    records = lines(captured)
    access = [r for r in records if r["logger"] == "feedback.access"]
    assert {
        "message": "POST /v1/feedback 201",
        "method": "POST",
        "route": "/v1/feedback",
        "status": 201,
        "request_id": "req-ok",
        "level": "info",
    }.items() <= access[0].items()
    assert isinstance(access[0]["duration_ms"], float)
    assert isinstance(access[0]["time"], str)
    assert access[0]["time"].endswith("Z")
    error = next(r for r in records if str(r["message"]).startswith("unhandled error"))
    assert error["request_id"] == "req-500"  # logged by the error handler, outside the route
    assert "RuntimeError" in str(error["message"])
    assert any(r.get("status") == 500 and r["request_id"] == "req-500" for r in access)
    assert SECRET not in captured.getvalue()


async def test_an_exception_attached_to_a_record_is_written_redacted(
    captured: io.StringIO,
) -> None:
    try:
        raise ValueError(f"invalid input for query argument $1: '{SECRET}'")
    except ValueError:
        logging.getLogger("uvicorn.error").exception("Exception in ASGI application")
    (record,) = lines(captured)
    assert "ValueError" in str(record["exception"])
    assert "test_logging.py" in str(record["exception"])  # the frames are kept
    assert SECRET not in captured.getvalue()


@pytest.mark.parametrize("on", [True, False])
async def test_access_lines_can_be_turned_off(on: bool, captured: io.StringIO) -> None:
    from app.main import create_app

    app = create_app(Settings(database_url="postgresql://unused/none", access_log=on))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        assert (await client.get("/healthz")).status_code == 200
    access = [r for r in lines(captured) if r["logger"] == "feedback.access"]
    assert len(access) == (1 if on else 0)


def test_console_lines_on_a_terminal_json_elsewhere(monkeypatch: pytest.MonkeyPatch) -> None:
    parent, child = pty.openpty()
    try:
        with os.fdopen(child, "w", closefd=False) as terminal:
            monkeypatch.setattr("sys.stderr", terminal)
            assert use_console("auto")
            assert not use_console("json")
            record = logging.LogRecord(
                "feedback.access", logging.INFO, "", 0, "GET /x 200", (), None
            )
            rendered = formatter("auto").format(record)
    finally:
        os.close(parent)
        os.close(child)
    assert "\x1b[" in rendered  # coloured
    assert "GET /x 200" in rendered
    with pytest.raises(json.JSONDecodeError):
        json.loads(rendered)
    monkeypatch.setattr("sys.stderr", io.StringIO())  # a pipe, a file: not a terminal
    assert not use_console("auto")
    assert use_console("console")
    assert json.loads(formatter("auto").format(record))["message"] == "GET /x 200"


def test_uvicorn_lines_go_through_the_same_formatter() -> None:
    config = logging_config(Settings(log_format="json", log_level="WARNING"))
    assert config["root"] == {"handlers": ["stderr"], "level": "WARNING"}
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        assert config["loggers"][name] == {"handlers": [], "propagate": True, "level": "WARNING"}
    assert config["formatters"]["feedback"]["log_format"] == "json"
