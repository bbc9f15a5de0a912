"""Attributes as dimensions: `attribute.<key>` filters and `group_by=attribute:<key>`.

Seeded random events with attributes of every kind (text, booleans, numbers as
integers and floats, a mix, a key with many values, a key whose name holds quotes and
SQL), posted through the API; every answer is checked against a plain-Python reference
over the same events (what the filter and the groups should select, by the rules of
docs/metrics.md), and the quantile edges against PostgreSQL's own percentile_disc over
the selection, written here in plain SQL. Every instant derives from one `NOW`.
"""

import csv
import io
import math
import random
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import asyncpg
import httpx
import orjson
import pytest

from app.metrics.schemas import AttributeReport, Breakdown, Consistency, Timeseries
from app.rollups.cubes import cube_for
from app.settings import Settings
from tests.conftest import Headers, RollUp
from tests.metrics.test_summary import post_events

NOW = datetime.now(UTC).replace(microsecond=0)
WINDOW = {"from": (NOW - timedelta(days=4)).isoformat(), "to": NOW.isoformat()}
BOUND = 20  # FEEDBACK_MAX_ATTRIBUTE_VALUES in these tests
ODD = "it's\"; DROP TABLE feedback_events; --"  # a key that is data, not SQL
MISSING = object()
EVENTS = 400


@pytest.fixture
def settings() -> Settings:
    return Settings(
        database_url="postgresql://unused-in-rolled-back-tests/none", max_attribute_values=BOUND
    )


def _pick(rng: random.Random, *choices: Any) -> Any:
    return rng.choice(choices)


def make_events() -> list[dict[str, Any]]:
    rng = random.Random(20)
    events = []
    for i in range(EVENTS):
        attributes = {
            "tier": _pick(rng, "gold", "silver", "bronze", None, MISSING),
            "member": _pick(rng, True, False, MISSING),
            "visits": _pick(rng, 1, 2, 2.0, 3, 4.5, 5, None, MISSING),
            "wait": _pick(rng, rng.randint(0, 30), rng.randint(0, 29) + 0.5, 5, 5.0, MISSING),
            "basket": _pick(rng, round(rng.uniform(1, 200), 2), MISSING),
            "mixed": _pick(rng, 5, 5.0, "5", "five", 7, True),
            "code": f"c{rng.randint(0, 29)}",
            ODD: _pick(rng, "a'b", "x;--", MISSING),
        }
        employee = rng.random() < 0.1
        events.append(
            {
                "event_id": f"attr-{i}",
                "channel": _pick(rng, "pos", "web"),
                "occurred_at": (NOW - timedelta(minutes=rng.randint(1, 3 * 24 * 60))).isoformat(),
                "nps": _pick(rng, *range(11), None) if i % 7 else None,
                "csat": rng.randint(1, 5),
                "respondent": {"type": "employee" if employee else "customer"},
                "attributes": {k: v for k, v in attributes.items() if v is not MISSING},
            }
        )
    return events


@pytest.fixture
async def events(client: httpx.AsyncClient, ingest_key: Headers) -> list[dict[str, Any]]:
    made = make_events()
    await post_events(client, ingest_key, made)
    return made


# ------------------------------------------------------------------ the reference


