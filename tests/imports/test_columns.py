"""Columns that fill fields by their names, pure: exact names, the export's names, the
columns the export writes that are no input, and the ambiguous ones refused."""

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.feedback.service import EXPORT_COLUMNS
from app.imports.columns import NOT_INPUT, Resolution, resolve
from app.imports.mapping import RowMapper, load_spec
from app.imports.reading import Progress, read_ndjson
from app.vocabulary import SERVQUAL_DIMENSIONS

FIELD_NAMES = ["event_id", "occurred_at", "channel", "location_id", "nps", "csat", "comment"]


def resolved(names: list[str], *maps: str, nested: bool = False, **flags: object) -> Resolution:
    sets = flags.pop("sets", ())
    ignore = flags.pop("ignore", ())
    spec = load_spec(None, maps=maps, sets=sets, ignore=ignore)  # type: ignore[arg-type]
    return resolve(spec, names, nested=nested)


def test_a_header_of_the_event_field_names_maps_itself() -> None:
    resolution = resolved(FIELD_NAMES)
    assert resolution.by_name == {name: name for name in FIELD_NAMES}
    assert resolution.not_imported == {}
    assert not resolution.export
    cells = ["r1", "2025-03-14T09:30:00+01:00", "pos", "vie", "9", "", " ok "]
    row = dict(zip(FIELD_NAMES, cells, strict=True))
    assert RowMapper(resolution.spec).event(row) == {
        "event_id": "r1", "occurred_at": datetime(2025, 3, 14, 8, 30, tzinfo=UTC),
        "channel": "pos", "location_id": "vie", "nps": 9, "comment": " ok ",
    }  # fmt: skip


def test_every_column_the_export_writes_fills_its_field_or_is_left_out_saying_why() -> None:
    resolution = resolved(list(EXPORT_COLUMNS))
    by_column = {column: field for field, column in resolution.by_name.items()}
    assert set(by_column) | set(resolution.not_imported) == set(EXPORT_COLUMNS)
    assert set(resolution.not_imported) == {"received_at", "has_contact", "text"}
    assert all(resolution.not_imported[c] == NOT_INPUT[c] for c in resolution.not_imported)
    assert by_column["respondent_id"] == "respondent.id"
    assert by_column["respondent_type"] == "respondent.type"
    assert by_column["segment"] == "respondent.segment"
    for d in SERVQUAL_DIMENSIONS:
        assert by_column[f"sq_{d}_p"] == f"servqual.{d}.perception"
        assert by_column[f"sq_{d}_e"] == f"servqual.{d}.expectation"
    assert by_column["attributes"] == "attributes"
    assert resolution.export
    assert resolution.spec.unguard


def test_the_exports_csv_row_becomes_the_event_it_was() -> None:
    """Text exactly as written (blanks kept), the spreadsheet guard taken off, tags and
    attributes read from their JSON."""
    header = list(EXPORT_COLUMNS)
    cells = dict.fromkeys(header, "")
    cells |= {
        "event_id": " e 1 ", "occurred_at": "2025-03-14T08:30:00.123456+00:00",
        "received_at": "2025-03-14T08:30:01+00:00", "channel": "pos", "location_id": "'+lis",
        "respondent_id": "'=c1", "respondent_type": "employee", "nps": "0",
        "sq_empathy_p": "6", "comment": "'-- slow\r\nvery", "tags": '["a","b"]',
        "attributes": '{"plan":" gold ","n":3,"x":null,"k.dot":1.5}',
        "follow_up_requested": "true", "has_contact": "true",
    }  # fmt: skip
    event = RowMapper(resolved(header).spec).event(cells)
    assert event == {
        "event_id": " e 1 ", "occurred_at": datetime(2025, 3, 14, 8, 30, 0, 123456, tzinfo=UTC),
        "channel": "pos", "location_id": "+lis",
        "respondent": {"id": "=c1", "type": "employee"}, "nps": 0,
        "servqual": {"empathy": {"perception": 6}}, "comment": "-- slow\r\nvery",
        "tags": ["a", "b"], "attributes": {"plan": " gold ", "n": 3, "x": None, "k.dot": 1.5},
        "follow_up_requested": True,
    }  # fmt: skip
    # A file of the user's own (no received_at, has_contact) keeps a leading ' as written.
    own = RowMapper(resolved(["occurred_at", "channel", "comment", "location_id"]).spec)
    row = {"occurred_at": "2025-03-14T08:30:00Z", "channel": "pos", "comment": "'-x",
           "location_id": " 'lis "}  # fmt: skip
    assert own.event(row)["comment"] == "'-x"
    assert own.event(row)["location_id"] == "'lis"


