"""``REV:path`` arguments: blobs and trees read straight from git into a temporary directory.

An argument is a git object name when it contains ``:`` and is not an existing path
(``HEAD~1:bundle/cpuid.kvm``, ``main:tests/data/x86/rows/snp``, ``:file`` for the index).
git runs with an argument list, a timeout and the current directory's repository. A blob is
written under its own base name (format detection looks at ``platform.toml``'s name); a tree
(a bundle directory) is unpacked from ``git archive`` with tarfile's ``data`` filter, so no
member can land outside the temporary directory. A blob that names files beside it (a
scenario's ``base``, a DTS's ``/include/``s: pvenum.formats.FormatSpec.reads_beside) is read
from the tree of its directory, unpacked the same way, so that what it names is found there and
nowhere else — as it would be in a ``REV:dir`` tree.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Iterator, Sequence

from .. import _io
from ..errors import LimitError, NotFound, PvenumError

GIT_TIMEOUT = 60


def is_git_spec(arg: str) -> bool:
    return ":" in arg and not Path(arg).exists()


def _git(args: list[str], spec: str, *, stdout: int | object = subprocess.PIPE,
         missing: type[PvenumError] = PvenumError, cwd: str | None = None) -> bytes:
    exe = shutil.which("git")
    if exe is None:
        raise PvenumError("git is not installed; cannot read a REV:path argument", path=spec)
    try:
        proc = subprocess.run([exe, *args], stdout=stdout, stderr=subprocess.PIPE, cwd=cwd or os.getcwd(),
                              timeout=GIT_TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        raise PvenumError(f"git {args[0]} took longer than {GIT_TIMEOUT} s", path=spec) from None
    except OSError as err:
        raise PvenumError(f"cannot run git: {err}", path=spec) from None
    if proc.returncode != 0:
        lines = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        why = lines[0] if lines else f"exit status {proc.returncode}"
        raise missing(f"git {args[0]}: {why.removeprefix('fatal: ')}", path=spec)
    return proc.stdout or b""


def _name(spec: str, default: str) -> str:
    path = spec.split(":", 1)[1]
    if path.startswith(("0:", "1:", "2:", "3:")) and spec.startswith(":"):  # :N:path (index stage)
        path = path[2:]
    name = PurePosixPath(path).name
    return name if name not in ("", ".", "..") else default


@dataclass(frozen=True)
class Checkout:
    """A ``REV:path`` written to the disk: ``path`` to read (a file or a directory), within
    ``tree``, the unpacked directory that what it names beside it must lie in."""

    path: str
    tree: str


def checkout(spec: str, dest: Path) -> Checkout:
    """Write the git object ``spec`` (a blob, with its directory's tree when it names files
    beside it, or a tree) under ``dest``."""
    if spec.startswith("-"):  # git would read it as an option
        raise PvenumError("a REV:path cannot start with '-'", path=spec)
    # A revision or path that git does not have is a nonexistent path (exit 2).
    kind = _git(["cat-file", "-t", spec], spec, missing=NotFound).decode().strip()
    dest.mkdir(parents=True, exist_ok=True)
    if kind == "blob":
        size = int(_git(["cat-file", "-s", spec], spec).decode().strip() or 0)
        if size > _io.MAX_INPUT_BYTES:
            raise LimitError("git", f"blob larger than the {_io.MAX_INPUT_BYTES}-byte input limit", path=spec)
        data = _git(["cat-file", "blob", spec], spec)
        name = _name(spec, "blob")
        parent = _parent_tree(spec)
        if parent is not None and _reads_beside(data, name):
            tree = _unpack_tree(parent, dest / "beside")  # never where the blob alone would go
            if (tree / name).is_file():  # the same blob, now among what lies beside it
                return Checkout(str(tree / name), str(tree))
        out = dest / name
        out.write_bytes(data)
        return Checkout(str(out), str(dest))
    if kind == "tree":
        out = _unpack_tree(spec, dest)
        return Checkout(str(out), str(out))
    raise PvenumError(f"is a git {kind}, not a file or directory; write REV:path", path=spec)


def _parent_tree(spec: str) -> str | None:
    """``REV:dir`` of a blob's ``REV:dir/name``; None for the index (``:path``, ``:N:path``),
    which holds files, not trees."""
    rev, _, path = spec.partition(":")
    if not rev:
        return None
    # The text before the last name, its "/" kept: "./" and "../" stay relative to the current
    # directory as git reads them, and "REV:" is the top of the tree.
    return f"{rev}:{path[:path.rfind('/') + 1]}"


def _reads_beside(data: bytes, name: str) -> bool:
    from ..formats import detect

    spec = detect(data, name)
    return spec is not None and spec.reads_beside(data)


def _unpack_tree(spec: str, dest: Path) -> Path:
    if not hasattr(tarfile, "data_filter"):  # Python 3.11.4 added extraction filters
        raise PvenumError("reading a git tree needs Python >= 3.11.4 (tarfile's data filter)", path=spec)
    dest.mkdir(parents=True, exist_ok=True)
    out = dest / _name(spec, "tree")
    tar_path = dest / ".archive.tar"
    # git archive run below the top of a work tree keeps only what lies under the current
    # directory (git-archive(1)): the tree is named by its object id, resolved here (where a
    # "./" path means what the user meant), and archived from the top (--show-cdup: "" there
    # and in a bare repository).
    oid = _git(["rev-parse", "--verify", spec], spec).decode().strip()
    top = os.path.join(os.getcwd(), _git(["rev-parse", "--show-cdup"], spec).decode().strip())
    with open(tar_path, "wb") as fh:
        _git(["archive", "--format=tar", oid], spec, stdout=fh, cwd=top)
    if tar_path.stat().st_size > 4 * _io.MAX_INPUT_BYTES:
        raise LimitError("git", "tree archive larger than the input limit", path=spec)
    with tarfile.open(tar_path) as tar:
        members = [m for m in tar.getmembers() if m.isfile() or m.isdir()]
        if len(members) > _io.MAX_DIR_FILES:
            raise LimitError("git", f"more than {_io.MAX_DIR_FILES} files", path=spec)
        tar.extractall(out, members=members, filter="data")
    tar_path.unlink()
    return out


@contextlib.contextmanager
def materialize(args: Sequence[str]) -> Iterator[list[Checkout | None]]:
    """For each argument, None (use it as given) or its checkout, when it is a REV:path."""
    tmp: str | None = None
    paths: list[Checkout | None] = []
    try:
        for i, arg in enumerate(args):
            if not is_git_spec(arg):
                paths.append(None)
                continue
            if tmp is None:
                tmp = tempfile.mkdtemp(prefix="pvenum-git-")
            paths.append(checkout(arg, Path(tmp) / str(i)))
        yield paths
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
