"""app.auth.tokens: format, randomness, checksum, hashing. Pure functions, no database."""

import hashlib
import math
import re

import pytest

from app.auth import tokens
from app.auth.tokens import Scope

TOKEN_FORMAT = re.compile(r"^fbk_(ingest|read|cases|admin)_([0-9A-Za-z]{33})_([0-9A-Za-z]{6})$")


def replace_char(value: str, index: int) -> str:
    """The same token with one character swapped for another base62 character."""
    old = value[index]
    new = "A" if old != "A" else "B"
    return value[:index] + new + value[index + 1 :]


@pytest.mark.parametrize("scope", list(Scope))
def test_token_has_the_documented_format(scope: Scope) -> None:
    token = tokens.generate(scope)
    match = TOKEN_FORMAT.match(token.value)
    assert match is not None, token.value
    assert match.group(1) == scope.value
    assert token.scope is scope


def test_random_part_carries_at_least_160_bits() -> None:
    # 33 base62 characters hold 33 * log2(62) = 196 bits; 24 random bytes fill 192 of them.
    assert tokens.RANDOM_BYTES * 8 >= 160
    assert tokens.RANDOM_CHARS * math.log2(62) >= tokens.RANDOM_BYTES * 8


def test_generated_tokens_are_distinct_and_use_the_whole_alphabet() -> None:
    values = [tokens.generate(Scope.ingest).value for _ in range(2000)]
    randoms = [v.split("_")[2] for v in values]
    assert len(set(values)) == len(values)
    assert len(set(randoms)) == len(randoms)
    # Every base62 character turns up somewhere; a biased encoder would miss some.
    assert set("".join(randoms)) == set(tokens.ALPHABET)
    # The leading character is not stuck on a padding zero.
    assert len({r[0] for r in randoms}) > 1


def test_base62_keeps_the_width_for_small_and_largest_numbers() -> None:
    assert tokens.base62(0, 6) == "000000"
    assert tokens.base62(61, 2) == "0z"
    assert tokens.base62(62, 2) == "10"
    largest = tokens.base62(2 ** (8 * tokens.RANDOM_BYTES) - 1, tokens.RANDOM_CHARS)
    assert len(largest) == tokens.RANDOM_CHARS
    assert len(tokens.base62(2**32 - 1, tokens.CHECKSUM_CHARS)) == tokens.CHECKSUM_CHARS


@pytest.mark.parametrize("scope", list(Scope))
def test_parse_accepts_a_generated_token_and_gives_the_same_fields(scope: Scope) -> None:
    token = tokens.generate(scope)
    parsed = tokens.parse(token.value)
    assert parsed == token


def test_checksum_detects_any_single_changed_character() -> None:
    token = tokens.generate(Scope.ingest)
    body_start = len("fbk_ingest_")
    for index in range(body_start, len(token.value)):
        if token.value[index] == "_":
            continue
        changed = replace_char(token.value, index)
        assert tokens.parse(changed) is None, (index, changed)


def test_checksum_detects_two_swapped_neighbours() -> None:
    token = tokens.generate(Scope.read)
    random_part = token.value.split("_")[2]
    i = next(i for i in range(len(random_part) - 1) if random_part[i] != random_part[i + 1])
    swapped_random = random_part[:i] + random_part[i + 1] + random_part[i] + random_part[i + 2 :]
    assert tokens.parse(token.value.replace(random_part, swapped_random)) is None


def test_changed_scope_is_refused() -> None:
    """A read key relabelled as admin fails the checksum (the scope is inside it)."""
    token = tokens.generate(Scope.read)
    assert tokens.parse(token.value.replace("fbk_read_", "fbk_admin_", 1)) is None


@pytest.mark.parametrize("cut", [1, 6, 7, 20])
def test_truncated_token_is_refused(cut: int) -> None:
    token = tokens.generate(Scope.admin)
    assert tokens.parse(token.value[:-cut]) is None


@pytest.mark.parametrize(
    "junk",
    [
        "",
        "fbk_",
        "garbage",
        "Bearer fbk_ingest_x",
        "fbk_root_" + "a" * 33 + "_abcdef",
        "fbk_ingest_" + "a" * 33 + "_abcde",
        "fbk_ingest_" + "a" * 32 + "_abcdef",
        "fbk_ingest_" + "a" * 34 + "_abcdef",
        "fbk_ingest_" + "a" * 32 + "-_abcdef",
        "FBK_INGEST_" + "a" * 33 + "_abcdef",
        "fbk_ingest_" + "é" * 33 + "_abcdef",
        "fbk_ingest_" + "a" * 33 + "_abcdef\n",
        " fbk_ingest_" + "a" * 33 + "_abcdef",
        "fbk_ingest_" + "a" * 33 + "_abcdef\x00",
        "x" * 10_000,
    ],
)
def test_parse_returns_none_on_junk(junk: str) -> None:
    assert tokens.parse(junk) is None


def test_parse_rejects_trailing_newline_of_a_real_token() -> None:
    """`$` in a regex also matches before a final newline; the token must not."""
    token = tokens.generate(Scope.ingest)
    assert tokens.parse(token.value + "\n") is None


def test_secret_hash_is_sha256_of_the_whole_token() -> None:
    token = tokens.generate(Scope.ingest)
    assert token.secret_hash == hashlib.sha256(token.value.encode()).digest()
    assert len(token.secret_hash) == 32
    assert len(token.secret_hash.hex()) == 64
    assert tokens.hash_token(token.value) == token.secret_hash


def test_hash_differs_for_tokens_differing_in_one_character() -> None:
    value = tokens.generate(Scope.ingest).value
    assert tokens.hash_token(value) != tokens.hash_token(replace_char(value, 20))


def test_prefix_is_public_short_and_not_enough_to_rebuild_the_token() -> None:
    token = tokens.generate(Scope.ingest)
    assert token.value.startswith(token.prefix)
    assert token.prefix == "fbk_ingest_" + token.value.split("_")[2][: tokens.PREFIX_RANDOM_CHARS]
    assert len(token.prefix) <= 40  # fits the column
    # What the prefix leaves secret: at least 128 bits of the random part.
    hidden_chars = tokens.RANDOM_CHARS - tokens.PREFIX_RANDOM_CHARS
    assert hidden_chars * math.log2(62) >= 128
    assert token.prefix not in (token.value, token.secret_hash.hex())
