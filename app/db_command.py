"""`feedback db`: the database the service uses (README, "The embedded database").

With no `FEEDBACK_DATABASE_URL`, the service runs its own PostgreSQL in
`<data_dir>/postgres`, which keeps running after the service stops (like any
database). `status`, `start`, `stop` and `url` look after that server; `backup`
and `restore` dump and restore the service's database with the `pg_dump` and
`pg_restore` of the same PostgreSQL, for the embedded server or a configured one.
"""

import argparse
import asyncio
import sys
from pathlib import Path

from sqlalchemy.engine import make_url

from app import embedded
from app.db import asyncpg_url, libpq_url
from app.settings import Settings


def add_db_command(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    p = sub.add_parser(
        "db",
        help="the database: status, start, stop, url, backup, restore",
        description="The embedded PostgreSQL (used when FEEDBACK_DATABASE_URL is not set) keeps "
        "running after the service stops, like any database: these commands look after it. "
        "backup and restore work on a configured database too.",
    )
    db = p.add_subparsers(dest="db", required=True)
    db.add_parser("status", help="where the database is, and whether it runs").set_defaults(
        run=cmd_status
    )
    db.add_parser("start", help="start the embedded server (it keeps running)").set_defaults(
        run=cmd_start
    )
    db.add_parser("stop", help="stop the embedded server (stop the service first)").set_defaults(
        run=cmd_stop
    )
    db.add_parser(
        "url", help="print the database's URL (for psql, pg_dump, a BI tool on this machine)"
    ).set_defaults(run=cmd_url)
    dump = db.add_parser(
        "backup",
        help="dump the database into FILE (pg_dump's custom format; the service may run)",
    )
    dump.add_argument("file", type=Path, help="where to write the backup, e.g. feedback.dump")
    dump.set_defaults(run=cmd_backup)
    load = db.add_parser(
        "restore",
        help="replace the database with a backup, all or nothing (stop the service first)",
    )
    load.add_argument("file", type=Path, help="a file `feedback db backup` wrote")
    load.add_argument(
        "--force", action="store_true", help="end the sessions of a service still connected"
    )
    load.set_defaults(run=cmd_restore)


def _external(settings: Settings, command: str) -> int | None:
    """`start`/`stop` manage only the embedded server: say so when one is configured."""
    if not settings.database_url:
        return None
    print(
        f"feedback db {command}: the service uses the database of FEEDBACK_DATABASE_URL "
        f"({_shown(settings.database_url)}); start and stop it as you run that server. "
        "This command manages the embedded server, used when FEEDBACK_DATABASE_URL is unset.",
        file=sys.stderr,
    )
    return 2


def _shown(url: str) -> str:
    return asyncpg_url(url).set(drivername="postgresql").render_as_string(hide_password=True)


def _database_url(settings: Settings) -> tuple[str, str]:
    """(the service database's libpq URL, an admin URL on the same server), the embedded
    server only when it runs (never started by a read)."""
    if settings.database_url:
        url = asyncpg_url(settings.database_url)
        return libpq_url(url), libpq_url(url.set(database="postgres"))
    state = embedded.server_state(settings.data_dir)
    if not state.running or state.admin_uri is None:
        raise embedded.DatabaseToolError(
            f"the embedded PostgreSQL in {state.pgdata} is not running: `feedback db start`"
        )
    return embedded.socket_url(state.admin_uri, embedded.DATABASE_NAME), state.admin_uri


def cmd_status(_: argparse.Namespace, settings: Settings) -> int:
    if settings.database_url:
        print(f"database: {_shown(settings.database_url)} (FEEDBACK_DATABASE_URL)")
        return 0
    state = embedded.server_state(settings.data_dir)
    print(f"embedded PostgreSQL {embedded.server_version()} in {state.pgdata}")
    if not state.initialised:
        print("state: not created yet (`feedback serve` or `feedback db start` creates it)")
        return 3
    if not state.running:
        print("state: stopped (`feedback db start` starts it)")
        return 3
    print(f"state: running (pid {state.pid})")
    print(f"url: {embedded.socket_url(state.admin_uri or '', embedded.DATABASE_NAME)}")
    return 0


def cmd_start(_: argparse.Namespace, settings: Settings) -> int:
    if (refused := _external(settings, "start")) is not None:
        return refused
    admin = embedded.start_embedded(settings.data_dir)
    asyncio.run(embedded.ensure_database(admin, embedded.DATABASE_NAME))
    print(f"running: {embedded.socket_url(admin, embedded.DATABASE_NAME)}")
    return 0


def cmd_stop(_: argparse.Namespace, settings: Settings) -> int:
    if (refused := _external(settings, "stop")) is not None:
        return refused
    if embedded.stop_embedded(settings.data_dir):
        print("stopped")
    else:
        print("not running")
    return 0


def cmd_url(_: argparse.Namespace, settings: Settings) -> int:
    print(_database_url(settings)[0])
    return 0


def cmd_backup(args: argparse.Namespace, settings: Settings) -> int:
    url, _ = _database_url(settings)
    size = embedded.backup(url, args.file)
    print(f"backup written: {args.file} ({size:,} bytes)")
    return 0


def cmd_restore(args: argparse.Namespace, settings: Settings) -> int:
    url, admin = _database_url(settings)
    database = make_url(url).database or embedded.DATABASE_NAME
    asyncio.run(embedded.restore(admin, database, args.file, force=args.force))
    print(
        f"restored {args.file} into {database!r}. `feedback serve` (or `feedback migrate`) "
        "brings an older backup's schema up to date."
    )
    return 0
