"""GET /v1/metrics/themes, and the comment dimensions (theme, sentiment, language) on the
other metrics endpoints: exact counts against plain SQL, intervals against hand
computations, groups, trend, CSV, the previous period, 422s and a branch-bound key.

Events go in through the API; what the text enrichment would derive is written straight
into `comment_insights` (`enrich`), so nothing here depends on the models. Every instant
derives from one `NOW`.
"""

import csv
import io
import math
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import httpx
import pytest

from app.metrics.schemas import Breakdown, ThemeReport, Timeseries
from app.text.themes import default_themes
from tests.conftest import Headers, MakeKey, RollUp
from tests.metrics.test_summary import post_events

NOW = datetime.now(UTC)
# Two windows of ten whole UTC days, both in the past: the previous one, then the current.
START = (NOW - timedelta(days=21)).replace(hour=0, minute=0, second=0, microsecond=0)
PREVIOUS = {"from": START.isoformat(), "to": (START + timedelta(days=10)).isoformat()}
WINDOW = {"from": PREVIOUS["to"], "to": (START + timedelta(days=20)).isoformat()}
Z = 1.959964


def at(day: int, hour: int = 12) -> str:
    """An instant `day` days into the current window (negative: the previous one)."""
    return (START + timedelta(days=10 + day, hours=hour)).isoformat()


async def enrich(
    conn: asyncpg.Connection,
    event_id: str,
    *,
    themes: list[str] = (),  # type: ignore[assignment]
    sentiment: str | None = None,
    language: str = "en",
    score: float | None = None,
    key_phrases: list[str] = (),  # type: ignore[assignment]
) -> None:
    """What the text enrichment would write for the comment of `event_id`."""
    inserted = await conn.execute(
        """
        INSERT INTO comment_insights (event_pk, language, language_source, sentiment,
            sentiment_score, sentiment_source, themes, key_phrases, version)
        SELECT event_pk, $2, 'given', $3, $4, 'model', $5, $6, 'test'
        FROM feedback_event_ids WHERE event_id = $1
        """,
        event_id, language, sentiment, score, list(themes), list(key_phrases),
    )  # fmt: skip
    assert inserted == "INSERT 0 1", event_id


def comment(event_id: str, day: int, nps: int | None = None, **fields: Any) -> dict[str, Any]:
    return {
        "event_id": event_id, "channel": "pos", "location_id": "vie-07", "occurred_at": at(day),
        "comment": f"comment {event_id}", **({"nps": nps} if nps is not None else {}), **fields,
    }  # fmt: skip


# (event_id, nps, themes, sentiment) of the enriched comments in the current window.
CURRENT = [
    ("w1", 0, ["waiting", "price"], "negative"),
    ("w2", 2, ["waiting"], "negative"),
    ("w3", 6, ["waiting"], "negative"),
    ("w4", 9, ["waiting"], "neutral"),
    ("p1", 10, ["price"], "positive"),
    ("p2", 3, ["price"], "negative"),
    ("n1", 10, [], "positive"),
    ("n2", 9, [], "positive"),
    ("n3", 8, [], "positive"),
    ("n4", 10, [], None),
]
BEFORE = [("b1", 5, ["waiting"], "negative"), *((f"b{i}", 10, [], "positive") for i in range(2, 6))]


@pytest.fixture
async def comments(
    client: httpx.AsyncClient, ingest_key: Headers, conn: asyncpg.Connection
) -> None:
    """The enriched comments above, and what must not count: a comment not enriched yet,
    an event without a comment, an employee's comment, one after the window."""
    events = [comment(e, day=i % 9, nps=n) for i, (e, n, _, _) in enumerate(CURRENT)]
    events += [comment(e, day=-5, nps=n) for e, n, _, _ in BEFORE]
    events += [
        comment("pending", day=2, nps=0),
        {"event_id": "silent", "channel": "pos", "nps": 0, "occurred_at": at(2)},
        comment("staff", day=2, nps=0, respondent={"type": "employee"}),
        comment("later", day=10, nps=0) | {"occurred_at": at(10, hour=1)},
    ]
    await post_events(client, ingest_key, events)
    for event_id, _, themes, sentiment in [*CURRENT, *BEFORE]:
        await enrich(conn, event_id, themes=themes, sentiment=sentiment)
    for event_id in ("staff", "later"):
        await enrich(conn, event_id, themes=["waiting"], sentiment="negative")


