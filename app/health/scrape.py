"""`GET /metrics`: the Prometheus scrape target, guarded by `FEEDBACK_METRICS`.

Not in the OpenAPI document: it is an operations endpoint in Prometheus's text
format, not part of the API (README, "Monitoring").
"""

import logging

from fastapi import APIRouter, Request, Response
from starlette.exceptions import HTTPException

from app.auth.dependencies import api_key_header, authenticate, bearer
from app.auth.tokens import Scope
from app.db import DatabaseDep, unavailable
from app.errors import Forbidden
from app.logs import redacted
from app.observability.prometheus import CONTENT_TYPE, DatabaseState, exposition, read_state
from app.replica import ReplicaDep
from app.settings import SettingsDep

log = logging.getLogger(__name__)

router = APIRouter(include_in_schema=False)

STATE_TIMEOUT = 2.0  # seconds; a scrape must answer even when the database does not


@router.get("/metrics")
async def metrics(
    request: Request, settings: SettingsDep, db: DatabaseDep, replica: ReplicaDep
) -> Response:
    """The service's metrics in the Prometheus text format (version 0.0.4)."""
    mode = settings.metrics
    if mode == "off":
        raise HTTPException(404)
    if mode == "admin":
        principal = await authenticate(
            request, await bearer(request), await api_key_header(request)
        )
        if not principal.allows(Scope.admin):
            raise Forbidden("The metrics need an admin key (or FEEDBACK_METRICS=open).")
    state: DatabaseState | None = None
    try:
        async with db.connection() as conn:
            state = await read_state(conn, STATE_TIMEOUT)
    except Exception as exc:  # reported as feedback_database_up 0, the rest still served
        if unavailable(exc):
            log.warning("metrics: the database did not answer (%s)", type(exc).__name__)
        else:
            log.error("metrics: reading the database state failed: %s", redacted(exc))
    return Response(exposition(state, replica), media_type=CONTENT_TYPE)
