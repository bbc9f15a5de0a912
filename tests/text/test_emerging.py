"""Emerging themes (`GET /v1/themes/emerging`): a planted burst of unthemed comments is
found as one group with its counts, phrases and examples, among stable background words
that are not; themed comments never count; a branch key reads its branch only; the
statistics against hand-computed values.

Events and insights are inserted directly (no enrichment worker): what is tested is
the reading, on exactly known rows. Every instant derives from NOW."""

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from typing import Any

import asyncpg
import httpx
import pytest

from app.feedback import partitions
from app.stats import benjamini_hochberg, binomial_upper_tail
from app.text.emerging import (
    Hit,
    WordTest,
    build_groups,
    group_words,
    growing,
    rate_ratio,
    word_tests,
)
from tests.conftest import MakeKey

NOW = datetime.now(UTC).replace(microsecond=0)
WINDOW = timedelta(days=30)
START = NOW - WINDOW  # the current window [START, NOW); the previous [START - WINDOW, START)
PARAMS = {"from": START.isoformat(), "to": NOW.isoformat()}
URL = "/v1/themes/emerging"


@dataclass(frozen=True)
class Row:
    event_id: str
    occurred_at: datetime
    location_id: str
    language: str
    key_phrases: tuple[str, ...]
    comment: str = ""
    themes: tuple[str, ...] = ()
    sentiment: str | None = "neutral"
    respondent_type: str = "customer"
    current: bool = field(default=True)


BACKGROUND = {  # the same phrases, as often, in both windows: nothing grows
    ("vie-07", "de"): ["freundlich personal", "sauber laden", "gut kaffee", "schnell service"],
    ("lis-03", "pt"): ["loja limpa", "pão fresco", "bom café", "atendimento simpático"],
    # "terminal" in English too: a word counts in its own language only.
    ("vie-07", "en"): ["nice store", "good coffee", "friendly staff", "card terminal"],
    ("lis-03", "en"): ["nice store", "fresh bread", "friendly staff"],
}
PER_WINDOW = 48  # background comments per (branch, language) and window


def background() -> list[Row]:
    rows = []
    for (branch, language), phrases in BACKGROUND.items():
        for current, start in ((True, START), (False, START - WINDOW)):
            for i in range(PER_WINDOW):
                at = start + (i + 0.5) * WINDOW / PER_WINDOW
                phrase = phrases[i % len(phrases)]
                rows.append(
                    Row(f"bg-{branch}-{language}-{int(current)}-{i}", at, branch, language,
                        (phrase,), comment=phrase, current=current)
                )  # fmt: skip
    return rows


def burst_de() -> list[Row]:
    """A card terminal breaks at vie-07: 30 comments now (the three most recent first),
    2 before."""
    rows = []
    for k in range(30):
        phrase = "terminal kaputt" if k < 16 else "terminal defekt"
        sentiment = "neutral" if k in (5, 20) else None if k == 7 else "negative"
        rows.append(
            Row(f"burst-de-{k}", NOW - timedelta(hours=k + 1), "vie-07", "de", (phrase,),
                comment=f"{phrase.capitalize()}! ({k})", sentiment=sentiment)
        )  # fmt: skip
    for k, phrase in enumerate(("terminal kaputt", "terminal defekt")):
        rows.append(
            Row(f"before-de-{k}", START - timedelta(days=10 + k), "vie-07", "de", (phrase,),
                comment=phrase, sentiment="negative", current=False)
        )  # fmt: skip
    return rows


def burst_pt() -> list[Row]:
    """The cash machine at lis-03: 20 comments now, 1 before."""
    # "fila" (queue) in 4 of them: too few to be tested, so no word of the group.
    rows = [
        Row(f"burst-pt-{k}", NOW - timedelta(hours=2 * k + 1, minutes=30), "lis-03", "pt",
            ("multibanco avariado", "fila") if k < 4 else ("multibanco avariado",),
            comment=f"Multibanco avariado ({k})", sentiment="negative")
        for k in range(20)
    ]  # fmt: skip
    rows.append(
        Row("before-pt", START - timedelta(days=3), "lis-03", "pt", ("multibanco avariado",),
            comment="multibanco avariado", sentiment="negative", current=False)
    )  # fmt: skip
    return rows


