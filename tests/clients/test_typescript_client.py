"""The TypeScript client (clients/typescript) against the running service, on the machine's
Node.js: `npm test` type-checks clients/typescript/test/client.test.ts against the generated
types and runs it (node:test). Its own dependencies come from its lock file (`npm ci`, once).
"""

import os
import re
import shutil
import subprocess

import pytest

from tests.clients.conftest import CLIENTS, Service

PACKAGE = CLIENTS / "typescript"


def npm_ci_if_needed() -> None:
    """`npm ci` when node_modules is missing or older than the lock file (a fresh clone)."""
    installed = PACKAGE / "node_modules" / ".package-lock.json"
    lock = PACKAGE / "package-lock.json"
    if installed.exists() and installed.stat().st_mtime >= lock.stat().st_mtime:
        return
    done = subprocess.run(
        ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=PACKAGE,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, f"npm ci failed:\n{done.stdout}\n{done.stderr}"


@pytest.mark.skipif(
    not (shutil.which("node") and shutil.which("npm")),
    reason="Node.js (node and npm) is not installed: the TypeScript client's tests need it",
)
def test_typescript_client_against_the_service(service: Service) -> None:
    npm_ci_if_needed()
    env = {
        **os.environ,
        "FEEDBACK_BASE_URL": service.base_url,
        "FEEDBACK_INGEST_KEY": service.keys["ingest"],
        "FEEDBACK_READ_KEY": service.keys["read"],
        "NO_COLOR": "1",
    }
    done = subprocess.run(
        ["npm", "test", "--silent"],
        cwd=PACKAGE,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    # node:test's closing summary (TAP): every test ran and passed.
    passed = re.search(r"^# pass (\d+)$", output, re.MULTILINE)
    assert passed, output
    assert int(passed.group(1)) >= 6, output
    assert re.search(r"^# fail 0$", output, re.MULTILINE), output
