from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="AlertPatch")


@_attrs_define
class AlertPatch:
    """Acknowledge an alert, note what is being done, or mute it for a time. Fields left out
    keep their values.

        Attributes:
            acknowledged (bool | None | Unset): true: acknowledged (by the key's name); false: taken back.
            acknowledged_by (None | str | Unset): Who acknowledges (default: the API key's name).
            muted_until (datetime.datetime | None | Unset): No webhooks for this alert, nor for its series reopening, until
                then; null unmutes.
            note (None | str | Unset):
    """

    acknowledged: bool | None | Unset = UNSET
    acknowledged_by: None | str | Unset = UNSET
    muted_until: datetime.datetime | None | Unset = UNSET
    note: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        acknowledged: bool | None | Unset
        if isinstance(self.acknowledged, Unset):
            acknowledged = UNSET
        else:
            acknowledged = self.acknowledged

        acknowledged_by: None | str | Unset
        if isinstance(self.acknowledged_by, Unset):
            acknowledged_by = UNSET
        else:
            acknowledged_by = self.acknowledged_by

        muted_until: None | str | Unset
        if isinstance(self.muted_until, Unset):
            muted_until = UNSET
        elif isinstance(self.muted_until, datetime.datetime):
            muted_until = self.muted_until.isoformat()
        else:
            muted_until = self.muted_until

        note: None | str | Unset
        if isinstance(self.note, Unset):
            note = UNSET
        else:
            note = self.note

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if acknowledged is not UNSET:
            field_dict["acknowledged"] = acknowledged
        if acknowledged_by is not UNSET:
            field_dict["acknowledged_by"] = acknowledged_by
        if muted_until is not UNSET:
            field_dict["muted_until"] = muted_until
        if note is not UNSET:
            field_dict["note"] = note

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_acknowledged(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        acknowledged = _parse_acknowledged(d.pop("acknowledged", UNSET))

        def _parse_acknowledged_by(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        acknowledged_by = _parse_acknowledged_by(d.pop("acknowledged_by", UNSET))

        def _parse_muted_until(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                muted_until_type_0 = datetime.datetime.fromisoformat(data)

                return muted_until_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        muted_until = _parse_muted_until(d.pop("muted_until", UNSET))

        def _parse_note(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        note = _parse_note(d.pop("note", UNSET))

        alert_patch = cls(
            acknowledged=acknowledged,
            acknowledged_by=acknowledged_by,
            muted_until=muted_until,
            note=note,
        )

        return alert_patch
