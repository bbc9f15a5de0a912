"""Sentiment of a comment: negative, neutral or positive, learnt from the scores.

A multinomial logistic regression over the comment's embedding. It learns from two
sources at once:

- the **prior**: hand-written seed sentences in 14 languages, labelled by hand
  (`data/sentiment_seeds.json`), so that a new deployment has a model on day one;
- the **deployment's own scored comments**: a comment that came with a score is a
  labelled example (NPS 0-6, CSAT 1-2, CES 1-3: negative; NPS 7-8, CSAT 3, CES 4:
  neutral; NPS 9-10, CSAT 4-5, CES 5-7: positive; NPS first, then CSAT, then CES).
  The enrichment keeps the most recent `EXAMPLES_PER_CLASS` of each language and
  class (`text_examples`), so retraining needs no second pass over the text.

With few examples of its own the seeds carry the model; with thousands they are a
small part of it: this chain's words win. Embeddings are multilingual, so one
model serves every language, and a language with few scored comments borrows from
the others. `score` is P(positive) - P(negative), in [-1, 1].
"""

import hashlib
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from app.text.topic import Topic
from app.vocabulary import SENTIMENTS

CLASSES = SENTIMENTS  # class indices 0, 1, 2
SEEDS_PATH = Path(__file__).with_name("data") / "sentiment_seeds.json"
# The model trained on the seeds alone with the packaged embedding model, so that a new
# deployment need not embed the seeds (20 s) on its first round. `scripts/text-prior`
# writes it; tests/text/test_quality.py checks it is what the seeds give.
PRIOR_PATH = Path(__file__).with_name("data") / "sentiment_prior.json"
EXAMPLES_PER_CLASS = 2000  # kept per language and class for retraining
REGULARISATION = 10.0  # C of the logistic regression on unit vectors (docs/text.md)


def label_from_scores(nps: int | None, csat: int | None, ces: int | None) -> int | None:
    """The class index a score implies (0 negative, 1 neutral, 2 positive), or None."""
    if nps is not None:
        return 0 if nps <= 6 else 1 if nps <= 8 else 2
    if csat is not None:
        return 0 if csat <= 2 else 1 if csat == 3 else 2
    if ces is not None:
        return 0 if ces <= 3 else 1 if ces == 4 else 2
    return None


@cache
def seeds() -> tuple[tuple[str, str, int], ...]:
    """(language, text, class index) of every seed sentence."""
    data: dict[str, dict[str, list[str]]] = json.loads(SEEDS_PATH.read_text("utf-8"))
    return tuple(
        (language, text, CLASSES.index(label))
        for language, labels in sorted(data.items())
        for label, texts in labels.items()
        for text in texts
    )


def seeds_digest() -> str:
    return hashlib.sha256(SEEDS_PATH.read_bytes()).hexdigest()[:16]


@dataclass(frozen=True)
class SentimentModel:
    coef: npt.NDArray[np.float64]  # (classes, dim)
    intercept: npt.NDArray[np.float64]  # (classes,)
    trained_on: dict[str, Any] = field(default_factory=dict)

    def probabilities(self, vectors: npt.NDArray[np.float32]) -> npt.NDArray[np.float64]:
        logits = vectors.astype(np.float64) @ self.coef.T + self.intercept
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        out: npt.NDArray[np.float64] = exp / exp.sum(axis=1, keepdims=True)
        return out

    def predict(self, vectors: npt.NDArray[np.float32]) -> list[tuple[str, float]]:
        """(class, P(positive) - P(negative)) per row."""
        p = self.probabilities(vectors)
        return [(CLASSES[int(row.argmax())], round(float(row[2] - row[0]), 4)) for row in p]

    def to_json(self) -> dict[str, Any]:
        return {
            "classes": list(CLASSES),
            "coef": self.coef.round(6).tolist(),
            "intercept": self.intercept.round(6).tolist(),
            "trained_on": self.trained_on,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "SentimentModel":
        return cls(
            np.asarray(data["coef"], dtype=np.float64),
            np.asarray(data["intercept"], dtype=np.float64),
            data.get("trained_on", {}),
        )


def train(
    seed_vectors: npt.NDArray[np.float32],
    seed_labels: Sequence[int],
    vectors: npt.NDArray[np.float32],
    labels: Sequence[int],
    languages: Sequence[str],
) -> SentimentModel:
    """Fit the model on the seeds and the deployment's examples (`languages` says whose
    language each example is, for the record of what it was trained on)."""
    from sklearn.linear_model import LogisticRegression

    x = np.vstack([seed_vectors, vectors]) if len(vectors) else seed_vectors
    y = np.concatenate([np.asarray(seed_labels), np.asarray(labels, dtype=int)])
    # Solved to the optimum (tol well below the default 1e-4, where L-BFGS stops early):
    # an early stop depends on the last bits of the embeddings, which differ between CPUs
    # (SIMD paths), and moved the coefficients by up to 0.1; at the optimum, by < 0.004.
    fitted = LogisticRegression(C=REGULARISATION, max_iter=3000, tol=1e-8).fit(x, y)
    coef, intercept = fitted.coef_, fitted.intercept_  # the seeds hold every class
    counts = Counter(zip(languages, (CLASSES[i] for i in labels), strict=True))
    by_language: dict[str, dict[str, int]] = {}
    for (language, label), n in sorted(counts.items()):
        by_language.setdefault(language, {})[label] = n
    return SentimentModel(
        np.asarray(coef, dtype=np.float64),
        np.asarray(intercept, dtype=np.float64),
        {"seeds": len(seed_labels), "examples": len(labels), "by_language": by_language},
    )


@dataclass(frozen=True)
class Prior:
    """What the seeds give with one embedding model: the seeds-only sentiment model and
    the topic projection (app/text/topic.py)."""

    model: SentimentModel
    topic: Topic


def prior_from_seeds(vectors: npt.NDArray[np.float32]) -> Prior:
    """`vectors`: the embeddings of `seeds()`, in order."""
    rows = seeds()
    labels = [label for _, _, label in rows]
    empty = np.zeros((0, vectors.shape[1]), dtype=np.float32)
    return Prior(
        train(vectors, labels, empty, [], []),
        Topic.from_seeds(vectors, [language for language, _, _ in rows], labels),
    )


def packaged_prior(embedder: str) -> Prior | None:
    """The shipped prior, if it was made with `embedder` from these seeds."""
    if not PRIOR_PATH.exists():
        return None
    data = json.loads(PRIOR_PATH.read_text("utf-8"))
    if data["embedder"] != embedder or data["seeds"] != seeds_digest():
        return None
    return Prior(SentimentModel.from_json(data["model"]), Topic.from_json(data["topic"]))


def write_prior(prior: Prior, embedder: str) -> None:
    data = {
        "embedder": embedder,
        "seeds": seeds_digest(),
        "model": prior.model.to_json(),
        "topic": prior.topic.to_json(),
    }
    PRIOR_PATH.write_text(json.dumps(data, separators=(",", ":")) + "\n", "utf-8")
