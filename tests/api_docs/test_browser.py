"""/docs and /redoc in headless Chromium: they render the API from the service's own
files, load nothing from another origin, and break no rule of their CSP."""

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, ConsoleMessage, expect
from sqlalchemy.engine import URL

from tests.browser import chromium
from tests.served import serve

CSP_SPY = """
window.__violations = [];
document.addEventListener("securitypolicyviolation",
  (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
"""


async def _awaited(awaitable: Awaitable[URL]) -> URL:
    return await awaitable


@pytest.fixture(scope="module")
def base_url(fresh_database: Callable[[], Awaitable[URL]]) -> Iterator[str]:
    with ThreadPoolExecutor(1) as pool:  # a loop of its own: the tests' loop is running
        url = pool.submit(asyncio.run, _awaited(fresh_database())).result()
    with serve(url) as service:
        yield service.base_url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as browser:
        yield browser


# ReDoc always draws Redocly's logo from their CDN (hidden when it fails to load); the
# page's CSP blocks it, so that is the one refusal expected there.
REDOCLY_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"


@pytest.mark.parametrize(
    ("path", "rendered", "blocked"),
    [
        ("/docs", ".opblock-summary-path[data-path='/v1/feedback']", []),
        ("/redoc", "h2:has-text('Submit Feedback')", [f"img-src {REDOCLY_LOGO}"]),
    ],
)
def test_the_page_renders_the_api_from_this_origin_alone(
    browser: Browser, base_url: str, path: str, rendered: str, blocked: list[str]
) -> None:
    context = browser.new_context()
    context.add_init_script(CSP_SPY)
    page = context.new_page()
    requests: list[str] = []  # answered, from any origin
    errors: list[str] = []
    page.on("response", lambda response: requests.append(response.url))  # what was fetched
    page.on("pageerror", lambda exc: errors.append(f"uncaught: {exc}"))

    def console(message: ConsoleMessage) -> None:
        if message.type == "error" and not any(url in message.text for url in blocked_urls):
            errors.append(message.text)

    blocked_urls = [b.split(" ", 1)[1] for b in blocked]
    page.on("console", console)
    page.goto(f"{base_url}{path}")
    expect(page.locator(rendered).first).to_be_visible(timeout=20_000)
    origin = urlsplit(base_url).netloc
    assert [r for r in requests if urlsplit(r).netloc not in (origin, "")] == []
    page.wait_for_timeout(300)  # let late images settle (and be refused)
    assert sorted(set(page.evaluate("window.__violations"))) == blocked
    assert errors == []
    context.close()
