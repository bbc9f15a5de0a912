"""How fast `feedback import` loads a survey export, rows/s.

    python -m bench.imports [--rows 200000] [--rounds 3] [--batch-size 2000]

Generates a CSV export of `--rows` rows in a temporary directory (never committed;
deleted at the end): a 1-10 "recommend" column mapped onto NPS by a declared linear
scale, CSAT as text labels through a value map, local timestamps without offset
(declared zone), branch, employee, segment, tags, a comment on a third of the rows,
one multi-line. Then, alternating between the targets, each round imports it into a
fresh migrated database (every row new) and imports it again (every row already
stored), through `app.imports.service.run`, which is all of `feedback import` but
argument parsing and the progress bar. Targets: the embedded PostgreSQL
(.data/bench) and, when FEEDBACK_BENCH_DATABASE_URL is set, that server.
Two connections, as `feedback import` uses by default. Reports the median rows/s of
each, and the CPU time per row of this process and of the PostgreSQL backends serving
it: on a machine that other work keeps busy, those say more than rows/s.
"""

import argparse
import asyncio
import csv
import os
import random
import secrets
import statistics
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import asyncpg
from sqlalchemy.engine import URL

from app import embedded
from app.cli import migrate
from app.db import asyncpg_url, libpq_url
from app.imports import service
from app.imports.mapping import ImportSpec, load_spec
from bench.events import COMMENTS, SEGMENTS, TAGS
from bench.ingest import EMBEDDED_DIR, _ticks

CONNECTIONS = 2  # as `feedback import` (--connections)
LABELS = ("Very dissatisfied", "Dissatisfied", "Neutral", "Satisfied", "Very satisfied")
MAPPING = """
timezone = "Europe/Vienna"
timestamp_format = "%d.%m.%Y %H:%M"

[fields]
occurred_at = "Submitted"
nps = "Recommend (1-10)"
csat = "Satisfaction"
comment = "Comment"
location_id = "Store"
employee_id = "Served by"
"respondent.id" = "Customer"
"respondent.segment" = "Tier"
tags = "Topics"
"attributes.survey" = "Survey"

[set]
channel = "email"
touchpoint = "checkout"

[scales.nps]
from = [1, 10]
to = [0, 10]
round = "half-up"

[values.csat]
"Very dissatisfied" = 1
"Dissatisfied" = 2
"Neutral" = 3
"Satisfied" = 4
"Very satisfied" = 5
"""


def write_export(path: Path, rows: int) -> None:
    rng = random.Random(6)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    vienna = ZoneInfo("Europe/Vienna")  # written as local wall-clock times, as exports have them
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(
            [
                "Submitted", "Recommend (1-10)", "Satisfaction", "Comment", "Store",
                "Served by", "Customer", "Tier", "Topics", "Survey",
            ]
        )  # fmt: skip
        for i in range(rows):
            when = (start + timedelta(minutes=rng.randint(0, 2 * 365 * 24 * 60))).astimezone(vienna)
            comment = rng.choice(COMMENTS) if rng.random() < 0.33 else ""
            if i % 1000 == 0:
                comment = "Two lines:\nthe second one."
            out.writerow(
                [
                    when.strftime("%d.%m.%Y %H:%M"),
                    rng.randint(1, 10),
                    rng.choice(LABELS) if rng.random() < 0.7 else "",
                    comment,
                    f"store-{rng.randint(1, 120):03d}",
                    f"emp-{rng.randint(1000, 1999)}" if rng.random() < 0.6 else "",
                    f"crm-{rng.randint(1, 10**6)}" if rng.random() < 0.5 else "",
                    rng.choice(SEGMENTS),
                    ",".join(rng.sample(TAGS, rng.randint(0, 2))),
                    "post-purchase-2024",
                ]
            )


@dataclass
class Measured:
    rows_per_s: float
    python_us: float  # CPU of this process (reading, validating, the client side) per row
    backend_us: float  # CPU of the PostgreSQL backends serving the import, per row


