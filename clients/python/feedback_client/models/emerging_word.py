from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="EmergingWord")


@_attrs_define
class EmergingWord:
    """One word whose share of the unthemed comments grew significantly.

    Attributes:
        adjusted_p (float): Benjamini-Hochberg adjusted p-value across every word tested.
        comments (int): Unthemed comments of the window that mention it.
        p_value (float): One-sided binomial p-value of its growth, given how often it was mentioned in both windows
            together.
        previous_comments (int): The same in the previous window.
        ratio (float): Rate ratio (comments / n) / ((previous_comments + 0.5) / (previous_n + 0.5)): how many times more
            often it is mentioned now.
        word (str): A content word of the comments' key phrases (lemma).
    """

    adjusted_p: float
    comments: int
    p_value: float
    previous_comments: int
    ratio: float
    word: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        adjusted_p = self.adjusted_p

        comments = self.comments

        p_value = self.p_value

        previous_comments = self.previous_comments

        ratio = self.ratio

        word = self.word

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "adjusted_p": adjusted_p,
                "comments": comments,
                "p_value": p_value,
                "previous_comments": previous_comments,
                "ratio": ratio,
                "word": word,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        adjusted_p = d.pop("adjusted_p")

        comments = d.pop("comments")

        p_value = d.pop("p_value")

        previous_comments = d.pop("previous_comments")

        ratio = d.pop("ratio")

        word = d.pop("word")

        emerging_word = cls(
            adjusted_p=adjusted_p,
            comments=comments,
            p_value=p_value,
            previous_comments=previous_comments,
            ratio=ratio,
            word=word,
        )

        emerging_word.additional_properties = d
        return emerging_word

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