def themed() -> list[Row]:
    """Comments that fit a theme: however much they grow, they are not emerging."""
    return [
        Row(f"themed-{k}", NOW - timedelta(hours=k + 1, minutes=15), "vie-07", "de",
            ("terminal kaputt", "karte gesperrt"), comment="Terminal kaputt, Karte gesperrt",
            themes=("payment",), sentiment="negative")
        for k in range(25)
    ]  # fmt: skip


def staff() -> list[Row]:
    """Internal respondents (store staff): not customers, so not counted by default."""
    return [
        Row(f"staff-{k}", NOW - timedelta(hours=k + 2), "vie-07", "de", ("drucker defekt",),
            comment="Drucker defekt", respondent_type="internal", sentiment="negative")
        for k in range(20)
    ]  # fmt: skip


async def plant(conn: asyncpg.Connection, rows: Iterable[Row]) -> None:
    rows = list(rows)
    await partitions.ensure(conn, [r.occurred_at for r in rows])
    await conn.executemany(
        "INSERT INTO feedback_events (event_id, occurred_at, received_at, channel, location_id, "
        "respondent_type, comment, language) VALUES ($1, $2, $2, 'pos', $3, $4, $5, $6)",
        [(r.event_id, r.occurred_at, r.location_id, r.respondent_type, r.comment or "x",
          r.language) for r in rows],
    )  # fmt: skip
    ids = dict(
        await conn.fetch(
            "SELECT event_id, id FROM feedback_events WHERE event_id = ANY($1::text[])",
            [r.event_id for r in rows],
        )
    )
    await conn.executemany(
        "INSERT INTO comment_insights (event_pk, language, language_source, sentiment, "
        "sentiment_score, sentiment_source, themes, key_phrases, version) "
        "VALUES ($1, $2, 'given', $3, 0, 'model', $4, $5, 'test')",
        [(ids[r.event_id], r.language, r.sentiment, list(r.themes), list(r.key_phrases))
         for r in rows],
    )  # fmt: skip


def counted(rows: Iterable[Row], branches: set[str]) -> tuple[int, int]:
    """n1, n0: the unthemed customers' comments of each window at these branches."""
    chosen = [
        r for r in rows
        if not r.themes and r.respondent_type == "customer" and r.location_id in branches
    ]  # fmt: skip
    return sum(r.current for r in chosen), sum(not r.current for r in chosen)


def words_reaching(rows: Iterable[Row], branches: set[str], min_comments: int = 5) -> int:
    """How many (language, word) pairs of the current window reach `min_comments`."""
    mentions: dict[tuple[str, str], int] = {}
    for r in rows:
        if (
            r.current
            and not r.themes
            and r.respondent_type == "customer"
            and (r.location_id in branches)
        ):
            for word in {w for p in r.key_phrases for w in p.split(" ") if len(w) >= 2}:
                mentions[r.language, word] = mentions.get((r.language, word), 0) + 1
    return sum(1 for c in mentions.values() if c >= min_comments)


def exact_tail(k: int, n: int, p: Fraction) -> float:
    """P(X >= k), X ~ Binomial(n, p), in exact rational arithmetic."""
    a, b = p.numerator, p.denominator
    total = sum(math.comb(n, i) * a**i * (b - a) ** (n - i) for i in range(k, n + 1))
    return float(Fraction(total, b**n))


ALL = [*background(), *burst_de(), *burst_pt(), *themed(), *staff()]
BOTH = {"vie-07", "lis-03"}


@pytest.fixture
async def planted(conn: asyncpg.Connection) -> list[Row]:
    await plant(conn, ALL)
    return ALL


def words_of(answer: dict[str, Any]) -> list[list[str]]:
    return [[w["word"] for w in g["words"]] for g in answer["groups"]]


