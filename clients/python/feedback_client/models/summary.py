from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.summary_filters import SummaryFilters
    from ..models.summary_metrics import SummaryMetrics


T = TypeVar("T", bound="Summary")


@_attrs_define
class Summary:
    """Every selected metric over the filtered set.

    Attributes:
        filters (SummaryFilters): The filters applied, defaults included.
        from_ (datetime.datetime): Window start (inclusive), UTC.
        metrics (SummaryMetrics): By metric name: `volume` {n}, `nps`, `csat` (satisfied share), `csat_mean`, `ces`
            (mean), `ces_easy` (easy share): Figure; `servqual`: ServqualFigure.
        min_n (int):
        to (datetime.datetime): Window end (exclusive), UTC.
        tz (str): IANA time zone of dates and buckets.
    """

    filters: SummaryFilters
    from_: datetime.datetime
    metrics: SummaryMetrics
    min_n: int
    to: datetime.datetime
    tz: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        filters = self.filters.to_dict()

        from_ = self.from_.isoformat()

        metrics = self.metrics.to_dict()

        min_n = self.min_n

        to = self.to.isoformat()

        tz = self.tz

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "filters": filters,
                "from": from_,
                "metrics": metrics,
                "min_n": min_n,
                "to": to,
                "tz": tz,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.summary_filters import SummaryFilters  # noqa: PLC0415
        from ..models.summary_metrics import SummaryMetrics  # noqa: PLC0415

        d = dict(src_dict)
        filters = SummaryFilters.from_dict(d.pop("filters"))

        from_ = datetime.datetime.fromisoformat(d.pop("from"))

        metrics = SummaryMetrics.from_dict(d.pop("metrics"))

        min_n = d.pop("min_n")

        to = datetime.datetime.fromisoformat(d.pop("to"))

        tz = d.pop("tz")

        summary = cls(
            filters=filters,
            from_=from_,
            metrics=metrics,
            min_n=min_n,
            to=to,
            tz=tz,
        )

        summary.additional_properties = d
        return summary

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
