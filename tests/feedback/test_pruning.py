"""Every query that reads raw events by a window reads only the partitions of the window.

The queries are run as the service runs them: requests to its endpoints, on a database
with six monthly partitions of events (half rolled up), and PostgreSQL's own
`auto_explain` sends the plan of every statement they execute (`ANALYZE`: what each node
of the plan actually did) to the test's connection. A partition scanned (a scan node of
it executed at least once) whose month lies outside the request's window fails the test.

Which queries read raw events is found in the source: every string of app/ that names
`feedback_events` (docstrings aside) belongs to a top-level function or constant, a
*site*. Each site is classified below: read by a window (and run by the probes that name
it), read by key (the ledger's or a case's (id, occurred_at): one partition), or read
without a window, with the reason. A new site fails
`test_every_raw_reading_query_is_classified` until it is classified here.
"""

import ast
import asyncio
import json
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import create_async_engine

from app.auth import service as key_service
from app.auth.schemas import KeyCreate
from app.db import libpq_url
from app.feedback import partitions
from app.main import create_app
from app.rollups import rebuild
from app.rollups import service as rollups
from app.settings import Settings
from tests.conftest import Headers, SharedConnection
from tests.feedback.legacy import event, months_ago, stored

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime.now(UTC)

# ------------------------------------------------------------------ the classification

# Read by a window: the probes (below) that run the site's statements.
WINDOWED: dict[str, tuple[str, ...]] = {
    "app/feedback/service.py:_from": ("list", "search", "export", "export by theme"),
    "app/rollups/queries.py:cells_sql": (
        "summary",
        "summary by tag",
        "summary by attribute",
        "timeseries",
        "breakdown by tag",
        "compare",
        "consistency",
        "servqual",
    ),
    "app/selection/conditions.py:selected_rows": ("breakdown by attribute", "attributes"),
    "app/selection/conditions.py:_attribute_clauses": ("follow-up metrics by attribute",),
    "app/metrics/themes.py:statement": ("themes",),
    "app/text/emerging.py:_SCAN": ("emerging themes",),
    "app/text/emerging.py:emerging": ("emerging themes",),
    "app/drivers/service.py:rows_sql": ("drivers",),
    "app/drivers/service.py:labels_sql": ("drivers",),
    "app/drivers/service.py:_check_count": ("drivers",),
    "app/rollups/rebuild.py:_RANGE_EVENTS": ("rebuild range",),
}
# Read by key: (id, occurred_at) leads to one partition (run-time pruning per lookup).
BY_KEY: dict[str, tuple[str, ...]] = {
    "app/feedback/store.py:GET_SQL": ("one event",),
}
# Read without a window, and why.
UNWINDOWED: dict[str, str] = {
    "app/follow_ups/service.py:loop_sql": "the customer's next feedback after each case of "
    "the window, however much later: the months before the window are pruned, the ones "
    "after it cannot be (checked by the probe 'follow-up metrics by attribute')",
    "app/feedback/store.py:INPUT_CTE": "draws ids from the sequence; reads no event",
    "app/feedback/store.py:STORE_CTES": "the ingest INSERT: each row routed to its month",
    "app/feedback/data_rights.py:_events_sql": "a person's events (data access, erasure): "
    "by respondent id or by id, of any month",
    "app/feedback/data_rights.py:matching_events_sql": "a person's events by respondent id "
    "or contact data: any month",
    "app/feedback/data_rights.py:mentions_sql": "erasure looks for a person's e-mail or "
    "phone in every comment and attribute: every month, on purpose",
    "app/feedback/data_rights.py:ROLLED_EVENTS_SQL": "erasure: the person's events by id",
    "app/feedback/data_rights.py:erasure_ctes": "erasure deletes by id, from whichever "
    "month holds them",
    "app/feedback/data_rights.py:redaction_cte": "erasure redacts mentions in every month",
    "app/feedback/data_rights.py:JSON_PLACES": "erasure redacts attributes in every month",
    "app/feedback/retention.py:received_ids_sql": "retention goes by received_at (arrival), "
    "not the partition key: a backfill of an old month arrives today (each partition's "
    "BRIN index on received_at answers)",
    "app/feedback/retention.py:CLEAR_SQL": "retention: the ids received_ids_sql found",
    "app/feedback/partitions.py:PARENT": "the partitions' own catalog reads and DDL",
    "app/rollups/service.py:NEW_EVENTS": "the rollup round follows ids (its watermark), "
    "not time: a late event of an old month is rolled up too",
    "app/rollups/service.py:STATUS_SQL": "rollup status: the events above the watermark",
    "app/rollups/rebuild.py:DAYS_SQL": "a rebuild counts the events of every day it rolls "
    "up: every month, on purpose",
    "app/observability/prometheus.py:STATE_SQL": "rollup lag: the oldest event above the watermark",
    "app/text/service.py:READ_RANGE_SQL": "the enrichment follows ids (its watermark)",
    "app/text/service.py:STATUS_SQL": "text status: the comments above the watermark",
    "app/text/service.py:READ_PENDING_SQL": "comments to enrich again, by id (text_pending "
    "keeps no occurred_at)",
    "app/text/service.py:DONE_PENDING_SQL": "the same, by id",
    "app/text/service.py:WRITE_SQL": "the insights of the comments just read, by id",
    "app/event_ids.py:LAST_ID_SQL": "the sequence's last value; reads no event",
    "app/event_ids.py:IN_FLIGHT_SQL": "pg_locks on the parent; reads no event",
    "app/demo/service.py:_fill": "the demo's ANALYZE of every partition",
    "app/demo/service.py:SEEDS_SQL": "the demo's cases joined to their events by (id, occurred_at)",
}

