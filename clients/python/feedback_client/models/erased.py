from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Erased")


@_attrs_define
class Erased:
    """What one erasure removed. All zeros: nothing (left) to erase.

    Attributes:
        at (datetime.datetime):
        comments (int): Of the deleted events, those that had a comment.
        contacts (int): Contact records (name, e-mail, phone) deleted.
        erasure_id (int): The row of the audit trail (`erasures`) it wrote.
        events (int): Events deleted (scores, comment, tags, attributes).
        follow_up_changes (int): History entries of those cases deleted.
        follow_ups (int): Follow-up cases deleted.
        ledger_tombstones (int): event_ids kept with nothing else, so a replay is not stored again.
        webhook_messages (int): Webhook messages about those events and cases deleted, sent or not (their bodies carry
            the event or case; their delivery log goes with them).
        redacted (int | Unset): Rows kept whose free text or JSON named the person (their e-mail or phone), now with
            `[erased]` in its place: others' comments and attributes, case resolutions and notes, webhook bodies and
            delivery errors. Not in the audit row. Default: 0.
    """

    at: datetime.datetime
    comments: int
    contacts: int
    erasure_id: int
    events: int
    follow_up_changes: int
    follow_ups: int
    ledger_tombstones: int
    webhook_messages: int
    redacted: int | Unset = 0
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        at = self.at.isoformat()

        comments = self.comments

        contacts = self.contacts

        erasure_id = self.erasure_id

        events = self.events

        follow_up_changes = self.follow_up_changes

        follow_ups = self.follow_ups

        ledger_tombstones = self.ledger_tombstones

        webhook_messages = self.webhook_messages

        redacted = self.redacted

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "at": at,
                "comments": comments,
                "contacts": contacts,
                "erasure_id": erasure_id,
                "events": events,
                "follow_up_changes": follow_up_changes,
                "follow_ups": follow_ups,
                "ledger_tombstones": ledger_tombstones,
                "webhook_messages": webhook_messages,
            }
        )
        if redacted is not UNSET:
            field_dict["redacted"] = redacted

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        at = datetime.datetime.fromisoformat(d.pop("at"))

        comments = d.pop("comments")

        contacts = d.pop("contacts")

        erasure_id = d.pop("erasure_id")

        events = d.pop("events")

        follow_up_changes = d.pop("follow_up_changes")

        follow_ups = d.pop("follow_ups")

        ledger_tombstones = d.pop("ledger_tombstones")

        webhook_messages = d.pop("webhook_messages")

        redacted = d.pop("redacted", UNSET)

        erased = cls(
            at=at,
            comments=comments,
            contacts=contacts,
            erasure_id=erasure_id,
            events=events,
            follow_up_changes=follow_up_changes,
            follow_ups=follow_ups,
            ledger_tombstones=ledger_tombstones,
            webhook_messages=webhook_messages,
            redacted=redacted,
        )

        erased.additional_properties = d
        return erased

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
