"""Delivery to a real HTTP receiver: signatures, retries on a controlled clock, disabling,
SSRF refusal. Rounds run on the test's rolled-back connection (`deliver_due`)."""

import socket
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import orjson
import pytest
from fastapi import FastAPI
from standardwebhooks.webhooks import Webhook

from app.webhooks import worker
from app.webhooks.delivery import Message, Result, Sender
from app.webhooks.service import LEASE
from app.webhooks.targets import NOT_PUBLIC, Lookup
from app.webhooks.worker import deliver_due
from tests.conftest import Headers

from .conftest import Receiver


def half() -> float:
    return 0.5  # no jitter: the schedule's exact delays


async def subscribe(
    client: httpx.AsyncClient, key: Headers, url: str, *types: str
) -> dict[str, Any]:
    body = {"url": url, "event_types": list(types or ["feedback.created"])}
    response = await client.post("/v1/webhooks", json=body, headers=key)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def post(client: httpx.AsyncClient, key: Headers, event_id: str, nps: int = 9) -> None:
    body = {"event_id": event_id, "channel": "web", "nps": nps}
    response = await client.post("/v1/feedback", json=body, headers=key)
    assert response.status_code == 201, response.text


async def deliveries(client: httpx.AsyncClient, key: Headers, webhook: int) -> list[Any]:
    response = await client.get(f"/v1/webhooks/{webhook}/deliveries", headers=key)
    assert response.status_code == 200, response.text
    items: list[Any] = response.json()["items"]
    return items


async def test_signed_delivery_retried_with_a_stable_id_until_it_succeeds(
    client: httpx.AsyncClient,
    app: FastAPI,
    admin_key: Headers,
    ingest_key: Headers,
    receiver: Receiver,
    sender: Sender,
) -> None:
    hook = await subscribe(client, admin_key, receiver.url())
    await post(client, ingest_key, "signed-1")
    receiver.statuses = [500, 503]
    t0 = datetime.now(UTC)
    db = app.state.db
    assert len(await deliver_due(db, sender, now=t0, rand=half)) == 1
    assert await deliver_due(db, sender, now=t0 + timedelta(seconds=29), rand=half) == []
    assert len(await deliver_due(db, sender, now=t0 + timedelta(seconds=30), rand=half)) == 1
    assert await deliver_due(db, sender, now=t0 + timedelta(seconds=89), rand=half) == []
    done = await deliver_due(db, sender, now=t0 + timedelta(seconds=90), rand=half)
    assert [d.result.status_code for d in done] == [200]

    assert [r.status for r in receiver.received] == [500, 503, 200]
    ids = {r.headers["webhook-id"] for r in receiver.received}
    assert len(ids) == 1
    assert ids.pop().startswith("msg_")
    stored = (await client.get("/v1/feedback/signed-1", headers=admin_key)).json()
    for request in receiver.received:
        assert request.path == "/hook"
        assert request.headers["content-type"] == "application/json"
        payload = Webhook(hook["secret"]).verify(request.body, request.headers)
        assert payload == {
            "type": "feedback.created", "timestamp": stored["received_at"], "data": stored
        }  # fmt: skip
    log = await deliveries(client, admin_key, hook["id"])
    assert [(d["attempt"], d["status_code"], d["error"]) for d in log] == [
        (3, 200, None), (2, 503, "HTTP 503"), (1, 500, "HTTP 500"),
    ]  # fmt: skip
    assert {d["message_id"] for d in log} == {receiver.received[0].headers["webhook-id"]}
    assert all(d["event_type"] == "feedback.created" and d["duration_ms"] >= 0 for d in log)
    page = await client.get(f"/v1/webhooks/{hook['id']}/deliveries?limit=2", headers=admin_key)
    rest = await client.get(
        f"/v1/webhooks/{hook['id']}/deliveries?cursor={page.json()['next_cursor']}",
        headers=admin_key,
    )
    assert [d["attempt"] for d in page.json()["items"] + rest.json()["items"]] == [3, 2, 1]
    # Delivered: never sent again.
    assert await deliver_due(db, sender, now=t0 + timedelta(days=3), rand=half) == []


