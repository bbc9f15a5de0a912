"""The application factory: `create_app()` wires settings, database, routers and errors."""

import gc
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from app import __version__
from app.alerts.router import router as alerts_router
from app.alerts.router import rules_router as alert_rules_router
from app.alerts.service import Context as AlertContext
from app.alerts.worker import AlertWorker
from app.api_docs.router import router as api_docs_router
from app.auth.cache import KeyCache
from app.auth.cors import PublishableKeyCORS
from app.auth.router import router as keys_router
from app.dashboard.router import router as dashboard_router
from app.db import Database, asyncpg_url, create_engine, libpq_url, resolve_database_url
from app.drivers.router import router as drivers_router
from app.errors import install_error_handlers
from app.feedback.maintenance import PartitionWorker
from app.feedback.router import router as feedback_router
from app.follow_ups.router import loop_router as follow_up_loop_router
from app.follow_ups.router import router as follow_ups_router
from app.follow_ups.router import rules_router as follow_up_rules_router
from app.health.router import router as health_router
from app.health.scrape import router as scrape_router
from app.http.middleware import BodyLimit, ResponseHeaders
from app.http.openapi import allow_head, install_openapi
from app.http.routes import operation_id
from app.ingest.router import BATCH_PATH, INGEST_PATHS
from app.ingest.router import router as ingest_router
from app.ingest.writer import EventWriter
from app.locations.router import router as locations_router
from app.metrics.router import router as metrics_router
from app.observability import prometheus
from app.observability.requests import Observe
from app.ratelimit.headers import ratelimit_fields
from app.ratelimit.policies import RateLimits
from app.replica import OPENAPI_HEADERS, ReadReplica, freshness_fields, get_read_database
from app.respondents.retention import RetentionWorker
from app.respondents.router import router as respondents_router
from app.rollups.worker import RollupWorker
from app.settings import Settings, get_settings
from app.text.router import router as themes_router
from app.text.service import Runtime as TextRuntime
from app.text.worker import TextWorker
from app.webhooks.delivery import Sender
from app.webhooks.router import router as webhooks_router
from app.webhooks.worker import WebhookWorker
from app.widget.router import router as widget_router

DESCRIPTION = """
Collects customer feedback from every channel (web, app, POS, kiosk, phone,
e-mail, SMS, chat, in person), **exactly once**, and serves satisfaction and
loyalty metrics.

**Authentication**: every `/v1` route needs an API key, sent as
`Authorization: Bearer fbk_...` or `X-API-Key: fbk_...`. Scopes: `ingest`
(post feedback), `read` (reads and metrics), `admin` (everything, keys, webhooks).

**Errors** are always RFC 9457 `application/problem+json`, with `errors`
listing each invalid field as a JSON Pointer into your request.

**Idempotency**: give every event an `event_id`; posting it again is safe.
"""


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    url = await resolve_database_url(settings)
    engine = create_engine(url, settings)
    prometheus.instrument_pool(
        engine.sync_engine.pool, settings.db_pool_size, settings.db_max_overflow
    )
    app.state.db = Database(engine)
    read_engine = None
    if settings.read_database_url:  # a streaming replica for the reads that may lag
        read_engine = create_engine(asyncpg_url(settings.read_database_url), settings,
                                    pre_ping=True)  # fmt: skip
        app.state.replica = ReadReplica(
            app.state.db,
            Database(read_engine),
            max_lag=settings.read_max_lag_seconds,
            interval=settings.read_probe_interval_seconds,
        )
        await app.state.replica.start()
    app.state.writer = EventWriter(app.state.db, max_pending=settings.ingest_queue_limit)
    await app.state.keys.start(libpq_url(url))
    app.state.rollups = RollupWorker(
        app.state.db, settings.zones_rolled_up, settings.rollup_interval_seconds,
        settings.rollup_rebuild_connections,
    )  # fmt: skip
    app.state.rollups.start()
    app.state.webhooks = WebhookWorker(
        app.state.db,
        Sender(
            timeout=settings.webhooks_timeout_seconds,
            allow_private=settings.webhooks_allow_private,
        ),
        settings.webhooks_interval_seconds,
        settings.webhooks_batch,
    )
    app.state.webhooks.start()
    app.state.retention = RetentionWorker(
        app.state.db,
        settings.retention_days,
        settings.retention_interval_seconds,
        months=settings.event_retention_months,
    )
    app.state.retention.start()
    app.state.alerts = AlertWorker(
        app.state.db,
        AlertContext(settings.default_tz, settings.follow_up_sla, settings.employee_min_n),
        settings.alerts_interval_seconds,
    )
    app.state.alerts.start()
    app.state.text = TextWorker(
        app.state.db,
        TextRuntime(
            settings.text_language_model, settings.text_embedding_model, settings.text_threads
        ),
        settings.text_interval_seconds,
        settings.text_batch,
    )
    app.state.text.start()
    app.state.partitions = PartitionWorker(app.state.db, settings.partitions_interval_seconds)
    app.state.partitions.start()
    # Everything allocated so far lives as long as the process: keep it out of the
    # cyclic GC's generations (measured +20 % batch throughput, docs/benchmarks.md).
    gc.freeze()
    try:
        yield
    finally:
        try:
            await app.state.webhooks.stop()
            await app.state.rollups.stop()
            await app.state.retention.stop()
            await app.state.alerts.stop()
            await app.state.text.stop()
            await app.state.partitions.stop()
            await app.state.writer.close()  # events already accepted are written first
        finally:
            await app.state.keys.stop()
            if read_engine is not None:
                await app.state.replica.stop()
                await read_engine.dispose()
            await engine.dispose()
            prometheus.worker_exited(os.getpid())  # its pool gauges no longer count


