"""`feedback import FILE`: the command line of the import (README, "Importing past surveys")."""

import argparse
import asyncio
import contextlib
import sys
from datetime import timedelta
from pathlib import Path

import asyncpg
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from app.db import libpq_url, resolve_database_url
from app.imports import service
from app.imports.mapping import load_spec
from app.settings import Settings

# What a lost, refused or failing database connection raises (ConnectionError and
# TimeoutError are OSErrors).
DATABASE_ERRORS = (asyncpg.PostgresError, asyncpg.InterfaceError, OSError)


class Aborted(Exception):
    """The database failed after the import began: committed batches stay stored."""


def _said(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


class RowsColumn(ProgressColumn):
    """Rows read and rows per second (the ETA comes from bytes, known from the start)."""

    def render(self, task: Task) -> Text:
        rows = int(task.fields.get("rows", 0))
        elapsed = task.elapsed or 0.0
        rate = f"{rows / elapsed:,.0f} rows/s" if elapsed > 0 else "- rows/s"
        return Text(f"{rows:,} rows  {rate}")


def add_import_command(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    p = sub.add_parser(
        "import",
        help="load past survey exports (CSV or NDJSON) as feedback events",
        description="Load a past survey export through the API's validation and idempotency. "
        "Rejected rows go to FILE.rejects.csv with their line and reason. Exit status: 0 all "
        "rows stored or already stored, 1 some rows rejected, 2 the command, mapping, file or "
        "database is wrong (nothing stored), 3 the database failed during the import (the "
        "batches stored so far stay stored; run the same command again).",
    )
    p.add_argument("file", type=Path, help="the export, .csv or .ndjson/.jsonl")
    p.add_argument("--mapping", type=Path, help="mapping file (TOML; README for the format)")
    p.add_argument(
        "--map", action="append", default=[], metavar="FIELD=COLUMN",
        help="fill an event field from a column (repeatable), e.g. nps=Q1_recommend; columns "
        "named exactly like a field (or as the service's export names it) need none",
    )  # fmt: skip
    p.add_argument(
        "--ignore", action="append", default=[], metavar="COLUMN",
        help="never map this column by its name (repeatable), e.g. a column 'NPS' on "
        "another scale you leave out",
    )  # fmt: skip
    p.add_argument(
        "--set", action="append", default=[], metavar="FIELD=VALUE",
        help="a constant for every row (repeatable), e.g. channel=email",
    )  # fmt: skip
    p.add_argument(
        "--scale", action="append", default=[], metavar="FIELD=FROM..TO:FROM..TO[:half-up]",
        help="a score column on another scale, mapped linearly, e.g. nps=1..10:0..10:half-up",
    )  # fmt: skip
    p.add_argument("--format", choices=["csv", "ndjson"], help="default: from the file suffix")
    p.add_argument("--delimiter", help="CSV field separator (default ,)")
    p.add_argument("--encoding", help="file encoding (default utf-8; a BOM is skipped)")
    p.add_argument(
        "--timezone", help="IANA zone of timestamps without a UTC offset (never assumed)"
    )
    p.add_argument(
        "--timestamp-format",
        help="strptime format of occurred_at, or 'unix' (default ISO 8601)",
    )
    p.add_argument(
        "--source",
        help="name in derived event_ids, import:<source>:<record> (default: the file's name)",
    )
    p.add_argument("--rejects", type=Path, help="report path (default FILE.rejects.csv)")
    p.add_argument(
        "--batch-size", type=int, default=service.DEFAULT_BATCH,
        help=f"rows per transaction (default {service.DEFAULT_BATCH})",
    )  # fmt: skip
    p.add_argument(
        "--connections", type=int, default=2,
        help="batches stored at once when event_ids are derived (default 2)",
    )  # fmt: skip
    p.add_argument(
        "--dry-run", action="store_true",
        help="validate everything and write the report; store nothing",
    )  # fmt: skip
    p.add_argument(
        "--no-follow-ups", dest="follow_ups", action="store_false",
        help="open no follow-up cases for these rows (history: nobody will call back now)",
    )  # fmt: skip
    p.add_argument(
        "--no-webhooks", dest="webhooks", action="store_false",
        help="queue no webhook messages for these rows or their cases",
    )  # fmt: skip
    p.set_defaults(run=cmd_import)


def cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    path: Path = args.file
    if not path.is_file():
        raise ValueError(f"no such file: {path}")
    if not 1 <= args.batch_size <= 10_000:
        raise ValueError("--batch-size is 1..10000")
    if not 1 <= args.connections <= 8:
        raise ValueError("--connections is 1..8")
    spec = load_spec(
        args.mapping,
        maps=args.map,
        sets=args.set,
        scales=args.scale,
        ignore=args.ignore,
        overrides={
            "format": args.format,
            "delimiter": args.delimiter,
            "encoding": args.encoding,
            "timezone": args.timezone,
            "timestamp_format": args.timestamp_format,
            "source": args.source,
        },
    )
    options = service.ImportOptions(
        source=service.check_source(spec.source or path.name),
        dry_run=args.dry_run,
        batch_size=args.batch_size,
        max_future=timedelta(seconds=settings.max_future_skew_seconds),
        rejects_file=args.rejects,
        follow_ups=args.follow_ups,
        webhooks=args.webhooks,
    )
    console = Console()
    bar = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        DownloadColumn(),
        RowsColumn(),
        TimeRemainingColumn(),
        console=console,
        disable=not console.is_terminal,  # quiet in scripts, pipes and logs
    )
    task = bar.add_task("dry run" if args.dry_run else "import", total=path.stat().st_size)

    def advance(summary: service.Summary) -> None:
        bar.update(task, completed=summary.bytes_read, rows=summary.read)

    async def work() -> service.Summary:
        url = libpq_url(await resolve_database_url(settings))
        conns: list[asyncpg.Connection] = []
        try:
            try:
                for _ in range(args.connections):
                    conns.append(await asyncpg.connect(url))
            except DATABASE_ERRORS as exc:  # nothing was read or stored
                raise ValueError(f"cannot connect to the database: {_said(exc)}") from exc
            try:
                return await service.run(conns[0], path, spec, options, advance, more=conns[1:])
            except (asyncpg.PostgresError, asyncpg.InterfaceError, ConnectionError) as exc:
                raise Aborted(_said(exc)) from exc
        finally:
            for conn in conns:
                with contextlib.suppress(*DATABASE_ERRORS):
                    await conn.close()

    service.tune_interpreter()
    try:
        with bar:
            summary = asyncio.run(work())
    except Aborted as exc:
        print(
            f"feedback: import aborted, the database failed: {exc}; the rows stored so far "
            "stay stored: run the same command again to continue",
            file=sys.stderr,
        )
        return 3
    except OSError as exc:  # the file or the report cannot be read or written
        raise ValueError(str(exc)) from exc
    rate = summary.read / summary.seconds if summary.seconds else 0.0
    if summary.by_name:
        named = (c if c == f else f"{c} ({f})" for c, f in summary.by_name.items())
        print(f"mapped by name  {', '.join(named)}")
    for column, why in summary.not_imported.items():
        if column == "has_contact" and summary.contacts_left_out:
            why += f" ({summary.contacts_left_out:,} of the rows had contact data)"
        print(f"not imported    {column}: {why}")
    print(
        f"read            {summary.read:,} rows ({summary.bytes_read / 1e6:,.1f} MB) "
        f"in {summary.seconds:.1f} s, {rate:,.0f} rows/s"
    )
    print(f"{'would store' if args.dry_run else 'stored':16}{summary.stored:,} new events")
    print(f"already stored  {summary.already_stored:,}")
    print(f"rejected        {summary.rejected:,} (report: {summary.rejects_file})")
    if args.dry_run:
        print("dry run: nothing was stored")
    return 1 if summary.rejected else 0
