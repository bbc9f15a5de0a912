"""The labelled evaluation set of short feedback comments stays well-formed.

`comments.jsonl` holds short comments (673 when written), one JSON object a line, as
customers of a retail chain write them about its stores, web shop, app, deliveries and
call centre: English, German, Portuguese (Portugal and Brazil), Russian, Hungarian and
Japanese (about 100 each) and Spanish (55). Each is labelled with its language, its
sentiment as a careful reader judges the text itself (not the score; mixed, mild and
factual comments are neutral, irony by what it means), zero or more themes of the
default customer-service taxonomy, the channel it came through and, on about four
lines in five, the score the customer plausibly gave with it (a few disagree with the
text, as real scores do; CES 7 is "very easy").

A theme is labelled when the comment is about it, praise, complaint or question, not
when a word merely appears: a faulty product taken back is `returns`, not
`product_quality`; a store's own delivery of stock is not `delivery`.

The set is the proof for comment analytics in every language (issue 19): it measures
language identification accuracy, sentiment macro-F1 and theme precision/recall per
language. It was written for this project, by hand, on 2026-12-05: no line comes from
a dataset or a website, and none holds personal data.

These tests check the form of the set (so an edit cannot break it silently), never
whether a label is right: that is for a human reader.
"""

import json
import re
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import pytest

PATH = Path(__file__).with_name("comments.jsonl")

MIN_COMMENTS = {"en": 90, "de": 90, "pt": 90, "ru": 90, "hu": 90, "ja": 90, "es": 40}
MIN_TOTAL = 640
LANGUAGES = tuple(MIN_COMMENTS)
THEMES = (
    "waiting",
    "staff_friendliness",
    "staff_competence",
    "price",
    "product_quality",
    "availability",
    "cleanliness",
    "payment",
    "delivery",
    "returns",
    "website_app",
    "opening_hours",
)
MIN_THEME = {"es": 3}  # every other language: 6
SENTIMENT_BANDS = {"negative": (0.30, 0.50), "neutral": (0.15, 0.35), "positive": (0.25, 0.45)}
CHANNELS = {"pos", "web", "app", "email", "sms", "kiosk", "phone", "chat", "in_person"}
SCALES = {"nps": (0, 10), "csat": (1, 5), "ces": (1, 7)}
REQUIRED = {"id", "text", "language", "sentiment", "themes", "channel"}
OPTIONAL = {"score"}

Comment = dict[str, Any]


@cache
def lines() -> tuple[str, ...]:
    return tuple(PATH.read_text(encoding="utf-8").splitlines())


@cache
def comments() -> tuple[Comment, ...]:
    return tuple(json.loads(line) for line in lines())


def of_language(language: str) -> list[Comment]:
    return [c for c in comments() if c["language"] == language]


def test_every_line_is_one_json_object() -> None:
    raw = PATH.read_bytes()
    assert raw.endswith(b"\n")
    assert not raw.startswith(b"\xef\xbb\xbf")  # no byte-order mark
    bad = []
    for number, line in enumerate(lines(), start=1):
        if line != line.strip():
            bad.append(f"line {number}: blank, or spaces around it")
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as error:
            bad.append(f"line {number}: {error}")
            continue
        if not isinstance(value, dict):
            bad.append(f"line {number}: not an object")
    assert bad == []


def test_every_comment_has_the_required_keys_and_types() -> None:
    bad = []
    for c in comments():
        keys = set(c)
        if REQUIRED - keys or keys - REQUIRED - OPTIONAL:
            bad.append(f"{c.get('id')}: keys {sorted(keys)}")
            continue
        for key in ("id", "text", "language", "sentiment", "channel"):
            if not isinstance(c[key], str) or not c[key]:
                bad.append(f"{c['id']}: {key} is not a non-empty string")
        if isinstance(c["text"], str) and c["text"] != c["text"].strip():
            bad.append(f"{c['id']}: text has spaces around it")
        themes = c["themes"]
        if not isinstance(themes, list) or not all(isinstance(t, str) for t in themes):
            bad.append(f"{c['id']}: themes is not a list of strings")
        if "score" in c and not isinstance(c["score"], dict):
            bad.append(f"{c['id']}: score is not an object")
    assert bad == []


