from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.scope import Scope, check_scope

T = TypeVar("T", bound="KeyOut")


@_attrs_define
class KeyOut:
    """
    Attributes:
        allowed_origins (list[str]):
        created_at (datetime.datetime):
        id (UUID):
        location_id (None | str):
        name (str):
        prefix (str): The key's public beginning, to recognise it in listings.
        publishable (bool):
        revoked_at (datetime.datetime | None):
        scope (Scope):
    """

    allowed_origins: list[str]
    created_at: datetime.datetime
    id: UUID
    location_id: None | str
    name: str
    prefix: str
    publishable: bool
    revoked_at: datetime.datetime | None
    scope: Scope
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        allowed_origins = self.allowed_origins

        created_at = self.created_at.isoformat()

        id = str(self.id)

        location_id: None | str
        location_id = self.location_id

        name = self.name

        prefix = self.prefix

        publishable = self.publishable

        revoked_at: None | str
        if isinstance(self.revoked_at, datetime.datetime):
            revoked_at = self.revoked_at.isoformat()
        else:
            revoked_at = self.revoked_at

        scope: str = self.scope

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "allowed_origins": allowed_origins,
                "created_at": created_at,
                "id": id,
                "location_id": location_id,
                "name": name,
                "prefix": prefix,
                "publishable": publishable,
                "revoked_at": revoked_at,
                "scope": scope,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        allowed_origins = cast(list[str], d.pop("allowed_origins"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        id = UUID(d.pop("id"))

        def _parse_location_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        location_id = _parse_location_id(d.pop("location_id"))

        name = d.pop("name")

        prefix = d.pop("prefix")

        publishable = d.pop("publishable")

        def _parse_revoked_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                revoked_at_type_0 = datetime.datetime.fromisoformat(data)

                return revoked_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        revoked_at = _parse_revoked_at(d.pop("revoked_at"))

        scope = check_scope(d.pop("scope"))

        key_out = cls(
            allowed_origins=allowed_origins,
            created_at=created_at,
            id=id,
            location_id=location_id,
            name=name,
            prefix=prefix,
            publishable=publishable,
            revoked_at=revoked_at,
            scope=scope,
        )

        key_out.additional_properties = d
        return key_out

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
