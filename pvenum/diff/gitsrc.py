"""``REV:path`` arguments: blobs and trees read straight from git into a temporary directory.

An argument is a git object name when it contains ``:`` and is not an existing path
(``HEAD~1:bundle/cpuid.kvm``, ``main:tests/data/x86/rows/snp``, ``:file`` for the index).
git runs with an argument list, a timeout and the current directory's repository. A blob is
written under its own base name (format detection looks at ``platform.toml``'s name); a tree
(a bundle directory) is written file by file as committed, bounded before anything is written,
its names checked so that none lands outside the temporary directory, symbolic links left out.
A blob that names files beside it (a scenario's ``base``, a DTS's ``/include/``s:
pvenum.formats.FormatSpec.reads_beside) is written into the tree of its directory, so that what
it names is found there and nowhere else, as in a ``REV:dir`` tree; when that tree cannot be
read (or the blob comes from the index, which holds no trees) it is written alone, and its
errors say why (:meth:`Checkout.explain`).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Iterator, Sequence

from .. import _io
from ..errors import LimitError, NotFound, PvenumError

GIT_TIMEOUT = 60


def is_git_spec(arg: str) -> bool:
    return ":" in arg and not Path(arg).exists()


def _exe(spec: str) -> str:
    exe = shutil.which("git")
    if exe is None:
        raise PvenumError("git is not installed; cannot read a REV:path argument", path=spec)
    return exe


def _git(args: list[str], spec: str, *, missing: type[PvenumError] = PvenumError) -> bytes:
    try:
        proc = subprocess.run([_exe(spec), *args], capture_output=True, cwd=os.getcwd(), timeout=GIT_TIMEOUT,
                              check=False)
    except subprocess.TimeoutExpired:
        raise PvenumError(f"git {args[0]} took longer than {GIT_TIMEOUT} s", path=spec) from None
    except OSError as err:
        raise PvenumError(f"cannot run git: {err}", path=spec) from None
    if proc.returncode != 0:
        lines = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        why = lines[0] if lines else f"exit status {proc.returncode}"
        raise missing(f"git {args[0]}: {why.removeprefix('fatal: ')}", path=spec)
    return proc.stdout


@contextlib.contextmanager
def _streamed(args: list[str], spec: str, stdin: Any = subprocess.DEVNULL) -> Iterator[Any]:
    """git's standard output as a stream, read as it comes (what is read is bounded by the
    reader); the process is killed at the timeout, and when the reader stops."""
    try:
        proc = subprocess.Popen([_exe(spec), *args], stdin=stdin, stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, cwd=os.getcwd())
    except OSError as err:
        raise PvenumError(f"cannot run git: {err}", path=spec) from None
    late = threading.Event()

    def stop() -> None:
        late.set()
        proc.kill()

    timer = threading.Timer(GIT_TIMEOUT, stop)
    timer.start()
    try:
        yield proc.stdout
        if proc.wait() != 0:
            raise PvenumError(f"git {args[0]}: exit status {proc.returncode}", path=spec)
    except PvenumError:
        if late.is_set():
            raise PvenumError(f"git {args[0]} took longer than {GIT_TIMEOUT} s", path=spec) from None
        raise
    finally:
        timer.cancel()
        proc.kill()
        proc.wait()
        proc.stdout.close()  # type: ignore[union-attr]


def _name(spec: str, default: str) -> str:
    path = spec.split(":", 1)[1]
    if path.startswith(("0:", "1:", "2:", "3:")) and spec.startswith(":"):  # :N:path (index stage)
        path = path[2:]
    name = PurePosixPath(path).name
    return name if name not in ("", ".", "..") else default


@dataclass(frozen=True)
class Checkout:
    """A ``REV:path`` written to the disk: ``path`` to read (a file or a directory), within
    ``tree``, the directory that what it names beside it must lie in. ``alone``: why a blob that
    names files beside it was written without them (its messages say so)."""

    path: str
    tree: str
    alone: str | None = None

    def explain(self, err: PvenumError, spec: str) -> PvenumError:
        """``err`` naming ``spec``, never the temporary checkout, and saying why a blob was alone."""
        err.shown_as(self.path, spec)
        if self.alone is not None:
            err.message += f" ({spec} was read alone: {self.alone})"
        return err


def checkout(spec: str, dest: Path, *, beside: bool = True) -> Checkout:
    """Write the git object ``spec`` (a blob or a tree) under ``dest``. A blob that names files
    beside it (``beside``) is written into the tree of its directory."""
    if spec.startswith("-"):  # git would read it as an option
        raise PvenumError("a REV:path cannot start with '-'", path=spec)
    # A revision or path that git does not have is a nonexistent path (exit 2).
    kind = _git(["cat-file", "-t", spec], spec, missing=NotFound).decode().strip()
    if kind == "tree":
        out = dest / _name(spec, "tree")
        _write_tree(spec, out)
        return Checkout(str(out), str(out))
    if kind != "blob":
        raise PvenumError(f"is a git {kind}, not a file or directory; write REV:path", path=spec)
    size = int(_git(["cat-file", "-s", spec], spec).decode().strip() or 0)
    if size > _io.MAX_INPUT_BYTES:
        raise LimitError("git", f"blob larger than the {_io.MAX_INPUT_BYTES}-byte input limit", path=spec)
    data = _git(["cat-file", "blob", spec], spec)
    name = _name(spec, "blob")
    alone = None
    if beside and _reads_beside(data, name):
        parent = _parent_tree(spec)
        if parent is None:
            alone = "the index holds files, not the trees they lie in"
        else:
            tree = dest / "tree"
            try:
                _write_tree(parent, tree)
            except PvenumError as err:
                alone = f"its directory {parent} could not be read ({err.message})"
            else:
                own = tree / name
                if own.is_file() and not own.is_symlink() and own.read_bytes() == data:
                    return Checkout(str(own), str(tree))
                alone = f"{parent} does not hold it"
    out = dest / "blob" / name  # never inside the tree above
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    return Checkout(str(out), str(out.parent), alone)


def _parent_tree(spec: str) -> str | None:
    """``REV:dir/`` of a blob's ``REV:dir/name``; None for the index (``:path``, ``:N:path``),
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


