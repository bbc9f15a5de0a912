"""One delivery attempt: resolve and check the target, sign, POST, classify the answer.

The request goes to the address that was checked (the URL's host replaced by
it, the `Host` header and TLS server name kept), so DNS cannot change between
the check and the connection. Connections are not kept alive: a pooled
connection to one address must not carry a request for another host name.
"""

import asyncio
import ipaddress
import logging
import re
import time
from dataclasses import dataclass
from urllib.parse import urlunsplit

import httpx

from app import __version__
from app.webhooks import signing
from app.webhooks.targets import Lookup, Refused, check_url, resolve, system_lookup

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Message:
    """A claimed message, with what is needed to send it."""

    id: int
    msg_id: str  # the webhook-id header: the same for every attempt
    subscription_id: int
    event_type: str
    body: bytes
    attempt: int  # this attempt's number, from 1
    url: str
    secret: str


@dataclass(frozen=True, slots=True)
class Result:
    status_code: int | None
    error: str | None
    duration_ms: int

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


# Whatever could be an address (IPv4, IPv6 with an IPv4 tail or a zone); each candidate
# is replaced only if it parses as one, so times of day and versions stay.
_CANDIDATE = re.compile(r"(?<![\w:.])[0-9A-Fa-f:.]*[:.][0-9A-Fa-f:.]*(?:%[\w.-]+)?")

MAX_ERROR_LENGTH = 500


def without_addresses(error: str) -> str:
    """An error as stored on an attempt (readable through the API): the addresses a
    host resolved to are left out (`Connect call failed ('10.1.2.3', 443)`)."""

    def hide(match: re.Match[str]) -> str:
        text = match.group()
        address, zone, _ = text.partition("%")
        core = address.rstrip(".:")  # the sentence's full stop, a port's colon
        if _is_address(core):
            return "<address>" + ("" if zone else address[len(core) :])
        # An address with an IPv4 tail and its port (`10.1.2.3:443`, a pinned URL):
        # without brackets, only a dotted address tells where the port begins.
        head, _, port = core.rpartition(":")
        if port.isdigit() and "." in head and _is_address(head):
            return "<address>" + text[len(head) :]
        return text

    return _CANDIDATE.sub(hide, error)


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def stored_error(error: str | None) -> str | None:
    """The error as an attempt stores it: without addresses, control characters (a NUL
    is no PostgreSQL text) or unbounded length."""
    if error is None:
        return None
    text = "".join(c if c.isprintable() else " " for c in without_addresses(error))
    return text if len(text) <= MAX_ERROR_LENGTH else text[: MAX_ERROR_LENGTH - 1] + "…"


class Sender:
    """POSTs messages; one per worker, closed with it. `lookup` resolves host names
    (the system resolver; tests give their own)."""

    def __init__(
        self, *, timeout: float, allow_private: bool, lookup: Lookup = system_lookup
    ) -> None:
        self.timeout = timeout
        self.allow_private = allow_private
        self.lookup = lookup
        self.client = httpx.AsyncClient(
            timeout=timeout,
            follow_redirects=False,
            trust_env=False,  # a proxy from the environment would bypass the address check
            limits=httpx.Limits(max_keepalive_connections=0),
            headers={"user-agent": f"feedback-service-webhooks/{__version__}"},
        )

    async def aclose(self) -> None:
        await self.client.aclose()

    async def send(self, message: Message) -> Result:
        """Never raises (but for cancellation): every outcome is a Result."""
        start = time.monotonic()

        def result(status: int | None, error: str | None) -> Result:
            return Result(status, error, round((time.monotonic() - start) * 1000))

        try:
            async with asyncio.timeout(self.timeout):
                status = await self._post(message)
        except Refused as exc:
            return result(None, f"refused: {exc}")
        except (TimeoutError, httpx.TimeoutException):
            return result(None, f"timed out after {self.timeout:g} s")
        except (httpx.HTTPError, OSError) as exc:
            return result(None, without_addresses(f"{type(exc).__name__}: {exc}".rstrip(": ")))
        except Exception as exc:  # this message's failure is its own, never the round's
            log.exception("webhook message %s: unexpected error", message.msg_id)
            return result(None, f"internal error ({type(exc).__name__}); see the service log")
        return result(status, None if 200 <= status < 300 else f"HTTP {status}")

    async def _post(self, message: Message) -> int:
        try:  # again: a URL saved before a rule existed is refused here, not sent
            target = check_url(message.url, allow_private=self.allow_private)
        except ValueError as exc:
            raise Refused(f"the URL is not acceptable: {exc}") from exc
        addresses = await resolve(target, allow_private=self.allow_private, lookup=self.lookup)
        headers = {
            "content-type": "application/json",
            "host": target.host_header,  # ASCII: an IDN host is sent IDNA-encoded
            **signing.headers(message.secret, message.msg_id, int(time.time()), message.body),
        }
        last: httpx.ConnectError | None = None
        for address in addresses:  # the next address only when this one refuses to connect
            literal = f"[{address}]" if address.version == 6 else str(address)
            pinned = urlunsplit(
                (target.scheme, f"{literal}:{target.port}", target.path or "/", target.query, "")
            )
            try:
                async with self.client.stream(
                    "POST",
                    pinned,
                    content=message.body,
                    headers=headers,
                    # TLS checks the certificate for the host (its name, or its address)
                    extensions={"sni_hostname": target.host},
                ) as response:
                    return response.status_code  # the body is not read
            except httpx.ConnectError as exc:
                last = exc
        assert last is not None  # resolve() returns at least one address
        raise last
