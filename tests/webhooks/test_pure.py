"""The retry schedule, the signature and the address rules: pure functions."""

import base64
import ipaddress
import socket
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
        # Each embedding judged by what it carries, whatever it carries.
        ("64:ff9b::c0a8:101", False), ("::ffff:169.254.169.254", False),
        ("2002:a9fe:a9fe::", False), ("2002:6440:1::", False), ("64:ff9b:1:abcd::1", False),
        ("::ffff:8.8.8.8", True), ("2002:808:808::1", True),
        # Not public whatever the Python version's tables say (3.11 had them as global):
        # IETF assignments 192.0.0.0/24, the deprecated 6to4 relay anycast, the IPv6
        # documentation prefix 3fff::/20, SRv6 SIDs; the deprecated IPv4-compatible form
        # and Teredo (a tunnel to a host behind NAT) are refused whatever they carry.
        ("192.0.0.8", False), ("192.88.99.1", False), ("3fff::1", False), ("5f00::1", False),
        ("::8.8.8.8", False), ("2001:0:808:808::f7f7:fbfb", False), ("fe80::1%eth0", False),
        ("192.0.2.1", False), ("198.51.100.7", False), ("203.0.113.9", False),
        ("198.18.0.1", False), ("2001:db8::1", False), ("100::1", False), ("ff0e::1", False),
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
        # Literals spelled with a trailing dot or in full-width digits (IDNA maps them to
        # ASCII): the address the resolver reads is judged.
        "http://127.0.0.1./", "http://0x7f.1./", "http://2130706433./",
        "http://\uff11\uff12\uff17.\uff10.\uff10.\uff11/",
        # A name ending in a number is an address or nothing (WHATWG URL).
        "https://a.b.c.123/", "http://1.2.3.4.5/", "http://0x7f.0x0.0x0.0x1.0x1/",
        # Names reserved for loopback (RFC 6761).
        "https://localhost/", "https://localhost./", "https://api.localhost/",
        # Non-public literals the Python tables miss, zone ids, what follows "]".
        "http://192.0.0.8/", "http://[3fff::1]/", "http://[::8.8.8.8]/",
        "http://[2001:0:808:808::f7f7:fbfb]/", "http://[fe80::1%25eth0]/",
        "http://[2606:4700::1111]x/", "http://[2606:4700::1111]x:80/",
        # Port 0; invisible, format and C1 control characters (IDNA drops some).
        "https://example.com:0/", "https://ex\u200bample.com/", "https://ex\u00adample.com/",
        "https://example.com/\u009b", "https://example.com/\u2028", "https://exa\ufeffmple.com/",
    ],
)  # fmt: skip
def test_urls_refused_when_saved(url: str) -> None:
    with pytest.raises(ValueError):  # noqa: PT011  (the message varies by case)
        targets.check_url(url, allow_private=False)


@pytest.mark.parametrize(
    ("url", "host", "port", "host_header"),
    [
        ("https://crm.example.com/hooks?x=1", "crm.example.com", 443, "crm.example.com"),
        ("http://1.1.1.1/", "1.1.1.1", 80, "1.1.1.1"),
        ("http://1.1.1.1./", "1.1.1.1", 80, "1.1.1.1"),
        ("https://example.com.:8443/", "example.com", 8443, "example.com:8443"),
        ("https://example.com:/", "example.com", 443, "example.com"),
        ("https://B\u00fccher.example/x", "xn--bcher-kva.example", 443, "xn--bcher-kva.example"),
        ("https://\u2603.net:444/", "xn--n3h.net", 444, "xn--n3h.net:444"),
        ("https://_hooks.example.com/", "_hooks.example.com", 443, "_hooks.example.com"),
        ("https://[2606:4700::1111]:8443/", "2606:4700::1111", 8443, "[2606:4700::1111]:8443"),
        ("http://0x01.0x01.0x01.0x01/", "1.1.1.1", 80, "1.1.1.1"),
    ],
)  # fmt: skip
def test_names_and_public_addresses_are_accepted_when_saved(
    url: str, host: str, port: int, host_header: str
) -> None:
    """What delivery uses: the ASCII (IDNA) host, the port, the `Host` header (a
    non-ASCII host reached the HTTP client as is, and every attempt failed)."""
    target = targets.check_url(url, allow_private=False)
    assert (target.host, target.port, target.host_header) == (host, port, host_header)


