"""Enriching comments: the pure part of the worker (no database).

For each comment: its language, its words, its key phrases, its themes, its
embedding and its sentiment. Comments of one batch that are the same text (after
trimming and case) are embedded once: short replies ("Thank you!") repeat a lot.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from app.text.embed import Embedder
from app.text.language import UNKNOWN, LanguageIdentifier
from app.text.sentiment import CLASSES, SentimentModel, label_from_scores
from app.text.themes import ThemeSet
from app.text.topic import Topic
from app.text.words import key_phrases, words

PIPELINE = "1"  # raise when a change of this code changes what it derives


@dataclass(frozen=True, slots=True)
class Comment:
    event_pk: int
    text: str
    language: str | None  # as the event gives it
    nps: int | None = None
    csat: int | None = None
    ces: int | None = None


@dataclass(frozen=True, slots=True)
class Insight:
    event_pk: int
    language: str
    language_source: str
    sentiment: str | None
    sentiment_score: float | None
    sentiment_source: str  # "model", "score" (no embedding model) or "none"
    themes: tuple[str, ...]
    key_phrases: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Example:
    """A scored comment's embedding and class, for retraining the sentiment model."""

    event_pk: int
    language: str
    label: int
    vector: npt.NDArray[np.float32]


class Enricher:
    def __init__(
        self,
        identifier: LanguageIdentifier,
        themes: ThemeSet,
        embedder: Embedder | None,
        sentiment: SentimentModel | None,
        topic: Topic | None,
    ) -> None:
        self.identifier = identifier
        self.themes = themes
        self.embedder = embedder
        self.sentiment = sentiment
        self.topic = topic
        if embedder is not None and topic is not None and themes.example_vectors is None:
            examples = [e for _, e in themes.examples()]
            languages = [identifier.resolve(e, None).language for e in examples]
            themes.set_example_vectors(topic.project(embedder.embed(examples), languages))

    def vectors(self, texts: Sequence[str]) -> npt.NDArray[np.float32] | None:
        """One embedding per text (None without the model): texts that differ only in
        spaces and case are embedded once, as the first of them is written."""
        if self.embedder is None:
            return None
        first: dict[str, str] = {}  # by the text with spaces and case evened out: as written
        keys = [" ".join(t.split()).lower() for t in texts]
        for key, text in zip(keys, texts, strict=True):
            first.setdefault(key, text)
        embedded = self.embedder.embed(list(first.values()))
        row = {key: i for i, key in enumerate(first)}
        return embedded[[row[k] for k in keys]] if len(keys) else embedded

    def enrich(self, comments: Sequence[Comment]) -> tuple[list[Insight], list[Example]]:
        vectors = self.vectors([c.text for c in comments])
        resolved = [self.identifier.resolve(c.text, c.language) for c in comments]
        meaning = (
            self.themes.by_meaning(self.topic.project(vectors, [r.language for r in resolved]))
            if vectors is not None and self.topic is not None
            else None
        )
        predicted = (
            self.sentiment.predict(vectors)
            if vectors is not None and self.sentiment is not None
            else None
        )
        insights: list[Insight] = []
        examples: list[Example] = []
        for i, (comment, language) in enumerate(zip(comments, resolved, strict=True)):
            tokens = words(comment.text, language.language)
            themes = self.themes.by_keywords(tokens, language.language)
            if meaning is not None:
                themes |= meaning[i]
            label = label_from_scores(comment.nps, comment.csat, comment.ces)
            if predicted is not None:
                sentiment, score, source = *predicted[i], "model"
            elif label is not None:  # no embedding model: the score's class
                sentiment, score, source = CLASSES[label], float(label - 1), "score"
            else:
                sentiment, score, source = None, None, "none"
            insights.append(
                Insight(
                    event_pk=comment.event_pk,
                    language=language.language,
                    language_source=language.source,
                    sentiment=sentiment,
                    sentiment_score=score,
                    sentiment_source=source,
                    themes=tuple(t.name for t in self.themes.themes if t.name in themes),
                    key_phrases=tuple(key_phrases(tokens)),
                )
            )
            if vectors is not None and label is not None and language.language != UNKNOWN:
                examples.append(Example(comment.event_pk, language.language, label, vectors[i]))
        return insights, examples
