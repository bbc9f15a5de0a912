from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.bins import Bins
    from ..models.tidy_row import TidyRow


T = TypeVar("T", bound="Timeseries")


@_attrs_define
class Timeseries:
    """
    Attributes:
        from_ (datetime.datetime): Window start (inclusive), UTC.
        group_by (None | str):
        interval (str):
        rows (list[TidyRow]): Every bucket in the window (empty ones with n = 0 and null values), for every group with
            an event in the window, for every selected metric.
        to (datetime.datetime): Window end (exclusive), UTC.
        tz (str): IANA time zone of dates and buckets.
        bins (Bins | None | Unset): With `group_by=attribute:<key>` binned: its bins.
    """

    from_: datetime.datetime
    group_by: None | str
    interval: str
    rows: list[TidyRow]
    to: datetime.datetime
    tz: str
    bins: Bins | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.bins import Bins  # noqa: PLC0415

        from_ = self.from_.isoformat()

        group_by: None | str
        group_by = self.group_by

        interval = self.interval

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
                "interval": interval,
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
        from ..models.tidy_row import TidyRow  # noqa: PLC0415

        d = dict(src_dict)
        from_ = datetime.datetime.fromisoformat(d.pop("from"))

        def _parse_group_by(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        group_by = _parse_group_by(d.pop("group_by"))

        interval = d.pop("interval")

        rows = []
        _rows = d.pop("rows")
        for rows_item_data in _rows:
            rows_item = TidyRow.from_dict(rows_item_data)

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

        timeseries = cls(
            from_=from_,
            group_by=group_by,
            interval=interval,
            rows=rows,
            to=to,
            tz=tz,
            bins=bins,
        )

        timeseries.additional_properties = d
        return timeseries

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
