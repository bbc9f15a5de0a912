from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.contact_attempt_outcome import ContactAttemptOutcome, check_contact_attempt_outcome
from ..types import UNSET, Unset

T = TypeVar("T", bound="ContactAttempt")


@_attrs_define
class ContactAttempt:
    """
    Attributes:
        channel (str): How: `phone`, `email`, `sms`, `visit`, ...
        outcome (ContactAttemptOutcome): `reached` is the first contact: it moves an open case to `contacted`.
        note (None | str | Unset):
    """

    channel: str
    outcome: ContactAttemptOutcome
    note: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        channel = self.channel

        outcome: str = self.outcome

        note: None | str | Unset
        if isinstance(self.note, Unset):
            note = UNSET
        else:
            note = self.note

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "channel": channel,
                "outcome": outcome,
            }
        )
        if note is not UNSET:
            field_dict["note"] = note

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        channel = d.pop("channel")

        outcome = check_contact_attempt_outcome(d.pop("outcome"))

        def _parse_note(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        note = _parse_note(d.pop("note", UNSET))

        contact_attempt = cls(
            channel=channel,
            outcome=outcome,
            note=note,
        )

        return contact_attempt