async def test_a_planted_burst_is_one_group_with_its_counts_and_examples(
    client: httpx.AsyncClient, read_key: dict[str, str], planted: list[Row]
) -> None:
    response = await client.get(URL, params=PARAMS, headers=read_key)
    assert response.status_code == 200, response.text
    answer = response.json()
    n1, n0 = counted(planted, BOTH)
    assert (answer["comments"], answer["previous_comments"]) == (n1, n0)
    assert answer["from"] == START.isoformat().replace("+00:00", "Z")
    assert answer["previous_from"] == (START - WINDOW).isoformat().replace("+00:00", "Z")
    assert answer["previous_to"] == answer["from"]
    assert answer["words_tested"] == words_reaching(planted, BOTH)
    assert answer["method"] == {"min_comments": 5, "fdr": 0.05, "min_ratio": 1.5,
                                "min_jaccard": 0.25}  # fmt: skip
    # Exactly the two bursts; no background word, nothing of the themed or staff comments.
    assert words_of(answer) == [["terminal", "kaputt", "defekt"], ["avariado", "multibanco"]]
    assert (answer["words_significant"], answer["groups_found"]) == (5, 2)

    de, pt = answer["groups"]
    assert de["language"] == "de"
    assert (de["comments"], de["previous_comments"]) == (30, 2)
    assert de["ratio"] == pytest.approx((30 / n1) / (2.5 / (n0 + 0.5)))
    terminal = de["words"][0]
    assert (terminal["comments"], terminal["previous_comments"]) == (30, 2)
    p = exact_tail(30, 32, Fraction(n1, n1 + n0))
    assert terminal["p_value"] == pytest.approx(p, rel=1e-9)
    assert terminal["p_value"] <= terminal["adjusted_p"] <= 0.05
    assert de["adjusted_p"] == min(w["adjusted_p"] for w in de["words"])
    assert [(w["word"], w["comments"], w["previous_comments"]) for w in de["words"]] == [
        ("terminal", 30, 2), ("kaputt", 16, 1), ("defekt", 14, 1),
    ]  # fmt: skip
    assert de["phrases"] == [
        {"phrase": "terminal kaputt", "comments": 16},
        {"phrase": "terminal defekt", "comments": 14},
    ]
    assert [e["event_id"] for e in de["examples"]] == ["burst-de-0", "burst-de-1", "burst-de-2"]
    assert de["examples"][0] == {
        "event_id": "burst-de-0",
        "occurred_at": (NOW - timedelta(hours=1)).isoformat().replace("+00:00", "Z"),
        "comment": "Terminal kaputt! (0)",
        "sentiment": "negative",
    }
    assert de["sentiment"] == {"negative": 27, "neutral": 2, "positive": 0, "none": 1}

    assert pt["language"] == "pt"
    assert (pt["comments"], pt["previous_comments"]) == (20, 1)
    # A phrase of the group's comments without a group word ("fila") is not shown.
    assert pt["phrases"] == [{"phrase": "multibanco avariado", "comments": 20}]
    assert len(pt["examples"]) == 3


async def test_themed_comments_and_other_respondents_never_count(
    client: httpx.AsyncClient, read_key: dict[str, str], conn: asyncpg.Connection
) -> None:
    # Only the themed and staff bursts, over a quiet background: nothing emerges.
    rows = [*background(), *themed(), *staff()]
    await plant(conn, rows)
    answer = (await client.get(URL, params=PARAMS, headers=read_key)).json()
    assert (answer["comments"], answer["previous_comments"]) == counted(rows, BOTH)
    assert answer["groups"] == []
    # The staff's comments are read when asked for; the themed ones never are.
    asked = {**PARAMS, "respondent_type": "internal"}
    answer = (await client.get(URL, params=asked, headers=read_key)).json()
    assert (answer["comments"], answer["previous_comments"]) == (20, 0)
    # No comments before: every word is as likely now as ever (p = 1), nothing grows.
    assert answer["groups"] == []
    assert answer["words_tested"] == 2


async def test_a_branch_key_sees_only_its_branch(
    client: httpx.AsyncClient, make_key: MakeKey, planted: list[Row]
) -> None:
    vienna = await make_key("read", location_id="vie-07")
    answer = (await client.get(URL, params=PARAMS, headers=vienna)).json()
    assert words_of(answer) == [["terminal", "kaputt", "defekt"]]
    assert (answer["comments"], answer["previous_comments"]) == counted(planted, {"vie-07"})
    assert answer["words_tested"] == words_reaching(planted, {"vie-07"})

    lisbon = await make_key("read", location_id="lis-03")
    answer = (await client.get(URL, params=PARAMS, headers=lisbon)).json()
    assert words_of(answer) == [["avariado", "multibanco"]]
    assert [e["event_id"] for e in answer["groups"][0]["examples"]] == [
        "burst-pt-0", "burst-pt-1", "burst-pt-2",
    ]  # fmt: skip

    other = await client.get(URL, params={**PARAMS, "location_id": "lis-03"}, headers=vienna)
    assert other.status_code == 403
    assert other.headers["content-type"] == "application/problem+json"


