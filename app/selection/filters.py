"""The filters every metrics endpoint shares, parsed and checked once.

Repeatable parameters accept `?channel=web&channel=pos` and `?channel=web,pos`
alike; values within one parameter are alternatives (OR), different
parameters all apply (AND). Without `respondent_type` only external customers
count (docs/metrics.md, "What counts").

`theme`, `sentiment` and `language` select by what the text enrichment derived from
an event's comment (`comment_insights`, app.text): only events with an enriched
comment match them, and `language` is the comment's resolved language, not the
event's own `language` field.

`attribute.<key>=value` selects by the event's own flat `attributes` (app/selection/
attributes.py): its parameter names are the client's keys, so they are read from the
query string itself, and kept as the dimension `attribute:<key>`.
"""

import re
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any, Literal, get_args
from zoneinfo import ZoneInfo

from fastapi import Depends, Query, Request
from pydantic import PlainValidator, StringConstraints

from app.errors import FieldError, ValidationFailed
from app.selection.attributes import (
    ATTRIBUTE_PREFIX,
    FILTER_PREFIX,
    KEY,
    MAX_ATTRIBUTE_FILTERS,
    MAX_FILTER_VALUES,
    AttributeGrouping,
    BinRequest,
    attribute_key,
    parse_bins,
    value_match,
)
from app.settings import SettingsDep
from app.stats import DEFAULT_MIN_N
from app.timezones import known_zones
from app.types import EARLIEST, LATEST
from app.vocabulary import RESPONDENT_TYPES, SENTIMENTS, THEME_NAME, Dimension

# The dimensions of an event's enriched comment (app/selection/comments.py): never in a
# rollup, so metrics that filter or group on them read raw rows.
COMMENT_DIMENSIONS = ("theme", "sentiment", "language")
# A resolved language: an ISO 639 code, or "unknown" for too little text (app.text).
_THEME = re.compile(THEME_NAME)
_LANGUAGE = re.compile(r"^(?:[a-z]{2,3}|unknown)$")
GroupDimension = Literal[Dimension, "theme", "sentiment", "language"]
"""What metrics group by: the event dimensions and those of its enriched comment."""
AttributeGroup = Annotated[str, StringConstraints(pattern=r"^attribute:.{1,64}$")]
"""`attribute:<key>`: the events grouped by one of their attributes."""
_GROUP_DIMENSIONS = frozenset(get_args(Dimension)) | {"theme", "sentiment", "language"}
_ATTRIBUTE_GROUP = re.compile(r"^attribute:.{1,64}$")


def _group_by(value: Any) -> str:
    """One clear error for a group_by that is neither (a union would report one per member)."""
    if isinstance(value, str) and (value in _GROUP_DIMENSIONS or _ATTRIBUTE_GROUP.fullmatch(value)):
        return value
    raise ValueError(
        f"Use one of {', '.join(sorted(_GROUP_DIMENSIONS))}, or attribute:<key> (a key of 1 "
        "to 64 characters)."
    )


GroupBy = Annotated[
    str, PlainValidator(_group_by, json_schema_input_type=GroupDimension | AttributeGroup)
]
"""What metrics group by: a dimension (`GroupDimension`) or an attribute (`AttributeGroup`)."""

METRIC_NAMES = ("nps", "csat", "ces", "servqual", "volume")
DEFAULT_WINDOW = timedelta(days=30)
DEFAULT_EMPLOYEE_MIN_N = 5
_VALUE = re.compile(r"^[^\x00-\x1f\x7f]{1,128}$")


@dataclass(frozen=True, slots=True)
class Selection:
    """Which events a reader asks for: a window on `occurred_at` in a zone, values of the
    dimensions, and for metrics which figures and their small-sample rules."""

    start: datetime  # inclusive, UTC
    end: datetime  # exclusive, UTC
    tz: str
    dimensions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    metrics: tuple[str, ...] = METRIC_NAMES
    min_n: int = DEFAULT_MIN_N
    employee_min_n: int = DEFAULT_EMPLOYEE_MIN_N
    group_by: str | None = None
    # How an `attribute:<key>` group_by groups, once the data was read (app/selection/
    # grouping.py); None: by the text form of the values.
    grouping: AttributeGrouping | None = None

    @property
    def respondent_types(self) -> tuple[str, ...]:
        return self.dimensions.get("respondent_type", ("customer",))

    def window(self) -> dict[str, Any]:
        """The `from`, `to` and `tz` of an answer (see schemas.Window)."""
        return {"from": self.start, "to": self.end, "tz": self.tz}

    @property
    def per_employee(self) -> bool:
        """Figures about named employees (hidden below employee_min_n, docs/metrics.md)."""
        return "employee_id" in self.dimensions or self.group_by == "employee_id"


