"""Which quota a request spends, and who spends it.

- `ingest`: `POST /v1/feedback` and `POST /v1/feedback/batch`; `read`: every
  other `/v1` route (admin routes included). Each key has its own quota of each.
- A publishable (browser) key is shared by every visitor of a website, so it
  is counted per key *and client address*: one abusive visitor cannot use up
  the quota of the whole site.
- `auth-failures`: failed key checks per client address (app.auth.dependencies).

The client address is the one uvicorn reports: the peer, or the address in
`X-Forwarded-For` when the peer is a proxy named in `FORWARDED_ALLOW_IPS`
(uvicorn's default trusts 127.0.0.1 only).
"""

import uuid
from dataclasses import dataclass
from typing import Protocol

from starlette.requests import Request

from app.errors import TooManyRequests
from app.ratelimit.limiter import Limiter, Policy, Verdict
from app.settings import Settings

STATE_KEY = "ratelimit"  # request.state: the Verdict the response headers report


class Key(Protocol):
    """Who spends a quota: an API key (app.auth's Principal is one)."""

    @property
    def key_id(self) -> uuid.UUID: ...

    @property
    def publishable(self) -> bool: ...


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@dataclass(frozen=True, slots=True)
class RateLimits:
    limiter: Limiter
    ingest: Policy | None
    read: Policy | None
    auth_failures: Policy | None
    ingest_paths: frozenset[str]  # POSTs there spend the ingest quota (app.main wires them)

    @classmethod
    def from_settings(cls, settings: Settings, ingest_paths: frozenset[str]) -> "RateLimits":
        return cls(
            Limiter(settings.rate_limit_storage, settings.rate_limit_prefix),
            Policy.parse("ingest", settings.rate_limit_ingest),
            Policy.parse("read", settings.rate_limit_read),
            Policy.parse("auth-failures", settings.auth_failure_limit),
            ingest_paths,
        )

    async def spend(self, request: Request, principal: Key) -> None:
        """Count this request against its key's quota; 429 once that is used up."""
        ingest = request.method == "POST" and request.scope["path"] in self.ingest_paths
        policy = self.ingest if ingest else self.read
        if policy is None:
            return
        if principal.publishable:
            verdict = await self.limiter.hit(policy, principal.key_id.hex, client_address(request))
        else:
            verdict = await self.limiter.hit(policy, principal.key_id.hex)
        if verdict is None:  # storage failed: let it through (logged by the limiter)
            return
        request.scope.setdefault("state", {})[STATE_KEY] = verdict
        if not verdict.allowed:
            raise refusal(
                verdict,
                f"This key may send {policy.amount} {policy.name} requests per "
                f"{policy.window} s; retry in {verdict.reset} s.",
            )

    async def blocked(self, request: Request) -> Verdict | None:
        """The failure quota of this client address, if it is used up."""
        if self.auth_failures is None:
            return None
        return await self.limiter.exhausted(self.auth_failures, client_address(request))

    async def failed(self, request: Request) -> Verdict | None:
        """Count one failed key check from this client address: its Verdict, which is
        refused (and answered 429, not 401) when this failure is one too many. Counting
        decides, not `blocked()`: many failures at once all pass that check first."""
        if self.auth_failures is None:
            return None
        return await self.limiter.hit(self.auth_failures, client_address(request))


def refusal(verdict: Verdict, detail: str) -> TooManyRequests:
    return TooManyRequests(detail, retry_after=verdict.reset)
