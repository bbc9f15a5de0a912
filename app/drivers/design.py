"""What a driver is: its name in a request, the SQL that reads it from an event, and how
its answers become columns of the model (docs/metrics.md, "Drivers").

Names: `servqual:<dimension>` (the perception, 1-7), `servqual_gap:<dimension>`
(perception - expectation), `channel`, `touchpoint`, `segment`, `acquisition_source`,
`location_id` (categories), `tag:<tag>` and `theme:<theme>` (whether the event has the
tag, whether its enriched comment mentions the theme), `attribute:<key>` (numeric when
every value of the selection is a JSON number, else categories of its text form).
"""

import re
from dataclasses import dataclass
from typing import Literal

from app.errors import FieldError, ValidationFailed
from app.sql import Params
from app.vocabulary import SERVQUAL_DIMENSIONS, THEME_NAME

Kind = Literal["numeric", "categorical", "binary"]
Outcome = Literal["nps", "csat", "ces"]

CATEGORIES = ("channel", "touchpoint", "segment", "acquisition_source", "location_id")
DEFAULT_DRIVERS = (
    *(f"servqual:{d}" for d in SERVQUAL_DIMENSIONS),
    "touchpoint",
    "channel",
    "segment",
    "acquisition_source",
)
MAX_DRIVERS = 15  # 2^15 subsets per replicate: about a second (bench/drivers.py)
MAX_LEVELS = 20  # per categorical driver, the rarest merged into "(other)"

OUTCOME_COLUMNS = {"nps": "e.nps", "csat": "e.csat", "ces": "e.ces"}

_THEME = re.compile(THEME_NAME)
_VALUE = re.compile(r"^[^\x00-\x1f\x7f]{1,128}$")
_KEY = re.compile(r"^[^\x00-\x1f\x7f]{1,64}$")


@dataclass(frozen=True, slots=True)
class Driver:
    """A driver as asked: `kind` is None for an attribute until the data says."""

    name: str
    kind: Kind | None
    family: Literal["servqual", "servqual_gap", "category", "tag", "theme", "attribute"]
    key: str  # the dimension, column, tag, theme or attribute key


def _problem(message: str) -> ValidationFailed:
    return ValidationFailed(
        "Query parameter 'drivers' is not valid.",
        errors=[FieldError(pointer="", loc=["query", "drivers"], type="value_error",
                           message=message)],
    )  # fmt: skip


def parse(raw: list[str] | None) -> list[Driver]:
    """The drivers named (repeatable or comma-separated, order kept, no repeats), or the
    defaults; 422 for a name that is none of the forms above, or too many."""
    names: list[str] = []
    for chunk in raw or []:
        for name in chunk.split(","):
            name = name.strip()
            if name and name not in names:
                names.append(name)
    if not names:
        names = list(DEFAULT_DRIVERS)
    if len(names) > MAX_DRIVERS:
        raise _problem(f"At most {MAX_DRIVERS} drivers at once ({len(names)} given).")
    return [_driver(name) for name in names]


def _driver(name: str) -> Driver:
    if name in CATEGORIES:
        return Driver(name, "categorical", "category", name)
    family, sep, key = name.partition(":")
    if sep and family in ("servqual", "servqual_gap") and key in SERVQUAL_DIMENSIONS:
        return Driver(name, "numeric", family, key)  # type: ignore[arg-type]
    if sep and family == "tag" and _VALUE.fullmatch(key):
        return Driver(name, "binary", "tag", key)
    if sep and family == "theme" and _THEME.fullmatch(key):
        return Driver(name, "binary", "theme", key)
    if sep and family == "attribute" and _KEY.fullmatch(key):
        return Driver(name, None, "attribute", key)
    raise _problem(
        f"Unknown driver {name[:80]!r}. Use servqual:<dimension>, servqual_gap:<dimension> "
        f"({', '.join(SERVQUAL_DIMENSIONS)}), {', '.join(CATEGORIES)}, tag:<tag>, "
        "theme:<theme> or attribute:<key>."
    )


def value_sql(driver: Driver, params: Params) -> str:
    """The driver's value in an event row `e` (with `ci`, its enriched comment, for a
    theme): a number for numeric and binary drivers, text for categories. For an
    attribute: its text form (categories); `number_sql` gives its number."""
    if driver.family == "servqual":
        return f"e.sq_{driver.key}_p"
    if driver.family == "servqual_gap":
        return f"(e.sq_{driver.key}_p - e.sq_{driver.key}_e)"
    if driver.family == "category":
        return f"e.{driver.key}"
    if driver.family == "tag":
        return f"(e.tags @> ARRAY[{params(driver.key, '::text')}])::int"
    if driver.family == "theme":
        return f"(ci.themes @> ARRAY[{params(driver.key, '::text')}])::int"
    return f"(e.attributes ->> {params(driver.key, '::text')})"


def number_sql(driver: Driver, params: Params) -> str:
    """An attribute's value as a number (NULL unless it is a JSON number)."""
    key = params(driver.key, "::text")
    return (
        f"(CASE WHEN jsonb_typeof(e.attributes -> {key}) = 'number' "
        f"THEN (e.attributes ->> {key})::float8 END)"
    )