async def themes_answer(client: httpx.AsyncClient, key: Headers, **params: Any) -> dict[str, Any]:
    response = await client.get("/v1/metrics/themes", params={**WINDOW, **params}, headers=key)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    body: dict[str, Any] = response.json()
    # Serialized by hand (orjson, no per-row models): it must still be the documented shape.
    assert ThemeReport.model_validate(body).model_dump(mode="json", by_alias=True) == body
    return body


def by_theme(body: dict[str, Any], group: Any = None) -> dict[str, dict[str, Any]]:
    return {r["theme"]: r for r in body["rows"] if r["group"] == group}


# Plain references, written out from docs/metrics.md.


def wilson_ref(s: int, n: int) -> tuple[float, float]:
    p = s / n
    centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    half = Z / (1 + Z * Z / n) * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n))
    return 100 * max(0.0, centre - half), 100 * min(1.0, centre + half)


def nps_ref(scores: list[int]) -> tuple[float, float, float, float]:
    """(nps, ci_low, ci_high, se): adjusted Wald (Rocks 2016)."""
    n = len(scores)
    promoters = sum(s >= 9 for s in scores)
    detractors = sum(s <= 6 for s in scores)
    p, d = (promoters + 0.75) / (n + 3), (detractors + 0.75) / (n + 3)
    se = math.sqrt((p + d - (p - d) ** 2) / (n + 3))
    low, high = max(-1, p - d - Z * se), min(1, p - d + Z * se)
    return 100 * (promoters - detractors) / n, 100 * low, 100 * high, 100 * se


def newcombe_ref(s1: int, n1: int, s2: int, n2: int) -> tuple[float, float]:
    (l1, u1), (l2, u2) = wilson_ref(s1, n1), wilson_ref(s2, n2)
    p1, p2 = 100 * s1 / n1, 100 * s2 / n2
    return (
        p1 - p2 - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2),
        p1 - p2 + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2),
    )


