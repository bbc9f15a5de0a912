"""Clients that behave like POS terminals: every event has an `event_id`, and an event
that was not acknowledged is sent again until it is. Every attempt is recorded with
its timing, so a test can say what the service answered while something was broken.
"""

import asyncio
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from app.errors import PROBLEM_MEDIA_TYPE

# The terminals post as fast as the service answers, from one key: rate limits
# (tests/ratelimit) would answer 429 on a fast machine, which is not what these
# tests are about.
UNLIMITED = {"FEEDBACK_RATE_LIMIT_INGEST": "off", "FEEDBACK_RATE_LIMIT_READ": "off"}

CHANNELS = ("pos", "web", "kiosk", "app")
FIRST_DAY = datetime(2026, 11, 1, tzinfo=UTC)
WINDOW = {"from": "2026-11-01T00:00:00Z", "to": "2026-11-21T00:00:00Z"}


def event(client: str, seq: int) -> dict[str, Any]:
    """Event `seq` of `client`: deterministic, spread over days, channels and scores."""
    n = sum(map(ord, client)) * 31 + seq * 7
    body: dict[str, Any] = {
        "event_id": f"{client}-{seq:05d}",
        "channel": CHANNELS[n % len(CHANNELS)],
        "location_id": f"loc-{n % 3}",
        "occurred_at": (FIRST_DAY + timedelta(hours=n % (19 * 24), minutes=seq % 60)).isoformat(),
        "nps": n % 11,
    }
    if seq % 3 == 0:
        body["csat"] = 1 + n % 5
    if seq % 4 == 1:
        body["ces"] = 1 + n % 7
    return body


@dataclass(frozen=True, slots=True)
class Attempt:
    sent: float  # time.monotonic() when sent
    took: float  # seconds until the answer (or the transport error)
    status: int | None  # None: no HTTP answer (see `error`)
    error: str | None = None
    problem: bool = False  # answered as application/problem+json
    retry_after: str | None = None

    @property
    def answered(self) -> float:
        return self.sent + self.took

    @property
    def ok(self) -> bool:
        return self.status in (200, 201)


@dataclass
class Pos:
    """One terminal: posts its events in order, each until it is stored.

    `batch` > 0 sends them in batches of that size (an offline queue being replayed),
    retried whole. Retries come after `retry` seconds, sooner than `Retry-After`
    asks, so that an outage is sampled densely.
    """

    http: httpx.AsyncClient
    key: str
    name: str
    batch: int = 0
    pause: float = 0.02
    retry: float = 0.05
    events: list[dict[str, Any]] = field(default_factory=list)
    attempts: list[Attempt] = field(default_factory=list)
    waiting_since: float | None = None  # when the request now unanswered was sent

    async def run(self, stop: asyncio.Event) -> None:
        """Until `stop` is set; the event in hand is still sent until it is stored."""
        seq = 0
        while not stop.is_set():
            bodies = [event(self.name, seq + i) for i in range(max(self.batch, 1))]
            seq += len(bodies)
            self.events.extend(bodies)
            while True:  # until acknowledged
                if await self._send(bodies):
                    break
                await asyncio.sleep(self.retry)
            await asyncio.sleep(self.pause)

    async def _send(self, bodies: list[dict[str, Any]]) -> bool:
        headers = {"Authorization": f"Bearer {self.key}"}
        sent = self.waiting_since = time.monotonic()
        try:
            if self.batch:
                response = await self.http.post(
                    "/v1/feedback/batch", json={"events": bodies}, headers=headers
                )
            else:
                response = await self.http.post("/v1/feedback", json=bodies[0], headers=headers)
        except httpx.TransportError as exc:
            self.attempts.append(Attempt(sent, time.monotonic() - sent, None, repr(exc)))
            return False
        finally:
            self.waiting_since = None
        attempt = Attempt(
            sent,
            time.monotonic() - sent,
            response.status_code,
            None if response.is_success else response.text[:300],
            response.headers.get("content-type") == PROBLEM_MEDIA_TYPE,
            response.headers.get("retry-after"),
        )
        if attempt.ok and self.batch and response.json()["rejected"] != 0:
            attempt = Attempt(attempt.sent, attempt.took, 299, response.text[:300])
        self.attempts.append(attempt)
        return attempt.ok


def attempts_of(terminals: list[Pos]) -> list[Attempt]:
    """Every attempt of every terminal, in the order they were sent."""
    return sorted((a for t in terminals for a in t.attempts), key=lambda a: a.sent)


def events_of(terminals: list[Pos]) -> list[dict[str, Any]]:
    return [e for t in terminals for e in t.events]


def report(figure: str, value: float | int | str) -> None:
    """A measured figure, on stderr (`pytest -s` shows it) for the record."""
    sys.stderr.write(f"\n[faults] {figure}: {value}\n")
