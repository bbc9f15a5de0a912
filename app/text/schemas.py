"""The themes as the API shows and takes them (`GET`/`PUT /v1/themes`)."""

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from app.text.themes import NAME, Theme

Phrase = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200,
                           pattern=r"^[^\x00-\x1f\x7f]+$")
]  # fmt: skip
LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")]

THEME_EXAMPLE: dict[str, Any] = {
    "name": "parking",
    "label": "Parking",
    "description": "Finding a parking space at the store.",
    "examples": ["no parking space", "the car park was full", "estacionamento lotado"],
    "keywords": {"en": ["parking", "car park"], "de": ["parkplatz*"], "pt": ["estacionament*"]},
}


class ThemeDefinition(BaseModel):
    """A theme. A comment mentions it when one of its keywords in the comment's language
    occurs in it, or (with the embedding model) the comment means nearly the same as one
    of its examples, in any language (docs/text.md, "Themes")."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [THEME_EXAMPLE]})

    name: str = Field(
        pattern=NAME.pattern,
        description="Its key in answers and filters: lowercase letters, digits and `_`, "
        "starting with a letter. The name of a default theme replaces it.",
    )
    label: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
    description: Annotated[str, StringConstraints(max_length=500)] = ""
    examples: list[Phrase] = Field(
        default_factory=list,
        max_length=50,
        description="Short phrases customers write about it, in any language.",
    )
    keywords: dict[LanguageCode, list[Annotated[Phrase, StringConstraints(max_length=80)]]] = Field(
        default_factory=dict,
        description="Per ISO 639-1 language: words or phrases in dictionary form; "
        "`word*` matches the start of a word, `*word` its end.",
    )

    @field_validator("keywords")
    @classmethod
    def _bounded(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        if len(value) > 60 or any(len(words) > 300 for words in value.values()):
            raise ValueError("at most 60 languages of at most 300 keywords each")
        return value

    def theme(self) -> Theme:
        return Theme(
            name=self.name,
            label=self.label,
            description=self.description,
            examples=tuple(self.examples),
            keywords={k: tuple(v) for k, v in self.keywords.items()},
        )


class ThemeOut(ThemeDefinition):
    builtin: bool = Field(description="One of the default taxonomy (as shipped).")


class ThemesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    themes: list[ThemeDefinition] = Field(
        max_length=200,
        description="The themes an admin defines: they replace the ones defined before. "
        "The default themes stay unless one of these has the same name.",
    )

    @field_validator("themes")
    @classmethod
    def _unique(cls, value: list[ThemeDefinition]) -> list[ThemeDefinition]:
        names = [t.name for t in value]
        if len(set(names)) != len(names):
            raise ValueError("theme names must be unique")
        return value


class Themes(BaseModel):
    themes: list[ThemeOut] = Field(description="Every theme in force, defaults first.")
    digest: str = Field(
        description="Changes whenever a theme does: part of each insight's version."
    )
    rebuilding: bool = Field(
        description="Comments are being enriched again (after a change of themes or models)."
    )