def customers(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What metrics count without a respondent_type filter."""
    return [e for e in events if e["respondent"]["type"] == "customer"]


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def text_form(value: Any) -> str | None:
    """The attribute as PostgreSQL's `->>` writes it (JSON numbers as sent)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def number_label(value: Any) -> str:
    """A number's group label: plain, no trailing zeros (5.0 -> "5")."""
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if number == number.to_integral_value():
        return str(int(number))
    return format(number.normalize(), "f")


def matches(value: Any, wanted: str) -> bool:
    """Whether a filter value selects an attribute (the rules of docs/metrics.md, here in
    Python): the same text form, an equal number, or a number in a bin label's range."""
    if value is None:
        return False
    if text_form(value) == wanted:
        return True
    if not is_number(value):
        return False
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if wanted.startswith("[") and wanted.endswith(")") and ".." in wanted:
        low, high = wanted[1:-1].split("..")
        return (not low or number >= Decimal(low)) and (not high or number < Decimal(high))
    try:
        return number == Decimal(wanted)
    except ArithmeticError:
        return False


def selected(events: Iterable[dict[str, Any]], key: str, *wanted: str) -> list[dict[str, Any]]:
    return [e for e in events if any(matches(e["attributes"].get(key), w) for w in wanted)]


def nps(scores: list[int]) -> float | None:
    if not scores:
        return None
    return 100 * (sum(s >= 9 for s in scores) - sum(s <= 6 for s in scores)) / len(scores)


def by_group(
    events: Iterable[dict[str, Any]], label: Callable[[Any], str | None], key: str
) -> dict[str | None, list[dict[str, Any]]]:
    groups: dict[str | None, list[dict[str, Any]]] = defaultdict(list)
    for event in events:
        value = event["attributes"].get(key)
        groups[None if value is None else label(value)].append(event)
    return groups


def bin_of(edges: list[Decimal]) -> Callable[[Any], str | None]:
    """The label of a number's bin between `edges` (independently of the service)."""

    def text(d: Decimal) -> str:
        return number_label(int(d)) if d == d.to_integral_value() else format(d.normalize(), "f")

    def label(value: Any) -> str | None:
        if not is_number(value):
            return None
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        below = [e for e in edges if e <= number]
        if not below:
            return f"[..{text(edges[0])})"
        low = below[-1]
        higher = [e for e in edges if e > number]
        return f"[{text(low)}..{text(higher[0]) if higher else ''})"

    return label


def expected_rows(groups: dict[str | None, list[dict[str, Any]]]) -> dict[str | None, Any]:
    """Per group: (NPS n, NPS)."""
    out = {}
    for name, members in groups.items():
        scores = [e["nps"] for e in members if e["nps"] is not None]
        out[name] = (len(scores), nps(scores))
    return out


async def get(client: httpx.AsyncClient, path: str, key: Headers, **params: Any) -> httpx.Response:
    return await client.get(path, params={**WINDOW, **params}, headers=key)


def rows_of(body: dict[str, Any]) -> dict[str | None, Any]:
    return {r["group"]: (r["n"], r["value"]) for r in body["rows"]}


def close(got: float | None, want: float | None) -> bool:
    if got is None or want is None:
        return got is want
    return got == pytest.approx(want)


def same(got: dict[str | None, Any], want: dict[str | None, Any]) -> None:
    assert set(got) == set(want)
    for name, (n, value) in want.items():
        assert got[name][0] == n, name
        assert close(got[name][1], value), name


# ------------------------------------------------------------------ filters


@pytest.mark.parametrize(
    ("key", "values"),
    [
        ("tier", ("gold",)),
        ("tier", ("gold", "bronze")),  # alternatives
        ("member", ("true",)),
        ("member", ("false",)),
        ("visits", ("2",)),  # 2 and 2.0
        ("visits", ("2.0",)),
        ("visits", ("4.5",)),
        ("mixed", ("5",)),  # 5, 5.0 and "5"
        ("mixed", ("true",)),
        ("wait", ("[5..10)",)),
        ("wait", ("[..5)", "[20..)")),
        ("wait", ("[4.5..5.5)",)),
        ("basket", ("[100..)",)),
        (ODD, ("a'b",)),
        ("nowhere", ("x",)),
    ],
)
async def test_filters_select_exactly_what_the_rules_say(
    client: httpx.AsyncClient,
    read_key: Headers,
    events: list[dict[str, Any]],
    key: str,
    values: tuple[str, ...],
) -> None:
    want = selected(customers(events), key, *values)
    response = await get(
        client, "/v1/metrics/summary", read_key, metrics="nps,volume",
        **{f"attribute.{key}": ",".join(values)},
    )  # fmt: skip
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["metrics"]["volume"]["n"] == len(want)
    scores = [e["nps"] for e in want if e["nps"] is not None]
    assert body["metrics"]["nps"]["n"] == len(scores)
    assert close(body["metrics"]["nps"]["value"], nps(scores))
    assert body["filters"][f"attribute:{key}"] == list(values)  # echoed as a dimension
    # Repeated parameters are alternatives too, and two keys both apply.
    other = "tier" if key == "member" else "member"
    repeated = await client.get(
        "/v1/metrics/summary",
        params=[*WINDOW.items(), *((f"attribute.{key}", v) for v in values),
                (f"attribute.{other}", "true,gold")],
        headers=read_key,
    )  # fmt: skip
    both = selected(want, other, "true", "gold")
    assert repeated.json()["metrics"]["volume"]["n"] == len(both)


async def test_attribute_filters_are_exact_after_a_rollup(
    client: httpx.AsyncClient, read_key: Headers, events: list[dict[str, Any]], roll_up: RollUp
) -> None:
    """No rollup keeps attributes: a filtered answer reads raw rows, and stays exact."""
    await roll_up(("UTC",), None)
    want = selected(customers(events), "tier", "silver")
    response = await get(client, "/v1/metrics/summary", read_key, **{"attribute.tier": "silver"})
    assert response.json()["metrics"]["volume"]["n"] == len(want)
    everything = await get(client, "/v1/metrics/summary", read_key)
    assert everything.json()["metrics"]["volume"]["n"] == len(customers(events))


async def test_event_list_and_export_are_filtered_by_attribute(
    client: httpx.AsyncClient, read_key: Headers, events: list[dict[str, Any]]
) -> None:
    """Event lists show every respondent type: employees included."""
    want = {e["event_id"] for e in selected(events, "wait", "[5..10)")}
    assert any(e["respondent"]["type"] == "employee" for e in selected(events, "wait", "[5..10)"))
    page = await get(client, "/v1/feedback", read_key, limit=1000, **{"attribute.wait": "[5..10)"})
    assert page.status_code == 200, page.text
    assert {item["event_id"] for item in page.json()["items"]} == want
    export = await get(client, "/v1/feedback/export", read_key, **{"attribute.tier": "gold,silver"})
    assert export.status_code == 200, export.text
    lines = [orjson.loads(line) for line in export.text.splitlines()]
    assert {line["event_id"] for line in lines} == {
        e["event_id"] for e in selected(events, "tier", "gold", "silver")
    }
    as_csv = await get(
        client, "/v1/feedback/export", read_key, format="csv", **{f"attribute.{ODD}": "x;--"}
    )
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert {r["event_id"] for r in rows} == {e["event_id"] for e in selected(events, ODD, "x;--")}


async def test_follow_up_figures_are_filtered_by_their_events_attributes(
    client: httpx.AsyncClient, read_key: Headers, events: list[dict[str, Any]]
) -> None:
    """Cases are opened for detractors and low CSAT (the default rules); a case carries no
    attributes, so the filter reads its event's."""
    want = [
        e for e in selected(customers(events), "tier", "gold")
        if (e["nps"] is not None and e["nps"] <= 6) or e["csat"] <= 2
    ]  # fmt: skip
    response = await get(client, "/v1/metrics/follow-ups", read_key, **{"attribute.tier": "gold"})
    assert response.status_code == 200, response.text
    assert response.json()["overall"]["cases"] == len(want) > 0


# ------------------------------------------------------------------ groups


async def test_breakdown_and_timeseries_group_by_a_text_attribute(
    client: httpx.AsyncClient, read_key: Headers, events: list[dict[str, Any]]
) -> None:
    want = expected_rows(by_group(customers(events), text_form, "tier"))
    assert None in want  # without the key, or null: the null group
    response = await get(client, "/v1/metrics/breakdown", read_key, group_by="attribute:tier")
    assert response.status_code == 200, response.text
    body = response.json()
    assert Breakdown.model_validate(body).model_dump(mode="json", by_alias=True) == body
    assert body["bins"] is None
    same(rows_of(body), want)
    assert body["pooled"]["n"] == sum(n for n, _ in want.values())

    series = await get(
        client, "/v1/metrics/timeseries", read_key, group_by="attribute:tier", interval="day",
        metrics="nps",
    )  # fmt: skip
    assert series.status_code == 200, series.text
    body = series.json()
    assert Timeseries.model_validate(body).model_dump(mode="json", by_alias=True) == body
    totals: dict[str | None, int] = Counter()
    cells = 0
    for row in body["rows"]:
        totals[row["group"]] += row["n"]
        cells += row["n"] > 0
    assert totals == {name: n for name, (n, _) in want.items()}
    assert cells >= 4 * 3  # several days, several groups
    # Groups in order, the null group last.
    groups = list(dict.fromkeys(r["group"] for r in body["rows"]))
    assert groups == ["bronze", "gold", "silver", None]


async def test_booleans_and_mixed_keys_group_by_their_text_form(
    client: httpx.AsyncClient, read_key: Headers, events: list[dict[str, Any]]
) -> None:
    for key in ("member", "mixed", ODD):
        want = expected_rows(by_group(customers(events), text_form, key))
        response = await get(client, "/v1/metrics/breakdown", read_key, group_by=f"attribute:{key}")
        assert response.status_code == 200, response.text
        same(rows_of(response.json()), want)
    member = await get(client, "/v1/metrics/breakdown", read_key, group_by="attribute:member")
    assert {r["group"] for r in member.json()["rows"]} == {"true", "false", None}


async def test_a_numeric_key_with_few_values_groups_by_value(
    client: httpx.AsyncClient, read_key: Headers, events: list[dict[str, Any]]
) -> None:
    """2 and 2.0 are one group, "2"; every label selects its group back as a filter."""
    want = expected_rows(by_group(customers(events), number_label, "visits"))
    assert set(want) == {"1", "2", "3", "4.5", "5", None}
    response = await get(
        client, "/v1/metrics/breakdown", read_key, group_by="attribute:visits", sort="group",
        order="asc",
    )  # fmt: skip
    body = response.json()
    assert body["bins"] is None
    same(rows_of(body), want)
    assert [r["group"] for r in body["rows"]] == ["1", "2", "3", "4.5", "5", None]
    for label in ("2", "4.5"):
        back = await get(client, "/v1/metrics/summary", read_key, **{"attribute.visits": label})
        assert back.json()["metrics"]["nps"]["n"] == want[label][0]


async def test_explicit_bins(
    client: httpx.AsyncClient, read_key: Headers, events: list[dict[str, Any]]
) -> None:
    edges = [Decimal(5), Decimal(10), Decimal("20.5")]
    want = expected_rows(by_group(customers(events), bin_of(edges), "wait"))
    labels = ["[..5)", "[5..10)", "[10..20.5)", "[20.5..)"]
    assert set(want) == {*labels, None}
    params = {"group_by": "attribute:wait", "bins": "5,10,20.5"}
    response = await get(client, "/v1/metrics/breakdown", read_key, **params)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["bins"] == {
        "attribute": "wait", "method": "explicit", "edges": [5, 10, 20.5], "labels": labels
    }  # fmt: skip
    same(rows_of(body), want)
    consistency = await get(client, "/v1/metrics/consistency", read_key, min_n=5, **params)
    assert consistency.status_code == 200, consistency.text
    body = consistency.json()
    assert Consistency.model_validate(body).model_dump(mode="json", by_alias=True) == body
    assert body["bins"]["labels"] == labels
    same(rows_of(body), want)
    series = await get(
        client, "/v1/metrics/timeseries", read_key, interval="day", metrics="nps", **params
    )
    assert series.json()["bins"]["edges"] == [5, 10, 20.5]
    assert list(dict.fromkeys(r["group"] for r in series.json()["rows"])) == [*labels, None]
    # A bin's label is also a filter: it selects that bin.
    for label in labels:
        back = await get(client, "/v1/metrics/summary", read_key, **{"attribute.wait": label})
        assert back.json()["metrics"]["nps"]["n"] == want[label][0]
    as_csv = await get(client, "/v1/metrics/breakdown", read_key, format="csv", **params)
    table = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert {r["group"] or None for r in table} == {*labels, None}


async def selection_quantiles(
    conn: asyncpg.Connection, key: str, fractions: list[float]
) -> list[Decimal]:
    """percentile_disc of the key's numbers over the metrics' selection (the window, the
    customers), repeats dropped: written here independently of the service."""
    found = await conn.fetchval(
        """
        SELECT percentile_disc($4::float8[]) WITHIN GROUP (ORDER BY (attributes ->> $3)::numeric)
        FROM feedback_events
        WHERE occurred_at >= $1 AND occurred_at < $2 AND respondent_type = 'customer'
          AND jsonb_typeof(attributes -> $3) = 'number'
        """,
        datetime.fromisoformat(WINDOW["from"]), datetime.fromisoformat(WINDOW["to"]), key,
        fractions,
    )  # fmt: skip
    return sorted(set(found))


def json_numbers(values: list[Decimal]) -> list[float]:
    return [float(v) for v in values]


async def test_quantile_bins_are_postgresql_percentiles_of_the_selection(
    client: httpx.AsyncClient, read_key: Headers, conn: asyncpg.Connection, events: list[Any]
) -> None:
    edges = await selection_quantiles(conn, "basket", [0.25, 0.5, 0.75])
    assert len(edges) == 3
    response = await get(
        client, "/v1/metrics/breakdown", read_key, group_by="attribute:basket",
        bins="quantiles:4", metric="volume",
    )  # fmt: skip
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["bins"]["method"] == "quantiles"
    assert body["bins"]["edges"] == json_numbers(edges)
    groups = by_group(customers(events), bin_of(edges), "basket")
    assert {r["group"]: r["n"] for r in body["rows"]} == {g: len(m) for g, m in groups.items()}
    # A numeric key with more distinct values than the bound: quintiles.
    quintiles = await selection_quantiles(conn, "wait", [0.2, 0.4, 0.6, 0.8])
    default = await get(client, "/v1/metrics/breakdown", read_key, group_by="attribute:wait")
    assert default.json()["bins"]["method"] == "quantiles"
    assert default.json()["bins"]["edges"] == json_numbers(quintiles)
    same(rows_of(default.json()), expected_rows(by_group(customers(events), bin_of(quintiles),
                                                         "wait")))  # fmt: skip


async def test_quantiles_of_a_key_nobody_sent_are_no_bins(
    client: httpx.AsyncClient, read_key: Headers, events: list[dict[str, Any]]
) -> None:
    response = await get(
        client, "/v1/metrics/breakdown", read_key, group_by="attribute:nowhere",
        bins="quantiles:4", metric="volume",
    )  # fmt: skip
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["bins"]["edges"], body["bins"]["labels"]) == ([], [])
    assert [(r["group"], r["n"]) for r in body["rows"]] == [(None, len(customers(events)))]


