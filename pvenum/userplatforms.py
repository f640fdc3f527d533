"""Your own platforms as matrix rows: scenario files, bundle directories, single captures, and
directories holding any of them (``pvenum main PATH...``).

A directory is one bundle when it has a ``platform.toml`` or a ``manifest.json`` (what
``pvenum build`` and ``snapshot`` write), is a devicetree directory, or holds artifacts and
nothing else (no scenario file, no subdirectory). Otherwise it is a collection: each
scenario TOML, capture file and subdirectory in it (in natural order) is taken in turn. Files
pvenum does not recognise inside a collection are skipped, as ``inspect`` skips them.

A directory given is read as itself, as ``inspect`` walks one (pvenum.formats.load_path, after
GNU grep -r): a symlink met in it that leads out of it is named to ``refused`` and not read;
what a PATH names itself is read wherever it leads.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

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


def _from_target(path: Path, label: str, data: bytes | None = None, within: _io.Within | None = None) -> Entry:
    """The entry of ``path``; ``data``: a file's bytes as stored, as the walk read them (confined);
    ``within``: the walk's directory, which a bundle is read inside."""
    from .target import load_target

    tgt = load_target(path, files=None if data is None else {"": data}, within=within)
    if tgt.kind == "scenario":
        sc = tgt.scenario
        return Entry(sc.name, sc.description, tgt.platform)
    what = "bundle" if tgt.kind == "bundle" else "capture"
    built = f"; its kernel built as {tgt.kernel_config.describe()} says" if tgt.kernel_config is not None else ""
    return Entry(label, f"{what} {path}{built}", tgt.platform, tgt.kernel_config)


class _Walk:
    """One PATH's walk: the directory it stays in, each directory's listing and each file's
    format with its bytes as stored (made once: a directory is looked at twice, by _is_bundle
    and then _walk, and a file's bytes are read once while at most one input's worth,
    pvenum._io.MAX_INPUT_BYTES, is held; past that a file is read again when it is taken)."""

    __slots__ = ("known", "listed", "inside", "refused", "held")

    def __init__(self, inside: _io.Within | None, refused: Callable[[PvenumError], None]) -> None:
        self.known: dict[Path, tuple[Any, bytes | None]] = {}  # file -> (its format, its bytes as stored)
        self.listed: dict[Path, list[tuple[Path, str | None]]] = {}
        self.inside = inside  # None: a file named itself, read wherever it is
        self.refused = refused
        self.held = 0  # bytes of ``known`` held

    def children(self, d: Path) -> list[tuple[Path, str | None]]:
        """A directory's entries but hidden ones, bounded, in natural order (machine2 before
        machine10), each with its kind (_io.entry_kind: "dir", "file", or None for what cannot be
        followed or is no regular file — a FIFO, a symlink loop, an entry without permission);
        a link leading out of the PATH's directory is handed to ``refused`` and left out."""
        if d not in self.listed:
            out = []
            for e in _io.sorted_listing(d, _io.MAX_DIR_FILES):
                if e.name.startswith("."):
                    continue
                kind = _io.entry_kind(e)
                err = self.inside.entry_out(e, kind) if self.inside is not None else None
                if err is not None:
                    self.refused(err)
                else:
                    out.append((d / e.name, kind))
            self.listed[d] = out
        return self.listed[d]

    def read(self, f: Path) -> tuple[Any, bytes | None]:
        """:meth:`_read` once for the walk (a bundle's files are read again by its load): its
        bytes are held while the walk holds at most one input's worth, else None."""
        known = self.known
        if f not in known:
            spec, data = self._read(f)
            keep = data if spec is not None and self.held + len(data or b"") <= _io.MAX_INPUT_BYTES else None
            self.held += len(keep or b"")
            known[f] = (spec, keep)
        return known[f]

    def _read(self, f: Path) -> tuple[Any, bytes | None]:
        """A regular file's format (detected from the first 64 KiB of it inflated) and its bytes
        as stored (None when it is of no format): inside the PATH's directory, checked on the
        file opened (pvenum.formats.read_walked: no bytes for a link swapped in, or a big file
        that is no artifact); named itself, read wherever it is. A FIFO, device or socket is
        refused unopened, never waited on."""
        from .formats import detect, read_walked

        if self.inside is None:
            data: bytes | None = _io.read_bytes(f, regular=True)
        else:
            data = read_walked(f, self.inside, self.refused, stored=True)
        spec = None if data is None else detect(_io.inflate(data, str(f))[:65536], str(f))
        return spec, data if spec is not None else None

    def detect(self, f: Path) -> Any:
        """The format of ``f`` (:meth:`read`)."""
        return self.read(f)[0]

    def taken(self, f: Path) -> tuple[Any, bytes | None]:
        """:meth:`read`, handed over once and no longer held (a file whose bytes were not held
        is read again now, as the walk read it)."""
        spec, data = self.read(f)
        self.held -= len(self.known.pop(f)[1] or b"")
        return self._read(f) if spec is not None and data is None else (spec, data)

    def forget(self, d: Path) -> None:
        """Drop what was read of ``d``'s files to tell whether it is a bundle: the bundle's own
        load reads it (pvenum.bundle.read_bundle), so a tree of bundles is not held whole."""
        for f, _ in self.listed.get(d, ()):
            self.held -= len(self.known.pop(f, (None, None))[1] or b"")