def _problem(parameter: str, message: str, kind: str = "value_error") -> ValidationFailed:
    return ValidationFailed(
        f"Query parameter '{parameter}' is not valid.",
        errors=[FieldError(pointer="", loc=["query", parameter], type=kind, message=message)],
    )


def split_values(raw: list[str] | None, parameter: str) -> tuple[str, ...]:
    """`["web,pos", "app"]` -> `("web", "pos", "app")`, each checked, order kept, no repeats."""
    values: list[str] = []
    for chunk in raw or []:
        for value in chunk.split(","):
            value = value.strip()
            if not _VALUE.match(value):
                raise _problem(parameter, "Values are 1..128 printable characters.")
            if value not in values:
                values.append(value)
    return tuple(values)


def parse_instant(raw: str, parameter: str, zone: ZoneInfo) -> datetime:
    """RFC 3339 with offset, or a date meaning local midnight in `tz`, within
    [EARLIEST, LATEST]."""
    try:
        if len(raw) == 10:
            parsed = datetime.combine(date.fromisoformat(raw), time(), zone)
        else:
            parsed = datetime.fromisoformat(raw)
            if parsed.tzinfo is None:
                raise _problem(
                    parameter, "A time needs its UTC offset, e.g. 2026-11-01T00:00:00+01:00."
                )
        instant = parsed.astimezone(UTC)
    except (ValueError, OverflowError) as exc:
        raise _problem(parameter, "Give an RFC 3339 time with offset or a date.") from exc
    if not EARLIEST <= instant <= LATEST:
        raise _problem(parameter, "Give a time between 1900-01-01 and 3000-01-01 (UTC).")
    return instant


