from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Level")


@_attrs_define
class Level:
    """One level of a categorical driver (or `with`/`without` of a tag or theme).

    Attributes:
        effect (float): The model's difference to the reference level, the other drivers held equal, in the outcome's
            points; with its bootstrap interval.
        effect_ci_high (float):
        effect_ci_low (float):
        level (None | str): The value; null: no value; `(other)`: the rarer.
        n (int):
        outcome (float | None): The outcome's metric among them, exact.
        outcome_ci_high (float | None):
        outcome_ci_low (float | None):
        reference (bool):
        share (float): Percent of the respondents in the model.
    """

    effect: float
    effect_ci_high: float
    effect_ci_low: float
    level: None | str
    n: int
    outcome: float | None
    outcome_ci_high: float | None
    outcome_ci_low: float | None
    reference: bool
    share: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        effect = self.effect

        effect_ci_high = self.effect_ci_high

        effect_ci_low = self.effect_ci_low

        level: None | str
        level = self.level

        n = self.n

        outcome: float | None
        outcome = self.outcome

        outcome_ci_high: float | None
        outcome_ci_high = self.outcome_ci_high

        outcome_ci_low: float | None
        outcome_ci_low = self.outcome_ci_low

        reference = self.reference

        share = self.share

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "effect": effect,
                "effect_ci_high": effect_ci_high,
                "effect_ci_low": effect_ci_low,
                "level": level,
                "n": n,
                "outcome": outcome,
                "outcome_ci_high": outcome_ci_high,
                "outcome_ci_low": outcome_ci_low,
                "reference": reference,
                "share": share,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        effect = d.pop("effect")

        effect_ci_high = d.pop("effect_ci_high")

        effect_ci_low = d.pop("effect_ci_low")

        def _parse_level(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        level = _parse_level(d.pop("level"))

        n = d.pop("n")

        def _parse_outcome(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        outcome = _parse_outcome(d.pop("outcome"))

        def _parse_outcome_ci_high(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        outcome_ci_high = _parse_outcome_ci_high(d.pop("outcome_ci_high"))

        def _parse_outcome_ci_low(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        outcome_ci_low = _parse_outcome_ci_low(d.pop("outcome_ci_low"))

        reference = d.pop("reference")

        share = d.pop("share")

        level = cls(
            effect=effect,
            effect_ci_high=effect_ci_high,
            effect_ci_low=effect_ci_low,
            level=level,
            n=n,
            outcome=outcome,
            outcome_ci_high=outcome_ci_high,
            outcome_ci_low=outcome_ci_low,
            reference=reference,
            share=share,
        )

        level.additional_properties = d
        return level

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
