"""The quality of comment analytics on the labelled set, per language (docs/text.md).

- **Language**: the identifier alone (no language given), accuracy.
- **Sentiment**, macro-F1 against the human labels, two ways:
  - `prior`: the model trained on the packaged seed sentences only (a new deployment);
  - `learnt`: five-fold cross-validation that learns as a deployment does: trained on
    the seeds and on the *scores* of the comments of the other four folds (never their
    human labels), tested on the fifth.
- **Themes**: precision and recall over (comment, theme) pairs, with the default
  themes: by keywords alone, and by keywords or meaning (the embedding route).

`python -m tests.text.evaluation` prints the table of docs/text.md.
"""

import json
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from app.text.embed import Embedder, load
from app.text.language import LanguageIdentifier
from app.text.pipeline import Comment, Enricher
from app.text.sentiment import CLASSES, label_from_scores, prior_from_seeds, seeds, train
from app.text.service import Runtime
from app.text.themes import ThemeSet, default_themes
from app.text.words import words

PATH = Path(__file__).with_name("comments.jsonl")
FOLDS = 5
THREADS = 2  # the tests' embedding threads everywhere: one model and one seed cache


@cache
def comments() -> tuple[dict[str, Any], ...]:
    return tuple(json.loads(line) for line in PATH.read_text("utf-8").splitlines() if line)


@cache
def embedder() -> Embedder:
    loaded = load(None, THREADS)
    assert loaded is not None, "the evaluation needs the packaged embedding model"
    return loaded


@cache
def vectors() -> np.ndarray[Any, Any]:
    return embedder().embed([c["text"] for c in comments()])


def seed_vectors() -> np.ndarray[Any, Any]:
    """The seeds' embeddings, embedded once per process (the service's own cache)."""
    return Runtime(threads=THREADS).seed_vectors()


def macro_f1(truth: list[int], predicted: list[int]) -> float:
    scores = []
    for k in range(len(CLASSES)):
        tp = sum(t == k and p == k for t, p in zip(truth, predicted, strict=True))
        fp = sum(t != k and p == k for t, p in zip(truth, predicted, strict=True))
        fn = sum(t == k and p != k for t, p in zip(truth, predicted, strict=True))
        if tp + fp + fn == 0:
            continue
        scores.append(2 * tp / (2 * tp + fp + fn))
    return sum(scores) / len(scores)


@dataclass(frozen=True)
class Quality:
    n: int
    language_accuracy: float
    sentiment_prior_f1: float
    sentiment_learnt_f1: float
    keyword_precision: float
    keyword_recall: float
    theme_precision: float
    theme_recall: float


def _by_language(values: dict[int, Any]) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = defaultdict(list)
    for i, value in sorted(values.items()):
        out[comments()[i]["language"]].append(value)
    return out


def language_predictions() -> dict[int, str]:
    identifier = LanguageIdentifier()
    return {i: identifier.resolve(c["text"], None).language for i, c in enumerate(comments())}


def sentiment_predictions() -> tuple[dict[int, int], dict[int, int]]:
    """(prior, learnt) class index per comment."""
    rows = comments()
    x = vectors()
    seed_labels = [label for _, _, label in seeds()]
    prior_model = prior_from_seeds(seed_vectors()).model
    prior = {i: int(p.argmax()) for i, p in enumerate(prior_model.probabilities(x))}
    labels = [label_from_scores(**_scores(c)) for c in rows]
    fold = [i % FOLDS for i in range(len(rows))]
    learnt: dict[int, int] = {}
    for f in range(FOLDS):
        train_rows = [i for i in range(len(rows)) if fold[i] != f and labels[i] is not None]
        model = train(
            seed_vectors(),
            seed_labels,
            x[train_rows],
            [int(labels[i]) for i in train_rows],  # type: ignore[arg-type]
            [rows[i]["language"] for i in train_rows],
        )
        test_rows = [i for i in range(len(rows)) if fold[i] == f]
        for i, p in zip(test_rows, model.probabilities(x[test_rows]), strict=True):
            learnt[i] = int(p.argmax())
    return prior, learnt


def _scores(comment: dict[str, Any]) -> dict[str, int | None]:
    score = comment.get("score", {})
    return {k: score.get(k) for k in ("nps", "csat", "ces")}


def theme_predictions() -> tuple[dict[int, set[str]], dict[int, set[str]]]:
    """(keywords only, keywords or meaning) themes per comment, given its language, as the
    enrichment finds them."""
    theme_set = ThemeSet(default_themes())
    prior = prior_from_seeds(seed_vectors())
    enricher = Enricher(LanguageIdentifier(), theme_set, embedder(), prior.model, prior.topic)
    insights, _ = enricher.enrich(
        [Comment(i, c["text"], c["language"]) for i, c in enumerate(comments())]
    )
    keywords = {
        i: theme_set.by_keywords(words(c["text"], c["language"]), c["language"])
        for i, c in enumerate(comments())
    }
    return keywords, {i.event_pk: set(i.themes) for i in insights}


def _precision_recall(pairs: list[tuple[set[str], set[str]]]) -> tuple[float, float]:
    tp = sum(len(t & p) for t, p in pairs)
    predicted = sum(len(p) for _, p in pairs)
    true = sum(len(t) for t, _ in pairs)
    return (tp / predicted if predicted else 1.0), (tp / true if true else 1.0)


@cache
def evaluate() -> dict[str, Quality]:
    """Quality per language, and "all"."""
    rows = comments()
    language = language_predictions()
    prior, learnt = sentiment_predictions()
    keywords, both = theme_predictions()
    groups: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(rows):
        groups[c["language"]].append(i)
        groups["all"].append(i)
    out = {}
    for name, members in sorted(groups.items()):
        truth = [CLASSES.index(rows[i]["sentiment"]) for i in members]
        kp, kr = _precision_recall([(set(rows[i]["themes"]), keywords[i]) for i in members])
        tp, tr = _precision_recall([(set(rows[i]["themes"]), both[i]) for i in members])
        out[name] = Quality(
            n=len(members),
            language_accuracy=sum(language[i] == rows[i]["language"] for i in members)
            / len(members),
            sentiment_prior_f1=macro_f1(truth, [prior[i] for i in members]),
            sentiment_learnt_f1=macro_f1(truth, [learnt[i] for i in members]),
            keyword_precision=kp,
            keyword_recall=kr,
            theme_precision=tp,
            theme_recall=tr,
        )
    return out


def table() -> str:
    lines = [
        "| language | n | language accuracy | sentiment macro-F1, seeds only | "
        "sentiment macro-F1, learnt from scores | themes precision | themes recall | "
        "keywords alone: precision / recall |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, q in evaluate().items():
        lines.append(
            f"| {name} | {q.n} | {q.language_accuracy:.3f} | {q.sentiment_prior_f1:.3f} | "
            f"{q.sentiment_learnt_f1:.3f} | {q.theme_precision:.3f} | {q.theme_recall:.3f} | "
            f"{q.keyword_precision:.3f} / {q.keyword_recall:.3f} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    print(table())  # noqa: T201
