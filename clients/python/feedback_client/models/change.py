from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.change_from_status_type_0 import ChangeFromStatusType0, check_change_from_status_type_0
from ..models.change_kind import ChangeKind, check_change_kind
from ..models.change_to_status_type_0 import ChangeToStatusType0, check_change_to_status_type_0

if TYPE_CHECKING:
    from ..models.contact_attempt import ContactAttempt


T = TypeVar("T", bound="Change")


@_attrs_define
class Change:
    """One entry of a case's history.

    Attributes:
        assignee (None | str):
        at (datetime.datetime):
        contact (ContactAttempt | None):
        from_status (ChangeFromStatusType0 | None):
        key_id (None | str): The API key that made the change (none: ingest).
        kind (ChangeKind):
        resolution (None | str):
        to_status (ChangeToStatusType0 | None):
    """

    assignee: None | str
    at: datetime.datetime
    contact: ContactAttempt | None
    from_status: ChangeFromStatusType0 | None
    key_id: None | str
    kind: ChangeKind
    resolution: None | str
    to_status: ChangeToStatusType0 | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.contact_attempt import ContactAttempt  # noqa: PLC0415

        assignee: None | str
        assignee = self.assignee

        at = self.at.isoformat()

        contact: dict[str, Any] | None
        if isinstance(self.contact, ContactAttempt):
            contact = self.contact.to_dict()
        else:
            contact = self.contact

        from_status: None | str
        if isinstance(self.from_status, str):
            from_status = self.from_status
        else:
            from_status = self.from_status

        key_id: None | str
        key_id = self.key_id

        kind: str = self.kind

        resolution: None | str
        resolution = self.resolution

        to_status: None | str
        if isinstance(self.to_status, str):
            to_status = self.to_status
        else:
            to_status = self.to_status

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "assignee": assignee,
                "at": at,
                "contact": contact,
                "from_status": from_status,
                "key_id": key_id,
                "kind": kind,
                "resolution": resolution,
                "to_status": to_status,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.contact_attempt import ContactAttempt  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_assignee(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        assignee = _parse_assignee(d.pop("assignee"))

        at = datetime.datetime.fromisoformat(d.pop("at"))

        def _parse_contact(data: object) -> ContactAttempt | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                contact_type_0 = ContactAttempt.from_dict(data)

                return contact_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ContactAttempt | None, data)

        contact = _parse_contact(d.pop("contact"))

        def _parse_from_status(data: object) -> ChangeFromStatusType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                from_status_type_0 = check_change_from_status_type_0(data)

                return from_status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ChangeFromStatusType0 | None, data)

        from_status = _parse_from_status(d.pop("from_status"))

        def _parse_key_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        key_id = _parse_key_id(d.pop("key_id"))

        kind = check_change_kind(d.pop("kind"))

        def _parse_resolution(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        resolution = _parse_resolution(d.pop("resolution"))

        def _parse_to_status(data: object) -> ChangeToStatusType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                to_status_type_0 = check_change_to_status_type_0(data)

                return to_status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ChangeToStatusType0 | None, data)

        to_status = _parse_to_status(d.pop("to_status"))

        change = cls(
            assignee=assignee,
            at=at,
            contact=contact,
            from_status=from_status,
            key_id=key_id,
            kind=kind,
            resolution=resolution,
            to_status=to_status,
        )

        change.additional_properties = d
        return change

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
