"""What pvenum's per-user cache keys its entries on, and where it keeps them: the build (pvenum's
and Python's versions and every file of the installed package), the catalog's scenario files,
the cache directory, entry names and their pruning.

Both caches read this: compiled catalog platforms (cache.py) and stored answers of
`pvenum resolve NAME` (answers.py). It imports nothing beyond os, sys and zlib (no pathlib,
typing or re), so that an answer found in the cache costs little more than the interpreter's
own start.
"""

from __future__ import annotations

import os
import sys
import zlib

from .._version import __version__

PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
# The catalog's files, beside the package's own (an installed or editable package is a
# directory): read directly rather than through importlib.resources, whose import costs a
# `pvenum resolve NAME` more than the rest of it.
CATALOG_DIR = os.path.join(PACKAGE_DIR, "fixtures", "scenarios")
CATALOG_LABEL = "pvenum/fixtures/scenarios"


def cache_dir(kind: str) -> str | None:
    """``$XDG_CACHE_HOME/pvenum/<kind>`` (``~/.cache`` by default); None when
    ``PVENUM_NO_CACHE`` is set or the variable is relative (invalid in XDG, so ignored)."""
    if os.environ.get("PVENUM_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    if not os.path.isabs(base):
        return None
    return os.path.join(base, "pvenum", kind)


def catalog_source(name: str) -> tuple[str, str] | None:
    """``(text, label)`` of the catalog file named after scenario ``name``, unparsed (catalog
    files are named after their scenario; whether this one is, parsing tells), or None."""
    if not name.replace("-", "").replace("_", "").replace(".", "").isalnum() or name.startswith("."):
        return None
    try:
        with open(os.path.join(CATALOG_DIR, f"{name}.toml"), encoding="utf-8") as f:
            text = f.read()
    except OSError:  # no such file (or not one): the name may still be another file's scenario
        return None
    return text, f"{CATALOG_LABEL}/{name}.toml"


def tree_fingerprint(root: str) -> str:
    """Every file under ``root`` (``__pycache__`` aside): relative path, size, mtime."""
    lines: list[str] = []
    pending = [""]
    while pending:  # os.scandir: the directory entries without a stat of their own
        rel = pending.pop()
        with os.scandir(os.path.join(root, rel)) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    if entry.name != "__pycache__":
                        pending.append(f"{rel}{entry.name}{os.sep}")
                    continue
                st = entry.stat()
                lines.append(f"{rel}{entry.name}\0{st.st_size}\0{st.st_mtime_ns}\n")
    lines.sort()
    return "".join(lines)


def package_fingerprint() -> str:
    """pvenum's own files (:func:`tree_fingerprint`): an edited source tree is a different build."""
    return tree_fingerprint(PACKAGE_DIR)


def build(form: int, name: str, text: str) -> str:
    """What a result about scenario ``name`` read from ``text`` depends on in this build, with
    ``form``, the shape of what the caller stores (bumped when that changes)."""
    return f"{form}\0{__version__}\0{sys.version}\0{name}\0{text}\0{package_fingerprint()}"


def entry_name(name: str, key: str, suffix: str) -> str:
    """``<name>-<CRC of key>`` + ``suffix``: spreads builds over files without loading a
    cryptographic hash on every start (each entry records its whole key, compared on reading)."""
    return f"{name}-{zlib.crc32(key.encode('utf-8', 'surrogateescape')):08x}{suffix}"


def open_entry(path: str) -> int:
    """A descriptor of entry ``path``, opened without following a symlink or waiting on a FIFO
    (its fstat then tells :func:`own_entry` what it is); OSError when there is none."""
    return os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))


def own_entry(st: os.stat_result, max_size: int | None = None) -> bool:
    """Whether an opened entry (its fstat) may be read: a regular file this user owns that nobody
    else can have changed since it was written (no group/other write bit), of a size an entry has."""
    return (st.st_mode & 0o170000 == 0o100000 and st.st_uid == os.getuid() and not st.st_mode & 0o022
            and (max_size is None or st.st_size <= max_size))


def store(path: str, data: bytes, name: str, suffix: str, keep: int) -> None:
    """Write entry ``path`` of scenario ``name`` atomically, then :func:`prune` that scenario's
    entries; a cache directory that cannot be written, or an entry another user owns, is left
    alone (the command ran uncached)."""
    from .._output import atomic_write  # only to write: a read needs neither
    from ..errors import PvenumError

    try:
        if os.lstat(path).st_uid != os.getuid():
            return  # another user's file, however it came here: never replaced
    except OSError:
        pass  # none yet
    try:
        atomic_write(path, data)
    except PvenumError:
        return
    prune(path, name, suffix, keep)


def _is_entry_of(file_name: str, name: str, suffix: str) -> bool:
    crc = file_name[len(name) + 1:-len(suffix)]
    return (file_name.startswith(f"{name}-") and file_name.endswith(suffix) and len(crc) == 8
            and all(c in "0123456789abcdef" for c in crc))


# A store's temporary file (pvenum._output.atomic_write: ".ENTRY.XXXXXXXX.tmp") lives for the
# milliseconds of one write; one this old was left by a run killed while writing.
STALE_TEMP_NS = 3600 * 10**9


def _is_temp_of(file_name: str, name: str, suffix: str) -> bool:
    """Whether ``file_name`` is atomic_write's temporary file for an entry of scenario ``name``."""
    from .._output import temp_target  # pruning follows a store, which loaded it

    target = temp_target(file_name)
    return target is not None and _is_entry_of(target, name, suffix)


def prune(stored: str, name: str, suffix: str, keep: int) -> None:
    """Remove the entries of scenario ``name`` beyond the ``keep`` newest (``stored`` itself
    always stays), and their temporary files older than :data:`STALE_TEMP_NS`: files of
    ``stored``'s directory named as :func:`entry_name` (and atomic_write) name them, and owned
    by this user; anything else is left alone."""
    import time  # only when storing

    where, own = os.path.split(stored)
    entries: list[tuple[int, str]] = []
    stale: list[str] = []
    try:
        with os.scandir(where) as it:
            for entry in it:
                if entry.name == own:
                    continue
                kept = _is_entry_of(entry.name, name, suffix)
                if (kept or _is_temp_of(entry.name, name, suffix)) and entry.is_file(follow_symlinks=False):
                    st = entry.stat(follow_symlinks=False)
                    if st.st_uid != os.getuid():
                        continue
                    if kept:
                        entries.append((st.st_mtime_ns, entry.path))
                    elif time.time_ns() - st.st_mtime_ns > STALE_TEMP_NS:
                        stale.append(entry.path)
        entries.sort(reverse=True)
    except OSError:
        return  # the directory is not ours to read: leave it
    for old in [p for _, p in entries[keep - 1:]] + stale:
        try:
            os.unlink(old)
        except OSError:
            pass  # another run pruned it first, or it is not ours to remove
