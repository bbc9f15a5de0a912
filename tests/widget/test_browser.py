"""The widget end to end: headless Chromium, a shop page on another origin, the real service.

The service runs as `feedback serve` (tests/served.py) on a fresh database with a
publishable key bound to the shop's origin; the shop is a tiny HTTP server on
another loopback port whose pages embed `<script src=".../widget.js" data-key=...>`.
Each test answers the widget with the keyboard only and then reads the database.
One browser and one service for the module; a new browser context (empty
sessionStorage) per test.
"""

import asyncio
import json
import re
import threading
import time
from collections.abc import Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import asyncpg
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, Request, Route, expect
from sqlalchemy.engine import URL

from app.auth import service as key_service
from app.auth.schemas import KeyCreate
from app.auth.tokens import Scope
from app.cli import connected
from app.db import libpq_url
from tests.browser import SCREENSHOTS, chromium, screenshots_wanted
from tests.served import Served, free_port, serve

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
EN_NPS = "How likely are you to recommend us to a friend or colleague?"
HU_CSAT = "Mennyire volt elégedett a szolgáltatásunkkal?"
RU_CES = "Насколько вы согласны: «Компания помогла мне легко решить мой вопрос»?"

# What a screen reader gets (Playwright's ARIA snapshot): the end labels are read once,
# with the values at the ends, not again as loose text.
EN_ARIA = f"""
- region "{EN_NPS}":
  - button "Close": \u00d7
  - group "{EN_NPS}":
    - text: {EN_NPS}
    - radio "0 (Not at all likely)"
    - text: 0 (Not at all likely)
    - radio "1"
    - text: "1"
    - radio "2"
    - text: "2"
    - radio "3"
    - text: "3"
    - radio "4"
    - text: "4"
    - radio "5"
    - text: "5"
    - radio "6"
    - text: "6"
    - radio "7"
    - text: "7"
    - radio "8"
    - text: "8"
    - radio "9"
    - text: "9"
    - radio "10 (Extremely likely)"
    - text: 10 (Extremely likely)
  - text: Anything else you would like to tell us? (optional)
  - textbox "Anything else you would like to tell us? (optional)"
  - button "Send"
"""

SHOP_PAGE = """<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><title>Demo shop</title>
<style>
  body {{ font: 16px/1.5 Georgia, serif; margin: 0; background: #f6f1ea; color: #2b2118; }}
  header {{ background: #2b2118; color: #f6f1ea; padding: 14px 32px; font-size: 22px; }}
  main {{ padding: 24px 32px; max-width: 34rem; }}
  a {{ color: #7a3b12; }}
</style></head>
<body>
<header>Kávé &amp; Co.</header>
<main>
  <h1>{heading}</h1>
  <p>Order #10482 is on its way. <a href="/orders">Your orders</a></p>
  <div id="slot"></div>
  {body}
</main>
</body></html>
"""


