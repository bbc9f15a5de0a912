"""SIGTERM under load: accepted requests complete and are stored, new connections are
refused, the background workers stop cleanly, and the next start takes over.

Own database and the real `feedback serve` process with rollups and webhook
delivery on (to a receiver in the test that answers slowly, so rounds are in
flight). To have requests certainly in flight when the signal comes, the test
holds a SHARE lock on `feedback_events`: inserts wait inside the service until
it is released. The terminals keep posting (and retrying) throughout; a second
`feedback serve` on the same port must then take every event in hand, resume the
rollups and deliver every pending webhook message.
"""

import asyncio
import signal
import time

import httpx
import orjson
import pytest
from sqlalchemy.engine import URL

from tests.served import Served, bearer, create_keys, free_port, serve
from tests.webhooks.conftest import Receiver

from .checks import (
    assert_metrics_equal_recomputation,
    assert_rollups_equal_a_rebuild,
    assert_stored_exactly_once,
    connect,
    wait_rolled_up,
)
from .load import UNLIMITED, Pos, attempts_of, events_of, report
from .test_database_restart import wait_for
from .test_overload import inserts_blocked, until, waiting_inserts

SURELY_ARRIVED = 0.25  # seconds after which a request sent on loopback is in the service
ENV = {
    **UNLIMITED,
    "FEEDBACK_ROLLUP_INTERVAL_SECONDS": "0.2",
    "FEEDBACK_WEBHOOKS_INTERVAL_SECONDS": "0.2",
    "FEEDBACK_WEBHOOKS_ALLOW_PRIVATE": "true",
}


async def refuses_new_connections(base_url: str) -> bool:
    """A new TCP connection to the service is refused (not accepted and left hanging)."""
    try:
        async with httpx.AsyncClient(base_url=base_url, timeout=1) as fresh:
            await fresh.get("/healthz")
    except httpx.ConnectError:
        return True
    except httpx.TransportError:  # accepted, then dropped or left without an answer
        return False
    return False


def assert_clean_exit(service: Served, code: int | None) -> str:
    log = service.log()
    # uvicorn re-raises the signal once it has shut down, so that its parent sees
    # what ended it (143 in a shell or container): a clean stop, as systemd counts it.
    assert code in (0, -signal.SIGTERM), log
    for bad in ("Traceback", "ERROR", "failed:", "abandoned"):
        assert bad not in log, log
    assert "Application shutdown complete" in log, log
    return log


async def delivered_messages(url: URL) -> int:
    conn = await connect(url)
    try:
        count: int = await conn.fetchval(
            "SELECT count(*) FROM webhook_messages WHERE status = 'delivered'"
        )
        return count
    finally:
        await conn.close()


@pytest.mark.parametrize("workers", [1, 2])
async def test_sigterm_under_load_completes_accepted_requests_and_the_next_start_resumes(
    live_url: URL, receiver: Receiver, workers: int
) -> None:
    keys = await create_keys(live_url)
    receiver.delay = 0.3  # webhook rounds are in flight when the signal comes
    port = free_port()
    with serve(live_url, workers=workers, env=ENV, port=port) as first:
        async with httpx.AsyncClient(base_url=first.base_url, timeout=30) as admin:
            created = await admin.post(
                "/v1/webhooks",
                json={"url": receiver.url(), "event_types": ["feedback.created"]},
                headers=bearer(keys["admin"]),
            )
            assert created.status_code == 201, created.text
        async with httpx.AsyncClient(base_url=first.base_url, timeout=30) as http:
            terminals = [Pos(http, keys["ingest"], f"pos{i}", pause=0.05) for i in range(4)] + [
                Pos(http, keys["ingest"], f"queue{i}", batch=10, pause=0.1) for i in range(2)
            ]
            stop = asyncio.Event()
            running = [asyncio.create_task(t.run(stop)) for t in terminals]
            await wait_for(lambda: sum(a.ok for a in attempts_of(terminals)) >= 30, 30, "load")
            await wait_for(lambda: len(receiver.received) >= 5, 30, "webhook deliveries")
            async with inserts_blocked(live_url) as lock:

                async def in_flight() -> bool:
                    # Requests the service has had for a while (sent 0.25 s ago, not
                    # answered: held by the lock), not ones still connecting.
                    since = time.monotonic() - SURELY_ARRIVED
                    held = [t for t in terminals if t.waiting_since and t.waiting_since < since]
                    return len(held) >= 3 and await waiting_inserts(lock) >= 2

                await until(in_flight, 10, "requests in flight")
                t_term = time.monotonic()
                first.process.send_signal(signal.SIGTERM)
                await until(lambda: refuses_new_connections(first.base_url), 5, "refusal")
                refused_after = time.monotonic() - t_term
                assert first.process.poll() is None  # still completing what it accepted
            receiver.delay = 0  # the rest is delivered quickly
            code = await asyncio.to_thread(first.process.wait, 40)
            stopped_after = time.monotonic() - t_term
            first_log = assert_clean_exit(first, code)
            # In the service when the signal came: sent well before it, answered after it
            # (held by the lock). A connect that raced with the signal never got in.
            accepted = [
                a for a in attempts_of(terminals) if a.sent < t_term - 0.25 < t_term < a.answered
            ]
            assert len(accepted) >= 3
            assert all(a.ok for a in accepted), accepted  # none dropped, none refused
            with serve(live_url, workers=workers, env=ENV, port=port) as second:
                await wait_for(
                    lambda: any(a.ok for a in attempts_of(terminals) if a.sent > t_term + 1),
                    30,
                    "the terminals to reach the new process",
                )
                stop.set()
                await asyncio.wait_for(asyncio.gather(*running), 30)
                events = events_of(terminals)
                await assert_metrics_equal_recomputation(second.base_url, keys["read"], live_url)
                await wait_rolled_up(second.base_url)

                async def all_delivered() -> bool:
                    return await delivered_messages(live_url) == len(events)

                await until(all_delivered, 30, "every webhook message delivered")
                second.stop()
                assert_clean_exit(second, second.process.returncode)
    assert "Application shutdown complete" in first_log
    acked = {orjson.loads(r.body)["data"]["event_id"] for r in receiver.acked()}
    assert acked == {e["event_id"] for e in events}  # at least once, none missing
    await assert_stored_exactly_once(live_url, events)
    await assert_rollups_equal_a_rebuild(live_url)
    report(f"workers={workers}: new connections refused after SIGTERM (s)", round(refused_after, 3))
    report(f"workers={workers}: process exited after SIGTERM (s)", round(stopped_after, 3))
    report(f"workers={workers}: requests in flight at SIGTERM, all stored", len(accepted))
