"""No import cycle in pvenum/ runs through a run-time (function-level) import.

The graph is read statically with ``ast`` from every module under pvenum/: a module-level
import and an import inside a function (or method) are both edges; imports under
``if TYPE_CHECKING:`` never run and are not. A cycle made only of module-level imports fails
at import time on its own, so Python already refuses it; a cycle that closes through a
function-level import loads, but only because the import was deferred — that hides a
two-way dependency (the ACPI layouts building the model that imports them, ``platform``
loading bundles through the formats that build platforms). Each such cycle is reported
with the modules in it and its run-time edges.

The module an import names is an edge (``from .layouts import kind_for`` is an edge to
pvenum.acpi.layouts, ``from . import memory`` to pvenum.acpi.memory), and so is every package
``__init__`` Python runs on the way: importing ``pvenum.cpuid.model`` from ``pvenum.diff``
first runs ``pvenum/cpuid/__init__.py`` (Python's import system, ``importlib._bootstrap.
_find_and_load`` imports each parent before the child). The importer's own enclosing packages
are no edge: they were already imported before the importer itself could run.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import pvenum

PACKAGE = Path(pvenum.__file__).parent


def _modules(package: Path) -> dict[str, tuple[Path, bool]]:
    out = {}
    for path in sorted(package.rglob("*.py")):
        parts = [package.name, *path.relative_to(package).with_suffix("").parts]
        is_package = parts[-1] == "__init__"
        if is_package:
            parts.pop()
        out[".".join(parts)] = (path, is_package)
    return out


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _targets(module: str, is_package: bool, node: ast.Import | ast.ImportFrom, known: set[str]) -> list[str]:
    """The pvenum modules an import statement names (the nearest known module for a name
    imported from one)."""
    if isinstance(node, ast.Import):
        names = [a.name for a in node.names]
    else:
        if node.level:
            base = module.split(".")
            if not is_package:
                base.pop()
            base = base[:len(base) - (node.level - 1)]
            prefix = ".".join(base + ([node.module] if node.module else []))
        else:
            prefix = node.module or ""
        names = [f"{prefix}.{a.name}" if f"{prefix}.{a.name}" in known else prefix for a in node.names]
    out = []
    for name in names:
        while name and name not in known:
            name = name.rpartition(".")[0]
        if name:
            out.append(name)
    return out


def _with_parents(module: str, is_package: bool, targets: list[str]) -> list[str]:
    """``targets`` and the packages Python imports on the way to each, less ``module`` and
    the packages enclosing it (in ``sys.modules`` before ``module`` runs)."""
    parts = module.split(".")
    loaded = {".".join(parts[:i]) for i in range(1, len(parts) + (1 if is_package else 0))}
    loaded.add(module)
    out = []
    for target in targets:
        pieces = target.split(".")
        for name in (".".join(pieces[:i]) for i in range(1, len(pieces) + 1)):
            if name not in loaded and name not in out:
                out.append(name)
    return out


def _facade_table(node: ast.AST) -> list[str] | None:
    """The submodules of ``__getattr__, __dir__ = lazy_facade(__name__, {SUB: names, ...})``."""
    call = node.value if isinstance(node, ast.Assign) else None
    if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "lazy_facade"):
        return None
    table = call.args[1]
    assert isinstance(table, ast.Dict), "lazy_facade's table must be a literal (this walker reads it)"
    subs = [k.value for k in table.keys if isinstance(k, ast.Constant)]
    assert len(subs) == len(table.keys), "lazy_facade's submodules must be literal strings"
    return subs


def import_edges(package: Path = PACKAGE) -> dict[tuple[str, str], bool]:
    """(importer, imported) → True when every such import is inside a function (run time).

    A package's module-level ``__getattr__`` (PEP 562 lazy facade) runs on behalf of whoever
    reads a name from the package, so its imports are edges of every module that imports the
    package by name (``from pvenum.cpuid import parse``), not of the package itself; importing
    only a submodule (``from pvenum.cpuid.leaves import …``) never calls it.
    """
    modules = _modules(package)
    known = set(modules)
    named: list[tuple[str, str, bool]] = []  # (importer, module named, run time)
    lazy: dict[str, list[str]] = {}  # package -> modules its __getattr__ imports

    def walk(module: str, is_package: bool, node: ast.AST, runtime: bool, sink: list | None) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                for target in _targets(module, is_package, child, known):
                    if sink is not None:
                        sink.append(target)
                    else:
                        named.append((module, target, runtime))
            elif (isinstance(child, ast.FunctionDef) and child.name == "__getattr__" and is_package
                  and node is trees[module]):
                walk(module, is_package, child, True, lazy.setdefault(module, []))
            elif is_package and node is trees[module] and (subs := _facade_table(child)) is not None:
                # `lazy_facade(__name__, {"api": ...})` (pvenum/_lazy.py) stands for the
                # `from . import api` a hand-written __getattr__ would run.
                stands_for = ast.ImportFrom(None, [ast.alias(sub) for sub in subs], 1)
                lazy.setdefault(module, []).extend(_targets(module, is_package, stands_for, known))
            elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                walk(module, is_package, child, True, sink)
            elif isinstance(child, ast.If) and _is_type_checking(child):
                for other in child.orelse:
                    walk(module, is_package, other, runtime, sink)
            else:
                walk(module, is_package, child, runtime, sink)

    trees = {module: ast.parse(path.read_text(encoding="utf-8"), str(path))
             for module, (path, _) in modules.items()}
    for module, (_, is_package) in modules.items():
        walk(module, is_package, trees[module], False, None)
    edges: dict[tuple[str, str], bool] = {}
    for module, target, runtime in named:
        targets = [target, *lazy.get(target, ())] if target != module else []
        for each in _with_parents(module, modules[module][1], targets):
            edges[(module, each)] = edges.get((module, each), True) and runtime
    return edges


def strongly_connected(nodes: set[str], edges: set[tuple[str, str]]) -> list[set[str]]:
    """Tarjan's algorithm, iterative (the graph has a few hundred modules)."""
    succ: dict[str, list[str]] = {n: [] for n in nodes}
    for a, b in edges:
        succ[a].append(b)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[set[str]] = []
    for root in sorted(nodes):
        if root in index:
            continue
        work = [(root, iter(succ[root]))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, it = work[-1]
            nxt = next(it, None)
            if nxt is not None:
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(succ[nxt])))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                comp = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    comp.add(member)
                    if member == node:
                        break
                out.append(comp)
    return out


