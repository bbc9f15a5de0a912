from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="MetricRule")


@_attrs_define
class MetricRule:
    """
    Attributes:
        enabled (bool | Unset):  Default: True.
        min_change (float | None | Unset): The smallest change worth an alert, in the metric's units (default: NPS 10
            points, CSAT 5 points, CES 0.25, SERVQUAL perception 0.3, late share 10 points).
    """

    enabled: bool | Unset = True
    min_change: float | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        enabled = self.enabled

        min_change: float | None | Unset
        if isinstance(self.min_change, Unset):
            min_change = UNSET
        else:
            min_change = self.min_change

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if min_change is not UNSET:
            field_dict["min_change"] = min_change

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        enabled = d.pop("enabled", UNSET)

        def _parse_min_change(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        min_change = _parse_min_change(d.pop("min_change", UNSET))

        metric_rule = cls(
            enabled=enabled,
            min_change=min_change,
        )

        return metric_rule