async def event_filters(
    settings: SettingsDep,
    request: Request,
    from_: Annotated[
        str | None,
        Query(
            alias="from",
            max_length=40,
            description="Start (inclusive) of the window on `occurred_at`: RFC 3339 with offset, "
            "or a date (local midnight in `tz`), between 1900-01-01 and 3000-01-01 UTC (else "
            "422). Default: 30 days before `to`.",
            examples=["2026-11-01"],
        ),
    ] = None,
    to: Annotated[
        str | None,
        Query(
            max_length=40,
            description="End (exclusive) of the window, in the same form and range; at most "
            "`FEEDBACK_MAX_WINDOW_DAYS` after `from` (else 422). Default: now.",
            examples=["2026-12-01"],
        ),
    ] = None,
    tz: Annotated[
        str | None,
        Query(
            max_length=64,
            description="IANA time zone for dates and buckets. Default: the service setting.",
            examples=["Europe/Vienna"],
        ),
    ] = None,
    channel: Annotated[
        list[str] | None, Query(description="Repeatable or comma-separated.")
    ] = None,
    touchpoint: Annotated[list[str] | None, Query()] = None,
    location_id: Annotated[
        list[str] | None,
        Query(
            description="Repeatable or comma-separated. A key bound to a branch reads that "
            "branch only, whether or not it names it; naming another is a 403."
        ),
    ] = None,
    region: Annotated[
        list[str] | None, Query(description="Regions of registered locations.")
    ] = None,
    employee_id: Annotated[list[str] | None, Query()] = None,
    respondent_type: Annotated[
        list[str] | None,
        Query(description="customer (default), internal, employee. Repeatable."),
    ] = None,
    segment: Annotated[list[str] | None, Query()] = None,
    tag: Annotated[
        list[str] | None,
        Query(
            description="Events with any of these tags.\n\n"
            "**Attributes** (`attribute.<key>`): the events' own flat fields filter too, "
            "one query parameter per key, named `attribute.` and the key (1 to 64 printable "
            f"characters; at most {MAX_ATTRIBUTE_FILTERS} keys): `attribute.wait_minutes=5`, "
            "`attribute.member=true`, `attribute.basket=[20..50)`. Repeatable or "
            "comma-separated, like every dimension (alternatives). A value matches an "
            "attribute of that text form (strings as sent, booleans `true`/`false`); a "
            "number also every JSON number equal to it (`5` matches 5 and 5.0); a bin label "
            "`[5..10)`, `[..5)`, `[20..)` the JSON numbers in that half-open range (the "
            "labels `group_by=attribute:<key>` returns). Such filters read raw events, "
            'like `tag` (docs/metrics.md, "Attributes as dimensions").',
        ),
    ] = None,
    acquisition_source: Annotated[list[str] | None, Query()] = None,
    theme: Annotated[
        list[str] | None,
        Query(
            description="Events whose enriched comment mentions any of these themes (names "
            "as `GET /v1/themes` lists them). Repeatable or comma-separated.",
            examples=["waiting,price"],
        ),
    ] = None,
    sentiment: Annotated[
        list[str] | None,
        Query(
            description="Events whose enriched comment has this sentiment: negative, "
            "neutral, positive. Repeatable or comma-separated.",
        ),
    ] = None,
    language: Annotated[
        list[str] | None,
        Query(
            description="Events whose enriched comment is in this language: the comment's "
            "resolved language (ISO 639-1 code, or `unknown` for too little text), not the "
            "event's own `language` field. Repeatable or comma-separated.",
            examples=["de,hu"],
        ),
    ] = None,
) -> Selection:
    """The window and dimension filters that metrics and event lists share, as asked
    (app.auth.access narrows them to a key's branch)."""
    zone_name = tz or settings.default_tz
    if zone_name not in known_zones():
        raise _problem("tz", "Give an IANA time zone name, e.g. Europe/Vienna or UTC.")
    zone = ZoneInfo(zone_name)
    end = parse_instant(to, "to", zone) if to else datetime.now(UTC)
    start = parse_instant(from_, "from", zone) if from_ else end - DEFAULT_WINDOW
    if end <= start:
        raise _problem("to", "`to` must be after `from`.")
    if end - start > timedelta(days=settings.max_window_days):
        raise _problem("to", f"The window is longer than {settings.max_window_days} days.")
    given = {
        "channel": channel,
        "touchpoint": touchpoint,
        "location_id": location_id,
        "region": region,
        "employee_id": employee_id,
        "respondent_type": respondent_type,
        "segment": segment,
        "tag": tag,
        "acquisition_source": acquisition_source,
        "theme": theme,
        "sentiment": sentiment,
        "language": [v.lower() for v in language] if language else None,
    }
    dimensions = {name: split_values(raw, name) for name, raw in given.items() if raw}
    dimensions.update(attribute_filters(request))
    unknown_types = set(dimensions.get("respondent_type", ())) - set(RESPONDENT_TYPES)
    if unknown_types:
        raise _problem("respondent_type", "Use customer, internal or employee.")
    _check_comment_dimensions(dimensions)
    return Selection(start=start, end=end, tz=zone_name, dimensions=dimensions)


def attribute_filters(request: Request) -> dict[str, tuple[str, ...]]:
    """The `attribute.<key>=value` parameters of a request, as dimensions `attribute:<key>`
    (their names are the client's keys: FastAPI cannot declare them)."""
    found: dict[str, list[str]] = {}
    for name, value in request.query_params.multi_items():
        if name.startswith(FILTER_PREFIX):
            found.setdefault(name, []).append(value)
    if len(found) > MAX_ATTRIBUTE_FILTERS:
        raise _problem(
            FILTER_PREFIX + "<key>",
            f"At most {MAX_ATTRIBUTE_FILTERS} attribute filters; this request has {len(found)}.",
            "too_many_filters",
        )
    dimensions = {}
    for name, raw in found.items():
        parameter = name if len(name) <= 80 else name[:80] + "..."
        key = name[len(FILTER_PREFIX) :]
        if not KEY.fullmatch(key):
            raise _problem(
                parameter, "An attribute's key is 1 to 64 printable characters: attribute.<key>."
            )
        values = split_values(raw, parameter)
        if len(values) > MAX_FILTER_VALUES:
            raise _problem(parameter, f"At most {MAX_FILTER_VALUES} values per attribute.")
        try:
            value_match(values)
        except ValueError as exc:
            raise _problem(parameter, str(exc)) from exc
        dimensions[ATTRIBUTE_PREFIX + key] = values
    return dimensions