# A string naming the parent as SQL does (not a partition, feedback_events_p2026_12 or
# _legacy; not prose quoting it in `backticks`, as an API description does).
NAMES_EVENTS = re.compile(r"(?<![`\w])feedback_events\b(?![_`])")


def sites(root: Path = ROOT) -> set[str]:
    """`path:name` of every top-level function, class method or constant of app/ with a
    string (not a docstring) that names feedback_events."""
    found = set()
    for path in sorted((root / "app").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        documents = {
            id(n.value)
            for n in ast.walk(tree)
            if isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant)
        }

        def names(node: ast.AST, documents: set[int] = documents) -> bool:
            return any(
                isinstance(n, ast.Constant)
                and isinstance(n.value, str)
                and id(n) not in documents
                and NAMES_EVENTS.search(n.value) is not None
                for n in ast.walk(node)
            )

        relative = path.relative_to(root).as_posix()
        for top in tree.body:
            inner = top.body if isinstance(top, ast.ClassDef) else [top]
            prefix = f"{top.name}." if isinstance(top, ast.ClassDef) else ""
            found |= {f"{relative}:{prefix}{_name(n)}" for n in inner if _name(n) and names(n)}
    return found


def _name(node: ast.stmt) -> str | None:
    """The name a top-level statement defines (a function or a constant), if any."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return node.name
    if isinstance(node, (ast.Assign, ast.AnnAssign)):
        target = node.targets[0] if isinstance(node, ast.Assign) else node.target
        if isinstance(target, ast.Name) and not target.id.startswith("__"):  # __tablename__
            return target.id
    return None


def test_every_raw_reading_query_is_classified() -> None:
    classified = set(WINDOWED) | set(BY_KEY) | set(UNWINDOWED)
    assert len(classified) == len(WINDOWED) + len(BY_KEY) + len(UNWINDOWED)
    found = sites()
    assert not found - classified, (
        f"not classified in {__file__}: {sorted(found - classified)}. A statement that reads "
        "feedback_events by a window goes in WINDOWED with a probe that runs it; one that "
        "cannot have a window goes in UNWINDOWED with the reason."
    )
    assert not classified - found, f"classified but not found: {sorted(classified - found)}"
    probed = {p for names in (*WINDOWED.values(), *BY_KEY.values()) for p in names}
    assert probed <= set(PROBES) | set(DIRECT), sorted(probed - set(PROBES) - set(DIRECT))


def test_the_scan_finds_a_new_query(tmp_path: Path) -> None:
    (tmp_path / "app" / "report").mkdir(parents=True)
    (tmp_path / "app" / "report" / "service.py").write_text(
        '"""Reads feedback_events (a docstring: not a query)."""\n'
        'LEGACY = "SELECT * FROM feedback_events_legacy"\n'
        "async def count(conn, c):\n"
        '    """Counts feedback_events."""\n'
        '    return await conn.fetchval(f"SELECT count(*) FROM feedback_events WHERE {c}")\n'
        "class Report:\n"
        "    def rows(self):\n"
        '        return "feedback_events e JOIN locations l"\n',
        encoding="utf-8",
    )
    assert sites(tmp_path) == {"app/report/service.py:count", "app/report/service.py:Report.rows"}


# ------------------------------------------------------------------ the data


@dataclass(frozen=True, slots=True)
class Windows:
    current: tuple[datetime, datetime]  # inside one month, two months ago
    previous: tuple[datetime, datetime]  # inside one month, four months ago

    def params(self, previous: bool = False) -> dict[str, str]:
        out = {"from": self.current[0].isoformat(), "to": self.current[1].isoformat()}
        if previous:
            out |= {"previous_from": self.previous[0].isoformat(),
                    "previous_to": self.previous[1].isoformat()}  # fmt: skip
        return out


def window(months: int) -> tuple[datetime, datetime]:
    start = months_ago(NOW, months, day=3).replace(hour=0)
    return start, start + timedelta(days=10)


WINDOWS = Windows(window(2), window(4))
PER_MONTH = 64


async def spread(conn: asyncpg.Connection) -> None:
    """Events in six months, the first three rolled up;
    themed and unthemed comments, tags, attributes, follow-up cases."""
    batches = []
    for age in range(5, -1, -1):
        batch = []
        for i in range(PER_MONTH):
            at = months_ago(NOW, age, day=1 + i % 25) + timedelta(minutes=i)
            at = min(at, NOW - timedelta(hours=1))
            batch.append(event(
                f"m{age}-{i}", at, nps=(i * 7 + age) % 11, csat=1 + i % 5,
                comment=f"slow till and friendly staff {i % 4}", tags=["t1"] if i % 2 else [],
                attributes={"shop": "ab"[i % 2], "wait": i % 9},
                touchpoint=("checkout", "returns", "web")[i % 3], location_id=f"b{i % 3}",
                respondent={"id": f"r{i % 7}"},
            ))  # fmt: skip
        batches.append(batch)
    for batch in batches[:3]:
        await stored(conn, batch)
    await rollups.catch_up(conn, ("UTC",))
    for batch in batches[3:]:
        await stored(conn, batch)
    await conn.execute(
        "INSERT INTO comment_insights (event_pk, language, language_source, sentiment, "
        "sentiment_source, version, themes, key_phrases) "
        "SELECT id, 'en', 'given', 'negative', 'model', 't', "
        "CASE WHEN id % 3 = 0 THEN '{}'::text[] ELSE '{waiting_time}' END, "
        "CASE WHEN occurred_at > now() - interval '75 days' THEN '{till broken, slow till}' "
        "ELSE '{friendly staff}' END::text[] FROM feedback_events"
    )
    await conn.execute("ANALYZE")


@pytest.fixture(scope="module")
async def spread_url(fresh_database: Callable[[], Awaitable[URL]]) -> URL:
    """A database of its own with the events of `spread`, committed once for every probe."""
    url = await fresh_database()
    conn = await asyncpg.connect(libpq_url(url))
    try:
        await spread(conn)
    finally:
        await conn.close()
    return url


@dataclass
class Service:
    client: httpx.AsyncClient
    conn: asyncpg.Connection  # the one the app's requests run on
    key: Headers


@pytest.fixture
async def service(spread_url: URL, settings: Settings) -> AsyncIterator[Service]:
    """The app on one connection to that database (as the suite's `app` has it: through
    SQLAlchemy, whose asyncpg dialect decodes JSON), in a transaction rolled back after."""
    engine = create_async_engine(spread_url)
    async with engine.connect() as connection:
        raw = await connection.get_raw_connection()
        conn: asyncpg.Connection = raw.driver_connection
        transaction = conn.transaction()
        await transaction.start()
        app = create_app(settings)
        app.state.db = SharedConnection(conn)
        try:
            spec = KeyCreate.model_validate({"name": "probe", "scope": "admin"})
            _, token = await key_service.create_key(conn, spec)
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
                yield Service(client, conn, {"Authorization": f"Bearer {token}"})
        finally:
            await transaction.rollback()
    await engine.dispose()


# ------------------------------------------------------------------ the plans


@asynccontextmanager
async def plans(conn: asyncpg.Connection) -> AsyncIterator[list[dict[str, Any]]]:
    """The plan (with what each node did) of every statement run on `conn` meanwhile,
    nested ones included (auto_explain, its log lines sent to this client)."""
    got: list[dict[str, Any]] = []

    def listen(_: object, message: asyncpg.PostgresLogMessage) -> None:
        text = message.message
        if "plan:" in text:
            got.append(json.loads(text.split("plan:", 1)[1]))

    await conn.execute("LOAD 'auto_explain'")
    for setting, value in {
        "log_min_duration": "0", "log_analyze": "on", "log_timing": "off",
        "log_format": "json", "log_nested_statements": "on", "log_level": "notice",
    }.items():  # fmt: skip
        await conn.execute(f"SET auto_explain.{setting} = {value}")
    conn.add_log_listener(listen)
    try:
        yield got
        await conn.fetchval("SELECT 1")  # a round trip after the last notices
        await asyncio.sleep(0.01)  # which their listener is called soon after
    finally:
        conn.remove_log_listener(listen)
        await conn.execute("SET auto_explain.log_min_duration = -1")


def scanned(node: dict[str, Any], names: set[str]) -> set[str]:
    """The partitions a plan's nodes scanned (executed at least once)."""
    out = set()
    if node.get("Relation Name") in names and node.get("Actual Loops", 0) > 0:
        out.add(node["Relation Name"])
    for child in node.get("Plans", []):
        out |= scanned(child, names)
    return out


