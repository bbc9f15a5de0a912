"""The import run: records -> the API's event schema -> the batch ingest statement.

Every row goes through what a `POST /v1/feedback/batch` item goes through:
`FeedbackIn` validation, `prepare()` (the server's rules and the idempotency
fingerprint) and `store()` (the one set-based statement that writes the ledger,
events, contacts, follow-up cases and webhook messages), so an imported event is
indistinguishable from one posted then, except that no API key posted it
(`source` is null). Batches are prepared in a worker thread while the previous
batch is being stored, so parsing and PostgreSQL work at the same time. Which column
fills which field is settled from the header (NDJSON: the first batch's keys) before
anything is written: the declared mapping, then the columns named like fields
(`columns.resolve`).
"""

import asyncio
import contextlib
import csv
import gc
import itertools
import sys
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, Any

import asyncpg
from pydantic import ValidationError

from app.errors import AppError
from app.feedback.schemas import FeedbackIn
from app.feedback.store import LEDGER_SQL
from app.imports.columns import Resolution, resolve
from app.imports.mapping import SCORES, ImportSpec, RowError, RowMapper
from app.imports.reading import Progress, Record, detect_format, printable, read_csv, read_ndjson
from app.ingest.normalize import Prepared, prepare
from app.ingest.statement import (
    Outcome,
    Stored,
    first_of_each,
    repeat_outcome,
    store,
)

DEFAULT_BATCH = 2000  # rows per statement (and transaction); see docs/benchmarks.md, "Import"
MAX_ID_LENGTH = 128
REPORT_COLUMNS = ("line", "record", "event_id", "field", "reason", "row")


def derived_event_id(source: str, number: int) -> str:
    """The event_id of a record whose mapping gives none: the source name and the
    record's ordinal, so importing the same file under the same source again finds
    the same ids and stores nothing twice."""
    return f"import:{source}:{number}"


def check_source(source: str) -> str:
    longest = derived_event_id(source, 10**9)
    if not source or len(longest) > MAX_ID_LENGTH or not source.isprintable():
        raise ValueError(
            f"--source must be printable and at most {MAX_ID_LENGTH - len(longest) + len(source)} "
            f"characters (it becomes part of every derived event_id), got {source!r}"
        )
    return source


def report_path(path: Path) -> Path:
    return path.with_name(path.name + ".rejects.csv")


@dataclass(frozen=True, slots=True)
class Reject:
    line: int
    record: int
    event_id: str | None
    field: str
    reason: str
    raw: str

    def cells(self) -> list[str | int]:
        raw = printable(self.raw).removesuffix("\n").removesuffix("\r")
        return [self.line, self.record, self.event_id or "", self.field, self.reason, raw]


@dataclass(slots=True)
class Batch:
    items: list[tuple[Record, Prepared]]
    rejects: list[Reject]
    rows: int
    bytes_read: int
    contacts_left_out: int = 0  # rows of an export whose event had contact data


@dataclass(slots=True)
class Summary:
    read: int = 0
    stored: int = 0  # new events (in a dry run: that would be new)
    already_stored: int = 0  # identical to an event stored before (or erased since)
    rejected: int = 0
    bytes_read: int = 0
    seconds: float = 0.0
    rejects_file: Path | None = None
    by_name: dict[str, str] = field(default_factory=dict)  # column -> field, by its name
    not_imported: dict[str, str] = field(default_factory=dict)  # column -> why not
    contacts_left_out: int = 0  # imported rows whose exported event had contact data


@dataclass(frozen=True, slots=True)
class ImportOptions:
    source: str
    dry_run: bool = False
    batch_size: int = DEFAULT_BATCH
    max_future: timedelta = timedelta(minutes=5)
    rejects_file: Path | None = None  # default: beside the file
    follow_ups: bool = True  # the enabled rules open cases, as for posted events
    webhooks: bool = True  # enabled subscriptions get their messages, as for posted events


