from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.consistency_row_flag_type_0 import ConsistencyRowFlagType0, check_consistency_row_flag_type_0

T = TypeVar("T", bound="ConsistencyRow")


@_attrs_define
class ConsistencyRow:
    """A group's figure against the pooled value: how far (`difference`), whether the data
    supports it (`flag`) and whether it is large enough to matter (`practical`).

        Attributes:
            ci_high (float | None):
            ci_low (float | None):
            difference (float | None): value - pooled value, in the metric's units: the practical size of the group's
                difference (null without a value).
            flag (ConsistencyRowFlagType0 | None): The group's whole 95 % interval lies below/above the pooled value (groups
                with n ≥ min_n only).
            group (None | str): The group's value; null for events without one.
            low_sample (bool):
            metric (str):
            n (int):
            practical (bool | None): |difference| ≥ `min_change`: large enough to matter (null without a difference or a
                `min_change`). A group to act on has a `flag` and `practical`.
            shrunk (float | None): (n·value + k·pooled) / (n + k), k = min_n: small groups pulled to the pooled value, for
                fair ranking (docs/metrics.md).
            value (float | None):
    """

    ci_high: float | None
    ci_low: float | None
    difference: float | None
    flag: ConsistencyRowFlagType0 | None
    group: None | str
    low_sample: bool
    metric: str
    n: int
    practical: bool | None
    shrunk: float | None
    value: float | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        ci_high: float | None
        ci_high = self.ci_high

        ci_low: float | None
        ci_low = self.ci_low

        difference: float | None
        difference = self.difference

        flag: None | str
        if isinstance(self.flag, str):
            flag = self.flag
        else:
            flag = self.flag

        group: None | str
        group = self.group

        low_sample = self.low_sample

        metric = self.metric

        n = self.n

        practical: bool | None
        practical = self.practical

        shrunk: float | None
        shrunk = self.shrunk

        value: float | None
        value = self.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "ci_high": ci_high,
                "ci_low": ci_low,
                "difference": difference,
                "flag": flag,
                "group": group,
                "low_sample": low_sample,
                "metric": metric,
                "n": n,
                "practical": practical,
                "shrunk": shrunk,
                "value": value,
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

        def _parse_difference(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        difference = _parse_difference(d.pop("difference"))

        def _parse_flag(data: object) -> ConsistencyRowFlagType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                flag_type_0 = check_consistency_row_flag_type_0(data)

                return flag_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ConsistencyRowFlagType0 | None, data)

        flag = _parse_flag(d.pop("flag"))

        def _parse_group(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        group = _parse_group(d.pop("group"))

        low_sample = d.pop("low_sample")

        metric = d.pop("metric")

        n = d.pop("n")

        def _parse_practical(data: object) -> bool | None:
            if data is None:
                return data
            return cast(bool | None, data)

        practical = _parse_practical(d.pop("practical"))

        def _parse_shrunk(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        shrunk = _parse_shrunk(d.pop("shrunk"))

        def _parse_value(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        value = _parse_value(d.pop("value"))

        consistency_row = cls(
            ci_high=ci_high,
            ci_low=ci_low,
            difference=difference,
            flag=flag,
            group=group,
            low_sample=low_sample,
            metric=metric,
            n=n,
            practical=practical,
            shrunk=shrunk,
            value=value,
        )

        consistency_row.additional_properties = d
        return consistency_row

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
