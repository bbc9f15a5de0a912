from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="TidyRow")


@_attrs_define
class TidyRow:
    """One metric in one bucket (and group): the long format BI tools pivot themselves.

    Attributes:
        bucket_start (str): Local start of the bucket, RFC 3339 with offset.
        ci_high (float | None):
        ci_low (float | None):
        low_sample (bool):
        metric (str): volume, nps, csat, csat_mean, ces, ces_easy, servqual, servqual_<dimension>
        n (int):
        value (float | None):
        group (None | str | Unset): The group's value (with group_by).
    """

    bucket_start: str
    ci_high: float | None
    ci_low: float | None
    low_sample: bool
    metric: str
    n: int
    value: float | None
    group: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        bucket_start = self.bucket_start

        ci_high: float | None
        ci_high = self.ci_high

        ci_low: float | None
        ci_low = self.ci_low

        low_sample = self.low_sample

        metric = self.metric

        n = self.n

        value: float | None
        value = self.value

        group: None | str | Unset
        if isinstance(self.group, Unset):
            group = UNSET
        else:
            group = self.group

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "bucket_start": bucket_start,
                "ci_high": ci_high,
                "ci_low": ci_low,
                "low_sample": low_sample,
                "metric": metric,
                "n": n,
                "value": value,
            }
        )
        if group is not UNSET:
            field_dict["group"] = group

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        bucket_start = d.pop("bucket_start")

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

        low_sample = d.pop("low_sample")

        metric = d.pop("metric")

        n = d.pop("n")

        def _parse_value(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        value = _parse_value(d.pop("value"))

        def _parse_group(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        group = _parse_group(d.pop("group", UNSET))

        tidy_row = cls(
            bucket_start=bucket_start,
            ci_high=ci_high,
            ci_low=ci_low,
            low_sample=low_sample,
            metric=metric,
            n=n,
            value=value,
            group=group,
        )

        tidy_row.additional_properties = d
        return tidy_row

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