def runtime_cycles(edges: dict[tuple[str, str], bool]) -> list[tuple[list[str], list[tuple[str, str]]]]:
    nodes = {n for edge in edges for n in edge}
    out = []
    for comp in strongly_connected(nodes, set(edges)):
        runtime = sorted((a, b) for (a, b), rt in edges.items() if rt and a in comp and b in comp)
        if len(comp) > 1 and runtime:
            out.append((sorted(comp), runtime))
    return out


def test_the_walker_sees_module_and_function_level_imports() -> None:
    edges = import_edges()
    # Module level: the codec builds the model from what the layouts decode.
    assert edges[("pvenum.acpi.codec", "pvenum.acpi.layouts")] is False
    assert edges[("pvenum.acpi.codec", "pvenum.acpi.model")] is False
    # Function level: `pvenum diff` loads its targets only when it runs.
    assert edges[("pvenum.diff.compare", "pvenum.target")] is True
    # The package facade Python runs before a submodule is an edge too; the importer's own
    # package is not (it was imported before the importer ran).
    assert ("pvenum.diff.flatten", "pvenum.cpuid") in edges
    assert ("pvenum.acpi.codec", "pvenum.acpi") not in edges
    # A lazy facade's __getattr__ imports belong to whoever reads the name, not to the package.
    assert ("pvenum.cpuid", "pvenum.cpuid.api") not in edges
    assert ("pvenum.acpi", "pvenum.acpi.codec") not in edges
    # TYPE_CHECKING-only imports are no edge: the layouts type their arguments with the model.
    assert ("pvenum.formats", "pvenum.platform") not in edges


def test_parent_packages_and_lazy_facades(tmp_path: Path) -> None:
    pkg = tmp_path / "m"
    (pkg / "chan").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "chan" / "__init__.py").write_text(
        "def __getattr__(name):\n    from . import api\n    return getattr(api, name)\n")
    (pkg / "chan" / "api.py").write_text("def parse():\n    from ..other import helper\n")
    (pkg / "chan" / "leaves.py").write_text("")
    (pkg / "other.py").write_text("from .chan.leaves import X\n")
    (pkg / "user.py").write_text("from .chan import parse\n")
    edges = import_edges(pkg)
    assert edges[("m.other", "m.chan")] is False  # the facade runs before m.chan.leaves
    assert ("m.chan", "m.chan.api") not in edges  # __getattr__ runs for the reader of a name…
    assert edges[("m.user", "m.chan.api")] is False  # …here at user's import time
    assert ("m.chan.api", "m.chan") not in edges  # its own package was loaded before it ran
    assert runtime_cycles(edges) == []
    # The same facade through pvenum/_lazy.py's helper: the same edges.
    (pkg / "chan" / "__init__.py").write_text(
        "from pvenum._lazy import lazy_facade\n__getattr__, __dir__ = lazy_facade(__name__, {'api': ['parse']})\n")
    assert import_edges(pkg) == edges
    # An eager facade closes the cycle: m.chan -> api -(run time)-> other -> m.chan.
    (pkg / "chan" / "__init__.py").write_text("from .api import parse\n")
    assert runtime_cycles(import_edges(pkg)) == [
        (["m.chan", "m.chan.api", "m.other"], [("m.chan.api", "m.other")])]


def test_the_walker_finds_a_cycle_through_a_function_level_import() -> None:
    # The shape this test exists to refuse: the model importing the layouts at module level
    # while a layout builds the model inside a function.
    edges = {("m.model", "m.layouts"): False, ("m.layouts", "m.model"): True, ("m.codec", "m.model"): False}
    assert runtime_cycles(edges) == [(["m.layouts", "m.model"], [("m.layouts", "m.model")])]
    assert runtime_cycles({("m.model", "m.layouts"): False}) == []


@pytest.mark.parametrize("layer, below", [
    ("pvenum.acpi.layouts", "pvenum.acpi.model"),
    ("pvenum.acpi.layouts", "pvenum.acpi.codec"),
    ("pvenum.acpi.layouts", "pvenum.acpi.memory"),
    ("pvenum.acpi.layouts", "pvenum.acpi.names"),
    ("pvenum.acpi.model", "pvenum.acpi.memory"),
    ("pvenum.platform", "pvenum.bundle"),
    ("pvenum.platform", "pvenum.formats"),
])
def test_one_way_dependencies(layer: str, below: str) -> None:
    """The layers issue 12 names: nothing under ``layer`` imports ``below`` at all (run time
    or module level)."""
    edges = import_edges()
    wrong = sorted((a, b) for a, b in edges if (a == layer or a.startswith(layer + ".")) and b == below)
    assert wrong == []


def test_no_import_cycle_has_a_run_time_edge() -> None:
    cycles = runtime_cycles(import_edges())
    report = "\n".join(f"{len(mods)} modules {mods}\n  run-time edges: {rt}" for mods, rt in cycles)
    assert cycles == [], "import cycles closed by function-level imports:\n" + report