def _is_bundle(d: Path, walk: _Walk) -> bool:
    from .formats import _is_dt_fs_dir

    # os.path.isfile: False, never an error, for a file a directory does not let us reach.
    if _is_dt_fs_dir(d) or os.path.isfile(d / "platform.toml") or os.path.isfile(d / "manifest.json"):
        return True
    artifacts = False
    for f, kind in walk.children(d):
        if kind == "dir":
            return False
        if kind is None:  # nothing pvenum reads
            continue
        spec = walk.detect(f)
        if spec is not None and spec.name == "scenario-toml":
            return False
        artifacts = artifacts or spec is not None
    return artifacts


def _walk(path: Path, label: str, depth: int, walk: _Walk, kind: str | None) -> Iterator[Entry]:
    if kind == "file":
        spec, data = walk.taken(path)
        if spec is not None:  # loaded from the bytes read here (checked on the file opened)
            yield _from_target(path, label, data)
        return
    if kind != "dir":  # a FIFO, device or socket, or what cannot be reached
        return
    if _is_bundle(path, walk):
        walk.forget(path)
        try:  # read inside the walk's directory (pvenum._io.Within.inner)
            entry = _from_target(path, label, within=walk.inside)
        except _io.LeadsOut as err:
            if Path(str(err.path)) != path:  # a link out of the bundle: the bundle's error, as always
                raise
            walk.refused(err)  # the bundle itself swapped for a link out since it was listed
            return
        yield entry
        return
    if depth >= MAX_DEPTH:
        return
    for child, child_kind in walk.children(path):
        yield from _walk(child, f"{label}/{child.name}" if label else child.name, depth + 1, walk, child_kind)


def _raise(err: PvenumError) -> None:
    raise err


def entries(paths: list[str], refused: Callable[[PvenumError], None] = _raise) -> list[Entry]:
    """Matrix entries for ``paths``, in the order given (each directory's contents sorted).
    A PATH that yields nothing is a usage error (exit 2), as is a missing one. A link out of a
    directory PATH goes to ``refused`` (by default raised) and the walk goes on."""
    out: list[Entry] = []
    for raw in paths:
        p = Path(raw)
        if not p.exists():
            raise NothingUsable("no such file or directory", path=raw)
        kind = "dir" if os.path.isdir(p) else "file" if os.path.isfile(p) else None
        walk = _Walk(_io.Within(p, raw) if kind == "dir" else None, refused)
        found = list(_walk(p, p.name if kind == "dir" else p.stem, 0, walk, kind))
        if not found:
            raise NothingUsable("no scenario, bundle or capture pvenum reads here", path=raw)
        out.extend(found)
    return out
