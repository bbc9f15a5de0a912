from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.alert_period import AlertPeriod
    from ..models.alert_test import AlertTest


T = TypeVar("T", bound="AlertEvidence")


@_attrs_define
class AlertEvidence:
    """
    Attributes:
        as_of (datetime.datetime):
        baseline (AlertPeriod):
        change (float | None): current - baseline, in the metric's units.
        current (AlertPeriod):
        min_change (float):
        rest_of_chain (AlertPeriod | None): The rest of the chain over the current days (null for the chain itself).
        since (datetime.date):
        tests (list[AlertTest]):
        unit (str):
        zone (str):
    """

    as_of: datetime.datetime
    baseline: AlertPeriod
    change: float | None
    current: AlertPeriod
    min_change: float
    rest_of_chain: AlertPeriod | None
    since: datetime.date
    tests: list[AlertTest]
    unit: str
    zone: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.alert_period import AlertPeriod  # noqa: PLC0415

        as_of = self.as_of.isoformat()

        baseline = self.baseline.to_dict()

        change: float | None
        change = self.change

        current = self.current.to_dict()

        min_change = self.min_change

        rest_of_chain: dict[str, Any] | None
        if isinstance(self.rest_of_chain, AlertPeriod):
            rest_of_chain = self.rest_of_chain.to_dict()
        else:
            rest_of_chain = self.rest_of_chain

        since = self.since.isoformat()

        tests = []
        for tests_item_data in self.tests:
            tests_item = tests_item_data.to_dict()
            tests.append(tests_item)

        unit = self.unit

        zone = self.zone

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "as_of": as_of,
                "baseline": baseline,
                "change": change,
                "current": current,
                "min_change": min_change,
                "rest_of_chain": rest_of_chain,
                "since": since,
                "tests": tests,
                "unit": unit,
                "zone": zone,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.alert_period import AlertPeriod  # noqa: PLC0415
        from ..models.alert_test import AlertTest  # noqa: PLC0415

        d = dict(src_dict)
        as_of = datetime.datetime.fromisoformat(d.pop("as_of"))

        baseline = AlertPeriod.from_dict(d.pop("baseline"))

        def _parse_change(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        change = _parse_change(d.pop("change"))

        current = AlertPeriod.from_dict(d.pop("current"))

        min_change = d.pop("min_change")

        def _parse_rest_of_chain(data: object) -> AlertPeriod | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                rest_of_chain_type_0 = AlertPeriod.from_dict(data)

                return rest_of_chain_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AlertPeriod | None, data)

        rest_of_chain = _parse_rest_of_chain(d.pop("rest_of_chain"))

        since = datetime.date.fromisoformat(d.pop("since"))

        tests = []
        _tests = d.pop("tests")
        for tests_item_data in _tests:
            tests_item = AlertTest.from_dict(tests_item_data)

            tests.append(tests_item)

        unit = d.pop("unit")

        zone = d.pop("zone")

        alert_evidence = cls(
            as_of=as_of,
            baseline=baseline,
            change=change,
            current=current,
            min_change=min_change,
            rest_of_chain=rest_of_chain,
            since=since,
            tests=tests,
            unit=unit,
            zone=zone,
        )

        alert_evidence.additional_properties = d
        return alert_evidence

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