@pytest.mark.usefixtures("comments")
async def test_every_theme_with_its_share_sentiment_scores_and_change(
    client: httpx.AsyncClient, read_key: Headers
) -> None:
    body = await themes_answer(client, read_key)
    assert (body["metric"], body["group_by"], body["interval"], body["trend"]) == (
        "nps", None, None, None,
    )  # fmt: skip
    assert (body["previous_from"], body["previous_to"]) == (
        PREVIOUS["from"].replace("+00:00", "Z"), PREVIOUS["to"].replace("+00:00", "Z"),
    )  # fmt: skip
    assert "Wilson" in body["definitions"]["share"]["interval"]
    assert "adjusted Wald" in body["definitions"]["metric"]["interval"]
    assert "Newcombe" in body["definitions"]["change"]["interval"]
    rows = by_theme(body)
    # Every theme in force, mentioned or not, the most mentioned first.
    assert set(rows) == {t.name for t in default_themes()}
    assert [r["theme"] for r in body["rows"][:2]] == ["waiting", "price"]
    assert all(r["comments"] == 10 for r in body["rows"])  # not the pending, silent, staff one

    waiting = rows["waiting"]
    assert (waiting["mentions"], waiting["share"], waiting["low_sample"]) == (4, 40.0, True)
    assert (waiting["ci_low"], waiting["ci_high"]) == pytest.approx(wilson_ref(4, 10))
    assert (round(waiting["ci_low"], 1), round(waiting["ci_high"], 1)) == (16.8, 68.7)
    assert waiting["sentiment"] == {
        "n": 4, "negative": 3, "neutral": 1, "positive": 0, "none": 0,
        "negative_share": 75.0, "neutral_share": 25.0, "positive_share": 0.0,
    }  # fmt: skip
    with_scores, without_scores = [0, 2, 6, 9], [10, 3, 10, 9, 8, 10]
    value, low, high, se_with = nps_ref(with_scores)
    assert waiting["mentioning"] == pytest.approx(
        {"value": -50.0, "n": 4, "ci_low": low, "ci_high": high, "low_sample": True}
    )
    assert value == -50.0
    value, low, high, se_without = nps_ref(without_scores)
    assert waiting["not_mentioning"] == pytest.approx(
        {"value": 50.0, "n": 6, "ci_low": low, "ci_high": high, "low_sample": True}
    )
    se = math.hypot(se_with, se_without)
    assert waiting["difference"] == pytest.approx(
        {"value": -100.0, "ci_low": -100 - Z * se, "ci_high": -100 + Z * se, "se": se,
         "z": -100 / se, "significant": abs(-100 / se) >= 1.96}
    )  # fmt: skip
    # Previous period: 1 of 5 comments mentioned waiting.
    low, high = newcombe_ref(4, 10, 1, 5)
    assert waiting["change"] == pytest.approx(
        {"previous_comments": 5, "previous_mentions": 1, "previous_share": 20.0, "delta": 20.0,
         "ci_low": low, "ci_high": high, "significant": False, "low_sample": True}
    )  # fmt: skip

    price = rows["price"]
    assert (price["mentions"], price["share"]) == (3, 30.0)
    assert price["mentioning"]["value"] == pytest.approx(nps_ref([0, 10, 3])[0])
    assert price["not_mentioning"]["n"] == 7
    assert price["sentiment"]["n"] == 3

    delivery = rows["delivery"]  # in force, never mentioned
    assert (delivery["mentions"], delivery["share"], delivery["ci_low"]) == (0, 0.0, 0.0)
    assert delivery["ci_high"] == pytest.approx(wilson_ref(0, 10)[1])
    assert delivery["sentiment"]["n"] == 0
    assert delivery["sentiment"]["negative_share"] is None
    assert (delivery["mentioning"]["n"], delivery["mentioning"]["value"]) == (0, None)
    assert delivery["not_mentioning"]["n"] == 10
    assert delivery["difference"]["value"] is None
    assert delivery["change"]["delta"] == 0.0


@pytest.mark.usefixtures("comments")
async def test_counts_equal_a_plain_sql_count(
    client: httpx.AsyncClient, read_key: Headers, conn: asyncpg.Connection
) -> None:
    body = await themes_answer(client, read_key)
    expected = dict(
        await conn.fetch(
            """
            SELECT t.theme, count(*) FILTER (WHERE t.theme = ANY(ci.themes))
            FROM feedback_events e JOIN comment_insights ci ON ci.event_pk = e.id
            CROSS JOIN (SELECT unnest($3::text[]) AS theme) AS t
            WHERE e.occurred_at >= $1 AND e.occurred_at < $2 AND e.respondent_type = 'customer'
            GROUP BY t.theme
            """,
            datetime.fromisoformat(WINDOW["from"]), datetime.fromisoformat(WINDOW["to"]),
            [t.name for t in default_themes()],
        )
    )  # fmt: skip
    assert {r["theme"]: r["mentions"] for r in body["rows"]} == expected


