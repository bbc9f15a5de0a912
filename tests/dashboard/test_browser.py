"""The dashboard end to end: `feedback serve` on a database of known feedback, the page
in headless Chromium, a key typed by the user.

One service and one browser for the module (a fresh context, so empty storage, per
test); its background workers stay off (the alerts and the comments' enrichment are
written as they would have written them). Every test also checks the page logged no
error and broke no CSP rule (but the browser's note on a failed call a test expects,
such as the drivers' 422 for a selection with too few answers: `TOO_FEW`).
FEEDBACK_SCREENSHOTS=1 rewrites docs/images/dashboard.png.
"""

import asyncio
import json
import re
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise
from typing import Any, TypeVar
from urllib.parse import parse_qsl, urlsplit

import asyncpg
import httpx
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, ConsoleMessage, Page, Request, Route
from sqlalchemy.engine import URL

from app.alerts.service import series_text
from app.db import libpq_url
from app.text.themes import default_themes
from app.vocabulary import SERVQUAL_DIMENSIONS
from tests.browser import SCREENSHOTS, chromium, screenshots_wanted
from tests.served import bearer, create_keys, serve

from . import data

T = TypeVar("T")
ZONE = data.ZONE
# The service's background workers, off: nothing but the test writes alerts or insights.
QUIET = {"FEEDBACK_ALERTS_INTERVAL_SECONDS": "0", "FEEDBACK_TEXT_INTERVAL_SECONDS": "0"}
# The browser's note on the drivers' 422 (too few answers for a model): the page expects
# it for a small selection and says so in its card.
TOO_FEW = r"status of 422 .*/v1/metrics/drivers\?"
CSP_SPY = """
window.__violations = [];
document.addEventListener("securitypolicyviolation",
  (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
"""


def run(awaitable: Awaitable[T]) -> T:
    """Await on a loop of its own, in a thread: Playwright's sync API needs none running here."""

    async def wrapped() -> T:
        return await awaitable

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, wrapped()).result()


@dataclass
class Chain:
    base_url: str
    keys: dict[str, str]
    events: list[data.Event]
    cases: list[dict[str, Any]]
    # Every alert stored, as the API shows it, in the order of data.ALERTS.
    alerts: list[dict[str, Any]] = field(default_factory=list)
    # What the enrichment derived from each comment (written into comment_insights).
    insights: list[data.Insight] = field(default_factory=list)

    def api(self, path_and_query: str, key: str | None = None) -> Any:
        answer = httpx.get(
            f"{self.base_url}{path_and_query}", headers=bearer(key or self.keys["read"])
        )
        answer.raise_for_status()
        return answer.json()


async def age_cases(url: URL, hours: dict[str, float]) -> None:
    """Move the cases' arrival back in time: the API cannot post feedback that arrived earlier."""
    conn = await asyncpg.connect(libpq_url(url))
    try:
        for event_id, h in hours.items():
            await conn.execute(
                "UPDATE follow_ups SET received_at = now() - make_interval(secs => $2), "
                "opened_at = now() - make_interval(secs => $2) WHERE event_id = $1",
                event_id,
                h * 3600,
            )
    finally:
        await conn.close()


ALERT_COLUMNS = (
    "metric", "dimension", "value", "location_id", "direction", "status", "zone", "since",
    "opened_at", "updated_at", "resolved_at", "acknowledged_at", "acknowledged_by", "note",
    "muted_until",
)  # fmt: skip


async def store_alerts(url: URL, rows: list[dict[str, Any]]) -> list[int]:
    """Insert alerts as the worker would have (it is not run: see data.py); their ids."""
    columns = ", ".join(ALERT_COLUMNS)
    places = ", ".join(f"${i}" for i in range(4, len(ALERT_COLUMNS) + 4))
    conn = await asyncpg.connect(libpq_url(url))
    try:
        return [
            await conn.fetchval(
                f"INSERT INTO alerts (series, evidence, state, {columns}) "
                f"VALUES ($1, $2::jsonb, $3::jsonb, {places}) RETURNING id",
                series_text((row["metric"], row["dimension"], row["value"], ())),
                json.dumps(row["evidence"]),
                json.dumps(row["state"]),
                *(row[c] for c in ALERT_COLUMNS),
            )
            for row in rows
        ]
    finally:
        await conn.close()


async def store_insights(url: URL, insights: list[data.Insight]) -> None:
    """Write what the text enrichment would have derived from each comment (not run)."""
    conn = await asyncpg.connect(libpq_url(url))
    try:
        await conn.executemany(
            """
            INSERT INTO comment_insights (event_pk, language, language_source, sentiment,
                sentiment_source, themes, version)
            SELECT event_pk, $2, 'given', $3, $4, $5, 'dashboard-test'
            FROM feedback_event_ids WHERE event_id = $1
            """,
            [
                (x.event_id, x.language, x.sentiment, "none" if x.sentiment is None else "model",
                 list(x.themes))
                for x in insights
            ],
        )  # fmt: skip
        stored = await conn.fetchval("SELECT count(*) FROM comment_insights")
        assert stored == len(insights)
    finally:
        await conn.close()


def seed_alerts(base_url: str, keys: dict[str, str], url: URL, now: datetime) -> list[Any]:
    """The alerts of data.ALERTS, their figures as the metrics API answers; as shown."""
    rows = []
    for spec in data.ALERTS:
        figures = {}
        for name, request in data.figure_requests(spec, now).items():
            answer = httpx.get(f"{base_url}{request}", headers=bearer(keys["read"]))
            answer.raise_for_status()
            figures[name] = answer.json()["metrics"][spec.metric]
        rows.append(data.alert_row(spec, now, figures))
    ids = run(store_alerts(url, rows))
    return [
        httpx.get(f"{base_url}/v1/alerts/{i}", headers=bearer(keys["read"]))
        .raise_for_status()
        .json()
        for i in ids
    ]


def seed(
    base_url: str, keys: dict[str, str], url: URL
) -> tuple[list[data.Event], list[Any], list[Any], list[data.Insight]]:
    now = datetime.now(UTC)
    rules = httpx.put(
        f"{base_url}/v1/follow-up-rules", json=data.FOLLOW_UP_RULES, headers=bearer(keys["admin"])
    )
    rules.raise_for_status()
    known, insights = data.with_comments(data.events())
    bodies = [
        {**e.body, "occurred_at": (now - timedelta(days=e.age_days)).isoformat()} for e in known
    ]
    cases = data.case_events(now)
    answer = httpx.post(
        f"{base_url}/v1/feedback/batch",
        json={"events": bodies + cases},
        headers=bearer(keys["ingest"]),
        timeout=60,
    )
    answer.raise_for_status()
    assert answer.json()["accepted"] == len(bodies) + len(cases), answer.json()
    run(age_cases(url, {c["event_id"]: spec[2] for c, spec in zip(cases, data.CASES, strict=True)}))
    run(store_insights(url, insights))
    listed = httpx.get(f"{base_url}/v1/follow-ups", headers=bearer(keys["read"])).json()["items"]
    by_event = {c["event_id"]: c for c in listed}
    for body, (_, _, _, reached) in zip(cases, data.CASES, strict=True):
        if reached:
            httpx.patch(
                f"{base_url}/v1/follow-ups/{by_event[body['event_id']]['id']}",
                json={"contact_attempt": {"channel": "phone", "outcome": "reached"}},
                headers=bearer(keys["cases"]),
            ).raise_for_status()
    return known, cases, seed_alerts(base_url, keys, url, now), insights


@pytest.fixture(scope="module")
def chain(fresh_database: Callable[[], Awaitable[URL]]) -> Iterator[Chain]:
    url = run(fresh_database())
    keys = run(create_keys(url))
    with serve(url, env=QUIET) as service:
        known, cases, alerts, insights = seed(service.base_url, keys, url)
        yield Chain(service.base_url, keys, known, cases, alerts, insights)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as browser:
        yield browser


@dataclass
class Visit:
    """A page with what it did: requests, console errors, uncaught errors."""

    page: Page
    requests: list[Request] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def api_requests(self) -> list[Request]:
        return [r for r in self.requests if urlsplit(r.url).path.startswith("/v1/")]

    def assert_clean(self, *, allowed: str | None = None) -> None:
        """No console error, uncaught exception or CSP violation (`allowed`: a pattern of
        console errors expected, e.g. the browser's note on a 401 answer)."""
        violations = self.page.evaluate("window.__violations")
        errors = [e for e in self.errors if not (allowed and re.search(allowed, e))]
        assert violations == []
        assert errors == []


