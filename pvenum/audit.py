"""Resolve every bundle and artifact under a directory, in parallel across cores.

Targets under DIR: a directory holding ``platform.toml``, ``manifest.json`` or
``snapshot.json`` is one bundle (its subdirectories included); every other recognised file is
one artifact; scenario TOML files count too. Each target yields one JSON object.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any, Iterable, Iterator

from . import _io

BUNDLE_MARKERS = ("platform.toml", "manifest.json", "snapshot.json")


def find_targets(root: str | Path) -> list[Path]:
    root = Path(root)
    if root.is_file():
        return [root]
    bundles: list[Path] = []
    files: list[Path] = []
    for f in _io.iter_files(root):
        if any(b == f.parent or b in f.parents for b in bundles):
            continue
        if f.name in BUNDLE_MARKERS:
            bundles.append(f.parent)
            files = [x for x in files if f.parent not in x.parents]
            continue
        files.append(f)
    from .formats import detect

    singles = []
    for f in files:
        if any(b in f.parents for b in bundles):
            continue
        try:
            head = f.read_bytes()[:65536] if f.stat().st_size <= _io.MAX_INPUT_BYTES else b""
        except OSError:
            continue
        if detect(head if len(head) < 65536 else f.read_bytes(), str(f)) is not None:
            singles.append(f)
    return sorted(set(bundles)) + sorted(singles)


def resolve_one(path: str) -> dict[str, Any]:
    from .errors import PvenumError
    from .resolver import resolve_all
    from .target import load_target

    try:
        tgt = load_target(path)
        ds = resolve_all(tgt.platform)
    except PvenumError as err:
        return {"target": path, "error": str(err)}
    return {
        "target": path,
        "name": tgt.name,
        "arch": tgt.platform.arch,
        "derivations": {
            m: {**d.summary(), "hypervisor": d.hypervisor, "output": d.output if not isinstance(d.output, dict) else
                {k: v for k, v in d.output.items() if k in ("cc_vendor", "state", "stops")},
                "findings": [f.code for f in d.findings]}
            for m, d in ds.items()
        },
    }


def run(targets: Iterable[Path], *, jobs: int | None = None) -> Iterator[dict[str, Any]]:
    """Results in target order; ``jobs=1`` stays in this process."""
    paths = [str(t) for t in targets]
    jobs = jobs or os.cpu_count() or 1
    if jobs == 1 or len(paths) < 2:
        for p in paths:
            yield resolve_one(p)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        yield from pool.map(resolve_one, paths, chunksize=max(1, len(paths) // (jobs * 8)))
