from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="PersonQuery")


@_attrs_define
class PersonQuery:
    """Exactly one of `respondent_id`, `email`, `phone`. In the body, never in the URL: personal data in a URL ends up in
    access logs. An e-mail matches case-insensitively after trimming; a phone number by its digits (spaces, dashes, dots
    and brackets ignored; a leading `+` and a leading `00` are the same; at least 6 digits).

        Attributes:
            email (None | str | Unset): An e-mail address.
            phone (None | str | Unset): A phone number.
            respondent_id (None | str | Unset): The respondent's id, as sent in `respondent.id`.
    """

    email: None | str | Unset = UNSET
    phone: None | str | Unset = UNSET
    respondent_id: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        email: None | str | Unset
        if isinstance(self.email, Unset):
            email = UNSET
        else:
            email = self.email

        phone: None | str | Unset
        if isinstance(self.phone, Unset):
            phone = UNSET
        else:
            phone = self.phone

        respondent_id: None | str | Unset
        if isinstance(self.respondent_id, Unset):
            respondent_id = UNSET
        else:
            respondent_id = self.respondent_id

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if email is not UNSET:
            field_dict["email"] = email
        if phone is not UNSET:
            field_dict["phone"] = phone
        if respondent_id is not UNSET:
            field_dict["respondent_id"] = respondent_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_email(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        email = _parse_email(d.pop("email", UNSET))

        def _parse_phone(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        phone = _parse_phone(d.pop("phone", UNSET))

        def _parse_respondent_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        respondent_id = _parse_respondent_id(d.pop("respondent_id", UNSET))

        person_query = cls(
            email=email,
            phone=phone,
            respondent_id=respondent_id,
        )

        return person_query
