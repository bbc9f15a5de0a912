"""A headless Chromium for the browser tests (the web widget, the dashboard).

Debian's `chromium` package (installed by `scripts/_chromium`, which
`scripts/test` sources), driven by Playwright's sync API; Playwright's own
browser download is never used. `FEEDBACK_CHROMIUM` names another binary.

    with chromium() as browser:
        page = browser.new_page()
        page.goto(f"{service.base_url}/dashboard")

Use it from plain (sync) tests: Playwright's sync API refuses to run inside a
running event loop. One browser per test module keeps the tests fast; open a
new context (or page) per test for a clean slate.
"""

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "docs" / "images"


def chromium_path() -> str:
    path = os.environ.get("FEEDBACK_CHROMIUM") or shutil.which("chromium")
    if not path:
        raise RuntimeError(
            "The browser tests need Chromium: run scripts/_chromium as root (it installs "
            "Debian's chromium package), or set FEEDBACK_CHROMIUM to a Chromium binary."
        )
    return path


@contextmanager
def chromium() -> Iterator[Browser]:
    """A headless Chromium, closed on exit."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(),
            headless=True,
            # Containers run as root, where Chromium's sandbox cannot start.
            args=["--no-sandbox"] if os.geteuid() == 0 else [],
        )
        try:
            yield browser
        finally:
            browser.close()


def screenshots_wanted() -> bool:
    """Whether to (re)write the screenshots checked in under docs/images (FEEDBACK_SCREENSHOTS=1).

    Off by default, so a normal test run never changes checked-in files.
    """
    return os.environ.get("FEEDBACK_SCREENSHOTS") == "1"
