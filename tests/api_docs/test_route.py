"""/docs and /redoc: pages that load only this service's files, under a strict CSP."""

import base64
import hashlib
import re

import httpx
import pytest
from fastapi import FastAPI

from app.api_docs.router import ASSETS
from app.openapi import document


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
async def test_the_page_names_only_this_services_files(
    client: httpx.AsyncClient, path: str
) -> None:
    page = await client.get(path)
    assert page.status_code == 200
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    urls = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert urls
    assert [u for u in urls if not u.startswith("/") or u.startswith("//")] == []
    assert "cdn." not in page.text


async def test_the_csp_lets_run_only_own_scripts_and_the_pages_inline_one(
    client: httpx.AsyncClient,
) -> None:
    page = await client.get("/docs")
    directives = page.headers["content-security-policy"].split("; ")
    policy = {name: value for name, _, value in (d.partition(" ") for d in directives)}
    [inline] = re.findall(r"<script>(.*?)</script>", page.text, re.DOTALL)
    digest = base64.b64encode(hashlib.sha256(inline.encode()).digest()).decode()
    assert policy["script-src"] == f"'self' 'sha256-{digest}'"
    assert policy["default-src"] == "'none'"
    assert policy["connect-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert "unsafe-eval" not in page.headers["content-security-policy"]


async def test_a_proxy_prefix_is_kept_in_every_url(app: FastAPI) -> None:
    transport = httpx.ASGITransport(app=app, root_path="/feedback")
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        page = await client.get("/docs")
    assert "url: '/feedback/openapi.json'" in page.text
    assert 'src="/feedback/docs/assets/swagger-ui-bundle.js"' in page.text


async def test_the_files_are_served_with_validators_and_unknown_ones_are_404(
    client: httpx.AsyncClient,
) -> None:
    for name, asset in ASSETS.items():
        answer = await client.get(f"/docs/assets/{name}", headers={"Accept-Encoding": "identity"})
        assert answer.status_code == 200
        assert answer.headers["etag"] == asset.etag
        assert answer.content == asset.body
        again = await client.get(f"/docs/assets/{name}", headers={"If-None-Match": asset.etag})
        assert again.status_code == 304
    missing = await client.get("/docs/assets/nope.js")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"


def test_the_pages_are_not_part_of_the_api_document() -> None:
    assert not [p for p in document()["paths"] if p.startswith(("/docs", "/redoc"))]