class Preparer:
    """Source records -> prepared events or rejects; pure CPU, runs in a worker thread."""

    def __init__(self, resolution: Resolution, options: ImportOptions) -> None:
        self.resolution = resolution
        self.spec = spec = resolution.spec
        self.options = options
        self.mapper = RowMapper(spec)
        self.derive_ids = "event_id" not in spec.columns and "event_id" not in spec.constants
        # NDJSON: keys the first batch did not have are looked at (columns.Resolution.late).
        self.known = resolution.names if resolution.nested else None
        self.has_contact = "has_contact" in resolution.not_imported

    def batches(self, records: Iterator[Record], progress: Progress) -> Iterator[Batch]:
        size = self.options.batch_size
        while True:
            received_at = datetime.now(UTC)
            batch = Batch([], [], 0, 0)
            for record in records:
                batch.rows += 1
                outcome = self.one(record, received_at)
                if isinstance(outcome, Reject):
                    batch.rejects.append(outcome)
                else:
                    batch.items.append((record, outcome))
                    if self.has_contact and record.values is not None:
                        batch.contacts_left_out += _true(record.values.get("has_contact"))
                if batch.rows == size:
                    break
            batch.bytes_read = progress.bytes_read
            if not batch.rows:
                return
            yield batch

    def one(self, record: Record, received_at: datetime) -> Prepared | Reject:
        if record.values is None:
            return Reject(record.line, record.number, None, "row", record.error or "", record.raw)
        if (
            self.known is not None
            and (new := record.values.keys() - self.known)
            and (why := self.resolution.late(sorted(new))) is not None
        ):
            return Reject(record.line, record.number, None, "row", why, record.raw)
        try:
            event = self.mapper.event(record.values)
        except RowError as exc:
            given = record.values.get(self.spec.columns.get("event_id", ""))
            event_id = self._derived(record) if self.derive_ids else given
            return Reject(
                record.line, record.number, str(event_id) if event_id is not None else None,
                exc.field, exc.reason, record.raw,
            )  # fmt: skip
        if self.derive_ids:
            event["event_id"] = self._derived(record)
        elif "event_id" not in event:
            # prepare() would give it a random id: every re-run would store the row again.
            column = self.spec.columns["event_id"]
            return Reject(
                record.line, record.number, None, f"event_id (column {column!r})",
                "the event_id column is empty: a row without its id cannot be imported "
                "idempotently",
                record.raw,
            )  # fmt: skip
        event_id = event.get("event_id") if isinstance(event.get("event_id"), str) else None
        try:
            return prepare(
                FeedbackIn.model_validate(event),
                key_id=None,  # no API key posted it: `source` is null (README)
                key_location_id=None,
                received_at=received_at,
                max_future=self.options.max_future,
            )
        except ValidationError as exc:
            where, why = self._describe(exc.errors())
        except AppError as exc:
            where, why = self._describe(
                [{"loc": e.loc[1:], "msg": e.message, "type": e.type} for e in exc.errors or ()]
                or [{"loc": (), "msg": exc.detail or exc.title, "type": exc.slug}]
            )
        return Reject(record.line, record.number, event_id, where, why, record.raw)

    def _derived(self, record: Record) -> str:
        return derived_event_id(self.options.source, record.number)

    def _describe(self, errors: list[Any]) -> tuple[str, str]:
        """The fields (with their source columns) and the reasons, as the report says them."""
        fields, reasons = [], []
        for error in errors:
            name = ".".join(str(p) for p in error["loc"]) or "event"
            top = ".".join(str(p) for p in error["loc"][:3] if isinstance(p, str))
            column = self.spec.columns.get(top)
            label = f"{name} (column {column!r})" if column else name
            reason = str(error["msg"])
            if (
                top in SCORES
                and error["type"] in ("less_than_equal", "greater_than_equal")
                and top not in self.spec.scales
                and top not in self.spec.values
            ):
                low, high = SCORES[top]
                reason += (
                    f" (no scale map is declared, so the column must be on {low}..{high}; "
                    f"declare [scales.{top}] or [values.{top}] if it is not)"
                )
            fields.append(label)
            reasons.append(f"{label}: {reason}" if len(errors) > 1 else reason)
        return "; ".join(dict.fromkeys(fields)), "; ".join(reasons)


def _true(value: Any) -> bool:
    return value is True or value == "true"


