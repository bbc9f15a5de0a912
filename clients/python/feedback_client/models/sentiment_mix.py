from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="SentimentMix")


@_attrs_define
class SentimentMix:
    """How many of the group's comments in the window have each sentiment.

    Attributes:
        negative (int):
        neutral (int):
        none (int): Comments without a sentiment.
        positive (int):
    """

    negative: int
    neutral: int
    none: int
    positive: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        negative = self.negative

        neutral = self.neutral

        none = self.none

        positive = self.positive

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "negative": negative,
                "neutral": neutral,
                "none": none,
                "positive": positive,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        negative = d.pop("negative")

        neutral = d.pop("neutral")

        none = d.pop("none")

        positive = d.pop("positive")

        sentiment_mix = cls(
            negative=negative,
            neutral=neutral,
            none=none,
            positive=positive,
        )

        sentiment_mix.additional_properties = d
        return sentiment_mix

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
