"""Themes of a comment: what it is about, by keywords in its language and by meaning.

A theme has a name, a label, a description, example phrases (any language) and
keywords per language. The default customer-service taxonomy ships in
`data/themes.json` (12 themes, keywords in 14 languages, written by hand for this
project); an admin adds themes, or redefines a default one by its name, through
`PUT /v1/themes`.

A comment mentions a theme when

- one of the theme's keywords in the comment's language occurs in it: a keyword is
  one or more words, each compared with a word's dictionary form and with the word
  as written; `word*` matches the start of a word (inflections, compounds), `*word`
  its end (German and Hungarian compounds); or
- with the embedding model, the comment is within `SIMILARITY` (cosine) of one of the
  theme's example phrases once both lose what their language and tone share
  (app/text/topic.py): the route for themes an admin defines in a few phrases, and
  for languages without keywords.
"""

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from app.text.language import primary
from app.text.words import Word, words
from app.vocabulary import THEME_NAME

DEFAULT_PATH = Path(__file__).with_name("data") / "themes.json"
SIMILARITY = 0.40  # cosine to an example phrase, in the topic projection (docs/text.md)
NAME = re.compile(THEME_NAME)


@dataclass(frozen=True)
class Theme:
    name: str
    label: str
    description: str = ""
    examples: tuple[str, ...] = ()
    keywords: dict[str, tuple[str, ...]] = field(default_factory=dict)
    builtin: bool = False

    def definition(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "label": self.label,
            "description": self.description,
            "examples": list(self.examples),
            "keywords": {k: list(v) for k, v in sorted(self.keywords.items())},
        }


@cache
def default_themes() -> tuple[Theme, ...]:
    data: dict[str, dict[str, Any]] = json.loads(DEFAULT_PATH.read_text("utf-8"))
    return tuple(
        Theme(
            name=name,
            label=body["label"],
            description=body.get("description", ""),
            examples=tuple(body.get("examples", ())),
            keywords={k: tuple(v) for k, v in body.get("keywords", {}).items()},
            builtin=True,
        )
        for name, body in data.items()
    )


def merged(custom: Sequence[Theme]) -> tuple[Theme, ...]:
    """The default themes with the admin's: one of the same name replaces a default."""
    by_name = {t.name: t for t in custom}
    out = [by_name.pop(t.name, t) for t in default_themes()]
    return (*out, *by_name.values())


# One token of a keyword: (kind, text), kind "=" whole word, "<" prefix, ">" suffix.
Token = tuple[str, str]


def _tokens(keyword: str, language: str) -> tuple[Token, ...]:
    out: list[Token] = []
    for part in keyword.lower().split():
        if part.endswith("*") and len(part) > 1:
            out.append(("<", part[:-1]))
        elif part.startswith("*") and len(part) > 1:
            out.append((">", part[1:]))
        else:
            found = words(part, language)
            out.extend(("=", w.lemma) for w in found) if found else out.append(("=", part))
    return tuple(out)


def _matches(token: Token, word: Word) -> bool:
    kind, text = token
    if kind == "=":
        return word.lemma == text or word.surface == text
    if kind == "<":
        return word.lemma.startswith(text) or word.surface.startswith(text)
    return word.lemma.endswith(text) or word.surface.endswith(text)


Keyword = tuple[str, tuple[Token, ...]]  # (theme name, its tokens)


def _compile(themes: Sequence[Theme], language: str) -> dict[Token, list[Keyword]]:
    """The keywords of one language, by their first token."""
    index: dict[Token, list[Keyword]] = {}
    for theme in themes:
        for keyword in theme.keywords.get(language, ()):
            tokens = _tokens(keyword, language)
            if tokens:
                index.setdefault(tokens[0], []).append((theme.name, tokens))
    return index


def _first_tokens(word: Word) -> set[Token]:
    """Every first token a keyword could have to match `word`: the word, its starts and
    its ends (a dictionary lookup each, instead of a test of every keyword)."""
    keys: set[Token] = set()
    for form in {word.lemma, word.surface}:
        keys.add(("=", form))
        for k in range(1, len(form) + 1):
            keys.add(("<", form[:k]))
            keys.add((">", form[-k:]))
    return keys


class ThemeSet:
    def __init__(self, themes: Sequence[Theme]) -> None:
        self.themes = tuple(themes)
        canonical = json.dumps([t.definition() for t in self.themes], sort_keys=True)
        self.digest = hashlib.sha256(canonical.encode()).hexdigest()[:12]
        self._compiled: dict[str, dict[Token, list[Keyword]]] = {}
        self.example_vectors: npt.NDArray[np.float32] | None = None
        self.example_themes: list[str] = []

    def by_keywords(self, tokens: Sequence[Word], language: str) -> set[str]:
        code = primary(language) or language
        if code not in self._compiled:
            self._compiled[code] = _compile(self.themes, code)
        index = self._compiled[code]
        found: set[str] = set()
        if not index:
            return found
        for start, word in enumerate(tokens):
            for key in _first_tokens(word) & index.keys():
                for name, keyword in index[key]:
                    if name in found or start + len(keyword) > len(tokens):
                        continue
                    if all(_matches(keyword[i], tokens[start + i]) for i in range(1, len(keyword))):
                        found.add(name)
        return found

    def examples(self) -> list[tuple[str, str]]:
        """(theme, example phrase) of every theme, for the embedding route."""
        return [(t.name, e) for t in self.themes for e in t.examples]

    def set_example_vectors(self, vectors: npt.NDArray[np.float32]) -> None:
        self.example_themes = [name for name, _ in self.examples()]
        self.example_vectors = vectors

    def by_meaning(self, vectors: npt.NDArray[np.float32]) -> list[set[str]]:
        """Per row, the themes one of whose examples is within SIMILARITY."""
        if self.example_vectors is None or not len(self.example_vectors) or not len(vectors):
            return [set() for _ in range(len(vectors))]
        similarity = vectors @ self.example_vectors.T
        return [
            {self.example_themes[j] for j in np.flatnonzero(row >= SIMILARITY)}
            for row in similarity
        ]
