"""The code of an earlier commit, installed in a temporary virtualenv, to time side by side.

``with reference_install("f08b4cf") as ref:`` exports the commit with ``git archive`` into a
temporary directory, makes a virtualenv there and ``pip install``s it (dependencies from the
same package index as `make test`); ``ref.python`` and ``ref.pvenum`` run it. Everything is
removed on exit.

``with tree_install("fdt==0.3.3") as ref:`` does the same for this tree as it stands (the
package, pyproject.toml and README copied first: pip would build in the source tree), a wheel
install as users get it: no editable-install finder on the interpreter's start-up.
"""

from __future__ import annotations

import contextlib
import io
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, ContextManager, Iterator

from common import ROOT

BASELINE = "f08b4cf"  # main before the round of issues that made resolving and auditing fast


@dataclass
class Reference:
    commit: str
    root: Path

    @property
    def python(self) -> str:
        return str(self.root / "venv" / "bin" / "python")

    @property
    def pvenum(self) -> list[str]:
        return [self.python, "-m", "pvenum"]


def _install(root: Path, *packages: str) -> None:
    """A virtualenv in ``root/venv`` with ``root/src`` and ``packages`` pip-installed into it."""
    subprocess.run([sys.executable, "-m", "venv", str(root / "venv")], check=True, timeout=300)
    subprocess.run([str(root / "venv" / "bin" / "python"), "-m", "pip", "install", "-q",
                    "--disable-pip-version-check", str(root / "src"), *packages],
                   check=True, timeout=900, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@contextlib.contextmanager
def _installed(prefix: str, label: str, fill: Callable[[Path], None], *packages: str) -> Iterator[Reference]:
    """A temporary directory whose ``src`` ``fill`` writes, pip-installed (:func:`_install`)."""
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        root = Path(tmp)
        fill(root / "src")
        _install(root, *packages)
        yield Reference(label, root)


def reference_install(commit: str = BASELINE) -> ContextManager[Reference]:
    def fill(src: Path) -> None:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", commit],
                                 check=True, capture_output=True, timeout=120).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(src, filter="data")

    return _installed(f"pvenum-ref-{commit}-", commit, fill)


def tree_install(*packages: str) -> ContextManager[Reference]:
    """This tree, working copy included, wheel-installed with ``packages`` beside it."""
    def fill(src: Path) -> None:
        shutil.copytree(ROOT / "pvenum", src / "pvenum", ignore=shutil.ignore_patterns("__pycache__"))
        for name in ("pyproject.toml", "README.md"):
            shutil.copy2(ROOT / name, src / name)

    return _installed("pvenum-tree-", "working tree", fill, *packages)
