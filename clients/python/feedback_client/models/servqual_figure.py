from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.definition import Definition
    from ..models.servqual_dimension_figure import ServqualDimensionFigure


T = TypeVar("T", bound="ServqualFigure")


@_attrs_define
class ServqualFigure:
    """
    Attributes:
        definition (Definition): How a figure is computed (docs/metrics.md), echoed so no BI user has to guess.
        dimensions (list[ServqualDimensionFigure]):
        dimensions_used (list[str]):
        low_sample (bool):
        n (int): The smallest n among the dimensions used.
        value (float | None): Overall gap: mean of the dimension gaps with data.
    """

    definition: Definition
    dimensions: list[ServqualDimensionFigure]
    dimensions_used: list[str]
    low_sample: bool
    n: int
    value: float | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        definition = self.definition.to_dict()

        dimensions = []
        for dimensions_item_data in self.dimensions:
            dimensions_item = dimensions_item_data.to_dict()
            dimensions.append(dimensions_item)

        dimensions_used = self.dimensions_used

        low_sample = self.low_sample

        n = self.n

        value: float | None
        value = self.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "definition": definition,
                "dimensions": dimensions,
                "dimensions_used": dimensions_used,
                "low_sample": low_sample,
                "n": n,
                "value": value,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.definition import Definition  # noqa: PLC0415
        from ..models.servqual_dimension_figure import ServqualDimensionFigure  # noqa: PLC0415

        d = dict(src_dict)
        definition = Definition.from_dict(d.pop("definition"))

        dimensions = []
        _dimensions = d.pop("dimensions")
        for dimensions_item_data in _dimensions:
            dimensions_item = ServqualDimensionFigure.from_dict(dimensions_item_data)

            dimensions.append(dimensions_item)

        dimensions_used = cast(list[str], d.pop("dimensions_used"))

        low_sample = d.pop("low_sample")

        n = d.pop("n")

        def _parse_value(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        value = _parse_value(d.pop("value"))

        servqual_figure = cls(
            definition=definition,
            dimensions=dimensions,
            dimensions_used=dimensions_used,
            low_sample=low_sample,
            n=n,
            value=value,
        )

        servqual_figure.additional_properties = d
        return servqual_figure

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
