"""``REV:path`` arguments: blobs and trees read straight from git into a temporary directory.

An argument is a git object name when it contains ``:`` and is not an existing path
(``HEAD~1:bundle/cpuid.kvm``, ``main:tests/data/x86/rows/snp``, ``:file`` for the index).
git runs with an argument list, a timeout and the current directory's repository. A blob is
written under its own base name (format detection looks at ``platform.toml``'s name); a tree
(a bundle directory) is unpacked from ``git archive`` with tarfile's ``data`` filter, so no
member can land outside the temporary directory.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path, PurePosixPath
from typing import Iterator, Sequence

from .. import _io
from ..errors import LimitError, NotFound, PvenumError

GIT_TIMEOUT = 60


def is_git_spec(arg: str) -> bool:
    return ":" in arg and not Path(arg).exists()


def _git(args: list[str], spec: str, *, stdout: int | object = subprocess.PIPE,
         missing: type[PvenumError] = PvenumError) -> bytes:
    exe = shutil.which("git")
    if exe is None:
        raise PvenumError("git is not installed; cannot read a REV:path argument", path=spec)
    try:
        proc = subprocess.run([exe, *args], stdout=stdout, stderr=subprocess.PIPE, cwd=os.getcwd(),
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


def checkout(spec: str, dest: Path) -> Path:
    """Write the git object ``spec`` (a blob or a tree) under ``dest``; return its path."""
    if spec.startswith("-"):  # git would read it as an option
        raise PvenumError("a REV:path cannot start with '-'", path=spec)
    # A revision or path that git does not have is a nonexistent path (exit 2).
    kind = _git(["cat-file", "-t", spec], spec, missing=NotFound).decode().strip()
    dest.mkdir(parents=True, exist_ok=True)
    if kind == "blob":
        size = int(_git(["cat-file", "-s", spec], spec).decode().strip() or 0)
        if size > _io.MAX_INPUT_BYTES:
            raise LimitError("git", f"blob larger than the {_io.MAX_INPUT_BYTES}-byte input limit", path=spec)
        out = dest / _name(spec, "blob")
        out.write_bytes(_git(["cat-file", "blob", spec], spec))
        return out
    if kind == "tree":
        if not hasattr(tarfile, "data_filter"):  # Python 3.11.4 added extraction filters
            raise PvenumError("reading a git tree needs Python >= 3.11.4 (tarfile's data filter)", path=spec)
        out = dest / _name(spec, "tree")
        tar_path = dest / ".archive.tar"
        with open(tar_path, "wb") as fh:
            _git(["archive", "--format=tar", spec], spec, stdout=fh)
        if tar_path.stat().st_size > 4 * _io.MAX_INPUT_BYTES:
            raise LimitError("git", "tree archive larger than the input limit", path=spec)
        with tarfile.open(tar_path) as tar:
            members = [m for m in tar.getmembers() if m.isfile() or m.isdir()]
            if len(members) > _io.MAX_DIR_FILES:
                raise LimitError("git", f"more than {_io.MAX_DIR_FILES} files", path=spec)
            tar.extractall(out, members=members, filter="data")
        tar_path.unlink()
        return out
    raise PvenumError(f"is a git {kind}, not a file or directory; write REV:path", path=spec)


@contextlib.contextmanager
def materialize(args: Sequence[str]) -> Iterator[list[str | None]]:
    """For each argument, the path to read: None (use it as given) or a checkout of REV:path."""
    tmp: str | None = None
    paths: list[str | None] = []
    try:
        for i, arg in enumerate(args):
            if not is_git_spec(arg):
                paths.append(None)
                continue
            if tmp is None:
                tmp = tempfile.mkdtemp(prefix="pvenum-git-")
            paths.append(str(checkout(arg, Path(tmp) / str(i))))
        yield paths
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
