from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.theme_definition import ThemeDefinition


T = TypeVar("T", bound="ThemesIn")


@_attrs_define
class ThemesIn:
    """
    Attributes:
        themes (list[ThemeDefinition]): The themes an admin defines: they replace the ones defined before. The default
            themes stay unless one of these has the same name.
    """

    themes: list[ThemeDefinition]

    def to_dict(self) -> dict[str, Any]:
        themes = []
        for themes_item_data in self.themes:
            themes_item = themes_item_data.to_dict()
            themes.append(themes_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "themes": themes,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.theme_definition import ThemeDefinition  # noqa: PLC0415

        d = dict(src_dict)
        themes = []
        _themes = d.pop("themes")
        for themes_item_data in _themes:
            themes_item = ThemeDefinition.from_dict(themes_item_data)

            themes.append(themes_item)

        themes_in = cls(
            themes=themes,
        )

        return themes_in
