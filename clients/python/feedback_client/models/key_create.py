from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.scope import Scope, check_scope
from ..types import UNSET, Unset

T = TypeVar("T", bound="KeyCreate")


@_attrs_define
class KeyCreate:
    """A new API key. `allowed_origins` makes it a publishable key for a web widget.

    Attributes:
        name (str): What the key is for; shown in listings.
        scope (Scope):
        allowed_origins (list[str] | Unset): Browser origins allowed to post with this key (CORS). A key with origins is
            *publishable*: it may be embedded in a web page, so it must have scope `ingest`.
        location_id (None | str | Unset): Bind the key to one branch. An `ingest` key's events are stamped with this
            location and posting for another is refused (403). A `read` or `cases` key reads and works this branch only: its
            events, metrics, exports and follow-up cases (naming another branch in `location_id` is a 403, an event or case
            of another branch a 404). An `admin` key cannot be bound (422): it can create any key.
    """

    name: str
    scope: Scope
    allowed_origins: list[str] | Unset = UNSET
    location_id: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        scope: str = self.scope

        allowed_origins: list[str] | Unset = UNSET
        if not isinstance(self.allowed_origins, Unset):
            allowed_origins = self.allowed_origins

        location_id: None | str | Unset
        if isinstance(self.location_id, Unset):
            location_id = UNSET
        else:
            location_id = self.location_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "scope": scope,
            }
        )
        if allowed_origins is not UNSET:
            field_dict["allowed_origins"] = allowed_origins
        if location_id is not UNSET:
            field_dict["location_id"] = location_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        scope = check_scope(d.pop("scope"))

        allowed_origins = cast(list[str], d.pop("allowed_origins", UNSET))

        def _parse_location_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        location_id = _parse_location_id(d.pop("location_id", UNSET))

        key_create = cls(
            name=name,
            scope=scope,
            allowed_origins=allowed_origins,
            location_id=location_id,
        )

        return key_create
