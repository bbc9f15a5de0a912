from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ServqualDimensionFigure")


@_attrs_define
class ServqualDimensionFigure:
    """
    Attributes:
        ci_high (float | None):
        ci_low (float | None):
        dimension (str):
        expectation (float | None):
        gap (float | None): Mean of perception - expectation over events with both.
        low_sample (bool):
        n (int): Events carrying both perception and expectation.
        n_expectation (int):
        n_perception (int):
        perception (float | None):
    """

    ci_high: float | None
    ci_low: float | None
    dimension: str
    expectation: float | None
    gap: float | None
    low_sample: bool
    n: int
    n_expectation: int
    n_perception: int
    perception: float | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        ci_high: float | None
        ci_high = self.ci_high

        ci_low: float | None
        ci_low = self.ci_low

        dimension = self.dimension

        expectation: float | None
        expectation = self.expectation

        gap: float | None
        gap = self.gap

        low_sample = self.low_sample

        n = self.n

        n_expectation = self.n_expectation

        n_perception = self.n_perception

        perception: float | None
        perception = self.perception

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "ci_high": ci_high,
                "ci_low": ci_low,
                "dimension": dimension,
                "expectation": expectation,
                "gap": gap,
                "low_sample": low_sample,
                "n": n,
                "n_expectation": n_expectation,
                "n_perception": n_perception,
                "perception": perception,
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

        dimension = d.pop("dimension")

        def _parse_expectation(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        expectation = _parse_expectation(d.pop("expectation"))

        def _parse_gap(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        gap = _parse_gap(d.pop("gap"))

        low_sample = d.pop("low_sample")

        n = d.pop("n")

        n_expectation = d.pop("n_expectation")

        n_perception = d.pop("n_perception")

        def _parse_perception(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        perception = _parse_perception(d.pop("perception"))

        servqual_dimension_figure = cls(
            ci_high=ci_high,
            ci_low=ci_low,
            dimension=dimension,
            expectation=expectation,
            gap=gap,
            low_sample=low_sample,
            n=n,
            n_expectation=n_expectation,
            n_perception=n_perception,
            perception=perception,
        )

        servqual_dimension_figure.additional_properties = d
        return servqual_dimension_figure

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
