"""TARGET arguments: a bundled scenario name, a scenario TOML, a bundle directory, an artifact."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import NotFound, UsageError
from .platform import Platform


@dataclass
class Target:
    name: str  # what reports call it
    platform: Platform
    kind: str  # "scenario" | "bundle" | "artifact"
    scenario: Any = None  # the Scenario object when kind == "scenario"
    artifacts: list[Any] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)  # a bundle's files: relative path -> sha256
    observed: Any = None  # pvenum.observe.Observation when the target carries a kernel's own conclusion


def load_target(target: str | Path, *, strict: bool = False, label: str | None = None) -> Target:
    """``strict``: text captures must be the tool's own output (no pasted quoting or prose).
    ``label``: how to name the target and its files when ``target`` is a stand-in for it (a
    git ``REV:path`` unpacked into a temporary directory)."""
    from .formats import detect, load_bytes
    from .platform import platform_from_artifacts

    text = str(target)
    p = Path(text)
    if not p.exists():
        scenario = _catalog_scenario(text)
        if scenario is not None:
            from .scenario.cache import catalog_platform

            return Target(text, catalog_platform(scenario), "scenario", scenario=scenario)
        raise NotFound("no such file, directory or bundled scenario (see `pvenum scenarios`)", path=text)
    if p.is_dir():
        from .bundle import read_bundle

        b = read_bundle(p, label=label, strict=strict)
        if not b.artifacts and not b.problems:
            raise UsageError("no artifact pvenum reads in this directory", path=label or text)
        platform = platform_from_artifacts(b.artifacts)
        platform.problems = list(b.problems)
        return Target(label or p.name or text, platform, "bundle", artifacts=b.artifacts, files=b.files,
                      observed=_observed(p))
    from . import _io

    data = _io.read_input(p)
    spec = detect(data, text)
    name = label or str(p)
    if spec is not None and spec.name == "scenario-toml":
        from .scenario.artifact import load as load_scenario

        scenario = load_scenario(data, name)[0].scenario  # named as given (REV:path), not a temp copy
        return Target(scenario.name, scenario.platform(), "scenario", scenario=scenario)
    # the bytes already read, not the file again
    arts = spec.load(data, name, strict=strict) if spec is not None else load_bytes(data, name, strict=strict)
    return Target(label or p.name, platform_from_artifacts(arts), "artifact", artifacts=arts)


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
