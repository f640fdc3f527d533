"""TARGET arguments: a bundled scenario name, a scenario TOML, a bundle directory, an artifact."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import PvenumError
from .platform import Platform


@dataclass
class Target:
    name: str  # what reports call it
    platform: Platform
    kind: str  # "scenario" | "bundle" | "artifact"
    scenario: Any = None  # the Scenario object when kind == "scenario"
    artifacts: list[Any] = field(default_factory=list)
    observed: Any = None  # pvenum.observe.Observation when the target carries a kernel's own conclusion


def load_target(target: str | Path) -> Target:
    from .formats import detect, load_bytes, load_path
    from .platform import platform_from_artifacts

    text = str(target)
    p = Path(text)
    if not p.exists():
        scenario = _catalog_scenario(text)
        if scenario is not None:
            return Target(text, scenario.platform(), "scenario", scenario=scenario)
        raise PvenumError(
            "no such file, directory or bundled scenario (see `pvenum scenarios`)", path=text
        )
    if p.is_dir():
        arts = list(load_path(p))
        if not arts:
            raise PvenumError("no artifact pvenum reads in this directory", path=text)
        return Target(p.name or text, platform_from_artifacts(arts), "bundle", artifacts=arts,
                      observed=_observed(p))
    from . import _io

    data = _io.read_input(p)
    spec = detect(data, text)
    if spec is not None and spec.name == "scenario-toml":
        from .scenario import load_scenario_file

        scenario = load_scenario_file(p)
        return Target(scenario.name, scenario.platform(), "scenario", scenario=scenario)
    arts = load_bytes(data, str(p))  # the bytes already read, not the file again
    return Target(p.name, platform_from_artifacts(arts), "artifact", artifacts=arts)


def _catalog_scenario(name: str) -> Any:
    if "/" in name or name.endswith(".toml"):
        return None
    try:
        from .scenario import catalog
    except ImportError:  # the catalog arrives with the scenario package
        return None
    return catalog.get(name)


def _observed(bundle: Path) -> Any:
    """What the kernel concluded, from a snapshot's kernel.log (pvenum/observe/live.py)."""
    from .observe import live, read

    log = bundle / live.LOG_NAME
    if not log.is_file():
        return None
    from . import _io

    return read(_io.read_input(log), origin=live.LOG_NAME)
