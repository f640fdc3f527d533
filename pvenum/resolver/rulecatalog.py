"""Which rules — and so which models — reach each shared predicate, for `pvenum rules`.

Who uses what is read from the code itself (the names each rule's function refers to, followed
through the resolver's helpers), not kept by hand. Kept apart from :mod:`.shared`, which every
model imports, so that resolving never loads ``inspect`` or these records.
"""

from __future__ import annotations

import dis
import importlib.util
import inspect
import sys
import types
from dataclasses import dataclass
from typing import Any, Callable, Iterator

# Model name -> the modules whose RULES / FINAL make it up (crosschannel.RULES join linux and
# proposal; systemd_arm64's rules join systemd).
MODEL_MODULES = {
    "linux": ("pvenum.resolver.models.linux_x86", "pvenum.resolver.models.linux_arm64", "pvenum.resolver.crosschannel"),
    "systemd": ("pvenum.resolver.models.systemd", "pvenum.resolver.models.systemd_arm64"),
    "virt-what": ("pvenum.resolver.models.virt_what",),
    "proposal": ("pvenum.resolver.models.proposal", "pvenum.resolver.crosschannel"),
}
# Modules holding shared predicates.
SHARED_MODULES = ("pvenum.resolver.x86", "pvenum.resolver.arm", "pvenum.resolver.models.own_signals")


@dataclass(frozen=True)
class SharedPredicate:
    name: str  # module-qualified, e.g. "x86.tdx_early_init_ident"
    mirrors: str
    doc: str
    rules: tuple[str, ...]  # rule ids whose function reaches it
    models: tuple[str, ...]


@dataclass(frozen=True)
class RuleInfo:
    id: str
    cite: str
    title: str
    models: tuple[str, ...]
    uses: tuple[str, ...]  # shared predicates it reaches


def _short(fn: Callable[..., Any]) -> str:
    return fn.__module__.rsplit(".", 1)[-1] + "." + fn.__name__


def _codes(code: types.CodeType) -> Iterator[types.CodeType]:
    yield code
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from _codes(const)


def _imported(fn: Callable[..., Any], code: types.CodeType) -> list[Any]:
    """What the ``from X import a`` statements inside ``code`` bring in: the arm64 readers are
    imported in the branches that need them, so that an x86 run never loads them."""
    package = sys.modules[fn.__module__].__package__ or ""
    out: list[Any] = []
    module = None
    consts: list[Any] = []  # the LOAD_CONSTs before IMPORT_NAME: level, then the from-list
    for ins in dis.get_instructions(code):
        if ins.opname == "LOAD_CONST":
            consts = (consts + [ins.argval])[-2:]
        elif ins.opname == "IMPORT_NAME":
            level = consts[0] if len(consts) == 2 and isinstance(consts[0], int) else 0
            name = importlib.util.resolve_name("." * level + ins.argval, package) if level else ins.argval
            module = importlib.import_module(name) if name.startswith("pvenum.") else None
        elif ins.opname == "IMPORT_FROM" and module is not None:
            obj = getattr(module, ins.argval, None)
            if obj is None and hasattr(module, "__path__"):  # a submodule not imported yet
                obj = importlib.import_module(f"{module.__name__}.{ins.argval}")
            out.append(obj)
    return out


def _callees(fn: Callable[..., Any]) -> set[Callable[..., Any]]:
    """Functions of pvenum.resolver that ``fn`` names, directly or as ``module.attr``, from its
    module's globals or imported inside it."""
    fn = inspect.unwrap(fn)
    code = getattr(fn, "__code__", None)
    if code is None:
        return set()
    codes = list(_codes(code))
    names = {n for c in codes for n in c.co_names}
    objects = [fn.__globals__.get(n) for n in names] + [obj for c in codes for obj in _imported(fn, c)]
    out = set()
    for obj in objects:
        if isinstance(obj, types.ModuleType) and obj.__name__.startswith("pvenum.resolver"):
            out |= {getattr(obj, a) for a in names if inspect.isfunction(getattr(obj, a, None))}
        elif inspect.isfunction(obj) and obj.__module__.startswith("pvenum.resolver"):
            out.add(obj)
    return out


def _reach(fn: Callable[..., Any]) -> set[Callable[..., Any]]:
    seen: set[Callable[..., Any]] = set()
    todo = [fn]
    while todo:
        f = todo.pop()
        for g in _callees(f):
            if g not in seen:
                seen.add(g)
                todo.append(g)
    return seen


def catalog() -> tuple[list[RuleInfo], list[SharedPredicate]]:
    """Every rule with its models and the shared predicates it reaches, and every shared
    predicate with the rules and models that reach it."""
    rules: dict[str, tuple[Any, set[str]]] = {}
    for model, modules in MODEL_MODULES.items():
        for name in modules:
            mod = importlib.import_module(name)
            found = tuple(getattr(mod, "RULES", ())) + tuple(getattr(mod, "RULES_X86", ()))
            for rule in found + ((mod.FINAL,) if hasattr(mod, "FINAL") else ()):
                rules.setdefault(rule.id, (rule, set()))[1].add(model)
    preds = {}
    for name in SHARED_MODULES:
        mod = importlib.import_module(name)
        for fn in vars(mod).values():
            if inspect.isfunction(fn) and hasattr(fn, "__shared_mirrors__") and fn.__module__ == name:
                preds[fn] = []
    infos = []
    for rid, (rule, models) in rules.items():
        used = sorted(_short(f) for f in _reach(rule.apply) | {rule.apply} if f in preds)
        for f in preds:
            if _short(f) in used:
                preds[f].append((rid, models))
        infos.append(RuleInfo(rid, rule.cite, rule.title, tuple(sorted(models)), tuple(used)))
    shared_list = [
        SharedPredicate(_short(f), f.__shared_mirrors__, (inspect.getdoc(f) or "").split("\n")[0],
                        tuple(sorted(r for r, _ in users)), tuple(sorted({m for _, ms in users for m in ms})))
        for f, users in preds.items()
    ]
    return infos, sorted(shared_list, key=lambda p: p.name)
