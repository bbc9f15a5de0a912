"""Per-key rate limits in fixed windows, counted in process memory or in Redis.

The counting is the `limits` library's: its storages give an atomic
increment-with-expiry in process memory (`async+memory://`) or in Redis
(`async+redis://`, one Lua call), and its notation ("100/second",
"6000/minute") is the settings' notation. The windows are ours, and aligned to
the clock (window n covers [n·w, (n+1)·w) seconds of Unix time): one increment
then tells both what is left (`r`) and when it comes back (`t`), so every
answer carries exact `RateLimit` headers for one round trip to the storage.
The library's moving and sliding-window strategies answer only "allowed or
not" and need a second round trip for those figures. The price of fixed
windows is that a client may spend its quota at the end of one window and
again at the start of the next (twice the rate over a short span).

A storage that fails (Redis down, slow, refusing) lets the request through
and logs a warning at most every `WARN_EVERY_SECONDS`: rate limits protect
the service, and losing them for a while is better than refusing every
customer's feedback while Redis is away. After a failure the storage is left
alone for `RETRY_SECONDS` (requests meanwhile are not counted), so an outage
costs one slow request per worker and period, not every request.
"""

import logging
import math
import time
from dataclasses import dataclass

from limits import RateLimitItem, parse
from limits.aio.storage import Storage
from limits.storage import storage_from_string

from app.settings import rate_limit_off

log = logging.getLogger(__name__)

WARN_EVERY_SECONDS = 30.0
# A hung Redis costs one request per worker and RETRY_SECONDS at most this. Not less:
# a busy worker may read a prompt answer late, and a timeout lets requests through.
REDIS_TIMEOUT_SECONDS = 1.0
RETRY_SECONDS = 2.0


@dataclass(frozen=True, slots=True)
class Policy:
    """A named quota: `amount` requests per `window` seconds."""

    name: str
    amount: int
    window: int

    @classmethod
    def parse(cls, name: str, notation: str) -> "Policy | None":
        """`"100/second"`, `"6000/minute"`, `"10 per 5 seconds"`; empty or `off`: None."""
        if rate_limit_off(notation):
            return None
        item: RateLimitItem = parse(notation)
        return cls(name, item.amount, item.get_expiry())

    @property
    def header(self) -> str:
        """The `RateLimit-Policy` member (draft-ietf-httpapi-ratelimit-headers)."""
        return f'"{self.name}";q={self.amount};w={self.window}'


@dataclass(frozen=True, slots=True)
class Verdict:
    policy: Policy
    allowed: bool
    remaining: int
    reset: int  # whole seconds until the window ends, at least 1

    @property
    def header(self) -> str:
        """The `RateLimit` member (draft-ietf-httpapi-ratelimit-headers)."""
        return f'"{self.policy.name}";r={self.remaining};t={self.reset}'


def storage_uri(setting: str) -> str:
    """The settings' storage names in the library's notation."""
    value = setting.strip()
    if value.lower() in ("", "memory", "memory://"):
        return "async+memory://"
    if value.startswith(("redis://", "rediss://", "redis+unix://")):
        return "async+" + value
    return value  # already async+...://


class Limiter:
    """Counts hits per (policy, identifiers) in the storage named by `uri`."""

    def __init__(self, uri: str, prefix: str = "feedback") -> None:
        self.uri = storage_uri(uri)
        self.shared = not self.uri.startswith("async+memory")
        options: dict[str, float | str] = {}
        if self.shared:
            # redis-py's asyncio client: 66-71 us of CPU per call here, coredis (the
            # library's default) 149-154 us (measured, docs/benchmarks.md "Rate limits").
            options = {
                "implementation": "redispy",
                "key_prefix": prefix,
                "socket_timeout": REDIS_TIMEOUT_SECONDS,
                "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
            }
        storage = storage_from_string(self.uri, **options)
        assert isinstance(storage, Storage)  # async+ schemes give async storages
        self.storage = storage
        self._warned_at = -math.inf
        self._down_until = -math.inf

    def _key(self, policy: Policy, index: int, identifiers: tuple[str, ...]) -> str:
        return f"{policy.name}/{index}/{'/'.join(identifiers)}"

    async def hit(self, policy: Policy, *identifiers: str) -> Verdict | None:
        """Count one request; None when the storage failed (the request goes through)."""
        if self._down_until > time.monotonic():
            return None
        now = time.time()
        index = int(now // policy.window)
        try:
            # The entry outlives its window by a second, so a clock step between
            # workers cannot make a window's counter vanish while it is still in use.
            count = await self.storage.incr(
                self._key(policy, index, identifiers), policy.window + 1
            )
        except Exception as exc:
            self._warn(exc)
            return None
        return self._verdict(policy, count, index, now)

    async def exhausted(self, policy: Policy, *identifiers: str) -> Verdict | None:
        """The current state without counting: a Verdict if the quota is used up, else None."""
        if self._down_until > time.monotonic():
            return None
        now = time.time()
        index = int(now // policy.window)
        try:
            count = await self.storage.get(self._key(policy, index, identifiers))
        except Exception as exc:
            self._warn(exc)
            return None
        if count < policy.amount:
            return None
        return self._verdict(policy, count + 1, index, now)

    @staticmethod
    def _verdict(policy: Policy, count: int, index: int, now: float) -> Verdict:
        reset = max(1, math.ceil((index + 1) * policy.window - now))
        return Verdict(policy, count <= policy.amount, max(0, policy.amount - count), reset)

    def _warn(self, exc: Exception) -> None:
        now = time.monotonic()
        self._down_until = now + RETRY_SECONDS
        if now - self._warned_at >= WARN_EVERY_SECONDS:
            self._warned_at = now
            log.warning(
                "rate limit storage failed (%s: %s); requests are not limited meanwhile",
                type(exc).__name__,
                exc,
            )
