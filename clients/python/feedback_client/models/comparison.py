from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.metric_comparison import MetricComparison


T = TypeVar("T", bound="Comparison")


@_attrs_define
class Comparison:
    """The current window against a previous one, metric by metric.

    Attributes:
        from_ (datetime.datetime): Window start (inclusive), UTC.
        metrics (list[MetricComparison]):
        previous_from (datetime.datetime):
        previous_to (datetime.datetime):
        to (datetime.datetime): Window end (exclusive), UTC.
        tz (str): IANA time zone of dates and buckets.
    """

    from_: datetime.datetime
    metrics: list[MetricComparison]
    previous_from: datetime.datetime
    previous_to: datetime.datetime
    to: datetime.datetime
    tz: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from_ = self.from_.isoformat()

        metrics = []
        for metrics_item_data in self.metrics:
            metrics_item = metrics_item_data.to_dict()
            metrics.append(metrics_item)

        previous_from = self.previous_from.isoformat()

        previous_to = self.previous_to.isoformat()

        to = self.to.isoformat()

        tz = self.tz

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "from": from_,
                "metrics": metrics,
                "previous_from": previous_from,
                "previous_to": previous_to,
                "to": to,
                "tz": tz,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.metric_comparison import MetricComparison  # noqa: PLC0415

        d = dict(src_dict)
        from_ = datetime.datetime.fromisoformat(d.pop("from"))

        metrics = []
        _metrics = d.pop("metrics")
        for metrics_item_data in _metrics:
            metrics_item = MetricComparison.from_dict(metrics_item_data)

            metrics.append(metrics_item)

        previous_from = datetime.datetime.fromisoformat(d.pop("previous_from"))

        previous_to = datetime.datetime.fromisoformat(d.pop("previous_to"))

        to = datetime.datetime.fromisoformat(d.pop("to"))

        tz = d.pop("tz")

        comparison = cls(
            from_=from_,
            metrics=metrics,
            previous_from=previous_from,
            previous_to=previous_to,
            to=to,
            tz=tz,
        )

        comparison.additional_properties = d
        return comparison

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
