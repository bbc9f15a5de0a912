"""Pages of `GET /v1/feedback` with and without `q`, timed through the service's own query.

    python -m bench.metrics_data --events 1000000 --migrate --database-url URL
    python -m bench.event_search --database-url URL

The generated data has ten distinct comments; this plants two more, rarer ones
(200 and 3,000 events, chosen by a seeded sample) so that searches of every
frequency are timed: a word in no comment, in 0.02 % and 0.3 % of the events,
in 2-10 %, two words that always occur together, and no search at all. Each
is timed as the median of several calls, first page and the page after it.
"""

import argparse
import asyncio
import os
import statistics
import time

import asyncpg
import orjson

from app.db import asyncpg_url, libpq_url
from app.feedback import service
from app.selection.filters import Selection

PLANTED = (("My bicycle was stolen in front of the store", 200),
           ("Очень долгая очередь на кассе", 3000))  # fmt: skip
SEARCHES = ("zzzqqq", "bicycle", "очередь", "warranty", "app", "delivery damaged", None)


async def run(url: str, repeat: int) -> None:
    conn = await asyncpg.connect(url)
    await conn.set_type_codec(
        "jsonb", encoder=lambda v: orjson.dumps(v).decode(), decoder=orjson.loads,
        schema="pg_catalog",
    )  # fmt: skip
    await conn.execute("SELECT setseed(0.5)")
    for text, count in PLANTED:
        if await conn.fetchval("SELECT count(*) FROM feedback_events WHERE comment = $1", text):
            continue  # planted by an earlier run
        await conn.execute(
            "UPDATE feedback_events SET comment = $1 WHERE id IN (SELECT id FROM feedback_events"
            " WHERE comment IS NOT NULL AND comment <> ALL($2::text[]) ORDER BY random() LIMIT $3)",
            text, [t for t, _ in PLANTED], count,
        )  # fmt: skip
    await conn.execute("VACUUM ANALYZE feedback_events")
    first, last = await conn.fetchrow(
        "SELECT min(occurred_at), max(occurred_at) FROM feedback_events"
    )
    window = Selection(start=first, end=last, tz="UTC")
    total = await conn.fetchval("SELECT count(*) FROM feedback_events")
    print(f"{total:,} events, window {first:%Y-%m-%d} to {last:%Y-%m-%d}, pages of 100")
    print("| q | matching events | first page ms | next page ms |\n| --- | ---: | ---: | ---: |")
    for q in SEARCHES:
        query = service.EventQuery(terms=service.search_terms(q or ""))
        firsts, nexts = [], []
        for _ in range(repeat):
            start = time.perf_counter()
            _, cursor = await service.list_events(conn, window, query, limit=100, cursor=None)
            firsts.append(time.perf_counter() - start)
            if cursor:
                start = time.perf_counter()
                await service.list_events(conn, window, query, limit=100, cursor=cursor)
                nexts.append(time.perf_counter() - start)
        params = [f"%{t}%" for t in query.terms]
        where = " AND ".join(f"comment ILIKE ${i + 1}" for i in range(len(params))) or "true"
        matching = await conn.fetchval(
            f"SELECT count(*) FROM feedback_events WHERE {where}", *params
        )
        first_ms = f"{statistics.median(firsts) * 1000:.1f}"
        next_ms = f"{statistics.median(nexts) * 1000:.1f}" if nexts else "-"
        print(f"| {q or '(none)'} | {matching:,} | {first_ms} | {next_ms} |")
    await conn.close()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--database-url", default=os.environ.get("FEEDBACK_DATABASE_URL"))
    p.add_argument("--repeat", type=int, default=9, help="calls per search (9)")
    args = p.parse_args()
    if not args.database_url:
        p.error("give --database-url (a database filled by bench.metrics_data)")
    asyncio.run(run(libpq_url(asyncpg_url(args.database_url)), args.repeat))


if __name__ == "__main__":
    main()
