"""The committed clients are what ./scripts/clients makes from openapi/openapi.json today,
and they have every operation of it."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.clients.conftest import CLIENTS

ROOT = CLIENTS.parent
DOCUMENT = ROOT / "openapi" / "openapi.json"
NOT_GENERATED = {"__pycache__", ".ruff_cache"}  # left by imports and tools, not by the script


def files(top: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(top)): path.read_bytes()
        for path in sorted(top.rglob("*"))
        if path.is_file() and not NOT_GENERATED & set(path.relative_to(top).parts)
    }


def operation_ids() -> set[str]:
    document = json.loads(DOCUMENT.read_text())
    return {op["operationId"] for ops in document["paths"].values() for op in ops.values()}


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The clients as ./scripts/clients writes them now, in a directory of their own."""
    if not (shutil.which("node") and shutil.which("npm")):
        pytest.skip("Node.js (node and npm) is not installed: ./scripts/clients needs it")
    out = tmp_path_factory.mktemp("clients")
    done = subprocess.run(
        [ROOT / "scripts" / "clients", out],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    # The script refuses when the Python generator warns (a part of the document it could
    # not turn into code: a body, a schema, or a whole operation).
    assert done.returncode == 0, done.stdout + done.stderr
    return out


def test_committed_clients_are_current(regenerated: Path) -> None:
    committed = files(CLIENTS / "python")
    made = files(regenerated / "python")
    differ = sorted(
        f"python/{name}"
        for name in committed.keys() | made.keys()
        if committed.get(name) != made.get(name)
    )
    schema = Path("typescript", "src", "schema.d.ts")
    if (CLIENTS / schema).read_bytes() != (regenerated / schema).read_bytes():
        differ.append(str(schema))
    assert differ == [], "stale clients: run ./scripts/clients and commit the result"


def test_python_client_has_every_operation(regenerated: Path) -> None:
    modules = {path.stem for path in (regenerated / "python").glob("feedback_client/api/*/*.py")}
    assert operation_ids() <= modules


def test_typescript_client_has_every_operation(regenerated: Path) -> None:
    schema = (regenerated / "typescript" / "src" / "schema.d.ts").read_text()
    declared = {name for name in operation_ids() if f"\n    {name}: {{\n" in schema}
    assert declared == operation_ids()
