from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="LocationIn")


@_attrs_define
class LocationIn:
    """A branch: its display name, its region in the chain and its IANA time zone.

    Attributes:
        name (str):
        region (None | str | Unset): The branch's region (a slug); metrics filter and group by it.
        timezone (str | Unset): IANA time zone of the branch, e.g. `Asia/Kolkata`. Default: 'UTC'.
    """

    name: str
    region: None | str | Unset = UNSET
    timezone: str | Unset = "UTC"

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        region: None | str | Unset
        if isinstance(self.region, Unset):
            region = UNSET
        else:
            region = self.region

        timezone = self.timezone

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
            }
        )
        if region is not UNSET:
            field_dict["region"] = region
        if timezone is not UNSET:
            field_dict["timezone"] = timezone

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        def _parse_region(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        region = _parse_region(d.pop("region", UNSET))

        timezone = d.pop("timezone", UNSET)

        location_in = cls(
            name=name,
            region=region,
            timezone=timezone,
        )

        return location_in
