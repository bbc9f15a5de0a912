from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Definition")


@_attrs_define
class Definition:
    """How a figure is computed (docs/metrics.md), echoed so no BI user has to guess.

    Attributes:
        formula (str):
        interval (None | str):
        scale (str):
    """

    formula: str
    interval: None | str
    scale: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        formula = self.formula

        interval: None | str
        interval = self.interval

        scale = self.scale

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "formula": formula,
                "interval": interval,
                "scale": scale,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        formula = d.pop("formula")

        def _parse_interval(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        interval = _parse_interval(d.pop("interval"))

        scale = d.pop("scale")

        definition = cls(
            formula=formula,
            interval=interval,
            scale=scale,
        )

        definition.additional_properties = d
        return definition

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
