from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.driver_report_outcome import DriverReportOutcome, check_driver_report_outcome

if TYPE_CHECKING:
    from ..models.bootstrap import Bootstrap
    from ..models.driver_row import DriverRow
    from ..models.dropped import Dropped


T = TypeVar("T", bound="DriverReport")


@_attrs_define
class DriverReport:
    """Which drivers go with the outcome, how strongly, and where the most is to gain.

    Attributes:
        bootstrap (Bootstrap):
        drivers (list[DriverRow]): Most important first.
        dropped (list[Dropped]): Drivers left out, and why.
        from_ (datetime.datetime): Window start (inclusive), UTC.
        min_n (int):
        n (int): Respondents in the model: the outcome and every numeric driver.
        n_outcome (int): Respondents of the selection with the outcome.
        note (str):
        outcome (DriverReportOutcome):
        outcome_value (float): The outcome's metric over the n respondents.
        population (str): Who is in the model: `respondents`, or `respondents with an enriched comment` when a theme is
            a driver.
        r2 (float): Share of the outcome's variance the drivers explain.
        r2_adjusted (float):
        r2_ci_high (float):
        r2_ci_low (float):
        to (datetime.datetime): Window end (exclusive), UTC.
        tz (str): IANA time zone of dates and buckets.
    """

    bootstrap: Bootstrap
    drivers: list[DriverRow]
    dropped: list[Dropped]
    from_: datetime.datetime
    min_n: int
    n: int
    n_outcome: int
    note: str
    outcome: DriverReportOutcome
    outcome_value: float
    population: str
    r2: float
    r2_adjusted: float
    r2_ci_high: float
    r2_ci_low: float
    to: datetime.datetime
    tz: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        bootstrap = self.bootstrap.to_dict()

        drivers = []
        for drivers_item_data in self.drivers:
            drivers_item = drivers_item_data.to_dict()
            drivers.append(drivers_item)

        dropped = []
        for dropped_item_data in self.dropped:
            dropped_item = dropped_item_data.to_dict()
            dropped.append(dropped_item)

        from_ = self.from_.isoformat()

        min_n = self.min_n

        n = self.n

        n_outcome = self.n_outcome

        note = self.note

        outcome: str = self.outcome

        outcome_value = self.outcome_value

        population = self.population

        r2 = self.r2

        r2_adjusted = self.r2_adjusted

        r2_ci_high = self.r2_ci_high

        r2_ci_low = self.r2_ci_low

        to = self.to.isoformat()

        tz = self.tz

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "bootstrap": bootstrap,
                "drivers": drivers,
                "dropped": dropped,
                "from": from_,
                "min_n": min_n,
                "n": n,
                "n_outcome": n_outcome,
                "note": note,
                "outcome": outcome,
                "outcome_value": outcome_value,
                "population": population,
                "r2": r2,
                "r2_adjusted": r2_adjusted,
                "r2_ci_high": r2_ci_high,
                "r2_ci_low": r2_ci_low,
                "to": to,
                "tz": tz,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.bootstrap import Bootstrap  # noqa: PLC0415
        from ..models.driver_row import DriverRow  # noqa: PLC0415
        from ..models.dropped import Dropped  # noqa: PLC0415

        d = dict(src_dict)
        bootstrap = Bootstrap.from_dict(d.pop("bootstrap"))

        drivers = []
        _drivers = d.pop("drivers")
        for drivers_item_data in _drivers:
            drivers_item = DriverRow.from_dict(drivers_item_data)

            drivers.append(drivers_item)

        dropped = []
        _dropped = d.pop("dropped")
        for dropped_item_data in _dropped:
            dropped_item = Dropped.from_dict(dropped_item_data)

            dropped.append(dropped_item)

        from_ = datetime.datetime.fromisoformat(d.pop("from"))

        min_n = d.pop("min_n")

        n = d.pop("n")

        n_outcome = d.pop("n_outcome")

        note = d.pop("note")

        outcome = check_driver_report_outcome(d.pop("outcome"))

        outcome_value = d.pop("outcome_value")

        population = d.pop("population")

        r2 = d.pop("r2")

        r2_adjusted = d.pop("r2_adjusted")

        r2_ci_high = d.pop("r2_ci_high")

        r2_ci_low = d.pop("r2_ci_low")

        to = datetime.datetime.fromisoformat(d.pop("to"))

        tz = d.pop("tz")

        driver_report = cls(
            bootstrap=bootstrap,
            drivers=drivers,
            dropped=dropped,
            from_=from_,
            min_n=min_n,
            n=n,
            n_outcome=n_outcome,
            note=note,
            outcome=outcome,
            outcome_value=outcome_value,
            population=population,
            r2=r2,
            r2_adjusted=r2_adjusted,
            r2_ci_high=r2_ci_high,
            r2_ci_low=r2_ci_low,
            to=to,
            tz=tz,
        )

        driver_report.additional_properties = d
        return driver_report

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