async def test_a_message_fails_when_the_schedule_is_exhausted(
    client: httpx.AsyncClient,
    app: FastAPI,
    admin_key: Headers,
    ingest_key: Headers,
    receiver: Receiver,
    sender: Sender,
) -> None:
    hook = await subscribe(client, admin_key, receiver.url())
    await post(client, ingest_key, "doomed")
    conn = app.state.db.conn
    now = datetime.now(UTC)
    for attempt in range(1, 14):
        receiver.statuses = [410]  # the doomed message always fails ...
        done = await deliver_due(app.state.db, sender, now=now, rand=half)
        assert [d.message.attempt for d in done if d.result.status_code == 410] == [attempt]
        # ... while another event gets through each round: the endpoint is not dead.
        await post(client, ingest_key, f"fine-{attempt}")
        receiver.statuses = []
        await deliver_due(app.state.db, sender, now=now, rand=half)
        now += timedelta(hours=9)
    status = await conn.fetchval(
        "SELECT status FROM webhook_messages WHERE payload -> 'data' ->> 'event_id' = 'doomed'"
    )
    assert status == "failed"
    assert await deliver_due(app.state.db, sender, now=now + timedelta(days=9)) == []
    webhook = (await client.get(f"/v1/webhooks/{hook['id']}", headers=admin_key)).json()
    assert webhook["enabled"] is True


async def test_an_endpoint_failing_for_a_day_is_disabled_and_can_be_re_enabled(
    client: httpx.AsyncClient,
    app: FastAPI,
    admin_key: Headers,
    ingest_key: Headers,
    receiver: Receiver,
    sender: Sender,
) -> None:
    hook = await subscribe(client, admin_key, receiver.url())
    path = f"/v1/webhooks/{hook['id']}"
    await post(client, ingest_key, "down-1")
    receiver.statuses = [500] * 3
    t0 = datetime.now(UTC)
    db = app.state.db
    await deliver_due(db, sender, now=t0, rand=half)
    await deliver_due(db, sender, now=t0 + timedelta(hours=23), rand=half)
    assert (await client.get(path, headers=admin_key)).json()["enabled"] is True
    await deliver_due(db, sender, now=t0 + timedelta(hours=24, minutes=1), rand=half)
    webhook = (await client.get(path, headers=admin_key)).json()
    assert webhook["enabled"] is False
    assert webhook["disabled_at"] is not None
    assert "failed for 24 hours" in webhook["disabled_reason"]
    assert "HTTP 500" in webhook["disabled_reason"]
    # Disabled: nothing is sent, and new events queue nothing for it.
    await post(client, ingest_key, "down-2")
    assert await deliver_due(db, sender, now=t0 + timedelta(days=5), rand=half) == []
    assert len(receiver.received) == 3
    # Re-enabled: the waiting message goes out on the next round.
    again = await client.patch(path, json={"enabled": True}, headers=admin_key)
    assert again.json()["enabled"] is True
    assert again.json()["disabled_reason"] is None
    done = await deliver_due(db, sender, now=datetime.now(UTC) + timedelta(seconds=1))
    assert [(d.message.attempt, d.result.status_code) for d in done] == [(4, 200)]
    assert orjson.loads(receiver.received[-1].body)["data"]["event_id"] == "down-1"


async def test_deleting_a_subscription_stops_its_deliveries(
    client: httpx.AsyncClient,
    app: FastAPI,
    admin_key: Headers,
    ingest_key: Headers,
    receiver: Receiver,
    sender: Sender,
) -> None:
    hook = await subscribe(client, admin_key, receiver.url())
    await post(client, ingest_key, "gone")
    assert (await client.delete(f"/v1/webhooks/{hook['id']}", headers=admin_key)).status_code == 204
    assert await deliver_due(app.state.db, sender, now=datetime.now(UTC)) == []
    assert receiver.received == []


def dns(answers: dict[str, list[str]]) -> Lookup:
    """A resolver of the test's own: `answers` by name; any other name does not exist."""

    async def lookup(host: str, port: int) -> list[str]:
        if host not in answers:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return answers[host]

    return lookup