@pytest.mark.usefixtures("comments")
async def test_an_explicit_previous_period(client: httpx.AsyncClient, read_key: Headers) -> None:
    # The current window itself as the "previous" one: no change, but every figure of it.
    body = await themes_answer(
        client, read_key, previous_from=WINDOW["from"], previous_to=WINDOW["to"]
    )
    change = by_theme(body)["waiting"]["change"]
    assert (change["previous_comments"], change["previous_mentions"], change["delta"]) == (
        10, 4, 0.0,
    )  # fmt: skip
    assert change["significant"] is False
    empty = await themes_answer(
        client, read_key, previous_from=(START - timedelta(days=300)).isoformat(),
        previous_to=(START - timedelta(days=290)).isoformat(),
    )  # fmt: skip
    change = by_theme(empty)["waiting"]["change"]
    assert (change["previous_comments"], change["previous_share"], change["delta"]) == (
        0, None, None,
    )  # fmt: skip


@pytest.mark.usefixtures("comments")
async def test_csat_instead_of_nps(
    client: httpx.AsyncClient, ingest_key: Headers, read_key: Headers, conn: asyncpg.Connection
) -> None:
    await post_events(
        client, ingest_key,
        [comment("c1", day=1, csat=5), comment("c2", day=1, csat=2), comment("c3", day=1, csat=4)],
    )  # fmt: skip
    for event_id in ("c1", "c2"):
        await enrich(conn, event_id, themes=["staff_friendliness"], sentiment="positive")
    await enrich(conn, "c3", themes=["price"], sentiment="neutral")
    body = await themes_answer(client, read_key, metric="csat")
    assert "Wilson" in body["definitions"]["metric"]["interval"]
    friendly = by_theme(body)["staff_friendliness"]
    assert friendly["comments"] == 13
    low, high = wilson_ref(1, 2)
    assert friendly["mentioning"] == pytest.approx(
        {"value": 50.0, "n": 2, "ci_low": low, "ci_high": high, "low_sample": True}
    )
    assert (friendly["not_mentioning"]["n"], friendly["not_mentioning"]["value"]) == (1, 100.0)
    se = math.hypot(100 * math.sqrt(0.25 / 2), 0.0)  # Wald se of each share
    assert friendly["difference"]["se"] == pytest.approx(se)


@pytest.mark.usefixtures("comments")
async def test_group_by_gives_every_theme_per_group(
    client: httpx.AsyncClient, ingest_key: Headers, read_key: Headers, conn: asyncpg.Connection
) -> None:
    await post_events(client, ingest_key, [comment("lis", day=3, nps=1, location_id="lis-03")])
    await enrich(conn, "lis", themes=["waiting", "payment"], sentiment="negative", language="pt")
    body = await themes_answer(client, read_key, group_by="location_id")
    themes = {t.name for t in default_themes()}
    assert len(body["rows"]) == 2 * len(themes)
    assert [r["group"] for r in body["rows"]] == ["lis-03"] * len(themes) + ["vie-07"] * len(themes)
    lisbon = by_theme(body, "lis-03")
    assert (lisbon["payment"]["comments"], lisbon["payment"]["share"]) == (1, 100.0)
    assert lisbon["waiting"]["change"]["previous_comments"] == 0
    assert by_theme(body, "vie-07")["waiting"]["change"]["previous_mentions"] == 1
    # By the comment's own dimensions: sentiment partitions the comments (null: none).
    by_sentiment = await themes_answer(client, read_key, group_by="sentiment")
    assert {r["group"]: r["comments"] for r in by_sentiment["rows"]} == {
        "negative": 5, "neutral": 1, "positive": 4, None: 1,
    }  # fmt: skip
    assert by_theme(by_sentiment, "negative")["waiting"]["mentions"] == 4
    by_language = await themes_answer(client, read_key, group_by="language")
    assert {r["group"] for r in by_language["rows"]} == {"en", "pt"}
    # By theme: what the comments about one theme mention besides it.
    co = await themes_answer(client, read_key, group_by="theme")
    assert by_theme(co, "waiting")["price"]["mentions"] == 1
    assert by_theme(co, "waiting")["waiting"]["share"] == 100.0
    assert by_theme(co, "waiting")["waiting"]["comments"] == 5


