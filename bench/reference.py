"""The code of an earlier commit, installed in a temporary virtualenv, to time side by side.

``with reference_install("f08b4cf") as ref:`` exports the commit with ``git archive`` into a
temporary directory, makes a virtualenv there and ``pip install``s it (dependencies from the
same package index as `make test`); ``ref.python`` and ``ref.pvenum`` run it. Everything is
removed on exit.

``with tree_install("fdt==X.Y.Z") as ref:`` does the same for this tree as it stands (the
package, pyproject.toml and README copied first: pip would build in the source tree), a wheel
install as users get it: no editable-install finder on the interpreter's start-up. With
``pip="pip>=26"`` the virtualenv's own pip (the one ``python3 -m venv`` bundles) is first
upgraded, so that the console scripts are those a current pip writes.
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

    @property
    def pip_version(self) -> str:
        """The version of the pip that installed it (and wrote its console scripts)."""
        out = subprocess.run([self.python, "-m", "pip", "--version", "--disable-pip-version-check"],
                             check=True, capture_output=True, text=True, timeout=60).stdout
        return out.split()[1]  # "pip 26.3 from …"


def _install(root: Path, *packages: str, pip: str | None = None) -> None:
    """A virtualenv in ``root/venv`` with ``root/src`` and ``packages`` pip-installed into it,
    by ``pip`` (a requirement) when given, else by the pip the virtualenv came with."""
    subprocess.run([sys.executable, "-m", "venv", str(root / "venv")], check=True, timeout=300)
    quiet = dict(check=True, timeout=900, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    install = [str(root / "venv" / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    if pip is not None:
        subprocess.run([*install, "--upgrade", pip], **quiet)
    subprocess.run([*install, str(root / "src"), *packages], **quiet)


@contextlib.contextmanager
def _installed(prefix: str, label: str, fill: Callable[[Path], None], *packages: str,
               pip: str | None = None) -> Iterator[Reference]:
    """A temporary directory whose ``src`` ``fill`` writes, pip-installed (:func:`_install`)."""
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        root = Path(tmp)
        fill(root / "src")
        _install(root, *packages, pip=pip)
        yield Reference(label, root)


def reference_install(commit: str = BASELINE) -> ContextManager[Reference]:
    def fill(src: Path) -> None:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", commit],
                                 check=True, capture_output=True, timeout=120).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(src, filter="data")

    return _installed(f"pvenum-ref-{commit}-", commit, fill)


def tree_install(*packages: str, pip: str | None = None) -> ContextManager[Reference]:
    """This tree, working copy included, wheel-installed with ``packages`` beside it (by
    ``pip``, a requirement, when given)."""
    def fill(src: Path) -> None:
        shutil.copytree(ROOT / "pvenum", src / "pvenum", ignore=shutil.ignore_patterns("__pycache__"))
        for name in ("pyproject.toml", "README.md"):
            shutil.copy2(ROOT / name, src / name)

    return _installed("pvenum-tree-", "working tree", fill, *packages, pip=pip)
