"""The `feedback` command: serve, migrate, manage API keys, look after the rollups, and run
or replay the alerts."""

import argparse
import asyncio
import functools
import os
import sys
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar

import asyncpg
import orjson
from sqlalchemy.engine import URL

from app.alerts import service as alerts
from app.alerts.backtest import backtest
from app.auth import service as keys
from app.auth.schemas import KeyCreate
from app.auth.tokens import Scope
from app.db import create_engine, libpq_url, own_connection, resolve_database_url
from app.db_command import add_db_command
from app.embedded import DatabaseToolError, EmbeddedUnavailableError
from app.feedback import maintenance as partition_maintenance
from app.imports.command import add_import_command
from app.ratelimit.limiter import storage_uri
from app.respondents import retention
from app.rollups import service as rollups
from app.rollups.rebuild import rebuild
from app.settings import Settings, get_settings
from app.text import service as text

T = TypeVar("T")
BOOTSTRAP_LOCK_ID = 0x6B657973  # "keys"


def migrations_dir() -> Path:
    """`migrations/` beside the source tree (checkout, editable install) or in the cwd (image)."""
    beside_source = Path(__file__).resolve().parents[1] / "migrations"
    return beside_source if beside_source.is_dir() else Path.cwd() / "migrations"


def migrate(url: URL) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    config.attributes["database_url"] = libpq_url(url)
    command.upgrade(config, "head")


async def connected(url: URL, work: Callable[[asyncpg.Connection], Awaitable[T]]) -> T:
    """`work` on a connection of its own to the database at `url`, closed afterwards."""
    conn = await asyncpg.connect(libpq_url(url))
    try:
        return await work(conn)
    finally:
        await conn.close()


async def with_connection(
    settings: Settings, work: Callable[[asyncpg.Connection], Awaitable[T]]
) -> T:
    """`work` on a connection of its own to the configured (or embedded) database."""
    return await connected(await resolve_database_url(settings), work)


async def bootstrap_admin_key(conn: asyncpg.Connection) -> str | None:
    """On the very first start (no key ever made), create one admin key and return its token.

    Under a transaction-scoped advisory lock, so replicas starting together make one key.
    """
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock($1)", BOOTSTRAP_LOCK_ID)
        if await conn.fetchval("SELECT EXISTS (SELECT FROM api_keys)"):
            return None
        spec = KeyCreate(name="first admin key", scope=Scope.admin)
        _, token = await keys.create_key(conn, spec)
        return token


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from app import logs
    from app.observability import prometheus
    from app.supervisor import Supervisor

    log_config = logs.configure(settings)  # migrations' and uvicorn's lines too
    url = asyncio.run(resolve_database_url(settings))
    # Workers are separate processes: hand them the resolved database (embedded or not).
    os.environ["FEEDBACK_DATABASE_URL"] = libpq_url(url)
    migrate(url)
    token = (
        asyncio.run(connected(url, bootstrap_admin_key)) if settings.bootstrap_admin_key else None
    )
    host, port = args.host or settings.host, args.port or settings.port
    if token:
        print(
            "\n  First start: created an admin API key. It is shown only this once:\n\n"
            f"      {token}\n\n"
            f"  Try it on the docs page: http://{host}:{port}/docs (Authorize button).\n",
            flush=True,
        )
    workers = args.workers or settings.workers
    if workers > 1 and storage_uri(settings.rate_limit_storage).startswith("async+memory"):
        print(
            f"  Note: rate limits count in each of the {workers} worker processes on its own "
            "(FEEDBACK_RATE_LIMIT_STORAGE=memory): a client may get up to "
            f"{workers} times its quota. Set FEEDBACK_RATE_LIMIT_STORAGE=redis://... "
            "to share them.",
            file=sys.stderr,
            flush=True,
        )
    options: dict[str, Any] = {
        "factory": True,
        "host": host,
        "port": port,
        "loop": "uvloop",
        "http": "app.http.protocol:BoundedHttpToolsProtocol",  # httptools, with header bounds
        "access_log": False,  # the service writes its own (FEEDBACK_ACCESS_LOG)
        "log_config": log_config,
        "timeout_graceful_shutdown": 30,
    }
    if workers > 1:
        # Each worker's metrics in files of one fresh directory, summed at scrape time.
        directory = prometheus.prepare_multiprocess()
        try:
            config = uvicorn.Config("app.main:create_app", workers=workers, **options)
            Supervisor(config, sockets=[config.bind_socket()]).run()
        finally:
            prometheus.remove_multiprocess(directory)
    else:
        uvicorn.run("app.main:create_app", **options)
    return 0