async def test_filters_narrow_the_population(
    client: httpx.AsyncClient, read_key: dict[str, str], planted: list[Row]
) -> None:
    answer = (
        await client.get(URL, params={**PARAMS, "location_id": "lis-03"}, headers=read_key)
    ).json()
    assert words_of(answer) == [["avariado", "multibanco"]]
    assert (answer["comments"], answer["previous_comments"]) == counted(planted, {"lis-03"})
    answer = (await client.get(URL, params={**PARAMS, "limit": 1}, headers=read_key)).json()
    assert words_of(answer) == [["terminal", "kaputt", "defekt"]]
    assert answer["groups_found"] == 2
    # Above every word's mentions (the most: "terminal", 30; "nice" 12 + 16).
    answer = (await client.get(URL, params={**PARAMS, "min_comments": 31}, headers=read_key)).json()
    assert (answer["words_tested"], answer["groups"]) == (0, [])


async def test_an_explicit_previous_window(
    client: httpx.AsyncClient, read_key: dict[str, str], planted: list[Row]
) -> None:
    # The last 15 days against the 15 before: the bursts (all in the last 3 days) grow
    # against a window without them.
    half = START + WINDOW / 2
    params = {"from": half.isoformat(), "to": NOW.isoformat(),
              "previous_from": START.isoformat(), "previous_to": half.isoformat()}  # fmt: skip
    answer = (await client.get(URL, params=params, headers=read_key)).json()
    assert answer["previous_from"] == START.isoformat().replace("+00:00", "Z")
    assert words_of(answer) == [["terminal", "kaputt", "defekt"], ["avariado", "multibanco"]]
    assert [(g["comments"], g["previous_comments"]) for g in answer["groups"]] == [(30, 0), (20, 0)]


async def test_employee_filter_needs_an_admin_key(
    client: httpx.AsyncClient, read_key: dict[str, str], admin_key: dict[str, str]
) -> None:
    params = {**PARAMS, "employee_id": "e-17"}
    refused = await client.get(URL, params=params, headers=read_key)
    assert refused.status_code == 403
    assert refused.headers["content-type"] == "application/problem+json"
    assert (await client.get(URL, params=params, headers=admin_key)).status_code == 200


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"min_comments": "1"}, "min_comments"),
        ({"min_comments": "many"}, "min_comments"),
        ({"fdr": "0"}, "fdr"),
        ({"fdr": "0.9"}, "fdr"),
        ({"fdr": "nan"}, "fdr"),
        ({"limit": "0"}, "limit"),
        ({"limit": "51"}, "limit"),
        ({"previous_from": "2026-01-01"}, "previous_to"),
        ({"to": "not a time"}, "to"),
    ],
)
async def test_bad_parameters_are_problems(
    client: httpx.AsyncClient, read_key: dict[str, str], params: dict[str, str], field: str
) -> None:
    response = await client.get(URL, params={**PARAMS, **params}, headers=read_key)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 422
    assert [e["loc"] for e in problem["errors"]] == [["query", field]]


async def test_a_previous_window_overlapping_the_window_is_refused(
    client: httpx.AsyncClient, read_key: dict[str, str]
) -> None:
    params = {**PARAMS, "previous_from": (START - WINDOW).isoformat(),
              "previous_to": (START + timedelta(days=1)).isoformat()}  # fmt: skip
    response = await client.get(URL, params=params, headers=read_key)
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["query", "previous_to"]


async def test_unauthenticated_is_401(client: httpx.AsyncClient) -> None:
    response = await client.get(URL, params=PARAMS)
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"


# ---------------------------------------------------------------- the pure functions


def test_binomial_upper_tail_by_hand() -> None:
    assert binomial_upper_tail(8, 10, 0.5) == pytest.approx(56 / 1024, rel=1e-12)  # 45+10+1
    # 1 - 0.8^5 - 5·0.2·0.8^4 - 10·0.04·0.8^3 = 1 - 0.32768 - 0.4096 - 0.2048
    assert binomial_upper_tail(3, 5, 0.2) == pytest.approx(0.05792, rel=1e-12)
    assert binomial_upper_tail(0, 5, 0.2) == 1.0
    assert binomial_upper_tail(6, 5, 0.2) == 0.0
    assert binomial_upper_tail(3, 5, 1.0) == 1.0  # no previous comments: no evidence
    assert binomial_upper_tail(1, 5, 0.0) == 0.0


