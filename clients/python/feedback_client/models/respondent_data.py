from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.case import Case
    from ..models.respondent_event import RespondentEvent


T = TypeVar("T", bound="RespondentData")


@_attrs_define
class RespondentData:
    """Everything stored about one respondent: their events (oldest `occurred_at` first),
    with contact data, and the follow-up cases they opened with each case's history.

        Attributes:
            events (list[RespondentEvent]):
            follow_ups (list[Case]):
            respondent_id (str):
    """

    events: list[RespondentEvent]
    follow_ups: list[Case]
    respondent_id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        events = []
        for events_item_data in self.events:
            events_item = events_item_data.to_dict()
            events.append(events_item)

        follow_ups = []
        for follow_ups_item_data in self.follow_ups:
            follow_ups_item = follow_ups_item_data.to_dict()
            follow_ups.append(follow_ups_item)

        respondent_id = self.respondent_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "events": events,
                "follow_ups": follow_ups,
                "respondent_id": respondent_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.case import Case  # noqa: PLC0415
        from ..models.respondent_event import RespondentEvent  # noqa: PLC0415

        d = dict(src_dict)
        events = []
        _events = d.pop("events")
        for events_item_data in _events:
            events_item = RespondentEvent.from_dict(events_item_data)

            events.append(events_item)

        follow_ups = []
        _follow_ups = d.pop("follow_ups")
        for follow_ups_item_data in _follow_ups:
            follow_ups_item = Case.from_dict(follow_ups_item_data)

            follow_ups.append(follow_ups_item)

        respondent_id = d.pop("respondent_id")

        respondent_data = cls(
            events=events,
            follow_ups=follow_ups,
            respondent_id=respondent_id,
        )

        respondent_data.additional_properties = d
        return respondent_data

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
