from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.case import Case
    from ..models.matched import Matched
    from ..models.mention import Mention
    from ..models.respondent_event import RespondentEvent


T = TypeVar("T", bound="PersonData")


@_attrs_define
class PersonData:
    """Everything stored about one person: their events (by respondent id, or by the
    e-mail/phone of their contact data), oldest `occurred_at` first, with contact data;
    the follow-up cases those opened with their history; and every other text that
    names them (`mentions`).

        Attributes:
            events (list[RespondentEvent]):
            follow_ups (list[Case]):
            matched (Matched): What was looked for: the request's value, normalised, and the contact data found on
                the person's events (their other e-mails and numbers are theirs too).
            mentions (list[Mention]):
    """

    events: list[RespondentEvent]
    follow_ups: list[Case]
    matched: Matched
    mentions: list[Mention]
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

        matched = self.matched.to_dict()

        mentions = []
        for mentions_item_data in self.mentions:
            mentions_item = mentions_item_data.to_dict()
            mentions.append(mentions_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "events": events,
                "follow_ups": follow_ups,
                "matched": matched,
                "mentions": mentions,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.case import Case  # noqa: PLC0415
        from ..models.matched import Matched  # noqa: PLC0415
        from ..models.mention import Mention  # noqa: PLC0415
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

        matched = Matched.from_dict(d.pop("matched"))

        mentions = []
        _mentions = d.pop("mentions")
        for mentions_item_data in _mentions:
            mentions_item = Mention.from_dict(mentions_item_data)

            mentions.append(mentions_item)

        person_data = cls(
            events=events,
            follow_ups=follow_ups,
            matched=matched,
            mentions=mentions,
        )

        person_data.additional_properties = d
        return person_data

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
