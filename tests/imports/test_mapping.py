"""The mapping, pure: scales and value maps declared, never guessed; timestamps; flags."""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.imports.mapping import (
    ImportSpec,
    RowError,
    RowMapper,
    Scale,
    load_spec,
    parse_scale,
    timestamp_parser,
)

BASE = ("occurred_at=When",)
CHANNEL = ("channel=email",)


def mapper(*maps: str, sets: tuple[str, ...] = CHANNEL, **options: object) -> RowMapper:
    spec = load_spec(None, maps=(*BASE, *maps), sets=sets, overrides=options)
    return RowMapper(spec)


def test_linear_scale_maps_the_declared_ends_and_whole_points() -> None:
    scale = parse_scale("1..5:1..7")  # 1..5 onto CES 1..7: 1, 2.5, 4, 5.5, 7
    assert scale.apply(1) == 1
    assert scale.apply(3) == 4
    assert scale.apply(5) == 7


def test_linear_scale_between_two_integers_is_refused_unless_rounding_is_declared() -> None:
    with pytest.raises(ValueError, match="not a whole number"):
        parse_scale("1..10:0..10").apply(5)  # 4.44...
    assert parse_scale("1..10:0..10:half-up").apply(5) == 4
    assert parse_scale("1..10:0..10:half-up").apply(6) == 6  # 5.56 -> 6
    assert Scale(1, 3, 0, 1, half_up=True).apply(2) == 1  # exactly .5 goes up


@pytest.mark.parametrize("value", ["0", "11", "-1"])
def test_value_outside_the_declared_source_scale_is_a_row_error_not_clamped(value: str) -> None:
    spec = load_spec(
        None, maps=(*BASE, "nps=Q1"), sets=CHANNEL, scales=("nps=1..10:0..10:half-up",)
    )
    with pytest.raises(RowError, match=r"outside the declared source scale 1\.\.10") as info:
        RowMapper(spec).event({"When": "2025-01-01T10:00:00Z", "Q1": value})
    assert info.value.field == "nps (column 'Q1')"


def test_scale_map_converts_every_point_of_a_1_to_10_recommend_column() -> None:
    spec = load_spec(
        None, maps=(*BASE, "nps=Q1"), sets=CHANNEL, scales=("nps=1..10:0..10:half-up",)
    )
    m = RowMapper(spec)
    got = [m.event({"When": "2025-01-01T10:00:00Z", "Q1": str(v)})["nps"] for v in range(1, 11)]
    assert got == [0, 1, 2, 3, 4, 6, 7, 8, 9, 10]


def test_without_a_declared_scale_the_value_is_taken_as_on_the_event_scale() -> None:
    m = mapper("nps=Q1")
    assert m.event({"When": "2025-01-01T10:00:00Z", "Q1": "7"})["nps"] == 7
    assert m.event({"When": "2025-01-01T10:00:00Z", "Q1": "7.0"})["nps"] == 7
    # 11 passes the mapping untouched; the API's schema refuses it (tests/imports/test_import.py)
    assert m.event({"When": "2025-01-01T10:00:00Z", "Q1": "11"})["nps"] == 11
    with pytest.raises(RowError, match="not a whole number"):
        m.event({"When": "2025-01-01T10:00:00Z", "Q1": "7.5"})


def test_label_map_and_unknown_label(tmp_path: Path) -> None:
    mapping = tmp_path / "m.toml"
    mapping.write_text(
        """
        [fields]
        occurred_at = "When"
        csat = "How satisfied"
        follow_up_requested = "Call me"
        [set]
        channel = "sms"
        [values.csat]
        "Very satisfied" = 5
        "Satisfied" = 4
        """
    )
    m = RowMapper(load_spec(mapping))
    row = {"When": "2025-01-01T10:00:00Z", "How satisfied": " Very satisfied ", "Call me": "Yes"}
    assert m.event(row) == {
        "channel": "sms",
        "occurred_at": datetime(2025, 1, 1, 10, tzinfo=UTC),
        "csat": 5,
        "follow_up_requested": True,
    }
    with pytest.raises(RowError, match="'Very good' is not in the declared value map"):
        m.event({**row, "How satisfied": "Very good"})


