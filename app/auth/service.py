"""API keys: creation, listing, revocation and the lookup behind every request."""

import hmac
import uuid
from dataclasses import dataclass

import asyncpg
from sqlalchemy import any_, func, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth import tokens
from app.auth.models import ApiKey
from app.auth.schemas import KeyCreate
from app.auth.tokens import Scope
from app.errors import Forbidden
from app.http.cursors import cursor_instant, decode_cursor, encode_cursor, invalid_cursor


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: the key, as far as a request needs to know it."""

    key_id: uuid.UUID
    scope: Scope
    location_id: str | None
    allowed_origins: tuple[str, ...]

    @property
    def publishable(self) -> bool:
        return bool(self.allowed_origins)

    def branches(self, asked: tuple[str, ...]) -> tuple[str, ...]:
        """The `location_id`s a read or a case list may cover: what was `asked` (none:
        every branch) for an unbound key; a bound key's own branch whatever was asked,
        and asking for another branch is a 403 (docs/security.md, API1)."""
        if self.location_id is None:
            return asked
        others = sorted(set(asked) - {self.location_id})
        if others:
            raise Forbidden(
                f"This key is bound to location '{self.location_id}' and cannot read "
                f"{', '.join(repr(o) for o in others)}."
            )
        return (self.location_id,)

    def sees(self, location_id: str | None) -> bool:
        """Whether one event or case of this branch exists for this key (else a 404)."""
        return self.location_id is None or location_id == self.location_id

    def allows(self, needed: Scope) -> bool:
        """Admin may do everything, `cases` also what `read` may; otherwise the same scope."""
        return (
            self.scope is Scope.admin
            or self.scope is needed
            or (self.scope is Scope.cases and needed is Scope.read)
        )


async def create_key(session: AsyncSession, spec: KeyCreate) -> tuple[ApiKey, str]:
    """Store a new key; return it with its token, which exists only in this return value."""
    token = tokens.generate(spec.scope)
    key = ApiKey(
        name=spec.name,
        scope=spec.scope.value,
        prefix=token.prefix,
        secret_hash=token.secret_hash,
        location_id=spec.location_id,
        allowed_origins=list(spec.allowed_origins),
    )
    session.add(key)
    await session.flush()
    await session.refresh(key)
    return key, token.value


KEYS_CHANGED_CHANNEL = "feedback_api_keys"

AUTHENTICATE_SQL = """
SELECT id, scope, location_id, allowed_origins, secret_hash
FROM api_keys WHERE secret_hash = $1 AND revoked_at IS NULL
"""


async def authenticate(conn: asyncpg.Connection, presented: str) -> Principal | None:
    """The active key matching `presented`, or None.

    A malformed token or a wrong checksum is refused without I/O (the format is
    public, so that tells an attacker nothing); a well-formed one is looked up
    by its SHA-256 (a unique index), and the stored hash is compared in
    constant time before it is trusted. Unknown and revoked keys cost the same
    lookup. Runs on every uncached request: plain asyncpg.
    """
    token = tokens.parse(presented)
    if token is None:
        return None
    row = await conn.fetchrow(AUTHENTICATE_SQL, token.secret_hash)
    if row is None or not hmac.compare_digest(row["secret_hash"], token.secret_hash):
        return None
    return Principal(
        row["id"], Scope(row["scope"]), row["location_id"], tuple(row["allowed_origins"])
    )


async def list_keys(
    session: AsyncSession, *, limit: int, cursor: str | None, include_revoked: bool
) -> tuple[list[ApiKey], str | None]:
    query = select(ApiKey).order_by(ApiKey.created_at, ApiKey.id).limit(limit + 1)
    if not include_revoked:
        query = query.where(ApiKey.revoked_at.is_(None))
    if cursor:
        created_at, key_id = decode_cursor(cursor, "keys", 2)
        try:
            after = (cursor_instant(created_at), uuid.UUID(key_id))
        except (TypeError, ValueError, AttributeError) as exc:
            raise invalid_cursor() from exc
        query = query.where(func.row(ApiKey.created_at, ApiKey.id) > func.row(*after))
    rows = list((await session.scalars(query)).all())
    if len(rows) <= limit:
        return rows, None
    last = rows[limit - 1]
    return rows[:limit], encode_cursor("keys", last.created_at.isoformat(), str(last.id))


async def get_key(session: AsyncSession, key_id: uuid.UUID) -> ApiKey | None:
    return await session.get(ApiKey, key_id)


async def revoke_key(session: AsyncSession, key_id: uuid.UUID) -> ApiKey | None:
    """Revoke at once (the next request with it is refused). Revoking twice is harmless."""
    await session.execute(
        update(ApiKey)
        .where(ApiKey.id == key_id, ApiKey.revoked_at.is_(None))
        .values(revoked_at=func.now())
    )
    # A trigger on api_keys notifies every worker's key cache when this commits.
    return await session.get(ApiKey, key_id, populate_existing=True)


async def count_active_keys(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).where(ApiKey.revoked_at.is_(None))) or 0)


async def origin_is_allowed(session: AsyncSession, origin: str) -> bool:
    """Does any active publishable key accept this browser origin? (CORS preflight.)"""
    found = await session.scalar(
        select(ApiKey.id)
        .where(ApiKey.revoked_at.is_(None), literal(origin) == any_(ApiKey.allowed_origins))
        .limit(1)
    )
    return found is not None