@pytest.mark.usefixtures("comments")
async def test_filters_select_the_comments(client: httpx.AsyncClient, read_key: Headers) -> None:
    about_waiting = by_theme(await themes_answer(client, read_key, theme="waiting"))
    assert about_waiting["waiting"]["comments"] == 4
    assert about_waiting["price"]["mentions"] == 1
    negative = by_theme(await themes_answer(client, read_key, sentiment="negative,neutral"))
    assert (negative["waiting"]["comments"], negative["waiting"]["mentions"]) == (5, 4)
    none = by_theme(await themes_answer(client, read_key, language="DE"))  # codes in any case
    assert none["waiting"]["comments"] == 0
    assert none["waiting"]["share"] is None


@pytest.mark.usefixtures("comments")
async def test_interval_gives_the_share_per_bucket(
    client: httpx.AsyncClient, read_key: Headers
) -> None:
    body = await themes_answer(client, read_key, interval="day")
    names = [t.name for t in default_themes()]
    trend = body["trend"]
    assert len(trend) == 10 * len(names)  # ten whole UTC days, every theme, empty ones too
    days = sorted({r["bucket_start"] for r in trend})
    assert days[0] == WINDOW["from"]
    assert [r["theme"] for r in trend[: len(names)]] == names
    waiting = [r for r in trend if r["theme"] == "waiting"]
    # Day i % 9 for the i-th comment: w1..w4 on days 0..3, n4 (10th) on day 0.
    assert [(r["comments"], r["mentions"]) for r in waiting[:4]] == [(2, 1), (1, 1), (1, 1), (1, 1)]
    assert waiting[0]["share"] == 50.0
    assert (waiting[0]["ci_low"], waiting[0]["ci_high"]) == pytest.approx(wilson_ref(1, 2))
    assert waiting[9] == {
        "bucket_start": days[9], "group": None, "theme": "waiting", "comments": 0,
        "mentions": 0, "share": None, "ci_low": None, "ci_high": None, "low_sample": True,
    }  # fmt: skip
    assert sum(r["mentions"] for r in waiting) == 4


@pytest.mark.usefixtures("comments")
async def test_csv_rows_and_trend(client: httpx.AsyncClient, read_key: Headers) -> None:
    response = await client.get(
        "/v1/metrics/themes", params={**WINDOW, "format": "csv"}, headers=read_key
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(response.text)))
    assert "group" not in table[0]
    waiting = table[0]
    assert (waiting["theme"], waiting["comments"], waiting["mentions"]) == ("waiting", "10", "4")
    assert (waiting["share"], waiting["negative"], waiting["metric"]) == ("40.0", "3", "nps")
    assert (waiting["mentioning"], waiting["not_mentioning"], waiting["difference"]) == (
        "-50.0", "50.0", "-100.0",
    )  # fmt: skip
    assert (waiting["previous_share"], waiting["change"]) == ("20.0", "20.0")
    assert waiting["change_significant"] == "false"
    assert len(table) == len(default_themes())
    trend = await client.get(
        "/v1/metrics/themes",
        params={**WINDOW, "interval": "week", "group_by": "location_id"},
        headers={**read_key, "Accept": "text/csv"},
    )
    rows = list(csv.DictReader(io.StringIO(trend.text)))
    assert list(rows[0]) == [
        "bucket_start", "group", "theme", "comments", "mentions", "share", "ci_low", "ci_high",
        "low_sample",
    ]  # fmt: skip
    assert sum(int(r["mentions"]) for r in rows if r["theme"] == "waiting") == 4


@pytest.mark.usefixtures("comments")
async def test_a_key_bound_to_a_branch_sees_only_its_comments(
    client: httpx.AsyncClient, ingest_key: Headers, make_key: MakeKey, conn: asyncpg.Connection
) -> None:
    await post_events(client, ingest_key, [comment("lis", day=3, nps=1, location_id="lis-03")])
    await enrich(conn, "lis", themes=["payment"], sentiment="negative")
    lisbon = await make_key("read", location_id="lis-03")
    rows = by_theme(await themes_answer(client, lisbon))
    assert (rows["payment"]["comments"], rows["payment"]["mentions"]) == (1, 1)
    assert rows["waiting"]["mentions"] == 0
    other = await client.get(
        "/v1/metrics/themes", params={**WINDOW, "location_id": "vie-07"}, headers=lisbon
    )
    assert other.status_code == 403
    assert other.headers["content-type"] == "application/problem+json"