def cmd_migrate(_: argparse.Namespace, settings: Settings) -> int:
    migrate(asyncio.run(resolve_database_url(settings)))
    print("database is at the newest schema")
    return 0


def cmd_keys_create(args: argparse.Namespace, settings: Settings) -> int:
    spec = KeyCreate(
        name=args.name,
        scope=Scope(args.scope),
        location_id=args.location,
        allowed_origins=args.origin or [],
    )

    async def work(conn: asyncpg.Connection) -> tuple[dict[str, Any], str]:
        return await keys.create_key(conn, spec)

    key, token = asyncio.run(with_connection(settings, work))
    print(
        f"created key {key['id']} ({key['scope']}, {key['name']}). The key, shown only this once:"
    )
    print(token)
    return 0


def cmd_keys_list(args: argparse.Namespace, settings: Settings) -> int:
    async def work(conn: asyncpg.Connection) -> list[dict[str, Any]]:
        return await keys.all_keys(conn, include_revoked=args.all)

    rows = asyncio.run(with_connection(settings, work))
    print(f"{'id':36}  {'prefix':20}  {'scope':6}  {'location':12}  {'state':8}  name")
    for k in rows:
        state = "revoked" if k["revoked_at"] else "active"
        print(
            f"{k['id']!s:36}  {k['prefix']:20}  {k['scope']:6}  {k['location_id'] or '-':12}  "
            f"{state:8}  {k['name']}"
            + (f"  origins={','.join(k['allowed_origins'])}" if k["allowed_origins"] else "")
        )
    return 0


def cmd_keys_revoke(args: argparse.Namespace, settings: Settings) -> int:
    async def work(conn: asyncpg.Connection) -> list[dict[str, Any]]:
        async with conn.transaction():
            found = await keys.find_keys(conn, args.key)
            if len(found) == 1:
                await keys.revoke_key(conn, found[0]["id"])
            return found

    found = asyncio.run(with_connection(settings, work))
    if len(found) != 1:
        print(f"{len(found)} keys match {args.key!r}; give the key's id.", file=sys.stderr)
        return 1
    print(f"revoked key {found[0]['id']} ({found[0]['name']})")
    return 0


def cmd_rollups_status(_: argparse.Namespace, settings: Settings) -> int:
    s = asyncio.run(with_connection(settings, rollups.status))
    pending = f"{s.pending_events:,}" + ("+" if s.pending_events >= rollups.PENDING_CAP else "")
    print(f"watermark        {s.watermark:,} (last event id {s.last_id:,})")
    print(f"pending events   {pending} (answers read them from the raw table)")
    print(f"lag              {s.lag_seconds:.1f} s (age of the oldest event not rolled up)")
    print(f"last round       {s.rolled_at.isoformat() if s.rolled_at else 'never'}")
    print(f"local days of    {', '.join(s.zones) or '(none yet)'}")
    print(f"configured zones {', '.join(settings.zones_rolled_up)}")
    print(f"rollup rows      about {s.rows:,}")
    return 0


def cmd_rollups_rebuild(args: argparse.Namespace, settings: Settings) -> int:
    async def run() -> int:
        url = libpq_url(await resolve_database_url(settings))

        connect = functools.partial(own_connection, url)
        async with connect() as conn:
            return await rebuild(conn, settings.zones_rolled_up, jobs=args.jobs, connect=connect)

    events = asyncio.run(run())
    print(f"rollups rebuilt from {events:,} event ids for {', '.join(settings.zones_rolled_up)}")
    return 0


