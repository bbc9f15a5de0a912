from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="DurationFigure")


@_attrs_define
class DurationFigure:
    """Hours from the feedback's arrival to the first contact, over contacted cases.

    Attributes:
        low_sample (bool):
        median_ci_high (float | None):
        median_ci_low (float | None): Distribution-free 95 % interval.
        median_hours (float | None):
        n (int):
        p90_hours (float | None):
    """

    low_sample: bool
    median_ci_high: float | None
    median_ci_low: float | None
    median_hours: float | None
    n: int
    p90_hours: float | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        low_sample = self.low_sample

        median_ci_high: float | None
        median_ci_high = self.median_ci_high

        median_ci_low: float | None
        median_ci_low = self.median_ci_low

        median_hours: float | None
        median_hours = self.median_hours

        n = self.n

        p90_hours: float | None
        p90_hours = self.p90_hours

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "low_sample": low_sample,
                "median_ci_high": median_ci_high,
                "median_ci_low": median_ci_low,
                "median_hours": median_hours,
                "n": n,
                "p90_hours": p90_hours,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        low_sample = d.pop("low_sample")

        def _parse_median_ci_high(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        median_ci_high = _parse_median_ci_high(d.pop("median_ci_high"))

        def _parse_median_ci_low(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        median_ci_low = _parse_median_ci_low(d.pop("median_ci_low"))

        def _parse_median_hours(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        median_hours = _parse_median_hours(d.pop("median_hours"))

        n = d.pop("n")

        def _parse_p90_hours(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        p90_hours = _parse_p90_hours(d.pop("p90_hours"))

        duration_figure = cls(
            low_sample=low_sample,
            median_ci_high=median_ci_high,
            median_ci_low=median_ci_low,
            median_hours=median_hours,
            n=n,
            p90_hours=p90_hours,
        )

        duration_figure.additional_properties = d
        return duration_figure

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
