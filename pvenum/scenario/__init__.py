"""Scenarios: platforms described at the level people think in, compiled into every channel.

A lazy facade (PEP 562): a name loads its defining submodule on first read, so importing one
submodule never runs the others and no import cycle closes through this package.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from .model import Scenario, load_scenario_file, parse_scenario

__all__ = ["Scenario", "load_scenario_file", "parse_scenario"]
_MODEL = frozenset(('Scenario', 'load_scenario_file', 'parse_scenario',))


def __getattr__(name: str) -> Any:
    if name in _MODEL:
        from . import model as module
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = globals()[name] = getattr(module, name)  # later reads skip __getattr__
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
