"""The ceiling for single-event ingest: a FastAPI route that returns a constant.

Served exactly like the service (uvicorn, one worker, uvloop + httptools, no
access log) and driven by the same wrk script with the same bodies, so the gap
between the two is what the service itself costs: parsing, validation, auth,
the database round trips and the response.
"""

from typing import Any

from fastapi import FastAPI

CONSTANT: dict[str, Any] = {"status": "accepted"}


def create_app() -> FastAPI:
    app = FastAPI(title="constant route (benchmark ceiling)")

    @app.post("/v1/feedback", status_code=201)
    async def constant() -> dict[str, Any]:
        return CONSTANT

    @app.get("/healthz")
    async def healthz() -> dict[str, Any]:
        return {"status": "ok"}

    return app
