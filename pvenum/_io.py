"""File input and output with the promises of docs/contracts.md.

- Reads are bounded: no input file larger than :data:`MAX_INPUT_BYTES` is read into memory.
- Writes are atomic: a temporary file in the destination directory, fsync, then rename; a
  directory of outputs is assembled in a temporary sibling and renamed into place, so a
  failed build leaves nothing half-written.
- Output names never escape the chosen directory.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import Iterator

from .errors import LimitError, PvenumError

# The largest real artifacts are acpidump text of big servers (a few MiB) and kernel DTB
# corpora (< 1 MiB each). 64 MiB leaves room and still bounds a hostile file.
MAX_INPUT_BYTES = 64 * 1024 * 1024
# Directory walks stop here: a bundle or a sysfs tree has far fewer files.
MAX_DIR_FILES = 100_000
MAX_DIR_DEPTH = 64


def read_bytes(path: str | os.PathLike[str], *, limit: int = MAX_INPUT_BYTES) -> bytes:
    """Read a whole file, refusing more than ``limit`` bytes (sysfs files report size 0)."""
    p = Path(path)
    try:
        with open(p, "rb") as fh:
            data = fh.read(limit + 1)
    except IsADirectoryError:
        raise PvenumError("is a directory", path=str(p)) from None
    except OSError as err:
        raise PvenumError(f"cannot read: {err.strerror or err}", path=str(p)) from None
    if len(data) > limit:
        raise LimitError("file", f"larger than the {limit}-byte input limit", offset=limit, path=str(p))
    return data


GZIP_MAGIC = b"\x1f\x8b"


def gunzip(data: bytes, path: str, *, limit: int = MAX_INPUT_BYTES) -> bytes:
    """A gzip-compressed input (QEMU dumpdtb blobs are kept as .dtb.gz), inflated with the
    same size limit as any other input, so a zip bomb stops at ``limit`` bytes."""
    import zlib

    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = d.decompress(data, limit + 1)
    except zlib.error as err:
        raise LimitError("gzip", f"corrupt gzip data: {err}", offset=0, path=path) from None
    if len(out) > limit or d.unconsumed_tail:
        raise LimitError("gzip", f"inflates past the {limit}-byte input limit", offset=0, path=path)
    return out


def read_input(path: str | os.PathLike[str], *, limit: int = MAX_INPUT_BYTES) -> bytes:
    """read_bytes(), with gzip-compressed files inflated (bounded)."""
    data = read_bytes(path, limit=limit)
    if data[:2] == GZIP_MAGIC:
        data = gunzip(data, str(path), limit=limit)
    return data


def iter_files(root: str | os.PathLike[str]) -> Iterator[Path]:
    """Regular files under ``root`` in sorted order, bounded in count and depth, no symlink loops."""
    root = Path(root)
    count = 0
    seen: set[tuple[int, int]] = set()

    def walk(d: Path, depth: int) -> Iterator[Path]:
        nonlocal count
        if depth > MAX_DIR_DEPTH:
            raise LimitError("directory", f"nested deeper than {MAX_DIR_DEPTH} levels", path=str(d))
        try:
            st = d.stat()
        except OSError:
            return
        key = (st.st_dev, st.st_ino)
        if key in seen:
            return
        seen.add(key)
        try:
            entries = sorted(os.scandir(d), key=lambda e: e.name)
        except OSError as err:
            raise PvenumError(f"cannot list: {err.strerror or err}", path=str(d)) from None
        for entry in entries:
            p = Path(entry.path)
            if entry.is_dir():
                yield from walk(p, depth + 1)
            elif entry.is_file():
                count += 1
                if count > MAX_DIR_FILES:
                    raise LimitError("directory", f"more than {MAX_DIR_FILES} files", path=str(root))
                yield p

    yield from walk(root, 0)


def safe_join(directory: str | os.PathLike[str], name: str) -> Path:
    """``directory / name``, refusing names that would land outside ``directory``."""
    base = Path(directory).resolve()
    if not name or name.startswith(("/", "\\")) or "\x00" in name:
        raise PvenumError(f"refusing output name {name!r}")
    target = (base / name).resolve()
    if target != base and base not in target.parents:
        raise PvenumError(f"refusing output name {name!r}: it escapes {base}")
    return target


def _write_error(err: OSError, path: Path) -> PvenumError:
    """An output that could not be written, named by its destination (then what failed)."""
    what = f" ({err.filename})" if err.filename and Path(err.filename) != path else ""
    return PvenumError(f"cannot write: {err.strerror or err}{what}", path=str(path))


def atomic_write(path: str | os.PathLike[str], data: bytes | str) -> None:
    """Write ``data`` to ``path`` via a temporary file and a rename."""
    p = Path(path)
    raw = data.encode() if isinstance(data, str) else data
    tmp: str | None = None
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=p.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, p)
    except BaseException as err:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        if isinstance(err, OSError):
            raise _write_error(err, p) from None
        raise


@contextlib.contextmanager
def atomic_directory(path: str | os.PathLike[str], *, replace: bool = True) -> Iterator[Path]:
    """Yield a temporary directory beside ``path``; on success it becomes ``path``.

    On any exception the temporary directory is removed and ``path`` is left as it was; an
    OSError (no space, no permission, a file where a directory should be) becomes a PvenumError.
    """
    dest = Path(path)
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent))
    except OSError as err:
        raise _write_error(err, dest) from None
    try:
        yield tmp
        os.chmod(tmp, 0o755)
        if dest.exists():
            if not replace:
                raise PvenumError("exists; not replacing it", path=str(dest))
            old = dest.with_name(f".{dest.name}.old.{os.getpid()}")
            os.replace(dest, old)
            os.replace(tmp, dest)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, dest)
    except BaseException as err:
        shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(err, OSError):
            raise _write_error(err, dest) from None
        raise
