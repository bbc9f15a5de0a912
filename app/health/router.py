from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from app.db import DatabaseDep
from app.errors import ServiceUnavailable, problem_responses
from app.rollups import service as rollups

router = APIRouter(tags=["health"])


class Health(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"status": "ok"}]})

    status: str


class RollupLag(BaseModel):
    """How far the rollups are behind. Answers are exact anyway (the rest is read raw);
    a growing lag only makes them slower, so it is reported, not failed on."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"watermark": 1200345, "pending_events": 12, "lag_seconds": 1.8}]
        }
    )

    watermark: int = Field(description="Every event with id up to this is rolled up.")
    pending_events: int = Field(description="Committed events not rolled up yet (capped).")
    lag_seconds: float = Field(description="Age of the oldest event not rolled up; 0 if none.")


class Readiness(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "status": "ok",
                    "rollups": {"watermark": 1200345, "pending_events": 12, "lag_seconds": 1.8},
                }
            ]
        }
    )

    status: str
    rollups: RollupLag


@router.get("/healthz", response_model=Health)
async def healthz() -> Health:
    """The process is alive (no dependencies checked). For liveness probes."""
    return Health(status="ok")


@router.get("/readyz", response_model=Readiness, responses=problem_responses(503))
async def readyz(db: DatabaseDep) -> Readiness:
    """The database answers. For readiness probes and load balancers; also reports
    how far the metrics rollups are behind (`feedback rollups status` says more)."""
    try:
        async with db.connection() as conn:
            status = await rollups.status(conn)
    except Exception as exc:
        raise ServiceUnavailable("The database does not answer.") from exc
    return Readiness(
        status="ok",
        rollups=RollupLag(
            watermark=status.watermark,
            pending_events=status.pending_events,
            lag_seconds=round(status.lag_seconds, 3),
        ),
    )
