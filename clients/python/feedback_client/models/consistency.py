from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.bins import Bins
    from ..models.consistency_row import ConsistencyRow
    from ..models.pooled_figure import PooledFigure
    from ..models.spread import Spread


T = TypeVar("T", bound="Consistency")


@_attrs_define
class Consistency:
    """How evenly the groups (branches, regions, ...) perform, and which stand out.

    Attributes:
        above (list[None | str]): Groups whose whole 95 % interval lies above the pooled value.
        below (list[None | str]): Groups whose whole 95 % interval lies below the pooled value.
        from_ (datetime.datetime): Window start (inclusive), UTC.
        group_by (str):
        metric (str):
        min_change (float | None): The smallest difference from the pooled value that matters, in the metric's units:
            the request's `min_change`, else the alert rules' minimum change of the metric (`GET /v1/alert-rules`; by
            default NPS 10, CSAT 5, CES 0.25), else null (a metric the alerts do not watch).
        min_n (int):
        pooled (PooledFigure):
        practical_above (list[None | str] | None): The groups of `above` whose difference reaches `min_change` (null
            without a `min_change`).
        practical_below (list[None | str] | None): The groups of `below` whose difference reaches `min_change`:
            significantly and practically below (null without a `min_change`).
        rows (list[ConsistencyRow]):
        spread (Spread):
        to (datetime.datetime): Window end (exclusive), UTC.
        tz (str): IANA time zone of dates and buckets.
        bins (Bins | None | Unset): With `group_by=attribute:<key>` binned: its bins.
    """

    above: list[None | str]
    below: list[None | str]
    from_: datetime.datetime
    group_by: str
    metric: str
    min_change: float | None
    min_n: int
    pooled: PooledFigure
    practical_above: list[None | str] | None
    practical_below: list[None | str] | None
    rows: list[ConsistencyRow]
    spread: Spread
    to: datetime.datetime
    tz: str
    bins: Bins | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.bins import Bins  # noqa: PLC0415

        above = []
        for above_item_data in self.above:
            above_item: None | str
            above_item = above_item_data
            above.append(above_item)

        below = []
        for below_item_data in self.below:
            below_item: None | str
            below_item = below_item_data
            below.append(below_item)

        from_ = self.from_.isoformat()

        group_by = self.group_by

        metric = self.metric

        min_change: float | None
        min_change = self.min_change

        min_n = self.min_n

        pooled = self.pooled.to_dict()

        practical_above: list[None | str] | None
        if isinstance(self.practical_above, list):
            practical_above = []
            for practical_above_type_0_item_data in self.practical_above:
                practical_above_type_0_item: None | str
                practical_above_type_0_item = practical_above_type_0_item_data
                practical_above.append(practical_above_type_0_item)

        else:
            practical_above = self.practical_above

        practical_below: list[None | str] | None
        if isinstance(self.practical_below, list):
            practical_below = []
            for practical_below_type_0_item_data in self.practical_below:
                practical_below_type_0_item: None | str
                practical_below_type_0_item = practical_below_type_0_item_data
                practical_below.append(practical_below_type_0_item)

        else:
            practical_below = self.practical_below

        rows = []
        for rows_item_data in self.rows:
            rows_item = rows_item_data.to_dict()
            rows.append(rows_item)

        spread = self.spread.to_dict()

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
                "above": above,
                "below": below,
                "from": from_,
                "group_by": group_by,
                "metric": metric,
                "min_change": min_change,
                "min_n": min_n,
                "pooled": pooled,
                "practical_above": practical_above,
                "practical_below": practical_below,
                "rows": rows,
                "spread": spread,
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
        from ..models.consistency_row import ConsistencyRow  # noqa: PLC0415
        from ..models.pooled_figure import PooledFigure  # noqa: PLC0415
        from ..models.spread import Spread  # noqa: PLC0415

        d = dict(src_dict)
        above = []
        _above = d.pop("above")
        for above_item_data in _above:

            def _parse_above_item(data: object) -> None | str:
                if data is None:
                    return data
                return cast(None | str, data)

            above_item = _parse_above_item(above_item_data)

            above.append(above_item)

        below = []
        _below = d.pop("below")
        for below_item_data in _below:

            def _parse_below_item(data: object) -> None | str:
                if data is None:
                    return data
                return cast(None | str, data)

            below_item = _parse_below_item(below_item_data)

            below.append(below_item)

        from_ = datetime.datetime.fromisoformat(d.pop("from"))

        group_by = d.pop("group_by")

        metric = d.pop("metric")

        def _parse_min_change(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        min_change = _parse_min_change(d.pop("min_change"))

        min_n = d.pop("min_n")

        pooled = PooledFigure.from_dict(d.pop("pooled"))

        def _parse_practical_above(data: object) -> list[None | str] | None:
            if data is None:
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                practical_above_type_0 = []
                _practical_above_type_0 = data
                for practical_above_type_0_item_data in _practical_above_type_0:

                    def _parse_practical_above_type_0_item(data: object) -> None | str:
                        if data is None:
                            return data
                        return cast(None | str, data)

                    practical_above_type_0_item = _parse_practical_above_type_0_item(practical_above_type_0_item_data)

                    practical_above_type_0.append(practical_above_type_0_item)

                return practical_above_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[None | str] | None, data)

        practical_above = _parse_practical_above(d.pop("practical_above"))

        def _parse_practical_below(data: object) -> list[None | str] | None:
            if data is None:
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                practical_below_type_0 = []
                _practical_below_type_0 = data
                for practical_below_type_0_item_data in _practical_below_type_0:

                    def _parse_practical_below_type_0_item(data: object) -> None | str:
                        if data is None:
                            return data
                        return cast(None | str, data)

                    practical_below_type_0_item = _parse_practical_below_type_0_item(practical_below_type_0_item_data)

                    practical_below_type_0.append(practical_below_type_0_item)

                return practical_below_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[None | str] | None, data)

        practical_below = _parse_practical_below(d.pop("practical_below"))

        rows = []
        _rows = d.pop("rows")
        for rows_item_data in _rows:
            rows_item = ConsistencyRow.from_dict(rows_item_data)

            rows.append(rows_item)

        spread = Spread.from_dict(d.pop("spread"))

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

        consistency = cls(
            above=above,
            below=below,
            from_=from_,
            group_by=group_by,
            metric=metric,
            min_change=min_change,
            min_n=min_n,
            pooled=pooled,
            practical_above=practical_above,
            practical_below=practical_below,
            rows=rows,
            spread=spread,
            to=to,
            tz=tz,
            bins=bins,
        )

        consistency.additional_properties = d
        return consistency

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
