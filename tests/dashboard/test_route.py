"""`GET /dashboard` and its assets: public, strict CSP, no framing, ETags, 304s and HEAD."""

import re
from pathlib import Path

import httpx
import pytest

from app.dashboard.assets import ASSETS
from app.openapi import document
from app.static_files import etag_matches


async def test_the_page_is_public_html_with_a_strict_csp(client: httpx.AsyncClient) -> None:
    answer = await client.get("/dashboard")  # no key
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/html; charset=utf-8"
    assert "<h1>Feedback dashboard</h1>" in answer.text
    csp = dict(
        d.strip().split(" ", 1) for d in answer.headers["content-security-policy"].split(";")
    )
    assert csp["default-src"] == "'none'"
    assert csp["script-src"] == "'self'"
    assert csp["style-src"] == "'self'"
    assert csp["connect-src"] == "'self'"
    assert csp["frame-ancestors"] == "'none'"
    assert csp["form-action"] == "'none'"
    assert "unsafe" not in answer.headers["content-security-policy"]
    assert answer.headers["x-frame-options"] == "DENY"
    assert answer.headers["referrer-policy"] == "no-referrer"
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert "set-cookie" not in answer.headers


async def test_the_page_has_no_inline_script_or_style(client: httpx.AsyncClient) -> None:
    html = (await client.get("/dashboard")).text
    assert re.findall(r"<script[^>]*>", html) == [
        '<script type="module" src="/dashboard/assets/dashboard.js">'
    ]
    assert "<style" not in html
    assert " style=" not in html
    assert re.search(r"\son[a-z]+=", html) is None  # no event handler attributes
    # The key field has no name: a form submitted without the script sends nothing.
    key_input = re.search(r'<input id="key"[^>]*>', html)
    assert key_input
    assert "name=" not in key_input.group(0)
    assert 'type="password"' in key_input.group(0)


async def test_every_asset_the_page_names_is_served_with_its_type(
    client: httpx.AsyncClient,
) -> None:
    html = (await client.get("/dashboard")).text
    named = re.findall(r'(?:src|href)="(/dashboard/assets/[^"]+)"', html)
    assert sorted(named) == sorted(f"/dashboard/assets/{name}" for name in ASSETS)
    types = {"js": "text/javascript", "css": "text/css", "svg": "image/svg+xml"}
    for path in named:
        answer = await client.get(path)
        assert answer.status_code == 200, path
        assert answer.headers["content-type"].startswith(types[path.rsplit(".", 1)[1]])
        assert answer.headers["etag"] == ASSETS[path.rsplit("/", 1)[1]].gzip_etag  # httpx: gzip
        assert answer.headers["cache-control"] == "no-cache"


@pytest.mark.parametrize("path", ["/dashboard", "/dashboard/assets/dashboard.js"])
async def test_a_known_etag_is_answered_304_without_a_body(
    client: httpx.AsyncClient, path: str
) -> None:
    first = await client.get(path)
    etag = first.headers["etag"]
    assert re.fullmatch(r'"[0-9a-f]{20}-gz"', etag)  # httpx asks for gzip
    again = await client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    weak_in_list = await client.get(path, headers={"If-None-Match": f'"other", W/{etag}'})
    assert weak_in_list.status_code == 304
    changed = await client.get(path, headers={"If-None-Match": '"something-else"'})
    assert changed.status_code == 200
    assert changed.content == first.content


@pytest.mark.parametrize(
    "path", ["/dashboard", "/dashboard/assets/dashboard.js", "/dashboard/assets/dashboard.css"]
)
async def test_head_answers_what_get_would_without_the_body(
    client: httpx.AsyncClient, path: str
) -> None:
    got = await client.get(path)
    head = await client.head(path)
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["content-length"] == got.headers["content-length"] != "0"
    for name in ("content-type", "etag", "cache-control"):
        assert head.headers[name] == got.headers[name], name
    assert (await client.head("/dashboard/assets/nope.js")).status_code == 404


async def test_an_unknown_asset_is_a_404_problem(client: httpx.AsyncClient) -> None:
    for path in ("/dashboard/assets/nope.js", "/dashboard/assets/..%2Fassets.py"):
        answer = await client.get(path)
        assert answer.status_code == 404, path
        assert answer.headers["content-type"] == "application/problem+json"
    long = await client.get("/dashboard/assets/" + "a" * 100)
    assert long.status_code == 422
    assert long.headers["content-type"] == "application/problem+json"


def test_the_page_is_not_part_of_the_api_document() -> None:
    assert not [p for p in document()["paths"] if p.startswith("/dashboard")]


def test_etag_matching_follows_rfc_9110() -> None:
    assert etag_matches('"a"', '"a"')
    assert etag_matches('W/"a"', '"a"')
    assert etag_matches('"b", "a"', '"a"')
    assert etag_matches("*", '"a"')
    assert not etag_matches(None, '"a"')
    assert not etag_matches("", '"a"')
    assert not etag_matches('"ab"', '"a"')


def test_the_script_writes_no_html_and_puts_no_key_in_a_url() -> None:
    """The reference client sets text only (no innerHTML: data can never run as markup)
    and sends the key in one place, the Authorization header."""
    script = ASSETS["dashboard.js"].body.decode()
    assert "innerHTML" not in script
    assert "outerHTML" not in script
    assert "insertAdjacentHTML" not in script
    assert "eval(" not in script
    assert script.count("Bearer ${key}") == 1
    assert "searchParams.append(name, v)" in script


def test_the_readme_shows_the_checked_in_screenshot() -> None:
    root = Path(__file__).resolve().parents[2]
    readme = (root / "README.md").read_text()
    assert "## Dashboard" in readme
    assert "(docs/images/dashboard.png)" in readme
    assert "(app/dashboard/static/dashboard.js)" in readme
    assert (root / "docs" / "images" / "dashboard.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
