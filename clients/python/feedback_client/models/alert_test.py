from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.alert_test_question import AlertTestQuestion, check_alert_test_question

T = TypeVar("T", bound="AlertTest")


@_attrs_define
class AlertTest:
    """
    Attributes:
        adjusted_p_value (float | None): Benjamini-Hochberg across every test of the round that opened the alert (kept
            as it was then).
        change (float | None): The change this question measures, since the change began; null when it sees no evidence
            of one (statistic 0).
        fired (bool): Opened the alert (first round), or still signals (later rounds).
        method (str):
        p_value (float): exp(-statistic): valid at every look.
        question (AlertTestQuestion): `own_past`: against the scope's baseline; `rest_of_chain`: its gap to the rest of
            the chain against the gap in the baseline.
        statistic (float): The CUSUM statistic (evidence in nats).
        threshold (float):
    """

    adjusted_p_value: float | None
    change: float | None
    fired: bool
    method: str
    p_value: float
    question: AlertTestQuestion
    statistic: float
    threshold: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        adjusted_p_value: float | None
        adjusted_p_value = self.adjusted_p_value

        change: float | None
        change = self.change

        fired = self.fired

        method = self.method

        p_value = self.p_value

        question: str = self.question

        statistic = self.statistic

        threshold = self.threshold

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "adjusted_p_value": adjusted_p_value,
                "change": change,
                "fired": fired,
                "method": method,
                "p_value": p_value,
                "question": question,
                "statistic": statistic,
                "threshold": threshold,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_adjusted_p_value(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        adjusted_p_value = _parse_adjusted_p_value(d.pop("adjusted_p_value"))

        def _parse_change(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        change = _parse_change(d.pop("change"))

        fired = d.pop("fired")

        method = d.pop("method")

        p_value = d.pop("p_value")

        question = check_alert_test_question(d.pop("question"))

        statistic = d.pop("statistic")

        threshold = d.pop("threshold")

        alert_test = cls(
            adjusted_p_value=adjusted_p_value,
            change=change,
            fired=fired,
            method=method,
            p_value=p_value,
            question=question,
            statistic=statistic,
            threshold=threshold,
        )

        alert_test.additional_properties = d
        return alert_test

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