class Shop:
    """The shop: a different origin (another port) serving the pages a test puts here."""

    def __init__(self) -> None:
        self.pages: dict[str, tuple[str, dict[str, str]]] = {}
        shop = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                page, headers = shop.pages.get(self.path.split("?")[0], ("", {}))
                body = (page or "not found").encode()
                self.send_response(200 if page else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def page(
        self,
        path: str,
        *,
        lang: str = "en",
        heading: str = "Thank you!",
        body: str,
        headers: dict[str, str] | None = None,
    ) -> str:
        self.pages[path] = (SHOP_PAGE.format(lang=lang, heading=heading, body=body), headers or {})
        return self.origin + path


@dataclass
class World:
    service: Served
    shop: Shop
    key: str
    url: URL
    browser: Browser

    def script(self, **data: str) -> str:
        attributes = "".join(f' data-{name}="{value}"' for name, value in data.items())
        return (
            f'<script src="{self.service.base_url}/widget.js" data-key="{self.key}"'
            f"{attributes} async></script>"
        )

    def events(self) -> list[dict[str, Any]]:
        async def read() -> list[dict[str, Any]]:
            conn = await asyncpg.connect(libpq_url(self.url))
            try:
                rows = await conn.fetch(
                    "SELECT event_id, channel, touchpoint, location_id, nps, csat, ces,"
                    " comment, language, occurred_at, sent_at FROM feedback_events ORDER BY id"
                )
            finally:
                await conn.close()
            return [dict(row) for row in rows]

        # Playwright's sync API runs an event loop in this thread: read from another.
        with ThreadPoolExecutor(1) as pool:
            return pool.submit(asyncio.run, read()).result()

    def events_with(self, event_id: str) -> list[dict[str, Any]]:
        return [e for e in self.events() if e["event_id"] == event_id]


@pytest.fixture(scope="module")
def world(fresh_database: Callable[[], Coroutine[Any, Any, URL]]) -> Iterator[World]:
    url = asyncio.run(fresh_database())
    shop = Shop()

    async def make_key(conn: asyncpg.Connection) -> str:
        spec = KeyCreate(name="shop widget", scope=Scope.ingest, allowed_origins=[shop.origin])
        return (await key_service.create_key(conn, spec))[1]

    key = asyncio.run(connected(url, make_key))
    try:
        with serve(url) as service, chromium() as browser:
            yield World(service, shop, key, url, browser)
    finally:
        shop.server.shutdown()
        shop.server.server_close()


@pytest.fixture
def context(world: World) -> Iterator[BrowserContext]:
    context = world.browser.new_context(viewport={"width": 900, "height": 640})
    yield context
    context.close()


def deep_focus(page: Page) -> dict[str, Any]:
    """The focused element, looking into shadow roots: tag, type, value, checked, class."""
    result: dict[str, Any] = page.evaluate(
        """() => {
            let e = document.activeElement;
            while (e && e.shadowRoot && e.shadowRoot.activeElement) e = e.shadowRoot.activeElement;
            return e ? {tag: e.tagName.toLowerCase(), type: e.type || null, value: e.value ?? null,
                        checked: e.checked ?? null, cls: e.className || null} : {};
        }"""
    )
    return result


def tab_to(page: Page, predicate: Callable[[dict[str, Any]], bool], limit: int = 12) -> None:
    """Press Tab until the focused element is what `predicate` wants."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if predicate(deep_focus(page)):
            return
    raise AssertionError(f"Tab never reached it; focus is on {deep_focus(page)}")


def is_radio(focus: dict[str, Any]) -> bool:
    return focus.get("type") == "radio"


def pending(page: Page) -> Any:
    return page.evaluate("() => sessionStorage.getItem('feedback-widget:pending')")


def wait_until(condition: Callable[[], bool], timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.1)


def test_widget_is_answered_by_keyboard_and_stored_once(
    world: World, context: BrowserContext
) -> None:
    page = context.new_page()
    page.goto(
        world.shop.page(
            "/en",
            body=world.script(question="nps", touchpoint="checkout", location="vie-07"),
        )
    )
    widget = page.locator("feedback-widget")
    # Labels: the question as the group's legend, the ends, the comment, the button.
    expect(widget.get_by_role("group", name=EN_NPS)).to_be_visible()
    expect(widget.get_by_role("radio")).to_have_count(11)
    expect(widget.get_by_role("radio", name="0 (Not at all likely)")).to_be_attached()
    expect(widget.get_by_role("radio", name="10 (Extremely likely)")).to_be_attached()
    expect(widget.get_by_role("radio", name="7", exact=True)).to_be_attached()
    expect(widget.get_by_text("Not at all likely", exact=True)).to_be_visible()
    expect(
        widget.get_by_label("Anything else you would like to tell us? (optional)")
    ).to_be_visible()
    expect(widget.get_by_role("button", name="Send")).to_be_visible()
    expect(widget.get_by_role("button", name="Close")).to_be_visible()
    expect(widget).to_match_aria_snapshot(EN_ARIA)
    # The live region is there, empty, before it has anything to say (or nothing is read).
    expect(widget.get_by_role("status")).to_have_text("")
    assert deep_focus(page)["tag"] == "body"  # it appeared without taking the focus

    # Keyboard only: Tab into the scale, arrows to 9, Tab to the comment, type, Tab, Enter.
    tab_to(page, is_radio)
    for _ in range(10):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowLeft")
    assert deep_focus(page) == {**deep_focus(page), "type": "radio", "value": "9", "checked": True}
    page.keyboard.press("Tab")
    assert deep_focus(page)["tag"] == "textarea"
    page.keyboard.type("Quick and friendly. Ünnepi kávé!")
    page.keyboard.press("Tab")
    assert deep_focus(page)["cls"] == "send"
    if screenshots_wanted():
        page.screenshot(path=SCREENSHOTS / "widget.png")
    page.keyboard.press("Enter")

    expect(widget.get_by_role("status")).to_have_text("Thank you for your feedback!")
    assert deep_focus(page)["tag"] != "body"  # the focus stayed in the widget
    assert pending(page) is None  # acknowledged: nothing left to resend

    [event] = [e for e in world.events() if e["comment"] == "Quick and friendly. Ünnepi kávé!"]
    assert UUID.match(event["event_id"])
    assert (event["nps"], event["csat"], event["ces"]) == (9, None, None)
    assert (event["channel"], event["touchpoint"], event["location_id"]) == (
        "web",
        "checkout",
        "vie-07",
    )
    assert event["language"] == "en"
    assert event["sent_at"] is not None
    assert len(world.events_with(event["event_id"])) == 1


def test_widget_speaks_the_pages_language_hungarian(world: World, context: BrowserContext) -> None:
    page = context.new_page()
    page.goto(
        world.shop.page(
            "/hu",
            lang="hu-HU",
            heading="Köszönjük!",
            body=world.script(question="csat", touchpoint="delivery"),
        )
    )
    widget = page.locator("feedback-widget")
    expect(widget.get_by_role("group", name=HU_CSAT)).to_be_visible()
    expect(widget.get_by_role("radio")).to_have_count(5)
    expect(widget.get_by_role("radio", name="1 (Nagyon elégedetlen)")).to_be_attached()
    expect(widget.get_by_role("radio", name="5 (Nagyon elégedett)")).to_be_attached()
    expect(widget.get_by_label("Szeretne még valamit hozzáfűzni? (nem kötelező)")).to_be_visible()
    expect(widget.get_by_role("button", name="Küldés")).to_be_visible()
    expect(widget.get_by_role("button", name="Bezárás")).to_be_visible()

    # Space picks the focused value, arrows move it, Enter on the scale sends.
    tab_to(page, is_radio)
    page.keyboard.press("Space")
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    assert deep_focus(page) == {**deep_focus(page), "value": "4", "checked": True}
    page.keyboard.press("Enter")

    expect(widget.get_by_role("status")).to_have_text("Köszönjük a visszajelzését!")
    [event] = [e for e in world.events() if e["touchpoint"] == "delivery"]
    assert (event["csat"], event["nps"], event["comment"], event["language"]) == (
        4,
        None,
        None,
        "hu-HU",  # the page's tag: the visitor's language, not only the widget's
    )


def test_data_lang_wins_russian_inline(world: World, context: BrowserContext) -> None:
    page = context.new_page()
    page.goto(
        world.shop.page(
            "/ru",
            lang="en",
            body=world.script(question="ces", touchpoint="support_call", lang="ru", target="#slot"),
        )
    )
    widget = page.locator("#slot feedback-widget")  # inline, in the page's own container
    expect(widget.get_by_role("group", name=RU_CES)).to_be_visible()
    expect(widget.get_by_role("radio")).to_have_count(7)
    expect(widget.get_by_role("radio", name="1 (Совершенно не согласны)")).to_be_attached()
    expect(widget.get_by_role("radio", name="7 (Полностью согласны)")).to_be_attached()
    expect(widget.get_by_label("Хотите что-нибудь добавить? (необязательно)")).to_be_visible()
    expect(widget.get_by_role("button", name="Закрыть")).to_have_count(0)  # nothing to close

    page.keyboard.press("Tab")  # the shop's link comes first
    assert deep_focus(page)["tag"] == "a"
    tab_to(page, is_radio)
    for _ in range(5):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Escape")  # inline: stays
    page.keyboard.press("Tab")
    page.keyboard.type("Всё решили за пять минут")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # Space presses a button too

    expect(widget.get_by_role("status")).to_have_text("Спасибо за ваш отзыв!")
    [event] = [e for e in world.events() if e["touchpoint"] == "support_call"]
    assert (event["ces"], event["comment"], event["language"]) == (
        6,
        "Всё решили за пять минут",
        "ru",
    )


def feedback_posts(context: BrowserContext) -> list[str]:
    """The bodies of the POSTs to /v1/feedback made in `context` (beacons included)."""
    bodies: list[str] = []

    def record(request: Request) -> None:
        if request.method == "POST" and "/v1/feedback" in request.url:
            bodies.append(request.post_data or "")

    context.on("request", record)
    return bodies


def answer_nps(page: Page, score: int, comment: str) -> None:
    tab_to(page, is_radio)
    for _ in range(score):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Tab")
    page.keyboard.type(comment)
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")


def test_answer_whose_reply_was_lost_is_retried_and_stored_once(
    world: World, context: BrowserContext
) -> None:
    """The first attempt reaches the service, its answer does not (a 503 instead): the
    widget retries with the same event_id, the service recognises the replay."""
    bodies = feedback_posts(context)
    lost: list[int] = []

    def lose_first_answer(route: Route) -> None:
        if lost:
            route.continue_()
            return
        response = route.fetch()  # stored by the service...
        lost.append(response.status)
        route.fulfill(
            response=response, status=503, headers={**response.headers, "retry-after": "1"}
        )

    context.route(f"{world.service.base_url}/v1/feedback*", lose_first_answer)
    page = context.new_page()
    page.goto(world.shop.page("/lost", body=world.script(touchpoint="lost_reply")))
    answer_nps(page, 3, "Second try")

    widget = page.locator("feedback-widget")
    expect(widget.get_by_role("status")).to_have_text("Connection problem. Trying again…")
    expect(widget.get_by_role("status")).to_have_text("Thank you for your feedback!")
    assert lost == [201]
    assert len(bodies) == 2
    ids = {json.loads(body)["event_id"] for body in bodies}
    assert len(ids) == 1
    [event] = world.events_with(ids.pop())
    assert (event["nps"], event["touchpoint"], event["comment"]) == (3, "lost_reply", "Second try")
    assert pending(page) is None


def test_answer_left_behind_goes_as_a_beacon_and_again_from_the_next_page_once(
    world: World, context: BrowserContext
) -> None:
    """The service is overloaded (503, retry in a minute) when the visitor answers, and
    they leave: the page sends a beacon as it goes (stored), and the tab's next page
    with the widget sends the kept answer again with the same event_id (a replay):
    stored once."""
    bodies = feedback_posts(context)  # Playwright does not see the beacon of a page leaving

    def overloaded(route: Route) -> None:
        # Retry in a minute: no retry of the page's own gets in the way of the beacon.
        route.fulfill(
            status=503,
            headers={
                "Access-Control-Allow-Origin": world.shop.origin,
                "Access-Control-Expose-Headers": "Retry-After",
                "Retry-After": "60",
            },
            content_type="application/problem+json",
            body='{"type": "urn:feedback:problem:unavailable", "status": 503}',
        )

    context.route(f"{world.service.base_url}/v1/feedback*", overloaded)
    page = context.new_page()
    page.goto(world.shop.page("/leave", body=world.script(touchpoint="left_page")))
    answer_nps(page, 10, "Left in a hurry")
    widget = page.locator("feedback-widget")
    expect(widget.get_by_role("status")).to_have_text("Connection problem. Trying again…")
    [kept] = json.loads(pending(page))
    event_id = kept["event"]["event_id"]
    assert world.events_with(event_id) == []

    context.unroute(f"{world.service.base_url}/v1/feedback*")
    page.goto(world.shop.page("/plain", body="<p>No widget here.</p>"))
    wait_until(lambda: len(world.events_with(event_id)) == 1)  # the beacon arrived
    assert json.loads(pending(page))[0]["event"]["event_id"] == event_id  # unconfirmed: kept

    page.goto(world.shop.page("/next", body=world.script(touchpoint="left_page", auto="false")))
    wait_until(lambda: pending(page) is None)  # the next page's resend was acknowledged
    assert len(bodies) == 2  # the failed fetch and the resend
    assert {json.loads(body)["event_id"] for body in bodies} == {event_id}
    [event] = world.events_with(event_id)
    assert (event["nps"], event["comment"]) == (10, "Left in a hurry")


def test_visitor_who_answered_and_left_before_the_reply_is_not_asked_again(
    world: World, context: BrowserContext
) -> None:
    """The visitor presses Send while the network is down and goes on to the next page
    before any acknowledgement: that page delivers the kept answer once and does not
    open the widget again (a second answer would be a second event)."""
    bodies = feedback_posts(context)
    context.route(f"{world.service.base_url}/v1/feedback*", lambda route: route.abort())
    page = context.new_page()
    page.goto(world.shop.page("/answered", body=world.script(touchpoint="answered_once")))
    answer_nps(page, 6, "Answered once")
    widget = page.locator("feedback-widget")
    expect(widget.get_by_role("status")).to_have_text("Connection problem. Trying again…")
    [kept] = json.loads(pending(page))
    event_id = kept["event"]["event_id"]

    context.unroute(f"{world.service.base_url}/v1/feedback*")
    page.goto(world.shop.page("/answered-next", body=world.script(touchpoint="answered_once")))
    page.wait_for_function("() => window.FeedbackWidget && FeedbackWidget.version")
    wait_until(lambda: pending(page) is None)  # the kept answer was acknowledged
    expect(page.locator("feedback-widget")).to_have_count(0)  # and not asked again
    assert {json.loads(body)["event_id"] for body in bodies} == {event_id}
    [event] = [e for e in world.events() if e["touchpoint"] == "answered_once"]
    assert (event["event_id"], event["nps"], event["comment"]) == (event_id, 6, "Answered once")


def test_site_opens_it_with_the_js_api_and_escape_hands_the_focus_back(
    world: World, context: BrowserContext
) -> None:
    page = context.new_page()
    button = (
        '<button id="rate" onclick="FeedbackWidget.open('
        "{question: 'ces', touchpoint: 'help_article'})\">Rate this article</button>"
    )
    page.goto(world.shop.page("/api", body=button + world.script(auto="false")))
    page.wait_for_function("() => window.FeedbackWidget && FeedbackWidget.version")
    expect(page.locator("feedback-widget")).to_have_count(0)  # data-auto="false"

    tab_to(page, lambda focus: focus["tag"] == "button")
    page.keyboard.press("Enter")
    expect(page.locator("feedback-widget").get_by_role("radio")).to_have_count(7)
    assert deep_focus(page) == {**deep_focus(page), "type": "radio", "value": "1"}  # opened by
    # the visitor: the focus goes to the scale
    page.keyboard.press("Tab")
    page.keyboard.press("Escape")
    expect(page.locator("feedback-widget")).to_have_count(0)
    assert page.evaluate("() => document.activeElement.id") == "rate"


def test_widget_dismissed_with_escape_is_not_shown_again_in_the_session(
    world: World, context: BrowserContext
) -> None:
    page = context.new_page()
    url = world.shop.page("/dismiss", body=world.script(touchpoint="dismissed"))
    page.goto(url)
    tab_to(page, is_radio)
    page.keyboard.press("Escape")
    expect(page.locator("feedback-widget")).to_have_count(0)
    page.reload()
    page.wait_for_function("() => window.FeedbackWidget && FeedbackWidget.version")
    expect(page.locator("feedback-widget")).to_have_count(0)
    assert [e for e in world.events() if e["touchpoint"] == "dismissed"] == []


def luminance(rgb: tuple[float, ...]) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio of two opaque CSS rgb() colours."""
    lum = sorted(
        (
            luminance(tuple(float(x) for x in re.findall(r"[\d.]+", c)))
            for c in (foreground, background)
        ),
        reverse=True,
    )
    return (lum[0] + 0.05) / (lum[1] + 0.05)


def test_contrast_ratio() -> None:
    assert round(contrast("rgb(0, 0, 0)", "rgb(255, 255, 255)"), 1) == 21.0
    assert round(contrast("rgb(118, 118, 118)", "rgb(255, 255, 255)"), 2) == 4.54


def test_every_text_has_a_contrast_of_at_least_4_5(world: World, context: BrowserContext) -> None:
    page = context.new_page()
    page.goto(world.shop.page("/contrast", body=world.script(touchpoint="contrast")))
    widget = page.locator("feedback-widget")
    tab_to(page, lambda focus: focus.get("cls") == "send")
    page.keyboard.press("Enter")  # nothing chosen: the error shows (and nothing is sent)
    expect(widget.get_by_role("status")).to_have_text("Please choose a score or write a comment.")
    tab_to(page, is_radio)  # (wraps around through the page)
    page.keyboard.press("ArrowRight")  # a checked value: white on the accent colour
    texts: list[dict[str, str]] = page.evaluate(
        """() => {
            const root = document.querySelector("feedback-widget").shadowRoot;
            const background = (e) => {
                for (; e; e = e.parentElement || e.getRootNode().host) {
                    const c = getComputedStyle(e).backgroundColor;
                    if (c !== "rgba(0, 0, 0, 0)") return c;
                }
                return "rgb(255, 255, 255)";
            };
            const texts = "legend, .box, .ends span, label.comment, textarea, button, .status";
            return [...root.querySelectorAll(texts)].map((e) => ({
                what: e.className || e.tagName, text: e.textContent.slice(0, 20),
                color: getComputedStyle(e).color, background: background(e)}));
        }"""
    )
    assert {t["what"] for t in texts} >= {
        "LEGEND",
        "box",
        "comment",
        "send",
        "close",
        "status error",
    }
    low = [t for t in texts if contrast(t["color"], t["background"]) < 4.5]
    assert low == []
    assert [e for e in world.events() if e["touchpoint"] == "contrast"] == []


@pytest.mark.parametrize(("motion", "animation"), [("reduce", "none"), ("no-preference", "fbw-in")])
def test_it_slides_in_only_when_motion_is_welcome(
    world: World, motion: str, animation: str
) -> None:
    context = world.browser.new_context(reduced_motion=motion)  # type: ignore[arg-type]
    try:
        page = context.new_page()
        page.goto(world.shop.page("/motion", body=world.script(touchpoint="motion")))
        panel = page.locator("feedback-widget section")
        expect(panel).to_be_visible()
        assert panel.evaluate("(e) => getComputedStyle(e).animationName") == animation
    finally:
        context.close()


def test_widget_works_under_a_strict_content_security_policy(
    world: World, context: BrowserContext
) -> None:
    """No inline style or script of its own: a page that allows the service for scripts
    and connections, and nothing inline, still gets a styled, working widget."""
    service = world.service.base_url
    csp = f"default-src 'none'; script-src {service}; connect-src {service}; style-src 'self'"
    page = context.new_page()
    violations: list[str] = []
    page.on(
        "console", lambda m: violations.append(m.text) if "Content Security" in m.text else None
    )
    page.goto(
        world.shop.page(
            "/csp",
            body=world.script(touchpoint="strict_csp"),
            headers={"Content-Security-Policy": csp},
        )
    )
    send = page.locator("feedback-widget").get_by_role("button", name="Send")
    expect(send).to_have_css("background-color", "rgb(11, 87, 208)")  # styled
    answer_nps(page, 8, "Fine")
    expect(page.locator("feedback-widget").get_by_role("status")).to_have_text(
        "Thank you for your feedback!"
    )
    [event] = [e for e in world.events() if e["touchpoint"] == "strict_csp"]
    assert event["nps"] == 8
    assert [v for v in violations if "widget" in v or service in v] == []


def test_answer_the_service_refuses_shows_a_calm_error_and_is_not_retried(
    world: World, context: BrowserContext
) -> None:
    bodies = feedback_posts(context)
    page = context.new_page()
    page.goto(world.shop.page("/refused", body=world.script(touchpoint="Not A Slug!")))
    answer_nps(page, 5, "Refused")
    widget = page.locator("feedback-widget")
    expect(widget.get_by_role("status")).to_have_text("Sorry, your answer could not be sent.")
    expect(widget.get_by_role("button", name="Send")).to_be_visible()  # may try again
    assert pending(page) is None  # nothing to resend: a 422 stays a 422
    time.sleep(1.5)  # past the first retry's time
    assert len(bodies) == 1
    assert [e for e in world.events() if e["comment"] == "Refused"] == []


@pytest.mark.parametrize("refusal", ["unknown key", "another origin"])
def test_a_wrong_key_or_origin_is_told_calmly_not_retried(
    world: World, context: BrowserContext, refusal: str
) -> None:
    """The service's 401 / 403 reach the script (CORS headers on refusals), so the widget
    stops at once instead of retrying what looks like a network failure."""
    bodies = feedback_posts(context)
    page = context.new_page()
    script = world.script(touchpoint="wrong_key")
    if refusal == "unknown key":
        script = script.replace(world.key, "fbk_ingest_1ChWQtDAm7O05G6ESidZE3epSL3Z8y4N4_3Qt5N0")
    url = world.shop.page(f"/{refusal.replace(' ', '-')}", body=script)
    if refusal == "another origin":  # the same page from localhost: not the key's origin
        url = url.replace("127.0.0.1", "localhost")
    page.goto(url)
    answer_nps(page, 5, "Wrong key")
    widget = page.locator("feedback-widget")
    expect(widget.get_by_role("status")).to_have_text("Sorry, your answer could not be sent.")
    assert pending(page) is None
    time.sleep(1.5)  # past the first retry's time
    assert len(bodies) == 1
    assert [e for e in world.events() if e["comment"] == "Wrong key"] == []


def test_a_site_adds_a_language_and_missing_strings_fall_back_to_english(
    world: World, context: BrowserContext
) -> None:
    page = context.new_page()
    page.goto(world.shop.page("/de", lang="de-AT", body=world.script(auto="false")))
    page.wait_for_function("() => window.FeedbackWidget && FeedbackWidget.version")
    page.evaluate(
        """() => {
            FeedbackWidget.strings.de = {csat: "Wie zufrieden waren Sie?", send: "Senden"};
            FeedbackWidget.open({question: "csat", touchpoint: "german"});
        }"""
    )
    widget = page.locator("feedback-widget")
    expect(widget.get_by_role("group", name="Wie zufrieden waren Sie?")).to_be_visible()
    expect(widget.get_by_role("button", name="Senden")).to_be_visible()
    expect(widget.get_by_role("radio", name="5 (Very satisfied)")).to_be_attached()  # English
    page.keyboard.press("ArrowRight")  # open() put the focus on the scale
    page.keyboard.press("Enter")
    expect(widget.get_by_role("status")).to_have_text("Thank you for your feedback!")
    [event] = [e for e in world.events() if e["touchpoint"] == "german"]
    assert (event["csat"], event["language"]) == (2, "de-AT")


def test_a_page_in_a_language_without_strings_gets_english_but_keeps_its_language(
    world: World, context: BrowserContext
) -> None:
    """No German table: the widget speaks English, the answer still says it came from a
    German page (the visitor's language, for the dashboards' per-language views)."""
    page = context.new_page()
    page.goto(world.shop.page("/de-only", lang="de-AT", body=world.script(touchpoint="no_table")))
    widget = page.locator("feedback-widget")
    expect(widget.get_by_role("group", name=EN_NPS)).to_be_visible()
    assert widget.locator("section").get_attribute("lang") == "en"  # read out as English
    answer_nps(page, 8, "Gut")
    expect(widget.get_by_role("status")).to_have_text("Thank you for your feedback!")
    [event] = [e for e in world.events() if e["touchpoint"] == "no_table"]
    assert (event["nps"], event["language"]) == (8, "de-AT")


def test_a_site_table_with_a_region_is_found_whatever_the_case(
    world: World, context: BrowserContext
) -> None:
    page = context.new_page()
    page.goto(world.shop.page("/pt", lang="pt-br", body=world.script(auto="false")))
    page.wait_for_function("() => window.FeedbackWidget && FeedbackWidget.version")
    page.evaluate(
        """() => {
            FeedbackWidget.strings["pt-BR"] = {csat: "Você ficou satisfeito?", send: "Enviar"};
            FeedbackWidget.open({question: "csat", touchpoint: "brazil"});
        }"""
    )
    widget = page.locator("feedback-widget")
    expect(widget.get_by_role("group", name="Você ficou satisfeito?")).to_be_visible()
    expect(widget.get_by_role("button", name="Enviar")).to_be_visible()
    assert widget.locator("section").get_attribute("lang") == "pt-BR"
    page.keyboard.press("Space")  # open() put the focus on the scale: picks 1
    page.keyboard.press("Enter")
    expect(widget.get_by_role("status")).to_have_text("Thank you for your feedback!")
    [event] = [e for e in world.events() if e["touchpoint"] == "brazil"]
    assert (event["csat"], event["language"]) == (1, "pt-BR")  # canonical case


AXE_RULES = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    }
}