async def test_quantiles_follow_the_filters(
    client: httpx.AsyncClient, read_key: Headers, events: list[dict[str, Any]]
) -> None:
    """The edges are those of the selection: another filter, other edges."""
    chosen = [
        Decimal(repr(e["attributes"]["basket"]))
        for e in customers(events)
        if e["channel"] == "web" and "basket" in e["attributes"]
    ]
    chosen.sort()
    # percentile_disc: the first value whose cumulative share reaches the fraction.
    want = [chosen[math.ceil(len(chosen) / 2) - 1]]
    response = await get(
        client, "/v1/metrics/breakdown", read_key, group_by="attribute:basket",
        bins="quantiles:2", channel="web",
    )  # fmt: skip
    assert response.json()["bins"]["edges"] == json_numbers(want)


async def test_too_many_values_is_a_422_that_says_how_many(
    client: httpx.AsyncClient, read_key: Headers, events: list[dict[str, Any]]
) -> None:
    distinct = len({e["attributes"]["code"] for e in customers(events)})
    assert distinct > BOUND
    response = await get(client, "/v1/metrics/breakdown", read_key, group_by="attribute:code")
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert str(distinct) in problem["detail"]
    assert str(BOUND) in problem["detail"]
    assert problem["errors"][0]["loc"] == ["query", "group_by"]
    assert problem["errors"][0]["type"] == "too_many_values"
    # Narrowed by a filter, it groups.
    narrowed = await get(
        client, "/v1/metrics/breakdown", read_key, group_by="attribute:code",
        **{"attribute.code": "c1,c2,c3"},
    )  # fmt: skip
    assert narrowed.status_code == 200, narrowed.text
    assert {r["group"] for r in narrowed.json()["rows"]} <= {"c1", "c2", "c3"}


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"attribute.": "x"}, "attribute."),
        ({"attribute." + "k" * 65: "x"}, "attribute." + "k" * 65),
        ({"attribute.a\x01b": "x"}, "attribute.a\x01b"),
        ({"attribute.a\n": "x"}, "attribute.a\n"),
        ({"attribute.wait": "[10..5)"}, "attribute.wait"),
        ({"attribute.wait": "[1e99..)"}, "attribute.wait"),
        ({"attribute.wait": "a,,b"}, "attribute.wait"),
        ({f"attribute.k{i}": "x" for i in range(11)}, "attribute.<key>"),
        ({"group_by": "attribute:wait", "bins": "10,5"}, "bins"),
        ({"group_by": "attribute:wait", "bins": "5,5"}, "bins"),
        ({"group_by": "attribute:wait", "bins": "five"}, "bins"),
        ({"group_by": "attribute:wait", "bins": "quantiles:1"}, "bins"),
        ({"group_by": "attribute:wait", "bins": "quantiles:21"}, "bins"),
        ({"group_by": "attribute:wait", "bins": ",".join(map(str, range(60)))}, "bins"),
        ({"group_by": "channel", "bins": "5,10"}, "bins"),
        ({"group_by": "attribute:tier", "bins": "5,10"}, "bins"),  # text: no bins
        ({"group_by": "attribute:mixed", "bins": "quantiles:4"}, "bins"),
        ({"group_by": "attribute:"}, "group_by"),
        ({"group_by": "attribute:" + "k" * 65}, "group_by"),
        ({"group_by": "attribute:a\x01"}, "group_by"),
        ({"group_by": "attribute:a\n"}, "group_by"),
        ({"group_by": "planet"}, "group_by"),
    ],
)
async def test_bad_attribute_requests_are_422_naming_the_parameter(
    client: httpx.AsyncClient,
    read_key: Headers,
    events: list[dict[str, Any]],
    params: dict[str, str],
    parameter: str,
) -> None:
    query = {"group_by": "channel", **params}
    response = await get(client, "/v1/metrics/breakdown", read_key, **query)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert [e["loc"] for e in response.json()["errors"]] == [["query", parameter]]


