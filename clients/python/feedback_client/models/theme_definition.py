from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.theme_definition_keywords import ThemeDefinitionKeywords


T = TypeVar("T", bound="ThemeDefinition")


@_attrs_define
class ThemeDefinition:
    """A theme. A comment mentions it when one of its keywords in the comment's language
    occurs in it, or (with the embedding model) the comment means nearly the same as one
    of its examples, in any language (docs/text.md, "Themes").

        Attributes:
            label (str):
            name (str): Its key in answers and filters: lowercase letters, digits and `_`, starting with a letter. The name
                of a default theme replaces it.
            description (str | Unset):  Default: ''.
            examples (list[str] | Unset): Short phrases customers write about it, in any language.
            keywords (ThemeDefinitionKeywords | Unset): Per ISO 639-1 language: words or phrases in dictionary form; `word*`
                matches the start of a word, `*word` its end.
    """

    label: str
    name: str
    description: str | Unset = ""
    examples: list[str] | Unset = UNSET
    keywords: ThemeDefinitionKeywords | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
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
        from ..models.theme_definition_keywords import ThemeDefinitionKeywords  # noqa: PLC0415

        d = dict(src_dict)
        label = d.pop("label")

        name = d.pop("name")

        description = d.pop("description", UNSET)

        examples = cast(list[str], d.pop("examples", UNSET))

        _keywords = d.pop("keywords", UNSET)
        keywords: ThemeDefinitionKeywords | Unset
        if isinstance(_keywords, Unset):
            keywords = UNSET
        else:
            keywords = ThemeDefinitionKeywords.from_dict(_keywords)

        theme_definition = cls(
            label=label,
            name=name,
            description=description,
            examples=examples,
            keywords=keywords,
        )

        return theme_definition
