from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.contact import Contact
    from ..models.feedback_in_attributes import FeedbackInAttributes
    from ..models.respondent import Respondent
    from ..models.servqual import Servqual


T = TypeVar("T", bound="FeedbackIn")


@_attrs_define
class FeedbackIn:
    """One feedback event. At least one score or a non-empty `comment` is required.

    Attributes:
        channel (str): How the feedback reached us. Well-known values: `web`, `app`, `pos`, `kiosk`, `phone`, `email`,
            `sms`, `chat`, `in_person`, `social`, `other`; any other slug is accepted.
        acquisition_source (None | str | Unset): How the customer found us: `search`, `referral`, `ad`, ...
        attributes (FeedbackInAttributes | Unset): Your own flat fields: at most 50 keys, scalar values, 8 KiB as JSON.
        ces (int | None | Unset): 'The company made it easy for me', 1 (strongly disagree)..7.
        comment (None | str | Unset): Free text in any language. A text with nothing visible in it (spaces, zero-width
            and other invisible characters only) is no comment: stored as none.
        contact (Contact | None | Unset):
        csat (int | None | Unset): How satisfied, 1..5.
        employee_id (None | str | Unset): Who served the customer.
        event_id (None | str | Unset): Your id for this event (a UUID, or any string of at most 128 printable
            characters), unique across all your systems. It makes posting idempotent: a retry with the same id and body
            answers 200 with the stored event and stores nothing; the same id with a different body is a 409. Omitted: the
            server assigns a UUID, and a retry can no longer be recognised, so always send one from devices that retry.
        follow_up_requested (bool | Unset): The respondent asked to be contacted. Default: False.
        language (None | str | Unset): BCP 47 tag, e.g. `en`, `hu-HU`.
        location_id (None | str | Unset): The branch. A key bound to a location stamps it; another value is a 403.
        nps (int | None | Unset): How likely to recommend us, 0..10.
        occurred_at (datetime.datetime | None | Unset): When the customer lived the moment (RFC 3339 with offset).
            Default: arrival. Old events (backfill) are welcome; more than 5 minutes in the future (after clock correction)
            is refused.
        respondent (None | Respondent | Unset):
        sent_at (datetime.datetime | None | Unset): The device's clock when it sent this request. When given, the
            device's clock error is removed: occurred_at := received_at - (sent_at - occurred_at). Not part of the
            idempotency comparison, so a retry may carry a new one.
        servqual (None | Servqual | Unset):
        tags (list[str] | Unset): Up to 20 slugs.
        touchpoint (None | str | Unset): The moment of truth: `checkout`, `check_in`, `delivery`, `support_call`, ...
    """

    channel: str
    acquisition_source: None | str | Unset = UNSET
    attributes: FeedbackInAttributes | Unset = UNSET
    ces: int | None | Unset = UNSET
    comment: None | str | Unset = UNSET
    contact: Contact | None | Unset = UNSET
    csat: int | None | Unset = UNSET
    employee_id: None | str | Unset = UNSET
    event_id: None | str | Unset = UNSET
    follow_up_requested: bool | Unset = False
    language: None | str | Unset = UNSET
    location_id: None | str | Unset = UNSET
    nps: int | None | Unset = UNSET
    occurred_at: datetime.datetime | None | Unset = UNSET
    respondent: None | Respondent | Unset = UNSET
    sent_at: datetime.datetime | None | Unset = UNSET
    servqual: None | Servqual | Unset = UNSET
    tags: list[str] | Unset = UNSET
    touchpoint: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.contact import Contact  # noqa: PLC0415
        from ..models.respondent import Respondent  # noqa: PLC0415
        from ..models.servqual import Servqual  # noqa: PLC0415

        channel = self.channel

        acquisition_source: None | str | Unset
        if isinstance(self.acquisition_source, Unset):
            acquisition_source = UNSET
        else:
            acquisition_source = self.acquisition_source

        attributes: dict[str, Any] | Unset = UNSET
        if not isinstance(self.attributes, Unset):
            attributes = self.attributes.to_dict()

        ces: int | None | Unset
        if isinstance(self.ces, Unset):
            ces = UNSET
        else:
            ces = self.ces

        comment: None | str | Unset
        if isinstance(self.comment, Unset):
            comment = UNSET
        else:
            comment = self.comment

        contact: dict[str, Any] | None | Unset
        if isinstance(self.contact, Unset):
            contact = UNSET
        elif isinstance(self.contact, Contact):
            contact = self.contact.to_dict()
        else:
            contact = self.contact

        csat: int | None | Unset
        if isinstance(self.csat, Unset):
            csat = UNSET
        else:
            csat = self.csat

        employee_id: None | str | Unset
        if isinstance(self.employee_id, Unset):
            employee_id = UNSET
        else:
            employee_id = self.employee_id

        event_id: None | str | Unset
        if isinstance(self.event_id, Unset):
            event_id = UNSET
        else:
            event_id = self.event_id

        follow_up_requested = self.follow_up_requested

        language: None | str | Unset
        if isinstance(self.language, Unset):
            language = UNSET
        else:
            language = self.language

        location_id: None | str | Unset
        if isinstance(self.location_id, Unset):
            location_id = UNSET
        else:
            location_id = self.location_id

        nps: int | None | Unset
        if isinstance(self.nps, Unset):
            nps = UNSET
        else:
            nps = self.nps

        occurred_at: None | str | Unset
        if isinstance(self.occurred_at, Unset):
            occurred_at = UNSET
        elif isinstance(self.occurred_at, datetime.datetime):
            occurred_at = self.occurred_at.isoformat()
        else:
            occurred_at = self.occurred_at

        respondent: dict[str, Any] | None | Unset
        if isinstance(self.respondent, Unset):
            respondent = UNSET
        elif isinstance(self.respondent, Respondent):
            respondent = self.respondent.to_dict()
        else:
            respondent = self.respondent

        sent_at: None | str | Unset
        if isinstance(self.sent_at, Unset):
            sent_at = UNSET
        elif isinstance(self.sent_at, datetime.datetime):
            sent_at = self.sent_at.isoformat()
        else:
            sent_at = self.sent_at

        servqual: dict[str, Any] | None | Unset
        if isinstance(self.servqual, Unset):
            servqual = UNSET
        elif isinstance(self.servqual, Servqual):
            servqual = self.servqual.to_dict()
        else:
            servqual = self.servqual

        tags: list[str] | Unset = UNSET
        if not isinstance(self.tags, Unset):
            tags = self.tags

        touchpoint: None | str | Unset
        if isinstance(self.touchpoint, Unset):
            touchpoint = UNSET
        else:
            touchpoint = self.touchpoint

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "channel": channel,
            }
        )
        if acquisition_source is not UNSET:
            field_dict["acquisition_source"] = acquisition_source
        if attributes is not UNSET:
            field_dict["attributes"] = attributes
        if ces is not UNSET:
            field_dict["ces"] = ces
        if comment is not UNSET:
            field_dict["comment"] = comment
        if contact is not UNSET:
            field_dict["contact"] = contact
        if csat is not UNSET:
            field_dict["csat"] = csat
        if employee_id is not UNSET:
            field_dict["employee_id"] = employee_id
        if event_id is not UNSET:
            field_dict["event_id"] = event_id
        if follow_up_requested is not UNSET:
            field_dict["follow_up_requested"] = follow_up_requested
        if language is not UNSET:
            field_dict["language"] = language
        if location_id is not UNSET:
            field_dict["location_id"] = location_id
        if nps is not UNSET:
            field_dict["nps"] = nps
        if occurred_at is not UNSET:
            field_dict["occurred_at"] = occurred_at
        if respondent is not UNSET:
            field_dict["respondent"] = respondent
        if sent_at is not UNSET:
            field_dict["sent_at"] = sent_at
        if servqual is not UNSET:
            field_dict["servqual"] = servqual
        if tags is not UNSET:
            field_dict["tags"] = tags
        if touchpoint is not UNSET:
            field_dict["touchpoint"] = touchpoint

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.contact import Contact  # noqa: PLC0415
        from ..models.feedback_in_attributes import FeedbackInAttributes  # noqa: PLC0415
        from ..models.respondent import Respondent  # noqa: PLC0415
        from ..models.servqual import Servqual  # noqa: PLC0415

        d = dict(src_dict)
        channel = d.pop("channel")

        def _parse_acquisition_source(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        acquisition_source = _parse_acquisition_source(d.pop("acquisition_source", UNSET))

        _attributes = d.pop("attributes", UNSET)
        attributes: FeedbackInAttributes | Unset
        if isinstance(_attributes, Unset):
            attributes = UNSET
        else:
            attributes = FeedbackInAttributes.from_dict(_attributes)

        def _parse_ces(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        ces = _parse_ces(d.pop("ces", UNSET))

        def _parse_comment(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        comment = _parse_comment(d.pop("comment", UNSET))

        def _parse_contact(data: object) -> Contact | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                contact_type_0 = Contact.from_dict(data)

                return contact_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Contact | None | Unset, data)

        contact = _parse_contact(d.pop("contact", UNSET))

        def _parse_csat(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        csat = _parse_csat(d.pop("csat", UNSET))

        def _parse_employee_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        employee_id = _parse_employee_id(d.pop("employee_id", UNSET))

        def _parse_event_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        event_id = _parse_event_id(d.pop("event_id", UNSET))

        follow_up_requested = d.pop("follow_up_requested", UNSET)

        def _parse_language(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        language = _parse_language(d.pop("language", UNSET))

        def _parse_location_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        location_id = _parse_location_id(d.pop("location_id", UNSET))

        def _parse_nps(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        nps = _parse_nps(d.pop("nps", UNSET))

        def _parse_occurred_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                occurred_at_type_0 = datetime.datetime.fromisoformat(data)

                return occurred_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        occurred_at = _parse_occurred_at(d.pop("occurred_at", UNSET))

        def _parse_respondent(data: object) -> None | Respondent | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                respondent_type_0 = Respondent.from_dict(data)

                return respondent_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Respondent | Unset, data)

        respondent = _parse_respondent(d.pop("respondent", UNSET))

        def _parse_sent_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                sent_at_type_0 = datetime.datetime.fromisoformat(data)

                return sent_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        sent_at = _parse_sent_at(d.pop("sent_at", UNSET))

        def _parse_servqual(data: object) -> None | Servqual | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                servqual_type_0 = Servqual.from_dict(data)

                return servqual_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Servqual | Unset, data)

        servqual = _parse_servqual(d.pop("servqual", UNSET))

        tags = cast(list[str], d.pop("tags", UNSET))

        def _parse_touchpoint(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        touchpoint = _parse_touchpoint(d.pop("touchpoint", UNSET))

        feedback_in = cls(
            channel=channel,
            acquisition_source=acquisition_source,
            attributes=attributes,
            ces=ces,
            comment=comment,
            contact=contact,
            csat=csat,
            employee_id=employee_id,
            event_id=event_id,
            follow_up_requested=follow_up_requested,
            language=language,
            location_id=location_id,
            nps=nps,
            occurred_at=occurred_at,
            respondent=respondent,
            sent_at=sent_at,
            servqual=servqual,
            tags=tags,
            touchpoint=touchpoint,
        )

        return feedback_in
