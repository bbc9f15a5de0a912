"""IANA time zone names, validated against the zone database (stdlib zoneinfo + tzdata)."""

from functools import lru_cache
from typing import Annotated
from zoneinfo import available_timezones

from pydantic import AfterValidator, StringConstraints

# Files in the zone directory that are not zones a location can be in.
NOT_ZONES = frozenset({"localtime", "posixrules", "Factory"})


@lru_cache(maxsize=1)
def known_zones() -> frozenset[str]:
    return frozenset(available_timezones() - NOT_ZONES)


def check_zone(name: str) -> str:
    if name not in known_zones():
        raise ValueError("must be an IANA time zone name, e.g. Europe/Vienna, Asia/Kolkata, UTC")
    return name


TimeZoneName = Annotated[
    str, StringConstraints(strict=True, min_length=1, max_length=64), AfterValidator(check_zone)
]
