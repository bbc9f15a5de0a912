from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Mention")


@_attrs_define
class Mention:
    """A text outside the person's own events and cases that names them.

    Attributes:
        place (str): `table.column`: `feedback_events.comment`, `feedback_events.attributes`, `follow_ups.resolution`,
            `follow_up_changes.note`, `follow_up_changes.resolution`, `webhook_messages.payload` or
            `webhook_attempts.error`.
        ref (str): The row: an event_id, a follow-up case id, or a webhook message's msg_id.
        text (str): The whole text (JSON as text) that names them.
    """

    place: str
    ref: str
    text: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        place = self.place

        ref = self.ref

        text = self.text

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "place": place,
                "ref": ref,
                "text": text,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        place = d.pop("place")

        ref = d.pop("ref")

        text = d.pop("text")

        mention = cls(
            place=place,
            ref=ref,
            text=text,
        )

        mention.additional_properties = d
        return mention

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
