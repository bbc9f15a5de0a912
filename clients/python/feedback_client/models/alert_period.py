from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="AlertPeriod")


@_attrs_define
class AlertPeriod:
    """
    Attributes:
        ci_high (float | None):
        ci_low (float | None):
        from_ (datetime.datetime):
        n (int):
        request (str): The metrics request that reproduces this figure.
        to (datetime.datetime):
        value (float | None):
        note (None | str | Unset):
    """

    ci_high: float | None
    ci_low: float | None
    from_: datetime.datetime
    n: int
    request: str
    to: datetime.datetime
    value: float | None
    note: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        ci_high: float | None
        ci_high = self.ci_high

        ci_low: float | None
        ci_low = self.ci_low

        from_ = self.from_.isoformat()

        n = self.n

        request = self.request

        to = self.to.isoformat()

        value: float | None
        value = self.value

        note: None | str | Unset
        if isinstance(self.note, Unset):
            note = UNSET
        else:
            note = self.note

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "ci_high": ci_high,
                "ci_low": ci_low,
                "from": from_,
                "n": n,
                "request": request,
                "to": to,
                "value": value,
            }
        )
        if note is not UNSET:
            field_dict["note"] = note

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

        from_ = datetime.datetime.fromisoformat(d.pop("from"))

        n = d.pop("n")

        request = d.pop("request")

        to = datetime.datetime.fromisoformat(d.pop("to"))

        def _parse_value(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        value = _parse_value(d.pop("value"))

        def _parse_note(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        note = _parse_note(d.pop("note", UNSET))

        alert_period = cls(
            ci_high=ci_high,
            ci_low=ci_low,
            from_=from_,
            n=n,
            request=request,
            to=to,
            value=value,
            note=note,
        )

        alert_period.additional_properties = d
        return alert_period

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