def test_empty_and_declared_missing_cells_leave_the_field_out() -> None:
    m = mapper("nps=Q1", "comment=C", missing=["", "N/A"])
    assert m.event({"When": "2025-01-01T10:00:00Z", "Q1": "N/A", "C": ""}) == {
        "channel": "email",
        "occurred_at": datetime(2025, 1, 1, 10, tzinfo=UTC),
    }


def test_nested_fields_tags_and_attributes() -> None:
    m = mapper(
        "respondent.id=Cust", "servqual.empathy.perception=E", "tags=T", "attributes.wave=W",
        "contact.email=Mail",
    )  # fmt: skip
    event = m.event(
        {"When": "2025-01-01T10:00Z", "Cust": "c1", "E": "6", "T": "a, b,,", "W": "3",
         "Mail": "x@example.com"}
    )  # fmt: skip
    assert event["respondent"] == {"id": "c1"}
    assert event["servqual"] == {"empathy": {"perception": 6}}
    assert event["tags"] == ["a", "b"]
    assert event["attributes"] == {"wave": "3"}
    assert event["contact"] == {"email": "x@example.com"}


def test_naive_timestamp_needs_a_declared_zone() -> None:
    parse = timestamp_parser(ImportSpec())
    with pytest.raises(ValueError, match="no UTC offset"):
        parse("2025-03-30 02:30:00")
    assert parse("2025-03-30T02:30:00+02:00") == datetime(2025, 3, 30, 0, 30, tzinfo=UTC)
    vienna = timestamp_parser(ImportSpec(timezone="Europe/Vienna"))
    assert vienna("2025-07-01 12:00").astimezone(UTC) == datetime(2025, 7, 1, 10, tzinfo=UTC)
    assert vienna("2025-01-01 12:00").astimezone(UTC) == datetime(2025, 1, 1, 11, tzinfo=UTC)
    # The autumn night's 02:30 happens twice: the first (still summer time) is taken.
    assert vienna("2025-10-26 02:30").astimezone(UTC) == datetime(2025, 10, 26, 0, 30, tzinfo=UTC)
    with pytest.raises(ValueError, match="did not exist in Europe/Vienna"):
        vienna("2025-03-30 02:30")  # the spring night skips 02:00-03:00


@pytest.mark.parametrize(
    ("fmt", "text"),
    [
        ("%d.%m.%Y %H:%M", "07.03.2025 09:05"),
        ("%m/%d/%Y", "3/7/2025"),
        ("%Y%m%d%H%M%S", "20250307090501"),
    ],
)
def test_numeric_formats_parse_as_strptime_does(fmt: str, text: str) -> None:
    fast = timestamp_parser(ImportSpec(timezone="UTC", timestamp_format=fmt))
    expected = datetime.strptime(text, fmt).replace(tzinfo=UTC)
    assert fast(text).astimezone(UTC) == expected
    with pytest.raises(ValueError, match="not a timestamp"):
        fast(text + "x")


def test_unix_seconds_and_a_format_with_its_own_offset() -> None:
    assert timestamp_parser(ImportSpec(timestamp_format="unix"))("1735725600") == datetime(
        2025, 1, 1, 10, tzinfo=UTC
    )
    with_offset = timestamp_parser(ImportSpec(timestamp_format="%Y-%m-%d %H:%M %z"))
    assert with_offset("2025-01-01 11:00 +0100").astimezone(UTC) == datetime(
        2025, 1, 1, 10, tzinfo=UTC
    )