def test_ids_are_unique_and_name_the_language() -> None:
    ids = Counter(c["id"] for c in comments())
    assert [i for i, n in ids.items() if n > 1] == []
    wrong = [
        c["id"]
        for c in comments()
        if not re.fullmatch(rf"{re.escape(c['language'])}-\d{{3}}", c["id"])
    ]
    assert wrong == []


def test_values_are_from_the_allowed_sets() -> None:
    bad = []
    for c in comments():
        if c["language"] not in MIN_COMMENTS:
            bad.append(f"{c['id']}: language {c['language']!r}")
        if c["sentiment"] not in SENTIMENT_BANDS:
            bad.append(f"{c['id']}: sentiment {c['sentiment']!r}")
        if c["channel"] not in CHANNELS:
            bad.append(f"{c['id']}: channel {c['channel']!r}")
        unknown = set(c["themes"]) - set(THEMES)
        if unknown:
            bad.append(f"{c['id']}: themes {sorted(unknown)}")
        if len(set(c["themes"])) != len(c["themes"]):
            bad.append(f"{c['id']}: a theme twice")
    assert bad == []


def test_every_language_has_its_minimum_number_of_comments() -> None:
    counts = Counter(c["language"] for c in comments())
    short = {lang: counts[lang] for lang, least in MIN_COMMENTS.items() if counts[lang] < least}
    assert short == {}
    assert len(comments()) >= MIN_TOTAL


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_theme_appears_often_enough_in_the_language(language: str) -> None:
    counts = Counter(t for c in of_language(language) for t in c["themes"])
    least = MIN_THEME.get(language, 6)
    assert {t: counts[t] for t in THEMES if counts[t] < least} == {}


@pytest.mark.parametrize("language", LANGUAGES)
def test_sentiment_shares_of_the_language_are_within_their_bands(language: str) -> None:
    rows = of_language(language)
    counts = Counter(c["sentiment"] for c in rows)
    shares = {s: counts[s] / len(rows) for s in SENTIMENT_BANDS}
    outside = {
        s: round(share, 3)
        for s, share in shares.items()
        if not SENTIMENT_BANDS[s][0] <= share <= SENTIMENT_BANDS[s][1]
    }
    assert outside == {}


@pytest.mark.parametrize("language", LANGUAGES)
def test_some_comments_have_no_theme_and_some_have_several(language: str) -> None:
    """About 10-15 % have no theme and 20-30 % two or more; the bands here are looser."""
    rows = of_language(language)
    none = sum(1 for c in rows if not c["themes"]) / len(rows)
    several = sum(1 for c in rows if len(c["themes"]) >= 2) / len(rows)
    assert 0.08 <= none <= 0.18, none
    assert 0.18 <= several <= 0.35, several


def test_no_text_appears_twice() -> None:
    texts = Counter(" ".join(c["text"].casefold().split()) for c in comments())
    assert [t for t, n in texts.items() if n > 1] == []


def test_scores_are_one_metric_within_its_scale() -> None:
    bad = []
    for c in comments():
        score = c.get("score")
        if score is None:
            continue
        if len(score) != 1:
            bad.append(f"{c['id']}: {score}")
            continue
        ((metric, value),) = score.items()
        if metric not in SCALES:
            bad.append(f"{c['id']}: metric {metric!r}")
        elif isinstance(value, bool) or not isinstance(value, int):
            bad.append(f"{c['id']}: {metric} {value!r} is not a whole number")
        elif not SCALES[metric][0] <= value <= SCALES[metric][1]:
            bad.append(f"{c['id']}: {metric} {value} outside {SCALES[metric]}")
    assert bad == []


def test_most_comments_carry_a_score() -> None:
    share = sum(1 for c in comments() if "score" in c) / len(comments())
    assert 0.7 <= share <= 0.9, share
