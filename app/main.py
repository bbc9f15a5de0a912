"""The application factory: `create_app()` wires settings, database, routers and errors."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from app import __version__
from app.auth.cors import PublishableKeyCORS
from app.auth.router import router as keys_router
from app.db import create_engine, create_sessionmaker, resolve_database_url
from app.errors import install_error_handlers
from app.feedback.router import router as feedback_router
from app.health.router import router as health_router
from app.routing import BodyLimit, install_openapi, operation_id
from app.settings import Settings, get_settings

DESCRIPTION = """
Collects customer feedback from every channel (web, app, POS, kiosk, phone,
e-mail, SMS, chat, in person), **exactly once**, and serves satisfaction and
loyalty metrics.

**Authentication**: every `/v1` route needs an API key, sent as
`Authorization: Bearer fbk_...` or `X-API-Key: fbk_...`. Scopes: `ingest`
(post feedback), `read` (reads and metrics), `admin` (everything, keys).

**Errors** are always RFC 9457 `application/problem+json`, with `errors`
listing each invalid field as a JSON Pointer into your request.

**Idempotency**: give every event an `event_id`; posting it again is safe.
"""


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    engine = create_engine(await resolve_database_url(settings), settings)
    app.state.sessionmaker = create_sessionmaker(engine)
    try:
        yield
    finally:
        await engine.dispose()


def create_app(settings: Settings | None = None) -> FastAPI:
    app = FastAPI(
        title="Feedback service",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        generate_unique_id_function=operation_id,
    )
    app.state.settings = settings or get_settings()
    install_error_handlers(app)
    app.add_middleware(PublishableKeyCORS)
    app.add_middleware(
        BodyLimit,
        default_limit=app.state.settings.max_event_bytes,
        limits={"/v1/feedback/batch": app.state.settings.max_batch_bytes},
    )
    app.include_router(feedback_router)
    app.include_router(keys_router)
    app.include_router(health_router)
    install_openapi(app)
    return app
