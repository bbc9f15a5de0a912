from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.theme_out_keywords import ThemeOutKeywords


T = TypeVar("T", bound="ThemeOut")


@_attrs_define
class ThemeOut:
    """
    Attributes:
        builtin (bool): One of the default taxonomy (as shipped).
        label (str):
        name (str): Its key in answers and filters: lowercase letters, digits and `_`, starting with a letter. The name
            of a default theme replaces it.
        description (str | Unset):  Default: ''.
        examples (list[str] | Unset): Short phrases customers write about it, in any language.
        keywords (ThemeOutKeywords | Unset): Per ISO 639-1 language: words or phrases in dictionary form; `word*`
            matches the start of a word, `*word` its end.
    """

    builtin: bool
    label: str
    name: str
    description: str | Unset = ""
    examples: list[str] | Unset = UNSET
    keywords: ThemeOutKeywords | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        builtin = self.builtin

        label = self.label

        name = self.name

        description = self.description

        examples: list[str] | Unset = UNSET
        if not isinstance(self.examples, Unset):
            examples = self.examples

        keywords: dict[str, Any] | Unset = UNSET
        if not isinstance(self.keywords, Unset):
            keywords = self.keywords.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "builtin": builtin,
                "label": label,
                "name": name,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if examples is not UNSET:
            field_dict["examples"] = examples
        if keywords is not UNSET:
            field_dict["keywords"] = keywords

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.theme_out_keywords import ThemeOutKeywords  # noqa: PLC0415

        d = dict(src_dict)
        builtin = d.pop("builtin")

        label = d.pop("label")

        name = d.pop("name")

        description = d.pop("description", UNSET)

        examples = cast(list[str], d.pop("examples", UNSET))

        _keywords = d.pop("keywords", UNSET)
        keywords: ThemeOutKeywords | Unset
        if isinstance(_keywords, Unset):
            keywords = UNSET
        else:
            keywords = ThemeOutKeywords.from_dict(_keywords)

        theme_out = cls(
            builtin=builtin,
            label=label,
            name=name,
            description=description,
            examples=examples,
            keywords=keywords,
        )

        return theme_out
