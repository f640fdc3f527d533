"""Lazy package facades (PEP 562): a package re-exports names from its submodules and loads
each submodule only when one of its names is first read, so importing one submodule never
runs the others and no import cycle closes through the package.

A package states, as literals, which submodule defines which name::

    __all__ = ["DiffResult", "diff_sides"]
    __getattr__, __dir__ = lazy_facade(__name__, {"compare": __all__})

tests/test_import_graph.py reads the table's keys as the imports the facade stands for.
"""

from __future__ import annotations

import importlib
import sys

TYPE_CHECKING = False  # typing is not imported at run time (see pvenum/__init__.py)
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any, Callable, Iterable, Mapping


def lazy_facade(package: str, exports: Mapping[str, Iterable[str]]
                ) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The module ``__getattr__`` and ``__dir__`` of ``package``; ``exports`` maps a submodule
    (relative name) to the names read from it."""
    where = {name: f"{package}.{sub}" for sub, names in exports.items() for name in names}

    def __getattr__(name: str) -> Any:
        if name not in where:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(where[name]), name)
        setattr(sys.modules[package], name, value)  # later reads skip __getattr__
        return value

    def __dir__() -> list[str]:
        return sorted({*vars(sys.modules[package]), *where})

    return __getattr__, __dir__
