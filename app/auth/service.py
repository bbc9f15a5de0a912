"""API keys: creation, listing, revocation and the lookup behind every request."""

import hmac
import uuid
from dataclasses import dataclass
from typing import Any

import asyncpg

from app.auth import tokens
from app.auth.schemas import KeyCreate
from app.auth.tokens import Scope
from app.errors import Forbidden
from app.http.cursors import cursor_instant, decode_cursor, encode_cursor, invalid_cursor, page


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


# What a key's answers show (never `secret_hash`); `publishable` is added by `_key`.
COLUMNS = "id, name, scope, prefix, location_id, allowed_origins, created_at, revoked_at"


def _key(row: asyncpg.Record) -> dict[str, Any]:
    """A key as the answers show it: a publishable key is one with allowed origins."""
    return {**dict(row), "publishable": bool(row["allowed_origins"])}


async def create_key(conn: asyncpg.Connection, spec: KeyCreate) -> tuple[dict[str, Any], str]:
    """Store a new key; return it with its token, which exists only in this return value."""
    token = tokens.generate(spec.scope)
    row = await conn.fetchrow(
        "INSERT INTO api_keys (name, scope, prefix, secret_hash, location_id, allowed_origins) "
        f"VALUES ($1, $2, $3, $4, $5, $6) RETURNING {COLUMNS}",
        spec.name, spec.scope.value, token.prefix, token.secret_hash, spec.location_id,
        list(spec.allowed_origins),
    )  # fmt: skip
    return _key(row), token.value


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
    conn: asyncpg.Connection, *, limit: int, cursor: str | None, include_revoked: bool
) -> tuple[list[dict[str, Any]], str | None]:
    """A page of keys, oldest first (by creation, then id)."""
    conditions = [] if include_revoked else ["revoked_at IS NULL"]
    args: list[Any] = []
    if cursor:
        created_at, key_id = decode_cursor(cursor, "keys", 2)
        try:
            args += [cursor_instant(created_at), uuid.UUID(key_id)]
        except (TypeError, ValueError, AttributeError) as exc:
            raise invalid_cursor() from exc
        conditions.append("(created_at, id) > ($1, $2)")
    where = f"WHERE {' AND '.join(conditions)} " if conditions else ""
    rows = await conn.fetch(
        f"SELECT {COLUMNS} FROM api_keys {where}ORDER BY created_at, id LIMIT ${len(args) + 1}",
        *args, limit + 1,
    )  # fmt: skip
    return page(
        [_key(r) for r in rows],
        limit,
        lambda last: encode_cursor("keys", last["created_at"].isoformat(), str(last["id"])),
    )


async def all_keys(conn: asyncpg.Connection, *, include_revoked: bool) -> list[dict[str, Any]]:
    """Every key (or every active one), oldest first: the command line's listing."""
    where = "" if include_revoked else "WHERE revoked_at IS NULL "
    rows = await conn.fetch(f"SELECT {COLUMNS} FROM api_keys {where}ORDER BY created_at")
    return [_key(r) for r in rows]


async def find_keys(conn: asyncpg.Connection, id_or_prefix: str) -> list[dict[str, Any]]:
    """The keys whose prefix is `id_or_prefix`, or whose id it is."""
    try:
        key_id: uuid.UUID | None = uuid.UUID(id_or_prefix)
    except ValueError:
        key_id = None
    rows = await conn.fetch(
        f"SELECT {COLUMNS} FROM api_keys WHERE prefix = $1 OR id = $2", id_or_prefix, key_id
    )
    return [_key(r) for r in rows]


async def get_key(conn: asyncpg.Connection, key_id: uuid.UUID) -> dict[str, Any] | None:
    row = await conn.fetchrow(f"SELECT {COLUMNS} FROM api_keys WHERE id = $1", key_id)
    return None if row is None else _key(row)


async def revoke_key(conn: asyncpg.Connection, key_id: uuid.UUID) -> dict[str, Any] | None:
    """Revoke at once (the next request with it is refused). Revoking twice is harmless."""
    async with conn.transaction():
        await conn.execute(
            "UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL", key_id
        )
        # A trigger on api_keys notifies every worker's key cache when this commits.
        return await get_key(conn, key_id)


async def origin_is_allowed(conn: asyncpg.Connection, origin: str) -> bool:
    """Does any active publishable key accept this browser origin? (CORS preflight.)"""
    found = await conn.fetchval(
        "SELECT id FROM api_keys WHERE revoked_at IS NULL AND $1::text = ANY (allowed_origins) "
        "LIMIT 1",
        origin,
    )
    return found is not None
