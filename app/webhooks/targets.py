"""Where webhooks may go: http(s) URLs whose every address is public (SSRF defence).

`check_url` runs when a subscription is saved and again before each attempt (a
URL saved before a rule existed is refused then, as that message's failure);
`resolve` right before each attempt, and the request then connects to the
address it checked (so a name that resolves to a public address for the check
and to a private one for the connection, DNS rebinding, cannot reach the
private one).
"""

import asyncio
import ipaddress
import re
import socket
import unicodedata
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

MAX_URL_LENGTH = 2000

# The one wording of every refusal of a DNS answer: no address, and not whether the
# name exists (an attempt's error is readable through the API and must not map the
# internal network or its DNS).
NOT_PUBLIC = "the host's address is not public, or the host name does not resolve"


class Refused(Exception):
    """The target is not allowed; the message says why."""


def _networks(*cidrs: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(c) for c in cidrs)


# Not public whatever the running Python's `is_global` says (3.11 misses several):
# IANA's special-purpose registries, the entries not globally reachable, deprecated
# or for documentation; broader where a range holds a few anycast services no
# webhook is (192.0.0.0/24, 2001::/23).
NOT_PUBLIC_V4 = _networks(
    "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
    "172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16",
    "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
)  # fmt: skip
NOT_PUBLIC_V6 = _networks(
    "::/96",  # unspecified, loopback, and the deprecated IPv4-compatible ::a.b.c.d
    "::ffff:0:0:0/96",  # IPv4-translated (SIIT)
    "64:ff9b:1::/48",  # RFC 8215: a private network's NAT64, whatever it carries
    "100::/64",  # discard-only
    "2001::/23",  # IETF protocol assignments, Teredo (a tunnel to a host behind NAT) in it
    "2001:db8::/32", "3fff::/20",  # documentation
    "5f00::/16",  # SRv6 SIDs
    "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8",  # unique-local, link/site-local, multicast
)  # fmt: skip
NAT64 = ipaddress.IPv6Network("64:ff9b::/96")  # RFC 6052: the IPv4 address in the last 32 bits


