"""The project's modules and the imports between them, read from the source (ast), deferred
and `TYPE_CHECKING` imports included."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("config", "gateway", "menus", "workers", "bench", "tests")
"""Top-level packages of the project (migrations are scripts Alembic loads, not modules)."""


def module_files() -> dict[str, Path]:
    """Every module of the project by dotted name; `wsgi` included."""
    found = {"wsgi": ROOT / "wsgi.py"}
    for top in PACKAGES:
        for path in sorted((ROOT / top).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _parents(name: str) -> Iterator[str]:
    parts = name.split(".")
    for size in range(1, len(parts)):
        yield ".".join(parts[:size])


def imports_of(name: str, path: Path, modules: set[str]) -> set[str]:
    """Project modules that importing `name` runs: each import anywhere in it (a package's
    `__init__` included, as Python runs it), `from a import b` as `a.b` when that is a module."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                targets.add(sub if sub in modules else base)
    found = {t for t in targets if t in modules}
    for target in list(found):
        found.update(p for p in _parents(target) if p in modules)
    found.update(p for p in _parents(name) if p in modules)
    found.discard(name)
    return found


def graph() -> dict[str, set[str]]:
    files = module_files()
    names = set(files)
    return {name: imports_of(name, path, names) for name, path in files.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                group.append(top)
                if top == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return groups
