"""Scenarios: platforms described at the level people think in, compiled into every channel.

A lazy facade (PEP 562): a name loads its defining submodule on first read, so importing one
submodule never runs the others and no import cycle closes through this package.
"""

from __future__ import annotations

from .._lazy import lazy_facade

TYPE_CHECKING = False  # typing is not imported at run time (see pvenum/__init__.py)
if TYPE_CHECKING:  # pragma: no cover
    from .model import Scenario, load_scenario_file, parse_scenario

__all__ = ["Scenario", "load_scenario_file", "parse_scenario"]
__getattr__, __dir__ = lazy_facade(__name__, {"model": __all__})
