"""One `feedback serve` for the client libraries' tests (clients/, README "Client
libraries"): the generated clients talk to the service over HTTP on the loopback, as
their users' programs do, so they need a real process. Each language posts its own
events (its own `location_id`) and filters on them, so the two do not see each other's.
"""

import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy.engine import URL

from tests.served import create_keys, serve

CLIENTS = Path(__file__).resolve().parents[2] / "clients"

# The generated Python client is tested as it is in the repository, not an installed copy.
sys.path.insert(0, str(CLIENTS / "python"))


@dataclass
class Service:
    base_url: str
    keys: dict[str, str]  # scope: token


@pytest.fixture(scope="package")
async def service(fresh_database: Callable[[], Awaitable[URL]]) -> AsyncIterator[Service]:
    url = await fresh_database()
    keys = await create_keys(url)
    with serve(url) as served:
        yield Service(served.base_url, keys)
