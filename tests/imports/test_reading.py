"""Reading exports: line numbers as an editor counts them, bad rows reported, never a crash."""

import io

import pytest

from app.imports.reading import Progress, Record, printable, read_csv, read_ndjson


def csv_records(data: bytes, encoding: str = "utf-8") -> list[Record]:
    progress = Progress()
    _, records = read_csv(io.BytesIO(data), encoding=encoding, delimiter=",", progress=progress)
    out = list(records)
    assert progress.bytes_read == len(data)
    return out


def test_multi_line_quoted_fields_keep_line_numbers_right() -> None:
    data = (
        b"id,comment\r\n"
        b'a,"one\r\ntwo\r\nthree"\r\n'  # lines 2-4
        b"b,plain\r\n"  # line 5
        b"\r\n"  # line 6, blank: no record
        b'c,"x,y"\r\n'  # line 7
    )
    records = csv_records(data)
    assert [(r.line, r.number) for r in records] == [(2, 1), (5, 2), (7, 3)]
    assert records[0].values == {"id": "a", "comment": "one\r\ntwo\r\nthree"}
    assert records[0].raw == 'a,"one\r\ntwo\r\nthree"\r\n'
    assert records[2].values == {"id": "c", "comment": "x,y"}


def test_ragged_row_is_a_record_with_an_error_and_reading_goes_on() -> None:
    records = csv_records(b"id,nps\na,1\nb,2,3\nc\nd,4\n")
    assert [r.error for r in records] == [
        None, "the row has 3 fields, the header 2", "the row has 1 fields, the header 2", None,
    ]  # fmt: skip
    assert records[1].values is None
    assert records[1].raw == "b,2,3\n"
    assert records[3].values == {"id": "d", "nps": "4"}


def test_invalid_utf8_spoils_only_its_row() -> None:
    records = csv_records(b"id,comment\na,caf\xc3\xa9\nb,caf\xe9\nc,ok\n")
    assert records[0].values == {"id": "a", "comment": "café"}
    assert records[1].error is not None
    assert "not valid in the file's encoding" in records[1].error
    assert printable(records[1].raw) == "b,caf\\xe9\n"
    assert records[2].values == {"id": "c", "comment": "ok"}


def test_declared_encoding_reads_latin1() -> None:
    records = csv_records("id,comment\na,café\n".encode("cp1252"), encoding="cp1252")
    assert records[0].values == {"id": "a", "comment": "café"}


def test_byte_order_mark_is_not_part_of_the_first_column() -> None:
    progress = Progress()
    header, records = read_csv(
        io.BytesIO(b"\xef\xbb\xbfid,nps\na,1\n"), encoding="utf-8", delimiter=",", progress=progress
    )
    assert header == ["id", "nps"]
    assert next(records).values == {"id": "a", "nps": "1"}


def test_quote_left_open_is_reported_at_the_line_it_starts() -> None:
    records = csv_records(b'id,comment\na,ok\nb,"never closed\nc,more\n')
    assert (records[1].line, records[1].number) == (3, 2)
    assert records[1].error is not None
    assert "not valid CSV" in records[1].error


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"", "empty"), (b"id,id\n", "more than once"), (b"id,\xff\n", "header row")],
)
def test_unusable_header_stops_the_import(data: bytes, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        read_csv(io.BytesIO(data), encoding="utf-8", delimiter=",", progress=Progress())


def test_ndjson_bad_lines_are_records_with_errors() -> None:
    data = b'{"id": "a", "r": {"nps": 9}}\n\nnot json\n[1, 2]\n{"id": "\xff"}\n{"id": "e"}\n'
    progress = Progress()
    records = list(read_ndjson(io.BytesIO(data), encoding="utf-8", progress=progress))
    assert progress.bytes_read == len(data)
    assert [(r.line, r.number) for r in records] == [(1, 1), (3, 2), (4, 3), (5, 4), (6, 5)]
    assert records[0].values == {"id": "a", "r": {"nps": 9}, "r.nps": 9}  # an object, and its keys
    assert records[1].error is not None
    assert records[1].error.startswith("not valid JSON")
    assert records[2].error == "not a JSON object"
    assert records[3].error is not None
    assert "encoding" in records[3].error
    assert records[4].values == {"id": "e"}