async def test_per_employee_figures_are_hidden_below_employee_min_n(
    client: httpx.AsyncClient, ingest_key: Headers, read_key: Headers, conn: asyncpg.Connection
) -> None:
    events = [comment(f"a{i}", day=1, nps=0, employee_id="anna") for i in range(4)]
    events += [comment(f"b{i}", day=1, nps=10, employee_id="ben") for i in range(6)]
    await post_events(client, ingest_key, events)
    for i in range(4):
        await enrich(conn, f"a{i}", themes=["staff_friendliness"], sentiment="negative")
    for i in range(6):
        await enrich(conn, f"b{i}", themes=["staff_friendliness"] if i < 3 else [])
    body = await themes_answer(client, read_key, group_by="employee_id")
    anna = by_theme(body, "anna")["staff_friendliness"]
    assert anna["comments"] == 4
    assert (anna["mentions"], anna["share"], anna["sentiment"]["negative"]) == (None, None, None)
    assert (anna["mentioning"]["n"], anna["mentioning"]["value"]) == (4, None)
    ben = by_theme(body, "ben")["staff_friendliness"]
    assert (ben["mentions"], ben["share"]) == (3, 50.0)
    assert ben["mentioning"]["value"] is None  # 3 answers: below the floor of 5
    assert ben["not_mentioning"]["value"] is None


async def test_custom_themes_are_reported_too(
    client: httpx.AsyncClient, ingest_key: Headers, read_key: Headers, admin_key: Headers,
    conn: asyncpg.Connection,
) -> None:  # fmt: skip
    custom = {"name": "parking", "label": "Parking", "keywords": {"en": ["parking"]}}
    response = await client.put("/v1/themes", json={"themes": [custom]}, headers=admin_key)
    assert response.status_code == 200, response.text
    await post_events(client, ingest_key, [comment("car", day=1, nps=4)])
    await enrich(conn, "car", themes=["parking"], sentiment=None)  # no sentiment model
    rows = by_theme(await themes_answer(client, read_key))
    assert rows["parking"]["label"] == "Parking"
    assert (rows["parking"]["mentions"], rows["parking"]["comments"]) == (1, 1)
    mix = rows["parking"]["sentiment"]
    assert (mix["n"], mix["none"], mix["negative_share"]) == (0, 1, None)
    assert len(rows) == len(default_themes()) + 1


@pytest.mark.usefixtures("comments")
async def test_two_statements_whatever_the_groups_and_themes(
    client: httpx.AsyncClient, read_key: Headers, conn: asyncpg.Connection
) -> None:
    statements: list[str] = []

    def log(record: Any) -> None:
        if "comment_insights" in record.query or "text_themes" in record.query:
            statements.append(record.query)

    conn.add_query_logger(log)
    try:
        await themes_answer(client, read_key, group_by="theme", interval="day")
    finally:
        conn.remove_query_logger(log)
    assert len(statements) == 2, statements


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"sentiment": "angry"}, "sentiment"),
        ({"sentiment": "negative,happy"}, "sentiment"),
        ({"theme": "Waiting!"}, "theme"),
        ({"language": "english"}, "language"),
        ({"language": "pt-BR"}, "language"),
        ({"metric": "ces"}, "metric"),
        ({"group_by": "mood"}, "group_by"),
        ({"interval": "fortnight"}, "interval"),
        ({"previous_from": "2026-01-01"}, "previous_to"),
        ({"min_n": "0"}, "min_n"),
    ],
)
async def test_bad_values_are_422_problems(
    client: httpx.AsyncClient, read_key: Headers, params: dict[str, str], parameter: str
) -> None:
    response = await client.get("/v1/metrics/themes", params={**WINDOW, **params}, headers=read_key)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"][0]["loc"][-1] == parameter


