from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.alert_scope_within import AlertScopeWithin


T = TypeVar("T", bound="AlertScope")


@_attrs_define
class AlertScope:
    """
    Attributes:
        dimension (str): `chain`, `region`, `location_id`, `channel`, `touchpoint`, `respondent_type` or `employee_id`.
        value (None | str): The scope's value (null for the whole chain).
        within (AlertScopeWithin): Further conditions: `{"location_id": ...}` for a branch's channel, touchpoint or
            employee.
    """

    dimension: str
    value: None | str
    within: AlertScopeWithin
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        dimension = self.dimension

        value: None | str
        value = self.value

        within = self.within.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "dimension": dimension,
                "value": value,
                "within": within,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.alert_scope_within import AlertScopeWithin  # noqa: PLC0415

        d = dict(src_dict)
        dimension = d.pop("dimension")

        def _parse_value(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        value = _parse_value(d.pop("value"))

        within = AlertScopeWithin.from_dict(d.pop("within"))

        alert_scope = cls(
            dimension=dimension,
            value=value,
            within=within,
        )

        alert_scope.additional_properties = d
        return alert_scope

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
