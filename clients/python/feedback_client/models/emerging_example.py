from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.emerging_example_sentiment_type_0 import (
    EmergingExampleSentimentType0,
    check_emerging_example_sentiment_type_0,
)

T = TypeVar("T", bound="EmergingExample")


@_attrs_define
class EmergingExample:
    """A comment of the group, one of its most recent in the window.

    Attributes:
        comment (str):
        event_id (str):
        occurred_at (datetime.datetime):
        sentiment (EmergingExampleSentimentType0 | None):
    """

    comment: str
    event_id: str
    occurred_at: datetime.datetime
    sentiment: EmergingExampleSentimentType0 | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        comment = self.comment

        event_id = self.event_id

        occurred_at = self.occurred_at.isoformat()

        sentiment: None | str
        if isinstance(self.sentiment, str):
            sentiment = self.sentiment
        else:
            sentiment = self.sentiment

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "comment": comment,
                "event_id": event_id,
                "occurred_at": occurred_at,
                "sentiment": sentiment,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        comment = d.pop("comment")

        event_id = d.pop("event_id")

        occurred_at = datetime.datetime.fromisoformat(d.pop("occurred_at"))

        def _parse_sentiment(data: object) -> EmergingExampleSentimentType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                sentiment_type_0 = check_emerging_example_sentiment_type_0(data)

                return sentiment_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(EmergingExampleSentimentType0 | None, data)

        sentiment = _parse_sentiment(d.pop("sentiment"))

        emerging_example = cls(
            comment=comment,
            event_id=event_id,
            occurred_at=occurred_at,
            sentiment=sentiment,
        )

        emerging_example.additional_properties = d
        return emerging_example

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
