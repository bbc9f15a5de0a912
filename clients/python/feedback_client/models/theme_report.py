from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.theme_report_metric import ThemeReportMetric, check_theme_report_metric
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.bins import Bins
    from ..models.theme_report_definitions import ThemeReportDefinitions
    from ..models.theme_row import ThemeRow
    from ..models.theme_trend_row import ThemeTrendRow


T = TypeVar("T", bound="ThemeReport")


@_attrs_define
class ThemeReport:
    """What the comments of the selection are about, theme by theme.

    Attributes:
        definitions (ThemeReportDefinitions): How `share`, `metric` (the score of those who mention a theme and of those
            who do not), `difference` and `change` are computed (docs/metrics.md).
        from_ (datetime.datetime): Window start (inclusive), UTC.
        group_by (None | str):
        interval (None | str):
        metric (ThemeReportMetric):
        min_n (int):
        previous_from (datetime.datetime):
        previous_to (datetime.datetime):
        rows (list[ThemeRow]): Every theme in force for every group with an enriched comment in the window (one group,
            null, without group_by), the most mentioned first.
        to (datetime.datetime): Window end (exclusive), UTC.
        trend (list[ThemeTrendRow] | None): With `interval`: every bucket of the window (empty ones with 0 comments),
            for every group, for every theme, in the order of the themes in force.
        tz (str): IANA time zone of dates and buckets.
        bins (Bins | None | Unset): With `group_by=attribute:<key>` binned: its bins.
    """

    definitions: ThemeReportDefinitions
    from_: datetime.datetime
    group_by: None | str
    interval: None | str
    metric: ThemeReportMetric
    min_n: int
    previous_from: datetime.datetime
    previous_to: datetime.datetime
    rows: list[ThemeRow]
    to: datetime.datetime
    trend: list[ThemeTrendRow] | None
    tz: str
    bins: Bins | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.bins import Bins  # noqa: PLC0415

        definitions = self.definitions.to_dict()

        from_ = self.from_.isoformat()

        group_by: None | str
        group_by = self.group_by

        interval: None | str
        interval = self.interval

        metric: str = self.metric

        min_n = self.min_n

        previous_from = self.previous_from.isoformat()

        previous_to = self.previous_to.isoformat()

        rows = []
        for rows_item_data in self.rows:
            rows_item = rows_item_data.to_dict()
            rows.append(rows_item)

        to = self.to.isoformat()

        trend: list[dict[str, Any]] | None
        if isinstance(self.trend, list):
            trend = []
            for trend_type_0_item_data in self.trend:
                trend_type_0_item = trend_type_0_item_data.to_dict()
                trend.append(trend_type_0_item)

        else:
            trend = self.trend

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
                "definitions": definitions,
                "from": from_,
                "group_by": group_by,
                "interval": interval,
                "metric": metric,
                "min_n": min_n,
                "previous_from": previous_from,
                "previous_to": previous_to,
                "rows": rows,
                "to": to,
                "trend": trend,
                "tz": tz,
            }
        )
        if bins is not UNSET:
            field_dict["bins"] = bins

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.bins import Bins  # noqa: PLC0415
        from ..models.theme_report_definitions import ThemeReportDefinitions  # noqa: PLC0415
        from ..models.theme_row import ThemeRow  # noqa: PLC0415
        from ..models.theme_trend_row import ThemeTrendRow  # noqa: PLC0415

        d = dict(src_dict)
        definitions = ThemeReportDefinitions.from_dict(d.pop("definitions"))

        from_ = datetime.datetime.fromisoformat(d.pop("from"))

        def _parse_group_by(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        group_by = _parse_group_by(d.pop("group_by"))

        def _parse_interval(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        interval = _parse_interval(d.pop("interval"))

        metric = check_theme_report_metric(d.pop("metric"))

        min_n = d.pop("min_n")

        previous_from = datetime.datetime.fromisoformat(d.pop("previous_from"))

        previous_to = datetime.datetime.fromisoformat(d.pop("previous_to"))

        rows = []
        _rows = d.pop("rows")
        for rows_item_data in _rows:
            rows_item = ThemeRow.from_dict(rows_item_data)

            rows.append(rows_item)

        to = datetime.datetime.fromisoformat(d.pop("to"))

        def _parse_trend(data: object) -> list[ThemeTrendRow] | None:
            if data is None:
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                trend_type_0 = []
                _trend_type_0 = data
                for trend_type_0_item_data in _trend_type_0:
                    trend_type_0_item = ThemeTrendRow.from_dict(trend_type_0_item_data)

                    trend_type_0.append(trend_type_0_item)

                return trend_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[ThemeTrendRow] | None, data)

        trend = _parse_trend(d.pop("trend"))

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

        theme_report = cls(
            definitions=definitions,
            from_=from_,
            group_by=group_by,
            interval=interval,
            metric=metric,
            min_n=min_n,
            previous_from=previous_from,
            previous_to=previous_to,
            rows=rows,
            to=to,
            trend=trend,
            tz=tz,
            bins=bins,
        )

        theme_report.additional_properties = d
        return theme_report

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