async def import_once(
    url: URL, path: Path, spec: ImportSpec, batch: int
) -> tuple[service.Summary, Measured]:
    conns = [await asyncpg.connect(libpq_url(url)) for _ in range(CONNECTIONS)]
    try:
        backends = [await c.fetchval("SELECT pg_backend_pid()") for c in conns]
        options = service.ImportOptions(
            source="bench", batch_size=batch, rejects_file=path.with_suffix(".rejects.csv")
        )
        cpu, pg = time.process_time(), sum(map(_ticks, backends))
        summary = await service.run(conns[0], path, spec, options, more=conns[1:])
        cpu, pg = time.process_time() - cpu, sum(map(_ticks, backends)) - pg
    finally:
        for c in conns:
            await c.close()
    rows = summary.read
    return summary, Measured(rows / summary.seconds, 1e6 * cpu / rows, 1e6 * pg / rows)


async def run(rows: int, rounds: int, batch: int) -> None:
    targets: dict[str, tuple[str, URL]] = {}
    admin = await asyncio.to_thread(embedded.start_embedded, EMBEDDED_DIR)
    targets["embedded"] = (admin, asyncpg_url(embedded.socket_url(admin, "x")))
    if given := os.environ.get("FEEDBACK_BENCH_DATABASE_URL"):
        targets["FEEDBACK_BENCH_DATABASE_URL"] = (libpq_url(asyncpg_url(given)), asyncpg_url(given))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "export.csv"
        write_export(path, rows)
        mapping = Path(tmp) / "mapping.toml"
        mapping.write_text(MAPPING)
        spec = load_spec(mapping)
        print(f"{rows:,} rows, {path.stat().st_size / 1e6:.1f} MB; batches of {batch}")
        fresh: dict[str, list[Measured]] = {t: [] for t in targets}
        again: dict[str, list[Measured]] = {t: [] for t in targets}
        for r in range(rounds):
            for target, (admin_url, base) in targets.items():
                name = f"feedback_bench_{secrets.token_hex(4)}"
                admin_conn = await asyncpg.connect(admin_url)
                await admin_conn.execute(f'CREATE DATABASE "{name}"')
                try:
                    url = base.set(database=name)
                    await asyncio.to_thread(migrate, url)
                    load = os.getloadavg()[0]
                    first, new = await import_once(url, path, spec, batch)
                    second, old = await import_once(url, path, spec, batch)
                    if first.stored != rows or second.already_stored != rows:
                        raise AssertionError(f"not every row was stored once: {first}, {second}")
                finally:
                    await admin_conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                    await admin_conn.close()
                fresh[target].append(new)
                again[target].append(old)
                print(
                    f"round {r + 1} {target} (load average {load:.1f}): new {_show(new)}; "
                    f"again {_show(old)}"
                )
    print(f"\nmedians of {rounds} rounds, {rows:,} rows:")
    print("| target | import | rows/s | Python CPU µs/row | PostgreSQL backends CPU µs/row |")
    print("| --- | --- | ---: | ---: | ---: |")
    for target in targets:
        for label, runs in (("new rows", fresh[target]), ("again (all stored)", again[target])):
            print(
                f"| {target} | {label} | {statistics.median(m.rows_per_s for m in runs):,.0f} | "
                f"{statistics.median(m.python_us for m in runs):.1f} | "
                f"{statistics.median(m.backend_us for m in runs):.1f} |"
            )


def _show(m: Measured) -> str:
    return f"{m.rows_per_s:,.0f} rows/s, CPU {m.python_us:.1f} + {m.backend_us:.1f} µs/row"


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--rows", type=int, default=200_000, help="rows in the export (200,000)")
    p.add_argument("--rounds", type=int, default=3, help="rounds per target (3)")
    p.add_argument("--batch-size", type=int, default=service.DEFAULT_BATCH)
    args = p.parse_args()
    service.tune_interpreter()  # as `feedback import` does
    asyncio.run(run(args.rows, args.rounds, args.batch_size))


if __name__ == "__main__":
    main()
