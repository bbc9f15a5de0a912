"""The repository stands on its own: a clone holds only this repository, so no file of it
may point to a path outside it (a sibling folder, a team's spec), and every relative link
in the documentation reaches a file that is there."""

import os
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# A relative path that climbs to a parent folder, once or more (not an ellipsis such as .../x).
CLIMBING = re.compile(r"(?<![.\w])((?:\.\./)+)[\w.-]")
# Markdown links [text](target) and HTML src/href attributes.
LINK = re.compile(r"\]\(([^)\s]+)\)|(?:src|href)=\"([^\"]+)\"")


def tracked_text_files() -> list[Path]:
    names = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.split(b"\0")
    files = []
    for name in names:
        path = ROOT / name.decode()
        if not name or not path.is_file():
            continue
        data = path.read_bytes()
        if b"\0" in data[:8192]:
            continue  # binary (images)
        files.append(path)
    return files


def outside(path: Path, reference: str) -> bool:
    """Does `reference` leave the repository? A page's links are read from its folder; a
    path named in code or a comment could be meant from either there or the root."""
    bases = (path.parent,) if path.suffix in (".md", ".html") else (path.parent, ROOT)
    return any(not (base / reference).resolve().is_relative_to(ROOT) for base in bases)


def test_no_file_refers_to_a_path_outside_the_repository() -> None:
    found = []
    for path in tracked_text_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), 1):
            for match in CLIMBING.finditer(line):
                if outside(path, match.group(1)):
                    found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:120]}")
    assert not found, "references outside the repository:\n" + "\n".join(found)


def test_every_relative_link_in_the_docs_reaches_a_file() -> None:
    broken = []
    for path in tracked_text_files():
        if path.suffix != ".md":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for match in LINK.finditer(line):
                target = (match.group(1) or match.group(2)).split("#")[0]
                if not target or re.match(r"^[a-z][a-z0-9+.-]*:", target) or target[0] == "/":
                    continue  # a URL, a mail address, a path on the running service
                if not (path.parent / target).exists() or outside(path, target):
                    broken.append(f"{path.relative_to(ROOT)}:{number}: {target}")
    assert not broken, "links to nothing:\n" + "\n".join(broken)


def test_every_page_of_docs_named_anywhere_exists() -> None:
    """`docs/metrics.md` in a docstring or the OpenAPI document names a file of this
    repository: it must be there (a page once named in capitals was not)."""
    missing = []
    for path in tracked_text_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        for name in set(re.findall(r"(?<![\w./])docs/[\w./-]+\.md\b", text)):
            if not (ROOT / name).is_file():
                missing.append(f"{path.relative_to(ROOT)}: {name}")
    assert not missing, "pages named but not there:\n" + "\n".join(missing)


def test_the_check_sees_a_reference_outside() -> None:
    """The rule above can fail: a sibling folder's file is outside, a docs link is not."""
    up = os.pardir + "/"  # built, so that this file itself names no path outside
    assert outside(ROOT / "README.md", up + "sibling/notes.md")
    assert outside(ROOT / "app" / "metrics" / "stats.py", up + "sibling/notes.md")
    assert outside(ROOT / "docs" / "bi.md", up + up + "sibling/notes.md")
    assert not outside(ROOT / "docs" / "bi.md", up + "README.md")
    assert CLIMBING.search(f"see {up}sibling/notes.md")
    assert not CLIMBING.search('<script src=".../widget.js">')