@pytest.mark.parametrize("k", [0, 1, 450, 600, 601, 650, 800, 1200, 2000])
def test_binomial_upper_tail_matches_exact_sums(k: int) -> None:
    exact = exact_tail(k, 2000, Fraction(3, 10))
    assert binomial_upper_tail(k, 2000, 0.3) == pytest.approx(exact, rel=1e-9, abs=1e-300)


def test_benjamini_hochberg_by_hand() -> None:
    # Sorted 0.005, 0.01, 0.03, 0.04 → ·4/rank 0.02, 0.02, 0.04, 0.04, kept monotone.
    assert benjamini_hochberg([0.01, 0.04, 0.03, 0.005]) == pytest.approx([0.02, 0.04, 0.04, 0.02])
    assert benjamini_hochberg([0.5, 0.9]) == pytest.approx([0.9, 0.9])  # min(0.5·2, 0.9)
    assert benjamini_hochberg([]) == []


def test_word_tests_and_growth_by_hand() -> None:
    tests = word_tests([("de", "neu", 8, 0), ("de", "alt", 5, 5)], n1=100, n0=100)
    new, old = tests
    assert new.p_value == pytest.approx(1 / 256)  # 0.5^8
    assert old.p_value == pytest.approx(638 / 1024)  # (252+210+120+45+10+1)/1024
    assert new.adjusted_p == pytest.approx(2 / 256)
    assert old.adjusted_p == pytest.approx(638 / 1024)
    assert new.ratio == pytest.approx((8 / 100) / (0.5 / 100.5))
    assert growing(tests, fdr=0.05) == [new]
    assert growing(tests, fdr=0.005) == []
    assert rate_ratio(10, 100, 1, 99) == pytest.approx(0.1 / (1.5 / 99.5))


def test_group_words_joins_overlapping_words_transitively() -> None:
    groups = group_words(
        {
            "a": [1, 2, 3, 4],
            "b": [3, 4, 5, 6],  # with a: 2 of 6 = 0.33
            "c": [6, 7, 8, 9, 10, 11, 12],  # with b: 1 of 10 = 0.1, alone
            "x": [20, 21],
            "y": [21, 22, 23],  # with x: 1 of 4 = 0.25 exactly: joined
            "z": [30],
        }
    )
    assert groups == [["c"], ["a", "b"], ["y", "x"], ["z"]]
    # A word that overlaps both joins them: a ~ m ~ b although a and b share nothing.
    chained = group_words({"a": [1, 2], "b": [3, 4], "m": [1, 2, 3, 4]})
    assert chained == [["m", "a", "b"]]


def test_build_groups_counts_each_comment_once_and_keeps_phrases_with_group_words() -> None:
    at = NOW - timedelta(days=1)

    def tested(word: str, c1: int, c0: int) -> WordTest:
        return WordTest("de", word, c1, c0, 0.001, 0.01, 5.0)

    hits = [
        Hit(1, True, "de", frozenset({"terminal", "kaputt"}), ("terminal kaputt", "bar"),
            "negative", at),
        Hit(2, True, "de", frozenset({"terminal"}), ("terminal", "lange warten"), None,
            at + timedelta(hours=1)),
        Hit(3, True, "de", frozenset({"kaputt"}), ("kaputt",), "neutral", at),
        Hit(4, False, "de", frozenset({"terminal", "kaputt"}), ("terminal kaputt",), None, at),
    ]  # fmt: skip
    [group] = build_groups([tested("terminal", 2, 1), tested("kaputt", 2, 1)], hits)
    assert [h.event_pk for h in group.current] == [2, 3, 1]  # most recent, then by id
    assert group.previous == 1
    assert group.phrases == [("kaputt", 1), ("terminal", 1), ("terminal kaputt", 1)]
    assert [t.word for t in group.words] == ["kaputt", "terminal"]


async def test_a_theme_filter_is_refused(
    client: httpx.AsyncClient, read_key: dict[str, str]
) -> None:
    """Emerging themes are found among comments with no theme: a theme filter leaves none."""
    response = await client.get(URL, params={**PARAMS, "theme": "payment"}, headers=read_key)
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["query", "theme"]
