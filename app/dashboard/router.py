"""`GET /dashboard` and its two assets. Public (no key): the page holds no data.

Not in the OpenAPI document: it is a page for people, not part of the API it calls.
"""

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response

from app.dashboard.assets import ASSETS, CACHE_CONTROL, PAGE, PAGE_HEADERS
from app.errors import NotFound
from app.static_files import answer

router = APIRouter(tags=["dashboard"], include_in_schema=False)


@router.api_route("/dashboard", methods=["GET", "HEAD"])
async def dashboard(request: Request) -> Response:
    """The dashboard page."""
    return answer(request, PAGE, {"Cache-Control": CACHE_CONTROL, **PAGE_HEADERS})


@router.api_route("/dashboard/assets/{name}", methods=["GET", "HEAD"])
async def dashboard_asset(request: Request, name: Annotated[str, Path(max_length=64)]) -> Response:
    """The page's script and style sheet."""
    asset = ASSETS.get(name)
    if asset is None:
        raise NotFound("No such dashboard file.")
    return answer(request, asset, {"Cache-Control": CACHE_CONTROL})
