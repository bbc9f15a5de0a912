"""`feedback text run|status|rebuild`, as an operator runs them: the real command in its
own process, against a database with comments."""

import os
import subprocess
from collections.abc import Awaitable, Callable

import asyncpg
from sqlalchemy.engine import URL

from app.db import libpq_url
from tests.alerts.test_cli import FEEDBACK
from tests.text.test_service import COMMENTS, insert


def feedback(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FEEDBACK_")}
    env |= {"FEEDBACK_DATABASE_URL": url, "FEEDBACK_TEXT_THREADS": "2"}
    return subprocess.run(
        [str(FEEDBACK), *args], env=env, capture_output=True, text=True, timeout=300
    )


async def test_run_status_and_rebuild(fresh_database: Callable[[], Awaitable[URL]]) -> None:
    url = libpq_url(await fresh_database())
    conn = await asyncpg.connect(url)
    try:
        ids = await insert(conn, COMMENTS)
    finally:
        await conn.close()

    before = feedback(url, "text", "status")
    assert before.returncode == 0, before.stderr
    assert "waiting          5 new comments" in before.stdout

    run = feedback(url, "text", "run")
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "text: 5 comments enriched"

    after = feedback(url, "text", "status")
    assert f"watermark        {ids[-1]:,}" in after.stdout
    assert "waiting          0 new comments, 0 changed comments" in after.stdout
    assert "enriched         5 comments (0 with an older version)" in after.stdout
    assert "examples kept    3 scored comments" in after.stdout

    rebuild = feedback(url, "text", "rebuild")
    assert rebuild.returncode == 0, rebuild.stderr
    assert "text: 5 comments enriched again" in rebuild.stdout
    status = feedback(url, "text", "status")
    assert "3 scored comments\n  en" in status.stdout  # the new model learnt from them
    assert "rebuild          none" in status.stdout

    background = feedback(url, "text", "rebuild", "--background")
    assert "enriched again by the service's worker" in background.stdout
    assert "rebuild          5 comments left" in feedback(url, "text", "status").stdout
