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


def load_target(target: str | Path, *, strict: bool = False) -> Target:
    """``strict``: text captures must be the tool's own output (no pasted quoting or prose)."""
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
        arts = list(load_path(p, strict=strict))
        if not arts:
            raise PvenumError("no artifact pvenum reads in this directory", path=text)
        return Target(p.name or text, platform_from_artifacts(arts), "bundle", artifacts=arts)
    from . import _io

    data = _io.read_input(p)
    spec = detect(data, text)
    if spec is not None and spec.name == "scenario-toml":
        from .scenario import load_scenario_file

        scenario = load_scenario_file(p)
        return Target(scenario.name, scenario.platform(), "scenario", scenario=scenario)
    arts = load_bytes(data, str(p), strict=strict)  # the bytes already read, not the file again
    return Target(p.name, platform_from_artifacts(arts), "artifact", artifacts=arts)


def _catalog_scenario(name: str) -> Any:
    if "/" in name or name.endswith(".toml"):
        return None
    try:
        from .scenario import catalog
    except ImportError:  # the catalog arrives with the scenario package
        return None
    return catalog.get(name)
