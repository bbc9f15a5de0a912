from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.delivery_out_event_type import DeliveryOutEventType, check_delivery_out_event_type

T = TypeVar("T", bound="DeliveryOut")


@_attrs_define
class DeliveryOut:
    """One delivery attempt.

    Attributes:
        at (datetime.datetime):
        attempt (int): 1 for the first attempt of this message.
        duration_ms (int):
        error (None | str): Why the attempt failed: `HTTP <status>`, a time-out, a connection error (without addresses),
            or `refused: ...` (a URL that is no longer acceptable, or a host without only public addresses; the same words
            whether the name resolved to a private address or not at all).
        event_type (DeliveryOutEventType):
        message_id (str): The `webhook-id` header: the same on every attempt.
        status_code (int | None): The endpoint's HTTP status, if it answered.
    """

    at: datetime.datetime
    attempt: int
    duration_ms: int
    error: None | str
    event_type: DeliveryOutEventType
    message_id: str
    status_code: int | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        at = self.at.isoformat()

        attempt = self.attempt

        duration_ms = self.duration_ms

        error: None | str
        error = self.error

        event_type: str = self.event_type

        message_id = self.message_id

        status_code: int | None
        status_code = self.status_code

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "at": at,
                "attempt": attempt,
                "duration_ms": duration_ms,
                "error": error,
                "event_type": event_type,
                "message_id": message_id,
                "status_code": status_code,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        at = datetime.datetime.fromisoformat(d.pop("at"))

        attempt = d.pop("attempt")

        duration_ms = d.pop("duration_ms")

        def _parse_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error = _parse_error(d.pop("error"))

        event_type = check_delivery_out_event_type(d.pop("event_type"))

        message_id = d.pop("message_id")

        def _parse_status_code(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        status_code = _parse_status_code(d.pop("status_code"))

        delivery_out = cls(
            at=at,
            attempt=attempt,
            duration_ms=duration_ms,
            error=error,
            event_type=event_type,
            message_id=message_id,
            status_code=status_code,
        )

        delivery_out.additional_properties = d
        return delivery_out

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
