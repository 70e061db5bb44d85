"""The modules point one way: no import cycles (deferred imports included), each layer imports
only the layers below it, every module imports on its own, and the domain loads no web
framework, queue or Redis client."""

from __future__ import annotations

import ast
import subprocess
import sys

import pytest

from gateway.commerce import topics
from tests.structure.imports import ROOT
from tests.structure.imports import cycles
from tests.structure.imports import graph
from tests.structure.imports import module_files
from workers.handlers import HANDLERS
from workers.handlers import TOGETHER

THIRD_PARTY_WEB_QUEUE_REDIS = ("flask", "werkzeug", "rq", "redis")
LAYERS: dict[str, tuple[str, ...]] = {
    "config": ("gateway", "menus", "workers"),
    "gateway.text": ("gateway.commerce", "gateway.store", "gateway.providers", "menus"),
    "gateway.commerce": (
        "gateway.app",
        "gateway.bootstrap",
        "gateway.cli",
        "gateway.current",
        "gateway.providers",
        "gateway.web",
        "menus",
        "workers",
    ),
    "gateway.store": (
        "gateway.app",
        "gateway.bootstrap",
        "gateway.cli",
        "gateway.providers",
        "gateway.web",
        "menus",
        "workers",
    ),
    "gateway.providers": (
        "gateway.commerce",
        "gateway.store",
        "gateway.web",
        "gateway.cli",
        "gateway.bootstrap",
        "menus",
        "workers",
    ),
    "menus": (
        "gateway.app",
        "gateway.bootstrap",
        "gateway.cli",
        "gateway.current",
        "gateway.providers",
        "gateway.web",
        "workers",
    ),
    "workers": ("gateway.app", "gateway.cli", "gateway.web"),
    "gateway.web": ("workers",),
}
"""Package -> the project packages it must never import."""
DIRECT_THIRD_PARTY: dict[str, tuple[str, ...]] = {
    "gateway.commerce": (*THIRD_PARTY_WEB_QUEUE_REDIS, "sqlalchemy", "requests", "africastalking"),
    "menus": (*THIRD_PARTY_WEB_QUEUE_REDIS, "requests", "africastalking"),
}
"""Package -> third-party libraries its modules must not import themselves."""
STATE_MODULES = ("gateway.commerce.machine", "gateway.commerce.errors")
"""What the store may take from the domain, besides its `states` modules (CHECK constraints)."""


def _within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def test_no_module_imports_itself_back_through_others():
    assert cycles(graph()) == []


@pytest.mark.parametrize("package", sorted(LAYERS))
def test_a_layer_imports_nothing_from_the_layers_that_use_it(package):
    edges = graph()
    offenders = [
        f"{name} imports {target}"
        for name, targets in sorted(edges.items())
        if _within(name, package)
        for target in sorted(targets)
        if any(_within(target, banned) for banned in LAYERS[package])
    ]
    assert offenders == []


def test_the_store_takes_only_status_machines_from_the_domain():
    files, edges = module_files(), graph()
    packages = {name for name, path in files.items() if path.name == "__init__.py"}
    offenders = [
        f"{name} imports {target}"
        for name, targets in sorted(edges.items())
        if _within(name, "gateway.store")
        for target in sorted(targets - packages)
        if _within(target, "gateway.commerce")
        and target not in STATE_MODULES
        and not target.endswith("states")
    ]
    assert offenders == []


@pytest.mark.parametrize("package", sorted(DIRECT_THIRD_PARTY))
def test_the_inner_layers_import_no_web_queue_or_vendor_library(package):
    offenders = []
    for name, path in sorted(module_files().items()):
        if not _within(name, package):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            offenders += [
                f"{name} imports {n}"
                for n in names
                if n.split(".")[0] in DIRECT_THIRD_PARTY[package]
            ]
    assert offenders == []


def _run(code_or_module: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *code_or_module], cwd=ROOT, capture_output=True, text=True, timeout=300
    )


def test_importing_the_whole_domain_loads_no_web_framework_queue_or_redis_client():
    domain = [name for name in module_files() if _within(name, "gateway.commerce")]
    code = (
        "import importlib, sys\n"
        f"for name in {domain!r}: importlib.import_module(name)\n"
        f"print(sorted(m for m in {THIRD_PARTY_WEB_QUEUE_REDIS!r} if m in sys.modules))\n"
    )
    done = _run(["-c", code])
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_every_module_imports_on_its_own_in_a_fresh_interpreter():
    names = [name for name in module_files() if not _within(name, "tests")]
    halves = [names[0::2], names[1::2]]
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.structure.fresh_imports", *half],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        for half in halves
    ]
    failures = "".join(run.communicate(timeout=300)[0] for run in runs)
    assert failures == ""


def test_every_outbox_topic_has_exactly_one_handler():
    assert sorted([*HANDLERS, *TOGETHER]) == sorted(topics.ALL)
