"""`GET /dashboard` and its two assets. Public (no key): the page holds no data.

Not in the OpenAPI document: it is a page for people, not part of the API it calls.
"""

from typing import Annotated

from fastapi import APIRouter, Header, Path, Response

from app.dashboard.assets import ASSETS, CACHE_CONTROL, PAGE, PAGE_HEADERS, Asset, matches
from app.errors import NotFound

router = APIRouter(tags=["dashboard"], include_in_schema=False)

IfNoneMatch = Annotated[str | None, Header()]


def answer(asset: Asset, if_none_match: str | None, extra: dict[str, str]) -> Response:
    headers = {"ETag": asset.etag, "Cache-Control": CACHE_CONTROL, **extra}
    if matches(if_none_match, asset.etag):
        return Response(status_code=304, headers=headers)
    return Response(asset.body, media_type=asset.media_type, headers=headers)


@router.get("/dashboard")
async def dashboard(if_none_match: IfNoneMatch = None) -> Response:
    """The dashboard page."""
    return answer(PAGE, if_none_match, PAGE_HEADERS)


@router.get("/dashboard/assets/{name}")
async def dashboard_asset(
    name: Annotated[str, Path(max_length=64)], if_none_match: IfNoneMatch = None
) -> Response:
    """The page's script and style sheet."""
    asset = ASSETS.get(name)
    if asset is None:
        raise NotFound("No such dashboard file.")
    return answer(asset, if_none_match, {})
