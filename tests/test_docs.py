"""The README promises what the code does."""

import re
from pathlib import Path

from app.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


def test_readme_documents_every_setting() -> None:
    readme = (ROOT / "README.md").read_text()
    missing = [
        f"FEEDBACK_{name.upper()}"
        for name in Settings.model_fields
        if f"`FEEDBACK_{name.upper()}`" not in readme
    ]
    assert missing == []


def test_readme_quick_start_names_the_scripts_ci_runs() -> None:
    readme = (ROOT / "README.md").read_text()
    assert "./scripts/run" in readme
    assert "./scripts/test" in readme
    assert "./scripts/test" in (ROOT / ".ci" / "run").read_text()
    for script in ("run", "test", "lint", "openapi"):
        assert (ROOT / "scripts" / script).stat().st_mode & 0o111, script


def test_every_test_the_security_review_names_exists() -> None:
    """docs/security.md cites a test for each claim: the citations must not go stale."""
    review = (ROOT / "docs" / "security.md").read_text()
    cited = {c.partition("::")[::2] for c in re.findall(r"`([^`\s]+\.py(?:::[^`\s]*)?)`", review)}
    assert len(cited) > 30
    missing = []
    for path, name in cited:
        source = ROOT / "tests" / path
        if not source.is_file():
            missing.append(path)
        elif name and not re.search(rf"def {name}\(", source.read_text()):
            missing.append(f"{path}::{name}")
    assert missing == []
