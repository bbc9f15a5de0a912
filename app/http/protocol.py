"""The HTTP/1.1 server protocol `feedback serve` runs: uvicorn's httptools protocol with
bounds on what a client may send before its request reaches the app.

uvicorn bounds neither the size nor the number of request header fields with httptools,
nor the time a client takes to send them: a 200 MB header to `/healthz` was read in full
(28 s, 494 MB of one worker), and a client that opens connections and trickles bytes
holds them for ever. Here, per request:

- the request line and header fields together may take `max_header_bytes`, and there may
  be `max_header_fields` fields: past either, `431` problem+json and the connection is
  closed (counted as parsed, and while a head is incomplete also as its bytes arrive,
  so at most one read buffer more is held; a body arriving in the same read as its
  head is not counted: the routes bound bodies);
- they must all have arrived within `header_timeout_seconds` of the request's first byte
  (or of the connection's opening): past it, `408` problem+json and the connection is closed.

A request body is bounded by the routes (`max_event_bytes`, `max_batch_bytes`).
"""

import asyncio
from typing import Any

import httptools
import orjson
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from app.errors import PROBLEM_MEDIA_TYPE, PROBLEM_TYPE_PREFIX
from app.settings import get_settings

REASONS = {408: b"Request Timeout", 431: b"Request Header Fields Too Large"}


class HeaderLimit(Exception):
    """Raised from a parser callback: the request's header fields are past a bound."""


def refusal(status: int, slug: str, detail: str) -> bytes:
    """A complete HTTP/1.1 problem+json answer that closes the connection."""
    body = orjson.dumps(
        {
            "type": PROBLEM_TYPE_PREFIX + slug,
            "title": REASONS[status].decode(),
            "status": status,
            "detail": detail,
        }
    )
    head = (
        b"HTTP/1.1 %d %s\r\ncontent-type: %s\r\ncontent-length: %d\r\nconnection: close\r\n\r\n"
        % (status, REASONS[status], PROBLEM_MEDIA_TYPE.encode(), len(body))
    )
    return head + body


class BoundedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with the bounds above (settings read once per process)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        settings = get_settings()
        self.max_header_bytes = settings.max_header_bytes
        self.max_header_fields = settings.max_header_fields
        self.header_timeout = settings.header_timeout_seconds
        self.reading_headers = True  # until this request's header fields are complete
        self.header_bytes = 0
        self.header_fields = 0
        self.heads_completed = 0
        self.head_size = 0
        self.header_deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self.arm_header_deadline()

    def connection_lost(self, exc: Exception | None) -> None:
        self.disarm_header_deadline()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if not self.reading_headers:
            super().data_received(data)
            return
        self._unset_keepalive_if_required()
        self.arm_header_deadline()
        heads_before = self.heads_completed
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserCallbackError as exc:
            if isinstance(exc.__context__, HeaderLimit):
                self.refuse(431, "header-fields-too-large", str(exc.__context__))
                return
            self.send_400_response("Invalid HTTP request received.")
            return
        except httptools.HttpParserError:
            self.send_400_response("Invalid HTTP request received.")
            return
        except httptools.HttpParserUpgrade:
            if self._should_upgrade():  # pragma: no cover - the app has no websockets
                self.handle_websocket_upgrade()
            else:
                self._unsupported_upgrade_warning()
            return
        if self.heads_completed != heads_before:
            # A head ended in this chunk, and with it maybe a whole request with its body:
            # the bytes of a next head after it are counted from the next chunk on.
            return
        if self.reading_headers:  # the whole chunk was (part of) the request's head
            self.header_bytes += len(data)
            if self.header_bytes > self.max_header_bytes:
                self.refuse(431, "header-fields-too-large", self.too_large)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self.reading_headers = True
        self.header_fields = 0
        self.head_size = 0

    def on_url(self, url: bytes) -> None:
        self.grow_head(len(url))
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self.header_fields += 1
        if self.header_fields > self.max_header_fields:
            raise HeaderLimit(f"The request has more than {self.max_header_fields} header fields.")
        self.grow_head(len(name) + len(value) + 4)  # "name: value\r\n"
        super().on_header(name, value)

    def grow_head(self, size: int) -> None:
        """The head's size as parsed (a head that arrives whole in one read is not seen
        by the per-read count in `data_received`)."""
        self.head_size += size
        if self.head_size > self.max_header_bytes:
            raise HeaderLimit(self.too_large)

    @property
    def too_large(self) -> str:
        return f"The request line and header fields take more than {self.max_header_bytes} bytes."

    def on_headers_complete(self) -> None:
        self.heads_completed += 1
        self.reading_headers = False
        self.header_bytes = 0
        self.disarm_header_deadline()
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        super().on_message_complete()
        # The next request on this connection starts its own count (and its clock with
        # its first byte; until then uvicorn's keep-alive timeout applies).
        self.reading_headers = True
        self.header_bytes = 0

    def arm_header_deadline(self) -> None:
        if self.header_deadline is None and self.header_timeout > 0:
            self.header_deadline = self.loop.call_later(self.header_timeout, self.headers_late)

    def disarm_header_deadline(self) -> None:
        if self.header_deadline is not None:
            self.header_deadline.cancel()
            self.header_deadline = None

    def headers_late(self) -> None:
        self.header_deadline = None
        if self.reading_headers and not self.transport.is_closing():
            self.refuse(
                408,
                "request-timeout",
                f"The request's header fields did not arrive within "
                f"{self.header_timeout:g} seconds.",
            )

    def refuse(self, status: int, slug: str, detail: str) -> None:
        self.logger.warning("Refused a request: %s", detail)
        self.disarm_header_deadline()
        self.transport.write(refusal(status, slug, detail))
        self.transport.close()
