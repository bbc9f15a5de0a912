from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Spread")


@_attrs_define
class Spread:
    """
    Attributes:
        groups_used (int): Groups with n ≥ min_n (only these count).
        max_ (float | None):
        mean (float | None): Unweighted mean of the group values.
        min_ (float | None):
        range_ (float | None):
        stdev (float | None): Population standard deviation of the group values.
    """

    groups_used: int
    max_: float | None
    mean: float | None
    min_: float | None
    range_: float | None
    stdev: float | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        groups_used = self.groups_used

        max_: float | None
        max_ = self.max_

        mean: float | None
        mean = self.mean

        min_: float | None
        min_ = self.min_

        range_: float | None
        range_ = self.range_

        stdev: float | None
        stdev = self.stdev

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "groups_used": groups_used,
                "max": max_,
                "mean": mean,
                "min": min_,
                "range": range_,
                "stdev": stdev,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        groups_used = d.pop("groups_used")

        def _parse_max_(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        max_ = _parse_max_(d.pop("max"))

        def _parse_mean(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        mean = _parse_mean(d.pop("mean"))

        def _parse_min_(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        min_ = _parse_min_(d.pop("min"))

        def _parse_range_(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        range_ = _parse_range_(d.pop("range"))

        def _parse_stdev(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        stdev = _parse_stdev(d.pop("stdev"))

        spread = cls(
            groups_used=groups_used,
            max_=max_,
            mean=mean,
            min_=min_,
            range_=range_,
            stdev=stdev,
        )

        spread.additional_properties = d
        return spread

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
