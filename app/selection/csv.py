"""CSV answers for BI tools (Power BI Web connector, Grafana Infinity, pandas, spreadsheets).

RFC 4180: a header row, comma-separated, CRLF line ends, fields quoted when
needed; timestamps in ISO 8601 with offset; empty for null.

Text that clients wrote (comments, ids) and that starts like a spreadsheet
formula gets a leading `'`, so a CSV opened in Excel or LibreOffice cannot
run `=HYPERLINK(...)` or `=cmd|...` from a customer's comment (OWASP "CSV
injection"). Numbers are never touched; NDJSON and JSON answers are exact.
"""

import csv
import io
from collections.abc import AsyncIterable, Iterable, Sequence
from datetime import datetime
from typing import Annotated, Any, Literal

import orjson
from fastapi import Query, Request, Response
from fastapi.responses import StreamingResponse

from app.errors import problem_responses

CSV_MEDIA_TYPE = "text/csv"


def wants_csv(request: Request) -> bool:
    """`format=csv`, or an Accept header that prefers text/csv to JSON."""
    explicit = request.query_params.get("format")
    if explicit is not None:
        return explicit.lower() == "csv"
    accept = request.headers.get("accept", "").lower()
    return CSV_MEDIA_TYPE in accept and "application/json" not in accept


def csv_response(columns: Sequence[str], rows: Iterable[Sequence[Any]], filename: str) -> Response:
    return Response(
        csv_lines([columns, *(map(csv_cell, row) for row in rows)]),
        media_type=f"{CSV_MEDIA_TYPE}; charset=utf-8; header=present",
        headers={"Content-Disposition": f'inline; filename="{filename}"'},
    )


def csv_stream(chunks: AsyncIterable[bytes], filename: str) -> StreamingResponse:
    """A CSV answer written as it is made (chunks of lines from `csv_lines`)."""
    return StreamingResponse(
        chunks,
        media_type=f"{CSV_MEDIA_TYPE}; charset=utf-8; header=present",
        headers={"Content-Disposition": f'inline; filename="{filename}"'},
    )


def csv_lines(rows: Iterable[Iterable[str]]) -> bytes:
    """RFC 4180 lines (CRLF), fields quoted when needed, in UTF-8."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode()


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    """`text`, with a `'` in front when a spreadsheet would read it as a formula, and
    when it already looks guarded (`'=...`, `''=...`), so the guard can be taken off
    again unambiguously (`feedback import` of an export: `unguarded`)."""
    return "'" + text if text.lstrip("'").startswith(FORMULA_STARTS) else text


def unguarded(text: str) -> str:
    """The text `spreadsheet_safe` was given."""
    return text[1:] if text[:1] == "'" and spreadsheet_safe(text[1:]) == text else text


def csv_cell(value: Any) -> str:
    """One value as a CSV field: empty for null, text made spreadsheet-safe, booleans
    `true`/`false`, floats exact, timestamps ISO 8601, lists and objects as JSON."""
    if value is None:
        return ""
    if isinstance(value, str):
        return spreadsheet_safe(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list | dict):
        return orjson.dumps(value).decode()
    return str(value)


CsvFormat = Annotated[
    Literal["json", "csv"] | None, Query(description="Overrides the Accept header.")
]


def csv_or_json(description: str) -> dict[int | str, dict[str, Any]]:
    """OpenAPI responses of a list endpoint: JSON or CSV, and the usual problems."""
    return {
        200: {"content": {"text/csv": {"schema": {"type": "string"}}}, "description": description},
        **problem_responses(401, 403, 422, 503),
    }
