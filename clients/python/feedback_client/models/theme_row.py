from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.theme_change import ThemeChange
    from ..models.theme_difference import ThemeDifference
    from ..models.theme_score import ThemeScore
    from ..models.theme_sentiment import ThemeSentiment


T = TypeVar("T", bound="ThemeRow")


@_attrs_define
class ThemeRow:
    """One theme (in one group): how often the enriched comments mention it, how those
    who mention it feel and score, and how that changed.

        Attributes:
            change (ThemeChange): The share now against the previous period.
            ci_high (float | None):
            ci_low (float | None): Wilson score interval, 95 %.
            comments (int): Enriched comments in the selection (and group): the share's denominator.
            difference (ThemeDifference): Those who mention the theme against those whose enriched comment does not.
            label (str):
            low_sample (bool): comments < min_n.
            mentioning (ThemeScore): The report's metric (NPS or CSAT) over some of the respondents who commented.
            mentions (int | None): Of those, the comments that mention the theme.
            not_mentioning (ThemeScore): The report's metric (NPS or CSAT) over some of the respondents who commented.
            sentiment (ThemeSentiment): The sentiment of the comments that mention the theme.
            share (float | None): 100 * mentions / comments; null when none.
            theme (str): The theme's name, as `theme` filters take it.
            group (None | str | Unset): The group's value (with group_by); null for the events without one.
    """

    change: ThemeChange
    ci_high: float | None
    ci_low: float | None
    comments: int
    difference: ThemeDifference
    label: str
    low_sample: bool
    mentioning: ThemeScore
    mentions: int | None
    not_mentioning: ThemeScore
    sentiment: ThemeSentiment
    share: float | None
    theme: str
    group: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        change = self.change.to_dict()

        ci_high: float | None
        ci_high = self.ci_high

        ci_low: float | None
        ci_low = self.ci_low

        comments = self.comments

        difference = self.difference.to_dict()

        label = self.label

        low_sample = self.low_sample

        mentioning = self.mentioning.to_dict()

        mentions: int | None
        mentions = self.mentions

        not_mentioning = self.not_mentioning.to_dict()

        sentiment = self.sentiment.to_dict()

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
                "change": change,
                "ci_high": ci_high,
                "ci_low": ci_low,
                "comments": comments,
                "difference": difference,
                "label": label,
                "low_sample": low_sample,
                "mentioning": mentioning,
                "mentions": mentions,
                "not_mentioning": not_mentioning,
                "sentiment": sentiment,
                "share": share,
                "theme": theme,
            }
        )
        if group is not UNSET:
            field_dict["group"] = group

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.theme_change import ThemeChange  # noqa: PLC0415
        from ..models.theme_difference import ThemeDifference  # noqa: PLC0415
        from ..models.theme_score import ThemeScore  # noqa: PLC0415
        from ..models.theme_sentiment import ThemeSentiment  # noqa: PLC0415

        d = dict(src_dict)
        change = ThemeChange.from_dict(d.pop("change"))

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

        difference = ThemeDifference.from_dict(d.pop("difference"))

        label = d.pop("label")

        low_sample = d.pop("low_sample")

        mentioning = ThemeScore.from_dict(d.pop("mentioning"))

        def _parse_mentions(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        mentions = _parse_mentions(d.pop("mentions"))

        not_mentioning = ThemeScore.from_dict(d.pop("not_mentioning"))

        sentiment = ThemeSentiment.from_dict(d.pop("sentiment"))

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

        theme_row = cls(
            change=change,
            ci_high=ci_high,
            ci_low=ci_low,
            comments=comments,
            difference=difference,
            label=label,
            low_sample=low_sample,
            mentioning=mentioning,
            mentions=mentions,
            not_mentioning=not_mentioning,
            sentiment=sentiment,
            share=share,
            theme=theme,
            group=group,
        )

        theme_row.additional_properties = d
        return theme_row

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
