from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.comment_text import CommentText
    from ..models.feedback_item_attributes import FeedbackItemAttributes
    from ..models.respondent import Respondent
    from ..models.servqual import Servqual


T = TypeVar("T", bound="FeedbackItem")


@_attrs_define
class FeedbackItem:
    """A stored event as lists and exports show it: with what its comment says.

    Attributes:
        acquisition_source (None | str):
        attributes (FeedbackItemAttributes):
        ces (int | None):
        channel (str):
        comment (None | str):
        csat (int | None):
        employee_id (None | str):
        event_id (str):
        follow_up_requested (bool):
        has_contact (bool): Contact data was given (readable only via data rights).
        language (None | str):
        location_id (None | str):
        nps (int | None):
        occurred_at (datetime.datetime): After clock correction, in UTC.
        received_at (datetime.datetime): When the service received it.
        respondent (Respondent): Who answered. Omit it for an anonymous external customer.
        sent_at (datetime.datetime | None):
        servqual (None | Servqual):
        source (None | UUID): The API key that posted it.
        tags (list[str]):
        text (CommentText | None): What the text enrichment derived from the comment; null without a comment, and until
            the comment is enriched (seconds after it is stored).
        touchpoint (None | str):
    """

    acquisition_source: None | str
    attributes: FeedbackItemAttributes
    ces: int | None
    channel: str
    comment: None | str
    csat: int | None
    employee_id: None | str
    event_id: str
    follow_up_requested: bool
    has_contact: bool
    language: None | str
    location_id: None | str
    nps: int | None
    occurred_at: datetime.datetime
    received_at: datetime.datetime
    respondent: Respondent
    sent_at: datetime.datetime | None
    servqual: None | Servqual
    source: None | UUID
    tags: list[str]
    text: CommentText | None
    touchpoint: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.comment_text import CommentText  # noqa: PLC0415
        from ..models.servqual import Servqual  # noqa: PLC0415

        acquisition_source: None | str
        acquisition_source = self.acquisition_source

        attributes = self.attributes.to_dict()

        ces: int | None
        ces = self.ces

        channel = self.channel

        comment: None | str
        comment = self.comment

        csat: int | None
        csat = self.csat

        employee_id: None | str
        employee_id = self.employee_id

        event_id = self.event_id

        follow_up_requested = self.follow_up_requested

        has_contact = self.has_contact

        language: None | str
        language = self.language

        location_id: None | str
        location_id = self.location_id

        nps: int | None
        nps = self.nps

        occurred_at = self.occurred_at.isoformat()

        received_at = self.received_at.isoformat()

        respondent = self.respondent.to_dict()

        sent_at: None | str
        if isinstance(self.sent_at, datetime.datetime):
            sent_at = self.sent_at.isoformat()
        else:
            sent_at = self.sent_at

        servqual: dict[str, Any] | None
        if isinstance(self.servqual, Servqual):
            servqual = self.servqual.to_dict()
        else:
            servqual = self.servqual

        source: None | str
        if isinstance(self.source, UUID):
            source = str(self.source)
        else:
            source = self.source

        tags = self.tags

        text: dict[str, Any] | None
        if isinstance(self.text, CommentText):
            text = self.text.to_dict()
        else:
            text = self.text

        touchpoint: None | str
        touchpoint = self.touchpoint

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "acquisition_source": acquisition_source,
                "attributes": attributes,
                "ces": ces,
                "channel": channel,
                "comment": comment,
                "csat": csat,
                "employee_id": employee_id,
                "event_id": event_id,
                "follow_up_requested": follow_up_requested,
                "has_contact": has_contact,
                "language": language,
                "location_id": location_id,
                "nps": nps,
                "occurred_at": occurred_at,
                "received_at": received_at,
                "respondent": respondent,
                "sent_at": sent_at,
                "servqual": servqual,
                "source": source,
                "tags": tags,
                "text": text,
                "touchpoint": touchpoint,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.comment_text import CommentText  # noqa: PLC0415
        from ..models.feedback_item_attributes import FeedbackItemAttributes  # noqa: PLC0415
        from ..models.respondent import Respondent  # noqa: PLC0415
        from ..models.servqual import Servqual  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_acquisition_source(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        acquisition_source = _parse_acquisition_source(d.pop("acquisition_source"))

        attributes = FeedbackItemAttributes.from_dict(d.pop("attributes"))

        def _parse_ces(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        ces = _parse_ces(d.pop("ces"))

        channel = d.pop("channel")

        def _parse_comment(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        comment = _parse_comment(d.pop("comment"))

        def _parse_csat(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        csat = _parse_csat(d.pop("csat"))

        def _parse_employee_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        employee_id = _parse_employee_id(d.pop("employee_id"))

        event_id = d.pop("event_id")

        follow_up_requested = d.pop("follow_up_requested")

        has_contact = d.pop("has_contact")

        def _parse_language(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        language = _parse_language(d.pop("language"))

        def _parse_location_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        location_id = _parse_location_id(d.pop("location_id"))

        def _parse_nps(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        nps = _parse_nps(d.pop("nps"))

        occurred_at = datetime.datetime.fromisoformat(d.pop("occurred_at"))

        received_at = datetime.datetime.fromisoformat(d.pop("received_at"))

        respondent = Respondent.from_dict(d.pop("respondent"))

        def _parse_sent_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                sent_at_type_0 = datetime.datetime.fromisoformat(data)

                return sent_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        sent_at = _parse_sent_at(d.pop("sent_at"))

        def _parse_servqual(data: object) -> None | Servqual:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                servqual_type_0 = Servqual.from_dict(data)

                return servqual_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Servqual, data)

        servqual = _parse_servqual(d.pop("servqual"))

        def _parse_source(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                source_type_0 = UUID(data)

                return source_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        source = _parse_source(d.pop("source"))

        tags = cast(list[str], d.pop("tags"))

        def _parse_text(data: object) -> CommentText | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                text_type_0 = CommentText.from_dict(data)

                return text_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CommentText | None, data)

        text = _parse_text(d.pop("text"))

        def _parse_touchpoint(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        touchpoint = _parse_touchpoint(d.pop("touchpoint"))

        feedback_item = cls(
            acquisition_source=acquisition_source,
            attributes=attributes,
            ces=ces,
            channel=channel,
            comment=comment,
            csat=csat,
            employee_id=employee_id,
            event_id=event_id,
            follow_up_requested=follow_up_requested,
            has_contact=has_contact,
            language=language,
            location_id=location_id,
            nps=nps,
            occurred_at=occurred_at,
            received_at=received_at,
            respondent=respondent,
            sent_at=sent_at,
            servqual=servqual,
            source=source,
            tags=tags,
            text=text,
            touchpoint=touchpoint,
        )

        feedback_item.additional_properties = d
        return feedback_item

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
