"""Start-up, each against its reference command in the same run (issue 15 targets):
`pvenum --version` within 1.5× of `python3 -c pass`, `pvenum inspect` of a tiny DTB within
1.5× of the `fdt` package's `pydtc unpack` of the same file, `pvenum resolve SCENARIO` within
4× of `python3 -c pass` (asked again: the answer stored; the first ask in a context is an
informative row of its own).

The targets are measured on a wheel install of this tree in a temporary virtualenv (as
`pip install` leaves pvenum for its users), started by the console script a current pip writes:
the virtualenv's pip is first upgraded (PIP), because the script pip 25.3 and earlier write
imports `re` before pvenum (distlib's SCRIPT_TEMPLATE, pip/_vendor/distlib/scripts.py), a cost
of the installer's, not of pvenum; pip 26.0 and later write one that does not
(PipScriptMaker.script_template, pip/_internal/operations/install/wheel.py, read in the pip 26.0
wheel). The same rows on this checkout's editable install
follow for comparison only: there every interpreter start imports the editable finder, the
reference's `python3 -c pass` included, and that shared cost draws each ratio towards 1."""

from __future__ import annotations

import itertools
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any
from unittest import mock

from common import ROOT, best_pair, best_pair_commands, row, run_quiet
from reference import tree_install

def _test_pin(package: str) -> str:
    """The requirement pyproject.toml's test extra pins ``package`` with (one declaration)."""
    import tomllib

    extra = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]["test"]
    return next(r for r in extra if r.split("=", 1)[0].split(">", 1)[0].strip() == package)


FDT = _test_pin("fdt")  # the reference `pydtc`, as `make test` installs it
PIP = "pip>=26"  # writes console scripts that import only sys before the entry point


def tiny_dtb() -> Path:
    return ROOT / "tests" / "data" / "fdt" / "dts" / "realm-guest.dtb"


# The editable install's rows are for comparison: every start-up there, the reference's too,
# first imports the editable install's finder (a .pth hook), which adds the same milliseconds to
# both sides and so draws each ratio towards 1.
_EDITABLE = "every start-up here, the reference's too, first imports the editable install's finder: for comparison"


def _rows(pvenum: list[str], python: str, pydtc: str, n: int, cwd: Path, out: Path, *, wheel: str | None) -> list[dict]:
    """The three start-up rows for one installation: ``pvenum`` is how it is started, ``python``
    that installation's interpreter (the ``python3 -c pass`` reference). The wheel install's rows
    (``wheel``: the version of the pip that wrote its scripts) carry the targets; ``out``: where
    pydtc writes."""
    how = f"wheel install, pip {wheel}" if wheel else "editable install"
    base = [python, "-c", "pass"]

    def said(times: float, *text: str) -> dict:
        if wheel:
            return {"target": 1 / times, "note": "; ".join((*text, f"target: within {times:g}×"))}
        return {"note": "; ".join((*text, _EDITABLE))}

    s, r = best_pair_commands([*pvenum, "--version"], base, n, cwd)
    rows = [row(f"pvenum --version ({how})", s, "python3 -c pass", r, **said(1.5))]
    dtb = tiny_dtb()
    if Path(pydtc).exists():
        s, r = best_pair_commands([*pvenum, "inspect", str(dtb)], [pydtc, "unpack", str(dtb), "-o", str(out)], n, cwd)
        rows.append(row(f"pvenum inspect {dtb.name} ({dtb.stat().st_size} bytes; {how})", s,
                        "pydtc unpack (fdt package)", r, **said(1.5, "the same file")))
    else:
        rows.append(row(f"pvenum inspect {dtb.name} ({how})", None, "pydtc unpack", None,
                        note="fdt package not installed"))
    resolve = [*pvenum, "resolve", "azure-snp-paravisor"]
    run_quiet(resolve, cwd)  # the first ask in this context: stores the answer the timed runs read
    s, r = best_pair_commands(resolve, base, n, cwd)
    rows.append(row(f"pvenum resolve azure-snp-paravisor, asked again (answer stored; {how})", s, "python3 -c pass", r,
                    **said(4, "all four models, table: the answer the first run in this build and context "
                              "stored, read back from the per-user cache (pvenum/scenario/answers.py)")))
    if wheel:  # what the resolve row is made of: the floors under it, each against the same reference
        runs = itertools.count()

        def first_ask() -> None:  # a new environment each run: a context with no answer stored
            run_quiet(resolve, cwd, env={**os.environ, "PVENUM_BENCH_CONTEXT": str(next(runs))})

        s, r = best_pair(first_ask, lambda: run_quiet(base, cwd), n)
        rows.append(row(f"pvenum resolve azure-snp-paravisor, no answer stored ({how})", s, "python3 -c pass", r,
                        note="informative: asked in a new context (an environment variable's value), so resolved "
                             "and printed: the compiled platform read from the per-user cache "
                             "(pvenum/scenario/cache.py), the answer then stored"))
        s, r = best_pair_commands([*pvenum, "resolve", "azure-snp-paravisor", "--json"], base, n, cwd)
        rows.append(row(f"pvenum resolve azure-snp-paravisor --json ({how})", s, "python3 -c pass", r,
                        note="informative: the same resolve printed as JSON, which does not import rich"))
        for mods, what in _FLOORS:
            s, r = best_pair_commands([python, "-c", f"import {mods}"], base, n, cwd)
            rows.append(row(f"python3 -c 'import {mods}' ({how})", s, "python3 -c pass", r,
                            note=f"informative: {what}"))
    return rows


# Imports under the start-up rows, timed alone: what no change inside pvenum's own modules removes.
_FLOORS = (
    ("dataclasses, typing, pathlib", "the standard library pvenum's model classes, layouts and paths are "
                                     "declared with; `resolve` imports all three (reading a DTB, only "
                                     "dataclasses)"),
    ("rich.console, rich.table", "what the resolve table is drawn with on a terminal and on a pipe alike"),
)


def _own_cache(where: Path) -> Any:
    """Every timed command keeps its per-user cache (compiled platforms, stored answers) under
    ``where`` (XDG_CACHE_HOME, which pvenum/scenario/build_id.py reads): the rows measure what
    this run stored, not what the developer's earlier runs left in ~/.cache. Only around the
    rows: pip reads XDG_CACHE_HOME too, and the installs keep using the user's pip cache."""
    return mock.patch.dict(os.environ, {"XDG_CACHE_HOME": str(where)})


def run(quick: bool = False) -> list[dict]:
    n = 5 if quick else 20
    py = sys.executable
    pydtc = shutil.which("pydtc") or str(Path(py).with_name("pydtc"))
    with tempfile.TemporaryDirectory(prefix="pvenum-bench-startup-") as tmp:
        out = Path(tmp) / "pydtc.dts"
        cache = Path(tmp) / "cache"
        # As users get it: a wheel install in a virtualenv of its own, started by the `pvenum`
        # script pip writes, against that virtualenv's interpreter.
        with tree_install(FDT, pip=PIP) as wheel:
            bin_dir = Path(wheel.python).parent
            with _own_cache(cache):
                rows = _rows([str(bin_dir / "pvenum")], wheel.python, str(bin_dir / "pydtc"), n, wheel.root, out,
                             wheel=wheel.pip_version)
        # This checkout's editable install (`make test`), as the issue first measured it.
        with _own_cache(cache):
            rows += _rows([py, "-m", "pvenum"], py, pydtc, n, ROOT, out, wheel=None)
    return rows


if __name__ == "__main__":
    from run import main

    raise SystemExit(main(["startup", *sys.argv[1:]]))
