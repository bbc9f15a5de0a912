"""A real HTTP receiver on 127.0.0.1 that the tests tell to fail, hang or answer;
apps that allow private webhook targets (the receiver is on loopback)."""

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
from fastapi import FastAPI
from sqlalchemy.engine import URL

from app.db import libpq_url
from app.main import create_app
from app.settings import Settings
from app.webhooks.delivery import Sender


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    status: int  # what the receiver answered (0: it hung up without answering)


@dataclass
class Receiver:
    """Minimal HTTP/1.1 server: answers `statuses` in turn (then 200), or hangs while
    `hang` is set. Every request is kept in `received`."""

    port: int = 0
    statuses: list[int] = field(default_factory=list)
    hang: bool = False
    delay: float = 0.0
    received: list[Received] = field(default_factory=list)
    arrived: asyncio.Event = field(default_factory=asyncio.Event)
    handlers: set[asyncio.Task[None]] = field(default_factory=set)

    def url(self, path: str = "/hook", host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def acked(self) -> list[Received]:
        return [r for r in self.received if 200 <= r.status < 300]

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self.handlers.add(task)
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            path = lines[0].split(" ")[1]
            headers = {
                k.strip().lower(): v.strip()
                for k, _, v in (line.partition(":") for line in lines[1:] if line)
            }
            body = await reader.readexactly(int(headers.get("content-length", "0")))
            request = Received(path, headers, body, 0)
            self.received.append(request)
            self.arrived.set()
            if self.hang:
                await asyncio.sleep(3600)  # until the client gives up or the test ends
            if self.delay:
                await asyncio.sleep(self.delay)
            request.status = self.statuses.pop(0) if self.statuses else 200
            writer.write(
                f"HTTP/1.1 {request.status} X\r\nContent-Length: 0\r\n"
                "Connection: close\r\n\r\n".encode()
            )
            await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.CancelledError):
            pass
        finally:
            writer.close()
            self.handlers.discard(task)


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    receiver = Receiver()
    server = await asyncio.start_server(receiver.handle, "127.0.0.1", 0)
    receiver.port = server.sockets[0].getsockname()[1]
    yield receiver
    server.close()
    for handler in list(receiver.handlers):  # a hanging one (Python 3.11 has no close_clients)
        handler.cancel()
    await server.wait_closed()


@pytest.fixture
def settings() -> Settings:
    return Settings(
        database_url="postgresql://unused-in-rolled-back-tests/none", webhooks_allow_private=True
    )


@pytest.fixture
async def sender() -> AsyncIterator[Sender]:
    sender = Sender(timeout=2, allow_private=True)
    yield sender
    await sender.aclose()


@pytest.fixture
async def live_app(live_url: URL) -> AsyncIterator[FastAPI]:
    """The live app with its delivery worker off: the tests run the rounds themselves."""
    settings = Settings(
        database_url=libpq_url(live_url),
        db_pool_size=20,
        webhooks_allow_private=True,
        webhooks_interval_seconds=0,
        rollup_interval_seconds=0,
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        yield app
