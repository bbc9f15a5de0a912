from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ThemeSentiment")


@_attrs_define
class ThemeSentiment:
    """The sentiment of the comments that mention the theme.

    Attributes:
        n (int): Mentions with a sentiment (the shares' denominator).
        negative (int | None):
        negative_share (float | None): 100 * negative / n
        neutral (int | None):
        neutral_share (float | None):
        none (int | None): Mentions without a sentiment (in no share).
        positive (int | None):
        positive_share (float | None):
    """

    n: int
    negative: int | None
    negative_share: float | None
    neutral: int | None
    neutral_share: float | None
    none: int | None
    positive: int | None
    positive_share: float | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        n = self.n

        negative: int | None
        negative = self.negative

        negative_share: float | None
        negative_share = self.negative_share

        neutral: int | None
        neutral = self.neutral

        neutral_share: float | None
        neutral_share = self.neutral_share

        none: int | None
        none = self.none

        positive: int | None
        positive = self.positive

        positive_share: float | None
        positive_share = self.positive_share

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "n": n,
                "negative": negative,
                "negative_share": negative_share,
                "neutral": neutral,
                "neutral_share": neutral_share,
                "none": none,
                "positive": positive,
                "positive_share": positive_share,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        n = d.pop("n")

        def _parse_negative(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        negative = _parse_negative(d.pop("negative"))

        def _parse_negative_share(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        negative_share = _parse_negative_share(d.pop("negative_share"))

        def _parse_neutral(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        neutral = _parse_neutral(d.pop("neutral"))

        def _parse_neutral_share(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        neutral_share = _parse_neutral_share(d.pop("neutral_share"))

        def _parse_none(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        none = _parse_none(d.pop("none"))

        def _parse_positive(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        positive = _parse_positive(d.pop("positive"))

        def _parse_positive_share(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        positive_share = _parse_positive_share(d.pop("positive_share"))

        theme_sentiment = cls(
            n=n,
            negative=negative,
            negative_share=negative_share,
            neutral=neutral,
            neutral_share=neutral_share,
            none=none,
            positive=positive,
            positive_share=positive_share,
        )

        theme_sentiment.additional_properties = d
        return theme_sentiment

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