def bins_request(raw: str | None, group_by: str | None) -> BinRequest | None:
    """The `bins` parameter of a grouped answer: only with `group_by=attribute:<key>`."""
    if raw is None:
        return None
    if attribute_key(group_by) is None:
        raise _problem("bins", "bins groups a numeric attribute: use it with "
                       "group_by=attribute:<key>.")  # fmt: skip
    try:
        return parse_bins(raw)
    except ValueError as exc:
        raise _problem("bins", str(exc)) from exc


def _check_comment_dimensions(dimensions: dict[str, tuple[str, ...]]) -> None:
    if set(dimensions.get("sentiment", ())) - set(SENTIMENTS):
        raise _problem("sentiment", "Use negative, neutral or positive.")
    if not all(_THEME.match(v) for v in dimensions.get("theme", ())):
        raise _problem(
            "theme",
            "A theme's name: lowercase letters, digits and _, starting with a letter "
            "(GET /v1/themes lists them).",
        )
    if not all(_LANGUAGE.match(v) for v in dimensions.get("language", ())):
        raise _problem(
            "language",
            "An ISO 639 code of the comment's language (e.g. de, pt: no region) or unknown.",
        )


MinN = Annotated[int, Query(ge=1, le=100_000, description="Below this n a figure is `low_sample`.")]


async def metric_filters(
    base: Annotated[Selection, Depends(event_filters)],
    metrics: Annotated[
        list[str] | None,
        Query(description="Which of nps, csat, ces, servqual, volume (default all)."),
    ] = None,
    min_n: MinN = DEFAULT_MIN_N,
    employee_min_n: Annotated[
        int | None,
        Query(
            ge=1,
            le=100_000,
            description="Per-employee figures from fewer answers are returned as null. The "
            "service's floor (`FEEDBACK_EMPLOYEE_MIN_N`, default 5) by default; a request may "
            "raise it, never lower it (422).",
        ),
    ] = None,
    *,
    settings: SettingsDep,
) -> Selection:
    """`event_filters` and what metrics add: which metrics, and the small-sample rules."""
    chosen = split_values(metrics, "metrics") or METRIC_NAMES
    if set(chosen) - set(METRIC_NAMES):
        raise _problem("metrics", f"Choose among {', '.join(METRIC_NAMES)}.")
    floor = settings.employee_min_n
    if employee_min_n is None:
        employee_min_n = floor
    elif employee_min_n < floor:
        raise _problem(
            "employee_min_n",
            f"At least {floor}: the service's privacy floor for per-employee figures "
            "(FEEDBACK_EMPLOYEE_MIN_N) may be raised by a request, never lowered.",
        )
    return replace(base, metrics=chosen, min_n=min_n, employee_min_n=employee_min_n)


def previous_window(
    filters: Selection, previous_from: str | None, previous_to: str | None, max_window_days: int
) -> Selection:
    """The comparison window: as given, or the equal-length window just before."""
    if (previous_from is None) != (previous_to is None):
        raise _problem("previous_to", "Give both previous_from and previous_to, or neither.")
    if previous_from is None or previous_to is None:
        length = filters.end - filters.start
        return replace(filters, start=filters.start - length, end=filters.start)
    zone = ZoneInfo(filters.tz)
    start = parse_instant(previous_from, "previous_from", zone)
    end = parse_instant(previous_to, "previous_to", zone)
    if end <= start:
        raise _problem("previous_to", "`previous_to` must be after `previous_from`.")
    if end - start > timedelta(days=max_window_days):  # the window's own limit
        raise _problem("previous_to", f"The window is longer than {max_window_days} days.")
    return replace(filters, start=start, end=end)