# Tree entries as ``git ls-tree -l`` lists them: mode, type, object id, size, then a TAB.
_REGULAR_MODES = (b"100644", b"100755")  # not a symbolic link (120000) nor a submodule (160000)


def _write_tree(spec: str, out: Path) -> None:
    """Every regular file of the tree ``spec`` under ``out``: listed first (``git ls-tree``,
    read entry by entry), so that the count and the bytes are bounded before anything is
    written, then read as committed (``git cat-file --batch``: no .gitattributes filter,
    export-ignore or ident, as ``git archive`` would apply). Symbolic links and submodules are
    left out. From below the top of a work tree git lists only what lies under the current
    directory unless told ``--full-tree``; the tree is resolved once, where a "./" path means
    what the user meant."""
    oid = _git(["rev-parse", "--verify", spec], spec).decode().strip()
    files: list[tuple[bytes, int, str]] = []
    total = 0
    with _streamed(["ls-tree", "-r", "-z", "-l", "--full-tree", oid], spec) as stream:
        for entry in _entries(stream, spec):
            meta, tab, raw = entry.partition(b"\t")
            fields = meta.split()
            if not tab or len(fields) != 4 or fields[1] != b"blob" or fields[0] not in _REGULAR_MODES \
                    or not fields[3].isdigit():
                continue
            rel = os.fsdecode(raw)
            if any(part in ("", ".", "..") for part in rel.split("/")):
                raise PvenumError(f"the tree names a file {rel!r}, which no checkout can hold", path=spec)
            files.append((fields[2], int(fields[3]), rel))
            total += int(fields[3])
            if len(files) > _io.MAX_DIR_FILES:
                raise LimitError("git", f"more than {_io.MAX_DIR_FILES} files", path=spec)
            if total > 4 * _io.MAX_INPUT_BYTES:
                raise LimitError("git", f"tree larger than {4 * _io.MAX_INPUT_BYTES} bytes", path=spec)
    out.mkdir(parents=True, exist_ok=True)
    if files:
        _cat_files(files, out, spec)


_MAX_ENTRY = 64 * 1024  # an ls-tree entry: its fields and a path (PATH_MAX is 4096)


def _entries(stream: Any, spec: str) -> Iterator[bytes]:
    """The NUL-terminated entries of ``stream``, each bounded."""
    rest = b""
    while chunk := stream.read(1 << 16):
        *done, rest = (rest + chunk).split(b"\0")
        yield from done
        if len(rest) > _MAX_ENTRY:
            raise LimitError("git", f"a tree entry longer than {_MAX_ENTRY} bytes", path=spec)
    if rest:
        yield rest


def _cat_files(files: list[tuple[bytes, int, str]], out: Path, spec: str) -> None:
    """The blobs ``(object id, size, relative path)`` written under ``out``, read from one
    ``git cat-file --batch`` (its ids from a file: no pipe to deadlock on), each checked to be
    the object and the size listed."""
    ids = out.parent / f".{out.name}.ids"
    try:
        ids.write_bytes(b"".join(oid + b"\n" for oid, _, _ in files))
        with open(ids, "rb") as stdin, _streamed(["cat-file", "--batch"], spec, stdin) as stream:
            for oid, size, rel in files:
                head = stream.readline(200).split()
                if head != [oid, b"blob", str(size).encode()]:
                    raise PvenumError(f"git cat-file: {rel!r} is not the blob the tree lists", path=spec)
                target = out / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                with open(target, "xb") as fh:
                    left = size
                    while left:
                        chunk = stream.read(min(left, 1 << 20))
                        if not chunk:
                            raise PvenumError(f"git cat-file: {rel!r} ended early", path=spec)
                        fh.write(chunk)
                        left -= len(chunk)
                stream.read(1)  # the newline after each object
    except OSError as err:
        raise PvenumError(f"cannot write the tree's file: {err}", path=spec) from None
    finally:
        ids.unlink(missing_ok=True)


@contextlib.contextmanager
def materialize(args: Sequence[str], *, beside: bool = True) -> Iterator[list[Checkout | None]]:
    """For each argument, None (use it as given) or its checkout, when it is a REV:path
    (``beside``: a blob with what it names beside it, :func:`checkout`)."""
    tmp: str | None = None
    paths: list[Checkout | None] = []
    try:
        for i, arg in enumerate(args):
            if not is_git_spec(arg):
                paths.append(None)
                continue
            if tmp is None:
                tmp = tempfile.mkdtemp(prefix="pvenum-git-")
            paths.append(checkout(arg, Path(tmp) / str(i), beside=beside))
        yield paths
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
