from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.loop_metrics_group_by_type_0 import LoopMetricsGroupByType0, check_loop_metrics_group_by_type_0

if TYPE_CHECKING:
    from ..models.loop_figures import LoopFigures
    from ..models.loop_group import LoopGroup


T = TypeVar("T", bound="LoopMetrics")


@_attrs_define
class LoopMetrics:
    """Closing the loop (docs/metrics.md): cases whose feedback lies in the window.

    Attributes:
        from_ (datetime.datetime): Window start (inclusive), UTC.
        group_by (LoopMetricsGroupByType0 | None):
        groups (list[LoopGroup]):
        overall (LoopFigures):
        sla_hours (float):
        to (datetime.datetime): Window end (exclusive), UTC.
        tz (str): IANA time zone of dates and buckets.
    """

    from_: datetime.datetime
    group_by: LoopMetricsGroupByType0 | None
    groups: list[LoopGroup]
    overall: LoopFigures
    sla_hours: float
    to: datetime.datetime
    tz: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from_ = self.from_.isoformat()

        group_by: None | str
        if isinstance(self.group_by, str):
            group_by = self.group_by
        else:
            group_by = self.group_by

        groups = []
        for groups_item_data in self.groups:
            groups_item = groups_item_data.to_dict()
            groups.append(groups_item)

        overall = self.overall.to_dict()

        sla_hours = self.sla_hours

        to = self.to.isoformat()

        tz = self.tz

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "from": from_,
                "group_by": group_by,
                "groups": groups,
                "overall": overall,
                "sla_hours": sla_hours,
                "to": to,
                "tz": tz,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.loop_figures import LoopFigures  # noqa: PLC0415
        from ..models.loop_group import LoopGroup  # noqa: PLC0415

        d = dict(src_dict)
        from_ = datetime.datetime.fromisoformat(d.pop("from"))

        def _parse_group_by(data: object) -> LoopMetricsGroupByType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                group_by_type_0 = check_loop_metrics_group_by_type_0(data)

                return group_by_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LoopMetricsGroupByType0 | None, data)

        group_by = _parse_group_by(d.pop("group_by"))

        groups = []
        _groups = d.pop("groups")
        for groups_item_data in _groups:
            groups_item = LoopGroup.from_dict(groups_item_data)

            groups.append(groups_item)

        overall = LoopFigures.from_dict(d.pop("overall"))

        sla_hours = d.pop("sla_hours")

        to = datetime.datetime.fromisoformat(d.pop("to"))

        tz = d.pop("tz")

        loop_metrics = cls(
            from_=from_,
            group_by=group_by,
            groups=groups,
            overall=overall,
            sla_hours=sla_hours,
            to=to,
            tz=tz,
        )

        loop_metrics.additional_properties = d
        return loop_metrics

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
