from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.period_figure import PeriodFigure


T = TypeVar("T", bound="MetricComparison")


@_attrs_define
class MetricComparison:
    """
    Attributes:
        current (PeriodFigure):
        delta (float | None): current - previous
        metric (str):
        previous (PeriodFigure):
        se_delta (float | None): √(se_current² + se_previous²), unpooled
        significant (bool | None): |z| ≥ 1.96; null when there is no z.
        z (float | None):
    """

    current: PeriodFigure
    delta: float | None
    metric: str
    previous: PeriodFigure
    se_delta: float | None
    significant: bool | None
    z: float | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        current = self.current.to_dict()

        delta: float | None
        delta = self.delta

        metric = self.metric

        previous = self.previous.to_dict()

        se_delta: float | None
        se_delta = self.se_delta

        significant: bool | None
        significant = self.significant

        z: float | None
        z = self.z

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "current": current,
                "delta": delta,
                "metric": metric,
                "previous": previous,
                "se_delta": se_delta,
                "significant": significant,
                "z": z,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.period_figure import PeriodFigure  # noqa: PLC0415

        d = dict(src_dict)
        current = PeriodFigure.from_dict(d.pop("current"))

        def _parse_delta(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        delta = _parse_delta(d.pop("delta"))

        metric = d.pop("metric")

        previous = PeriodFigure.from_dict(d.pop("previous"))

        def _parse_se_delta(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        se_delta = _parse_se_delta(d.pop("se_delta"))

        def _parse_significant(data: object) -> bool | None:
            if data is None:
                return data
            return cast(bool | None, data)

        significant = _parse_significant(d.pop("significant"))

        def _parse_z(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        z = _parse_z(d.pop("z"))

        metric_comparison = cls(
            current=current,
            delta=delta,
            metric=metric,
            previous=previous,
            se_delta=se_delta,
            significant=significant,
            z=z,
        )

        metric_comparison.additional_properties = d
        return metric_comparison

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
