"""API key tokens: `fbk_<scope>_<random>_<checksum>`. Pure functions, no I/O.

- random: 24 bytes from `secrets` (192 bits) in base62, always 33 characters;
- checksum: CRC32 of everything before it, base62, 6 characters, so typos and
  truncated pastes are refused without a database lookup and secret scanners
  can recognise a real key;
- only SHA-256(token) and a short public prefix are ever stored.
"""

import hashlib
import re
import secrets
import zlib
from dataclasses import dataclass
from enum import StrEnum

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
RANDOM_BYTES = 24
RANDOM_CHARS = 33  # ceil(192 / log2(62))
CHECKSUM_CHARS = 6
PREFIX_RANDOM_CHARS = 8


class Scope(StrEnum):
    ingest = "ingest"  # post feedback
    read = "read"  # metrics, locations, feedback and follow-up cases, read only
    cases = "cases"  # read, and work follow-up cases (assign, contact, resolve)
    admin = "admin"  # everything, including keys, rules and webhooks


TOKEN_RE = re.compile(
    rf"^fbk_(ingest|read|cases|admin)_([0-9A-Za-z]{{{RANDOM_CHARS}}})_([0-9A-Za-z]{{{CHECKSUM_CHARS}}})$"
)


@dataclass(frozen=True, slots=True)
class Token:
    value: str
    scope: Scope
    prefix: str
    secret_hash: bytes


def base62(number: int, width: int) -> str:
    chars = []
    while number:
        number, rem = divmod(number, 62)
        chars.append(ALPHABET[rem])
    return "".join(reversed(chars)).rjust(width, "0")


def checksum(body: str) -> str:
    return base62(zlib.crc32(body.encode()), CHECKSUM_CHARS)


def hash_token(value: str) -> bytes:
    return hashlib.sha256(value.encode()).digest()


def generate(scope: Scope) -> Token:
    random_part = base62(int.from_bytes(secrets.token_bytes(RANDOM_BYTES), "big"), RANDOM_CHARS)
    body = f"fbk_{scope.value}_{random_part}"
    value = f"{body}_{checksum(body)}"
    return Token(value, scope, public_prefix(scope, random_part), hash_token(value))


def public_prefix(scope: Scope, random_part: str) -> str:
    return f"fbk_{scope.value}_{random_part[:PREFIX_RANDOM_CHARS]}"


def parse(value: str) -> Token | None:
    """The token if it is well formed and its checksum matches, else None."""
    match = TOKEN_RE.fullmatch(value)
    if match is None:
        return None
    scope, random_part, check = match.groups()
    if not secrets.compare_digest(checksum(f"fbk_{scope}_{random_part}"), check):
        return None
    return Token(value, Scope(scope), public_prefix(Scope(scope), random_part), hash_token(value))
