"""`feedback demo` as a newcomer runs it: the console script, a real database, its output."""

import os
import re
import subprocess
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx
import pytest
from sqlalchemy.engine import URL

from app.cli import main
from app.db import libpq_url
from app.main import create_app
from app.settings import Settings

FEEDBACK = Path(sys.executable).parent / "feedback"
ARGS = ("demo", "--days", "91", "--scale", "0.02", "--end", "2026-11-20T12:00:00+00:00")


def run(url: URL, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FEEDBACK_")}
    env["FEEDBACK_DATABASE_URL"] = libpq_url(url)
    return subprocess.run(
        [str(FEEDBACK), *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


async def test_demo_command_fills_prints_a_working_key_once_then_refuses(
    fresh_database: Callable[[], Awaitable[URL]],
) -> None:
    url = await fresh_database()
    done = run(url, *ARGS, "--jobs", "1")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    keys = re.findall(r"fbk_read_\w+", out)
    assert keys, out
    assert len(set(keys)) == 1  # one key: in the text and in KEY=...
    assert keys[0] not in done.stderr  # printed for the user, never logged
    assert "Lisbon Chiado (lis-03" in out
    assert "/v1/metrics/consistency?group_by=location_id" in out
    curls = [line for line in out.splitlines() if line.strip().startswith("curl -s")]
    assert len(curls) >= 4

    # The printed key reads the metrics the guide's first request asks for.
    first = re.search(r'curl -s "http://[^/]+(/v1/[^"]+)"', out)
    assert first is not None
    app = create_app(Settings(database_url=libpq_url(url), rollup_interval_seconds=0))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            response = await client.get(
                first.group(1), headers={"Authorization": f"Bearer {keys[0]}"}
            )
    assert response.status_code == 200, response.text
    assert response.text.startswith("bucket_start,metric,value,n")
    assert response.text.count("\n") > 10  # a row per week

    again = run(url, *ARGS)
    assert again.returncode == 1
    assert "already holds feedback events" in again.stderr
    assert "fbk_" not in again.stdout


def test_demo_command_rejects_a_bad_size_before_touching_a_database(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["demo", "--days", "20"]) == 2
    assert "--days must be at least" in capsys.readouterr().err
