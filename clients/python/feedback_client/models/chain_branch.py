from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ChainBranch")


@_attrs_define
class ChainBranch:
    """
    Attributes:
        customer_n (int):
        customer_nps (float | None):
        employee_n (int):
        employee_nps (float | None):
        location_id (None | str):
        used (bool): Both n ≥ min_n: the branch counts in the correlations.
    """

    customer_n: int
    customer_nps: float | None
    employee_n: int
    employee_nps: float | None
    location_id: None | str
    used: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        customer_n = self.customer_n

        customer_nps: float | None
        customer_nps = self.customer_nps

        employee_n = self.employee_n

        employee_nps: float | None
        employee_nps = self.employee_nps

        location_id: None | str
        location_id = self.location_id

        used = self.used

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "customer_n": customer_n,
                "customer_nps": customer_nps,
                "employee_n": employee_n,
                "employee_nps": employee_nps,
                "location_id": location_id,
                "used": used,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        customer_n = d.pop("customer_n")

        def _parse_customer_nps(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        customer_nps = _parse_customer_nps(d.pop("customer_nps"))

        employee_n = d.pop("employee_n")

        def _parse_employee_nps(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        employee_nps = _parse_employee_nps(d.pop("employee_nps"))

        def _parse_location_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        location_id = _parse_location_id(d.pop("location_id"))

        used = d.pop("used")

        chain_branch = cls(
            customer_n=customer_n,
            customer_nps=customer_nps,
            employee_n=employee_n,
            employee_nps=employee_nps,
            location_id=location_id,
            used=used,
        )

        chain_branch.additional_properties = d
        return chain_branch

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
