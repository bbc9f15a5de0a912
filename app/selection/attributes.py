"""Attributes as dimensions: the flat fields a client sends with an event (`attributes`)
filter and group like the event's own dimensions (docs/metrics.md, "Attributes as
dimensions").

- A filter `attribute.<key>=value` is the dimension `attribute:<key>` of a selection.
  A value matches an event whose attribute is that scalar: by its text form (strings as
  they are, booleans `true`/`false`, numbers as PostgreSQL writes them), a numeric-looking
  value also by numeric equality with a JSON number (`5` matches 5 and 5.0), and a bin
  label (`[5..10)`, `[..5)`, `[20..)`) matches the JSON numbers in its half-open range.
- `group_by=attribute:<key>` groups by the text form, by the numeric value, or into bins
  (`AttributeGrouping`), as the data of the selection says (app/selection/grouping.py).

Keys and values only ever reach SQL as bound parameters. No rollup keeps attributes
(app/rollups/cubes.py): a selection that names one reads raw rows.
"""

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from itertools import pairwise
from typing import Any, Literal

from app.sql import Params

ATTRIBUTE_PREFIX = "attribute:"  # of a dimension and of a group_by: `attribute:wait_minutes`
FILTER_PREFIX = "attribute."  # of a filter's query parameter: `attribute.wait_minutes=5`
MAX_ATTRIBUTE_FILTERS = 10  # keys filtered on in one request
MAX_FILTER_VALUES = 100  # values (alternatives) of one attribute filter
MAX_BIN_EDGES = 50  # explicit edges of `bins`: at most 51 bins
QUANTILES = (2, 20)  # the K of `bins=quantiles:K`
DEFAULT_QUANTILES = 5  # a numeric key with more distinct values than the bound

# An attribute's key as a selection names it: 1..64 printable characters (the ingest
# schema allows 1..64 characters; a key with control characters cannot be named here).
# These patterns are used with `fullmatch`.
KEY = re.compile(r"[^\x00-\x1f\x7f]{1,64}")
# A numeric-looking value: a JSON number (optional exponent), within ±1e60 or so, so any
# value bound as `numeric` stays far inside what PostgreSQL represents.
_NUMBER = r"-?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?"
NUMBER = re.compile(_NUMBER, re.ASCII)
BIN_LABEL = re.compile(rf"\[({_NUMBER})?\.\.({_NUMBER})?\)", re.ASCII)
MAX_EXPONENT = 60


def attribute_key(dimension: str | None) -> str | None:
    """The key of an `attribute:<key>` dimension or group_by, else None."""
    if dimension is None or not dimension.startswith(ATTRIBUTE_PREFIX):
        return None
    return dimension[len(ATTRIBUTE_PREFIX) :]


def group_parts(group_by: str) -> list[str]:
    """The dimensions a group_by names: "location_id+touchpoint" names two, an attribute
    one (its key may itself hold a "+")."""
    return [group_by] if attribute_key(group_by) is not None else group_by.split("+")


def number(text: str) -> Decimal | None:
    """`text` as a number if it looks like one (and is not absurdly large or small)."""
    if not NUMBER.fullmatch(text):
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        return None
    if value and not -MAX_EXPONENT <= value.adjusted() <= MAX_EXPONENT:
        return None
    return value


def number_text(value: Decimal) -> str:
    """A number as labels write it: plain notation, no trailing zeros (`5`, `2.5`, `-0.25`),
    as PostgreSQL's `trim_scale(n)::text` writes it."""
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


def json_number(value: Decimal) -> int | float:
    """A number for a JSON answer: integers without `.0`."""
    return int(value) if value == value.to_integral_value() else float(value)


Range = tuple[Decimal | None, Decimal | None]
"""A half-open range [low, high) of numbers; None: unbounded on that side."""


def bin_range(label: str) -> Range | None:
    """The range of a bin label (`[5..10)`, `[..5)`, `[20..)`), None if `label` is not one.
    ValueError for a label whose numbers are out of range or not ascending."""
    found = BIN_LABEL.fullmatch(label)
    if not found:
        return None
    given = found.groups()
    low, high = (None if g is None else number(g) for g in given)
    if (given[0] is not None and low is None) or (given[1] is not None and high is None):
        raise ValueError(f"The numbers of a bin label lie within ±1e{MAX_EXPONENT}.")
    if low is not None and high is not None and low >= high:
        raise ValueError("A bin label's lower edge comes before its upper edge: [5..10).")
    return low, high


def bin_label(low: Decimal | None, high: Decimal | None) -> str:
    """`[low..high)`, an unbounded side left empty."""
    lower = "" if low is None else number_text(low)
    upper = "" if high is None else number_text(high)
    return f"[{lower}..{upper})"


def bin_labels(edges: Sequence[Decimal]) -> list[str]:
    """The labels of the bins that ascending `edges` make: below the first, between each
    two, from the last up (`[..5)`, `[5..10)`, `[10..)`); none without edges."""
    if not edges:
        return []
    bounds: list[Decimal | None] = [None, *edges, None]
    return [bin_label(low, high) for low, high in pairwise(bounds)]


@dataclass(frozen=True, slots=True)
class ValueMatch:
    """What the values of one attribute filter match (any of them)."""

    texts: tuple[str, ...]  # every value, against the text form of the attribute
    numbers: tuple[Decimal, ...] = ()  # the numeric-looking ones, against JSON numbers
    ranges: tuple[Range, ...] = ()  # bin labels, against JSON numbers


