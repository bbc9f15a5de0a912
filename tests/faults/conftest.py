"""A webhook receiver for the fault tests (the one of tests/webhooks, as a fixture here)."""

import asyncio
from collections.abc import AsyncIterator

import pytest

from tests.webhooks.conftest import Receiver


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    receiver = Receiver()
    server = await asyncio.start_server(receiver.handle, "127.0.0.1", 0)
    receiver.port = server.sockets[0].getsockname()[1]
    yield receiver
    server.close()
    for handler in list(receiver.handlers):
        handler.cancel()
    await server.wait_closed()
