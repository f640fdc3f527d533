"""Your own platforms as matrix rows: scenario files, bundle directories, single captures, and
directories holding any of them (``pvenum main PATH...``).

A directory is one bundle when it has a ``platform.toml`` or a ``manifest.json`` (what
``pvenum build`` and ``snapshot`` write), is a devicetree directory, or holds artifacts and
nothing else (no scenario file, no subdirectory). Otherwise it is a collection: each
scenario TOML, capture file and subdirectory in it (in natural order) is taken in turn. Files
pvenum does not recognise inside a collection are skipped, as ``inspect`` skips them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from . import _io
from .errors import EXIT_USAGE, PvenumError

MAX_DEPTH = 8  # directory levels below a PATH given on the command line


class NothingUsable(PvenumError):
    """A PATH that names nothing pvenum reads: a usage error."""

    exit_code = EXIT_USAGE


@dataclass
class Entry:
    """One matrix row's input, shaped like a bundled scenario (name, description, arch,
    platform())."""

    name: str
    description: str
    platform_obj: Any
    kernel_config: Any = None  # pvenum.kconfig.KernelConfig: a bundle's own kernel.config

    @property
    def arch(self) -> str:
        return self.platform_obj.arch

    def platform(self) -> Any:
        return self.platform_obj


def _from_target(path: Path, label: str) -> Entry:
    from .target import load_target

    tgt = load_target(path)
    if tgt.kind == "scenario":
        sc = tgt.scenario
        return Entry(sc.name, sc.description, tgt.platform)
    what = "bundle" if tgt.kind == "bundle" else "capture"
    built = f"; its kernel built as {tgt.kernel_config.describe()} says" if tgt.kernel_config is not None else ""
    return Entry(label, f"{what} {path}{built}", tgt.platform, tgt.kernel_config)


def _children(d: Path) -> list[tuple[Path, str | None]]:
    """A directory's entries but hidden ones, bounded, in natural order (machine2 before
    machine10), each with its kind (_io.entry_kind: "dir", "file", or None for what cannot be
    followed or is no regular file — a FIFO, a symlink loop, an entry without permission)."""
    return [(d / e.name, _io.entry_kind(e)) for e in _io.sorted_listing(d, _io.MAX_DIR_FILES)
            if not e.name.startswith(".")]


def _detect(f: Path, known: dict[Path, Any]) -> Any:
    """The format of a regular file (detected from its first 64 KiB, gzip inflated), once per
    file (``known``: what this run detected); a FIFO, device or socket is refused unopened,
    never waited on."""
    if f not in known:
        from .formats import detect, read_in_walk

        data = read_in_walk(f, regular=True)
        known[f] = None if data is None else detect(data[:65536], str(f))
    return known[f]


def _is_bundle(d: Path, known: dict[Path, Any]) -> bool:
    from .formats import _is_dt_fs_dir

    # os.path.isfile: False, never an error, for a file a directory does not let us reach.
    if _is_dt_fs_dir(d) or os.path.isfile(d / "platform.toml") or os.path.isfile(d / "manifest.json"):
        return True
    artifacts = False
    for f, kind in _children(d):
        if kind == "dir":
            return False
        if kind is None:  # nothing pvenum reads
            continue
        spec = _detect(f, known)
        if spec is not None and spec.name == "scenario-toml":
            return False
        artifacts = artifacts or spec is not None
    return artifacts


def _walk(path: Path, label: str, depth: int, known: dict[Path, Any], kind: str | None) -> Iterator[Entry]:
    if kind == "file":
        if _detect(path, known) is not None:
            yield _from_target(path, label)
        return
    if kind != "dir":  # a FIFO, device or socket, or what cannot be reached
        return
    if _is_bundle(path, known):
        yield _from_target(path, label)
        return
    if depth >= MAX_DEPTH:
        return
    for child, child_kind in _children(path):
        yield from _walk(child, f"{label}/{child.name}" if label else child.name, depth + 1, known, child_kind)


def entries(paths: list[str]) -> list[Entry]:
    """Matrix entries for ``paths``, in the order given (each directory's contents sorted).
    A PATH that yields nothing is a usage error (exit 2), as is a missing one."""
    out: list[Entry] = []
    for raw in paths:
        p = Path(raw)
        if not p.exists():
            raise NothingUsable("no such file or directory", path=raw)
        kind = "dir" if os.path.isdir(p) else "file" if os.path.isfile(p) else None
        found = list(_walk(p, p.name if kind == "dir" else p.stem, 0, {}, kind))
        if not found:
            raise NothingUsable("no scenario, bundle or capture pvenum reads here", path=raw)
        out.extend(found)
    return out