Range = tuple[datetime, datetime | None]  # None: no end (every later month)


def outside(p: partitions.Partition, allowed: list[Range]) -> bool:
    return not any(
        (p.upper is None or start < p.upper) and (end is None or p.lower is None or p.lower < end)
        for start, end in allowed
    )


# ------------------------------------------------------------------ the probes

Probe = Callable[[httpx.AsyncClient, Headers], Awaitable[list[httpx.Response]]]


def get(path: str, *, previous: bool = False, **params: Any) -> Probe:
    async def run(client: httpx.AsyncClient, key: Headers) -> list[httpx.Response]:
        merged = {**WINDOWS.params(previous), **params}
        return [await client.get(path, params=merged, headers=key)]

    return run


async def one_event(client: httpx.AsyncClient, key: Headers) -> list[httpx.Response]:
    return [await client.get("/v1/feedback/m2-5", headers=key)]


CURRENT: list[Range] = [WINDOWS.current]
SHOP_A: dict[str, Any] = {"attribute.shop": "a"}
BOTH: list[Range] = [WINDOWS.current, WINDOWS.previous]
# Each probe: the requests, and the ranges whose partitions it may read.
PROBES: dict[str, tuple[Probe, list[Range]]] = {
    "list": (get("/v1/feedback", limit=50), CURRENT),
    "search": (get("/v1/feedback", q="till"), CURRENT),
    "export": (get("/v1/feedback/export", format="csv"), CURRENT),
    "export by theme": (get("/v1/feedback/export", theme="waiting_time"), CURRENT),
    "summary": (get("/v1/metrics/summary"), CURRENT),
    "summary by tag": (get("/v1/metrics/summary", tag="t1"), CURRENT),
    "summary by attribute": (get("/v1/metrics/summary", **SHOP_A), CURRENT),
    "timeseries": (get("/v1/metrics/timeseries", interval="day"), CURRENT),
    "breakdown by tag": (get("/v1/metrics/breakdown", group_by="tag"), CURRENT),
    "breakdown by attribute": (get("/v1/metrics/breakdown", group_by="attribute:wait"), CURRENT),
    "attributes": (get("/v1/metrics/attributes"), CURRENT),
    "compare": (get("/v1/metrics/compare", previous=True), BOTH),
    "consistency": (get("/v1/metrics/consistency", group_by="location_id"), CURRENT),
    "servqual": (get("/v1/metrics/servqual"), CURRENT),
    "themes": (get("/v1/metrics/themes", previous=True), BOTH),
    "emerging themes": (get("/v1/themes/emerging", previous=True, min_comments=2), BOTH),
    "drivers": (get("/v1/metrics/drivers", outcome="nps",
                    drivers="touchpoint,tag:t1,attribute:shop,attribute:wait"), CURRENT),
    "follow-up metrics by attribute": (
        get("/v1/metrics/follow-ups", **SHOP_A),
        [(WINDOWS.current[0], None)],  # and the months after (loop_sql)
    ),
    "one event": (one_event, [(months_ago(NOW, 2, day=1), months_ago(NOW, 1, day=1))]),
}  # fmt: skip


