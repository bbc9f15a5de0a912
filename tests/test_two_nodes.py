"""Two API nodes, one service: two `feedback serve` processes on their own ports against
one database and one Redis (issue 22, part 3).

What a load balancer in front of them needs to be true, each proved on the real
processes (tests/served.py):

- a key revoked through one node is refused by the other (its key cache hears the
  revocation by LISTEN/NOTIFY), in both directions, long before the cache's 60 s
  expiry;
- a rate limit counts once: its requests split over both nodes count down one
  counter, and the next request is refused by either, with the problem document;
- each background worker does its work once: every webhook message reaches a real
  receiver on 127.0.0.1 once, the alert opens and notifies once while the nodes keep
  evaluating, the rollups hold every event once (against a rebuild and a recount),
  every comment is enriched once, and retention removes each expired comment once.
  The alert rounds, retention runs and text rounds are one worker's across both
  nodes (app/periodic.py, `Leadership`): one process takes the lead and keeps it,
  and retention runs no more often than its interval.

Every worker runs on a short interval (0.1-0.5 s); waits poll the database, the
receiver or the logs up to a deadline, never sleep for a fixed time. The Redis key
prefix is this run's own, and its keys are deleted at the end. Without Redis at
FEEDBACK_TEST_REDIS_URL (default: redis://127.0.0.1:6379/0) the module is skipped,
saying why.
"""

import asyncio
import json
import os
import re
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import asyncpg
import httpx
import pytest
import redis
from sqlalchemy.engine import URL

from app.db import libpq_url
from app.rollups import service as rollups
from app.rollups.rebuild import rebuild
from tests.faults.checks import wait_rolled_up
from tests.served import Served, bearer, create_keys, serve
from tests.webhooks.conftest import Receiver