def cmd_retention_run(args: argparse.Namespace, settings: Settings) -> int:
    days = args.days or settings.retention_days
    months = args.months or settings.event_retention_months
    if (days is None and months is None) or (days or 1) < 1 or (months or 1) < 1:
        print(
            "feedback: set FEEDBACK_RETENTION_DAYS or FEEDBACK_EVENT_RETENTION_MONTHS, or give "
            "--days or --months (1 or more)",
            file=sys.stderr,
        )
        return 1

    async def work(conn: asyncpg.Connection) -> retention.Removed | None:
        return await retention.run(conn, days, months=months)

    removed = asyncio.run(with_connection(settings, work))
    if removed is None:
        print("another retention run is in progress; nothing done", file=sys.stderr)
        return 1
    if days is not None:
        print(f"retention: kept {days} days; removed from what was received before then:")
        print(f"comments          {removed.comments:,}")
        print(f"contacts          {removed.contacts:,}")
        print(f"case notes        {removed.case_notes:,}")
        print(f"case resolutions  {removed.case_resolutions:,}")
        print(f"webhook messages  {removed.webhook_messages:,}")
    if months is not None:
        gone = removed.expired
        print(f"retention: kept {months} whole months of events; dropped before then:")
        print(f"months            {', '.join(gone.months) or 'none'}")
        print(f"events            {gone.events:,}")
        print(f"contacts          {gone.contacts:,}")
        print(f"follow-up cases   {gone.follow_ups:,}")
        print(f"webhook messages  {gone.webhook_messages:,}")
    return 0


def cmd_partitions_status(_: argparse.Namespace, settings: Settings) -> int:
    s = asyncio.run(with_connection(settings, partition_maintenance.status))

    def bound(t: datetime | None, none: str) -> str:
        return none if t is None else t.strftime("%Y-%m-%d")

    for p, rows in s.partitions:
        detaching = " (being detached)" if p.detaching else ""
        print(
            f"{p.name:32} {bound(p.lower, 'MINVALUE'):>10} .. {bound(p.upper, 'MAXVALUE'):10} "
            f"about {rows:,} rows{detaching}"
        )
    if s.split.phase == "waiting":
        print(f"split of the legacy partition: waiting for {bound(s.split.boundary, '?')} to pass")
    elif s.split.phase != "none":
        print(
            f"split of the legacy partition: {s.split.phase}, copied ids up to "
            f"{s.split.copied_to:,} of {s.split.last_id:,}, {s.split.logged:,} changes to sync"
        )
    return 0


def cmd_partitions_run(args: argparse.Namespace, settings: Settings) -> int:
    async def work(conn: asyncpg.Connection) -> partition_maintenance.Round:
        return await partition_maintenance.run(conn, split_early=args.split_now)

    result = asyncio.run(with_connection(settings, work))
    print(f"partitions made: {', '.join(result.made) or 'none'}")
    return 0


def text_runtime(settings: Settings) -> text.Runtime:
    return text.Runtime(
        settings.text_language_model, settings.text_embedding_model, settings.text_threads
    )


