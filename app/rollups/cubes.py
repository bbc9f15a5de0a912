"""What is pre-aggregated: the cubes (dimension sets) and spans (time buckets) of the rollups.

Every rollup row holds the additive aggregate (aggregates.FAMILIES) of the
events of one cube cell in one time bucket. A cube keeps `respondent_type`
and its own dimensions; the others are summed away (stored as NULL, so a
cube's rows never collide with another's). A query is served by the smallest
cube that has every dimension it filters or groups on (`region` is read
through `location_id`); a query on `tag`, on what the text enrichment derived
from the comment (`theme`, `sentiment`, `language`), or on an attribute
(`attribute:<key>`), is never served by a rollup.

Spans (`span`, `zone`, `bucket` = the bucket's start):

- `hour`: UTC hours (zone "UTC"), only for cubes small enough to be worth it.
  Exact for any window edge (the rest of a partial hour is read raw) and for
  every bucket of a zone whose UTC offset is a whole number of hours.
- `day`, `week` and `month`: local days, ISO weeks and months of each zone in
  `FEEDBACK_ROLLUP_ZONES` (UTC and the default zone always), for every cube.
  Local days nest exactly into local weeks, months, quarters and years, DST
  days included; weeks serve week buckets, months serve month, quarter and
  year buckets, and both serve long windows without buckets.

Anything else (hour buckets in Asia/Kolkata, say) is read from the raw table:
slower, never inexact.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from app.selection.attributes import attribute_key

# The dimensions a rollup row can carry, in the order of its columns and key.
ROLLUP_DIMENSIONS = (
    "respondent_type", "channel", "touchpoint", "location_id", "employee_id", "segment",
    "acquisition_source",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Cube:
    id: int  # stored in every row: never renumber, only add
    name: str
    dimensions: tuple[str, ...]  # besides respondent_type
    hourly: bool  # also kept by UTC hour (only where the cube is small)
    source: str | None = None  # a cube with more dimensions it is summed from, not from raw

    @property
    def columns(self) -> tuple[str, ...]:
        return ("respondent_type", *self.dimensions)


# Smallest first: the first cube that covers a query serves it.
CUBES = (
    Cube(1, "total", (), hourly=True, source="channel"),
    Cube(2, "channel", ("channel",), hourly=True),
    Cube(3, "touchpoint", ("touchpoint",), hourly=True),
    Cube(4, "segment", ("segment",), hourly=True),
    Cube(5, "acquisition_source", ("acquisition_source",), hourly=True),
    Cube(6, "location", ("location_id",), hourly=False, source="location_channel"),
    Cube(7, "location_channel", ("location_id", "channel"), hourly=False),
    Cube(8, "employee", ("location_id", "employee_id"), hourly=False),
    Cube(9, "location_touchpoint", ("location_id", "touchpoint"), hourly=False),
)

BY_NAME = {cube.name: cube for cube in CUBES}


def rolled_zones(*zones: str) -> tuple[str, ...]:
    """The zones whose local days are rolled up: UTC and the given ones, sorted, once each."""
    return tuple(sorted({"UTC", *zones}))


# Dimensions no cube keeps: an event has several tags and themes, and its comment's
# sentiment and language are derived after it is stored (and again on a rebuild). Nor
# does any keep an attribute (`attribute:<key>`): the keys are the clients' own.
RAW_ONLY = frozenset({"tag", "theme", "sentiment", "language"})


def cube_for(dimensions: Iterable[str]) -> Cube | None:
    """The smallest cube with all these dimensions, or None (RAW_ONLY, an attribute, or
    no such cube)."""
    needed = {"location_id" if d == "region" else d for d in dimensions} - {"respondent_type"}
    if needed & RAW_ONLY or any(attribute_key(d) is not None for d in needed):
        return None
    for cube in CUBES:
        if needed <= set(cube.dimensions):
            return cube
    return None
