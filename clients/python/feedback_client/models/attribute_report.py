from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.attribute_profile import AttributeProfile
    from ..models.attribute_report_filters import AttributeReportFilters


T = TypeVar("T", bound="AttributeReport")


@_attrs_define
class AttributeReport:
    """The attribute keys of the selection's events (`GET /v1/metrics/attributes`).

    Attributes:
        attributes (list[AttributeProfile]): One per key, the most set first (ties by key).
        filters (AttributeReportFilters): The filters applied, defaults included.
        from_ (datetime.datetime): Window start (inclusive), UTC.
        keys (int): Distinct keys the selection's events carry.
        max_keys (int): At most this many keys are listed (the most set first).
        max_values (int): FEEDBACK_MAX_ATTRIBUTE_VALUES, the bound of `distinct`.
        more_keys (bool): keys > max_keys: the least set keys are not listed.
        to (datetime.datetime): Window end (exclusive), UTC.
        tz (str): IANA time zone of dates and buckets.
    """

    attributes: list[AttributeProfile]
    filters: AttributeReportFilters
    from_: datetime.datetime
    keys: int
    max_keys: int
    max_values: int
    more_keys: bool
    to: datetime.datetime
    tz: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        attributes = []
        for attributes_item_data in self.attributes:
            attributes_item = attributes_item_data.to_dict()
            attributes.append(attributes_item)

        filters = self.filters.to_dict()

        from_ = self.from_.isoformat()

        keys = self.keys

        max_keys = self.max_keys

        max_values = self.max_values

        more_keys = self.more_keys

        to = self.to.isoformat()

        tz = self.tz

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "attributes": attributes,
                "filters": filters,
                "from": from_,
                "keys": keys,
                "max_keys": max_keys,
                "max_values": max_values,
                "more_keys": more_keys,
                "to": to,
                "tz": tz,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.attribute_profile import AttributeProfile  # noqa: PLC0415
        from ..models.attribute_report_filters import AttributeReportFilters  # noqa: PLC0415

        d = dict(src_dict)
        attributes = []
        _attributes = d.pop("attributes")
        for attributes_item_data in _attributes:
            attributes_item = AttributeProfile.from_dict(attributes_item_data)

            attributes.append(attributes_item)

        filters = AttributeReportFilters.from_dict(d.pop("filters"))

        from_ = datetime.datetime.fromisoformat(d.pop("from"))

        keys = d.pop("keys")

        max_keys = d.pop("max_keys")

        max_values = d.pop("max_values")

        more_keys = d.pop("more_keys")

        to = datetime.datetime.fromisoformat(d.pop("to"))

        tz = d.pop("tz")

        attribute_report = cls(
            attributes=attributes,
            filters=filters,
            from_=from_,
            keys=keys,
            max_keys=max_keys,
            max_values=max_values,
            more_keys=more_keys,
            to=to,
            tz=tz,
        )

        attribute_report.additional_properties = d
        return attribute_report

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