def value_match(values: Sequence[str]) -> ValueMatch:
    """The match of an attribute filter's values (already split and checked for length).
    ValueError for a malformed bin label."""
    numbers, ranges = [], []
    for value in values:
        found = bin_range(value)
        if found is not None:
            ranges.append(found)
            continue
        parsed = number(value)
        if parsed is not None:
            numbers.append(parsed)
    return ValueMatch(tuple(values), tuple(numbers), tuple(ranges))


def json_value(attributes: str, key: str) -> str:
    """The attribute `key` (a bound placeholder) of the JSONB column `attributes`."""
    return f"({attributes} -> {key})"


def numeric_value(attributes: str, key: str) -> str:
    """The attribute as a number if it is a JSON number, else NULL (the CASE keeps the
    cast from ever seeing a string)."""
    value = json_value(attributes, key)
    return f"(CASE WHEN jsonb_typeof({value}) = 'number' THEN {value}::numeric END)"


def match_condition(attributes: str, key: str, values: Sequence[str], params: Params) -> str:
    """The rows whose attribute `key` (bound by the caller) matches any of `values`."""
    match = value_match(values)
    number_sql = numeric_value(attributes, key)
    alternatives = [f"{attributes} ->> {key} = ANY({params(list(match.texts), '::text[]')})"]
    if match.numbers:
        alternatives.append(f"{number_sql} = ANY({params(list(match.numbers), '::numeric[]')})")
    for low, high in match.ranges:
        bounds = [f"{number_sql} IS NOT NULL"]
        if low is not None:
            bounds.append(f"{number_sql} >= {params(low, '::numeric')}")
        if high is not None:
            bounds.append(f"{number_sql} < {params(high, '::numeric')}")
        alternatives.append(f"({' AND '.join(bounds)})")
    return f"({' OR '.join(alternatives)})"


def attribute_conditions(
    dimensions: dict[str, tuple[str, ...]], attributes: str, params: Params
) -> list[str]:
    """One condition per attribute filter of a selection, on the JSONB column `attributes`."""
    clauses = []
    for dimension, values in dimensions.items():
        key = attribute_key(dimension)
        if key is not None:
            clauses.append(match_condition(attributes, params(key, "::text"), values, params))
    return clauses


BinMethod = Literal["explicit", "quantiles"]


@dataclass(frozen=True, slots=True)
class BinRequest:
    """`bins` as asked: explicit ascending edges, or the selection's K-quantiles."""

    method: BinMethod
    edges: tuple[Decimal, ...] = ()  # explicit
    quantiles: int = 0  # K of quantiles:K

    @property
    def fractions(self) -> list[float]:
        """The cumulative shares of the inner quantile edges: 1/K .. (K-1)/K."""
        return [i / self.quantiles for i in range(1, self.quantiles)]


def parse_bins(raw: str) -> BinRequest:
    """`5,10,20` or `quantiles:K`; ValueError with the reason otherwise."""
    text = raw.strip()
    if text.lower().startswith("quantiles:"):
        count = text.partition(":")[2].strip()
        low, high = QUANTILES
        if not (count.isascii() and count.isdigit()) or not low <= int(count) <= high:
            raise ValueError(f"quantiles:K takes a whole K from {low} to {high}.")
        return BinRequest("quantiles", quantiles=int(count))
    edges = []
    for part in text.split(","):
        value = number(part.strip())
        if value is None:
            raise ValueError(
                f"Give ascending numbers (within ±1e{MAX_EXPONENT}), e.g. 5,10,20, or quantiles:K."
            )
        edges.append(value)
    if len(edges) > MAX_BIN_EDGES:
        raise ValueError(f"At most {MAX_BIN_EDGES} edges.")
    if any(a >= b for a, b in pairwise(edges)):
        raise ValueError("The edges must be strictly ascending, e.g. 5,10,20.")
    return BinRequest("explicit", edges=tuple(edges))


GroupingKind = Literal["text", "number", "bins"]


@dataclass(frozen=True, slots=True)
class AttributeGrouping:
    """How `group_by=attribute:<key>` groups a selection, as its data said: by the text
    form of the values (`text`), by their numeric value (`number`, labels as
    `number_text`), or into the half-open bins of ascending `edges` (`bins`). Events
    without the key, or with null, are the null group."""

    key: str
    kind: GroupingKind
    method: BinMethod | None = None
    edges: tuple[Decimal, ...] = ()

    @property
    def labels(self) -> list[str]:
        return bin_labels(self.edges)

    def answer(self) -> dict[str, Any] | None:
        """The `bins` object of an answer (null unless binned)."""
        if self.kind != "bins":
            return None
        return {
            "attribute": self.key,
            "method": self.method,
            "edges": [json_number(e) for e in self.edges],
            "labels": self.labels,
        }

    def expression(self, attributes: str, params: Params) -> str:
        """The group label of a row, computed in SQL (NULL: the null group)."""
        key = params(self.key, "::text")
        if self.kind == "text":
            return f"({attributes} ->> {key})"
        value = numeric_value(attributes, key)
        if self.kind == "number":
            return f"trim_scale({value})::text"
        # width_bucket: 0 below the first edge, i from edge i up to edge i + 1.
        labels = params(self.labels, "::text[]")
        edges = params(list(self.edges), "::numeric[]")
        return f"({labels})[width_bucket({value}, {edges}) + 1]"

    def sort_key(self) -> Callable[[Any], tuple[int, Any]]:
        """Groups in the order of their values (bins in order, numbers by size), null last."""
        if self.kind == "bins":
            order = {label: i for i, label in enumerate(self.labels)}
            return lambda g: (1, 0) if g is None else (0, order.get(g, len(order)))
        if self.kind == "number":
            return lambda g: (1, 0) if g is None else (0, Decimal(g))
        return lambda g: (1, "") if g is None else (0, g)