def visit(browser: Browser, chain: Chain, width: int = 1280) -> Visit:
    context = browser.new_context(
        timezone_id=ZONE, locale="en-GB", viewport={"width": width, "height": 900}
    )
    context.add_init_script(CSP_SPY)
    page = context.new_page()
    v = Visit(page)
    page.on("request", lambda request: v.requests.append(request))
    page.on("pageerror", lambda exc: v.errors.append(f"uncaught: {exc}"))

    def console(message: ConsoleMessage) -> None:
        if message.type in ("error", "warning"):
            # With the resource's address: a failed call's note says only its status.
            v.errors.append(f"{message.text} {message.location.get('url', '')}".strip())

    page.on("console", console)
    page.goto(f"{chain.base_url}/dashboard")
    return v


def sign_in(v: Visit, key: str, *, remember: bool = False, keyboard: bool = False) -> None:
    if keyboard:  # the field has the focus: type, Enter; no mouse needed
        assert v.page.evaluate("document.activeElement.id") == "key"
        v.page.keyboard.type(key)
        v.page.keyboard.press("Enter")
    else:
        v.page.fill("#key", key)
        if remember:
            v.page.check("#remember")
        v.page.click("#key-form button[type=submit]")
    # (A selector, not wait_for_function: the page's CSP forbids the eval that would need.)
    v.page.wait_for_selector("body:is([data-state=ready], [data-state=failed])", state="attached")


def wait_ready(v: Visit) -> None:
    v.page.wait_for_selector("body[data-state=ready]", state="attached")


