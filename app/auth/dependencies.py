"""Who may call a route: `IngestKey`, `ReadKey`, `AdminKey` as route parameters."""

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from app.auth.cache import KeyCache
from app.auth.service import Principal
from app.auth.tokens import Scope
from app.errors import Forbidden, Unauthorized

# Both declared so the docs page offers both; either one is enough.
bearer = HTTPBearer(auto_error=False, description="`Authorization: Bearer fbk_...`")
api_key_header = APIKeyHeader(
    name="X-API-Key", auto_error=False, description="`X-API-Key: fbk_...`"
)


async def authenticate(
    request: Request, credentials: HTTPAuthorizationCredentials | None, header_key: str | None
) -> Principal:
    presented = credentials.credentials if credentials else header_key
    if not presented:
        raise Unauthorized("Send the key as 'Authorization: Bearer <key>' or 'X-API-Key: <key>'.")
    keys: KeyCache = request.app.state.keys
    principal = await keys.authenticate(request.app.state.db, presented)
    if principal is None:
        # One answer for malformed, unknown and revoked keys: no hint which.
        raise Unauthorized("The API key is not valid.")
    origin = request.headers.get("origin")
    if principal.publishable and origin:
        if origin.lower() not in principal.allowed_origins:
            raise Forbidden("This key does not accept requests from this origin.")
        request.state.cors_origin = origin
    return principal


def require(scope: Scope) -> object:
    """A dependency: the calling key, which must have `scope` (or be admin).

    One dependency level on purpose: each level costs FastAPI several
    microseconds per request on the ingest path.
    """

    async def dependency(
        request: Request,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
        header_key: Annotated[str | None, Depends(api_key_header)],
    ) -> Principal:
        principal = await authenticate(request, credentials, header_key)
        if not principal.allows(scope):
            raise Forbidden(f"This route needs a key with scope '{scope.value}'.")
        return principal

    return Depends(dependency)


IngestKey = Annotated[Principal, require(Scope.ingest)]
ReadKey = Annotated[Principal, require(Scope.read)]
CasesKey = Annotated[Principal, require(Scope.cases)]
AdminKey = Annotated[Principal, require(Scope.admin)]
