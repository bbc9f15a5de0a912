from datetime import datetime
from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field, JsonValue

from app.db import DatabaseDep
from app.errors import ServiceUnavailable, problem_responses
from app.replica import ReadReplica, ReplicaDep
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


REPLICA_EXAMPLE: dict[str, JsonValue] = {
    "state": "healthy",
    "reads": "replica",
    "lag_seconds": 0.012,
    "max_lag_seconds": 30.0,
    "replayed_at": "2026-11-26T10:00:00.123456Z",
    "rollup_watermark": 1200341,
    "checked_at": "2026-11-26T10:00:00.5Z",
    "detail": None,
}


class ReplicaReadiness(BaseModel):
    """The read replica (`FEEDBACK_READ_DATABASE_URL`) as this worker's latest check found
    it. Never fails readiness: while it is lagging or down, reads go to the primary."""

    model_config = ConfigDict(json_schema_extra={"examples": [REPLICA_EXAMPLE]})

    state: Literal["healthy", "lagging", "down"] = Field(
        description="`healthy`: answers, is a standby, and its replay is within "
        "`max_lag_seconds` of the primary; `lagging`: further behind (or by an unknown "
        "time); `down`: does not answer, or is no standby."
    )
    reads: Literal["replica", "primary"] = Field(
        description="Where the metrics, event lists, exports and reports read now: the "
        "replica only while it is healthy, else falling back to the primary."
    )
    lag_seconds: float | None = Field(
        description="How far its replay is behind the primary; null when not known (down)."
    )
    max_lag_seconds: float = Field(description="`FEEDBACK_READ_MAX_LAG_SECONDS`.")
    replayed_at: datetime | None = Field(
        description="Commit time of the last transaction it replayed (null: none since it "
        "started, or down)."
    )
    rollup_watermark: int | None = Field(description="The rollup watermark it holds.")
    checked_at: datetime | None = Field(description="When it was last checked.")
    detail: str | None = Field(description="Why it is lagging or down.")


class Readiness(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "status": "ok",
                    "rollups": {"watermark": 1200345, "pending_events": 12, "lag_seconds": 1.8},
                    "replica": REPLICA_EXAMPLE,
                }
            ]
        }
    )

    status: str
    rollups: RollupLag
    replica: ReplicaReadiness | None = Field(
        default=None, description="Only with `FEEDBACK_READ_DATABASE_URL` set."
    )


@router.get("/healthz", response_model=Health)
async def healthz() -> Health:
    """The process is alive (no dependencies checked). For liveness probes."""
    return Health(status="ok")


@router.get(
    "/readyz",
    response_model=Readiness,
    response_model_exclude_unset=True,  # no `replica` without one
    responses=problem_responses(503),
)
async def readyz(db: DatabaseDep, replica: ReplicaDep) -> Readiness:
    """The database answers. For readiness probes and load balancers; also reports
    how far the metrics rollups are behind (`feedback rollups status` says more) and,
    with a read replica, its state and whether reads fall back to the primary (which
    does not fail readiness)."""
    try:
        async with db.connection() as conn:
            status = await rollups.status(conn)
    except Exception as exc:
        raise ServiceUnavailable("The database does not answer.") from exc
    rollup_lag = RollupLag(
        watermark=status.watermark,
        pending_events=status.pending_events,
        lag_seconds=round(status.lag_seconds, 3),
    )
    if replica is None:
        return Readiness(status="ok", rollups=rollup_lag)
    return Readiness(status="ok", rollups=rollup_lag, replica=replica_readiness(replica))


def replica_readiness(replica: ReadReplica) -> ReplicaReadiness:
    seen = replica.observation
    return ReplicaReadiness(
        state=seen.state,
        reads="replica" if seen.serves_reads else "primary",
        lag_seconds=seen.lag_seconds,
        max_lag_seconds=replica.max_lag,
        replayed_at=seen.replayed_at,
        rollup_watermark=seen.rollup_watermark,
        checked_at=seen.checked_at,
        detail=seen.detail,
    )
