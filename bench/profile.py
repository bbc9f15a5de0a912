"""Summaries of py-spy's raw (collapsed) stacks: where the service's CPU samples go.

A raw file has one line per distinct stack, `frame;frame;...;frame COUNT`, each
frame `function (path:line)`, outermost first. Two views help most:

- by package, self time: which library the leaf frame is in (app, pydantic,
  sqlalchemy, asyncpg, starlette, fastapi, uvicorn, stdlib...);
- app/ functions, inclusive: the share of samples with that function anywhere
  on the stack (what removing or speeding up that function could win at most).
"""

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

_FRAME = re.compile(r"^(?P<func>.*) \((?P<path>[^()]*?)(?::(?P<line>\d+))?\)$")
_SITE = re.compile(r"(?:site|dist)-packages/(?P<pkg>[A-Za-z0-9_]+)")
# Threads parked here are idle (anyio's worker threads waiting for work); py-spy does
# not always see that they sleep, so they are left out of the shares.
IDLE_LEAVES = frozenset({"Condition.wait", "Queue.get", "Event.wait"})


@dataclass(frozen=True, slots=True)
class Frame:
    func: str
    path: str

    @property
    def package(self) -> str:
        """`app`, a library (`sqlalchemy`, `pydantic`...) or `stdlib`/`stdlib asyncio`.

        py-spy shortens paths to what follows the sys.path entry (`uvicorn/main.py`),
        so the first path component names the package; a bare file is the stdlib.
        """
        site = _SITE.search(self.path)
        if site:
            return site.group("pkg")
        if "/app/" in self.path:
            return "app"
        if self.path.startswith("<"):
            return "stdlib"
        first, slash, _ = self.path.partition("/")
        if not slash:
            return "stdlib"
        return f"stdlib {first}" if first in _STDLIB_PACKAGES else first

    @property
    def short(self) -> str:
        path = self.path
        for marker in ("/app/", "/site-packages/", "/lib/python3."):
            if marker in path:
                path = path[path.index(marker) + 1 :]
                break
        return f"{path}:{self.func}"


_STDLIB_PACKAGES = frozenset({"asyncio", "concurrent", "json", "logging", "email", "importlib"})


def parse_frame(text: str) -> Frame:
    match = _FRAME.match(text)
    if not match:
        return Frame(text, "?")
    return Frame(match.group("func"), match.group("path"))


@dataclass(frozen=True, slots=True)
class Profile:
    total: int
    self_by_package: Counter[str]
    self_by_function: Counter[str]
    app_inclusive: Counter[str]


def load(path: Path) -> Profile:
    total = 0
    by_package: Counter[str] = Counter()
    by_function: Counter[str] = Counter()
    app_inclusive: Counter[str] = Counter()
    for line in path.read_text().splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = [parse_frame(f) for f in stack.split(";")]
        if frames[-1].func in IDLE_LEAVES and frames[-1].package == "stdlib":
            continue
        total += count
        leaf = frames[-1]
        by_package[leaf.package] += count
        by_function[leaf.short] += count
        for name in {f.short for f in frames if f.package == "app"}:
            app_inclusive[name] += count
    return Profile(total, by_package, by_function, app_inclusive)


def markdown(title: str, profile: Profile, top: int = 15) -> str:
    if profile.total == 0:
        return f"### {title}\n\nNo samples.\n"

    def share(n: int) -> str:
        return f"{100 * n / profile.total:.1f} %"

    lines = [
        f"### {title}",
        "",
        f"{profile.total} samples of the service process, idle threads left out. A leaf is the "
        "innermost Python frame: time in C code (uvloop, httptools, asyncpg's protocol, "
        "pydantic-core) counts for the Python function that called it.",
        "",
    ]
    lines += ["| package (leaf frame) | share |", "| --- | ---: |"]
    lines += [f"| {name} | {share(n)} |" for name, n in profile.self_by_package.most_common(top)]
    lines += ["", "| app/ function (inclusive) | share |", "| --- | ---: |"]
    lines += [f"| `{name}` | {share(n)} |" for name, n in profile.app_inclusive.most_common(top)]
    lines += ["", "| leaf function (self) | share |", "| --- | ---: |"]
    lines += [f"| `{name}` | {share(n)} |" for name, n in profile.self_by_function.most_common(top)]
    return "\n".join(lines) + "\n"
