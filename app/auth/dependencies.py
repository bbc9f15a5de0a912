"""Who may call a route: `IngestKey`, `ReadKey`, `AdminKey` as route parameters.

Every failed key check (missing, malformed, unknown, revoked) gets the same
answer, sent no sooner than `auth_failure_seconds` after the check started,
so neither the body, the headers nor the timing tell which it was: a
malformed key, refused without a lookup, waits as long as a well-formed one
that cost one. A client address with too many failures in a window gets 429
for every failed check until the window ends (app.ratelimit), while a valid key
from that address still works (a shop behind the guesser's NAT); keys this
worker has cached as valid skip both, so the hot path pays nothing for them.
"""

import asyncio
import time
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, APIKeyQuery, HTTPAuthorizationCredentials, HTTPBearer

from app.auth.cache import KeyCache
from app.auth.service import Principal
from app.auth.tokens import Scope
from app.errors import (
    Forbidden,
    KeyInUrl,
    TooManyRequests,
    Unauthorized,
    UnsupportedMediaType,
)
from app.ratelimit.limiter import Verdict
from app.ratelimit.policies import STATE_KEY, RateLimits, refusal

# Both declared so the docs page offers both; either one is enough.
bearer = HTTPBearer(auto_error=False, description="`Authorization: Bearer fbk_...`")
api_key_header = APIKeyHeader(
    name="X-API-Key", auto_error=False, description="`X-API-Key: fbk_...`"
)
# navigator.sendBeacon() cannot set headers: publishable keys may come in the URL.
api_key_query = APIKeyQuery(
    name="key",
    auto_error=False,
    description="`?key=fbk_ingest_...`: publishable keys only, on the ingest routes "
    "(for `navigator.sendBeacon`). A secret key in a URL is refused (403).",
)
PRINCIPAL_KEY = "principal"  # request.state: the key, once checked (see authenticate_beacon)


async def _no_sooner(started: float, seconds: float) -> None:
    remaining = started + seconds - time.monotonic()
    if remaining > 0:
        await asyncio.sleep(remaining)


def _too_many_failures(request: Request, verdict: Verdict) -> TooManyRequests:
    request.scope.setdefault("state", {})[STATE_KEY] = verdict
    return refusal(
        verdict, f"Too many failed key checks from this address; retry in {verdict.reset} s."
    )


async def authenticate(
    request: Request,
    credentials: HTTPAuthorizationCredentials | None,
    header_key: str | None,
    url_key: str | None = None,
) -> Principal:
    started = time.monotonic()
    presented = credentials.credentials if credentials else header_key
    from_url = not presented and bool(url_key)
    if from_url:
        presented = url_key
    keys: KeyCache = request.app.state.keys
    principal = keys.cached(presented) if presented else None
    if principal is None:
        limits: RateLimits = request.app.state.ratelimits
        settings = request.app.state.settings
        blocked = await limits.blocked(request)
        if presented:
            # Looked up even from a blocked address: a valid key works from behind the
            # guesser's NAT too. A guess from there is refused (429) whatever it was,
            # after the same delay, so it learns nothing a valid key would not tell.
            principal = await keys.authenticate(request.app.state.db, presented)
        if principal is None and blocked is not None:
            await _no_sooner(started, settings.auth_failure_seconds)
            raise _too_many_failures(request, blocked)
        if principal is None:
            counted = await limits.failed(request)
            await _no_sooner(started, settings.auth_failure_seconds)
            if counted is not None and not counted.allowed:
                raise _too_many_failures(request, counted)
            if not presented:
                raise Unauthorized(
                    "Send the key as 'Authorization: Bearer <key>' or 'X-API-Key: <key>'."
                )
            # One answer for malformed, unknown and revoked keys: no hint which.
            raise Unauthorized("The API key is not valid.")
    if from_url and not principal.publishable:
        raise KeyInUrl(
            "Only publishable keys may be sent in the URL: URLs end up in logs and browser "
            "histories. Send this key in a header, and consider it exposed: revoke it."
        )
    origin = request.headers.get("origin")
    if principal.publishable and origin:
        if origin.lower() not in principal.allowed_origins:
            raise Forbidden("This key does not accept requests from this origin.")
        request.state.cors_origin = origin
    return principal


async def authenticate_beacon(request: Request) -> None:
    """A `text/plain` body (navigator.sendBeacon) is read as JSON only for a publishable
    key posting from one of its origins; for anyone else it stays a 415.

    Runs before the body is parsed (app.ingest.beacon.BeaconRoute); the key it
    checked is kept on the request for the route's own dependency.
    """
    credentials = await bearer(request)
    principal = await authenticate(
        request, credentials, await api_key_header(request), await api_key_query(request)
    )
    if not (principal.publishable and request.headers.get("origin")):
        raise UnsupportedMediaType(
            "Send the body as application/json (text/plain is read as JSON only from a "
            "browser posting with a publishable key from one of its origins)."
        )
    request.state.principal = principal


def _checked(request: Request) -> Principal | None:
    principal: Principal | None = request.scope.get("state", {}).get(PRINCIPAL_KEY)
    return principal


def require(scope: Scope) -> object:
    """A dependency: the calling key, which must have `scope` (or be admin).

    One dependency level on purpose: each level costs FastAPI several
    microseconds per request on the ingest path.
    """

    async def dependency(
        request: Request,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
        header_key: Annotated[str | None, Depends(api_key_header)],
    ) -> Principal:
        principal = await authenticate(request, credentials, header_key)
        if not principal.allows(scope):
            raise Forbidden(f"This route needs a key with scope '{scope.value}'.")
        await request.app.state.ratelimits.spend(request, principal)
        return principal

    return Depends(dependency)


def require_ingest() -> object:
    """`require(Scope.ingest)`, and publishable keys may also come as `?key=` (beacons)."""

    async def dependency(
        request: Request,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
        header_key: Annotated[str | None, Depends(api_key_header)],
        url_key: Annotated[str | None, Depends(api_key_query)],
    ) -> Principal:
        principal = _checked(request) or await authenticate(
            request, credentials, header_key, url_key
        )
        if not principal.allows(Scope.ingest):
            raise Forbidden(f"This route needs a key with scope '{Scope.ingest.value}'.")
        await request.app.state.ratelimits.spend(request, principal)
        return principal

    return Depends(dependency)


IngestKey = Annotated[Principal, require_ingest()]
ReadKey = Annotated[Principal, require(Scope.read)]
CasesKey = Annotated[Principal, require(Scope.cases)]
AdminKey = Annotated[Principal, require(Scope.admin)]
