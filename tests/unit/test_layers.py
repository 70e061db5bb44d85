"""Dependencies point inward: the domain knows no web, no Redis, no queue, no USSD and no SMS."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = {
    "gateway/commerce": (
        "flask",
        "redis",
        "rq",
        "sqlalchemy",
        "menus",
        "gateway.web",
        "gateway.providers",
        "workers",
        "africastalking",
        "requests",
    ),
    "menus": ("flask", "gateway.web", "workers", "rq"),
    "gateway/providers": ("menus", "gateway.web", "workers"),  # fakes are small Flask apps
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_a_package_imports_nothing_from_the_layers_above_it(package):
    offenders = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for name in _imports(path):
            if any(name == bad or name.startswith(bad + ".") for bad in FORBIDDEN[package]):
                offenders.append(f"{path.relative_to(ROOT)} imports {name}")
    assert offenders == []
