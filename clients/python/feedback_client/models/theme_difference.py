from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ThemeDifference")


@_attrs_define
class ThemeDifference:
    """Those who mention the theme against those whose enriched comment does not.

    Attributes:
        ci_high (float | None): value + z·se
        ci_low (float | None): value - z·se
        se (float | None): √(se_mentioning² + se_not_mentioning²), unpooled
        significant (bool | None): |z| ≥ 1.96; null when there is no z.
        value (float | None): mentioning - not_mentioning
        z (float | None):
    """

    ci_high: float | None
    ci_low: float | None
    se: float | None
    significant: bool | None
    value: float | None
    z: float | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        ci_high: float | None
        ci_high = self.ci_high

        ci_low: float | None
        ci_low = self.ci_low

        se: float | None
        se = self.se

        significant: bool | None
        significant = self.significant

        value: float | None
        value = self.value

        z: float | None
        z = self.z

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "ci_high": ci_high,
                "ci_low": ci_low,
                "se": se,
                "significant": significant,
                "value": value,
                "z": z,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_ci_high(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        ci_high = _parse_ci_high(d.pop("ci_high"))

        def _parse_ci_low(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        ci_low = _parse_ci_low(d.pop("ci_low"))

        def _parse_se(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        se = _parse_se(d.pop("se"))

        def _parse_significant(data: object) -> bool | None:
            if data is None:
                return data
            return cast(bool | None, data)

        significant = _parse_significant(d.pop("significant"))

        def _parse_value(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        value = _parse_value(d.pop("value"))

        def _parse_z(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        z = _parse_z(d.pop("z"))

        theme_difference = cls(
            ci_high=ci_high,
            ci_low=ci_low,
            se=se,
            significant=significant,
            value=value,
            z=z,
        )

        theme_difference.additional_properties = d
        return theme_difference

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
