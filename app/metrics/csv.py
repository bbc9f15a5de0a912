"""CSV answers for BI tools (Power BI Web connector, Grafana Infinity, pandas, spreadsheets).

RFC 4180: a header row, comma-separated, CRLF line ends, fields quoted when
needed; timestamps in ISO 8601 with offset; empty for null.
"""

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from fastapi import Request, Response

CSV_MEDIA_TYPE = "text/csv"


def wants_csv(request: Request) -> bool:
    """`format=csv`, or an Accept header that prefers text/csv to JSON."""
    explicit = request.query_params.get("format")
    if explicit is not None:
        return explicit.lower() == "csv"
    accept = request.headers.get("accept", "").lower()
    return CSV_MEDIA_TYPE in accept and "application/json" not in accept


def csv_response(columns: Sequence[str], rows: Iterable[Sequence[Any]], filename: str) -> Response:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if value is None else _text(value) for value in row])
    return Response(
        buffer.getvalue(),
        media_type=f"{CSV_MEDIA_TYPE}; charset=utf-8; header=present",
        headers={"Content-Disposition": f'inline; filename="{filename}"'},
    )


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)
