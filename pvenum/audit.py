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
    """Bundles (outermost directories holding a marker), then every other recognised file."""
    from .errors import PvenumError
    from .formats import detect

    root = Path(root)
    if root.is_file():
        return [root]
    files = list(_io.iter_files(root))
    marked = {f.parent for f in files if f.name in BUNDLE_MARKERS}
    bundles = sorted(b for b in marked if marked.isdisjoint(b.parents))
    singles = []
    for f in files:
        if not marked.isdisjoint(f.parents):
            continue  # inside a bundle
        try:
            data = _io.read_input(f)  # bounded, gzip inflated: as load_target will read it
        except PvenumError:
            continue  # unreadable or over the limit: not a target
        if detect(data, str(f)) is not None:
            singles.append(f)
    return bundles + singles


def resolve_one(path: str) -> dict[str, Any]:
    from .errors import PvenumError
    from .report.matrix import cell
    from .resolver import resolve_all
    from .target import load_target

    try:
        tgt = load_target(path)
        ds = resolve_all(tgt.platform)
    except PvenumError as err:
        return {"target": path, "error": str(err)}
    out = {
        "target": path,
        "name": tgt.name,
        "arch": tgt.platform.arch,
        "derivations": {
            m: {**cell(d), "output": _short_output(d.output), "findings": [f.code for f in d.findings]}
            for m, d in ds.items()
        },
    }
    if tgt.platform.problems:  # the bundle is not one platform: every problem, by file (pvenum.bundle)
        out["problems"] = [p.to_json() for p in tgt.platform.problems]
    if tgt.platform.notes:
        out["notes"] = list(tgt.platform.notes)
    return out


def _short_output(output: Any) -> Any:
    # Linux's output is a dict of every cc_* fact; a line per target keeps the headline ones.
    if isinstance(output, dict):
        return {k: v for k, v in output.items() if k in ("cc_vendor", "state", "stops")}
    return output


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
