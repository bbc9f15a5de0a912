"""`GET /widget.js`: type, validators and caching, and what makes it embeddable anywhere."""

import gzip

import httpx
import pytest
from fastapi import FastAPI

from app.static_files import accepts_gzip, etag_matches, make_asset
from app.widget.asset import MEDIA_TYPE, SOURCE

SCRIPT = SOURCE.read_bytes()


async def get(client: httpx.AsyncClient, **headers: str) -> httpx.Response:
    return await client.get("/widget.js", headers=headers)


async def test_script_is_served_as_javascript_to_anyone_without_a_key(
    client: httpx.AsyncClient,
) -> None:
    response = await get(client, **{"Accept-Encoding": "identity"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/javascript; charset=utf-8"
    assert "content-encoding" not in response.headers
    assert response.content == SCRIPT
    assert response.headers["x-content-type-options"] == "nosniff"
    # Embeddable: any page may load it, isolated (COEP) pages and <script integrity> too.
    assert response.headers["cross-origin-resource-policy"] == "cross-origin"
    assert response.headers["access-control-allow-origin"] == "*"
    assert "ratelimit" not in response.headers  # public: no key, no quota spent


async def test_script_may_be_cached_for_an_hour_then_revalidated(
    client: httpx.AsyncClient,
) -> None:
    response = await get(client)
    directives = {d.strip() for d in response.headers["cache-control"].split(",")}
    assert {"public", "max-age=3600"} <= directives
    assert "no-store" not in directives
    assert response.headers["etag"] == make_asset(SCRIPT, MEDIA_TYPE).gzip_etag  # httpx: gzip
    assert response.headers["etag"].startswith('"')  # strong: fit for integrity checks too


@pytest.mark.parametrize(
    "if_none_match",
    ["{etag}", "W/{etag}", '"stale", {etag}', "*"],
)
async def test_conditional_get_with_the_current_etag_is_304_without_a_body(
    client: httpx.AsyncClient, if_none_match: str
) -> None:
    etag = (await get(client)).headers["etag"]
    response = await get(client, **{"If-None-Match": if_none_match.format(etag=etag)})
    assert response.status_code == 304
    assert response.content == b""
    assert response.headers["etag"] == etag
    assert "max-age=3600" in response.headers["cache-control"]


async def test_each_encoding_has_its_own_strong_tag_and_either_revalidates(
    client: httpx.AsyncClient,
) -> None:
    """A strong tag names one sequence of bytes (RFC 9110 §8.8.1): the gzip twin has its
    own, so no cache takes one encoding for the other; a client holding either copy of
    the current script may keep it."""
    plain = await get(client, **{"Accept-Encoding": "identity"})
    packed = await get(client, **{"Accept-Encoding": "gzip"})
    assert plain.headers["etag"] == make_asset(SCRIPT, MEDIA_TYPE).etag
    assert packed.headers["etag"] == make_asset(SCRIPT, MEDIA_TYPE).gzip_etag
    assert plain.headers["etag"] != packed.headers["etag"]
    for held in (plain, packed):
        for encoding in ("identity", "gzip"):
            again = await get(
                client, **{"Accept-Encoding": encoding, "If-None-Match": held.headers["etag"]}
            )
            assert again.status_code == 304
            expected = packed if encoding == "gzip" else plain
            assert again.headers["etag"] == expected.headers["etag"]


async def test_conditional_get_with_an_old_etag_gets_the_script(client: httpx.AsyncClient) -> None:
    response = await get(client, **{"If-None-Match": '"0123456789abcdef0123"'})
    assert response.status_code == 200
    assert response.content == SCRIPT


async def test_gzip_when_the_client_accepts_it(client: httpx.AsyncClient) -> None:
    response = await client.get("/widget.js", headers={"Accept-Encoding": "gzip, br"})
    assert response.headers["content-encoding"] == "gzip"
    assert int(response.headers["content-length"]) < len(SCRIPT) / 2
    assert response.content == SCRIPT  # httpx decoded it
    assert "accept-encoding" in response.headers["vary"].lower()


@pytest.mark.parametrize("encoding", ["identity", "gzip"])
async def test_head_answers_what_get_would_without_the_body(
    client: httpx.AsyncClient, encoding: str
) -> None:
    got = await client.get("/widget.js", headers={"Accept-Encoding": encoding})
    head = await client.head("/widget.js", headers={"Accept-Encoding": encoding})
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["content-length"] == got.headers["content-length"] != "0"
    for name in ("content-type", "etag", "cache-control", "vary", "access-control-allow-origin"):
        assert head.headers[name] == got.headers[name], name
    assert head.headers.get("content-encoding") == got.headers.get("content-encoding")
    cached = await client.head("/widget.js", headers={"If-None-Match": got.headers["etag"]})
    assert cached.status_code == 304


async def test_origin_requests_get_the_same_public_answer(client: httpx.AsyncClient) -> None:
    response = await get(client, Origin="https://shop.example.com")
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"


def test_script_is_left_out_of_the_api_document(app: FastAPI) -> None:
    assert "/widget.js" not in app.openapi()["paths"]


def test_script_stays_small() -> None:
    # A budget, not a measurement: the README gives the figures.
    assert len(gzip.compress(SCRIPT)) < 9_000


@pytest.mark.parametrize(
    ("header", "matches"),
    [
        (None, False),
        ("", False),
        ('"abc"', True),
        ('W/"abc"', True),
        ('"x", "abc"', True),
        ("*", True),
        ('"abcd"', False),
        ("abc", False),
    ],
)
def test_etag_matches_by_weak_comparison(header: str | None, matches: bool) -> None:
    assert etag_matches(header, '"abc"') is matches


@pytest.mark.parametrize(
    ("header", "accepted"),
    [
        (None, False),
        ("identity", False),
        ("gzip", True),
        ("GZIP;q=0.5", True),
        ("gzip;q=0", False),
        ("gzip; q=0.0, br", False),
        ("*", True),
        ("*;q=0", False),
        ("br, *;q=0.1", True),
        ("gzip;q=0, *", False),
        ("gzip;q=nope", False),
    ],
)
def test_accepts_gzip_reads_q_values(header: str | None, accepted: bool) -> None:
    assert accepts_gzip(header) is accepted
