"""Each step of the enrichment on its own: language, words and key phrases, keywords."""

import pytest

from app.text.language import LanguageIdentifier, primary
from app.text.sentiment import label_from_scores
from app.text.themes import Theme, ThemeSet
from app.text.words import key_phrases, words

IDENTIFIER = LanguageIdentifier()


@pytest.mark.parametrize(
    ("text", "given", "language", "source"),
    [
        ("Die Kassiererin war sehr unfreundlich zu uns.", None, "de", "detected"),
        ("Die Kassiererin war sehr unfreundlich zu uns.", "de-AT", "de", "given"),
        # A given tag stands where the text is too short to judge...
        ("Top!", "pt-BR", "pt", "given"),
        # ...and is overruled where the text clearly says otherwise.
        ("Очень долго ждали на кассе, продавец нагрубил.", "en", "ru", "detected"),
        ("👍👍", "en", "unknown", "unknown"),
        ("10/10", None, "unknown", "unknown"),
    ],
)
def test_language(text: str, given: str | None, language: str, source: str) -> None:
    resolved = IDENTIFIER.resolve(text, given)
    assert (resolved.language, resolved.source) == (language, source)


def test_primary_subtag() -> None:
    assert [primary(t) for t in ("pt-BR", "zh_Hant", "EN", "x", None, "123")] == [
        "pt", "zh", "en", None, None, None,
    ]  # fmt: skip


def test_key_phrases_are_runs_of_content_words_as_lemmas() -> None:
    ru = words("Очень долго ждали на кассе, продавец нагрубил.", "ru")
    assert key_phrases(ru) == ["продавец нагрубить", "касса"]
    ja = words("レジの待ち時間が長すぎて、店員さんの態度も悪かったです。", "ja")
    assert "待ち時間" in key_phrases(ja, limit=5)
    assert key_phrases(words("and the", "en")) == []


def test_keywords_match_lemmas_prefixes_and_suffixes() -> None:
    themes = ThemeSet([
        Theme("payment", "Payment", keywords={"de": ("*zahlung", "terminal kaputt")}),
        Theme("waiting", "Waiting", keywords={"hu": ("várakoz*",), "en": ("queue",)}),
    ])  # fmt: skip
    assert themes.by_keywords(words("Kartenzahlung ging nicht.", "de"), "de") == {"payment"}
    assert themes.by_keywords(words("Das Terminal war kaputt.", "de"), "de") == set()
    assert themes.by_keywords(words("Terminal kaputt!", "de"), "de") == {"payment"}
    assert themes.by_keywords(words("Sokat kellett várakozni.", "hu"), "hu") == {"waiting"}
    assert themes.by_keywords(words("The queues were long", "en"), "en-GB") == {"waiting"}
    assert themes.by_keywords(words("The queues were long", "en"), "de") == set()


def test_digest_changes_with_any_definition() -> None:
    a = ThemeSet([Theme("parking", "Parking", examples=("no space",))])
    b = ThemeSet([Theme("parking", "Parking", examples=("no space at all",))])
    assert a.digest != b.digest
    assert a.digest == ThemeSet([Theme("parking", "Parking", examples=("no space",))]).digest


@pytest.mark.parametrize(
    ("nps", "csat", "ces", "label"),
    [(6, None, None, 0), (7, 5, None, 1), (9, 1, None, 2), (None, 3, None, 1),
     (None, None, 3, 0), (None, None, 4, 1), (None, None, 5, 2), (None, None, None, None)],
)  # fmt: skip
def test_the_class_a_score_implies(
    nps: int | None, csat: int | None, ces: int | None, label: int | None
) -> None:
    assert label_from_scores(nps, csat, ces) == label
