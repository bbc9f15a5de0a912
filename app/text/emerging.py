"""Emerging themes: what the comments that fit no theme talk about more than before
(`GET /v1/themes/emerging`; docs/text.md, "Emerging themes").

1. Population: the enriched comments with no theme (`themes = '{}'`), under the
   selection's filters, in the window (n1 of them) and in the previous one (n0).
2. Unit: the distinct content words of a comment's key phrases (lemmas of two or more
   characters), per language. One statement counts, per (language, word), the comments
   that mention it in each window (c1, c0).
3. Test: each word with c1 >= `min_comments`. Under "no change" a mention is as likely
   in either window, so given c = c1 + c0 mentions, c1 ~ Binomial(c, n1 / (n1 + n0));
   the p-value is P(X >= c1). Benjamini-Hochberg across every word tested; a word
   grows when its adjusted p <= `fdr` and its rate ratio
   (c1 / n1) / ((c0 + 0.5) / (n0 + 0.5)) >= MIN_RATIO.
4. Groups: growing words of one language whose sets of comments in the window overlap
   (Jaccard >= MIN_JACCARD) are joined; each connected component is one emerging
   theme, with its comments in both windows, top key phrases, examples and sentiment.

The binomial tail and Benjamini-Hochberg are in app/stats.py (the alerts use the
latter too); the rate ratio, the tests of the words and the grouping are here.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import asyncpg

from app.selection.conditions import dimension_conditions
from app.selection.filters import Selection
from app.selection.snapshot import CUSTOM_PLANS, snapshot
from app.sql import Params
from app.stats import benjamini_hochberg, binomial_upper_tail
from app.text.schemas import (
    EmergingExample,
    EmergingGroup,
    EmergingMethod,
    EmergingPhrase,
    EmergingThemes,
    EmergingWord,
    SentimentMix,
)

MIN_RATIO = 1.5
MIN_JACCARD = 0.25
MIN_WORD_CHARS = 2
PHRASES = 5
EXAMPLES = 3
PRIOR = 0.5  # added to the previous window's counts: a ratio stays finite from zero

# ---------------------------------------------------------------- pure functions


def rate_ratio(c1: int, n1: int, c0: int, n0: int) -> float:
    """(c1/n1) / ((c0 + 0.5)/(n0 + 0.5)): how many times more often now than before."""
    if n1 == 0:
        return 0.0
    return (c1 / n1) / ((c0 + PRIOR) / (n0 + PRIOR))


@dataclass(frozen=True, slots=True)
class WordTest:
    language: str
    word: str
    c1: int  # comments of the window that mention it
    c0: int  # of the previous window
    p_value: float
    adjusted_p: float
    ratio: float


def word_tests(counts: Iterable[tuple[str, str, int, int]], n1: int, n0: int) -> list[WordTest]:
    """The binomial test of every (language, word, c1, c0), BH-adjusted across all."""
    counted = list(counts)
    share = n1 / (n1 + n0) if n1 + n0 else 0.0
    p_values = [binomial_upper_tail(c1, c1 + c0, share) for _, _, c1, c0 in counted]
    adjusted = benjamini_hochberg(p_values)
    return [
        WordTest(language, word, c1, c0, p, q, rate_ratio(c1, n1, c0, n0))
        for (language, word, c1, c0), p, q in zip(counted, p_values, adjusted, strict=True)
    ]


def growing(tests: Iterable[WordTest], fdr: float, min_ratio: float = MIN_RATIO) -> list[WordTest]:
    return [t for t in tests if t.adjusted_p <= fdr and t.ratio >= min_ratio]


def group_words(
    mentions: Mapping[str, Iterable[int]], min_jaccard: float = MIN_JACCARD
) -> list[list[str]]:
    """Connected components of the words (each with the ids of the comments that mention
    it), two words joined when the Jaccard index of their comment sets is at least
    `min_jaccard`. Words of a component by most comments then name; components by
    most distinct comments, then first word."""
    sets = {word: frozenset(ids) for word, ids in mentions.items()}
    by_comment: dict[int, list[str]] = defaultdict(list)
    for word in sorted(sets):
        for comment in sets[word]:
            by_comment[comment].append(word)
    shared: Counter[tuple[str, str]] = Counter()
    for words in by_comment.values():  # a comment has a few words: pairs stay few
        for i, a in enumerate(words):
            for b in words[i + 1 :]:
                shared[a, b] += 1
    parent = {word: word for word in sets}

    def root(word: str) -> str:
        while parent[word] != word:
            parent[word] = parent[parent[word]]
            word = parent[word]
        return word

    for (a, b), both in shared.items():
        if both / (len(sets[a]) + len(sets[b]) - both) >= min_jaccard:
            parent[root(a)] = root(b)
    components: dict[str, list[str]] = defaultdict(list)
    for word in sets:
        components[root(word)].append(word)
    groups = [sorted(ws, key=lambda w: (-len(sets[w]), w)) for ws in components.values()]

    def size(ws: list[str]) -> int:
        return len(frozenset().union(*(sets[w] for w in ws)))

    return sorted(groups, key=lambda ws: (-size(ws), ws[0]))


def phrase_words(phrase: str) -> set[str]:
    """The words of a key phrase that count (as the SQL splits them)."""
    return {w for w in phrase.split(" ") if len(w) >= MIN_WORD_CHARS}


@dataclass(frozen=True, slots=True)
class Hit:
    """A comment of either window that mentions a growing word."""

    event_pk: int
    current: bool
    language: str
    words: frozenset[str]  # the growing words it mentions
    key_phrases: tuple[str, ...]
    sentiment: str | None
    occurred_at: datetime


@dataclass(frozen=True, slots=True)
class Group:
    language: str
    words: list[WordTest]
    current: list[Hit]  # most recent first
    previous: int
    phrases: list[tuple[str, int]]


def build_groups(
    significant: Sequence[WordTest], hits: Iterable[Hit], min_jaccard: float = MIN_JACCARD
) -> list[Group]:
    """The growing words grouped per language (`group_words`), each group with its
    comments: most comments in the window first."""
    tests = {(t.language, t.word): t for t in significant}
    by_word: dict[tuple[str, str], list[Hit]] = {key: [] for key in tests}
    for hit in hits:
        for word in hit.words:
            by_word[hit.language, word].append(hit)
    groups: list[Group] = []
    for language in sorted({t.language for t in significant}):
        mentions = {
            word: [h.event_pk for h in found if h.current]
            for (lang, word), found in by_word.items()
            if lang == language
        }
        for words in group_words(mentions, min_jaccard):
            mine = {h.event_pk: h for w in words for h in by_word[language, w]}.values()
            current = sorted(
                (h for h in mine if h.current), key=lambda h: (h.occurred_at, h.event_pk),
                reverse=True,
            )  # fmt: skip
            if not current:
                continue
            members = set(words)
            phrases: Counter[str] = Counter(
                phrase for h in current for phrase in set(h.key_phrases)
                if phrase_words(phrase) & members
            )  # fmt: skip
            groups.append(
                Group(
                    language=language,
                    words=[tests[language, w] for w in words],
                    current=current,
                    previous=sum(1 for h in mine if not h.current),
                    phrases=sorted(phrases.items(), key=lambda kv: (-kv[1], kv[0]))[:PHRASES],
                )
            )
    return sorted(
        groups,
        key=lambda g: (-len(g.current), min(t.adjusted_p for t in g.words), g.language,
                       g.words[0].word),
    )  # fmt: skip


# ---------------------------------------------------------------- SQL

# Both windows are read by the range on occurred_at (the BRIN index, one scan per
# window), joined to comment_insights by its key. `{columns}` of comment_insights.
_SCAN = (
    "SELECT {flag} AS in_window, {columns} FROM feedback_events e "
    "JOIN comment_insights ci ON ci.event_pk = e.id{locations} "
    "WHERE e.occurred_at >= {start} AND e.occurred_at < {end} AND ci.themes = '{{}}'{more}"
)
# The words of a comment's key phrases (as `phrase_words` splits them), and each once.
_SPLIT = "unnest(string_to_array(array_to_string(p.key_phrases, ' '), ' ')) AS word"
_WORDS = f"SELECT DISTINCT word FROM {_SPLIT} WHERE char_length(word) >= {MIN_WORD_CHARS}"


def _population(filters: Selection, previous: Selection, params: Params, columns: str) -> str:
    """The unthemed comments of both windows under the filters (`in_window`: the current one)."""
    conditions = dimension_conditions(filters, params, "e")
    more = "".join(f" AND {c}" for c in conditions)
    locations = (
        " LEFT JOIN locations l ON l.id = e.location_id" if "region" in filters.dimensions else ""
    )
    scans = [
        _SCAN.format(flag=flag, columns=columns, locations=locations,
                     start=params(window.start), end=params(window.end), more=more)
        for flag, window in (("true", filters), ("false", previous))
    ]  # fmt: skip
    return " UNION ALL ".join(scans)


def _counts_sql(filters: Selection, previous: Selection, min_comments: int) -> tuple[str, Params]:
    params = Params()
    population = _population(filters, previous, params, "ci.language, ci.key_phrases")
    sql = f"""
        WITH population AS MATERIALIZED ({population}),
        totals AS (
            SELECT count(*) FILTER (WHERE in_window) AS n1,
                   count(*) FILTER (WHERE NOT in_window) AS n0
            FROM population
        ),
        counts AS (
            SELECT p.language, w.word,
                   count(*) FILTER (WHERE p.in_window) AS c1,
                   count(*) FILTER (WHERE NOT p.in_window) AS c0
            FROM population p CROSS JOIN LATERAL ({_WORDS}) AS w
            GROUP BY p.language, w.word
            HAVING count(*) FILTER (WHERE p.in_window) >= {params(min_comments)}
        )
        SELECT t.n1, t.n0, c.language, c.word, c.c1, c.c0
        FROM totals t LEFT JOIN counts c ON true
        ORDER BY c.language, c.word
    """
    return sql, params


def _hits_sql(
    filters: Selection, previous: Selection, words: Sequence[WordTest]
) -> tuple[str, Params]:
    """The comments of both windows that mention a growing word, in any language (the
    caller keeps those of the word's own language). `= ANY` of a bound array is a hash
    lookup (PostgreSQL 14+): 0.5 to 1.1 s for 2 to 1,000 growing words at 100,000
    unthemed comments a window, where a join to the words misplanned (22 s at 300
    words) and an array overlap (`&&`) grew with the words (12 s at 1,000)."""
    params = Params()
    population = _population(
        filters, previous, params,
        "ci.event_pk, ci.language, ci.key_phrases, ci.sentiment, e.occurred_at",
    )  # fmt: skip
    languages = params(sorted({t.language for t in words}), "::text[]")
    growing_words = params(sorted({t.word for t in words}), "::text[]")
    sql = f"""
        SELECT p.* FROM ({population}) AS p
        WHERE p.language = ANY({languages})
          AND EXISTS (SELECT 1 FROM {_SPLIT} WHERE word = ANY({growing_words}))
    """
    return sql, params


async def emerging(
    conn: asyncpg.Connection,
    filters: Selection,
    previous: Selection,
    *,
    min_comments: int,
    fdr: float,
    limit: int,
) -> EmergingThemes:
    """The emerging themes of `filters`' window against `previous` (docs/text.md).

    Three statements in one snapshot: the counts per word, the comments of the growing
    words (only when some grow), the text of the examples shown. The tests between the
    first two take about 45 ms of Python for 10,000 words.
    """
    async with snapshot(conn):
        await conn.execute(CUSTOM_PLANS)  # the windows decide the plan (app.selection)
        sql, params = _counts_sql(filters, previous, min_comments)
        rows = await conn.fetch(sql, *params.values)
        n1, n0 = (rows[0]["n1"], rows[0]["n0"]) if rows else (0, 0)
        counts = [(r["language"], r["word"], r["c1"], r["c0"]) for r in rows if r["word"]]
        tests = word_tests(counts, n1, n0)
        significant = growing(tests, fdr)
        groups: list[Group] = []
        texts: dict[int, asyncpg.Record] = {}
        if significant:
            sql, params = _hits_sql(filters, previous, significant)
            groups = build_groups(
                significant, _hits(await conn.fetch(sql, *params.values), significant)
            )
            shown = [h.event_pk for g in groups[:limit] for h in g.current[:EXAMPLES]]
            examples = (  # of the current window: its partitions only
                "SELECT id, event_id, comment FROM feedback_events WHERE id = ANY($1::bigint[]) "
                "AND occurred_at >= $2 AND occurred_at < $3"
            )
            texts = {
                r["id"]: r for r in await conn.fetch(examples, shown, filters.start, filters.end)
            }
    return EmergingThemes.model_validate(
        {
            **filters.window(),
            "previous_from": previous.start,
            "previous_to": previous.end,
            "comments": n1,
            "previous_comments": n0,
            "words_tested": len(tests),
            "words_significant": len(significant),
            "groups_found": len(groups),
            "method": EmergingMethod(
                min_comments=min_comments, fdr=fdr, min_ratio=MIN_RATIO, min_jaccard=MIN_JACCARD
            ),
            "groups": [_group_out(g, n1, n0, texts) for g in groups[:limit]],
        }
    )


def _hits(rows: Iterable[asyncpg.Record], significant: Iterable[WordTest]) -> Iterator[Hit]:
    """The rows that mention a growing word of their own language, with those words."""
    by_language: dict[str, set[str]] = defaultdict(set)
    for t in significant:
        by_language[t.language].add(t.word)
    for r in rows:
        growing_words = by_language[r["language"]]
        words = frozenset(w for phrase in r["key_phrases"] for w in phrase_words(phrase)
                          if w in growing_words)  # fmt: skip
        if words:
            yield Hit(r["event_pk"], r["in_window"], r["language"], words,
                      tuple(r["key_phrases"]), r["sentiment"], r["occurred_at"])  # fmt: skip


def _group_out(
    group: Group, n1: int, n0: int, texts: Mapping[int, asyncpg.Record]
) -> EmergingGroup:
    sentiments = Counter(h.sentiment for h in group.current)
    examples = [
        EmergingExample(
            event_id=texts[h.event_pk]["event_id"],
            occurred_at=h.occurred_at,
            comment=texts[h.event_pk]["comment"],
            sentiment=h.sentiment,  # type: ignore[arg-type]  # the table's CHECK
        )
        for h in group.current[:EXAMPLES]
        if h.event_pk in texts and texts[h.event_pk]["comment"] is not None
    ]
    return EmergingGroup(
        language=group.language,
        words=[
            EmergingWord(
                word=t.word,
                comments=t.c1,
                previous_comments=t.c0,
                ratio=t.ratio,
                p_value=t.p_value,
                adjusted_p=t.adjusted_p,
            )
            for t in group.words
        ],
        comments=len(group.current),
        previous_comments=group.previous,
        ratio=rate_ratio(len(group.current), n1, group.previous, n0),
        adjusted_p=min(t.adjusted_p for t in group.words),
        phrases=[EmergingPhrase(phrase=p, comments=c) for p, c in group.phrases],
        examples=examples,
        sentiment=SentimentMix(
            negative=sentiments["negative"],
            neutral=sentiments["neutral"],
            positive=sentiments["positive"],
            none=sentiments[None],
        ),
    )