def until(page: Page, expression: str, timeout: float = 10) -> None:
    """Poll until `expression` is true (page.evaluate runs under the page's CSP unharmed;
    wait_for_function would need the eval the CSP forbids)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"still false after {timeout} s: {expression}"
        page.wait_for_timeout(50)


def choose(v: Visit, select: str, value: str) -> None:
    v.page.select_option(select, value)
    wait_ready(v)


def number(text: str) -> float:
    match = re.search(r"-?\d+(?:\.\d+)?", text.replace(",", ""))
    assert match, text
    return float(match.group(0))


def card(page: Page, metric: str) -> dict[str, str]:
    box = page.locator(f"#overview [data-metric={metric}]")
    texts = {part: box.locator(f".{part}").all_inner_texts() for part in ("big", "n", "interval")}
    return {part: found[0] if found else "" for part, found in texts.items()}


def summary_request(v: Visit) -> str:
    """The path and query of the last summary the page asked for."""
    urls = [r.url for r in v.api_requests() if "/v1/metrics/summary" in r.url]
    parts = urlsplit(urls[-1])
    return f"{parts.path}?{parts.query}"


def all_scores(chain: Chain, max_age_days: float = 90) -> list[int]:
    known = [e.body["nps"] for e in chain.events if e.age_days < max_age_days]
    return known + [c["nps"] for c in chain.cases]


def test_the_page_shows_the_figures_the_api_gives_for_the_period(
    browser: Browser, chain: Chain
) -> None:
    v = visit(browser, chain)
    sign_in(v, chain.keys["read"])
    wait_ready(v)

    # The NPS and n of the last 90 days, computed here from the known answers.
    scores = all_scores(chain)
    nps = card(v.page, "nps")
    assert number(nps["n"]) == len(scores)
    assert number(nps["big"]) == pytest.approx(data.nps_of(scores), abs=0.05)

    # Every card is what the API answers for the request the page made.
    summary = chain.api(summary_request(v))
    assert summary["from"].startswith(str(summary["from"])[:10])
    for metric, digits in (("nps", 1), ("csat", 1), ("ces", 2)):
        figure = summary["metrics"][metric]
        shown = card(v.page, metric)
        assert not figure["low_sample"]
        assert number(shown["big"]) == pytest.approx(figure["value"], abs=0.6 * 10**-digits)
        assert number(shown["n"]) == figure["n"]
        low, high = (number(p) for p in shown["interval"].split("interval ")[1].split(" to "))
        assert low == pytest.approx(figure["ci_low"], abs=0.6 * 10**-digits)
        assert high == pytest.approx(figure["ci_high"], abs=0.6 * 10**-digits)
    assert number(card(v.page, "volume")["big"]) == summary["metrics"]["volume"]["n"]

    # The trends: one row per week, whose n add up to the period's n.
    table = v.page.locator("#trend-nps table tbody tr")
    assert table.count() in (13, 14)
    week_ns = [int(t) for t in table.locator("td:last-child").all_text_contents()]
    assert sum(week_ns) == len(scores)
    assert v.page.locator("#trend-nps .mark").count() == sum(n > 0 for n in week_ns)
    # The chart says n too, under its axis: every bucket's, where they fit.
    assert n_labels(v, "nps") == week_ns
    # Hollow exactly where the API says the sample is too small.
    (series_url,) = {r.url for r in v.api_requests() if "/v1/metrics/timeseries" in r.url}
    parts = urlsplit(series_url)
    rows = chain.api(f"{parts.path}?{parts.query}")["rows"]
    # (Partial first and last weeks are, on most weekdays: on a Saturday in Vienna the 90
    # days are whole weeks and none is. The small branch below makes it hollow every day.)
    hollow = [r for r in rows if r["metric"] == "nps" and r["n"] > 0 and r["low_sample"]]
    assert v.page.locator("#trend-nps .mark.low").count() == len(hollow)
    # A branch with too few answers: every week it has answers in is hollow.
    choose(v, "#location", data.SMALL_BRANCH)
    (series_url,) = {
        r.url for r in v.api_requests()
        if "/v1/metrics/timeseries" in r.url and data.SMALL_BRANCH in r.url
    }  # fmt: skip
    parts = urlsplit(series_url)
    rows = chain.api(f"{parts.path}?{parts.query}")["rows"]
    small = [r for r in rows if r["metric"] == "nps" and r["n"] > 0]
    assert small
    assert all(r["low_sample"] for r in small)
    assert v.page.locator("#trend-nps .mark.low").count() == len(small)
    assert v.page.locator("#trend-nps .mark:not(.low)").count() == 0

    # Thousands of answers a bucket (as in the demo): only as many n as fit are shown,
    # every k-th bucket's, and none touches the next.
    def busier(route: Route) -> None:
        answer = route.fetch().json()
        for row in answer["rows"]:
            row["n"] += 10_000
        route.fulfill(json=answer)

    v.page.route(re.compile(r"/v1/metrics/timeseries\?"), busier)
    choose(v, "#period", "365")
    rows = v.page.locator("#trend-nps table tbody tr td:last-child").all_text_contents()
    assert len(rows) in (13, 14)
    for metric in ("nps", "csat", "ces"):
        shown_ns = n_labels(v, metric, [int(n) for n in rows])
        assert 2 <= len(shown_ns) < len(rows), metric
    v.assert_clean(allowed=TOO_FEW)  # the small branch: too few answers for drivers


def n_labels(v: Visit, metric: str, every: list[int] | None = None) -> list[int]:
    """The n under a trend chart, checked: none touches the next, and they are those of
    every k-th bucket from the first (`every`: the buckets' n; default: all are shown)."""
    boxes = v.page.locator(f"#trend-{metric} svg .n-label").evaluate_all(
        "labels => labels.map((l) => { const b = l.getBoundingClientRect();"
        " return [l.textContent, b.left, b.right]; })"
    )
    assert boxes[0][0] == "n"
    labels = boxes[1:]
    for (_, _, right), (_, next_left, _) in pairwise(labels):
        assert next_left - right >= 2, boxes
    shown_ns = [int(text) for text, _, _ in labels]
    if every is None:
        return shown_ns
    step = max(1, -(-len(every) // len(shown_ns)))
    assert shown_ns == every[::step], (shown_ns, every)
    return shown_ns


def test_the_worse_branch_is_flagged_below_the_chain(browser: Browser, chain: Chain) -> None:
    v = visit(browser, chain)
    sign_in(v, chain.keys["read"])
    wait_ready(v)

    below = v.page.locator("#consistency svg .branch.below")
    assert below.count() == 1
    assert below.get_attribute("data-group") == data.WORSE_BRANCH
    flagged = v.page.locator("#flagged").inner_text().split(", ")
    assert [f for f in flagged if f.endswith(" below")] == [f"{data.WORSE_BRANCH} below"]
    # Too few answers: shown as such, not as a number.
    thin = v.page.locator(f"#consistency svg .branch[data-group={data.SMALL_BRANCH}]")
    assert "too few" in (thin.locator(".branch-status").text_content() or "")
    assert thin.locator("circle").count() == 0

    # Beside each branch its difference from the chain; the minimum change is the alerts'.
    answer = chain.api(last_request(v, "/v1/metrics/consistency"))
    assert v.page.locator("#min-change").inner_text() == "10.0"
    worse = next(r for r in answer["rows"] if r["group"] == data.WORSE_BRANCH)
    assert shown(worse["difference"], 1) in (below.locator(".branch-status").text_content() or "")

    # The worse branch's CSAT is flagged too (the metric is chosen on the page).
    choose(v, "#consistency-metric", "csat")
    assert v.page.locator("#consistency svg .branch.below").get_attribute("data-group") == (
        data.WORSE_BRANCH
    )
    assert v.page.locator("#min-change").inner_text() == "5.0 pts"

    # A difference the data supports but smaller than the minimum change is not flagged:
    # asked with a minimum of 30 NPS points, the branch above the chain (by about 24) is
    # shown as small, and only what the API lists as practical stays flagged. (Its
    # difference made 29.996 on the way: just short of 30, it must not read as 30.0.)
    answers: list[dict[str, Any]] = []

    def with_minimum(route: Route) -> None:
        answer = route.fetch(url=f"{route.request.url}&min_change=30").json()
        answers.append(json.loads(json.dumps(answer)))
        short = next(r for r in answer["rows"] if r["flag"] and not r["practical"])
        short["difference"] = 29.996 if short["difference"] > 0 else -29.996
        route.fulfill(json=answer)

    v.page.route(re.compile(r"/v1/metrics/consistency\?"), with_minimum)
    choose(v, "#consistency-metric", "nps")
    answer = answers[-1]
    assert answer["min_change"] == 30
    small = [r["group"] for r in answer["rows"] if r["flag"] and not r["practical"]]
    assert small
    status = v.page.locator(f"#consistency svg .branch[data-group={small[0]}] .branch-status")
    assert "29.996 · small" in (status.text_content() or "")
    assert v.page.locator("#consistency svg .branch.above").count() == len(
        answer["practical_above"]
    )
    assert (
        v.page.locator("#consistency svg .branch.small").evaluate_all(
            "gs => gs.map((g) => g.dataset.group)"
        )
        == small
    )
    assert v.page.locator("#flagged").inner_text() == ", ".join(
        [f"{g} below" for g in answer["practical_below"]]
        + [f"{g} above" for g in answer["practical_above"]]
    )
    assert v.page.locator("#small").inner_text() == ", ".join(
        f"{r['group']} {r['flag']}" for r in answer["rows"] if r["group"] in small
    )
    v.assert_clean()


def test_filters_narrow_every_figure(browser: Browser, chain: Chain) -> None:
    v = visit(browser, chain)
    sign_in(v, chain.keys["read"])
    wait_ready(v)

    choose(v, "#period", "30")
    assert number(card(v.page, "nps")["n"]) == len(all_scores(chain, max_age_days=30))

    choose(v, "#location", data.WORSE_BRANCH)
    scores = [
        e.body["nps"]
        for e in chain.events
        if e.age_days < 30 and e.body["location_id"] == data.WORSE_BRANCH
    ] + [c["nps"] for c in chain.cases if c["location_id"] == data.WORSE_BRANCH]
    nps = card(v.page, "nps")
    assert number(nps["n"]) == len(scores)
    assert number(nps["big"]) == pytest.approx(data.nps_of(scores), abs=0.05)
    # The queue shows that branch's cases only.
    assert set(v.page.locator("#follow-ups tbody td:nth-child(2)").all_inner_texts()) == {
        data.WORSE_BRANCH
    }

    # A branch too small to read: its figures say so instead of a number.
    choose(v, "#location", data.SMALL_BRANCH)
    assert card(v.page, "nps")["big"].startswith("Too few answers")
    assert card(v.page, "nps")["interval"] == ""
    v.assert_clean(allowed=TOO_FEW)  # the small branch: too few answers for drivers


def test_open_follow_ups_are_listed_with_age_and_due(browser: Browser, chain: Chain) -> None:
    v = visit(browser, chain)
    sign_in(v, chain.keys["read"])
    wait_ready(v)

    rows = v.page.locator("#follow-ups tbody tr")
    assert rows.count() == len(data.CASES)  # open and contacted; none resolved
    assert v.page.locator("#follow-ups tr.is-overdue").count() == 2  # older than 48 h, unreached
    summary = v.page.locator("#queue-summary").inner_text()
    assert "5 cases waiting" in summary
    assert "2 overdue" in summary
    # Oldest first, as the API lists them: the 71-hour-old case, overdue by about 23 h.
    first = rows.nth(0).locator("td").all_inner_texts()
    assert first[0] == data.WORSE_BRANCH
    assert re.fullmatch(r"2 d 2[23] h ago", first[4])
    assert re.fullmatch(r"overdue by 2[23] h", first[5])
    reached = v.page.locator("#follow-ups tbody tr", has_text="contacted")
    assert reached.count() == 1
    assert "reached" in reached.inner_text()
    assert v.page.locator("#follow-ups tbody tr", has_text="due in").count() == 2

    # The counts are the API's, of every case, however few of them the page lists.
    def first_only(route: Route) -> None:
        answer = route.fetch().json()
        route.fulfill(json={"items": answer["items"][:1], "next_cursor": None})

    the_list = re.compile(r"/v1/follow-ups\?")
    v.page.route(the_list, first_only)
    choose(v, "#period", "30")
    assert rows.count() == 1
    summary = v.page.locator("#queue-summary").inner_text()
    assert "5 cases waiting" in summary
    assert "2 overdue" in summary
    assert v.page.locator("#queue-more").inner_text().startswith("Showing the oldest 1 of 5")
    v.page.unroute(the_list)

    # The channel applies to the queue: its cases all came from the tills.
    choose(v, "#channel", "web")
    for path in ("/v1/follow-ups", "/v1/follow-ups/summary"):
        assert "channel=web" in last_request(v, path)
    assert "No open follow-up cases" in v.page.locator("#follow-ups").inner_text()
    choose(v, "#channel", "pos")
    assert rows.count() == len(data.CASES)
    v.assert_clean(allowed=TOO_FEW)  # one channel's 30 days: too few answers for drivers


def test_the_key_is_sent_only_as_the_authorization_header(browser: Browser, chain: Chain) -> None:
    v = visit(browser, chain)
    key = chain.keys["read"]
    sign_in(v, key, keyboard=True)
    wait_ready(v)
    choose(v, "#period", "365")

    calls = v.api_requests()
    assert len(calls) >= 12  # two loads of every section
    for request in v.requests:
        assert key not in request.url
        assert urlsplit(request.url).netloc == urlsplit(chain.base_url).netloc  # nowhere else
        headers = request.all_headers()
        expected = f"Bearer {key}" if request in calls else None
        assert headers.get("authorization") == expected
        assert not any(key in value for name, value in headers.items() if name != "authorization")
    # Kept for this tab only, and nowhere in the page.
    assert v.page.evaluate("sessionStorage.getItem('feedback.dashboard.key')") == key
    assert v.page.evaluate("localStorage.length") == 0
    assert v.page.evaluate("document.cookie") == ""
    assert key not in v.page.content()
    assert v.page.locator("#key-status").inner_text().startswith("Key kept for this tab")
    v.assert_clean()


def test_remember_keeps_the_key_on_the_device_until_forgotten(
    browser: Browser, chain: Chain
) -> None:
    v = visit(browser, chain)
    key = chain.keys["read"]
    sign_in(v, key, remember=True)
    wait_ready(v)
    assert v.page.evaluate("localStorage.getItem('feedback.dashboard.key')") == key
    assert v.page.evaluate("sessionStorage.length") == 0

    v.page.reload()  # a new visit: no need to type it again
    wait_ready(v)
    assert "remembered on this device" in v.page.locator("#key-status").inner_text()

    v.page.click("#forget")
    assert v.page.evaluate("localStorage.length + sessionStorage.length") == 0
    assert v.page.locator("#key-panel").is_visible()
    assert not v.page.locator("#board").is_visible()
    v.page.reload()
    assert v.page.locator("#key-panel").is_visible()
    v.assert_clean()


@pytest.mark.parametrize(
    ("scope", "status"), [("unknown", 401), ("ingest", 403)], ids=["wrong-key", "no-read-scope"]
)
def test_a_key_that_may_not_read_gets_the_apis_problem(
    browser: Browser, chain: Chain, scope: str, status: int
) -> None:
    key = chain.keys.get(scope) or "fbk_read_0000000000000000000000000000000000_0000"
    problem = httpx.get(f"{chain.base_url}/v1/metrics/summary", headers=bearer(key)).json()
    assert problem["status"] == status

    v = visit(browser, chain)
    sign_in(v, key)
    message = v.page.locator("#key-problem")
    assert message.is_visible()
    assert message.inner_text() == f"{problem['title']} {problem['detail']}"
    assert not v.page.locator("#board").is_visible()
    assert v.page.evaluate("localStorage.length + sessionStorage.length") == 0  # forgotten
    assert len(v.api_requests()) == 1  # one failed key check, not one per section
    # Chromium notes every failed fetch in the console; nothing else may appear.
    v.assert_clean(allowed=rf"status of {status} ")


def test_an_empty_service_says_there_is_nothing_yet(
    browser: Browser, fresh_database: Callable[[], Awaitable[URL]]
) -> None:
    url = run(fresh_database())
    keys = run(create_keys(url))
    with serve(url, env=QUIET) as service:
        v = visit(browser, Chain(service.base_url, keys, [], []))
        sign_in(v, keys["read"])
        wait_ready(v)
        assert card(v.page, "nps")["big"] == "No answers"
        assert card(v.page, "volume")["big"] == "0"
        assert v.page.locator("#trend-nps .mark").count() == 0
        assert "No branch has answers" in v.page.locator("#consistency").inner_text()
        assert "No open follow-up cases" in v.page.locator("#follow-ups").inner_text()
        assert v.page.locator("#alerts").inner_text() == "No open alerts."
        assert v.page.locator("#themes").inner_text() == (
            "No enriched comments in this selection yet."
        )
        assert (
            v.page.locator("#drivers-too-few")
            .inner_text()
            .startswith(
                "Too few answers for a driver analysis of this selection. None of the drivers "
            )
        )
        v.assert_clean(allowed=TOO_FEW)


def test_screenshot(browser: Browser, chain: Chain) -> None:
    """The page at a desktop and a phone width; the first written to docs/images when asked."""
    for width, name in ((1280, "dashboard.png"), (420, None)):
        v = visit(browser, chain, width=width)
        sign_in(v, chain.keys["read"])
        wait_ready(v)
        # Nothing wider than the screen: the layout fits a phone.
        overflow = v.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0
        if width > 420:
            # Narrowed after loading: the charts are drawn again to the new width,
            # without asking the API again.
            calls = len(v.api_requests())
            v.page.set_viewport_size({"width": 420, "height": 900})
            until(v.page, "document.querySelector('#consistency svg').viewBox.baseVal.width < 420")
            until(v.page, "document.querySelector('#drivers svg').viewBox.baseVal.width < 420")
            assert len(v.api_requests()) == calls
            v.page.set_viewport_size({"width": width, "height": 900})
            until(v.page, "document.querySelector('#consistency svg').viewBox.baseVal.width > 800")
        if name and screenshots_wanted():
            v.page.locator("#trend-nps details").evaluate("d => d.open = false")
            v.page.screenshot(path=str(SCREENSHOTS / name), full_page=True)
        v.assert_clean()


# ---------------------------------------------------------------- open alerts


def shown(value: float, digits: int) -> str:
    """A figure as the page writes it: JavaScript's toFixed (the exact binary value, ties
    away from zero, where Python's format rounds them to even), a real minus sign."""
    text = str(Decimal(value).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))
    return text.replace("-", "\N{MINUS SIGN}") if Decimal(text) != 0 else text.lstrip("-")


DIGITS = {"nps": 1, "csat": 1, "ces": 2}
LABELS = {"nps": "NPS", "csat": "CSAT", "ces": "CES"}


def open_alerts(chain: Chain, branch: str | None = None) -> list[dict[str, Any]]:
    """The open alerts (of one branch), newest first: what the card must list."""
    found = [
        a for a in chain.alerts if a["status"] == "open" and branch in (None, a["scope"]["value"])
    ]
    return sorted(found, key=lambda a: (a["opened_at"], a["id"]), reverse=True)


def headline(alert: dict[str, Any]) -> str:
    """The pattern of an alert's line (the date is checked by its `datetime`)."""
    e, digits = alert["evidence"], DIGITS[alert["metric"]]

    def figure(p: dict[str, Any]) -> str:
        return f"{shown(p['value'], digits)} (n {p['n']:,})"

    return (
        re.escape(f"{LABELS[alert['metric']]} down at branch {alert['scope']['value']} since ")
        + r"\d{1,2} \w+ \d{4}"
        + re.escape(
            f": {figure(e['current'])} against {figure(e['baseline'])}, "
            f"change {shown(e['change'], digits)} {e['unit']}"
        )
    )


def alert_item(v: Visit, alert: dict[str, Any]) -> Any:
    return v.page.locator(f"#alerts li[data-alert='{alert['id']}']")


def test_open_alerts_come_first_newest_first(browser: Browser, chain: Chain) -> None:
    v = visit(browser, chain)
    sign_in(v, chain.keys["read"])
    wait_ready(v)

    # The first card of the board, before the metric cards.
    titles = v.page.locator("#board section.panel h2").all_inner_texts()
    assert titles[0] == "Open alerts"
    assert titles.index("Overview") > 0
    expected = open_alerts(chain)
    assert len(expected) == 3  # the resolved one is not listed
    items = v.page.locator("#alerts li.alert")
    assert [int(i) for i in items.evaluate_all("els => els.map((e) => e.dataset.alert)")] == [
        a["id"] for a in expected
    ]
    assert v.page.locator("#alerts-summary").inner_text() == "3 open alerts, newest first"
    for alert in expected:
        item = alert_item(v, alert)
        assert re.fullmatch(headline(alert), item.locator(".alert-line").inner_text())
        assert item.locator(".alert-line time").get_attribute("datetime") == alert["since"]
        meta = item.locator(".alert-meta").inner_text()
        # Badges: acknowledged, muted (until after now); the others have none.
        assert ("acknowledged" in meta) is (alert["acknowledged_at"] is not None)
        assert ("muted until" in meta) is (alert["muted_until"] is not None)
        assert item.locator("details.evidence").get_attribute("open") is None  # closed
    # The request asked for the open ones, of every branch.
    (request,) = [r for r in v.api_requests() if urlsplit(r.url).path == "/v1/alerts"]
    assert urlsplit(request.url).query == "status=open&limit=100"
    v.assert_clean()


def test_an_alerts_evidence_shows_both_periods_with_n_and_each_test(
    browser: Browser, chain: Chain
) -> None:
    v = visit(browser, chain)
    sign_in(v, chain.keys["read"])
    wait_ready(v)

    for alert in open_alerts(chain):
        e, digits = alert["evidence"], DIGITS[alert["metric"]]
        item = alert_item(v, alert)
        item.locator("details.evidence > summary").click()
        evidence = item.locator("details.evidence")
        assert evidence.get_attribute("open") is not None
        # Since the change, the baseline and the rest of the chain: value, interval, n.
        for name in ("current", "baseline", "rest_of_chain"):
            period = e[name]
            cells = evidence.locator(f"table.periods tr[data-period={name}] td").all_inner_texts()
            assert cells[2] == shown(period["value"], digits)
            low, high = shown(period["ci_low"], digits), shown(period["ci_high"], digits)
            assert cells[3] == f"{low} to {high}"
            assert cells[4] == f"{period['n']:,}"
            request = evidence.locator(f"ul.requests li[data-period={name}] code").inner_text()
            assert request == f"GET {period['request']}"
        # Each test: question, statistic, threshold, p-values, fired.
        for test in e["tests"]:
            row = evidence.locator(f"table.tests tr[data-question={test['question']}]")
            cells = row.locator("td").all_inner_texts()
            assert cells[0] == f"{test['statistic']:.1f}"
            assert cells[1] == f"{test['threshold']:.1f}"
            adjusted = test["adjusted_p_value"]
            assert cells[3] == ("\N{EN DASH}" if adjusted is None else f"{adjusted:.3f}")
            assert cells[5] == ("yes" if test["fired"] else "no")
            assert test["method"] in row.locator("th").inner_text()
        assert (
            evidence.locator(".change")
            .inner_text()
            .startswith(f"Change {shown(e['change'], digits)} {e['unit']}")
        )

    # A period's request, asked with the key on demand: the API gives the same figure.
    alert = open_alerts(chain)[0]
    current = alert["evidence"]["current"]
    line = alert_item(v, alert).locator("ul.requests li[data-period=current]")
    line.locator("button").click()
    until(
        v.page,
        f"document.querySelector(\"li[data-alert='{alert['id']}'] "
        "li[data-period=current] output\").textContent.startsWith('The API answers')",
    )
    answer = line.locator("output").inner_text()
    assert f"n = {current['n']:,}" in answer
    assert answer.startswith(f"The API answers {shown(current['value'], 1)}, 95 % interval")
    (asked,) = [r for r in v.api_requests() if urlsplit(r.url).path == "/v1/metrics/summary"
                and "location_id=vie-02" in r.url and current["request"].endswith(
                    urlsplit(r.url).query)]  # fmt: skip
    assert asked.all_headers()["authorization"] == f"Bearer {chain.keys['read']}"
    v.assert_clean()


def test_the_branch_filter_narrows_the_alerts(browser: Browser, chain: Chain) -> None:
    v = visit(browser, chain)
    sign_in(v, chain.keys["read"])
    wait_ready(v)

    choose(v, "#location", data.WORSE_BRANCH)
    expected = open_alerts(chain, data.WORSE_BRANCH)
    assert len(expected) == 2
    items = v.page.locator("#alerts li.alert")
    assert items.count() == 2
    for alert in expected:
        assert re.fullmatch(
            headline(alert), alert_item(v, alert).locator(".alert-line").inner_text()
        )
    assert "vie-02" not in v.page.locator("#alerts").inner_text()  # another branch's alert

    choose(v, "#location", "vie-02")
    assert [int(i) for i in items.evaluate_all("els => els.map((e) => e.dataset.alert)")] == [
        a["id"] for a in open_alerts(chain, "vie-02")
    ]
    assert data.WORSE_BRANCH not in v.page.locator("#alerts").inner_text()

    # A branch without an open alert says so in one line.
    choose(v, "#location", data.SMALL_BRANCH)
    assert v.page.locator("#alerts").inner_text() == f"No open alerts for {data.SMALL_BRANCH}."
    asked = [r.url for r in v.api_requests() if urlsplit(r.url).path == "/v1/alerts"]
    assert urlsplit(asked[-1]).query == f"status=open&location_id={data.SMALL_BRANCH}&limit=100"
    v.assert_clean(allowed=TOO_FEW)  # the small branch: too few answers for drivers


@pytest.mark.parametrize("failure", ["forbidden", "no-answer"])
def test_a_failed_alerts_call_leaves_the_rest_of_the_page(
    browser: Browser, chain: Chain, failure: str
) -> None:
    """A key that may read metrics but not alerts (a 403), or a call that gets no answer:
    the card says so, every other card is drawn."""
    problem = {
        "type": "about:blank",
        "title": "Forbidden",
        "status": 403,
        "detail": "This key may not read alerts.",
    }

    def refuse(route: Route) -> None:
        if failure == "forbidden":
            route.fulfill(
                status=403, content_type="application/problem+json", body=json.dumps(problem)
            )
        else:
            route.abort()

    v = visit(browser, chain)
    v.page.route(re.compile(r"/v1/alerts\?"), refuse)
    sign_in(v, chain.keys["read"])
    wait_ready(v)

    message = v.page.locator("#alerts .problem").inner_text()
    if failure == "forbidden":
        assert message == "This key may not read alerts. Forbidden This key may not read alerts."
    else:
        assert message.startswith("The alerts could not be loaded. The service does not answer")
    assert number(card(v.page, "nps")["n"]) == len(all_scores(chain))
    assert v.page.locator("#follow-ups tbody tr").count() == len(data.CASES)
    assert not v.page.locator("#problem").is_visible()
    v.assert_clean(allowed=r"status of 403 |net::ERR_FAILED")


# ---------------------------------------------------------------- top themes

THEMES_IN_FORCE = [t.name for t in default_themes()]
DOT = "\N{MIDDLE DOT}"
ARROWS = {"up": "\N{UPWARDS ARROW}", "down": "\N{DOWNWARDS ARROW}"}


def last_request(v: Visit, path: str) -> str:
    """The path and query of the last request the page made to `path`."""
    urls = [r.url for r in v.api_requests() if urlsplit(r.url).path == path]
    parts = urlsplit(urls[-1])
    return f"{parts.path}?{parts.query}"


def enriched(
    chain: Chain, max_age_days: float = 90, branch: str | None = None
) -> list[tuple[data.Event, data.Insight]]:
    """The enriched comments of the last `max_age_days` (of one branch), oldest first."""
    events = {e.body["event_id"]: e for e in chain.events}
    found = [
        (events[x.event_id], x)
        for x in chain.insights
        if events[x.event_id].age_days < max_age_days
        and branch in (None, events[x.event_id].body["location_id"])
    ]
    return sorted(found, key=lambda pair: -pair[0].age_days)


def expected_top(comments: list[tuple[data.Event, data.Insight]]) -> list[tuple[str, int]]:
    """The themes the card lists, computed here: the most mentioned first (ties in the
    order of the themes in force), with their mentions."""
    counts = Counter(t for _, x in comments for t in set(x.themes))
    order = sorted(counts, key=lambda t: (-counts[t], THEMES_IN_FORCE.index(t)))
    return [(t, counts[t]) for t in order[: data.TOP_THEMES]]


def short(text: str, limit: int = 160) -> str:
    """A comment as the card quotes it (dashboard.js, shortComment)."""
    chars = re.sub(r"\s+", " ", text).strip()
    if len(chars) <= limit:
        return chars
    cut = chars[:limit]
    space = cut.rfind(" ")
    if space > limit * 0.6:
        cut = cut[:space]
    return re.sub(r"[\s.,;:!?\-\N{EN DASH}\N{EM DASH}]+$", "", cut) + "\N{HORIZONTAL ELLIPSIS}"


def percent(value: float) -> str:
    """A share as the card writes it: one decimal below 10 %, none from there."""
    return shown(value, 1 if value < 9.95 else 0)


def share_text(row: dict[str, Any]) -> str:
    digits = 1 if row["share"] < 9.95 else 0
    low, high = shown(row["ci_low"], digits), shown(row["ci_high"], digits)
    return f"{shown(row['share'], digits)} % ({low}\N{EN DASH}{high} %)"


def mix_text(mix: dict[str, Any]) -> str:
    parts = [
        f"{mix[name]:,} {name} ({shown(mix[f'{name}_share'], 0)} %)"
        for name in ("negative", "neutral", "positive")
        if mix[name] > 0
    ]
    none = f"; {mix['none']:,} without a sentiment" if mix["none"] else ""
    return f"Sentiment of {mix['n']:,} comments: {', '.join(parts)}{none}"


def score_text(score: dict[str, Any], min_n: int = 30) -> str:
    """The NPS of some commenters as the card writes it."""
    if score["value"] is None:
        return "no answers"
    if score["low_sample"]:
        return f"too few answers (n {score['n']:,}, needs {min_n})"
    return f"{shown(score['value'], 1)} (n {score['n']:,})"


def theme_item(v: Visit, theme: str) -> Any:
    return v.page.locator(f"#themes li.theme[data-theme={theme}]")


def listed_themes(v: Visit) -> list[str]:
    found: list[str] = v.page.locator("#themes li.theme").evaluate_all(
        "els => els.map((e) => e.dataset.theme)"
    )
    return found


def test_top_themes_list_the_most_mentioned_with_shares_and_examples(
    browser: Browser, chain: Chain
) -> None:
    v = visit(browser, chain)
    sign_in(v, chain.keys["read"])
    wait_ready(v)

    # The themes computed here from the known comments, in order, with their mentions.
    comments = enriched(chain)
    top = expected_top(comments)
    assert [t for t, _ in top] == [
        "waiting", "staff_friendliness", "price", "product_quality", "cleanliness", "payment",
    ]  # fmt: skip
    assert listed_themes(v) == [t for t, _ in top]
    total = len(comments)
    assert v.page.locator("#themes-summary").inner_text() == (
        f"The {data.TOP_THEMES} themes mentioned most in {total} enriched comments"
    )
    # Every figure is what the API answers for the request the page made.
    answer = chain.api(last_request(v, "/v1/metrics/themes"))
    rows = {r["theme"]: r for r in answer["rows"]}
    labels = {t.name: t.label for t in default_themes()}
    for theme, mentions in top:
        row, item = rows[theme], theme_item(v, theme)
        assert (row["mentions"], row["comments"]) == (mentions, total)
        assert item.locator("h3").inner_text() == labels[theme] == row["label"]
        assert item.locator(".theme-share").inner_text() == (
            f"{share_text(row)} of comments \N{MIDDLE DOT} {mentions} of {total}"
        )
        assert item.locator("svg.mix").get_attribute("aria-label") == mix_text(row["sentiment"])
        assert item.locator("svg.mix title").text_content() == mix_text(row["sentiment"])
        yes, no = row["mentioning"], row["not_mentioning"]
        nps = item.locator(".theme-nps").inner_text()
        assert nps.startswith(
            f"NPS: among those who mention it {score_text(yes)}, "
            f"among the other commenters {score_text(no)}"
        )
        # The difference, when both are read and it is clear.
        readable = not yes["low_sample"] and not no["low_sample"]
        assert ("; difference" in nps) is (readable and bool(row["difference"]["significant"]))
        # An arrow exactly where the change is clear.
        change = row["change"]
        arrow = item.locator(".theme-change")
        if change["significant"] and not change["low_sample"]:
            direction = "up" if change["delta"] > 0 else "down"
            assert arrow.get_attribute("class") == f"theme-change {direction}"
            sign = "+" if change["delta"] > 0 else ""
            assert arrow.inner_text().startswith(
                f"{ARROWS[direction]} {sign}{shown(change['delta'], 1)} points "
                f"on the previous 90 days (from {percent(change['previous_share'])} %; "
            )
        else:
            assert arrow.count() == 0
    # As the data was made: waiting grew clearly, staff friendliness fell, the rest held.
    assert [t for t in rows if v.page.locator(f"[data-theme={t}] .theme-change").count()] == [
        "waiting", "staff_friendliness",
    ]  # fmt: skip
    assert theme_item(v, "waiting").locator(".theme-change.up").count() == 1
    assert theme_item(v, "staff_friendliness").locator(".theme-change.down").count() == 1
    # Those who complain about waiting score lower than the other commenters (computed here).
    waiting = [e.body["nps"] for e, x in comments if "waiting" in x.themes]
    assert rows["waiting"]["mentioning"]["value"] == pytest.approx(data.nps_of(waiting))
    assert (
        "; difference \N{MINUS SIGN}" in theme_item(v, "waiting").locator(".theme-nps").inner_text()
    )
    # The sentiment bar's parts, from the known comments.
    mix = Counter(x.sentiment for _, x in comments if "waiting" in x.themes)
    w = rows["waiting"]["sentiment"]
    assert (w["negative"], w["neutral"], w["positive"], w["none"]) == (
        mix["negative"], mix["neutral"], mix["positive"], mix[None],
    )  # fmt: skip
    assert theme_item(v, "waiting").locator("svg.mix rect").count() == 2  # no positive part

    # Examples: the period's first two comments about each theme, in their language.
    for theme, _ in top:
        first = [(e, x) for e, x in comments if theme in x.themes][:2]
        quotes = theme_item(v, theme).locator("ul.examples li")
        assert quotes.locator("q").all_inner_texts() == [short(e.body["comment"]) for e, _ in first]
        assert quotes.locator("q").evaluate_all("els => els.map((e) => e.lang)") == [
            x.language for _, x in first
        ]
        # When (a day), where and how each was given.
        for meta, (e, _) in zip(
            quotes.locator(".example-meta").all_inner_texts(), first, strict=True
        ):
            assert re.fullmatch(
                rf"\d{{1,2}} \w+ {DOT} {e.body['location_id']} {DOT} {e.body['channel']}",
                meta.strip(),
            ), meta
    # The oldest comment about waiting is long: cut at a word, its comma dropped.
    quote = theme_item(v, "waiting").locator("ul.examples q").first
    assert quote.inner_text() == (
        "Twenty minutes in the queue and only one till open, while three colleagues stocked "
        "shelves right next to us. The self-checkout was off too, so everyone waited"
        "\N{HORIZONTAL ELLIPSIS}"
    )

    # One request per theme listed, with the page's filters, two comments of customers each.
    themes_query = dict(
        p.split("=", 1) for p in last_request(v, "/v1/metrics/themes").split("?")[1].split("&")
    )
    asked = [
        dict(p.split("=", 1) for p in urlsplit(r.url).query.split("&"))
        for r in v.api_requests()
        if urlsplit(r.url).path == "/v1/feedback"
    ]
    assert sorted(a.pop("theme") for a in asked) == sorted(t for t, _ in top)
    for query in asked:
        assert query == {
            **themes_query, "has_comment": "true", "respondent_type": "customer", "limit": "2",
        }  # fmt: skip
    v.assert_clean()


MARKUP = (
    "<img src=/x onerror=alert(1)><b>Queue</b> & <script>alert('hi')</script> \N{EM DASH} "
    "<a href=//example.org>click</a> " + "long " * 40
)


def test_a_comment_is_shown_as_text_never_as_markup(browser: Browser, chain: Chain) -> None:
    """Whatever a customer writes is text on the page: the API's answer for one theme's
    comments is given a comment that is markup (and long), as anyone may write one."""

    def markup(route: Route) -> None:
        response = route.fetch()
        body = response.json()
        body["items"][0]["comment"] = MARKUP
        route.fulfill(response=response, json=body)

    v = visit(browser, chain)
    v.page.route(re.compile(r"/v1/feedback\?.*theme=waiting"), markup)
    sign_in(v, chain.keys["read"])
    wait_ready(v)

    quote = theme_item(v, "waiting").locator("ul.examples q").first
    assert quote.inner_text() == short(MARKUP)
    assert quote.inner_text().startswith("<img src=/x onerror=alert(1)><b>Queue</b> & <script>")
    assert quote.inner_text().endswith("long\N{HORIZONTAL ELLIPSIS}")
    assert len(quote.inner_text()) <= 161
    assert quote.evaluate("q => q.childNodes.length") == 1  # one text node, no element
    assert v.page.locator("#themes img, #themes b, #themes a, #themes script").count() == 0
    v.assert_clean()


def test_top_themes_follow_the_filters(browser: Browser, chain: Chain) -> None:
    v = visit(browser, chain)
    sign_in(v, chain.keys["read"])
    wait_ready(v)

    # A channel: the card asks for that channel's themes, and lists what the API answers.
    choose(v, "#channel", "web")
    request = last_request(v, "/v1/metrics/themes")
    assert "channel=web" in request
    answer = chain.api(request)
    top = [r["theme"] for r in answer["rows"] if r["mentions"]][: data.TOP_THEMES]
    assert listed_themes(v) == top
    asked = [r.url for r in v.api_requests() if urlsplit(r.url).path == "/v1/feedback"]
    assert sum("channel=web" in url for url in asked) == len(top)
    for item in v.page.locator("#themes .example-meta").all_inner_texts():
        assert item.strip().endswith(f"{DOT} web")
    choose(v, "#channel", "")

    # A branch with too few comments to read shares: the counts, no share, arrow or NPS.
    choose(v, "#location", data.SMALL_BRANCH)
    comments = enriched(chain, branch=data.SMALL_BRANCH)
    assert 0 < len(comments) < 30
    assert v.page.locator("#themes-summary").inner_text() == (
        f"Too few comments to read shares (n = {len(comments)}, needs 30). "
        "The themes they mention most:"
    )
    expected = expected_top(comments)
    assert listed_themes(v) == [t for t, _ in expected]
    for theme, mentions in expected:
        item = theme_item(v, theme)
        assert (
            item.locator(".theme-share").inner_text() == f"{mentions} of {len(comments)} comments"
        )
        assert item.locator(".theme-change, .theme-nps").count() == 0
        assert item.locator("svg.mix").count() == 1
        branches = {m.strip().split(f" {DOT} ")[1]
                    for m in item.locator(".example-meta").all_inner_texts()}  # fmt: skip
        assert branches == {data.SMALL_BRANCH}
    assert "location_id=sbg-01" in last_request(v, "/v1/metrics/themes")

    # 30 days: every enriched comment of the last 30 days, against the 30 days before.
    choose(v, "#location", "")
    choose(v, "#period", "30")
    recent = enriched(chain, max_age_days=30)
    assert (
        v.page.locator("#themes-summary")
        .inner_text()
        .endswith(f"mentioned most in {len(recent)} enriched comments")
    )
    assert listed_themes(v) == [t for t, _ in expected_top(recent)]
    v.assert_clean(allowed=TOO_FEW)  # the small branch: too few answers for drivers


@pytest.mark.parametrize("failure", ["forbidden", "no-answer"])
def test_a_failed_themes_call_leaves_the_rest_of_the_page(
    browser: Browser, chain: Chain, failure: str
) -> None:
    problem = {
        "type": "about:blank",
        "title": "Forbidden",
        "status": 403,
        "detail": "This key may not read the themes.",
    }

    def refuse(route: Route) -> None:
        if failure == "forbidden":
            route.fulfill(
                status=403, content_type="application/problem+json", body=json.dumps(problem)
            )
        else:
            route.abort()

    v = visit(browser, chain)
    v.page.route(re.compile(r"/v1/metrics/themes\?"), refuse)
    sign_in(v, chain.keys["read"])
    wait_ready(v)

    message = v.page.locator("#themes .problem").inner_text()
    if failure == "forbidden":
        assert message == (
            "This key may not read the themes. Forbidden This key may not read the themes."
        )
    else:
        assert message.startswith("The themes could not be loaded. The service does not answer")
    # No example is asked for; every other card is drawn.
    assert not [r for r in v.api_requests() if urlsplit(r.url).path == "/v1/feedback"]
    assert number(card(v.page, "nps")["n"]) == len(all_scores(chain))
    assert v.page.locator("#alerts li.alert").count() == len(open_alerts(chain))
    assert not v.page.locator("#problem").is_visible()
    v.assert_clean(allowed=r"status of 403 |net::ERR_FAILED")


def test_failed_example_calls_leave_the_themes(browser: Browser, chain: Chain) -> None:
    """The examples of one theme are one call: when it fails, that theme says so."""
    v = visit(browser, chain)
    v.page.route(
        re.compile(r"/v1/feedback\?.*theme=staff_friendliness"), lambda route: route.abort()
    )
    sign_in(v, chain.keys["read"])
    wait_ready(v)

    top = [t for t, _ in expected_top(enriched(chain))]
    assert listed_themes(v) == top
    failed = theme_item(v, "staff_friendliness")
    assert failed.locator(".examples-problem").inner_text() == (
        "Its comments could not be loaded. The service does not answer "
        "Check the connection and try again."
    )
    assert failed.locator(".theme-share").inner_text().startswith("18 % ")
    for theme in top:
        if theme != "staff_friendliness":
            assert theme_item(v, theme).locator("ul.examples q").count() == 2
    assert not v.page.locator("#problem").is_visible()
    v.assert_clean(allowed=r"net::ERR_FAILED")


# ---------------------------------------------------------------- what to fix first

QUADRANTS = {
    "fix_first": "Fix first", "keep_up": "Keep up", "watch": "Watch", "less_urgent": "Less urgent",
}  # fmt: skip
DRIVER_NAMES = {
    **{f"servqual:{d}": d.capitalize() for d in SERVQUAL_DIMENSIONS},
    "touchpoint": "Touchpoint", "channel": "Channel", "segment": "Segment",
    "acquisition_source": "Acquisition source",
}  # fmt: skip


def signed(value: float, digits: int) -> str:
    text = shown(value, digits)
    return f"+{text}" if Decimal(text.replace("\N{MINUS SIGN}", "-")) > 0 else text


def drivers_request(v: Visit) -> str:
    return last_request(v, "/v1/metrics/drivers")


def query_of(request: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(request).query))


def servqual_respondents(chain: Chain, max_age_days: float = 90) -> int:
    """Answers of the period that rated SERVQUAL (all five, so all in the model)."""
    return sum("servqual" in e.body for e in chain.events if e.age_days < max_age_days)


def check_drivers_card(v: Visit, answer: dict[str, Any]) -> None:
    """The card shows `answer` (the API's, for the request the page made): the table row
    by row, a point per driver in its answer's quadrant, the split lines where the
    service splits, the model's figures, the drivers left out and the note."""
    outcome = answer["outcome"]
    digits = DIGITS[outcome]
    drivers = answer["drivers"]
    box = v.page.locator("#drivers")
    # The table: one row per driver, most important first, as the API lists them.
    rows = box.locator("table.drivers-table tbody tr")
    assert rows.evaluate_all("els => els.map((e) => e.dataset.driver)") == [
        d["driver"] for d in drivers
    ]
    caption = box.locator("table.drivers-table caption").inner_text()
    assert caption.startswith(f"Drivers of {LABELS[outcome]}, most important first.")
    units = {"nps": "NPS points", "csat": "CSAT points", "ces": "CES points"}[outcome]
    assert f"opportunity: {units}" in caption
    for d in drivers:
        row = box.locator(f"tbody tr[data-driver='{d['driver']}']")
        assert row.locator("th .driver-label").inner_text() == DRIVER_NAMES[d["driver"]]
        assert (row.locator("th .pill.collinear").count() == 1) is d["collinear"]
        importance = row.locator("td.importance").inner_text().splitlines()
        assert importance == [
            f"{shown(d['importance'], 1)} %",
            f"{shown(d['importance_ci_low'], 1)}\N{EN DASH}{shown(d['importance_ci_high'], 1)}",
        ]
        assert row.locator("td.score").inner_text() == shown(d["score"], 0)
        opportunity = row.locator("td.opportunity").inner_text().splitlines()
        assert opportunity[:2] == [
            signed(d["opportunity"], digits),
            f"{shown(d['opportunity_ci_low'], digits)} to "
            f"{shown(d['opportunity_ci_high'], digits)}",
        ]
        if d["kind"] == "numeric":  # whose answers the gain would come from
            median = shown(d["median"], 1).removesuffix(".0")
            assert opportunity[2:] == [f"from answers {d['weak_side']} {median} (median)"]
        assert row.locator("td.quadrant").inner_text() == QUADRANTS[d["quadrant"]]

    # The chart: the four areas named, one point per driver in the answer's quadrant.
    chart = box.locator("svg.drivers-chart")
    assert chart.locator(".quadrant-label").all_text_contents() == list(QUADRANTS.values())
    points = chart.locator("g.driver-point")
    assert points.evaluate_all("els => els.map((e) => e.dataset.driver)") == [
        d["driver"] for d in drivers
    ]
    split_x, split_y = (
        float(chart.locator("line.split").nth(i).get_attribute(a) or "nan")
        for i, a in ((0, "x1"), (1, "y1"))
    )
    scores = sorted(d["score"] for d in drivers)
    middle = len(scores) // 2
    median_score = scores[middle] if len(scores) % 2 else (scores[middle - 1] + scores[middle]) / 2
    labels = chart.locator(".split-label").all_text_contents()
    assert labels == [f"median {shown(median_score, 0)}", f"mean {shown(100 / len(drivers), 1)} %"]
    for d in drivers:
        point = chart.locator(f"g.driver-point[data-driver='{d['driver']}']")
        classes = (point.get_attribute("class") or "").split()
        assert d["quadrant"] in classes
        assert ("collinear" in classes) is d["collinear"]
        assert point.locator(".driver-name").text_content() == DRIVER_NAMES[d["driver"]]
        cx, cy = (float(point.locator("circle").get_attribute(a) or "nan") for a in ("cx", "cy"))
        # On the side of each split line its quadrant says (a score at the median, or an
        # importance at the mean, counts as the upper side, as the service counts it).
        weak = d["quadrant"] in ("fix_first", "watch")
        important = d["quadrant"] in ("fix_first", "keep_up")
        assert cx < split_x + 1e-6 if weak else cx > split_x - 1e-6, d
        assert cy < split_y + 1e-6 if important else cy > split_y - 1e-6, d
        # The whisker is the importance's interval on the same axis as the point.
        whisker = point.locator("line.whisker")
        low, high = (float(whisker.get_attribute(a) or "nan") for a in ("y1", "y2"))
        assert low > high  # SVG's y runs down
        if d["importance_ci_high"] > d["importance_ci_low"]:
            at = (d["importance"] - d["importance_ci_low"]) / (
                d["importance_ci_high"] - d["importance_ci_low"]
            )
            assert (low - cy) / (low - high) == pytest.approx(at, abs=1e-6)
        assert (point.locator("title").text_content() or "").startswith(
            f"{DRIVER_NAMES[d['driver']]}: importance {shown(d['importance'], 1)} %"
        )
    fix_first = [DRIVER_NAMES[d["driver"]] for d in drivers if d["quadrant"] == "fix_first"]
    assert f"Fix first: {', '.join(fix_first) or 'none'}." in (
        chart.locator("desc").text_content() or ""
    )

    # The model: R² with its interval, n; the drivers left out and why; the note.
    assert box.locator("#drivers-r2").inner_text() == (
        f"{shown(answer['r2'], 2)} (95 % interval {shown(answer['r2_ci_low'], 2)} to "
        f"{shown(answer['r2_ci_high'], 2)})"
    )
    assert box.locator("#drivers-n").inner_text() == (
        f"n = {answer['n']:,} of {answer['n_outcome']:,} with {LABELS[outcome]}"
    )
    dropped = box.locator("#drivers-dropped li")
    assert dropped.all_inner_texts() == [
        f"{DRIVER_NAMES[d['driver']]}: {d['reason'].replace('min_n', str(answer['min_n']))} "
        f"({d['n']:,} answers)"
        for d in answer["dropped"]
    ]
    assert box.locator("#drivers-note").inner_text() == answer["note"]


def test_what_to_fix_first_shows_the_drivers_the_api_finds(browser: Browser, chain: Chain) -> None:
    v = visit(browser, chain)
    sign_in(v, chain.keys["read"])
    wait_ready(v)

    titles = v.page.locator("#board section.panel h2").all_inner_texts()
    assert titles.index("What to fix first") == titles.index("Top themes") + 1
    # One request, for the page's window and filters, the outcome chosen on the card.
    asked = [r for r in v.api_requests() if urlsplit(r.url).path == "/v1/metrics/drivers"]
    assert len(asked) == 1
    request = drivers_request(v)
    summary = query_of(summary_request(v))
    assert query_of(request) == {
        "from": summary["from"], "to": summary["to"], "tz": ZONE,
        "outcome": "nps", "replicates": "200",
    }  # fmt: skip
    answer = chain.api(request)
    check_drivers_card(v, answer)

    # As the data was made (data.SERVQUAL): every answer with NPS in the model's count,
    # those that rated SERVQUAL in it; responsiveness goes with the score and is rated
    # low, empathy goes with it and is rated high; reliability follows responsiveness,
    # so both are collinear; segment and acquisition source have no values.
    assert answer["n_outcome"] == len(all_scores(chain))
    assert answer["n"] == servqual_respondents(chain)
    by_driver = {d["driver"]: d for d in answer["drivers"]}
    assert {d["driver"] for d in answer["drivers"][:2]} == {
        "servqual:empathy", "servqual:responsiveness",
    }  # fmt: skip
    assert by_driver["servqual:responsiveness"]["quadrant"] == "fix_first"
    assert by_driver["servqual:empathy"]["quadrant"] == "keep_up"
    assert by_driver["servqual:responsiveness"]["collinear"]
    assert by_driver["servqual:reliability"]["collinear"]
    assert not by_driver["servqual:empathy"]["collinear"]
    assert [d["driver"] for d in answer["dropped"]] == ["segment", "acquisition_source"]
    row = v.page.locator("#drivers tbody tr[data-driver='servqual:responsiveness']")
    assert row.locator("th .driver-label").inner_text() == "Responsiveness"
    assert row.locator("th .pill").inner_text() == "collinear"
    assert row.locator("td.quadrant").inner_text() == "Fix first"
    v.assert_clean()


def test_what_to_fix_first_follows_the_filters_and_the_outcome(
    browser: Browser, chain: Chain
) -> None:
    v = visit(browser, chain)
    sign_in(v, chain.keys["read"])
    wait_ready(v)

    # Another outcome: asked for, and its points are the opportunity's unit.
    choose(v, "#drivers-outcome", "csat")
    request = drivers_request(v)
    assert query_of(request)["outcome"] == "csat"
    answer = chain.api(request)
    assert answer["outcome"] == "csat"
    check_drivers_card(v, answer)

    # A branch: its respondents only (the 90 days of one branch are enough for a model).
    choose(v, "#drivers-outcome", "nps")
    choose(v, "#location", data.WORSE_BRANCH)
    request = drivers_request(v)
    assert query_of(request)["location_id"] == data.WORSE_BRANCH
    answer = chain.api(request)
    assert answer["n"] == sum(
        "servqual" in e.body
        for e in chain.events
        if e.age_days < 90 and e.body["location_id"] == data.WORSE_BRANCH
    )
    check_drivers_card(v, answer)

    # A channel too.
    choose(v, "#location", "")
    choose(v, "#channel", "pos")
    request = drivers_request(v)
    assert query_of(request)["channel"] == "pos"
    check_drivers_card(v, chain.api(request))

    # One drivers request per load of the page, no more.
    loads = [r for r in v.api_requests() if urlsplit(r.url).path == "/v1/metrics/summary"]
    asked = [r for r in v.api_requests() if urlsplit(r.url).path == "/v1/metrics/drivers"]
    assert len(asked) == len(loads) == 6
    v.assert_clean()


def test_too_few_answers_for_the_drivers_is_said_in_the_card(
    browser: Browser, chain: Chain
) -> None:
    """The small branch has too few answers for a model: the API's 422 problem says so,
    and the card says what it says; every other card is drawn as usual."""
    v = visit(browser, chain)
    sign_in(v, chain.keys["read"])
    wait_ready(v)
    choose(v, "#location", data.SMALL_BRANCH)

    answer = httpx.get(f"{chain.base_url}{drivers_request(v)}", headers=bearer(chain.keys["read"]))
    assert answer.status_code == 422
    problem = answer.json()
    (error,) = problem["errors"]
    assert error["type"] == "insufficient_data"
    message = v.page.locator("#drivers-too-few")
    assert message.inner_text() == f"{problem['detail']} {error['message']}"
    assert message.locator("strong").inner_text() == problem["detail"]
    assert v.page.locator("#drivers .problem, #drivers svg, #drivers table").count() == 0
    assert not v.page.locator("#problem").is_visible()
    assert card(v.page, "nps")["big"].startswith("Too few answers")
    assert v.page.locator("#consistency svg .branch").count() == len(data.BRANCHES) + 1
    results = Axe().run(v.page, options=AXE_RULES)
    assert results.violations_count == 0, results.generate_report()
    # Back to the whole chain: the card is drawn again.
    choose(v, "#location", "")
    assert v.page.locator("#drivers table tbody tr").count() > 0
    assert v.page.locator("#drivers-too-few").count() == 0
    v.assert_clean(allowed=TOO_FEW)


def test_the_other_cards_do_not_wait_for_the_drivers(browser: Browser, chain: Chain) -> None:
    """The drivers' answer is the slowest: the other cards are drawn before it comes,
    the card says it is asking, and draws it when it comes."""
    held: list[Route] = []
    v = visit(browser, chain)
    v.page.route(re.compile(r"/v1/metrics/drivers\?"), lambda route: held.append(route))
    v.page.fill("#key", chain.keys["read"])
    v.page.click("#key-form button[type=submit]")
    v.page.wait_for_selector("#overview [data-metric=nps] .big")
    until(v.page, "document.querySelectorAll('#alerts li.alert').length > 0")
    assert len(held) == 1
    assert number(card(v.page, "nps")["n"]) == len(all_scores(chain))
    assert v.page.evaluate("document.body.dataset.state") == "loading"
    assert v.page.get_attribute("#drivers", "aria-busy") == "true"
    assert v.page.get_attribute("#board", "aria-busy") is None
    assert v.page.locator("#drivers").inner_text() == (
        "Asking the service which drivers matter\N{HORIZONTAL ELLIPSIS}"
    )
    held[0].continue_()
    wait_ready(v)
    assert v.page.get_attribute("#drivers", "aria-busy") is None
    check_drivers_card(v, chain.api(drivers_request(v)))
    v.assert_clean()


@pytest.mark.parametrize("failure", ["forbidden", "no-answer"])
def test_a_failed_drivers_call_leaves_the_rest_of_the_page(
    browser: Browser, chain: Chain, failure: str
) -> None:
    problem = {
        "type": "about:blank",
        "title": "Forbidden",
        "status": 403,
        "detail": "This key may not read the drivers.",
    }

    def refuse(route: Route) -> None:
        if failure == "forbidden":
            route.fulfill(
                status=403, content_type="application/problem+json", body=json.dumps(problem)
            )
        else:
            route.abort()

    v = visit(browser, chain)
    v.page.route(re.compile(r"/v1/metrics/drivers\?"), refuse)
    sign_in(v, chain.keys["read"])
    wait_ready(v)

    message = v.page.locator("#drivers .problem").inner_text()
    if failure == "forbidden":
        assert message == (
            "This key may not read the drivers. Forbidden This key may not read the drivers."
        )
    else:
        assert message.startswith("The drivers could not be loaded. The service does not answer")
    assert number(card(v.page, "nps")["n"]) == len(all_scores(chain))
    assert listed_themes(v)
    assert not v.page.locator("#problem").is_visible()
    v.assert_clean(allowed=r"status of 403 |net::ERR_FAILED")


AXE_RULES = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    }
}


@pytest.mark.parametrize("width", [1280, 420])
def test_axe_finds_no_accessibility_violation(browser: Browser, chain: Chain, width: int) -> None:
    """axe-core (WCAG 2.2 A/AA and best practices) on the key form, and on the board with
    an alert's evidence open and one of its requests answered; at a desktop's and a phone's
    width (where the tables scroll)."""
    v = visit(browser, chain, width=width)
    results = Axe().run(v.page, options=AXE_RULES)
    assert results.violations_count == 0, results.generate_report()

    sign_in(v, chain.keys["read"])
    wait_ready(v)
    item = alert_item(v, open_alerts(chain)[0])
    item.locator("details.evidence > summary").click()
    item.locator("ul.requests li[data-period=current] button").click()
    v.page.wait_for_selector("li[data-period=current] output:has-text('The API answers')")
    for details in v.page.locator("#trends details").all():
        details.evaluate("d => d.open = true")  # the tables too
    assert v.page.locator("#drivers svg g.driver-point").count() > 0  # the drivers' card too
    assert v.page.locator("#drivers table tbody tr").count() > 0
    results = Axe().run(v.page, options=AXE_RULES)
    assert results.violations_count == 0, results.generate_report()
    v.assert_clean()
