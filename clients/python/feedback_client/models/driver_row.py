from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.driver_row_kind import DriverRowKind, check_driver_row_kind
from ..models.driver_row_quadrant_type_0 import DriverRowQuadrantType0, check_driver_row_quadrant_type_0
from ..models.driver_row_weak_side_type_0 import DriverRowWeakSideType0, check_driver_row_weak_side_type_0

if TYPE_CHECKING:
    from ..models.interval import Interval
    from ..models.level import Level


T = TypeVar("T", bound="DriverRow")


@_attrs_define
class DriverRow:
    """
    Attributes:
        collinear (bool): vif ≥ 5: the other drivers carry most of what this one does; its importance is shared with
            them and uncertain.
        contribution (float): The Shapley value itself, in R² (0-1).
        driver (str):
        effect (Interval | None): Numeric: the outcome's change per unit of the driver; binary: with against without;
            the other drivers held equal. Null for a categorical driver (see `levels`).
        importance (float | None): Percent of the model's R² this driver explains: its Shapley value (LMG), fair to
            correlated drivers. Null when the model explains nothing.
        importance_ci_high (float | None):
        importance_ci_low (float | None):
        kind (DriverRowKind):
        levels (list[Level] | None):
        mean (float | None): Numeric: the mean answer; binary: percent of respondents with it.
        mean_ci_high (float | None):
        mean_ci_low (float | None):
        median (float | None): Numeric: the median answer.
        n (int): Respondents with the outcome who answered this driver.
        opportunity (float): The outcome's expected change (its points) if every respondent on the weak side of the
            median (numeric) or in a weak level (categorical) were at the median, with its bootstrap interval.
        opportunity_ci_high (float):
        opportunity_ci_low (float):
        quadrant (DriverRowQuadrantType0 | None): Importance against score: fix_first (important, weak), keep_up
            (important, strong), watch (less important, weak), less_urgent (less important, strong). Splits: the mean
            importance (100/drivers) and the median score.
        score (float | None): Performance, 0-100: where the average respondent stands between the driver's worst level
            (0) and its best (100), by the model's effects (numeric: between its 2.5th and 97.5th percentile). Comparable
            across drivers.
        top_box (float | None): SERVQUAL perception: percent answering 6-7; gap: percent with perception ≥ expectation.
        vif (float | None): Generalised variance inflation factor, GVIF^(1/df); null: exactly collinear.
        weak_levels (list[None | str] | None): Categorical or binary: the levels whose effect is below the median
            respondent's.
        weak_side (DriverRowWeakSideType0 | None): Numeric: which side of the median goes with a worse outcome.
    """

    collinear: bool
    contribution: float
    driver: str
    effect: Interval | None
    importance: float | None
    importance_ci_high: float | None
    importance_ci_low: float | None
    kind: DriverRowKind
    levels: list[Level] | None
    mean: float | None
    mean_ci_high: float | None
    mean_ci_low: float | None
    median: float | None
    n: int
    opportunity: float
    opportunity_ci_high: float
    opportunity_ci_low: float
    quadrant: DriverRowQuadrantType0 | None
    score: float | None
    top_box: float | None
    vif: float | None
    weak_levels: list[None | str] | None
    weak_side: DriverRowWeakSideType0 | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.interval import Interval  # noqa: PLC0415

        collinear = self.collinear

        contribution = self.contribution

        driver = self.driver

        effect: dict[str, Any] | None
        if isinstance(self.effect, Interval):
            effect = self.effect.to_dict()
        else:
            effect = self.effect

        importance: float | None
        importance = self.importance

        importance_ci_high: float | None
        importance_ci_high = self.importance_ci_high

        importance_ci_low: float | None
        importance_ci_low = self.importance_ci_low

        kind: str = self.kind

        levels: list[dict[str, Any]] | None
        if isinstance(self.levels, list):
            levels = []
            for levels_type_0_item_data in self.levels:
                levels_type_0_item = levels_type_0_item_data.to_dict()
                levels.append(levels_type_0_item)

        else:
            levels = self.levels

        mean: float | None
        mean = self.mean

        mean_ci_high: float | None
        mean_ci_high = self.mean_ci_high

        mean_ci_low: float | None
        mean_ci_low = self.mean_ci_low

        median: float | None
        median = self.median

        n = self.n

        opportunity = self.opportunity

        opportunity_ci_high = self.opportunity_ci_high

        opportunity_ci_low = self.opportunity_ci_low

        quadrant: None | str
        if isinstance(self.quadrant, str):
            quadrant = self.quadrant
        else:
            quadrant = self.quadrant

        score: float | None
        score = self.score

        top_box: float | None
        top_box = self.top_box

        vif: float | None
        vif = self.vif

        weak_levels: list[None | str] | None
        if isinstance(self.weak_levels, list):
            weak_levels = []
            for weak_levels_type_0_item_data in self.weak_levels:
                weak_levels_type_0_item: None | str
                weak_levels_type_0_item = weak_levels_type_0_item_data
                weak_levels.append(weak_levels_type_0_item)

        else:
            weak_levels = self.weak_levels

        weak_side: None | str
        if isinstance(self.weak_side, str):
            weak_side = self.weak_side
        else:
            weak_side = self.weak_side

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "collinear": collinear,
                "contribution": contribution,
                "driver": driver,
                "effect": effect,
                "importance": importance,
                "importance_ci_high": importance_ci_high,
                "importance_ci_low": importance_ci_low,
                "kind": kind,
                "levels": levels,
                "mean": mean,
                "mean_ci_high": mean_ci_high,
                "mean_ci_low": mean_ci_low,
                "median": median,
                "n": n,
                "opportunity": opportunity,
                "opportunity_ci_high": opportunity_ci_high,
                "opportunity_ci_low": opportunity_ci_low,
                "quadrant": quadrant,
                "score": score,
                "top_box": top_box,
                "vif": vif,
                "weak_levels": weak_levels,
                "weak_side": weak_side,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.interval import Interval  # noqa: PLC0415
        from ..models.level import Level  # noqa: PLC0415

        d = dict(src_dict)
        collinear = d.pop("collinear")

        contribution = d.pop("contribution")

        driver = d.pop("driver")

        def _parse_effect(data: object) -> Interval | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                effect_type_0 = Interval.from_dict(data)

                return effect_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Interval | None, data)

        effect = _parse_effect(d.pop("effect"))

        def _parse_importance(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        importance = _parse_importance(d.pop("importance"))

        def _parse_importance_ci_high(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        importance_ci_high = _parse_importance_ci_high(d.pop("importance_ci_high"))

        def _parse_importance_ci_low(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        importance_ci_low = _parse_importance_ci_low(d.pop("importance_ci_low"))

        kind = check_driver_row_kind(d.pop("kind"))

        def _parse_levels(data: object) -> list[Level] | None:
            if data is None:
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                levels_type_0 = []
                _levels_type_0 = data
                for levels_type_0_item_data in _levels_type_0:
                    levels_type_0_item = Level.from_dict(levels_type_0_item_data)

                    levels_type_0.append(levels_type_0_item)

                return levels_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[Level] | None, data)

        levels = _parse_levels(d.pop("levels"))

        def _parse_mean(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        mean = _parse_mean(d.pop("mean"))

        def _parse_mean_ci_high(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        mean_ci_high = _parse_mean_ci_high(d.pop("mean_ci_high"))

        def _parse_mean_ci_low(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        mean_ci_low = _parse_mean_ci_low(d.pop("mean_ci_low"))

        def _parse_median(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        median = _parse_median(d.pop("median"))

        n = d.pop("n")

        opportunity = d.pop("opportunity")

        opportunity_ci_high = d.pop("opportunity_ci_high")

        opportunity_ci_low = d.pop("opportunity_ci_low")

        def _parse_quadrant(data: object) -> DriverRowQuadrantType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                quadrant_type_0 = check_driver_row_quadrant_type_0(data)

                return quadrant_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DriverRowQuadrantType0 | None, data)

        quadrant = _parse_quadrant(d.pop("quadrant"))

        def _parse_score(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        score = _parse_score(d.pop("score"))

        def _parse_top_box(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        top_box = _parse_top_box(d.pop("top_box"))

        def _parse_vif(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        vif = _parse_vif(d.pop("vif"))

        def _parse_weak_levels(data: object) -> list[None | str] | None:
            if data is None:
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                weak_levels_type_0 = []
                _weak_levels_type_0 = data
                for weak_levels_type_0_item_data in _weak_levels_type_0:

                    def _parse_weak_levels_type_0_item(data: object) -> None | str:
                        if data is None:
                            return data
                        return cast(None | str, data)

                    weak_levels_type_0_item = _parse_weak_levels_type_0_item(weak_levels_type_0_item_data)

                    weak_levels_type_0.append(weak_levels_type_0_item)

                return weak_levels_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[None | str] | None, data)

        weak_levels = _parse_weak_levels(d.pop("weak_levels"))

        def _parse_weak_side(data: object) -> DriverRowWeakSideType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                weak_side_type_0 = check_driver_row_weak_side_type_0(data)

                return weak_side_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DriverRowWeakSideType0 | None, data)

        weak_side = _parse_weak_side(d.pop("weak_side"))

        driver_row = cls(
            collinear=collinear,
            contribution=contribution,
            driver=driver,
            effect=effect,
            importance=importance,
            importance_ci_high=importance_ci_high,
            importance_ci_low=importance_ci_low,
            kind=kind,
            levels=levels,
            mean=mean,
            mean_ci_high=mean_ci_high,
            mean_ci_low=mean_ci_low,
            median=median,
            n=n,
            opportunity=opportunity,
            opportunity_ci_high=opportunity_ci_high,
            opportunity_ci_low=opportunity_ci_low,
            quadrant=quadrant,
            score=score,
            top_box=top_box,
            vif=vif,
            weak_levels=weak_levels,
            weak_side=weak_side,
        )

        driver_row.additional_properties = d
        return driver_row

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