def open_records(
    stream: IO[bytes], path: Path, spec: ImportSpec, progress: Progress, first: int
) -> tuple[Resolution, Iterator[Record]]:
    """The mapping to import with (`columns.resolve`) and the file's records; raises
    ValueError when a mapped or ignored CSV column is not in the header, or such an
    NDJSON key is in none of the `first` records (the first batch): a misspelt key
    would otherwise leave its field out of every event, unnoticed."""
    named = [*spec.columns.values(), *spec.ignore]
    if detect_format(path, spec.format) == "ndjson":
        records = read_ndjson(stream, encoding=spec.encoding, progress=progress)
        head = list(itertools.islice(records, first))
        keys = list(dict.fromkeys(k for r in head if r.values is not None for k in r.values))
        if keys:  # else no record could be read: each is reported
            absent = [c for c in named if c not in keys]
            if absent:
                raise ValueError(
                    f"keys in none of the first {len(head):,} records: {absent}; "
                    f"they have {sorted(keys)[:50]}"
                )
        return resolve(spec, keys, nested=True), itertools.chain(head, records)
    header, records = read_csv(
        stream, encoding=spec.encoding, delimiter=spec.delimiter, progress=progress
    )
    absent = [c for c in named if c not in header]
    if absent:
        raise ValueError(f"columns not in the header: {absent}; the header has {header}")
    return resolve(spec, header, nested=False), records


def tune_interpreter() -> None:
    """Settings for a process whose main work is an import (`feedback import`, the bench).

    - The import allocates a few million short-lived objects; the collector's default
      thresholds make it sweep the whole heap over and over. Larger ones: 15 % less CPU
      per row in the reading and validation thread (median of 3 A/B runs, 50,000 rows).
    - The validation thread holds the GIL while the event loop has a statement of about
      a megabyte to send. Over a Unix socket (the embedded server) the kernel takes it in
      pieces of ~200 KB, and the loop waits up to the switch interval (5 ms by default)
      for the GIL before sending each next piece, while the backend idles. A 0.5 ms
      interval: 28,700 instead of 23,500 rows/s on the embedded server, the same CPU per
      row (docs/benchmarks.md, "Import").
    """
    gc.freeze()
    gc.set_threshold(50_000, 20, 1000)
    sys.setswitchinterval(0.0005)


SCHEMA_SQL = "SELECT to_regclass('feedback_event_ids') IS NOT NULL"


async def run(
    conn: asyncpg.Connection,
    path: Path,
    spec: ImportSpec,
    options: ImportOptions,
    on_batch: Callable[[Summary], None] = lambda _: None,
    more: Sequence[asyncpg.Connection] = (),
) -> Summary:
    """Import `path`; rejects go to the report file (header only when there are none).

    With `more` connections, that many more batches are stored at once when the ids
    are derived (they cannot repeat across batches, so the order in which concurrent
    batches commit changes nothing); mapped ids and dry runs use `conn` alone, so a
    repeated id is always judged against the rows before it in the file.
    """
    if not await conn.fetchval(SCHEMA_SQL):
        raise ValueError("the database has no schema yet: run `feedback migrate` first")
    rejects_file = options.rejects_file or report_path(path)
    progress = Progress()
    with path.open("rb") as stream:
        # The header (NDJSON: the first batch's keys) checked before any write.
        resolution, records = open_records(stream, path, spec, progress, options.batch_size)
        summary = Summary(
            rejects_file=rejects_file,
            by_name={column: name for name, column in resolution.by_name.items()},
            not_imported=resolution.not_imported,
        )
        preparer = Preparer(resolution, options)
        conns = [conn, *more] if preparer.derive_ids and not options.dry_run else [conn]
        batches = preparer.batches(records, progress)
        with rejects_file.open("w", newline="", encoding="utf-8") as report:
            await _run(conns, batches, csv.writer(report), options, summary, on_batch)
    return summary