async def test_a_trend_too_large_is_refused_before_the_statement(
    client: httpx.AsyncClient, read_key: Headers, conn: asyncpg.Connection
) -> None:
    statements: list[str] = []

    def log(record: Any) -> None:
        if "comment_insights" in record.query:
            statements.append(record.query)

    two_years = {"from": (START - timedelta(days=730)).isoformat(), "to": WINDOW["to"]}
    conn.add_query_logger(log)
    try:
        response = await client.get(
            "/v1/metrics/themes", params={**two_years, "interval": "hour"}, headers=read_key
        )
    finally:
        conn.remove_query_logger(log)
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["type"] == "answer_too_large"
    assert statements == []


async def test_themes_need_a_read_key(client: httpx.AsyncClient, ingest_key: Headers) -> None:
    response = await client.get("/v1/metrics/themes", headers=ingest_key)
    assert response.status_code == 403


# The comment dimensions on the other metrics endpoints: raw rows, exact.


async def plain_nps(conn: asyncpg.Connection, where: str, *args: Any) -> tuple[int, float | None]:
    """n and NPS of the customers' events in the window that match `where` (on e, ci)."""
    row = await conn.fetchrow(
        f"""
        SELECT count(nps), 100.0 * (count(*) FILTER (WHERE nps >= 9)
               - count(*) FILTER (WHERE nps <= 6)) / nullif(count(nps), 0)
        FROM feedback_events e LEFT JOIN comment_insights ci ON ci.event_pk = e.id
        WHERE e.occurred_at >= $1 AND e.occurred_at < $2 AND e.respondent_type = 'customer'
          AND {where}
        """,
        datetime.fromisoformat(WINDOW["from"]), datetime.fromisoformat(WINDOW["to"]), *args,
    )  # fmt: skip
    assert row is not None
    return row[0], None if row[1] is None else float(row[1])


@pytest.mark.parametrize("rolled", [False, True])
@pytest.mark.usefixtures("comments")
async def test_summary_filters_read_raw_rows_and_stay_exact(
    client: httpx.AsyncClient, read_key: Headers, conn: asyncpg.Connection, roll_up: RollUp,
    rolled: bool,
) -> None:  # fmt: skip
    if rolled:  # every event in the cells: a rollup answer would ignore the comment filter
        await roll_up(("UTC",), None)
    cases = [
        ({"theme": "waiting"}, "ci.themes && $3::text[]", ["waiting"]),
        ({"theme": "waiting,price"}, "ci.themes && $3::text[]", ["waiting", "price"]),
        ({"sentiment": "positive"}, "ci.sentiment = ANY($3::text[])", ["positive"]),
        ({"language": "en", "channel": "pos"}, "ci.language = ANY($3::text[])", ["en"]),
        ({"theme": "price", "sentiment": "negative"},
         "ci.themes && $3::text[] AND ci.sentiment = 'negative'", ["price"]),
    ]  # fmt: skip
    for params, where, values in cases:
        response = await client.get(
            "/v1/metrics/summary", params={**WINDOW, **params, "metrics": "nps"}, headers=read_key
        )
        assert response.status_code == 200, response.text
        nps = response.json()["metrics"]["nps"]
        n, value = await plain_nps(conn, where, values)
        assert (nps["n"], nps["value"]) == (n, pytest.approx(value)), params
        assert response.json()["filters"][next(iter(params))]