def embedded_ipv4(address: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """Every IPv4 address an IPv6 address carries to a network: mapped, NAT64, 6to4,
    both ends of Teredo."""
    found = [address.ipv4_mapped, address.sixtofour, *(address.teredo or ())]
    if address in NAT64:
        found.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return [a for a in found if a is not None]


def is_public(address: IPAddress) -> bool:
    """Globally routable unicast. Refuses loopback, private (RFC 1918, unique-local),
    link-local, site-local, shared (100.64/10), multicast, unspecified, reserved,
    benchmarking and documentation ranges, IETF assignments; every IPv6 form that
    carries an IPv4 address is judged by it (mapped `::ffff:a.b.c.d`, NAT64
    `64:ff9b::a.b.c.d`, 6to4 `2002:AABB:CCDD::`), and the deprecated compatible
    `::a.b.c.d`, Teredo and a local NAT64 (`64:ff9b:1::/48`) are refused outright."""
    if isinstance(address, ipaddress.IPv6Address):
        if any(address in network for network in NOT_PUBLIC_V6):
            return False
        embedded = embedded_ipv4(address)
        if embedded:
            return all(is_public(a) for a in embedded)
    elif any(address in network for network in NOT_PUBLIC_V4):
        return False
    return address.is_global and not address.is_multicast and not address.is_reserved


@dataclass(frozen=True, slots=True)
class Target:
    """A checked URL, as delivery uses it."""

    scheme: str
    host: str  # ASCII: the IDNA-encoded name without a trailing dot, or the address
    address: IPAddress | None  # when the URL names an address literally
    port: int  # as given, or the scheme's
    explicit_port: bool
    path: str
    query: str

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if isinstance(self.address, ipaddress.IPv6Address) else self.host
        return f"{host}:{self.port}" if self.explicit_port else host


# The host part of an authority: a bracketed IPv6 literal or a bracket-free name,
# then an optional port (urlsplit took "[::1]x" for "[::1]").
_AUTHORITY = re.compile(r"(?:\[[^\[\]]*\]|[^\[\]:]*)(?::[0-9]*)?")
_LABEL = re.compile(r"[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?")
_NUMBER = re.compile(r"[0-9]+|0x[0-9a-f]*")  # a label an IPv4 parser takes as a number


def check_url(url: str, *, allow_private: bool) -> Target:
    """The URL as delivery uses it, or `ValueError` saying what is wrong with it."""
    if len(url) > MAX_URL_LENGTH:
        raise ValueError(f"at most {MAX_URL_LENGTH} characters")
    if any(c.isspace() or unicodedata.category(c)[0] in "CZ" for c in url):
        raise ValueError("must not contain spaces, control or invisible (format) characters")
    try:
        parts = urlsplit(url)
        port = parts.port  # raises on a port out of range or not a number
    except ValueError as exc:
        raise ValueError(f"is not a valid URL ({exc})") from exc
    if parts.scheme not in ("http", "https"):
        raise ValueError("must be an http:// or https:// URL")
    if "@" in parts.netloc:
        raise ValueError("must not contain credentials (user:password@)")
    if not parts.hostname:
        raise ValueError("needs a host")
    if not _AUTHORITY.fullmatch(parts.netloc):
        raise ValueError("has characters after the host that are not a port")
    if port == 0:
        raise ValueError("has an invalid port (0)")
    if "%" in parts.hostname:
        raise ValueError("must not name an IPv6 zone (%)")
    if parts.netloc.startswith("["):
        address: IPAddress | None = ipaddress.IPv6Address(parts.hostname)
        host = str(address)
    else:
        host = ascii_host(parts.hostname)
        address = ip_literal(host)
        if address is None:
            check_host_name(host, allow_private=allow_private)
        else:
            host = str(address)
    if address is not None and not allow_private and not is_public(address):
        raise ValueError(
            "the host is not a public address (loopback, private, link-local and "
            "similar addresses are refused)"
        )
    default = 443 if parts.scheme == "https" else 80
    return Target(
        parts.scheme, host, address, port or default, port is not None, parts.path, parts.query
    )


def ascii_host(host: str) -> str:
    """The name as the resolver and the TLS layer get it: IDNA-encoded (which also maps
    full-width digits and dots to ASCII), without a trailing dot."""
    try:
        encoded = host.encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise ValueError("has a host name that cannot be encoded (IDNA)") from exc
    return encoded.lower().removesuffix(".")


def check_host_name(host: str, *, allow_private: bool) -> None:
    """A name DNS can carry: labels of 1..63 octets, 253 in all (one that cannot be
    encoded was saved, and failed every delivery round); not ending in a number (an
    address spelled wrong, `1.2.3.4.5`); not `localhost` (RFC 6761: loopback)."""
    labels = host.split(".")
    if len(host) > 253 or any(not 1 <= len(label) <= 63 for label in labels):
        raise ValueError("has a host name that DNS cannot carry (labels of 1 to 63 octets, "
                         "253 in all)")  # fmt: skip
    if any(not _LABEL.fullmatch(label) for label in labels):
        raise ValueError("has a host name with characters DNS names do not have")
    if _NUMBER.fullmatch(labels[-1]):
        raise ValueError("has a host name ending in a number that is not an IPv4 address")
    if labels[-1] == "localhost" and not allow_private:
        raise ValueError("names the local host (localhost is loopback)")


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


Lookup = Callable[[str, int], Awaitable[list[str]]]


async def system_lookup(host: str, port: int) -> list[str]:
    """The addresses the system resolver gives (without blocking the event loop)."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


async def resolve(
    target: Target, *, allow_private: bool, lookup: Lookup = system_lookup
) -> list[IPAddress]:
    """Every address the target's host resolves to, all checked; `Refused` (with
    `NOT_PUBLIC`) when it resolves to nothing, fails to, or to any address that is
    not public."""
    if target.address is not None:
        found = [target.address]
    else:
        try:
            answers = await lookup(target.host, target.port)
            found = list(dict.fromkeys(ipaddress.ip_address(a) for a in answers))
        except (OSError, UnicodeError, ValueError) as exc:  # gaierror is an OSError
            raise Refused(NOT_PUBLIC) from exc
    if not found or (not allow_private and not all(is_public(a) for a in found)):
        raise Refused(NOT_PUBLIC)
    return found
