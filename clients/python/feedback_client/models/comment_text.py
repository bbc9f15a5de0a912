from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.comment_text_sentiment_type_0 import CommentTextSentimentType0, check_comment_text_sentiment_type_0

T = TypeVar("T", bound="CommentText")


@_attrs_define
class CommentText:
    """What the text enrichment derived from the comment (docs/text.md).

    Attributes:
        key_phrases (list[str]):
        language (str): The comment's resolved language, which the `language` filter selects on: an ISO 639-1 code (the
            event's own `language` when the text agrees, else detected), or `unknown` for too little text.
        sentiment (CommentTextSentimentType0 | None):
        sentiment_score (float | None): From -1 (negative) to 1 (positive).
        themes (list[str]): The themes it mentions (`GET /v1/themes`).
    """

    key_phrases: list[str]
    language: str
    sentiment: CommentTextSentimentType0 | None
    sentiment_score: float | None
    themes: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        key_phrases = self.key_phrases

        language = self.language

        sentiment: None | str
        if isinstance(self.sentiment, str):
            sentiment = self.sentiment
        else:
            sentiment = self.sentiment

        sentiment_score: float | None
        sentiment_score = self.sentiment_score

        themes = self.themes

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "key_phrases": key_phrases,
                "language": language,
                "sentiment": sentiment,
                "sentiment_score": sentiment_score,
                "themes": themes,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        key_phrases = cast(list[str], d.pop("key_phrases"))

        language = d.pop("language")

        def _parse_sentiment(data: object) -> CommentTextSentimentType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                sentiment_type_0 = check_comment_text_sentiment_type_0(data)

                return sentiment_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CommentTextSentimentType0 | None, data)

        sentiment = _parse_sentiment(d.pop("sentiment"))

        def _parse_sentiment_score(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        sentiment_score = _parse_sentiment_score(d.pop("sentiment_score"))

        themes = cast(list[str], d.pop("themes"))

        comment_text = cls(
            key_phrases=key_phrases,
            language=language,
            sentiment=sentiment,
            sentiment_score=sentiment_score,
            themes=themes,
        )

        comment_text.additional_properties = d
        return comment_text

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