async def test_a_name_without_a_public_address_is_refused_at_delivery_in_one_wording(
    client: httpx.AsyncClient,
    app: FastAPI,
    admin_key: Headers,
    ingest_key: Headers,
    receiver: Receiver,
) -> None:
    """A host name is accepted when saved; what it resolves to is checked at each
    attempt. Whether it resolved to a private address or not at all reads the same
    (the log must not map the internal DNS), and no address is told."""
    lookup = dns({"hooks.internal.example": ["127.0.0.1"]})
    private = await subscribe(client, admin_key, receiver.url(host="hooks.internal.example"))
    missing = await subscribe(client, admin_key, receiver.url(host="nothing.internal.example"))
    await post(client, ingest_key, "ssrf")
    strict = Sender(timeout=2, allow_private=False, lookup=lookup)
    try:
        done = await deliver_due(app.state.db, strict, now=datetime.now(UTC))
    finally:
        await strict.aclose()
    assert [d.result.status_code for d in done] == [None, None]
    assert receiver.received == []
    for hook in (private, missing):
        (logged,) = await deliveries(client, admin_key, hook["id"])
        assert (logged["status_code"], logged["error"]) == (None, f"refused: {NOT_PUBLIC}")
    # Allowed (a trusted network): the name goes to the address it resolved to, and the
    # request still names the host.
    allowed = Sender(timeout=2, allow_private=True, lookup=lookup)
    try:
        done = await deliver_due(app.state.db, allowed, now=datetime.now(UTC) + timedelta(hours=1))
    finally:
        await allowed.aclose()
    assert [r.headers["host"] for r in receiver.acked()] == [
        f"hooks.internal.example:{receiver.port}"
    ]


async def test_an_international_host_name_is_sent_idna_encoded(
    client: httpx.AsyncClient,
    app: FastAPI,
    admin_key: Headers,
    ingest_key: Headers,
    receiver: Receiver,
) -> None:
    """Accepted when saved, an IDN host reached the HTTP client's headers as is and
    every attempt failed; it is resolved and sent in its ASCII (IDNA) form."""
    await subscribe(client, admin_key, receiver.url(host="b\u00fccher.example"))
    await post(client, ingest_key, "idn")
    sender = Sender(
        timeout=2, allow_private=True, lookup=dns({"xn--bcher-kva.example": ["127.0.0.1"]})
    )
    try:
        done = await deliver_due(app.state.db, sender, now=datetime.now(UTC))
    finally:
        await sender.aclose()
    assert [(d.result.status_code, d.result.error) for d in done] == [(200, None)]
    assert receiver.received[0].headers["host"] == f"xn--bcher-kva.example:{receiver.port}"


async def test_redirects_are_not_followed_and_count_as_failures(
    client: httpx.AsyncClient,
    app: FastAPI,
    admin_key: Headers,
    ingest_key: Headers,
    receiver: Receiver,
    sender: Sender,
) -> None:
    hook = await subscribe(client, admin_key, receiver.url())
    await post(client, ingest_key, "moved")
    receiver.statuses = [302]
    await deliver_due(app.state.db, sender, now=datetime.now(UTC))
    assert len(receiver.received) == 1
    (logged,) = await deliveries(client, admin_key, hook["id"])
    assert (logged["status_code"], logged["error"]) == (302, "HTTP 302")


async def test_a_message_that_cannot_be_sent_fails_alone(
    client: httpx.AsyncClient,
    app: FastAPI,
    admin_key: Headers,
    ingest_key: Headers,
    receiver: Receiver,
    sender: Sender,
) -> None:
    """A subscription saved before URLs were checked, with a host no resolver can
    encode, made every round raise: the healthy subscription's message was held with
    it. Now each message's failure is its own."""
    healthy = await subscribe(client, admin_key, receiver.url())
    broken = await subscribe(client, admin_key, receiver.url(path="/broken"))
    await app.state.db.conn.execute(
        "UPDATE webhook_subscriptions SET url = $2 WHERE id = $1",
        broken["id"], "https://" + "a" * 300 + ".example.com/hook",
    )  # fmt: skip
    await post(client, ingest_key, "isolated")
    done = await deliver_due(app.state.db, sender, now=datetime.now(UTC))
    by_hook = {d.message.subscription_id: d.result for d in done}
    assert by_hook[healthy["id"]].ok
    assert by_hook[broken["id"]].status_code is None
    assert "cannot be encoded" in str(by_hook[broken["id"]].error)
    assert [r.path for r in receiver.acked()] == ["/hook"]
    (logged,) = await deliveries(client, admin_key, broken["id"])
    assert logged["error"] is not None


