from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.respondent_type import RespondentType, check_respondent_type
from ..types import UNSET, Unset

T = TypeVar("T", bound="Respondent")


@_attrs_define
class Respondent:
    """Who answered. Omit it for an anonymous external customer.

    Attributes:
        id (None | str | Unset): Your id for the respondent (CRM id, loyalty card, staff id).
        segment (None | str | Unset): Your segment, e.g. `gold`, `b2b`.
        type_ (RespondentType | Unset):
    """

    id: None | str | Unset = UNSET
    segment: None | str | Unset = UNSET
    type_: RespondentType | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        id: None | str | Unset
        if isinstance(self.id, Unset):
            id = UNSET
        else:
            id = self.id

        segment: None | str | Unset
        if isinstance(self.segment, Unset):
            segment = UNSET
        else:
            segment = self.segment

        type_: str | Unset = UNSET
        if not isinstance(self.type_, Unset):
            type_ = self.type_

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if id is not UNSET:
            field_dict["id"] = id
        if segment is not UNSET:
            field_dict["segment"] = segment
        if type_ is not UNSET:
            field_dict["type"] = type_

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        id = _parse_id(d.pop("id", UNSET))

        def _parse_segment(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        segment = _parse_segment(d.pop("segment", UNSET))

        _type_ = d.pop("type", UNSET)
        type_: RespondentType | Unset
        if isinstance(_type_, Unset):
            type_ = UNSET
        else:
            type_ = check_respondent_type(_type_)

        respondent = cls(
            id=id,
            segment=segment,
            type_=type_,
        )

        return respondent
