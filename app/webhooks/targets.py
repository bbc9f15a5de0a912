"""Where webhooks may go: http(s) URLs whose every address is public (SSRF defence).

`check_url` runs when a subscription is saved; `resolve` right before each
attempt, and the request then connects to the address it checked (so a name
that resolves to a public address for the check and to a private one for the
connection, DNS rebinding, cannot reach the private one).
"""

import asyncio
import ipaddress
import socket
from urllib.parse import SplitResult, urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

MAX_URL_LENGTH = 2000


class Refused(Exception):
    """The target is not allowed; the message says why."""


def is_public(address: IPAddress) -> bool:
    """Globally routable unicast. Refuses loopback, private (RFC 1918, unique-local),
    link-local, shared (100.64/10), multicast, unspecified, reserved and documentation
    ranges, and IPv6 forms that embed such an IPv4 address (mapped, 6to4, Teredo)."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour or (address.teredo or (None, None))[1]
        if embedded is not None and not is_public(embedded):
            return False
    return address.is_global and not address.is_multicast


def check_url(url: str, *, allow_private: bool) -> SplitResult:
    """The URL split, or `ValueError` saying what is wrong with it."""
    if len(url) > MAX_URL_LENGTH:
        raise ValueError(f"at most {MAX_URL_LENGTH} characters")
    if any(c.isspace() or ord(c) < 0x20 or ord(c) == 0x7F for c in url):
        raise ValueError("must not contain whitespace or control characters")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise ValueError("must be an http:// or https:// URL")
    if parts.username is not None or parts.password is not None:
        raise ValueError("must not contain credentials (user:password@)")
    if not parts.hostname:
        raise ValueError("needs a host")
    try:
        parts.port  # noqa: B018  (raises on a port out of range or not a number)
    except ValueError as exc:
        raise ValueError("has an invalid port") from exc
    literal = ip_literal(parts.hostname)
    if literal is not None and not allow_private and not is_public(literal):
        raise ValueError(
            f"{literal} is not a public address (loopback, private, link-local and "
            "similar addresses are refused)"
        )
    return parts


def ip_literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


async def resolve(host: str, port: int, *, allow_private: bool) -> list[IPAddress]:
    """Every address `host` resolves to (without blocking the event loop), all checked;
    `Refused` when it resolves to nothing or to any address that is not public."""
    literal = ip_literal(host)
    if literal is not None:
        found = [literal]
    else:
        loop = asyncio.get_running_loop()
        try:
            infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror as exc:
            raise Refused(f"cannot resolve {host}: {exc.strerror}") from exc
        found = list(dict.fromkeys(ipaddress.ip_address(info[4][0]) for info in infos))
    if not found:
        raise Refused(f"{host} resolves to no address")
    if not allow_private:
        refused = [a for a in found if not is_public(a)]
        if refused:
            raise Refused(
                f"{host} resolves to {', '.join(map(str, refused))}, not a public address "
                "(set FEEDBACK_WEBHOOKS_ALLOW_PRIVATE=true to allow)"
            )
    return found
