"""Adds the `RateLimit-Policy` and `RateLimit` fields to every answer that spent a quota.

The fields of draft-ietf-httpapi-ratelimit-headers (structured fields, draft 08
and later): `RateLimit-Policy: "ingest";q=6000;w=60` names the quota and its
window in seconds, `RateLimit: "ingest";r=5990;t=42` what is left of it and
in how many seconds it comes back. A 429 carries them too, with `Retry-After`.
"""

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.ratelimit.limiter import Verdict
from app.ratelimit.policies import STATE_KEY


class RateLimitHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_fields(message: Message) -> None:
            if message["type"] == "http.response.start":
                verdict: Verdict | None = scope.get("state", {}).get(STATE_KEY)
                if verdict is not None:
                    headers = MutableHeaders(scope=message)
                    headers["RateLimit-Policy"] = verdict.policy.header
                    headers["RateLimit"] = verdict.header
            await send(message)

        await self.app(scope, receive, send_with_fields)
