"""Words of a comment: tokens with their dictionary forms, and key phrases.

Every language but Japanese is split on Unicode word characters and each word gets
its lemma from simplemma's dictionaries (54 languages; a word of another language, or
one the dictionary lacks, stays as written). Japanese has no spaces: janome's
tokenizer (with its bundled IPA dictionary) splits it and gives each word's base
form and part of speech. Stop words come from stopwordsiso (the ISO lists). Nothing
is downloaded: each of these ships its data inside its wheel.
"""

import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import simplemma
import stopwordsiso

_WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*", re.UNICODE)
# Between two words, anything but spaces and apostrophes ends a phrase (punctuation,
# symbols, emoji).
_BOUNDARY = re.compile(r"[^\s'\u2019]")
_DIGITS = re.compile(r"^\d+$")
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
# The languages simplemma has a dictionary for (54 in 2.0: ru, hu, de, pt, es, en...).
LEMMA_LANGUAGES = frozenset(
    p.stem
    for p in (Path(simplemma.__file__).parent / "strategies" / "dictionaries" / "data").glob(
        "*.plzma"
    )
)
MAX_PHRASE_WORDS = 3
# Japanese parts of speech that carry content (janome's IPA tags).
_JA_CONTENT = ("名詞", "形容詞", "動詞")
_JA_SKIP = ("非自立", "接尾", "代名詞", "数")


@dataclass(frozen=True, slots=True)
class Word:
    surface: str  # lowercased, as written
    lemma: str  # lowercased dictionary form
    stop: bool  # a stop word (or a Japanese function word): not content
    end: bool = False  # a phrase ends after it (punctuation followed)


def letters(text: str) -> int:
    """How many letters (of any script) the text holds."""
    return len(_LETTER.findall(text))


@cache
def stop_words(language: str) -> frozenset[str]:
    if not stopwordsiso.has_lang(language):
        return frozenset()
    return frozenset(w.lower() for w in stopwordsiso.stopwords(language))


class _Janome:
    """One tokenizer per process (loading its dictionary takes about 0.3 s), used by one
    thread at a time."""

    _lock = threading.Lock()
    _tokenizer: Any = None

    @classmethod
    def words(cls, text: str) -> list[Word]:
        with cls._lock:
            if cls._tokenizer is None:
                from janome.tokenizer import Tokenizer

                cls._tokenizer = Tokenizer()
            tokens = list(cls._tokenizer.tokenize(text))
        stops = stop_words("ja")
        out: list[Word] = []
        for token in tokens:
            pos = token.part_of_speech.split(",")
            surface = token.surface.lower()
            if pos[0] == "記号":  # punctuation: a phrase boundary
                if out:
                    out[-1] = Word(out[-1].surface, out[-1].lemma, out[-1].stop, end=True)
                continue
            base = token.base_form if token.base_form != "*" else token.surface
            content = pos[0] in _JA_CONTENT and pos[1] not in _JA_SKIP
            stop = (
                not content
                or surface in stops
                or base in stops
                or (len(base) < 2 and pos[0] != "名詞")
            )
            out.append(Word(surface, base.lower(), stop))
        return out


def words(text: str, language: str) -> list[Word]:
    """The words of `text` in `language` (an ISO 639-1 code, or "unknown")."""
    if language == "ja":
        return _Janome.words(text)
    stops = stop_words(language)
    lemmatize = language in LEMMA_LANGUAGES
    out: list[Word] = []
    position = 0
    for match in _WORD.finditer(text):
        if out and _boundary(text[position : match.start()]):
            last = out[-1]
            out[-1] = Word(last.surface, last.lemma, last.stop, end=True)
        position = match.end()
        surface = match.group().lower()
        lemma = simplemma.lemmatize(surface, lang=language).lower() if lemmatize else surface
        stop = surface in stops or lemma in stops or bool(_DIGITS.match(surface))
        out.append(Word(surface, lemma, stop or len(surface) < 2))
    return out


def _boundary(gap: str) -> bool:
    return _BOUNDARY.search(gap) is not None


def key_phrases(tokens: Sequence[Word], limit: int = 3) -> list[str]:
    """Up to `limit` key phrases: runs of content words (no stop word, no punctuation
    between them) of up to three words, as lemmas joined by a space, the longest and
    earliest first, no phrase twice and none inside another. RAKE's candidate rule
    (Rose et al., 2010), ranked for comments of a sentence or two."""
    runs: list[list[Word]] = []
    current: list[Word] = []
    for word in tokens:
        if word.stop:
            if current:
                runs.append(current)
            current = []
            continue
        current.append(word)
        if word.end or len(current) == MAX_PHRASE_WORDS:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    phrases: list[str] = []
    for run in sorted(runs, key=lambda r: -sum(len(w.lemma) for w in r)):
        phrase = " ".join(w.lemma for w in run)
        if any(phrase in kept for kept in phrases):
            continue
        phrases.append(phrase)
        if len(phrases) == limit:
            break
    return phrases
