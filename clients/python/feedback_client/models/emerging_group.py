from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.emerging_example import EmergingExample
    from ..models.emerging_phrase import EmergingPhrase
    from ..models.emerging_word import EmergingWord
    from ..models.sentiment_mix import SentimentMix


T = TypeVar("T", bound="EmergingGroup")


@_attrs_define
class EmergingGroup:
    """Growing words of one language that are mentioned together: one emerging theme.

    Attributes:
        adjusted_p (float): The smallest adjusted p-value of its words.
        comments (int): Unthemed comments of the window that mention any of its words.
        examples (list[EmergingExample]): Its (at most 3) most recent comments in the window.
        language (str): ISO 639-1 code of the comments, or `unknown`.
        phrases (list[EmergingPhrase]): The (at most 5) most frequent key phrases of its comments in the window that
            hold one of its words.
        previous_comments (int): The same in the previous window.
        ratio (float): The rate ratio of `comments`, as for a word.
        sentiment (SentimentMix): How many of the group's comments in the window have each sentiment.
        words (list[EmergingWord]): Its words, most mentioned first.
    """

    adjusted_p: float
    comments: int
    examples: list[EmergingExample]
    language: str
    phrases: list[EmergingPhrase]
    previous_comments: int
    ratio: float
    sentiment: SentimentMix
    words: list[EmergingWord]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        adjusted_p = self.adjusted_p

        comments = self.comments

        examples = []
        for examples_item_data in self.examples:
            examples_item = examples_item_data.to_dict()
            examples.append(examples_item)

        language = self.language

        phrases = []
        for phrases_item_data in self.phrases:
            phrases_item = phrases_item_data.to_dict()
            phrases.append(phrases_item)

        previous_comments = self.previous_comments

        ratio = self.ratio

        sentiment = self.sentiment.to_dict()

        words = []
        for words_item_data in self.words:
            words_item = words_item_data.to_dict()
            words.append(words_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "adjusted_p": adjusted_p,
                "comments": comments,
                "examples": examples,
                "language": language,
                "phrases": phrases,
                "previous_comments": previous_comments,
                "ratio": ratio,
                "sentiment": sentiment,
                "words": words,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.emerging_example import EmergingExample  # noqa: PLC0415
        from ..models.emerging_phrase import EmergingPhrase  # noqa: PLC0415
        from ..models.emerging_word import EmergingWord  # noqa: PLC0415
        from ..models.sentiment_mix import SentimentMix  # noqa: PLC0415

        d = dict(src_dict)
        adjusted_p = d.pop("adjusted_p")

        comments = d.pop("comments")

        examples = []
        _examples = d.pop("examples")
        for examples_item_data in _examples:
            examples_item = EmergingExample.from_dict(examples_item_data)

            examples.append(examples_item)

        language = d.pop("language")

        phrases = []
        _phrases = d.pop("phrases")
        for phrases_item_data in _phrases:
            phrases_item = EmergingPhrase.from_dict(phrases_item_data)

            phrases.append(phrases_item)

        previous_comments = d.pop("previous_comments")

        ratio = d.pop("ratio")

        sentiment = SentimentMix.from_dict(d.pop("sentiment"))

        words = []
        _words = d.pop("words")
        for words_item_data in _words:
            words_item = EmergingWord.from_dict(words_item_data)

            words.append(words_item)

        emerging_group = cls(
            adjusted_p=adjusted_p,
            comments=comments,
            examples=examples,
            language=language,
            phrases=phrases,
            previous_comments=previous_comments,
            ratio=ratio,
            sentiment=sentiment,
            words=words,
        )

        emerging_group.additional_properties = d
        return emerging_group

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
