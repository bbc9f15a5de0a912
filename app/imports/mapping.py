"""How a source row becomes a feedback event: the mapping and its conversions. Pure, no I/O.

A mapping names, for each event field, the source column it comes from (`[fields]`,
`--map`) or a constant (`[set]`, `--set`), and for scores on another scale how the
source scale maps onto the event's (`[scales.FIELD]`: linear; `[values.FIELD]`: a
value or label map). Nothing is guessed: a score without a declared map must already
be on the event's scale (the API's validation refuses anything else), a value outside
a declared source scale or missing from a declared value map is a rejected row, and a
timestamp without a UTC offset needs a declared `timezone`. Columns the mapping does
not name may fill fields by their names (`columns.py`). The README's section
"Importing past surveys" documents the format with a full example.
"""

import math
import re
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

import orjson

from app.selection.csv import unguarded
from app.timezones import check_zone
from app.vocabulary import SERVQUAL_DIMENSIONS

Format = Literal["csv", "ndjson"]

SCORES: dict[str, tuple[int, int]] = {
    "nps": (0, 10),
    "csat": (1, 5),
    "ces": (1, 7),
    **{f"servqual.{d}.{pe}": (1, 7) for d in SERVQUAL_DIMENSIONS for pe in ("perception", "expectation")},  # noqa: E501
}  # fmt: skip
TEXT_FIELDS = (
    "event_id", "channel", "touchpoint", "location_id", "employee_id", "respondent.id",
    "respondent.type", "respondent.segment", "acquisition_source", "comment", "language",
    "contact.name", "contact.email", "contact.phone",
)  # fmt: skip
TARGETS = (*TEXT_FIELDS, *SCORES, "occurred_at", "tags", "follow_up_requested", "attributes")
"""Every event field a mapping may fill (`attributes`: the whole object, JSON in a CSV
cell), plus `attributes.<key>` for one of your own fields."""

TRUE = frozenset({"true", "yes", "y", "1"})
FALSE = frozenset({"false", "no", "n", "0"})


class RowError(ValueError):
    """One field of one row cannot become part of an event."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Scale:
    """A linear map of the integer source scale [lo, hi] onto the event's [to_lo, to_hi]."""

    lo: int
    hi: int
    to_lo: int
    to_hi: int
    half_up: bool = False  # results between two integers: rounded (declared) or rejected

    def apply(self, value: int) -> int:
        if not self.lo <= value <= self.hi:
            raise ValueError(f"{value} is outside the declared source scale {self.lo}..{self.hi}")
        exact = self.to_lo + Fraction(value - self.lo) * (self.to_hi - self.to_lo) / (
            self.hi - self.lo
        )
        if exact.denominator == 1:
            return int(exact)
        if self.half_up:
            return math.floor(exact + Fraction(1, 2))
        raise ValueError(
            f"{value} maps to {float(exact):.3g} on {self.to_lo}..{self.to_hi}, not a whole "
            'number; declare round = "half-up" or a value map'
        )


@dataclass(frozen=True, slots=True)
class ImportSpec:
    """Everything an import needs to know about its file, from a mapping file and flags."""

    columns: dict[str, str] = field(default_factory=dict)  # event field -> source column
    constants: dict[str, Any] = field(default_factory=dict)  # event field -> value
    scales: dict[str, Scale] = field(default_factory=dict)
    values: dict[str, dict[str, Any]] = field(default_factory=dict)  # field -> {text: value}
    format: Format | None = None
    delimiter: str = ","
    encoding: str = "utf-8"
    timezone: str | None = None
    timestamp_format: str | None = None  # strptime; None: ISO 8601; "unix": epoch seconds
    tags_separator: str = ","
    missing: tuple[str, ...] = ("",)  # cell texts that mean "no answer"
    source: str | None = None
    ignore: tuple[str, ...] = ()  # columns never mapped by their names
    # Set from the file, not by the user (columns.resolve): it is this service's export,
    # whose text is taken exactly as written (no blanks stripped), and in a CSV the `'`
    # the export puts before a text a spreadsheet would run as a formula is taken off.
    verbatim: bool = False
    unguard: bool = False


def _check_target(name: str) -> str:
    if name in TARGETS or (name.startswith("attributes.") and len(name) > len("attributes.")):
        return name
    if name == "sent_at":
        raise ValueError(
            "sent_at cannot be imported: it would correct occurred_at by the import's own "
            "clock; map occurred_at only"
        )
    raise ValueError(
        f"unknown event field {name!r}; fields: {', '.join(TARGETS)}, attributes.<key>"
    )


