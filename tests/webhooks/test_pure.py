"""The retry schedule, the signature and the address rules: pure functions."""

import base64
import ipaddress
from datetime import UTC, datetime, timedelta

import pytest
from standardwebhooks.webhooks import Webhook

from app.webhooks import schedule, signing, targets
from app.webhooks.delivery import without_addresses


def test_first_retry_comes_within_a_minute_and_attempts_span_more_than_a_day() -> None:
    first = schedule.retry_delay(1, 0.999999)
    assert first is not None
    assert first < timedelta(seconds=60)
    for rand in (0.0, 0.5, 0.999999):
        delays = [schedule.retry_delay(n, rand) for n in range(1, schedule.MAX_ATTEMPTS)]
        assert all(d is not None for d in delays)
        assert sum((d for d in delays if d), timedelta()) >= timedelta(hours=24)
    exact = [schedule.retry_delay(n, 0.5) for n in range(1, schedule.MAX_ATTEMPTS)]
    assert sum((d for d in exact if d), timedelta()) == timedelta(hours=31, minutes=53, seconds=30)
    assert schedule.retry_delay(schedule.MAX_ATTEMPTS, 0.5) is None  # 13 attempts, then failed


@pytest.mark.parametrize("attempts", range(1, schedule.MAX_ATTEMPTS))
def test_jitter_stays_within_ten_percent(attempts: int) -> None:
    base = schedule.RETRY_DELAYS[attempts - 1]
    low, high = schedule.retry_delay(attempts, 0.0), schedule.retry_delay(attempts, 0.999999)
    assert low is not None
    assert high is not None
    assert base * 0.9 <= low < high <= base * 1.1
    assert schedule.retry_delay(attempts, 0.5) == base


def test_a_subscription_is_disabled_after_a_day_of_failures_only() -> None:
    now = datetime(2026, 11, 24, 12, tzinfo=UTC)
    assert not schedule.should_disable(None, now)
    assert not schedule.should_disable(now - timedelta(hours=23, minutes=59), now)
    assert schedule.should_disable(now - timedelta(hours=24), now)


def test_signature_is_what_the_standard_webhooks_library_computes() -> None:
    secret = signing.new_secret()
    assert secret.startswith("whsec_")
    assert len(base64.b64decode(secret[6:])) == 32
    body = b'{"type": "feedback.created", "data": {"nps": 9}}'
    at = datetime(2026, 11, 24, 12, tzinfo=UTC)
    ours = signing.signature(secret, "msg_1", int(at.timestamp()), body)
    assert ours == Webhook(secret).sign("msg_1", at, body.decode())
    assert signing.signature(secret, "msg_2", int(at.timestamp()), body) != ours


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.215.14", True), ("2606:4700::1111", True), ("127.0.0.1", False),
        ("10.0.0.1", False), ("172.16.5.4", False), ("192.168.1.1", False),
        ("169.254.169.254", False), ("100.64.0.1", False), ("0.0.0.0", False),
        ("224.0.0.1", False), ("240.0.0.1", False), ("255.255.255.255", False), ("::1", False),
        ("::", False), ("fc00::1", False), ("fe80::1", False), ("ff02::1", False),
        ("::ffff:127.0.0.1", False), ("2002:a00:1::", False),
        # IPv6 forms that carry an IPv4 address: judged by it (they were all "public").
        ("::127.0.0.1", False), ("::a00:1", False), ("64:ff9b::7f00:1", False),
        ("64:ff9b::a9fe:a9fe", False), ("64:ff9b::808:808", True), ("64:ff9b:1::1", False),
        ("fec0::1", False), ("2001:0:4136:e378:8000:63bf:3fff:fdd2", False),
    ],
)  # fmt: skip
def test_only_public_unicast_addresses_are_allowed(address: str, public: bool) -> None:
    assert targets.is_public(ipaddress.ip_address(address)) is public


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/hook", "file:///etc/passwd", "example.com/hook", "http://",
        "https://user:pw@example.com/hook", "https://token@example.com/", "http://127.0.0.1/",
        "http://[::1]:8080/", "http://169.254.169.254/latest/meta-data", "http://10.1.2.3/",
        "https://example.com:99999/", "https://exa mple.com/",
        # Literal addresses in every spelling a resolver takes, and IPv6 carrying IPv4.
        "http://2130706433/", "http://0x7f.1/", "http://0177.0.0.1/", "http://127.1/",
        "http://[::127.0.0.1]/", "http://[64:ff9b::7f00:1]/", "http://[::ffff:a00:1]/",
        # Host names DNS cannot carry (one was saved and broke every delivery round).
        "https://" + "a" * 300 + ".example.com/", "https://a..example.com/",
        "https://" + ".".join(["a" * 60] * 5) + "/", "https://exa$mple.com/",
    ],
)  # fmt: skip
def test_urls_refused_when_saved(url: str) -> None:
    with pytest.raises(ValueError):  # noqa: PT011  (the message varies by case)
        targets.check_url(url, allow_private=False)


def test_names_and_public_addresses_are_accepted_when_saved() -> None:
    for url in ("https://crm.example.com/hooks?x=1", "http://localhost:8080/", "http://1.1.1.1/"):
        targets.check_url(url, allow_private=False)
    targets.check_url("http://127.0.0.1:9/", allow_private=True)


async def test_a_name_resolving_to_loopback_is_refused_at_delivery() -> None:
    with pytest.raises(targets.Refused, match="not public") as refused:
        await targets.resolve("localhost", 80, allow_private=False)
    assert "127.0.0.1" not in str(refused.value)  # which address is not said
    assert await targets.resolve("localhost", 80, allow_private=True)


@pytest.mark.parametrize(
    ("error", "shown"),
    [
        ("ConnectError: [Errno 111] Connect call failed ('10.1.2.3', 443)",
         "ConnectError: [Errno 111] Connect call failed ('<address>', 443)"),
        ("OSError: Connect call failed ('fd00::1', 443, 0, 0)",
         "OSError: Connect call failed ('<address>', 443, 0, 0)"),
        ("ConnectError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed",
         "ConnectError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed"),
        ("ReadError: at 12:30:45", "ReadError: at 12:30:45"),
    ],
)  # fmt: skip
def test_delivery_errors_do_not_say_where_a_name_resolved(error: str, shown: str) -> None:
    assert without_addresses(error) == shown
