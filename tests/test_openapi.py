"""The published OpenAPI document: current, complete and stable."""

import json
from pathlib import Path
from typing import Any

from app.openapi import document, render

OPENAPI_FILE = Path(__file__).resolve().parents[1] / "openapi" / "openapi.json"


def test_checked_in_document_is_current() -> None:
    assert OPENAPI_FILE.read_bytes() == render(), (
        "openapi/openapi.json is stale: run ./scripts/openapi and commit the result"
    )


def test_every_schema_has_an_example() -> None:
    schemas: dict[str, Any] = document()["components"]["schemas"]
    missing = [name for name, s in schemas.items() if not (s.get("examples") or s.get("example"))]
    assert missing == []


def test_operation_ids_are_the_route_names_and_unique() -> None:
    ids = [op["operationId"] for ops in document()["paths"].values() for op in ops.values()]
    assert len(ids) == len(set(ids))
    assert {"submit_feedback", "submit_feedback_batch", "get_feedback", "create_key"} <= set(ids)


def test_errors_are_declared_as_problem_json_only() -> None:
    for path, ops in document()["paths"].items():
        for method, op in ops.items():
            for status, response in op["responses"].items():
                if int(status) >= 400:
                    assert list(response["content"]) == ["application/problem+json"], (
                        method,
                        path,
                        status,
                    )


def test_v1_routes_declare_auth_and_their_errors() -> None:
    for path, ops in document()["paths"].items():
        if not path.startswith("/v1/"):
            continue
        for op in ops.values():
            assert op["security"], path
            assert {"401", "403", "422"} <= set(op["responses"]), path


def test_document_is_valid_json_with_a_version() -> None:
    parsed = json.loads(OPENAPI_FILE.read_text())
    assert parsed["openapi"].startswith("3.")
    assert parsed["info"]["version"]
