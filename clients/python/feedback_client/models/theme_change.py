from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ThemeChange")


@_attrs_define
class ThemeChange:
    """The share now against the previous period.

    Attributes:
        ci_high (float | None):
        ci_low (float | None): Newcombe's hybrid score interval (method 10).
        delta (float | None): share - previous_share, in percent points.
        low_sample (bool): Either period has fewer than min_n comments.
        previous_comments (int):
        previous_mentions (int | None):
        previous_share (float | None):
        significant (bool | None): The interval excludes 0.
    """

    ci_high: float | None
    ci_low: float | None
    delta: float | None
    low_sample: bool
    previous_comments: int
    previous_mentions: int | None
    previous_share: float | None
    significant: bool | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        ci_high: float | None
        ci_high = self.ci_high

        ci_low: float | None
        ci_low = self.ci_low

        delta: float | None
        delta = self.delta

        low_sample = self.low_sample

        previous_comments = self.previous_comments

        previous_mentions: int | None
        previous_mentions = self.previous_mentions

        previous_share: float | None
        previous_share = self.previous_share

        significant: bool | None
        significant = self.significant

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "ci_high": ci_high,
                "ci_low": ci_low,
                "delta": delta,
                "low_sample": low_sample,
                "previous_comments": previous_comments,
                "previous_mentions": previous_mentions,
                "previous_share": previous_share,
                "significant": significant,
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

        def _parse_delta(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        delta = _parse_delta(d.pop("delta"))

        low_sample = d.pop("low_sample")

        previous_comments = d.pop("previous_comments")

        def _parse_previous_mentions(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        previous_mentions = _parse_previous_mentions(d.pop("previous_mentions"))

        def _parse_previous_share(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        previous_share = _parse_previous_share(d.pop("previous_share"))

        def _parse_significant(data: object) -> bool | None:
            if data is None:
                return data
            return cast(bool | None, data)

        significant = _parse_significant(d.pop("significant"))

        theme_change = cls(
            ci_high=ci_high,
            ci_low=ci_low,
            delta=delta,
            low_sample=low_sample,
            previous_comments=previous_comments,
            previous_mentions=previous_mentions,
            previous_share=previous_share,
            significant=significant,
        )

        theme_change.additional_properties = d
        return theme_change

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
