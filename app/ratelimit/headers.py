"""The rate-limit fields of an answer (draft-ietf-httpapi-ratelimit-headers), read from
the verdict the key check left in the request state; app.http's ResponseHeaders adds them."""

from collections.abc import Mapping
from typing import Any

from app.ratelimit.limiter import Verdict
from app.ratelimit.policies import STATE_KEY


def ratelimit_fields(state: Mapping[str, Any]) -> list[tuple[bytes, bytes]]:
    verdict: Verdict | None = state.get(STATE_KEY)
    if verdict is None:
        return []
    return [
        (b"ratelimit-policy", verdict.policy.header.encode()),
        (b"ratelimit", verdict.header.encode()),
    ]
