"""Start-up, each against its reference command in the same run (issue 15 targets):
`pvenum --version` within 1.5× of `python3 -c pass`, `pvenum inspect` of a tiny DTB within
1.5× of the `fdt` package's `pydtc unpack` of the same file, `pvenum resolve SCENARIO` within
4× of `python3 -c pass`.

The targets are measured on a wheel install of this tree in a temporary virtualenv (as
`pip install` leaves pvenum for its users). The same rows on this checkout's editable install
follow for comparison only: there every interpreter start imports the editable finder, the
reference's `python3 -c pass` included, and that shared cost draws each ratio towards 1."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from common import ROOT, best_pair_commands, row
from reference import tree_install

FDT = "fdt==0.3.3"  # the reference `pydtc`, as pyproject.toml's test extra pins it


def tiny_dtb() -> Path:
    return ROOT / "tests" / "data" / "fdt" / "dts" / "realm-guest.dtb"


def _rows(pvenum: list[str], python: str, pydtc: str, n: int, cwd: Path, *, how: str, targets: bool,
          note: str) -> list[dict]:
    """The three start-up rows for one installation: ``pvenum`` is how it is started, ``python``
    that installation's interpreter (the ``python3 -c pass`` reference)."""
    base = [python, "-c", "pass"]

    def within(times: float) -> dict:
        return {"target": 1 / times} if targets else {}

    def said(text: str) -> str:
        return "; ".join(t for t in (text, note) if t)

    s, r = best_pair_commands([*pvenum, "--version"], base, n, cwd)
    rows = [row(f"pvenum --version ({how})", s, "python3 -c pass", r, **within(1.5),
                note=said("target: within 1.5×" if targets else ""))]
    dtb = tiny_dtb()
    if Path(pydtc).exists():
        out = Path("/tmp/pvenum-bench-pydtc.dts")
        s, r = best_pair_commands([*pvenum, "inspect", str(dtb)], [pydtc, "unpack", str(dtb), "-o", str(out)], n, cwd)
        rows.append(row(f"pvenum inspect {dtb.name} ({dtb.stat().st_size} bytes; {how})", s,
                        "pydtc unpack (fdt package)", r, **within(1.5),
                        note=said("the same file" + ("; target: within 1.5×" if targets else ""))))
    else:
        rows.append(row(f"pvenum inspect {dtb.name} ({how})", None, "pydtc unpack", None,
                        note="fdt package not installed"))
    s, r = best_pair_commands([*pvenum, "resolve", "azure-snp-paravisor"], base, n, cwd)
    rows.append(row(f"pvenum resolve azure-snp-paravisor (all four models, table; {how})", s, "python3 -c pass", r,
                    **within(4),
                    note=said(("target: within 4×; " if targets else "") +
                              "the compiled catalog platform read from the per-user cache "
                              "(pvenum/scenario/cache.py), which the first run fills")))
    return rows


def run(quick: bool = False) -> list[dict]:
    n = 5 if quick else 20
    py = sys.executable
    # As users get it: a wheel install in a virtualenv of its own, started by the `pvenum` script
    # pip writes, against that virtualenv's interpreter. These rows carry the targets.
    with tree_install(FDT) as wheel:
        bin_dir = Path(wheel.python).parent
        rows = _rows([str(bin_dir / "pvenum")], wheel.python, str(bin_dir / "pydtc"), n, wheel.root,
                     how="wheel install", targets=True, note="")
    # This checkout's editable install (`make test`), as the issue first measured it: the
    # interpreter's start-up imports the editable install's finder (a .pth hook) on both sides,
    # which adds the same milliseconds to each and so flatters every ratio.
    pydtc = shutil.which("pydtc") or str(Path(py).with_name("pydtc"))
    rows += _rows([py, "-m", "pvenum"], py, pydtc, n, ROOT, how="editable install", targets=False,
                  note="every start-up here, the reference's too, first imports the editable "
                       "install's finder: for comparison, not a target")
    return rows


if __name__ == "__main__":
    from run import main

    raise SystemExit(main(["startup", *sys.argv[1:]]))