def test_flags_override_the_mapping_file(tmp_path: Path) -> None:
    mapping = tmp_path / "m.toml"
    mapping.write_text(
        'timezone = "UTC"\n[fields]\noccurred_at = "When"\nnps = "Q1"\nchannel = "Ch"\n'
    )
    spec = load_spec(
        mapping, maps=["nps=Q2"], sets=["channel=web"], overrides={"timezone": "Asia/Tokyo"}
    )
    assert spec.columns == {"occurred_at": "When", "nps": "Q2"}
    assert spec.constants == {"channel": "web"}
    assert spec.timezone == "Asia/Tokyo"


@pytest.mark.parametrize(
    ("maps", "sets", "scales", "message"),
    [
        (["occurred_at=W", "score=Q"], ["channel=web"], [], "unknown event field 'score'"),
        (["occurred_at=W", "sent_at=S"], ["channel=web"], [], "sent_at cannot be imported"),
        (["occurred_at=W"], ["channel=web"], ["comment=1..5:1..5"], "for scores"),
        (["occurred_at=W"], ["channel=web"], ["nps=1-10:0-10"], "FROM..TO:FROM..TO"),
        (["occurred_at=W"], ["channel=web"], ["nps=5..5:0..10"], "low < high"),
        (["occurred_at=W"], ["channel=web"], ["nps=0..100000000:0..10"], "at most 1,000 points"),
        (["occurred_at=W"], ["channel=web", "nps=ten"], [], "--set nps"),
        (["occurred_at=W"], ["channel=web"], [], "unknown encoding"),
        (["occurred_at=W"], ["channel=web"], [], "convert UTF-16"),
    ],
)
def test_mistakes_in_the_mapping_stop_before_any_row(
    maps: list[str], sets: list[str], scales: list[str], message: str
) -> None:
    encoding = {"unknown encoding": "klingon", "convert UTF-16": "utf-16"}.get(message, "utf-8")
    with pytest.raises(ValueError, match=message):
        RowMapper(
            load_spec(None, maps=maps, sets=sets, scales=scales, overrides={"encoding": encoding})
        )


def test_mapping_file_errors_name_the_problem(tmp_path: Path) -> None:
    mapping = tmp_path / "m.toml"
    mapping.write_text(
        '[fields]\noccurred_at = "W"\n[set]\nchannel = "web"\n[scales.nps]\nfrom = [1, 10]\n'
    )
    with pytest.raises(ValueError, match=r"\[scales.nps\] needs from"):
        load_spec(mapping)
    mapping.write_text(
        'timezone = "Mars/Olympus"\n[fields]\noccurred_at = "W"\n[set]\nchannel = "web"\n'
    )
    with pytest.raises(ValueError, match="IANA"):
        load_spec(mapping)
    mapping.write_text("fields = [")
    with pytest.raises(ValueError, match="not valid TOML"):
        load_spec(mapping)


def test_the_readme_example_mapping_is_valid_and_does_what_it_says(tmp_path: Path) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    section = readme.split("## Importing past surveys", 1)[1]
    example = section.split("```toml\n", 1)[1].split("```", 1)[0]
    mapping = tmp_path / "survey.toml"
    mapping.write_text(example)
    spec = load_spec(mapping)
    assert spec.delimiter == ";"
    row = dict.fromkeys(spec.columns.values(), "")
    row |= {
        "Submitted": "14.03.2025 09:30", "Recommend (1-10)": "6",
        "How satisfied were you?": "Very satisfied", "Respondent type": "Staff",
        "Call me back": "yes", "Topics": "price,staff",
    }  # fmt: skip
    assert RowMapper(spec).event(row) == {
        "channel": "email",
        "occurred_at": datetime(2025, 3, 14, 8, 30, tzinfo=UTC),
        "nps": 6,
        "csat": 5,
        "respondent": {"type": "employee"},
        "tags": ["price", "staff"],
        "follow_up_requested": True,
    }