REDIS = os.environ.get("FEEDBACK_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
PROBLEM = "application/problem+json"
READ_QUOTA = 12  # per key and day: the rate-limit test spends one key's; no other key nears it
RETENTION_INTERVAL = 0.5
DEADLINE = 30.0  # seconds any one wait may take; each normally takes well under one


def redis_or_skip() -> redis.Redis:
    client = redis.Redis.from_url(REDIS, socket_timeout=2, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        pytest.skip(f"no Redis at {REDIS} ({type(exc).__name__}): set FEEDBACK_TEST_REDIS_URL")
    return client


@contextmanager
def started_together(nodes: Sequence[AbstractContextManager[Served]]) -> Iterator[list[Served]]:
    """Enter every `serve(...)` at once (each waits for its own /readyz), exit them all."""
    with ThreadPoolExecutor(len(nodes)) as pool:
        futures = [pool.submit(node.__enter__) for node in nodes]
    entered: list[tuple[AbstractContextManager[Served], Served]] = []
    errors: list[BaseException] = []
    for node, future in zip(nodes, futures, strict=True):
        try:
            entered.append((node, future.result()))
        except BaseException as exc:
            errors.append(exc)
    try:
        if errors:
            raise errors[0]
        yield [served for _, served in entered]
    finally:
        for node, _ in reversed(entered):
            node.__exit__(None, None, None)


@dataclass
class Nodes:
    a: Served
    b: Served
    url: URL
    keys: dict[str, str]
    started: float  # time.monotonic() when both were ready

    def records(self) -> list[dict[str, Any]]:
        """Both nodes' JSON log lines so far."""
        lines = (self.a.log() + self.b.log()).splitlines()
        return [json.loads(line) for line in lines if line.startswith("{")]

    def messages(self, pattern: str) -> list[tuple[int, re.Match[str]]]:
        """(pid, match) of every log line of either node whose message matches."""
        found = []
        for record in self.records():
            match = re.fullmatch(pattern, record.get("message", ""))
            if match:
                found.append((record["pid"], match))
        return found


@pytest.fixture(scope="module")
async def nodes(fresh_database: Callable[[], Awaitable[URL]]) -> AsyncIterator[Nodes]:
    store = redis_or_skip()
    prefix = f"test-nodes-{uuid.uuid4().hex}"
    url = await fresh_database()
    keys = await create_keys(url)
    env = {
        "FEEDBACK_RATE_LIMIT_STORAGE": REDIS,
        "FEEDBACK_RATE_LIMIT_PREFIX": prefix,
        "FEEDBACK_RATE_LIMIT_READ": f"{READ_QUOTA}/day",
        "FEEDBACK_AUTH_FAILURE_SECONDS": "0",
        "FEEDBACK_LOG_FORMAT": "json",
        "FEEDBACK_ROLLUP_INTERVAL_SECONDS": "0.2",
        "FEEDBACK_WEBHOOKS_INTERVAL_SECONDS": "0.1",
        "FEEDBACK_WEBHOOKS_BATCH": "4",  # several rounds, so both nodes claim
        "FEEDBACK_WEBHOOKS_ALLOW_PRIVATE": "true",
        "FEEDBACK_ALERTS_INTERVAL_SECONDS": "0.5",
        "FEEDBACK_TEXT_INTERVAL_SECONDS": "0.2",
        "FEEDBACK_RETENTION_DAYS": "1",
        "FEEDBACK_RETENTION_INTERVAL_SECONDS": str(RETENTION_INTERVAL),
    }
    try:
        with started_together([serve(url, env=env), serve(url, env=env)]) as (a, b):
            yield Nodes(a, b, url, keys, time.monotonic())
    finally:
        stale = list(store.scan_iter(match=f"{prefix}*", count=1000))
        if stale:
            store.delete(*stale)
        store.close()


async def until(check: Callable[[], Awaitable[Any]], what: str, within: float = DEADLINE) -> Any:
    """Poll `check` until it answers something true; that answer."""
    deadline = time.monotonic() + within
    while True:
        answer = await check()
        if answer:
            return answer
        assert time.monotonic() < deadline, f"not within {within} s: {what}"
        await asyncio.sleep(0.05)


async def connect(url: URL) -> asyncpg.Connection:
    return await asyncpg.connect(libpq_url(url))


async def cells(conn: asyncpg.Connection) -> list[tuple[Any, ...]]:
    rows = await conn.fetch("SELECT * FROM metric_rollups")
    return sorted((tuple(r.values()) for r in rows), key=repr)


# ---------------------------------------------------------------- keys


async def test_a_key_revoked_through_one_node_is_refused_by_the_other(nodes: Nodes) -> None:
    admin = bearer(nodes.keys["admin"])
    async with httpx.AsyncClient(timeout=10) as http:
        for revoker, other in ((nodes.a, nodes.b), (nodes.b, nodes.a)):
            made = await http.post(
                f"{revoker.base_url}/v1/keys", json={"name": "doomed", "scope": "read"},
                headers=admin,
            )  # fmt: skip
            assert made.status_code == 201, made.text
            key = bearer(made.json()["token"])
            for node in (other, revoker, other):  # each node has checked (and cached) it
                answer = await http.get(f"{node.base_url}/v1/locations", headers=key)
                assert answer.status_code == 200, answer.text

            revoked_at = time.monotonic()
            path = f"/v1/keys/{made.json()['id']}"
            gone = await http.delete(f"{revoker.base_url}{path}", headers=admin)
            assert gone.status_code == 204, gone.text
            refused = await http.get(f"{revoker.base_url}/v1/locations", headers=key)
            assert refused.status_code == 401  # the revoking node forgets at once

            async def refused_by_the_other(
                node: Served = other, key: dict[str, str] = key
            ) -> httpx.Response | None:
                answer = await http.get(f"{node.base_url}/v1/locations", headers=key)
                return answer if answer.status_code == 401 else None

            # The other node's cache would keep the key for up to 60 s (its expiry):
            # refused well within that, the notification reached it.
            answer = await until(refused_by_the_other, "the other node refusing the key", 10)
            assert time.monotonic() - revoked_at < 10
            assert answer.headers["content-type"] == PROBLEM


# ---------------------------------------------------------------- rate limits


def ratelimit_remaining(response: httpx.Response) -> int:
    match = re.search(r";r=(\d+)", response.headers["ratelimit"])
    assert match, response.headers["ratelimit"]
    return int(match.group(1))


async def test_a_rate_limit_counts_once_across_the_nodes(nodes: Nodes) -> None:
    # The quota's window is the UTC day, aligned to the clock: not across its end.
    left = 86_400 - time.time() % 86_400
    if left < 30:
        await asyncio.sleep(left + 1)
    async with httpx.AsyncClient(timeout=10) as http:
        made = await http.post(
            f"{nodes.a.base_url}/v1/keys", json={"name": "limited", "scope": "read"},
            headers=bearer(nodes.keys["admin"]),
        )  # fmt: skip
        assert made.status_code == 201, made.text
        key = bearer(made.json()["token"])
        answers = [
            await http.get(f"{node.base_url}/v1/locations", headers=key)
            for node in [nodes.a, nodes.b] * (READ_QUOTA // 2)
        ]
        assert [a.status_code for a in answers] == [200] * READ_QUOTA
        # One counter, whichever node answered: each on its own would still allow 6 more.
        assert [ratelimit_remaining(a) for a in answers] == list(range(READ_QUOTA - 1, -1, -1))
        for node in (nodes.b, nodes.a):
            refused = await http.get(f"{node.base_url}/v1/locations", headers=key)
            assert refused.status_code == 429, refused.text
            assert refused.headers["content-type"] == PROBLEM
            problem = refused.json()
            assert problem["type"] == "urn:feedback:problem:rate-limited"
            assert problem["status"] == 429
            assert refused.headers["retry-after"] == refused.headers["ratelimit"].split("t=")[1]
            assert ratelimit_remaining(refused) == 0
    assert not nodes.messages(r"rate limit storage failed.*")


# ---------------------------------------------------------------- background workers

NORMAL = (20, 14, 6)  # promoters, passives, detractors a day: NPS 35 (tests/alerts)
DIP = (10, 14, 16)  # NPS -15
FRESH = 30  # events with a comment, posted one by one over both nodes
KEPT = 10  # and in one batch
EXPIRING = 10  # events whose comments retention removes


def history(midnight: datetime) -> list[dict[str, Any]]:
    """90 days of three branches, lis-03 in a dip for the last ten (tests/alerts)."""
    start = midnight - timedelta(days=90)
    events = []
    for location in ("lis-03", "vie-01", "ber-02"):
        for day in range(90):
            mix = DIP if location == "lis-03" and day >= 80 else NORMAL
            at = (start + timedelta(days=day, hours=12)).isoformat()
            scores = [10] * mix[0] + [8] * mix[1] + [2] * mix[2]
            events += [
                {"event_id": f"h-{location}-{day}-{i}", "occurred_at": at, "channel": "pos",
                 "location_id": location, "nps": score}
                for i, score in enumerate(scores)
            ]  # fmt: skip
    return events


def commented(prefix: str, count: int) -> list[dict[str, Any]]:
    return [
        {"event_id": f"{prefix}-{i}", "channel": "web", "nps": 9,
         "comment": f"Friendly staff and a short queue at till {i} ({prefix})",
         "contact": {"email": f"{prefix}-{i}@example.com"}}
        for i in range(count)
    ]  # fmt: skip


async def test_each_background_worker_works_once_across_the_nodes(nodes: Nodes) -> None:
    a, b = nodes.a, nodes.b
    admin, ingest = bearer(nodes.keys["admin"]), bearer(nodes.keys["ingest"])
    receiver = Receiver()
    server = await asyncio.start_server(receiver.handle, "127.0.0.1", 0)
    receiver.port = server.sockets[0].getsockname()[1]
    conn = await connect(nodes.url)
    try:
        async with httpx.AsyncClient(timeout=30) as http:
            # Alerts: NPS by branch only, notified to the receiver.
            rules = {"metrics": {m: {"enabled": m == "nps"}
                                 for m in ("nps", "csat", "ces", "follow_up_late")},
                     "dimensions": ["location_id"]}  # fmt: skip
            put = await http.put(f"{b.base_url}/v1/alert-rules", json=rules, headers=admin)
            assert put.status_code == 200, put.text
            hooked = await http.post(
                f"{a.base_url}/v1/webhooks", headers=admin,
                json={"url": receiver.url("/alerts"), "event_types": ["alert.opened"]},
            )  # fmt: skip
            assert hooked.status_code == 201, hooked.text

            # The branches' past, in batches over both nodes, while the rollups run on both.
            midnight: datetime = await conn.fetchval("SELECT date_trunc('day', now())")
            past = history(midnight)
            for i, start in enumerate(range(0, len(past), 1000)):
                node = (a, b)[i % 2]
                batch = {"events": past[start : start + 1000]}
                sent = await http.post(f"{node.base_url}/v1/feedback/batch", json=batch,
                                       headers=ingest)  # fmt: skip
                assert (sent.status_code, sent.json()["accepted"]) == (200, len(batch["events"]))

            # New comments, announced by webhook: one by one over both nodes, then a batch.
            hooked = await http.post(
                f"{b.base_url}/v1/webhooks", headers=admin,
                json={"url": receiver.url("/events"), "event_types": ["feedback.created"]},
            )  # fmt: skip
            assert hooked.status_code == 201, hooked.text
            fresh = commented("fresh", FRESH)
            for i, event in enumerate(fresh):
                sent = await http.post(f"{(a, b)[i % 2].base_url}/v1/feedback", json=event,
                                       headers=ingest)  # fmt: skip
                assert sent.status_code == 201, sent.text
            kept = commented("kept", KEPT) + commented("expiring", EXPIRING)
            sent = await http.post(f"{a.base_url}/v1/feedback/batch", json={"events": kept},
                                   headers=ingest)  # fmt: skip
            assert sent.json()["accepted"] == KEPT + EXPIRING, sent.text
            posted = [e["event_id"] for e in fresh + kept]

            # Text: every comment enriched, then retention takes the expiring ones' away.
            comments = len(posted)
            await until(
                lambda: conn.fetchval(
                    "SELECT count(*) = $1 FROM comment_insights", comments
                ), "every comment enriched"
            )  # fmt: skip
            expiring = [e["event_id"] for e in commented("expiring", EXPIRING)]
            await conn.execute(
                "UPDATE feedback_events SET received_at = now() - interval '1 day' "
                "WHERE event_id = ANY($1)",
                expiring,
            )
            await until(
                lambda: conn.fetchval(
                    "SELECT count(*) = 0 FROM feedback_events "
                    "WHERE event_id = ANY($1) AND (comment IS NOT NULL OR has_contact)",
                    expiring,
                ),
                "retention clearing the expired comments",
            )

            # Webhooks: every message delivered (one alert, one per new event).
            await until(lambda: conn.fetchval("SELECT count(*) > 0 FROM alerts"), "an alert")
            expected = len(posted) + 1
            await until(
                lambda: conn.fetchval(
                    "SELECT count(*) FILTER (WHERE status = 'delivered') = $1 "
                    "FROM webhook_messages", expected
                ), "every webhook message delivered"
            )  # fmt: skip
            # The alert stays open while both nodes keep evaluating: two more rounds
            # after it opened (each sets its updated_at) and no second alert, no second
            # notification.
            opened_at = await conn.fetchval("SELECT opened_at FROM alerts")
            rounds: set[datetime] = set()

            async def two_more_rounds() -> bool:
                rounds.add(await conn.fetchval("SELECT updated_at FROM alerts"))
                return len(rounds - {opened_at}) >= 2

            await until(two_more_rounds, "two more alert rounds")

            async def received() -> bool:
                return len(receiver.acked()) >= expected

            await until(received, "the receiver's answers")

            # Rollups: caught up, and the metrics they serve are the exact counts.
            await wait_rolled_up(a.base_url)
            window = {"from": (midnight - timedelta(days=91)).isoformat(),
                      "to": (midnight + timedelta(days=2)).isoformat()}  # fmt: skip
            summaries = [
                (await http.get(f"{node.base_url}/v1/metrics/summary", params=window,
                                headers=bearer(nodes.keys["read"]))).json()["metrics"]
                for node in (a, b)
            ]  # fmt: skip
    finally:
        server.close()
        for handler in list(receiver.handlers):
            handler.cancel()
        await server.wait_closed()

    try:
        # Webhooks: each message once at the receiver, claimed once (one attempt each).
        ids = Counter(r.headers["webhook-id"] for r in receiver.received)
        assert [i for i, n in ids.items() if n > 1] == []
        events = [json.loads(r.body) for r in receiver.received if r.path == "/events"]
        assert sorted(e["data"]["event_id"] for e in events) == sorted(posted)
        alerts = [json.loads(r.body) for r in receiver.received if r.path == "/alerts"]
        assert [(e["type"], e["data"]["scope"]["value"], e["data"]["metric"]) for e in alerts] == [
            ("alert.opened", "lis-03", "nps")
        ]
        assert await conn.fetch(
            "SELECT status, attempts, count(*) FROM webhook_messages GROUP BY 1, 2"
        ) == [("delivered", 1, expected)]
        assert await conn.fetchval("SELECT count(*) FROM webhook_attempts") == expected
        # Alerts: one, still open.
        assert await conn.fetchval("SELECT count(*) FROM alerts WHERE status = 'open'") == 1
        assert await conn.fetchval("SELECT count(*) FROM alerts") == 1

        # Rollups: every event once.
        total = len(past) + len(posted)
        recount = await conn.fetchrow(
            "SELECT count(*) AS n, count(*) FILTER (WHERE nps >= 9) AS promoters, "
            "count(*) FILTER (WHERE nps <= 6) AS detractors FROM feedback_events"
        )
        assert recount["n"] == total
        for metrics in summaries:
            assert metrics["volume"]["n"] == total
            counts = metrics["nps"]["counts"]
            assert (counts["promoters"], counts["detractors"]) == (
                recount["promoters"], recount["detractors"],
            )  # fmt: skip
        state = await conn.fetchrow("SELECT watermark FROM metric_rollup_state")
        assert state["watermark"] >= await conn.fetchval("SELECT max(id) FROM feedback_events")
        # The cells equal a rebuild from the raw rows. This session holds the rollups'
        # lock meanwhile: the rebuild's own rounds take it again (it is this session's),
        # the nodes' rounds skip, so none ends the rebuild early or runs beside it.
        await conn.execute("SELECT pg_advisory_lock($1)", rollups.LOCK_KEY)
        try:
            incremental = await cells(conn)
            await rebuild(conn, ("UTC",))
            assert await cells(conn) == incremental
        finally:
            await conn.execute("SELECT pg_advisory_unlock($1)", rollups.LOCK_KEY)
    finally:
        await conn.close()

    # One leader for each of the led workers, across both nodes, for the whole run.
    leaders = {}
    for what in ("alert rounds", "retention runs", "text enrichment rounds"):
        taken = nodes.messages(rf"{what} run in this worker \(pid (\d+)\) from now on.*")
        assert len(taken) == 1, (what, taken)
        leaders[what] = taken[0][0]
    assert {pid for pid, _ in nodes.messages(r"alerts: 1 opened.*")} == {leaders["alert rounds"]}
    # Text: every comment enriched once, all by the leader.
    enriched = nodes.messages(r"text: (\d+) comments enriched in .*")
    assert sum(int(m.group(1)) for _, m in enriched) == comments
    assert {pid for pid, _ in enriched} == {leaders["text enrichment rounds"]}
    # Retention: each expired comment removed once, by the leader, at most one run an
    # interval (two nodes each running on their own tick would make about twice as many).
    runs = nodes.messages(r"retention \(1 days\): removed (\d+) comments, (\d+) contacts.*")
    assert sum(int(m.group(1)) for _, m in runs) == EXPIRING
    assert sum(int(m.group(2)) for _, m in runs) == EXPIRING
    assert {pid for pid, _ in runs} == {leaders["retention runs"]}
    elapsed = time.monotonic() - nodes.started + 5  # and the rounds of their start
    assert len(runs) <= elapsed / RETENTION_INTERVAL + 1, (len(runs), elapsed)
    assert not nodes.messages(r".*(failed|Traceback).*"), [
        r for r in nodes.records() if r.get("level") in ("error", "ERROR")
    ]
