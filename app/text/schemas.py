"""The themes as the API shows and takes them (`GET`/`PUT /v1/themes`)."""

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from app.selection.schemas import Window
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
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"themes": [THEME_EXAMPLE]}]}
    )

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
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "themes": [{**THEME_EXAMPLE, "builtin": False}],
                    "digest": "9f2c41ab07de",
                    "rebuilding": True,
                }
            ]
        }
    )

    themes: list[ThemeOut] = Field(description="Every theme in force, defaults first.")
    digest: str = Field(
        description="Changes whenever a theme does: part of each insight's version."
    )
    rebuilding: bool = Field(
        description="Comments are being enriched again (after a change of themes or models)."
    )


# `GET /v1/themes/emerging` (app/text/emerging.py; docs/text.md, "Emerging themes").

WORD_EXAMPLE: dict[str, Any] = {
    "word": "terminal",
    "comments": 31,
    "previous_comments": 2,
    "ratio": 9.47,
    "p_value": 2.1e-07,
    "adjusted_p": 1.9e-05,
}
EXAMPLE_COMMENT: dict[str, Any] = {
    "event_id": "pos7-2026-11-24-000123",
    "occurred_at": "2026-11-24T08:30:02Z",
    "comment": "Terminal kaputt, nur Barzahlung möglich.",
    "sentiment": "negative",
}
SENTIMENT_EXAMPLE: dict[str, Any] = {"negative": 27, "neutral": 5, "positive": 0, "none": 1}
GROUP_EXAMPLE: dict[str, Any] = {
    "language": "de",
    "words": [
        WORD_EXAMPLE,
        {**WORD_EXAMPLE, "word": "kaputt", "comments": 17, "previous_comments": 1},
    ],
    "comments": 33,
    "previous_comments": 3,
    "ratio": 6.73,
    "adjusted_p": 1.9e-05,
    "phrases": [
        {"phrase": "terminal kaputt", "comments": 17},
        {"phrase": "terminal defekt", "comments": 14},
    ],
    "examples": [EXAMPLE_COMMENT],
    "sentiment": SENTIMENT_EXAMPLE,
}
METHOD_EXAMPLE: dict[str, Any] = {
    "min_comments": 5,
    "fdr": 0.05,
    "min_ratio": 1.5,
    "min_jaccard": 0.25,
}


class EmergingWord(BaseModel):
    """One word whose share of the unthemed comments grew significantly."""

    model_config = ConfigDict(json_schema_extra={"examples": [WORD_EXAMPLE]})

    word: str = Field(description="A content word of the comments' key phrases (lemma).")
    comments: int = Field(description="Unthemed comments of the window that mention it.")
    previous_comments: int = Field(description="The same in the previous window.")
    ratio: float = Field(
        description="Rate ratio (comments / n) / ((previous_comments + 0.5) / "
        "(previous_n + 0.5)): how many times more often it is mentioned now."
    )
    p_value: float = Field(
        description="One-sided binomial p-value of its growth, given how often it was "
        "mentioned in both windows together."
    )
    adjusted_p: float = Field(
        description="Benjamini-Hochberg adjusted p-value across every word tested."
    )


class EmergingPhrase(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"phrase": "terminal kaputt", "comments": 17}]}
    )

    phrase: str = Field(description="A key phrase of the group's comments (lemmas).")
    comments: int = Field(description="The group's comments of the window that have it.")


class EmergingExample(BaseModel):
    """A comment of the group, one of its most recent in the window."""

    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE_COMMENT]})

    event_id: str
    occurred_at: datetime
    comment: str
    sentiment: Literal["negative", "neutral", "positive"] | None


class SentimentMix(BaseModel):
    """How many of the group's comments in the window have each sentiment."""

    model_config = ConfigDict(json_schema_extra={"examples": [SENTIMENT_EXAMPLE]})

    negative: int
    neutral: int
    positive: int
    none: int = Field(description="Comments without a sentiment.")


class EmergingGroup(BaseModel):
    """Growing words of one language that are mentioned together: one emerging theme."""

    model_config = ConfigDict(json_schema_extra={"examples": [GROUP_EXAMPLE]})

    language: str = Field(description="ISO 639-1 code of the comments, or `unknown`.")
    words: list[EmergingWord] = Field(description="Its words, most mentioned first.")
    comments: int = Field(
        description="Unthemed comments of the window that mention any of its words."
    )
    previous_comments: int = Field(description="The same in the previous window.")
    ratio: float = Field(description="The rate ratio of `comments`, as for a word.")
    adjusted_p: float = Field(description="The smallest adjusted p-value of its words.")
    phrases: list[EmergingPhrase] = Field(
        description="The (at most 5) most frequent key phrases of its comments in the "
        "window that hold one of its words."
    )
    examples: list[EmergingExample] = Field(
        description="Its (at most 3) most recent comments in the window."
    )
    sentiment: SentimentMix


class EmergingMethod(BaseModel):
    """The parameters of the method (docs/text.md, "Emerging themes")."""

    model_config = ConfigDict(json_schema_extra={"examples": [METHOD_EXAMPLE]})

    min_comments: int = Field(description="Words mentioned in fewer comments of the "
                              "window are not tested.")  # fmt: skip
    fdr: float = Field(description="Largest Benjamini-Hochberg adjusted p-value reported.")
    min_ratio: float = Field(description="Smallest rate ratio reported.")
    min_jaccard: float = Field(
        description="Two growing words join one group when the Jaccard index of the "
        "comments of the window that mention them is at least this."
    )


class EmergingThemes(Window):
    """What the comments that fit no theme talk about more than before."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "from": "2026-11-01T00:00:00Z",
                    "to": "2026-12-01T00:00:00Z",
                    "tz": "Europe/Vienna",
                    "previous_from": "2026-10-02T00:00:00Z",
                    "previous_to": "2026-11-01T00:00:00Z",
                    "comments": 412,
                    "previous_comments": 398,
                    "words_tested": 57,
                    "words_significant": 2,
                    "groups_found": 1,
                    "method": METHOD_EXAMPLE,
                    "groups": [GROUP_EXAMPLE],
                }
            ]
        },
    )

    previous_from: datetime = Field(description="Previous window start (inclusive), UTC.")
    previous_to: datetime = Field(description="Previous window end (exclusive), UTC.")
    comments: int = Field(
        description="Enriched comments of the window that fit no theme (n), under the filters."
    )
    previous_comments: int = Field(description="The same in the previous window.")
    words_tested: int = Field(
        description="(language, word) pairs mentioned in at least `min_comments` comments "
        "of the window: the tests the adjustment counts."
    )
    words_significant: int = Field(description="Those reported as growing.")
    groups_found: int = Field(description="Groups found (`groups` shows up to `limit`).")
    method: EmergingMethod
    groups: list[EmergingGroup] = Field(description="Most comments in the window first.")
