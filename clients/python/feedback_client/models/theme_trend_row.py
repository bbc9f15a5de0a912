from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ThemeTrendRow")


@_attrs_define
class ThemeTrendRow:
    """One theme's share in one bucket (and group).

    Attributes:
        bucket_start (str): Local start of the bucket, RFC 3339 with offset.
        ci_high (float | None):
        ci_low (float | None):
        comments (int):
        low_sample (bool):
        mentions (int | None):
        share (float | None):
        theme (str):
        group (None | str | Unset):
    """

    bucket_start: str
    ci_high: float | None
    ci_low: float | None
    comments: int
    low_sample: bool
    mentions: int | None
    share: float | None
    theme: str
    group: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        bucket_start = self.bucket_start

        ci_high: float | None
        ci_high = self.ci_high

        ci_low: float | None
        ci_low = self.ci_low

        comments = self.comments

        low_sample = self.low_sample

        mentions: int | None
        mentions = self.mentions

        share: float | None
        share = self.share

        theme = self.theme

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
                "comments": comments,
                "low_sample": low_sample,
                "mentions": mentions,
                "share": share,
                "theme": theme,
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

        comments = d.pop("comments")

        low_sample = d.pop("low_sample")

        def _parse_mentions(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        mentions = _parse_mentions(d.pop("mentions"))

        def _parse_share(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        share = _parse_share(d.pop("share"))

        theme = d.pop("theme")

        def _parse_group(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        group = _parse_group(d.pop("group", UNSET))

        theme_trend_row = cls(
            bucket_start=bucket_start,
            ci_high=ci_high,
            ci_low=ci_low,
            comments=comments,
            low_sample=low_sample,
            mentions=mentions,
            share=share,
            theme=theme,
            group=group,
        )

        theme_trend_row.additional_properties = d
        return theme_trend_row

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