def cmd_text_status(_: argparse.Namespace, settings: Settings) -> int:
    runtime = text_runtime(settings)

    async def work(conn: asyncpg.Connection) -> text.Status:
        return await text.status(conn, runtime)

    s = asyncio.run(with_connection(settings, work))
    waiting = f"{s.waiting:,}" + ("+" if s.waiting >= text.PENDING_CAP else "")
    stale = sum(s.other_versions.values())
    print(f"watermark        {s.watermark:,} (last event id {s.last_id:,})")
    print(f"waiting          {waiting} new comments, {s.changed:,} changed comments")
    rebuild = "none" if s.rebuild_left is None else f"{s.rebuild_left:,} comments left"
    print(f"rebuild          {rebuild}")
    print(f"enriched         {s.insights:,} comments ({stale:,} with an older version)")
    print(f"version          {s.current_version} (pipeline.sentiment model.themes)")
    for v, n in s.other_versions.items():
        print(f"  older version  {v}: {n:,}")
    model = s.model or {}
    by_language = model.get("by_language", {})
    print(
        f"sentiment model  {s.model_id or 'none (no embedding model)'}: "
        f"{model.get('seeds', 0):,} seeds, {model.get('examples', 0):,} scored comments"
        + "".join(f"\n  {lang:<14} {counts}" for lang, counts in by_language.items())
    )
    print(f"examples kept    {s.examples:,} scored comments (retraining uses them)")
    print(f"last enrichment  {s.enriched_at.isoformat() if s.enriched_at else 'never'}")
    return 0


def cmd_text_run(args: argparse.Namespace, settings: Settings) -> int:
    runtime = text_runtime(settings)

    async def work(conn: asyncpg.Connection) -> int:
        return await text.catch_up(conn, runtime, settings.text_batch)

    print(f"text: {asyncio.run(with_connection(settings, work)):,} comments enriched")
    return 0


def cmd_text_rebuild(args: argparse.Namespace, settings: Settings) -> int:
    runtime = text_runtime(settings)

    async def work(conn: asyncpg.Connection) -> tuple[int | None, int]:
        model_id = await text.rebuild(conn, runtime)
        done = 0 if args.background else await text.catch_up(conn, runtime, settings.text_batch)
        return model_id, done

    model_id, done = asyncio.run(with_connection(settings, work))
    print(f"text: sentiment model {model_id or 'none (no embedding model)'} in use")
    if args.background:
        print("text: every comment will be enriched again by the service's worker")
    else:
        print(f"text: {done:,} comments enriched again")
    return 0


def _alert_context(settings: Settings) -> alerts.Context:
    return alerts.Context(settings.default_tz, settings.follow_up_sla, settings.employee_min_n)


def cmd_alerts_run(args: argparse.Namespace, settings: Settings) -> int:
    async def work(conn: asyncpg.Connection) -> alerts.RoundResult:
        return await alerts.run_round(conn, _alert_context(settings))

    result = asyncio.run(with_connection(settings, work))
    if not result.ran:
        print("alerts: another worker is evaluating, or the rules are off; nothing done",
              file=sys.stderr)  # fmt: skip
        return 1
    print(
        f"alerts: {result.series:,} series, {result.tested:,} tests; {result.opened} opened, "
        f"{result.updated} still open, {result.resolved} resolved "
        f"({result.read_seconds:.2f} s reading, {result.seconds:.2f} s in all)"
    )
    return 0


def cmd_alerts_backtest(args: argparse.Namespace, settings: Settings) -> int:
    if args.to < args.from_:
        print("feedback: --to is before --from", file=sys.stderr)
        return 2

    def progress(day: date, opened: int) -> None:
        if args.verbose:
            print(f"{day}: {opened} opened so far", file=sys.stderr)

    async def work(conn: asyncpg.Connection) -> list[dict[str, Any]]:
        return await backtest(conn, _alert_context(settings), args.from_, args.to,
                              progress=progress)  # fmt: skip

    found = asyncio.run(with_connection(settings, work))
    if args.format == "json":
        sys.stdout.write(orjson.dumps(found, option=orjson.OPT_INDENT_2).decode() + "\n")
        return 0
    print(f"{len(found)} alerts would have opened from {args.from_} to {args.to}:")
    for a in found:
        e, scope = a["evidence"], a["scope"]
        within = "".join(f" {k}={v}" for k, v in scope["within"].items())
        where = (
            "chain" if scope["dimension"] == "chain" else f"{scope['dimension']}={scope['value']}"
        )
        closed = f"resolved {a['resolved_at']}" if a["resolved_at"] else "still open"
        change = "" if e["change"] is None else f" change {e['change']:+.2f}"
        print(
            f"#{a['id']} {a['metric']} {a['direction']} at {where}{within}: since {a['since']}, "
            f"opened {a['opened_at']}, {closed};{change} ({e['unit']}), "
            f"n {e['current']['n']} against {e['baseline']['n']}"
        )
    return 0


def cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    from app.demo.generate import Spec
    from app.demo.guide import guide
    from app.demo.service import DemoRefused, fill

    end = args.end or datetime.now(UTC).replace(second=0, microsecond=0)
    spec = Spec(seed=args.seed, end=end, days=args.days, scale=args.scale)
    url = asyncio.run(resolve_database_url(settings))
    migrate(url)  # a newcomer may run it before the first `feedback serve`

    async def work() -> Any:
        engine = create_engine(url, settings)
        try:
            return await fill(
                engine,
                settings,
                spec,
                jobs=args.jobs,
                progress=lambda line: print(f"  {line}", flush=True),
            )
        finally:
            await engine.dispose()

    print(
        f"filling the database with {spec.days} days of demo feedback (seed {spec.seed})...",
        flush=True,
    )
    try:
        filled = asyncio.run(work())
    except DemoRefused as exc:
        print(f"feedback demo: {exc}", file=sys.stderr)
        return 1
    host = "127.0.0.1" if settings.host in ("0.0.0.0", "::") else settings.host
    print(guide(filled, spec, f"http://{host}:{settings.port}"), flush=True)
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="feedback", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="migrate the database, then serve the API")
    serve.add_argument("--host", help="listen address (FEEDBACK_HOST, default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (FEEDBACK_PORT, default 8000)")
    serve.add_argument("--workers", type=int, help="worker processes (FEEDBACK_WORKERS, default 1)")
    serve.set_defaults(run=cmd_serve)

    sub.add_parser("migrate", help="bring the database schema up to date").set_defaults(
        run=cmd_migrate
    )

    key_cmd = sub.add_parser("keys", help="manage API keys").add_subparsers(
        dest="keys", required=True
    )
    create = key_cmd.add_parser("create", help="create a key and print it (once)")
    create.add_argument("--scope", required=True, choices=[s.value for s in Scope])
    create.add_argument("--name", required=True)
    create.add_argument("--location", help="bind the key to one location_id (not an admin key)")
    create.add_argument(
        "--origin",
        action="append",
        help="browser origin allowed to post with it (repeatable); makes it a publishable key",
    )
    create.set_defaults(run=cmd_keys_create)
    listing = key_cmd.add_parser("list", help="list keys (never their secrets)")
    listing.add_argument("--all", action="store_true", help="include revoked keys")
    listing.set_defaults(run=cmd_keys_list)
    revoke = key_cmd.add_parser("revoke", help="revoke a key by id or prefix, at once")
    revoke.add_argument("key", help="the key's id or its prefix (fbk_<scope>_xxxxxxxx)")
    revoke.set_defaults(run=cmd_keys_revoke)

    rollup_cmd = sub.add_parser("rollups", help="the pre-aggregated metrics").add_subparsers(
        dest="rollups", required=True
    )
    rollup_cmd.add_parser("status", help="watermark, pending events and lag").set_defaults(
        run=cmd_rollups_status
    )
    rollup_rebuild = rollup_cmd.add_parser(
        "rebuild",
        help="roll up every event again into new cells and swap them in (answers stay exact)",
    )
    rollup_rebuild.add_argument(
        "--jobs",
        type=int,
        default=1,
        help="connections that build at once (default 1; each keeps a core of the database busy)",
    )
    rollup_rebuild.set_defaults(run=cmd_rollups_rebuild)

    retention_cmd = sub.add_parser(
        "retention", help="remove old comments and contact data"
    ).add_subparsers(dest="retention", required=True)
    retention_run = retention_cmd.add_parser(
        "run", help="remove comments, contacts and case notes older than the limit, now"
    )
    retention_run.add_argument(
        "--days", type=int, help="the limit in days (default FEEDBACK_RETENTION_DAYS)"
    )
    retention_run.add_argument(
        "--months",
        type=int,
        help="whole months of events kept (default FEEDBACK_EVENT_RETENTION_MONTHS)",
    )
    retention_run.set_defaults(run=cmd_retention_run)

    partitions_cmd = sub.add_parser(
        "partitions", help="the monthly partitions of the events"
    ).add_subparsers(dest="partitions", required=True)
    partitions_cmd.add_parser(
        "status", help="every partition, its range and rows, and a split in progress"
    ).set_defaults(run=cmd_partitions_status)
    partitions_run = partitions_cmd.add_parser(
        "run",
        help="make the coming months' partitions and finish the split of a migrated table, now",
    )
    partitions_run.add_argument(
        "--split-now",
        action="store_true",
        help="split the legacy partition before its boundary has passed (it then copies "
        "today's events again as they come: for a quiet service)",
    )
    partitions_run.set_defaults(run=cmd_partitions_run)

    text_cmd = sub.add_parser(
        "text", help="comment analytics: language, sentiment, themes"
    ).add_subparsers(dest="text", required=True)
    text_cmd.add_parser(
        "status", help="watermark, waiting comments, versions, the sentiment model"
    ).set_defaults(run=cmd_text_status)
    text_cmd.add_parser("run", help="enrich the waiting comments now").set_defaults(
        run=cmd_text_run
    )
    text_rebuild = text_cmd.add_parser(
        "rebuild",
        help="retrain the sentiment model on the scored comments, then enrich every comment "
        "again (themes or models changed)",
    )
    text_rebuild.add_argument(
        "--background", action="store_true",
        help="only start it: the service's worker enriches the comments again",
    )  # fmt: skip
    text_rebuild.set_defaults(run=cmd_text_rebuild)
    alert_cmd = sub.add_parser("alerts", help="statistical alerts").add_subparsers(
        dest="alerts", required=True
    )
    alert_cmd.add_parser("run", help="evaluate the alerts now (one round)").set_defaults(
        run=cmd_alerts_run
    )
    replay = alert_cmd.add_parser(
        "backtest",
        help="replay the detector over stored history, day by day as of each day's end, and "
        "print every alert it would have opened (nothing is stored)",
    )
    replay.add_argument("--from", dest="from_", type=date.fromisoformat, required=True,
                        help="first local day replayed (YYYY-MM-DD)")  # fmt: skip
    replay.add_argument("--to", type=date.fromisoformat, required=True,
                        help="last local day replayed (YYYY-MM-DD)")  # fmt: skip
    replay.add_argument("--format", choices=("text", "json"), default="text",
                        help="json: the alerts as GET /v1/alerts shows them")  # fmt: skip
    replay.add_argument("--verbose", action="store_true", help="a line per day on stderr")
    replay.set_defaults(run=cmd_alerts_backtest)

    demo = sub.add_parser(
        "demo", help="fill an empty database with a made-up chain's feedback, to try the service"
    )
    demo.add_argument("--seed", type=int, default=1, help="same seed, same data (default 1)")
    demo.add_argument("--days", type=int, default=180, help="days of feedback (default 180)")
    demo.add_argument(
        "--scale", type=float, default=1.0, help="volume, 1 = about 120,000 events (default 1)"
    )
    demo.add_argument(
        "--end",
        type=datetime.fromisoformat,
        help="when the data ends, ISO 8601 with offset (default now); fixes the data in time",
    )
    demo.add_argument(
        "--jobs",
        type=int,
        default=min(4, os.cpu_count() or 1),
        help="processes generating events (default: the cores, at most 4)",
    )
    demo.set_defaults(run=cmd_demo)

    add_import_command(sub)
    add_db_command(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    settings = get_settings()
    try:
        return int(args.run(args, settings))
    except (ValueError, EmbeddedUnavailableError) as exc:  # ValidationError is a ValueError
        print(f"feedback: {exc}", file=sys.stderr)
        return 2
    except DatabaseToolError as exc:
        print(f"feedback: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
