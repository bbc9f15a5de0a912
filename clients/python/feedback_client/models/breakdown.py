from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.bins import Bins
    from ..models.group_row import GroupRow
    from ..models.pooled_figure import PooledFigure


T = TypeVar("T", bound="Breakdown")


@_attrs_define
class Breakdown:
    """One row per group for one metric, sorted.

    Attributes:
        from_ (datetime.datetime): Window start (inclusive), UTC.
        group_by (str):
        metric (str):
        pooled (PooledFigure):
        rows (list[GroupRow]):
        to (datetime.datetime): Window end (exclusive), UTC.
        tz (str): IANA time zone of dates and buckets.
        bins (Bins | None | Unset): With `group_by=attribute:<key>` binned: its bins.
    """

    from_: datetime.datetime
    group_by: str
    metric: str
    pooled: PooledFigure
    rows: list[GroupRow]
    to: datetime.datetime
    tz: str
    bins: Bins | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.bins import Bins  # noqa: PLC0415

        from_ = self.from_.isoformat()

        group_by = self.group_by

        metric = self.metric

        pooled = self.pooled.to_dict()

        rows = []
        for rows_item_data in self.rows:
            rows_item = rows_item_data.to_dict()
            rows.append(rows_item)

        to = self.to.isoformat()

        tz = self.tz

        bins: dict[str, Any] | None | Unset
        if isinstance(self.bins, Unset):
            bins = UNSET
        elif isinstance(self.bins, Bins):
            bins = self.bins.to_dict()
        else:
            bins = self.bins

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "from": from_,
                "group_by": group_by,
                "metric": metric,
                "pooled": pooled,
                "rows": rows,
                "to": to,
                "tz": tz,
            }
        )
        if bins is not UNSET:
            field_dict["bins"] = bins

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.bins import Bins  # noqa: PLC0415
        from ..models.group_row import GroupRow  # noqa: PLC0415
        from ..models.pooled_figure import PooledFigure  # noqa: PLC0415

        d = dict(src_dict)
        from_ = datetime.datetime.fromisoformat(d.pop("from"))

        group_by = d.pop("group_by")

        metric = d.pop("metric")

        pooled = PooledFigure.from_dict(d.pop("pooled"))

        rows = []
        _rows = d.pop("rows")
        for rows_item_data in _rows:
            rows_item = GroupRow.from_dict(rows_item_data)

            rows.append(rows_item)

        to = datetime.datetime.fromisoformat(d.pop("to"))

        tz = d.pop("tz")

        def _parse_bins(data: object) -> Bins | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                bins_type_0 = Bins.from_dict(data)

                return bins_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Bins | None | Unset, data)

        bins = _parse_bins(d.pop("bins", UNSET))

        breakdown = cls(
            from_=from_,
            group_by=group_by,
            metric=metric,
            pooled=pooled,
            rows=rows,
            to=to,
            tz=tz,
            bins=bins,
        )

        breakdown.additional_properties = d
        return breakdown

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
