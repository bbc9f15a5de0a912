"""Writes the OpenAPI document: `python -m app.openapi > openapi/openapi.json`.

`openapi/openapi.json` is what API consumers and client generators read; a
test fails when it differs from what the code produces (run ./scripts/openapi).
"""

import sys
from typing import Any

import orjson

from app.main import create_app
from app.settings import Settings


def document() -> dict[str, Any]:
    # Settings only shape runtime behaviour, not the document; fixed so output is stable.
    return create_app(Settings(database_url="postgresql://localhost/unused")).openapi()


def render() -> bytes:
    return orjson.dumps(document(), option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n"


if __name__ == "__main__":
    sys.stdout.buffer.write(render())
