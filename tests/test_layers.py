"""Every package and module of app/ sits in a layer of the import contracts.

import-linter checks only the modules a contract names: a new package left out of
`[tool.importlinter]` in pyproject.toml would import anything unchecked. The layers
themselves are checked by `./scripts/lint` (lint-imports), as docs/architecture.md says.
"""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_part_of_app_is_in_a_layer() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    (layers,) = [c["layers"] for c in config["contracts"] if c["type"] == "layers"]
    placed = {name for layer in layers for name in re.split(r"\s*[|:]\s*", layer.strip())}
    parts = {
        f"app.{p.stem}"
        for p in (ROOT / "app").iterdir()
        if (p.suffix == ".py" and p.stem != "__init__") or (p / "__init__.py").is_file()
    }
    assert len(parts) > 30
    assert sorted(parts - placed) == []
    assert sorted(placed - parts) == []  # and no layer names what is gone
