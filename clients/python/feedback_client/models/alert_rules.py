from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.alert_rules_dimensions_item import AlertRulesDimensionsItem, check_alert_rules_dimensions_item
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.alert_rules_metrics import AlertRulesMetrics


T = TypeVar("T", bound="AlertRules")


@_attrs_define
class AlertRules:
    """What the alert worker watches, and how sensitively (docs/alerts.md, "Tuning").

    Attributes:
        baseline_days (int | Unset): Local days before the watched ones that say what normal is. Default: 56.
        dimensions (list[AlertRulesDimensionsItem] | Unset): The scopes watched: the whole chain, each region, branch,
            channel, touchpoint, respondent type, employee (only with `employee_min_n` answers in the watched days), and
            branch by channel and branch by touchpoint.
        enabled (bool | Unset): Off: no round runs; open alerts stay. Default: True.
        fdr (float | Unset): False discovery rate across the series checked in one round (Benjamini-Hochberg). Default:
            0.05.
        improvements (bool | Unset): Alert on changes for the better too (`direction` up; down for the late share). Off
            by default: alerts are for service that slips. Default: False.
        metrics (AlertRulesMetrics | Unset): Per metric: on or off, and its minimum change. Metrics left out keep their
            defaults.
        min_baseline_n (int | Unset): Answers the baseline needs. Default: 100.
        min_n (int | Unset): Answers an alert needs since its change began. Default: 30.
        resolve_threshold (float | Unset): Evidence (nats) for 'back to normal' that resolves an open alert. Default:
            3.0.
        shift_factor (float | Unset): The change each chart is tuned to, as a multiple of the minimum change. Default:
            2.0.
        threshold (float | Unset): Evidence (nats, the CUSUM statistic) an alert needs; a series without change crosses
            it on at most exp(-threshold) of its days. Default: 8.0.
        window_days (int | Unset): Local days watched for a change, up to today. Default: 28.
    """

    baseline_days: int | Unset = 56
    dimensions: list[AlertRulesDimensionsItem] | Unset = UNSET
    enabled: bool | Unset = True
    fdr: float | Unset = 0.05
    improvements: bool | Unset = False
    metrics: AlertRulesMetrics | Unset = UNSET
    min_baseline_n: int | Unset = 100
    min_n: int | Unset = 30
    resolve_threshold: float | Unset = 3.0
    shift_factor: float | Unset = 2.0
    threshold: float | Unset = 8.0
    window_days: int | Unset = 28

    def to_dict(self) -> dict[str, Any]:
        baseline_days = self.baseline_days

        dimensions: list[str] | Unset = UNSET
        if not isinstance(self.dimensions, Unset):
            dimensions = []
            for dimensions_item_data in self.dimensions:
                dimensions_item: str = dimensions_item_data
                dimensions.append(dimensions_item)

        enabled = self.enabled

        fdr = self.fdr

        improvements = self.improvements

        metrics: dict[str, Any] | Unset = UNSET
        if not isinstance(self.metrics, Unset):
            metrics = self.metrics.to_dict()

        min_baseline_n = self.min_baseline_n

        min_n = self.min_n

        resolve_threshold = self.resolve_threshold

        shift_factor = self.shift_factor

        threshold = self.threshold

        window_days = self.window_days

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if baseline_days is not UNSET:
            field_dict["baseline_days"] = baseline_days
        if dimensions is not UNSET:
            field_dict["dimensions"] = dimensions
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if fdr is not UNSET:
            field_dict["fdr"] = fdr
        if improvements is not UNSET:
            field_dict["improvements"] = improvements
        if metrics is not UNSET:
            field_dict["metrics"] = metrics
        if min_baseline_n is not UNSET:
            field_dict["min_baseline_n"] = min_baseline_n
        if min_n is not UNSET:
            field_dict["min_n"] = min_n
        if resolve_threshold is not UNSET:
            field_dict["resolve_threshold"] = resolve_threshold
        if shift_factor is not UNSET:
            field_dict["shift_factor"] = shift_factor
        if threshold is not UNSET:
            field_dict["threshold"] = threshold
        if window_days is not UNSET:
            field_dict["window_days"] = window_days

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.alert_rules_metrics import AlertRulesMetrics  # noqa: PLC0415

        d = dict(src_dict)
        baseline_days = d.pop("baseline_days", UNSET)

        _dimensions = d.pop("dimensions", UNSET)
        dimensions: list[AlertRulesDimensionsItem] | Unset = UNSET
        if _dimensions is not UNSET:
            dimensions = []
            for dimensions_item_data in _dimensions:
                dimensions_item = check_alert_rules_dimensions_item(dimensions_item_data)

                dimensions.append(dimensions_item)

        enabled = d.pop("enabled", UNSET)

        fdr = d.pop("fdr", UNSET)

        improvements = d.pop("improvements", UNSET)

        _metrics = d.pop("metrics", UNSET)
        metrics: AlertRulesMetrics | Unset
        if isinstance(_metrics, Unset):
            metrics = UNSET
        else:
            metrics = AlertRulesMetrics.from_dict(_metrics)

        min_baseline_n = d.pop("min_baseline_n", UNSET)

        min_n = d.pop("min_n", UNSET)

        resolve_threshold = d.pop("resolve_threshold", UNSET)

        shift_factor = d.pop("shift_factor", UNSET)

        threshold = d.pop("threshold", UNSET)

        window_days = d.pop("window_days", UNSET)

        alert_rules = cls(
            baseline_days=baseline_days,
            dimensions=dimensions,
            enabled=enabled,
            fdr=fdr,
            improvements=improvements,
            metrics=metrics,
            min_baseline_n=min_baseline_n,
            min_n=min_n,
            resolve_threshold=resolve_threshold,
            shift_factor=shift_factor,
            threshold=threshold,
            window_days=window_days,
        )

        return alert_rules
