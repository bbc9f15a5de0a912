"""Reading survey exports record by record: CSV (RFC 4180, quoted fields may span lines)
and NDJSON (one JSON object a line). A record that cannot be read (invalid bytes for the
declared encoding, a ragged CSV row, a line that is no JSON object) comes out as a
record with an `error`, so the import reports it and goes on; nothing here raises for
a bad row. Each record knows the line it starts on and its ordinal among the records,
and the reader counts the bytes consumed, for the progress bar's ETA.
"""

import codecs
import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import orjson

from app.imports.mapping import Format

BOM = codecs.BOM_UTF8
# Far above any valid cell (a comment is at most 5,000 characters). At the csv module's
# default of 131,072 a longer quoted cell ended the record in the middle of the cell, and
# its tail was read as more records: phantom events, and every later ordinal shifted.
FIELD_SIZE_LIMIT = 64 * 1024 * 1024


@dataclass(slots=True)
class Record:
    line: int  # the line the record starts on, 1-based, as an editor counts
    number: int  # its ordinal among the data records (the header is not one), 1-based
    values: dict[str, Any] | None  # column/key -> value; None when `error` is set
    raw: str  # the record's text as in the file, for the rejects report
    error: str | None = None


@dataclass(slots=True)
class Progress:
    """Bytes consumed so far; written by the reader, read by the progress display."""

    bytes_read: int = 0
    bad_lines: int = 0  # lines with bytes invalid in the declared encoding


def detect_format(path: Path, declared: Format | None) -> Format:
    if declared:
        return declared
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return "csv"
    if suffix in (".ndjson", ".jsonl"):
        return "ndjson"
    raise ValueError(f"cannot tell the format of {path.name}: give --format csv or ndjson")


def _lines(stream: IO[bytes], encoding: str, progress: Progress) -> Iterator[str]:
    """Decoded lines. Bytes invalid in the encoding become lone surrogates
    (`surrogateescape`), so one bad row is found and reported, not the whole file lost;
    `progress.bad_lines` counts such lines, so valid ones need no second look."""
    first = True
    for raw in stream:
        progress.bytes_read += len(raw)
        if first:
            first = False
            if raw.startswith(BOM):  # a byte-order mark (Excel's "CSV UTF-8") is not data
                raw = raw[len(BOM) :]
        try:
            yield raw.decode(encoding)
        except UnicodeDecodeError:
            progress.bad_lines += 1
            yield raw.decode(encoding, "surrogateescape")


def _bad_bytes(text: str) -> str | None:
    """Where a decoded text holds bytes that were not valid in the encoding."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        return f"byte {exc.start + 1} of the record is not valid in the file's encoding"
    return None


def printable(raw: str) -> str:
    """A record's text with undecodable bytes shown as \\xNN (for the report)."""
    return raw.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def read_csv(
    stream: IO[bytes], *, encoding: str, delimiter: str, progress: Progress
) -> tuple[list[str], Iterator[Record]]:
    """The header and the records. Raises ValueError when there is no usable header."""
    consumed: list[str] = []

    def tracked() -> Iterator[str]:
        for line in _lines(stream, encoding, progress):
            consumed.append(line)
            yield line

    csv.field_size_limit(max(csv.field_size_limit(), FIELD_SIZE_LIMIT))
    reader = csv.reader(tracked(), delimiter=delimiter, strict=True)
    bad_before = 0
    try:
        header = next(reader)
    except StopIteration:
        raise ValueError("the file is empty: a CSV import needs a header row") from None
    except csv.Error as exc:
        raise ValueError(f"the header row is not valid CSV: {exc}") from None
    if progress.bad_lines and (bad := _bad_bytes("".join(header))) is not None:
        raise ValueError(f"the header row: {bad}; declare the encoding (--encoding)")
    header = [h.strip() for h in header]
    if len(set(header)) != len(header):
        repeated = sorted({h for h in header if header.count(h) > 1})
        raise ValueError(f"the header names columns more than once: {repeated}")

    def records() -> Iterator[Record]:
        nonlocal bad_before
        number = 0
        width = len(header)
        while True:
            consumed.clear()
            start = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                number += 1
                raw = "".join(consumed)
                yield Record(start, number, None, raw, f"not valid CSV: {exc}")
                continue
            if not row:  # a blank line
                continue
            number += 1
            raw = "".join(consumed)
            dirty, bad_before = progress.bad_lines != bad_before, progress.bad_lines
            if len(row) != width:
                error = f"the row has {len(row)} fields, the header {width}"
                yield Record(start, number, None, raw, error)
            elif dirty and (bad := _bad_bytes(raw)) is not None:
                yield Record(start, number, None, raw, bad)
            else:
                yield Record(start, number, dict(zip(header, row, strict=True)), raw)

    return header, records()


def read_ndjson(stream: IO[bytes], *, encoding: str, progress: Progress) -> Iterator[Record]:
    number = bad_before = 0
    for line_no, line in enumerate(_lines(stream, encoding, progress), start=1):
        if not line.strip():
            continue
        number += 1
        dirty, bad_before = progress.bad_lines != bad_before, progress.bad_lines
        if dirty and (bad := _bad_bytes(line)) is not None:
            yield Record(line_no, number, None, line, bad)
            continue
        try:
            value = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            yield Record(line_no, number, None, line, f"not valid JSON: {exc}")
            continue
        if not isinstance(value, dict):
            yield Record(line_no, number, None, line, "not a JSON object")
            continue
        yield Record(line_no, number, _flatten(value), line)


def _flatten(value: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested objects addressed by dotted keys, and each object whole by its own:
    {"a": {"b": 1}} -> {"a": {"b": 1}, "a.b": 1} (`attributes` is imported whole)."""
    out: dict[str, Any] = {}
    for key, item in value.items():
        name = f"{prefix}{key}"
        out[name] = item
        if isinstance(item, dict):
            out.update(_flatten(item, f"{name}."))
    return out
