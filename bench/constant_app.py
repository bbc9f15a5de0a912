"""The ceiling for single-event ingest: a FastAPI route that returns a constant.

Served exactly like the service (uvicorn, one worker, uvloop + httptools, no
access log) and driven by the same wrk script with the same bodies, so the gap
between the two is what the service itself costs: parsing, validation, auth,
the database round trips and the response. The soak run (bench/soak.py) also
sends it batches and metric reads, at the same timetable as the service.
"""

from typing import Any

from fastapi import FastAPI

CONSTANT: dict[str, Any] = {"status": "accepted"}
# Shaped like the batch answer, so a client reading the counts gets numbers.
CONSTANT_BATCH: dict[str, Any] = {"accepted": 0, "duplicates": 0, "rejected": 0, "results": []}


def create_app() -> FastAPI:
    app = FastAPI(title="constant route (benchmark ceiling)")

    @app.post("/v1/feedback", status_code=201)
    async def constant() -> dict[str, Any]:
        return CONSTANT

    @app.post("/v1/feedback/batch")
    async def constant_batch() -> dict[str, Any]:
        return CONSTANT_BATCH

    @app.get("/v1/metrics/{name}")
    async def constant_metrics(name: str) -> dict[str, Any]:
        return CONSTANT

    @app.get("/healthz")
    async def healthz() -> dict[str, Any]:
        return {"status": "ok"}

    return app