def test_private_targets_are_accepted_when_allowed() -> None:
    for url in (
        "http://127.0.0.1:9/",
        "http://localhost:8080/",
        "http://[::1]/",
        "http://10.1.2.3/",
    ):
        targets.check_url(url, allow_private=True)


def answers(*found: str | socket.gaierror) -> targets.Lookup:
    async def lookup(host: str, port: int) -> list[str]:
        for item in found:
            if isinstance(item, socket.gaierror):
                raise item
        return [str(item) for item in found]

    return lookup


@pytest.mark.parametrize(
    "found",
    [
        ("127.0.0.1",), ("10.0.0.1",), ("93.184.215.14", "169.254.169.254"),
        ("::ffff:192.168.1.1",), ("64:ff9b::a00:1",), ("fd00::1",), (),
        (socket.gaierror(socket.EAI_NONAME, "Name or service not known"),),
        (socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution"),),
    ],
)  # fmt: skip
async def test_a_name_without_only_public_addresses_is_refused_in_the_same_words(
    found: tuple[str | socket.gaierror, ...],
) -> None:
    """A DNS answer is judged like a literal; the refusal says neither the address nor
    whether the name exists (the log through the API must not map internal DNS)."""
    target = targets.check_url("https://hooks.corp.example/x", allow_private=False)
    with pytest.raises(targets.Refused) as refused:
        await targets.resolve(target, allow_private=False, lookup=answers(*found))
    assert str(refused.value) == targets.NOT_PUBLIC
    assert "corp" not in str(refused.value)


async def test_the_system_resolver_is_checked_too() -> None:
    loopback = targets.check_url("http://localhost/", allow_private=True)
    with pytest.raises(targets.Refused, match="not public"):
        await targets.resolve(loopback, allow_private=False)
    assert await targets.resolve(loopback, allow_private=True)
    public = targets.check_url("https://hooks.example.com/", allow_private=False)
    found = await targets.resolve(public, allow_private=False, lookup=answers("93.184.215.14"))
    assert found == [ipaddress.ip_address("93.184.215.14")]


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
        ("OSError: Connect call failed ('::ffff:10.0.0.1', 80, 0, 0)",
         "OSError: Connect call failed ('<address>', 80, 0, 0)"),
        ("OSError: Multiple exceptions: [Errno 111] Connect call failed ('fe80::1%eth0', 80), "
         "[Errno 111] Connect call failed ('93.184.215.14', 80)",
         "OSError: Multiple exceptions: [Errno 111] Connect call failed ('<address>', 80), "
         "[Errno 111] Connect call failed ('<address>', 80)"),
        ("ConnectError: no route to [2606:4700::1111]:443.",
         "ConnectError: no route to [<address>]:443."),
        ("timed out after 10 s", "timed out after 10 s"),
        # An IPv4 address with its port, as a pinned URL or a socket address prints it.
        ("ConnectError: cannot connect to 10.1.2.3:443",
         "ConnectError: cannot connect to <address>:443"),
        ("ReadError: https://93.184.215.14:8443/hooks reset",
         "ReadError: https://<address>:8443/hooks reset"),
        ("OSError: ::ffff:10.0.0.1:80 unreachable.", "OSError: <address>:80 unreachable."),
        ("ReadError: at 2026-12-05 10:00:00.123", "ReadError: at 2026-12-05 10:00:00.123"),
    ],
)  # fmt: skip
def test_delivery_errors_do_not_say_where_a_name_resolved(error: str, shown: str) -> None:
    assert without_addresses(error) == shown
