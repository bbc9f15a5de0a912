from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Matched")


@_attrs_define
class Matched:
    """What was looked for: the request's value, normalised, and the contact data found on
    the person's events (their other e-mails and numbers are theirs too).

        Attributes:
            emails (list[str]): Lower case, trimmed.
            phones (list[str]): Digits only, without a leading international 00.
            respondent_id (None | str):
    """

    emails: list[str]
    phones: list[str]
    respondent_id: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        emails = self.emails

        phones = self.phones

        respondent_id: None | str
        respondent_id = self.respondent_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "emails": emails,
                "phones": phones,
                "respondent_id": respondent_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        emails = cast(list[str], d.pop("emails"))

        phones = cast(list[str], d.pop("phones"))

        def _parse_respondent_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        respondent_id = _parse_respondent_id(d.pop("respondent_id"))

        matched = cls(
            emails=emails,
            phones=phones,
            respondent_id=respondent_id,
        )

        matched.additional_properties = d
        return matched

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