async def _run(
    conns: Sequence[asyncpg.Connection],
    batches: Iterator[Batch],
    report: Any,
    options: ImportOptions,
    summary: Summary,
    on_batch: Callable[[Summary], None],
) -> None:
    loop = asyncio.get_running_loop()
    started = loop.time()
    seen: dict[str, bytes] = {}  # dry run: the fingerprints this run would have stored
    report.writerow(REPORT_COLUMNS)
    stored: deque[tuple[Batch, asyncio.Future[list[Reject]]]] = deque()

    def finish(batch: Batch, rejects: list[Reject]) -> None:
        rejects = sorted(batch.rejects + rejects, key=lambda r: r.record)
        report.writerows(r.cells() for r in rejects)
        summary.read += batch.rows
        summary.rejected += len(rejects)
        summary.contacts_left_out += batch.contacts_left_out
        summary.bytes_read = batch.bytes_read
        summary.seconds = loop.time() - started
        on_batch(summary)

    pending = asyncio.ensure_future(asyncio.to_thread(next, batches, None))
    try:
        number = 0
        while (batch := await pending) is not None:
            # The next batch is read and validated in the thread while this one is stored.
            pending = asyncio.ensure_future(asyncio.to_thread(next, batches, None))
            if len(stored) == len(conns):  # every connection busy: wait for the oldest
                finish(*(await _done(stored.popleft())))
            conn = conns[number % len(conns)]  # the one the oldest batch just freed
            number += 1
            work = (
                _check(conn, batch.items, seen, summary)
                if options.dry_run
                else _store(conn, batch.items, summary, options)
            )
            stored.append((batch, asyncio.ensure_future(work)))
        while stored:
            finish(*(await _done(stored.popleft())))
    finally:
        # Storing failed (the database went away): let the thread finish its batch
        # before the file is closed under it, and the other statements end.
        for _, task in stored:
            with contextlib.suppress(Exception):
                await task
        with contextlib.suppress(Exception):
            await pending


async def _done(
    item: tuple[Batch, "asyncio.Future[list[Reject]]"],
) -> tuple[Batch, list[Reject]]:
    return item[0], await item[1]


def _conflict(record: Record, event_id: str) -> Reject:
    return Reject(
        record.line, record.number, event_id, "event_id",
        f"event_id {event_id!r} is already stored with different content "
        "(a different event, or this row was changed since it was imported)",
        record.raw,
    )  # fmt: skip


async def _store(
    conn: asyncpg.Connection,
    items: list[tuple[Record, Prepared]],
    summary: Summary,
    options: ImportOptions,
) -> list[Reject]:
    """The batch route's path: first of each event_id stored in one statement, repeats
    within the batch compared with what is then stored."""
    first, repeats = first_of_each([(i, p) for i, (_, p) in enumerate(items)])
    stored = await store(
        conn,
        [p for _, p in first.values()],
        follow_ups=options.follow_ups,
        webhooks=options.webhooks,
    )
    rejects = []
    outcomes = [(i, stored[e].outcome) for e, (i, _) in first.items()]
    outcomes += [(i, repeat_outcome(p, stored[p.event_id])) for i, p in repeats]
    for index, outcome in outcomes:
        if outcome is Outcome.accepted:
            summary.stored += 1
        elif outcome is Outcome.conflict:
            rejects.append(_conflict(items[index][0], items[index][1].event_id))
        else:  # duplicate, or erased at the respondent's request: never stored again
            summary.already_stored += 1
    return rejects


async def _check(
    conn: asyncpg.Connection,
    items: list[tuple[Record, Prepared]],
    seen: dict[str, bytes],
    summary: Summary,
) -> list[Reject]:
    """A dry run's verdicts, from one ledger lookup per batch; nothing is written."""
    ledger = await conn.fetch(LEDGER_SQL, [p.event_id for _, p in items])
    stored: dict[str, bytes | None] = {
        r["event_id"]: None if r["body_hash"] is None else bytes(r["body_hash"]) for r in ledger
    }
    rejects = []
    for record, p in items:
        if p.event_id in stored:
            earlier: bytes | None = stored[p.event_id]
        elif p.event_id in seen:
            earlier = seen[p.event_id]
        else:
            seen[p.event_id] = p.body_hash
            summary.stored += 1
            continue
        if repeat_outcome(p, Stored(Outcome.duplicate, earlier)) is Outcome.conflict:
            rejects.append(_conflict(record, p.event_id))
        else:
            summary.already_stored += 1
    return rejects