# Probes that are no request: the test that runs each.
DIRECT = {"rebuild range": "test_a_rebuild_range_reads_the_partitions_of_its_range_only"}


async def test_a_rebuild_range_reads_the_partitions_of_its_range_only(service: Service) -> None:
    conn = service.conn
    found = {p.name: p for p in await partitions.partitions(conn)}
    tree = [rebuild.Table(**r) for r in await conn.fetch(rebuild.TREE_SQL, rebuild.LIVE)]
    await rebuild._create_build(conn, tree)  # in the fixture's transaction, rolled back
    allowed: list[Range] = [(months_ago(NOW, 2, day=1), months_ago(NOW, 1, day=1))]
    async with plans(conn) as got:
        await conn.execute(rebuild.range_sql(("UTC",)), 2**62, *allowed[0])
    reads = [names for plan in got if (names := scanned(plan["Plan"], set(found)))]
    assert reads
    assert not [n for names in reads for n in names if outside(found[n], allowed)], reads


@pytest.mark.parametrize("probe", sorted(PROBES))
async def test_a_windowed_query_reads_the_partitions_of_its_window_only(
    probe: str, service: Service
) -> None:
    found = {p.name: p for p in await partitions.partitions(service.conn)}
    assert len(found) >= 6
    run, allowed = PROBES[probe]
    async with plans(service.conn) as got:
        responses = await run(service.client, service.key)
    for response in responses:
        assert response.status_code in (200, 422), response.text  # 422: drivers, too few
    reads = [(plan, scanned(plan["Plan"], set(found))) for plan in got]
    reads = [(plan, names) for plan, names in reads if names]
    assert reads, f"{probe}: no statement read an event"
    for plan, names in reads:
        wrong = sorted(n for n in names if outside(found[n], allowed))
        assert not wrong, f"{probe} read {wrong} for {allowed}:\n{plan['Query Text']}"
    if probe in {p for names in BY_KEY.values() for p in names}:
        assert all(len(names) == 1 for _, names in reads), reads
