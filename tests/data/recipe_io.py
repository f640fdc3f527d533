"""The write / ``--check`` loop the row recipes (tests/data/x86, tests/data/linux) share."""
from __future__ import annotations

from pathlib import Path


def write_or_check(out: Path, wanted: dict[str, dict[str, bytes]], argv: list[str]) -> int:
    """Write each bundle under ``out``, or with ``--check`` report every file that differs from the
    recipe and every directory the recipe no longer makes (exit 1), writing nothing."""
    if "--check" in argv:
        bad = [str(out / n / f) for n, files in wanted.items() for f, data in files.items()
               if not (out / n / f).exists() or (out / n / f).read_bytes() != data]
        extra = {p.name for p in out.iterdir()} - set(wanted) if out.exists() else set()
        for b in bad + sorted(extra):
            print(f"differs from recipe: {b}")
        return 1 if bad or extra else 0
    for name, files in wanted.items():
        (out / name).mkdir(parents=True, exist_ok=True)
        for fname, data in files.items():
            (out / name / fname).write_bytes(data)
    print(f"wrote {len(wanted)} bundles under {out}")
    return 0
