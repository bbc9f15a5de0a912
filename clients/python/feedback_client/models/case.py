from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.case_respondent_type import CaseRespondentType, check_case_respondent_type
from ..models.case_status import CaseStatus, check_case_status

if TYPE_CHECKING:
    from ..models.change import Change


T = TypeVar("T", bound="Case")


@_attrs_define
class Case:
    """A follow-up case with its whole history, oldest change first.

    Attributes:
        assignee (None | str):
        ces (int | None):
        channel (str):
        closed_at (datetime.datetime | None): When it was resolved or given up.
        csat (int | None):
        employee_id (None | str): Who served the customer; shown to admin keys only (null for others: one employee's
            single ratings would undo the metrics' `employee_min_n`).
        event_id (str):
        first_contact_at (datetime.datetime | None): When the customer was first reached.
        history (list[Change]):
        id (int):
        location_id (None | str):
        nps (int | None):
        occurred_at (datetime.datetime):
        opened_at (datetime.datetime):
        reasons (list[str]): The rules that opened the case.
        received_at (datetime.datetime): When the feedback arrived.
        resolution (None | str):
        respondent_id (None | str):
        respondent_type (CaseRespondentType):
        segment (None | str):
        status (CaseStatus):
        touchpoint (None | str):
        updated_at (datetime.datetime):
    """

    assignee: None | str
    ces: int | None
    channel: str
    closed_at: datetime.datetime | None
    csat: int | None
    employee_id: None | str
    event_id: str
    first_contact_at: datetime.datetime | None
    history: list[Change]
    id: int
    location_id: None | str
    nps: int | None
    occurred_at: datetime.datetime
    opened_at: datetime.datetime
    reasons: list[str]
    received_at: datetime.datetime
    resolution: None | str
    respondent_id: None | str
    respondent_type: CaseRespondentType
    segment: None | str
    status: CaseStatus
    touchpoint: None | str
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        assignee: None | str
        assignee = self.assignee

        ces: int | None
        ces = self.ces

        channel = self.channel

        closed_at: None | str
        if isinstance(self.closed_at, datetime.datetime):
            closed_at = self.closed_at.isoformat()
        else:
            closed_at = self.closed_at

        csat: int | None
        csat = self.csat

        employee_id: None | str
        employee_id = self.employee_id

        event_id = self.event_id

        first_contact_at: None | str
        if isinstance(self.first_contact_at, datetime.datetime):
            first_contact_at = self.first_contact_at.isoformat()
        else:
            first_contact_at = self.first_contact_at

        history = []
        for history_item_data in self.history:
            history_item = history_item_data.to_dict()
            history.append(history_item)

        id = self.id

        location_id: None | str
        location_id = self.location_id

        nps: int | None
        nps = self.nps

        occurred_at = self.occurred_at.isoformat()

        opened_at = self.opened_at.isoformat()

        reasons = self.reasons

        received_at = self.received_at.isoformat()

        resolution: None | str
        resolution = self.resolution

        respondent_id: None | str
        respondent_id = self.respondent_id

        respondent_type: str = self.respondent_type

        segment: None | str
        segment = self.segment

        status: str = self.status

        touchpoint: None | str
        touchpoint = self.touchpoint

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "assignee": assignee,
                "ces": ces,
                "channel": channel,
                "closed_at": closed_at,
                "csat": csat,
                "employee_id": employee_id,
                "event_id": event_id,
                "first_contact_at": first_contact_at,
                "history": history,
                "id": id,
                "location_id": location_id,
                "nps": nps,
                "occurred_at": occurred_at,
                "opened_at": opened_at,
                "reasons": reasons,
                "received_at": received_at,
                "resolution": resolution,
                "respondent_id": respondent_id,
                "respondent_type": respondent_type,
                "segment": segment,
                "status": status,
                "touchpoint": touchpoint,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.change import Change  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_assignee(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        assignee = _parse_assignee(d.pop("assignee"))

        def _parse_ces(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        ces = _parse_ces(d.pop("ces"))

        channel = d.pop("channel")

        def _parse_closed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                closed_at_type_0 = datetime.datetime.fromisoformat(data)

                return closed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        closed_at = _parse_closed_at(d.pop("closed_at"))

        def _parse_csat(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        csat = _parse_csat(d.pop("csat"))

        def _parse_employee_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        employee_id = _parse_employee_id(d.pop("employee_id"))

        event_id = d.pop("event_id")

        def _parse_first_contact_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                first_contact_at_type_0 = datetime.datetime.fromisoformat(data)

                return first_contact_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        first_contact_at = _parse_first_contact_at(d.pop("first_contact_at"))

        history = []
        _history = d.pop("history")
        for history_item_data in _history:
            history_item = Change.from_dict(history_item_data)

            history.append(history_item)

        id = d.pop("id")

        def _parse_location_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        location_id = _parse_location_id(d.pop("location_id"))

        def _parse_nps(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        nps = _parse_nps(d.pop("nps"))

        occurred_at = datetime.datetime.fromisoformat(d.pop("occurred_at"))

        opened_at = datetime.datetime.fromisoformat(d.pop("opened_at"))

        reasons = cast(list[str], d.pop("reasons"))

        received_at = datetime.datetime.fromisoformat(d.pop("received_at"))

        def _parse_resolution(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        resolution = _parse_resolution(d.pop("resolution"))

        def _parse_respondent_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        respondent_id = _parse_respondent_id(d.pop("respondent_id"))

        respondent_type = check_case_respondent_type(d.pop("respondent_type"))

        def _parse_segment(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        segment = _parse_segment(d.pop("segment"))

        status = check_case_status(d.pop("status"))

        def _parse_touchpoint(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        touchpoint = _parse_touchpoint(d.pop("touchpoint"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        case = cls(
            assignee=assignee,
            ces=ces,
            channel=channel,
            closed_at=closed_at,
            csat=csat,
            employee_id=employee_id,
            event_id=event_id,
            first_contact_at=first_contact_at,
            history=history,
            id=id,
            location_id=location_id,
            nps=nps,
            occurred_at=occurred_at,
            opened_at=opened_at,
            reasons=reasons,
            received_at=received_at,
            resolution=resolution,
            respondent_id=respondent_id,
            respondent_type=respondent_type,
            segment=segment,
            status=status,
            touchpoint=touchpoint,
            updated_at=updated_at,
        )

        case.additional_properties = d
        return case

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
