from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from app.auth.dependencies import AdminKey, ReadKey
from app.db import DatabaseDep
from app.errors import NotFound, problem_responses
from app.http.routes import StrictJSONRoute
from app.locations import service
from app.locations.schemas import LocationIn, LocationOut, LocationPage
from app.types import Identifier, Slug

router = APIRouter(prefix="/v1/locations", tags=["locations"], route_class=StrictJSONRoute)

LocationId = Annotated[Identifier, Path(description="Your id for the branch.", examples=["vie-07"])]


@router.put(
    "/{location_id}",
    response_model=LocationOut,
    responses={
        201: {"model": LocationOut, "description": "Registered a new location."},
        **problem_responses(401, 403, 413, 415, 422, 503),
    },
)
async def put_location(
    location_id: LocationId, spec: LocationIn, db: DatabaseDep, _: AdminKey, response: Response
) -> LocationOut:
    """Register a branch, or replace what is registered for it (idempotent).

    Feedback may name locations before (or without) they are registered; they
    count either way, but `region` filters and groups know only registered ones.
    Answers **201** when the location is new, **200** when it was replaced.
    """
    async with db.connection() as conn:
        location, created = await service.put_location(conn, location_id, spec)
    if created:
        response.status_code = 201
    return LocationOut.model_validate(location)


@router.get("", response_model=LocationPage, responses=problem_responses(401, 403, 422, 503))
async def list_locations(
    db: DatabaseDep,
    _: ReadKey,
    region: Annotated[
        Slug | None,
        Query(description="Only this region (a slug, as registered; anything else is a 422)."),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1000, description="Page size.")] = 100,
    cursor: Annotated[
        str | None, Query(max_length=500, description="`next_cursor` of the previous page.")
    ] = None,
) -> LocationPage:
    """The registered locations, by id."""
    async with db.connection() as conn:
        rows, next_cursor = await service.list_locations(
            conn, limit=limit, cursor=cursor, region=region
        )
    return LocationPage(
        items=[LocationOut.model_validate(r) for r in rows], next_cursor=next_cursor
    )


@router.get(
    "/{location_id}",
    response_model=LocationOut,
    responses=problem_responses(401, 403, 404, 422, 503),
)
async def get_location(location_id: LocationId, db: DatabaseDep, _: ReadKey) -> LocationOut:
    """One registered location."""
    async with db.connection() as conn:
        location = await service.get_location(conn, location_id)
    if location is None:
        raise NotFound(f"No registered location '{location_id}'.")
    return LocationOut.model_validate(location)