@pytest.mark.parametrize(
    ("stored", "why"),
    [
        ("http://user:pw@127.0.0.1:{port}/old", "credentials"),
        ("http://127.0.0.1\u200b:{port}/old", "invisible"),
        ("ftp://127.0.0.1:{port}/old", "http:// or https://"),
        ("http://127.0.0.1:{port}x/old", "not a valid URL"),
        ("http://1.2.3.4.5:{port}/old", "ending in a number"),
    ],
)
async def test_a_url_stored_before_the_checks_is_refused_at_delivery_alone(
    client: httpx.AsyncClient,
    app: FastAPI,
    admin_key: Headers,
    ingest_key: Headers,
    receiver: Receiver,
    sender: Sender,
    stored: str,
    why: str,
) -> None:
    """A URL the API refuses today but stored before (credentials were sent on in the
    Host header; an invisible character was dropped by IDNA and the request went out)
    is checked again before each attempt: refused, and the healthy message still goes."""
    healthy = await subscribe(client, admin_key, receiver.url())
    old = await subscribe(client, admin_key, receiver.url(path="/old"))
    await app.state.db.conn.execute(
        "UPDATE webhook_subscriptions SET url = $2 WHERE id = $1",
        old["id"], stored.format(port=receiver.port),
    )  # fmt: skip
    await post(client, ingest_key, "stored-before")
    done = await deliver_due(app.state.db, sender, now=datetime.now(UTC))
    results = {d.message.subscription_id: d.result for d in done}
    assert results[healthy["id"]].ok
    assert results[old["id"]].status_code is None
    assert str(results[old["id"]].error).startswith("refused: the URL is not acceptable")
    assert why in str(results[old["id"]].error)
    assert [r.path for r in receiver.received] == ["/hook"]


class Troubled(Sender):
    """`send` itself raises for one message (its contract is never to), and gives
    results the attempt log cannot take as they are for two others: an error with a
    NUL and far too long, a duration beyond its column."""

    async def send(self, message: Message) -> Result:
        if message.url.endswith("/raises"):
            raise RuntimeError("a sender bug")
        result = await super().send(message)
        if message.url.endswith("/nul"):
            return Result(500, "bad\x00byte " + "x" * 5000, result.duration_ms)
        if message.url.endswith("/huge"):
            return Result(500, "HTTP 500", 2**40)
        return result


async def test_a_raising_sender_or_an_unloggable_attempt_spoils_no_other_message(
    client: httpx.AsyncClient,
    app: FastAPI,
    admin_key: Headers,
    ingest_key: Headers,
    receiver: Receiver,
) -> None:
    """Each message is failed and rescheduled on its own back-off, whatever went wrong
    with it; the healthy one is delivered and logged in the same round."""
    hooks = {
        path: (await subscribe(client, admin_key, receiver.url(path=path)))["id"]
        for path in ("/hook", "/raises", "/nul", "/huge")
    }
    await post(client, ingest_key, "four-ways")
    now = datetime.now(UTC)
    sender = Troubled(timeout=2, allow_private=True)
    try:
        done = await deliver_due(app.state.db, sender, now=now, rand=half)
    finally:
        await sender.aclose()
    assert len(done) == 4
    logged = {path: await deliveries(client, admin_key, hook) for path, hook in hooks.items()}
    assert [d["status_code"] for d in logged["/hook"]] == [200]
    assert [d["error"] for d in logged["/raises"]] == [
        "internal error (RuntimeError); see the service log"
    ]
    (nul,) = logged["/nul"]
    assert nul["error"].startswith("bad byte xxx")
    assert len(nul["error"]) <= 500
    assert logged["/huge"] == []  # that attempt could not be logged ...
    # ... but it counts: each failed message is due again after its back-off (30 s),
    # not after the 60 s lease, so none is retried more often than the schedule says.
    due = await app.state.db.conn.fetch(
        "SELECT attempts, next_attempt_at FROM webhook_messages WHERE status = 'pending' "
        "AND subscription_id = ANY ($1::bigint[])",
        [hooks["/raises"], hooks["/nul"], hooks["/huge"]],
    )
    assert [tuple(r) for r in due] == [(1, now + timedelta(seconds=30))] * 3


