"""Where webhooks may go: http(s) URLs whose every address is public (SSRF defence).

`check_url` runs when a subscription is saved; `resolve` right before each
attempt, and the request then connects to the address it checked (so a name
that resolves to a public address for the check and to a private one for the
connection, DNS rebinding, cannot reach the private one).
"""

import asyncio
import ipaddress
import re
import socket
from urllib.parse import SplitResult, urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

MAX_URL_LENGTH = 2000


class Refused(Exception):
    """The target is not allowed; the message says why."""


NAT64 = ipaddress.IPv6Network("64:ff9b::/96")  # RFC 6052: the IPv4 address in the last 32 bits
NAT64_LOCAL = ipaddress.IPv6Network("64:ff9b:1::/48")  # RFC 8215: a private network's NAT64
IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")  # deprecated ::a.b.c.d (RFC 4291 §2.5.5.1)


def embedded_ipv4(address: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """Every IPv4 address an IPv6 address carries to a network: mapped, compatible,
    NAT64, 6to4, and both ends of Teredo."""
    found = [address.ipv4_mapped, address.sixtofour, *(address.teredo or ())]
    if address in NAT64 or address in IPV4_COMPATIBLE:
        found.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return [a for a in found if a is not None]


def is_public(address: IPAddress) -> bool:
    """Globally routable unicast. Refuses loopback, private (RFC 1918, unique-local),
    link-local, site-local, shared (100.64/10), multicast, unspecified, reserved and
    documentation ranges, and every IPv6 form that carries such an IPv4 address
    (mapped `::ffff:a.b.c.d`, compatible `::a.b.c.d`, NAT64 `64:ff9b::a.b.c.d`, 6to4,
    Teredo), and a local NAT64 (`64:ff9b:1::/48`) whatever it carries."""
    if isinstance(address, ipaddress.IPv6Address):
        if address in NAT64_LOCAL or address.is_site_local:
            return False
        embedded = embedded_ipv4(address)
        if embedded:
            return all(is_public(a) for a in embedded)
    return address.is_global and not address.is_multicast and not address.is_reserved


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
    if literal is None:
        check_host_name(parts.hostname)
    elif not allow_private and not is_public(literal):
        raise ValueError(
            "the host is not a public address (loopback, private, link-local and "
            "similar addresses are refused)"
        )
    return parts


def check_host_name(host: str) -> None:
    """A name DNS can carry: IDNA-encodable, labels of 1..63 octets, 253 in all
    (one that cannot be encoded was saved, and failed every delivery round)."""
    try:
        encoded = host.encode("idna")  # what the resolver will do with it
    except UnicodeError as exc:
        raise ValueError("has a host name that cannot be encoded (IDNA)") from exc
    labels = encoded.rstrip(b".").split(b".")
    if len(encoded.rstrip(b".")) > 253 or any(not 1 <= len(label) <= 63 for label in labels):
        raise ValueError("has a host name that DNS cannot carry (labels of 1 to 63 octets, "
                         "253 in all)")  # fmt: skip
    if any(not re.fullmatch(rb"[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?", label)
           for label in labels):  # fmt: skip
        raise ValueError("has a host name with characters DNS names do not have")


def ip_literal(host: str) -> IPAddress | None:
    """The address a host names literally, in any spelling a resolver accepts: also
    `2130706433`, `0x7f.1`, `0177.0.0.1` and `127.1` (inet_aton), which are 127.0.0.1."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if host.isascii() and re.fullmatch(r"[0-9a-fA-FxX.]+", host):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
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
        except UnicodeError as exc:  # saved before host names were checked
            raise Refused(f"cannot resolve {host}: not an encodable host name") from exc
        found = list(dict.fromkeys(ipaddress.ip_address(info[4][0]) for info in infos))
    if not found:
        raise Refused(f"{host} resolves to no address")
    if not allow_private and not all(is_public(a) for a in found):
        # Which address is not said: an attempt's error is readable through the API,
        # and must not map the internal network.
        raise Refused(
            f"{host} resolves to an address that is not public "
            "(set FEEDBACK_WEBHOOKS_ALLOW_PRIVATE=true to allow)"
        )
    return found
