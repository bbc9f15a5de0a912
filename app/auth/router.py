import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from app.auth import service
from app.auth.cache import KeyCacheDep
from app.auth.dependencies import AdminKey
from app.auth.schemas import KeyCreate, KeyCreated, KeyOut, KeyPage
from app.db import DatabaseDep
from app.errors import NotFound, problem_responses
from app.http.routes import StrictJSONRoute

router = APIRouter(prefix="/v1/keys", tags=["keys"], route_class=StrictJSONRoute)


@router.post(
    "",
    status_code=201,
    response_model=KeyCreated,
    responses=problem_responses(401, 403, 415, 422, 503),
)
async def create_key(spec: KeyCreate, db: DatabaseDep, _: AdminKey) -> KeyCreated:
    """Create an API key. The response holds the secret `token`: it is shown this once."""
    async with db.connection() as conn:
        key, token = await service.create_key(conn, spec)
    return KeyCreated.model_validate({**KeyOut.model_validate(key).model_dump(), "token": token})


@router.get("", response_model=KeyPage, responses=problem_responses(401, 403, 422, 503))
async def list_keys(
    db: DatabaseDep,
    _: AdminKey,
    limit: Annotated[int, Query(ge=1, le=1000, description="Page size.")] = 100,
    cursor: Annotated[
        str | None, Query(max_length=500, description="`next_cursor` of the previous page.")
    ] = None,
    include_revoked: Annotated[bool, Query(description="Also list revoked keys.")] = False,
) -> KeyPage:
    """The keys, oldest first (never their secrets)."""
    async with db.connection() as conn:
        keys, next_cursor = await service.list_keys(
            conn, limit=limit, cursor=cursor, include_revoked=include_revoked
        )
    return KeyPage(items=[KeyOut.model_validate(k) for k in keys], next_cursor=next_cursor)


@router.get(
    "/{key_id}", response_model=KeyOut, responses=problem_responses(401, 403, 404, 422, 503)
)
async def get_key(key_id: uuid.UUID, db: DatabaseDep, _: AdminKey) -> KeyOut:
    """One key (never its secret)."""
    async with db.connection() as conn:
        key = await service.get_key(conn, key_id)
    if key is None:
        raise NotFound(f"No key with id {key_id}.")
    return KeyOut.model_validate(key)


@router.delete(
    "/{key_id}",
    status_code=204,
    response_class=Response,
    responses=problem_responses(401, 403, 404, 422, 503),
)
async def revoke_key(key_id: uuid.UUID, db: DatabaseDep, _: AdminKey, keys: KeyCacheDep) -> None:
    """Revoke a key. Takes effect at once; revoking a revoked key is harmless (204)."""
    async with db.connection() as conn:
        revoked = await service.revoke_key(conn, key_id)
    if revoked is None:
        raise NotFound(f"No key with id {key_id}.")
    # This worker forgets now; the others when the revocation's notification arrives.
    keys.invalidate()
