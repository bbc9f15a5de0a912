"""The service as its operators run it: `feedback serve` in a child process.

For tests that need what only a real process shows: several workers, signals,
a database going away under a running server. Not fixtures, so each test
chooses its database, workers and settings:

    url = await fresh_database()
    keys = await create_keys(url)
    with serve(url, workers=2) as service:
        httpx.post(f"{service.base_url}/v1/feedback", headers=bearer(keys["ingest"]), ...)
"""

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import httpx
from sqlalchemy.engine import URL

from app.auth import service as key_service
from app.auth.schemas import KeyCreate
from app.auth.tokens import Scope
from app.cli import connected
from app.db import libpq_url

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def create_keys(url: URL) -> dict[str, str]:
    """One key of every scope in the database at `url`: {scope: token}."""

    async def work(conn: asyncpg.Connection) -> dict[str, str]:
        keys = {}
        for scope in Scope:
            spec = KeyCreate(name=f"test {scope.value}", scope=scope)
            keys[scope.value] = (await key_service.create_key(conn, spec))[1]
        return keys

    return await connected(url, work)


@dataclass
class Served:
    """A running `feedback serve`; `process` is uvicorn's (the supervisor, with workers)."""

    base_url: str
    process: subprocess.Popen[bytes]
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 40) -> int:
        """Send `sig` and wait for the process to exit; its exit code."""
        if self.process.poll() is None:
            self.process.send_signal(sig)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise AssertionError(f"feedback serve ignored signal {sig}:\n{self.log()}") from None


def wait_ready(base_url: str, process: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"feedback serve exited with {process.returncode}")
        try:
            if httpx.get(f"{base_url}/readyz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"feedback serve was not ready within {timeout} s")


@contextmanager
def serve(
    url: URL,
    *,
    workers: int = 1,
    env: Mapping[str, str] | None = None,
    log_dir: Path | None = None,
    timeout: float = 60,
    python_args: Sequence[str] = ("-m", "app.cli", "serve"),
    port: int | None = None,
) -> Iterator[Served]:
    """Run `feedback serve` (or `python_args`) on a free loopback port against the
    database at `url`.

    Background workers are off unless `env` turns them on. Stopped (SIGTERM, then
    SIGKILL) on the way out if the test has not stopped it already. `port` (default:
    a free one) lets a test start the service again where its clients expect it.
    """
    port = port or free_port()
    environment = {
        **os.environ,
        "FEEDBACK_DATABASE_URL": libpq_url(url),
        "FEEDBACK_HOST": "127.0.0.1",
        "FEEDBACK_PORT": str(port),
        "FEEDBACK_WORKERS": str(workers),
        "FEEDBACK_BOOTSTRAP_ADMIN_KEY": "false",
        "FEEDBACK_ROLLUP_INTERVAL_SECONDS": "0",
        "FEEDBACK_WEBHOOKS_INTERVAL_SECONDS": "0",
        "FEEDBACK_TEXT_INTERVAL_SECONDS": "0",
        **(env or {}),
    }
    log_path = (log_dir or Path(os.environ.get("TMPDIR", "/tmp"))) / f"feedback-serve-{port}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, *python_args],
            cwd=ROOT,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    served = Served(f"http://127.0.0.1:{port}", process, log_path)
    try:
        try:
            wait_ready(served.base_url, process, timeout)
        except RuntimeError as exc:
            raise RuntimeError(f"{exc}:\n{served.log()}") from None
        yield served
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        log_path.unlink(missing_ok=True)
