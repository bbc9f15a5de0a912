"""The limiter alone: notation, fixed windows aligned to the clock, failing open."""

import math

import pytest

from app.ratelimit import limiter
from app.ratelimit.limiter import Limiter, Policy, storage_uri


def test_policy_reads_the_library_notation_and_off() -> None:
    assert Policy.parse("ingest", "6000/minute") == Policy("ingest", 6000, 60)
    assert Policy.parse("read", "10 per 5 seconds") == Policy("read", 10, 5)
    assert Policy.parse("read", "off") is None
    assert Policy.parse("read", "") is None
    with pytest.raises(ValueError, match="parse"):
        Policy.parse("read", "lots")


def test_fields_are_draft_structured_fields() -> None:
    policy = Policy("ingest", 100, 60)
    assert policy.header == '"ingest";q=100;w=60'
    verdict = Limiter._verdict(policy, count=58, index=10, now=10 * 60 + 17.2)
    assert verdict.header == '"ingest";r=42;t=43'  # 42 left, 42.8 s rounded up


def test_verdict_refuses_past_the_amount_and_never_reports_less_than_one_second() -> None:
    policy = Policy("read", 3, 1)
    over = Limiter._verdict(policy, count=4, index=5, now=5.9999)
    assert (over.allowed, over.remaining, over.reset) == (False, 0, 1)
    last = Limiter._verdict(policy, count=3, index=5, now=5.0)
    assert (last.allowed, last.remaining, last.reset) == (True, 0, 1)


def test_storage_names() -> None:
    assert storage_uri("memory") == "async+memory://"
    assert storage_uri("redis://r:6379/1") == "async+redis://r:6379/1"
    assert storage_uri("rediss://r:6380") == "async+rediss://r:6380"


class Failing:
    def __init__(self) -> None:
        self.calls = 0

    async def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        self.calls += 1
        raise ConnectionError("refused")

    async def get(self, key: str) -> int:
        self.calls += 1
        raise ConnectionError("refused")


async def test_a_failed_storage_is_left_alone_for_a_while_then_tried_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock = [1000.0]
    monkeypatch.setattr("app.ratelimit.limiter.time.monotonic", lambda: clock[0])
    subject = Limiter("memory")
    failing = Failing()
    subject.storage = failing  # type: ignore[assignment]
    policy = Policy("ingest", 10, 60)
    for _ in range(5):
        assert await subject.hit(policy, "key") is None  # let through
        assert await subject.exhausted(policy, "addr") is None
    assert failing.calls == 1  # one try, then the storage is left alone
    clock[0] += limiter.RETRY_SECONDS + 0.001
    assert await subject.hit(policy, "key") is None
    assert failing.calls == 2
    assert math.isfinite(subject._down_until)