class Unexpected(Sender):
    """Raises what no one expected while posting one message, and deletes another's
    subscription while it is in flight."""

    def __init__(self, app: FastAPI, raise_for: str, delete: int) -> None:
        super().__init__(timeout=2, allow_private=True)
        self.app, self.raise_for, self.delete = app, raise_for, delete

    async def _post(self, message: Any) -> int:
        if message.subscription_id == self.delete:
            await self.app.state.db.conn.execute(
                "DELETE FROM webhook_subscriptions WHERE id = $1", self.delete
            )
        if self.raise_for in message.url:
            raise RuntimeError("something nobody planned for")
        return await super()._post(message)


async def test_an_unexpected_error_or_a_deleted_subscription_spoils_no_other_message(
    client: httpx.AsyncClient,
    app: FastAPI,
    admin_key: Headers,
    ingest_key: Headers,
    receiver: Receiver,
) -> None:
    healthy = await subscribe(client, admin_key, receiver.url())
    odd = await subscribe(client, admin_key, receiver.url(path="/odd"))
    deleted = await subscribe(client, admin_key, receiver.url(path="/deleted"))
    await post(client, ingest_key, "three-ways")
    sender = Unexpected(app, "/odd", deleted["id"])
    try:
        done = await deliver_due(app.state.db, sender, now=datetime.now(UTC))
    finally:
        await sender.aclose()
    results = {d.message.subscription_id: d.result for d in done}
    assert results[healthy["id"]].ok
    assert results[odd["id"]].error == "internal error (RuntimeError); see the service log"
    assert [d["status_code"] for d in await deliveries(client, admin_key, healthy["id"])] == [200]
    assert len(await deliveries(client, admin_key, odd["id"])) == 1


class _TwoMinutesAhead(datetime):
    """The clock of a node that runs two minutes ahead of the database's: beyond the lease."""

    @classmethod
    def now(cls, tz: Any = None) -> Any:
        return datetime.now(tz) + timedelta(minutes=2)


async def test_a_round_goes_by_the_databases_clock_not_the_nodes(
    client: httpx.AsyncClient,
    app: FastAPI,
    conn: Any,
    admin_key: Headers,
    ingest_key: Headers,
    receiver: Receiver,
    sender: Sender,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Several nodes share the outbox, and their clocks differ a little or a lot: what is
    due and how long a lease lasts are the database's time (issue 22, part 3)."""
    await subscribe(client, admin_key, receiver.url())
    await post(client, ingest_key, "leased-elsewhere")
    # Another node claimed it a moment ago, by the database's clock: leased for a minute.
    await conn.execute(
        "UPDATE webhook_messages SET attempts = 1, next_attempt_at = statement_timestamp() + $1",
        LEASE,
    )
    monkeypatch.setattr(worker, "datetime", _TwoMinutesAhead)
    assert await deliver_due(app.state.db, sender) == []  # still that node's to send
    assert receiver.received == []
    # Its lease ran out: due, and the attempt is stamped with the database's time.
    await conn.execute("UPDATE webhook_messages SET next_attempt_at = statement_timestamp()")
    done = await deliver_due(app.state.db, sender)
    assert [(d.message.attempt, d.result.status_code) for d in done] == [(2, 200)]
    late = await conn.fetchval("SELECT statement_timestamp() - at FROM webhook_attempts")
    assert timedelta(0) <= late < timedelta(seconds=30)