async def test_a_key_of_quotes_and_sql_is_only_data(
    client: httpx.AsyncClient, read_key: Headers, conn: asyncpg.Connection, events: list[Any]
) -> None:
    want = expected_rows(by_group(customers(events), text_form, ODD))
    response = await get(client, "/v1/metrics/breakdown", read_key, group_by=f"attribute:{ODD}")
    assert response.status_code == 200, response.text
    same(rows_of(response.json()), want)
    filtered = await get(client, "/v1/metrics/summary", read_key, **{f"attribute.{ODD}": "a'b"})
    assert filtered.json()["metrics"]["volume"]["n"] == len(selected(customers(events), ODD, "a'b"))
    assert await conn.fetchval("SELECT count(*) FROM feedback_events") == EVENTS


async def test_themes_group_by_an_attribute(
    client: httpx.AsyncClient, read_key: Headers, events: list[dict[str, Any]]
) -> None:
    """The themes answer takes the same groups (here with no enriched comment: none)."""
    response = await get(
        client, "/v1/metrics/themes", read_key, group_by="attribute:wait", bins="10"
    )
    assert response.status_code == 200, response.text
    assert response.json()["bins"]["labels"] == ["[..10)", "[10..)"]


# ------------------------------------------------------------------ discovery


async def test_discovery_lists_every_key_with_its_kind_and_values(
    client: httpx.AsyncClient, read_key: Headers, conn: asyncpg.Connection, events: list[Any]
) -> None:
    response = await get(client, "/v1/metrics/attributes", read_key)
    assert response.status_code == 200, response.text
    body = response.json()
    assert AttributeReport.model_validate(body).model_dump(mode="json", by_alias=True) == body
    chosen = customers(events)
    keys = Counter(k for e in chosen for k, v in e["attributes"].items() if v is not None)
    assert body["keys"] == len(keys)
    assert body["more_keys"] is False
    assert body["max_values"] == BOUND
    listed = {a["key"]: a for a in body["attributes"]}
    assert [a["key"] for a in body["attributes"]] == sorted(keys, key=lambda k: (-keys[k], k))
    kinds = {"tier": "text", "member": "boolean", "visits": "numeric", "wait": "numeric",
             "basket": "numeric", "mixed": "mixed", "code": "text", ODD: "text"}  # fmt: skip
    for key, kind in kinds.items():
        profile = listed[key]
        values = [e["attributes"][key] for e in chosen if e["attributes"].get(key) is not None]
        assert (profile["kind"], profile["n"]) == (kind, keys[key]), key
        if kind == "numeric":
            numbers = {Decimal(repr(v)) if isinstance(v, float) else Decimal(v) for v in values}
            assert profile["distinct"] == len(numbers)
            assert profile["min"] == float(min(numbers))
            assert profile["max"] == float(max(numbers))
            assert profile["quartiles"] == json_numbers(
                await selection_quantiles_all(conn, key, [0.25, 0.5, 0.75])
            )
            assert profile["top"] is None
        else:
            texts = Counter(text_form(v) for v in values)
            assert profile["distinct"] == len(texts)
            top = sorted(texts.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
            assert [(t["value"], t["n"]) for t in profile["top"]] == top
            assert profile["min"] is None
        assert profile["more_than_bound"] is (profile["distinct"] > BOUND)
    assert listed["wait"]["more_than_bound"]
    assert listed["code"]["more_than_bound"]
    assert not listed["visits"]["more_than_bound"]
    as_csv = await get(client, "/v1/metrics/attributes", read_key, format="csv")
    table = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert [r["key"] for r in table] == [a["key"] for a in body["attributes"]]
    assert table[0].keys() >= {"kind", "p25", "median", "p75", "top"}


async def selection_quantiles_all(
    conn: asyncpg.Connection, key: str, fractions: list[float]
) -> list[Decimal]:
    """As `selection_quantiles`, repeats kept (quartiles are three numbers)."""
    found: list[Decimal] = await conn.fetchval(
        """
        SELECT percentile_disc($4::float8[]) WITHIN GROUP (ORDER BY (attributes ->> $3)::numeric)
        FROM feedback_events
        WHERE occurred_at >= $1 AND occurred_at < $2 AND respondent_type = 'customer'
          AND jsonb_typeof(attributes -> $3) = 'number'
        """,
        datetime.fromisoformat(WINDOW["from"]), datetime.fromisoformat(WINDOW["to"]), key,
        fractions,
    )  # fmt: skip
    return found


async def test_discovery_follows_the_filters(
    client: httpx.AsyncClient, read_key: Headers, events: list[dict[str, Any]]
) -> None:
    response = await get(
        client, "/v1/metrics/attributes", read_key, respondent_type="employee",
        **{"attribute.tier": "gold"},
    )  # fmt: skip
    body = response.json()
    chosen = [e for e in selected(events, "tier", "gold") if e["respondent"]["type"] == "employee"]
    listed = {a["key"]: a["n"] for a in body["attributes"]}
    assert listed["tier"] == len(chosen)
    assert body["filters"]["attribute:tier"] == ["gold"]


def test_attributes_are_never_read_from_a_rollup() -> None:
    assert cube_for(["channel"]) is not None
    assert cube_for(["channel", "attribute:channel"]) is None
    assert cube_for(["attribute:location_id"]) is None


async def test_a_key_with_a_plus_is_one_attribute_not_two_dimensions(
    client: httpx.AsyncClient, ingest_key: Headers, read_key: Headers
) -> None:
    """`location_id+touchpoint` names two dimensions; `attribute:a+tag` one key (an event
    with two tags must not be counted twice)."""
    at = (NOW - timedelta(hours=1)).isoformat()
    await post_events(
        client, ingest_key,
        [{"event_id": f"plus-{i}", "channel": "web", "nps": 10, "occurred_at": at,
          "tags": ["x", "y"], "attributes": {"a+tag": "v" if i else "w"}} for i in range(3)],
    )  # fmt: skip
    response = await get(client, "/v1/metrics/breakdown", read_key, group_by="attribute:a+tag")
    assert response.status_code == 200, response.text
    assert {r["group"]: r["n"] for r in response.json()["rows"]} == {"v": 2, "w": 1}