def _pair(text: str, flag: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise ValueError(f"{flag} takes FIELD=VALUE, got {text!r}")
    return name.strip(), value


def parse_scale(text: str) -> Scale:
    """`1..10:0..10` or `1..10:0..10:half-up` (source scale, event scale, rounding)."""
    parts = text.split(":")
    try:
        if len(parts) not in (2, 3) or (len(parts) == 3 and parts[2] != "half-up"):
            raise ValueError
        lo, hi = (int(x) for x in parts[0].split(".."))
        to_lo, to_hi = (int(x) for x in parts[1].split(".."))
    except ValueError:
        raise ValueError(
            f"a scale is FROM..TO:FROM..TO[:half-up], e.g. 1..10:0..10, got {text!r}"
        ) from None
    return _scale(lo, hi, to_lo, to_hi, len(parts) == 3)


MAX_SCALE_POINTS = 1000  # survey scales have a dozen; each point is mapped in advance


def _scale(lo: int, hi: int, to_lo: int, to_hi: int, half_up: bool) -> Scale:
    if lo >= hi:
        raise ValueError(f"a source scale needs low < high, got {lo}..{hi}")
    if hi - lo + 1 > MAX_SCALE_POINTS:
        raise ValueError(
            f"a source scale has at most {MAX_SCALE_POINTS:,} points, got {lo}..{hi}; "
            "a score column is a rating scale (e.g. 1..10, 0..100)"
        )
    return Scale(lo, hi, to_lo, to_hi, half_up)


def _scale_table(name: str, table: Any) -> Scale:
    if not isinstance(table, dict) or set(table) - {"from", "to", "round"}:
        raise ValueError(f"[scales.{name}] takes from = [lo, hi], to = [lo, hi], round")
    try:
        (lo, hi), (to_lo, to_hi) = table["from"], table["to"]
        ends = [lo, hi, to_lo, to_hi]
        if not all(isinstance(x, int) and not isinstance(x, bool) for x in ends):
            raise ValueError
    except (KeyError, TypeError, ValueError):
        raise ValueError(
            f"[scales.{name}] needs from = [lo, hi] and to = [lo, hi], integers"
        ) from None
    rounding = table.get("round")
    if rounding not in (None, "half-up"):
        raise ValueError(f'[scales.{name}] round may only be "half-up"')
    return _scale(lo, hi, to_lo, to_hi, rounding == "half-up")


TABLES = ("fields", "set", "scales", "values")
TEXT_OPTIONS = (
    "format", "delimiter", "encoding", "timezone", "timestamp_format", "tags_separator", "source",
)  # fmt: skip


def _check_types(data: Mapping[str, Any]) -> None:
    """The mapping file's keys hold what they must (TOML lets `fields = "x"` through)."""
    for name in TABLES:
        if name in data and not isinstance(data[name], dict):
            raise ValueError(f"mapping file: {name} must be a table ([{name}]), not {data[name]!r}")
    for target, column in data.get("fields", {}).items():
        if not isinstance(column, str):
            raise ValueError(
                f"mapping file: [fields] {target} is the name of a source column, a string; "
                f"got {column!r}"
            )
    for name in TEXT_OPTIONS:
        if name in data and not isinstance(data[name], str):
            raise ValueError(f'mapping file: {name} must be a string ("..."), not {data[name]!r}')
    missing = data.get("missing", [])
    if not isinstance(missing, list) or not all(isinstance(m, str) for m in missing):
        raise ValueError(
            f'mapping file: missing is a list of strings, e.g. ["", "N/A"], not {missing!r}'
        )
    ignore = data.get("ignore", [])
    if not isinstance(ignore, list) or not all(isinstance(m, str) for m in ignore):
        raise ValueError(
            f'mapping file: ignore is a list of column names, e.g. ["NPS"], not {ignore!r}'
        )


def _directives(fmt: str) -> list[str]:
    """The strptime directives of a format: `%d.%m %%Z` -> d, m, % (so %%Z is no %Z)."""
    found, i = [], 0
    while (i := fmt.find("%", i)) != -1:
        found.append(fmt[i + 1 : i + 2])
        i += 2
    return found


def load_spec(
    mapping_file: Path | None,
    *,
    maps: Sequence[str] = (),
    sets: Sequence[str] = (),
    scales: Sequence[str] = (),
    ignore: Sequence[str] = (),
    overrides: Mapping[str, Any] | None = None,
) -> ImportSpec:
    """The mapping file (TOML), then the flags on top of it. Raises ValueError.

    Whether occurred_at and channel have a column is known only with the file's columns
    (some may be mapped by their names): `columns.resolve` checks it."""
    data: dict[str, Any] = {}
    if mapping_file is not None:
        try:
            data = tomllib.loads(mapping_file.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ValueError(f"{mapping_file}: not valid TOML: {exc}") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ValueError(f"cannot read the mapping file {mapping_file}: {exc}") from None
    known = {*TABLES, *TEXT_OPTIONS, "missing", "ignore"}
    if unknown := set(data) - known:
        raise ValueError(f"mapping file: unknown keys {sorted(unknown)}; known: {sorted(known)}")
    _check_types(data)
    columns = {_check_target(k): v for k, v in data.get("fields", {}).items()}
    constants = {_check_target(k): v for k, v in data.get("set", {}).items()}
    for text in maps:
        name, column = _pair(text, "--map")
        columns[_check_target(name)] = column
        constants.pop(name, None)
    for text in sets:
        name, value = _pair(text, "--set")
        constants[_check_target(name)] = value
        columns.pop(name, None)
    scale_maps = {_check_target(k): _scale_table(k, v) for k, v in data.get("scales", {}).items()}
    for text in scales:
        name, value = _pair(text, "--scale")
        scale_maps[_check_target(name)] = parse_scale(value)
    value_maps: dict[str, dict[str, Any]] = {}
    for name, table in data.get("values", {}).items():
        if not isinstance(table, dict):
            raise ValueError(f'[values.{name}] maps source texts to values: "Very good" = 5')
        value_maps[_check_target(name)] = {str(k).strip(): v for k, v in table.items()}
    for name in scale_maps:
        if name not in SCORES:
            raise ValueError(f"a scale map is for scores ({', '.join(SCORES)}), not {name}")
        if name in value_maps:
            raise ValueError(f"{name} has both a scale and a value map; declare one")
    options = {k: data[k] for k in known - set(TABLES) if k in data}
    options.update({k: v for k, v in (overrides or {}).items() if v is not None})
    if "missing" in options:
        options["missing"] = tuple(m.strip() for m in options["missing"])
    options["ignore"] = tuple(dict.fromkeys([*options.get("ignore", ()), *ignore]))
    if options.get("format") not in (None, "csv", "ndjson"):
        raise ValueError(f"format is csv or ndjson, got {options['format']!r}")
    if (zone := options.get("timezone")) is not None:
        check_zone(zone)
    if "Z" in _directives(options.get("timestamp_format") or ""):
        raise ValueError(
            "timestamp_format: %Z is not supported (strptime reads the zone name but returns "
            "a time without an offset, which would be taken as local time of --timezone); "
            "use %z for offsets (+01:00, Z), or a literal ' UTC' with --timezone UTC"
        )
    spec = ImportSpec(
        columns=columns, constants=constants, scales=scale_maps, values=value_maps, **options
    )
    try:
        ascii_compatible = "id,\n".encode(spec.encoding) == b"id,\n"
    except LookupError:
        raise ValueError(f"unknown encoding {spec.encoding!r}") from None
    if not ascii_compatible:  # lines are split on the byte \n before decoding
        raise ValueError(
            f"{spec.encoding} is not supported: the file's encoding must write ASCII as ASCII "
            "(utf-8, cp1252, latin-1, ...); convert UTF-16 files to UTF-8 first"
        )
    if len(spec.delimiter) != 1:
        raise ValueError(f"the delimiter is one character, got {spec.delimiter!r}")
    return spec


# --- Converting one value -----------------------------------------------------------

Convert = Callable[[Any], Any]


def _integer(value: Any) -> int:
    """An integer from a cell or JSON value; `7`, `7.0` and `"7"` alike, `7.5` never."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a number")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise ValueError(f"{value!r} is not a whole number")
    text = value.strip() if type(value) is str else str(value)
    try:
        return int(text)
    except ValueError:
        pass
    try:
        number = float(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a number") from None
    if not number.is_integer():
        raise ValueError(f"{text!r} is not a whole number")
    return int(number)


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise ValueError(f"{value!r} is not text")


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise ValueError(f"{value!r} is not one of true/false, yes/no, 1/0")


def _json(value: Any, kind: type, what: str) -> Any:
    """A JSON array or object: an NDJSON value as it is, a CSV cell's text parsed."""
    if isinstance(value, str):
        try:
            value = orjson.loads(value)
        except orjson.JSONDecodeError:
            raise ValueError(f"{value!r} is not {what}") from None
    if not isinstance(value, kind):
        raise ValueError(f"{value!r} is not {what}")
    return value


def _value_key(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value.strip() if isinstance(value, str) else str(value)


def timestamp_parser(spec: ImportSpec) -> Convert:
    """occurred_at: ISO 8601 (or the declared strptime format, or Unix seconds). A time
    without a UTC offset is read in the declared `timezone`; with none declared it is
    refused, never assumed to be UTC."""
    zone = ZoneInfo(spec.timezone) if spec.timezone else None
    fmt = spec.timestamp_format
    fast = _numeric_format(fmt) if fmt and fmt != "unix" else None

    def parse(value: Any) -> datetime:
        if fmt == "unix":
            try:
                return datetime.fromtimestamp(float(value), UTC)
            except (ValueError, OverflowError, OSError):
                raise ValueError(f"{value!r} is not a Unix time in seconds") from None
        text = _text(value)
        try:
            # Naive or not as the text says; a naive one gets the declared zone below.
            if fast is not None:
                parsed = fast(text)
            else:
                parsed = datetime.strptime(text, fmt) if fmt else datetime.fromisoformat(text)  # noqa: DTZ007
        except ValueError:
            expected = f"the format {fmt!r}" if fmt else "ISO 8601, e.g. 2025-03-14T09:30:00+01:00"
            raise ValueError(f"{text!r} is not a timestamp in {expected}") from None
        if parsed.tzinfo is None:
            if zone is None:
                raise ValueError(
                    f"{text!r} has no UTC offset; declare the time zone it was recorded in "
                    "(--timezone Europe/Vienna, or timezone = ... in the mapping file)"
                )
            # fold=0: a time that happens twice (the autumn clock change) is its first.
            local = parsed.replace(tzinfo=zone)
            try:
                back = local.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
            except OverflowError:  # within a day of year 1 or 9999: UTC is outside them
                raise ValueError(
                    f"{text!r} in {spec.timezone} lies outside the years 1..9999 in UTC"
                ) from None
            if back != parsed:
                raise ValueError(
                    f"{text!r} did not exist in {spec.timezone}: the clocks skipped it "
                    "(spring clock change)"
                )
            return local
        return parsed

    return parse


_NUMERIC_DIRECTIVES = {
    "Y": ("year", r"\d{4}"), "m": ("month", r"\d{1,2}"), "d": ("day", r"\d{1,2}"),
    "H": ("hour", r"\d{1,2}"), "M": ("minute", r"\d{1,2}"), "S": ("second", r"\d{1,2}"),
}  # fmt: skip


def _numeric_format(fmt: str) -> Callable[[str], datetime] | None:
    """A strptime format of only %Y %m %d %H %M %S and literal text, as a compiled
    pattern: the same result as strptime, about ten times faster (strptime consults the
    locale on every call). None for any other format (strptime is used)."""
    pattern, names, i = [], [], 0
    while i < len(fmt):
        if fmt[i] == "%":
            directive = fmt[i + 1 : i + 2]
            if directive not in _NUMERIC_DIRECTIVES:
                return None
            name, digits = _NUMERIC_DIRECTIVES[directive]
            if name in names:
                return None
            names.append(name)
            pattern.append(f"({digits})")
            i += 2
        else:
            pattern.append(re.escape(fmt[i]))
            i += 1
    if not {"year", "month", "day"} <= set(names):
        return None
    compiled = re.compile("".join(pattern) + r"\Z")

    def parse(text: str) -> datetime:
        match = compiled.match(text)
        if match is None:
            raise ValueError(text)
        parts = dict.fromkeys(("hour", "minute", "second"), 0)
        parts.update(zip(names, map(int, match.groups()), strict=True))
        return datetime(  # noqa: DTZ001 - naive, as the text; the caller adds the zone
            parts["year"], parts["month"], parts["day"],
            parts["hour"], parts["minute"], parts["second"],
        )  # fmt: skip

    return parse


def converter(name: str, spec: ImportSpec) -> Convert:
    """The conversion of one source value into the value of event field `name`."""
    if name in spec.values:
        table = spec.values[name]

        def by_value(value: Any) -> Any:
            key = _value_key(value)
            if key not in table:
                raise ValueError(f"{key!r} is not in the declared value map [values.{name}]")
            return table[key]

        return by_value
    if name in SCORES:
        if name in spec.scales:
            scale = spec.scales[name]
            # Each point of the source scale, mapped once (Fraction arithmetic per row
            # cost more than the rest of the mapping together).
            mapped: dict[int, int | str] = {}
            for point in range(scale.lo, scale.hi + 1):
                try:
                    mapped[point] = scale.apply(point)
                except ValueError as exc:
                    mapped[point] = str(exc)

            def by_scale(value: Any) -> int:
                result = mapped.get(number := _integer(value))
                if result is None:
                    return scale.apply(number)  # outside the scale: raises, saying so
                if isinstance(result, str):
                    raise ValueError(result)
                return result

            return by_scale
        return _integer  # declared to be on the event's scale: the schema checks its range
    if name == "occurred_at":
        return timestamp_parser(spec)
    if name == "follow_up_requested":
        return _boolean
    if name == "tags":
        separator = spec.tags_separator

        def tags(value: Any) -> list[str]:
            if isinstance(value, str) and value.startswith("["):  # as the export writes them
                value = _json(value, list, "a JSON array")
            if isinstance(value, list):
                return [_text(v) for v in value]
            return [t.strip() for t in _text(value).split(separator) if t.strip()]

        return tags
    if name == "attributes":
        return lambda value: _json(value, dict, "a JSON object")
    if name == "comment":
        return lambda value: value if isinstance(value, str) else _text(value)
    if name.startswith("attributes."):
        return lambda value: value.strip() if isinstance(value, str) else value
    return _text


def field_path(name: str) -> tuple[tuple[str, ...], str]:
    """A dotted event field's nesting: `servqual.empathy.perception` -> (servqual, empathy),
    perception; `attributes.a.b` -> (attributes,), a.b (attribute keys may hold dots)."""
    *path, leaf = name.split(".", 2 if name.startswith("servqual.") else 1)
    return tuple(path), leaf


def put(event: dict[str, Any], path: tuple[str, ...], leaf: str, value: Any) -> None:
    target = event
    for part in path:
        target = target.setdefault(part, {})
    target[leaf] = value


class RowMapper:
    """Builds the event dict (the API's JSON body) of one source record."""

    def __init__(self, spec: ImportSpec) -> None:
        self.missing = frozenset(spec.missing)
        self.verbatim = spec.verbatim
        self.unguard = spec.unguard
        # The whole `attributes` object first: keys mapped one by one go on top of it.
        self.fields = [
            (name, column, *field_path(name), converter(name, spec))
            for name, column in sorted(spec.columns.items(), key=lambda c: c[0] != "attributes")
        ]
        self.constants: list[tuple[tuple[str, ...], str, Any]] = []
        for name, value in spec.constants.items():
            try:  # constants go through the same conversions, once, here
                self.constants.append((*field_path(name), converter(name, spec)(value)))
            except ValueError as exc:
                raise ValueError(f"--set {name}: {exc}") from None

    def event(self, record: Mapping[str, Any]) -> dict[str, Any]:
        """Raises RowError naming the event field and its source column."""
        event: dict[str, Any] = {}
        for path, leaf, value in self.constants:
            put(event, path, leaf, value)
        missing, verbatim, unguard = self.missing, self.verbatim, self.unguard
        # The hot loop of an import (once per cell): a text cell is stripped once here,
        # and plain text fields need no further call.
        for name, column, path, leaf, convert in self.fields:
            value = record.get(column)
            if value is None:
                continue
            if type(value) is str:
                if unguard and value[:1] == "'":
                    value = unguarded(value)  # the export's guard, not part of the text
                text = value if verbatim else value.strip()
                if text in missing:
                    continue
                if name != "comment":  # a comment is kept exactly as written
                    value = text
                if convert is _text:
                    if path:
                        put(event, path, leaf, value)
                    else:
                        event[leaf] = value
                    continue
            try:
                converted = convert(value)
            except (ValueError, OverflowError) as exc:  # a bad row never stops the import
                raise RowError(f"{name} (column {column!r})", str(exc)) from None
            if path:
                put(event, path, leaf, converted)
            elif leaf == "attributes":  # constants (`--set attributes.k=`) go on top
                event[leaf] = {**converted, **event.get(leaf, {})}
            else:
                event[leaf] = converted
        return event
