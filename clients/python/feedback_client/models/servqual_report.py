from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.servqual_figure import ServqualFigure


T = TypeVar("T", bound="ServqualReport")


@_attrs_define
class ServqualReport:
    """The five service-quality dimensions: perception, expectation and their gap.

    Attributes:
        from_ (datetime.datetime): Window start (inclusive), UTC.
        servqual (ServqualFigure):
        to (datetime.datetime): Window end (exclusive), UTC.
        tz (str): IANA time zone of dates and buckets.
    """

    from_: datetime.datetime
    servqual: ServqualFigure
    to: datetime.datetime
    tz: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from_ = self.from_.isoformat()

        servqual = self.servqual.to_dict()

        to = self.to.isoformat()

        tz = self.tz

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "from": from_,
                "servqual": servqual,
                "to": to,
                "tz": tz,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.servqual_figure import ServqualFigure  # noqa: PLC0415

        d = dict(src_dict)
        from_ = datetime.datetime.fromisoformat(d.pop("from"))

        servqual = ServqualFigure.from_dict(d.pop("servqual"))

        to = datetime.datetime.fromisoformat(d.pop("to"))

        tz = d.pop("tz")

        servqual_report = cls(
            from_=from_,
            servqual=servqual,
            to=to,
            tz=tz,
        )

        servqual_report.additional_properties = d
        return servqual_report

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