@pytest.mark.parametrize(
    ("path", "lang", "data", "state"),
    [
        ("/axe-en", "en", {"question": "nps"}, "open"),
        ("/axe-hu", "hu", {"question": "csat"}, "error"),
        ("/axe-ru", "en", {"question": "ces", "lang": "ru", "target": "#slot"}, "open"),
    ],
)
def test_axe_finds_no_accessibility_violation(
    world: World,
    context: BrowserContext,
    path: str,
    lang: str,
    data: dict[str, str],
    state: str,
) -> None:
    """axe-core (WCAG 2.2 A/AA and best practices, into the open shadow root) on the
    page with the widget, as it opens and with an error announced."""
    page = context.new_page()
    page.goto(world.shop.page(path, lang=lang, body=world.script(touchpoint="axe", **data)))
    widget = page.locator("feedback-widget")
    expect(widget.get_by_role("radio").first).to_be_attached()
    if state == "error":
        tab_to(page, lambda focus: focus.get("cls") == "send")
        page.keyboard.press("Enter")  # nothing chosen
        expect(widget.get_by_role("status")).not_to_be_empty()
    # The floating widget fades in (0.25 s); mid-fade its text is partly transparent and
    # axe would measure the contrast of a frame no one reads. Audit the settled page.
    page.evaluate(
        """() => Promise.all(document.querySelector("feedback-widget").shadowRoot
              .getAnimations().map((a) => a.finished))"""
    )
    results = Axe().run(page, options=AXE_RULES)
    found = [  # the package's own report cannot print targets inside a shadow root
        (v["id"], v["impact"], [(n["target"], n["failureSummary"]) for n in v["nodes"]])
        for v in results.response["violations"]
    ]
    assert found == []
