from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.theme_out import ThemeOut


T = TypeVar("T", bound="Themes")


@_attrs_define
class Themes:
    """
    Attributes:
        digest (str): Changes whenever a theme does: part of each insight's version.
        rebuilding (bool): Comments are being enriched again (after a change of themes or models).
        themes (list[ThemeOut]): Every theme in force, defaults first.
    """

    digest: str
    rebuilding: bool
    themes: list[ThemeOut]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        digest = self.digest

        rebuilding = self.rebuilding

        themes = []
        for themes_item_data in self.themes:
            themes_item = themes_item_data.to_dict()
            themes.append(themes_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "digest": digest,
                "rebuilding": rebuilding,
                "themes": themes,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.theme_out import ThemeOut  # noqa: PLC0415

        d = dict(src_dict)
        digest = d.pop("digest")

        rebuilding = d.pop("rebuilding")

        themes = []
        _themes = d.pop("themes")
        for themes_item_data in _themes:
            themes_item = ThemeOut.from_dict(themes_item_data)

            themes.append(themes_item)

        themes = cls(
            digest=digest,
            rebuilding=rebuilding,
            themes=themes,
        )

        themes.additional_properties = d
        return themes

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