@pytest.mark.parametrize(
    ("zone", "text"),
    [("Europe/Vienna", "0001-01-01 00:30:00"), ("America/New_York", "9999-12-31 23:00:00")],
)
def test_naive_timestamp_at_the_ends_of_the_calendar_is_a_row_error(zone: str, text: str) -> None:
    """Its UTC time is outside years 1..9999 (an OverflowError in datetime)."""
    with pytest.raises(RowError, match=r"lies outside the years 1\.\.9999 in UTC"):
        mapper(timezone=zone).event({"When": text})


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('fields = "x"\n', r"fields must be a table"),
        ('delimiter = 59\n[fields]\noccurred_at = "W"\n', r"delimiter must be a string"),
        ('timezone = 1\n[fields]\noccurred_at = "W"\n', r"timezone must be a string"),
        ("[fields]\noccurred_at = 3\n", r"\[fields\] occurred_at is the name of a source column"),
        ('set = ["channel"]\n', r"set must be a table"),
        ("[scales]\nnps = 3\n", r"\[scales.nps\] takes from"),
    ],
)
def test_mapping_file_values_of_the_wrong_type_are_refused(
    tmp_path: Path, text: str, message: str
) -> None:
    """TOML accepts them; before, they ended in an AttributeError or TypeError traceback."""
    mapping = tmp_path / "m.toml"
    mapping.write_text(text + '[set]\nchannel = "web"\n' if "set =" not in text else text)
    with pytest.raises(ValueError, match=message):
        load_spec(mapping, maps=["occurred_at=W"])


def test_a_mapping_file_that_cannot_be_read_is_a_value_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"cannot read the mapping file .*nosuch\.toml"):
        load_spec(tmp_path / "nosuch.toml")
    (tmp_path / "latin.toml").write_bytes(b'source = "caf\xe9"\n')
    with pytest.raises(ValueError, match="cannot read the mapping file"):
        load_spec(tmp_path / "latin.toml")


def test_a_timestamp_format_with_percent_capital_z_is_refused() -> None:
    """strptime reads "UTC" for %Z but returns a naive time, which the declared zone
    would then have shifted: 10:00 UTC read as 10:00 in Vienna."""
    maps, sets = ["occurred_at=W"], ["channel=web"]
    for fmt in ("%Y-%m-%d %H:%M:%S %Z", "%Z%Y"):
        with pytest.raises(ValueError, match=r"%Z is not supported.*%z"):
            load_spec(None, maps=maps, sets=sets, overrides={"timestamp_format": fmt})
    literal = load_spec(None, maps=maps, sets=sets, overrides={"timestamp_format": "%Y %%Z"})
    assert literal.timestamp_format == "%Y %%Z"


@pytest.mark.parametrize("missing", ['"N/A"', '[1, "-"]', "{a = 1}"])
def test_missing_must_be_a_list_of_strings(tmp_path: Path, missing: str) -> None:
    """missing = "N/A" was taken letter by letter: the cells N, / and A meant no answer."""
    mapping = tmp_path / "m.toml"
    mapping.write_text(f'missing = {missing}\n[set]\nchannel = "web"\n')
    with pytest.raises(ValueError, match="missing is a list of strings"):
        load_spec(mapping, maps=["occurred_at=W"])
    mapping.write_text('missing = ["N/A", " - "]\n[set]\nchannel = "web"\n')
    assert load_spec(mapping, maps=["occurred_at=W"]).missing == ("N/A", "-")


def test_a_source_scale_wider_than_1000_points_is_refused_in_the_mapping_file(
    tmp_path: Path,
) -> None:
    """Every point is mapped in advance: 0..100000000 hung the import building the table."""
    mapping = tmp_path / "m.toml"
    mapping.write_text("[scales.nps]\nfrom = [0, 100000000]\nto = [0, 10]\n")
    with pytest.raises(ValueError, match="at most 1,000 points"):
        load_spec(mapping, maps=["occurred_at=W"], sets=["channel=web"])
    mapping.write_text("[scales.nps]\nfrom = [1, 1000]\nto = [0, 10]\n")
    spec = load_spec(mapping, maps=["occurred_at=W", "nps=Q"], sets=["channel=web"])
    assert RowMapper(spec).event({"Q": "1000"})["nps"] == 10
