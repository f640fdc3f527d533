"""``pvenum check``: resolve each target that states ``[expect]`` and compare (pvenum.expect).

Targets: a scenario TOML (its ``[expect.MODEL]`` tables), a bundle directory (``[expect]`` in
its platform.toml), a bundled scenario name, or a directory holding any of these (scenario
TOMLs anywhere under it, and every directory with a platform.toml).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from . import _io
from .expect import Expectation, Mismatch, compare

if TYPE_CHECKING:  # pragma: no cover
    from .errors import PvenumError
    from .kconfig import KernelConfig


@dataclass
class Checked:
    name: str  # how the target is named in output
    expect: dict[str, Expectation]
    mismatches: list[Mismatch] = field(default_factory=list)
    problems: list[Any] = field(default_factory=list)  # bundle problems (pvenum.bundle)


def find_targets(arg: str, refused: Callable[[PvenumError], None] | None = None) -> list[str]:
    """What ``arg`` names: itself (a file, a bundle, a catalog name) or what a directory holds.
    A directory is walked as ``pvenum inspect`` walks one (pvenum.formats.load_path): a link
    met in it that leads out of it is not followed, its error handed to ``refused`` (None:
    raised); a path named itself is followed wherever it leads."""
    from .formats import detect, read_walked, walk_inside

    p = Path(arg)
    if not p.is_dir():
        if p.name == "platform.toml" and p.is_file():
            return [str(p.parent)]
        return [arg]
    if (p / "platform.toml").is_file():
        return [str(p)]
    out: list[str] = []
    bundles: set[Path] = set()
    inside = _io.Within(p)
    for f in map(Path, walk_inside(inside, p, refused)):
        if any(b in f.parents for b in bundles):
            continue
        if f.name == "platform.toml":
            bundles.add(f.parent)
            out.append(str(f.parent))
            continue
        if f.suffix == ".toml":
            data = read_walked(f, inside, refused, skip_big=False)
            if data is None:  # a link swapped in after the walk looked
                continue
            spec = detect(data, str(f))
            if spec is not None and spec.name == "scenario-toml":
                out.append(str(f))
    return out


def check_target(arg: str, kernel_config: "KernelConfig | None" = None) -> Checked:
    """Load, resolve the models the target states expectations for, compare. The linux models'
    kernel is built as ``kernel_config`` (pvenum.kconfig) says, else as the bundle's own
    kernel.config says, else with every guest option."""
    from .resolver.registry import resolve_all
    from .target import load_target

    tgt = load_target(arg)
    expect = tgt.expectations(arg)
    name = (tgt.scenario.path or tgt.name) if tgt.scenario is not None else arg
    out = Checked(name, expect, problems=list(tgt.platform.problems))
    if expect:
        config = kernel_config if kernel_config is not None else tgt.kernel_config
        out.mismatches = compare(expect, resolve_all(tgt.platform, list(expect), kernel_config=config))
    return out
