from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.webhook_in_event_types_item import WebhookInEventTypesItem, check_webhook_in_event_types_item
from ..types import UNSET, Unset

T = TypeVar("T", bound="WebhookIn")


@_attrs_define
class WebhookIn:
    """Subscribe an endpoint to event types.

    Attributes:
        event_types (list[WebhookInEventTypesItem]): `feedback.created`, `follow_up.opened`, `follow_up.updated`
            (assigned, contact attempt, contacted, unreachable), `follow_up.resolved`, `alert.opened` and `alert.resolved`
            (the alert as `GET /v1/alerts/{id}` shows it; none for a muted one).
        url (str): http:// or https:// URL, without credentials, spaces, control or invisible characters; port 1-65535.
            The host is a name DNS can carry (IDNA: labels of 1-63 octets, 253 in all; not `localhost`, not ending in a
            number) or a public address in any spelling (`127.1`, `2130706433`, `[::ffff:10.0.0.1]` and `[64:ff9b::7f00:1]`
            are private). A name must resolve to public addresses only at each attempt. Private targets are allowed with
            `FEEDBACK_WEBHOOKS_ALLOW_PRIVATE`.
        description (None | str | Unset):
    """

    event_types: list[WebhookInEventTypesItem]
    url: str
    description: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        event_types = []
        for event_types_item_data in self.event_types:
            event_types_item: str = event_types_item_data
            event_types.append(event_types_item)

        url = self.url

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "event_types": event_types,
                "url": url,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        event_types = []
        _event_types = d.pop("event_types")
        for event_types_item_data in _event_types:
            event_types_item = check_webhook_in_event_types_item(event_types_item_data)

            event_types.append(event_types_item)

        url = d.pop("url")

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        webhook_in = cls(
            event_types=event_types,
            url=url,
            description=description,
        )

        return webhook_in
