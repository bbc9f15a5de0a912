from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="QueueSummary")


@_attrs_define
class QueueSummary:
    """Every case the list's filters select, counted (however many pages the list has).

    Attributes:
        as_of (datetime.datetime): The instant the cases were counted at.
        cases (int): Cases the filters select.
        contacted (int):
        open_ (int):
        overdue (int): Open cases (nobody reached yet) whose first contact was due before `as_of`: their feedback
            arrived more than `sla_hours` ago.
        resolved (int):
        sla_hours (float): Hours from the feedback's arrival to the first contact (`FEEDBACK_FOLLOW_UP_SLA`).
        unreachable (int):
    """

    as_of: datetime.datetime
    cases: int
    contacted: int
    open_: int
    overdue: int
    resolved: int
    sla_hours: float
    unreachable: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        as_of = self.as_of.isoformat()

        cases = self.cases

        contacted = self.contacted

        open_ = self.open_

        overdue = self.overdue

        resolved = self.resolved

        sla_hours = self.sla_hours

        unreachable = self.unreachable

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "as_of": as_of,
                "cases": cases,
                "contacted": contacted,
                "open": open_,
                "overdue": overdue,
                "resolved": resolved,
                "sla_hours": sla_hours,
                "unreachable": unreachable,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        as_of = datetime.datetime.fromisoformat(d.pop("as_of"))

        cases = d.pop("cases")

        contacted = d.pop("contacted")

        open_ = d.pop("open")

        overdue = d.pop("overdue")

        resolved = d.pop("resolved")

        sla_hours = d.pop("sla_hours")

        unreachable = d.pop("unreachable")

        queue_summary = cls(
            as_of=as_of,
            cases=cases,
            contacted=contacted,
            open_=open_,
            overdue=overdue,
            resolved=resolved,
            sla_hours=sla_hours,
            unreachable=unreachable,
        )

        queue_summary.additional_properties = d
        return queue_summary

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