def test_the_exports_ndjson_objects_are_imported_whole() -> None:
    line = (
        b'{"event_id":"e1","occurred_at":"2025-03-14T08:30:00+00:00","received_at":"x",'
        b'"channel":"pos","sq_empathy_p":6,"tags":["a"],"attributes":{"plan":"gold","x":null},'
        b'"has_contact":false,"comment":"=1","text":{"language":"en","themes":["w"]}}\n'
    )
    [record] = read_ndjson(io.BytesIO(line), encoding="utf-8", progress=Progress())
    assert record.values is not None
    resolution = resolved(list(record.values), nested=True)
    assert set(resolution.not_imported) == {"received_at", "has_contact", "text"}
    assert resolution.export
    assert not resolution.spec.unguard  # NDJSON is exact: nothing to take off
    assert RowMapper(resolution.spec).event(record.values) == {
        "event_id": "e1", "occurred_at": datetime(2025, 3, 14, 8, 30, tzinfo=UTC),
        "channel": "pos", "servqual": {"empathy": {"perception": 6}}, "tags": ["a"],
        "attributes": {"plan": "gold", "x": None}, "comment": "=1",
    }  # fmt: skip
    # Keys first seen after the first batch: inside an object taken whole, or a field
    # mapped by another key or by none, which the first batch could not decide.
    assert resolution.late(["attributes.new", "text.sentiment", "Other"]) is None
    assert "would fill ces: map it (--map ces=ces)" in (resolution.late(["ces"]) or "")
    assert "would fill servqual.empathy.perception" in (
        resolution.late(["servqual.empathy.perception"]) or ""
    )


def test_the_api_shape_of_nested_objects_maps_itself_in_ndjson() -> None:
    names = ["occurred_at", "channel", "respondent", "respondent.id", "servqual",
             "servqual.empathy", "servqual.empathy.perception", "contact", "contact.email",
             "who", "who.id"]  # fmt: skip
    resolution = resolved(names, nested=True)
    assert set(resolution.by_name) == {
        "occurred_at", "channel", "respondent.id", "servqual.empathy.perception", "contact.email",
    }  # fmt: skip
    assert resolution.not_imported == {"who.id": "no event field is named like it"}


def test_the_mapping_wins_for_its_field_and_for_its_column() -> None:
    names = ["occurred_at", "nps", "Q1", "channel", "language", "csat"]
    resolution = resolved(names, "nps=Q1", "comment=language", sets=("channel=web",))
    assert resolution.spec.columns == {
        "occurred_at": "occurred_at", "csat": "csat", "nps": "Q1", "comment": "language",
    }  # fmt: skip
    assert resolution.spec.constants == {"channel": "web"}
    assert resolution.not_imported == {
        "nps": "nps comes from column 'Q1', as the mapping says",
        "channel": "channel comes from --set channel, as the mapping says",
    }


@pytest.mark.parametrize(
    ("names", "message", "settled"),
    [
        (["nps", "NPS"], r"'nps', 'NPS' could each be nps \(--map nps=COLUMN", ("nps=NPS",)),
        (["Event ID"], r"'Event ID' is named like event_id, but not exactly", ("!Event ID",)),
        (["respondent_id", "respondent.id"], r"could each be respondent\.id", ("!respondent.id",)),
        (["sq_empathy_e", "Servqual.Empathy.Expectation"], "could each be servqual.empathy.exp",
         ("servqual.empathy.expectation=sq_empathy_e",)),
        (["attributes", "attributes.wave"], r"'attributes', 'attributes.wave' could each give",
         ("!attributes",)),
    ],
)  # fmt: skip
def test_columns_that_could_be_the_same_field_or_match_loosely_are_refused_naming_them(
    names: list[str], message: str, settled: tuple[str, ...]
) -> None:
    header = ["occurred_at", "channel", *names]
    with pytest.raises(ValueError, match=message):
        resolved(header)
    maps = tuple(s for s in settled if not s.startswith("!"))
    ignore = tuple(s[1:] for s in settled if s.startswith("!"))
    resolution = resolved(header, *maps, ignore=ignore)  # --map or --ignore settles it
    assert set(names) <= {*resolution.spec.columns.values(), *resolution.not_imported}


def test_occurred_at_and_channel_need_a_column_or_a_constant() -> None:
    with pytest.raises(ValueError, match=r"map occurred_at \(--map occurred_at=COLUMN\)"):
        resolved(["channel", "When"])
    with pytest.raises(ValueError, match=r"map channel \(--map channel=COLUMN or --set channel"):
        resolved(["occurred_at"])
    assert resolved(["When"], "occurred_at=When", sets=("channel=web",)).by_name == {}
    with pytest.raises(ValueError, match=r"both mapped and ignored: \['When'\]"):
        resolved(["When", "channel"], "occurred_at=When", ignore=("When",))


def test_an_empty_ndjson_file_needs_no_mapping() -> None:
    assert resolved([], nested=True).spec.columns == {}


def test_ignore_in_the_mapping_file_and_flags(tmp_path: Path) -> None:
    mapping = tmp_path / "m.toml"
    mapping.write_text('ignore = ["NPS"]\n[set]\nchannel = "web"\n')
    spec = load_spec(mapping, ignore=["Event ID", "NPS"])
    assert spec.ignore == ("NPS", "Event ID")
    assert resolve(spec, ["occurred_at", "NPS", "Event ID"], nested=False).not_imported == {
        "NPS": "left out, as --ignore says",
        "Event ID": "left out, as --ignore says",
    }
    mapping.write_text('ignore = "NPS"\n')
    with pytest.raises(ValueError, match="ignore is a list of column names"):
        load_spec(mapping)