@pytest.mark.parametrize("rolled", [False, True])
@pytest.mark.usefixtures("comments")
async def test_breakdown_and_timeseries_by_comment_dimensions(
    client: httpx.AsyncClient, read_key: Headers, conn: asyncpg.Connection, roll_up: RollUp,
    rolled: bool,
) -> None:  # fmt: skip
    if rolled:
        await roll_up(("UTC",), None)
    for group_by, key in (
        ("theme", "t.theme"), ("sentiment", "ci.sentiment"), ("language", "ci.language"),
    ):  # fmt: skip
        response = await client.get(
            "/v1/metrics/breakdown", params={**WINDOW, "group_by": group_by}, headers=read_key
        )
        assert response.status_code == 200, response.text
        body = response.json()
        assert Breakdown.model_validate(body).model_dump(mode="json", by_alias=True) == body
        source = (
            "feedback_events e JOIN comment_insights ci ON ci.event_pk = e.id "
            "CROSS JOIN LATERAL unnest(ci.themes) AS t(theme)"
            if group_by == "theme"
            else "feedback_events e LEFT JOIN comment_insights ci ON ci.event_pk = e.id"
        )
        expected = dict(
            await conn.fetch(
                f"SELECT {key}, count(e.nps) FROM {source} WHERE e.occurred_at >= $1 "
                "AND e.occurred_at < $2 AND e.respondent_type = 'customer' GROUP BY 1",
                datetime.fromisoformat(WINDOW["from"]), datetime.fromisoformat(WINDOW["to"]),
            )
        )  # fmt: skip
        assert {r["group"]: r["n"] for r in body["rows"]} == expected, group_by
        # An event counts in each of its themes; the pool counts it once.
        assert body["pooled"]["n"] == 12  # the 10 enriched, the pending one and the silent one
    series = await client.get(
        "/v1/metrics/timeseries",
        params={**WINDOW, "interval": "week", "group_by": "theme", "metrics": "nps"},
        headers=read_key,
    )
    body = series.json()
    assert Timeseries.model_validate(body).model_dump(mode="json", by_alias=True) == body
    per_theme: dict[str, int] = {}
    for row in body["rows"]:
        per_theme[row["group"]] = per_theme.get(row["group"], 0) + row["n"]
    assert per_theme == {"waiting": 4, "price": 3}


@pytest.mark.usefixtures("comments")
async def test_every_metrics_endpoint_takes_the_comment_filters(
    client: httpx.AsyncClient, read_key: Headers, conn: asyncpg.Connection
) -> None:
    params = {**WINDOW, "theme": "waiting", "metrics": "nps"}

    async def get(path: str, **extra: str) -> dict[str, Any]:
        response = await client.get(path, params={**params, **extra}, headers=read_key)
        assert response.status_code == 200, (path, response.text)
        body: dict[str, Any] = response.json()
        return body

    compared = (await get("/v1/metrics/compare"))["metrics"][0]
    assert (compared["current"]["n"], compared["previous"]["n"]) == (4, 1)
    assert (await get("/v1/metrics/consistency"))["pooled"]["n"] == 4
    chain = await get("/v1/metrics/service-profit-chain")
    assert [(b["location_id"], b["customer_n"]) for b in chain["branches"]] == [("vie-07", 4)]
    series = await get("/v1/metrics/timeseries", interval="week")
    assert sum(r["n"] for r in series["rows"] if r["metric"] == "nps") == 4
    # Follow-up cases (one per detractor's event) whose feedback mentions waiting.
    cases = await conn.fetchval(
        """
        SELECT count(*) FROM follow_ups f JOIN comment_insights ci ON ci.event_pk = f.event_pk
        WHERE 'waiting' = ANY(ci.themes) AND f.occurred_at >= $1 AND f.occurred_at < $2
          AND f.respondent_type = 'customer'
        """,
        datetime.fromisoformat(WINDOW["from"]), datetime.fromisoformat(WINDOW["to"]),
    )  # fmt: skip
    assert cases == 3  # w1, w2, w3; w4 is a promoter
    loop = await get("/v1/metrics/follow-ups", sentiment="negative")
    assert loop["overall"]["cases"] == cases