def create_app(settings: Settings | None = None) -> FastAPI:
    app = FastAPI(
        title="Feedback service",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        generate_unique_id_function=operation_id,
        # /docs and /redoc are served from the service's own copies (app/api_docs).
        docs_url=None,
        redoc_url=None,
        swagger_ui_oauth2_redirect_url=None,
    )
    app.state.settings = settings or get_settings()
    app.state.keys = KeyCache()  # listens (and so caches) once the lifespan starts it
    app.state.replica = None  # a ReadReplica once the lifespan made one (app.replica)
    # Connects (Redis) on first use; memory counters live as long as this app.
    app.state.ratelimits = RateLimits.from_settings(app.state.settings, INGEST_PATHS)
    install_error_handlers(app)
    app.add_middleware(
        BodyLimit,
        default_limit=app.state.settings.max_event_bytes,
        limits={BATCH_PATH: app.state.settings.max_batch_bytes},
    )
    # Around BodyLimit: its 413 on an ingest path must be readable by the posting page,
    # like every other refusal there, or a widget takes it for a network failure.
    app.add_middleware(PublishableKeyCORS, paths=INGEST_PATHS)
    # On every answer, refusals included; and where a read was made (app.replica).
    app.add_middleware(ResponseHeaders, state_fields=[ratelimit_fields, freshness_fields])
    # Outermost: request id, metrics and access line for every answer, refusals included.
    app.add_middleware(Observe, access_log=app.state.settings.access_log)
    app.include_router(ingest_router)
    app.include_router(feedback_router)
    app.include_router(keys_router)
    app.include_router(locations_router)
    app.include_router(metrics_router)
    app.include_router(drivers_router)
    app.include_router(follow_ups_router)
    app.include_router(follow_up_rules_router)
    app.include_router(alerts_router)
    app.include_router(themes_router)
    app.include_router(alert_rules_router)
    app.include_router(follow_up_loop_router)
    app.include_router(webhooks_router)
    app.include_router(respondents_router)
    app.include_router(health_router)
    app.include_router(dashboard_router)
    app.include_router(widget_router)
    app.include_router(api_docs_router)
    app.include_router(scrape_router)
    allow_head(app)
    install_openapi(app, headers={get_read_database: OPENAPI_HEADERS})
    return app
