from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict

from app.db import Database
from app.errors import ServiceUnavailable, problem_responses

router = APIRouter(tags=["health"])


class Health(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"status": "ok"}]})

    status: str


@router.get("/healthz", response_model=Health)
async def healthz() -> Health:
    """The process is alive (no dependencies checked). For liveness probes."""
    return Health(status="ok")


@router.get("/readyz", response_model=Health, responses=problem_responses(503))
async def readyz(request: Request) -> Health:
    """The database answers. For readiness probes and load balancers."""
    db: Database = request.app.state.db
    try:
        async with db.connection() as conn:
            await conn.fetchval("SELECT 1")
    except Exception as exc:
        raise ServiceUnavailable("The database does not answer.") from exc
    return Health(status="ok")
