"""TARGET arguments: a bundled scenario name, a scenario TOML, a bundle directory, an artifact."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Callable

from .errors import NotFound, UsageError
from .platform import Platform


class Target:
    """What a TARGET argument names, read."""

    def __init__(self, name: str, platform: Platform, kind: str, scenario: Any = None, *,
                 artifacts: list[Any] | None = None, files: dict[str, str] | None = None, observed: Any = None,
                 parse_scenario: Callable[[], Any] | None = None, kernel_config: Any = None) -> None:
        self.name = name  # what reports call it
        self.platform = platform
        self.kind = kind  # "scenario" | "bundle" | "artifact"
        self._scenario = scenario
        # A catalog platform read from the cache comes without its scenario, parsed on first read.
        self._parse_scenario = parse_scenario
        self.artifacts: list[Any] = artifacts if artifacts is not None else []
        self.files: dict[str, str] = files if files is not None else {}  # a bundle's files: relative path -> sha256
        self.observed = observed  # pvenum.observe.Observation when the target carries a kernel's own conclusion
        # pvenum.kconfig.KernelConfig: how the target's guest kernel was built (a bundle's kernel.config)
        self.kernel_config = kernel_config

    def expectations(self, arg: str) -> dict[str, Any]:
        """The [expect.MODEL] tables (pvenum.expect.Expectation) the target ``arg`` named states:
        a scenario's, or a bundle's own platform.toml's (``arg`` the bundle or that file; not
        one of a bundle nested in it)."""
        if self.scenario is not None:
            return dict(self.scenario.expect)
        for art in self.artifacts:
            if getattr(art, "format", "") == "platform-toml" and Path(arg) in (Path(art.path), Path(art.path).parent):
                return dict(art.expect)
        return {}

    @property
    def scenario(self) -> Any:
        """The Scenario object when kind == "scenario", else None."""
        if self._parse_scenario is not None:
            self._scenario, self._parse_scenario = self._parse_scenario(), None
        return self._scenario

    def __repr__(self) -> str:
        return f"Target({self.name!r}, kind={self.kind!r})"


def load_target(target: str | Path, *, strict: bool = False, label: str | None = None, tree: str | None = None,
                files: dict[str, bytes] | None = None, names_as: str | None = None,
                catalog: bool = True, within: Any = None) -> Target:
    """``strict``: text captures must be the tool's own output (no pasted quoting or prose).
    ``label``: how to name the target and its files when ``target`` is a stand-in for it (a
    git ``REV:path`` unpacked into a temporary directory); ``tree``: for a file, the directory
    unpacked with it, which what it reads beside it (a scenario's base, a DTS's includes) must
    not leave (pvenum.diff.gitsrc.Checkout). ``files``: what the caller already
    read of it, bytes as stored — a bundle's files by relative name, or a file's own under
    ``""`` (pvenum.audit keys a target by them, and loads these same bytes). ``names_as``: the
    name its files and artifacts are given instead (pvenum.audit names a capture it reuses for
    every copy; what is read and where is unchanged). ``catalog``: a name that is no path may be
    a bundled scenario (False: it is NotFound). ``within``: a bundle's is read inside this
    pvenum._io.Within (see pvenum.bundle.read_bundle)."""
    text = str(target)
    p = Path(text)
    # With ``files`` the bytes decide, not the disk now (the path may have changed since).
    if files is None and not os.path.exists(text):  # False, not OSError, for a name no file can have
        found = _catalog_target(text) if catalog else None
        if found is not None:
            return found
        raise NotFound("no such file, directory or bundled scenario (see `pvenum scenarios`)" if catalog
                       else "no such file or directory", path=text)
    from .formats import OnDisk, detect, load_bytes
    from .platform import platform_from_artifacts

    is_bundle = p.is_dir() if files is None else "" not in files
    if is_bundle:
        from .bundle import read_bundle

        b = read_bundle(p, label=label, strict=strict, files=files, names_as=names_as, within=within)
        if not b.artifacts and not b.problems:
            raise UsageError("no artifact pvenum reads in this directory", path=label or text)
        platform = platform_from_artifacts(b.artifacts)
        platform.problems = list(b.problems)
        return Target(label or p.name or text, platform, "bundle", artifacts=b.artifacts, files=b.files,
                      observed=_observed(b), kernel_config=b.kernel_config)
    from . import _io

    data = _io.read_input(p) if files is None else _io.inflate(files[""], text)
    spec = detect(data, text)
    name = names_as or label or str(p)
    on_disk = OnDisk(text, tree) if label is not None else None  # a stand-in: read beside it, not beside the label
    if spec is not None and spec.name == "scenario-toml":
        from .scenario.artifact import load as load_scenario

        art = load_scenario(data, name, on_disk=on_disk)[0]  # named as given (REV:path), not a temp copy; compiled once
        return Target(art.scenario.name, art.platform(), "scenario", scenario=art.scenario)
    # the bytes already read, not the file again
    arts = spec.load(data, name, strict=strict, on_disk=on_disk) if spec is not None else \
        load_bytes(data, name, strict=strict)
    return Target(label or p.name, platform_from_artifacts(arts), "artifact", artifacts=arts)


def _catalog_target(name: str) -> Target | None:
    if "/" in name or name.endswith(".toml"):
        return None
    try:
        from .scenario import build_id, cache, catalog
    except ImportError:  # the catalog arrives with the scenario package
        return None
    found = build_id.catalog_source(name)
    if found is not None:
        text, path = found
        platform = cache.cached(name, text)
        if platform is not None:  # stored from a scenario of this name parsed from this very text

            def parse() -> Any:
                from .scenario.model import parse_scenario

                return parse_scenario(text, path, build=False)

            return Target(name, platform, "scenario", parse_scenario=parse)
    scenario = catalog.get(name)
    if scenario is None:
        return None
    return Target(name, cache.catalog_platform(scenario), "scenario", scenario=scenario)


def _observed(b: Any) -> Any:
    """What the kernel concluded, from a snapshot's kernel.log as the bundle's load read it
    (confined, once: pvenum.bundle.read_bundle; pvenum/observe/live.py)."""
    from .observe import live, read

    return None if b.kernel_log is None else read(b.kernel_log, origin=live.LOG_NAME)
