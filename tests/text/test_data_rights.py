"""A person's data rights reach what the text enrichment derived from their comments:
access shows it, erasure deletes it, and retention takes it with the text."""

import asyncpg
import httpx

from app.respondents import retention
from app.text import service
from tests.conftest import Headers
from tests.respondents.test_router import WHO, stored  # noqa: F401  (the fixture)
from tests.text.evaluation import THREADS

RUNTIME = service.Runtime(threads=THREADS)


async def derived(conn: asyncpg.Connection) -> dict[str, list[str]]:
    rows = await conn.fetch(
        "SELECT e.event_id, c.themes FROM comment_insights c "
        "JOIN feedback_events e ON e.id = c.event_pk ORDER BY 1"
    )
    return {r["event_id"]: r["themes"] for r in rows}


async def test_access_shows_and_erasure_deletes_what_was_derived(
    client: httpx.AsyncClient,
    admin_key: Headers,
    conn: asyncpg.Connection,
    stored: int,  # noqa: F811
) -> None:
    assert await service.catch_up(conn, RUNTIME) == 3  # m1, m3 and o2 have comments
    assert (await derived(conn)).keys() == {"m1", "m3", "o2"}
    body = (await client.get(f"/v1/respondents/{WHO}/data", headers=admin_key)).json()
    by_id = {e["event_id"]: e for e in body["events"]}
    assert by_id["m1"]["text"]["language"] == "en"
    assert "staff_friendliness" in by_id["m1"]["text"]["themes"]
    assert by_id["m1"]["text"]["sentiment"] == "negative"
    assert by_id["m2"]["text"] is None  # no comment

    erased = await client.delete(f"/v1/respondents/{WHO}", headers=admin_key)
    assert erased.status_code == 200, erased.text
    assert (await derived(conn)).keys() == {"o2"}
    assert await conn.fetchval(
        "SELECT count(*) FROM text_examples x LEFT JOIN feedback_events e ON e.id = x.event_pk "
        "WHERE e.id IS NULL"
    ) == 0  # fmt: skip


async def test_retention_takes_it_with_the_text(
    client: httpx.AsyncClient,
    conn: asyncpg.Connection,
    stored: int,  # noqa: F811
) -> None:
    await service.catch_up(conn, RUNTIME)
    await conn.execute("UPDATE feedback_events SET received_at = now() - interval '400 days'")
    removed = await retention.run(conn, 365)
    assert removed is not None
    assert removed.comments == 3
    assert await derived(conn) == {}
    assert await conn.fetchval("SELECT count(*) FROM text_examples") == 0
    assert await conn.fetchval("SELECT count(*) FROM text_pending") == 0
