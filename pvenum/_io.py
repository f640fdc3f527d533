"""Reading files, with the promises the README makes.

- Reads are bounded: no input file larger than :data:`MAX_INPUT_BYTES` is read into memory.
- Directory walks are bounded in files and depth, never follow a symlink loop, and go in the
  order a listing numbers its files in (:func:`natural_key`).

Writing (atomic files, output directories) is pvenum/_output.py.
"""

from __future__ import annotations

import os
import re
import stat
from functools import lru_cache
from itertools import islice

from .errors import LimitError, NotFound, PvenumError

# typing and pathlib are not imported at run time: every command that reads a file starts here,
# and `pvenum inspect`'s start-up is timed against pydtc's (bench/bench_startup.py). Type
# checkers take TYPE_CHECKING = False as always true.
TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from pathlib import Path
    from typing import Callable, Iterator

# The largest real artifacts are acpidump text of big servers (a few MiB) and kernel DTB
# corpora (< 1 MiB each). 64 MiB leaves room and still bounds a hostile file.
MAX_INPUT_BYTES = 64 * 1024 * 1024
# Directory walks stop here: a bundle or a sysfs tree has far fewer files.
MAX_DIR_FILES = 100_000
MAX_DIR_DEPTH = 64


def read_fd(fd: int, limit: int) -> bytes:
    """At most ``limit + 1`` bytes of an open file descriptor, in reads sized from its length:
    one ``read(limit + 1)`` would allocate the whole limit (64 MiB) for every small file. sysfs
    and procfs files report a size that is not theirs (4096, or 0), so the size is a first
    guess, not a bound."""
    size = os.fstat(fd).st_size
    want = min(limit + 1, size + 1 if size else 65536)
    chunks: list[bytes] = []
    total = 0
    while total <= limit:
        asked = min(want, limit + 1 - total)
        chunk = os.read(fd, asked)
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
        # A full read means more may follow: read on in bigger steps. A short one is the end
        # of a regular file, but a pseudo-file or pipe may give a page at a time: ask for a
        # page. (Each read allocates what it asks for: a 1 MiB probe after every small file
        # cost a transient MiB and an mmap/munmap per file.)
        want = 1 << 20 if len(chunk) == asked else 4096
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def read_bytes(path: str | os.PathLike[str], *, limit: int = MAX_INPUT_BYTES, regular: bool = False,
               within: Within | None = None) -> bytes:
    """Read a whole file, refusing more than ``limit`` bytes (sysfs files report a size of 4096
    or 0). Through a bare descriptor: a fleet audit reads a dozen small files per bundle, and a
    buffered file object costs three times the reads themselves. ``regular`` and ``within``:
    see :func:`open_input`."""
    fd = open_input(path, regular=regular, within=within)
    try:
        return read_open(fd, path, limit)
    finally:
        os.close(fd)


def open_input(path: str | os.PathLike[str], *, regular: bool = False, within: Within | None = None) -> int:
    """A descriptor open for reading ``path`` (the caller closes it). ``regular``: refuse
    anything but a regular file, for a path a file under audit names (a FIFO would block the
    open, a device never end). Such a file is refused before it is opened (opening a device may
    act: a watchdog arms), and checked again once open, without blocking (a FIFO put in its
    place meanwhile is refused, not waited on). ``within``: the file opened must lie in that
    directory (:meth:`Within.check_open`), checked on the descriptor, after the one open: a
    link swapped in after a walk looked at the name cannot lead the read out."""
    where = os.fspath(path)
    try:
        if regular and (kind := _kind(os.stat(path).st_mode)) is not None:
            raise PvenumError(f"is a {kind}, not a regular file", path=where)
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC | (os.O_NONBLOCK if regular else 0))
        try:
            if regular and (kind := _kind(os.fstat(fd).st_mode)) is not None:
                raise PvenumError(f"is a {kind}, not a regular file", path=where)
            if within is not None:
                within.check_open(fd, where)
        except BaseException:
            os.close(fd)
            raise
    except OSError as err:
        raise _read_error(err, where) from None
    except ValueError:  # a NUL byte, which no path holds
        raise NotFound("no such file", path=where) from None
    return fd


def read_open(fd: int, path: str | os.PathLike[str], limit: int = MAX_INPUT_BYTES) -> bytes:
    """:func:`read_fd` of a descriptor :func:`open_input` gave, its errors naming ``path``, and
    more than ``limit`` bytes a LimitError."""
    try:
        data = read_fd(fd, limit)
    except OSError as err:
        raise _read_error(err, os.fspath(path)) from None
    if len(data) > limit:
        raise LimitError("file", f"larger than the {limit}-byte input limit", offset=limit, path=os.fspath(path))
    return data


def _read_error(err: OSError, path: str) -> PvenumError:
    if isinstance(err, IsADirectoryError):  # open(2) of a directory succeeds; read(2) says EISDIR
        return PvenumError("is a directory", path=path)
    if isinstance(err, FileNotFoundError):
        return NotFound("no such file", path=path)
    return PvenumError(f"cannot read: {err.strerror or err}", path=path)


GZIP_MAGIC = b"\x1f\x8b"


# Members one gzip input may hold: ``cat a.gz b.gz`` makes a few; empty members cost nothing to
# write and inflate to nothing, so only a count bounds the loop.
MAX_GZIP_MEMBERS = 1024
_GZIP_CHUNK = 1 << 16  # fed to zlib at a time: what it copies into unused_data stays this small


def gunzip(data: bytes, path: str, *, limit: int = MAX_INPUT_BYTES) -> bytes:
    """A gzip-compressed input (QEMU dumpdtb blobs are kept as .dtb.gz), inflated with the
    same size limit as any other input, so a zip bomb stops at ``limit`` bytes. Read as gzip(1)
    reads it: members one after another (``cat a.gz b.gz``), zero bytes after the last ignored
    (padding); a member cut before its end (its CRC and size trailer) or other bytes after the
    last member are an error, never a shorter input read as if whole."""
    import zlib

    view = memoryview(data)
    out = bytearray()
    at = 0
    for _ in range(MAX_GZIP_MEMBERS):
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        while not d.eof and at < len(data):
            chunk = view[at:at + _GZIP_CHUNK]
            try:
                out += d.decompress(chunk, limit + 1 - len(out))
            except zlib.error as err:
                raise LimitError("gzip", f"corrupt gzip data: {err}", offset=at, path=path) from None
            if len(out) > limit or d.unconsumed_tail:
                raise LimitError("gzip", f"inflates past the {limit}-byte input limit", offset=0, path=path)
            at += len(chunk) - len(d.unused_data)
        if not d.eof:
            raise LimitError("gzip", "truncated: the compressed data ends before the gzip member does "
                                     "(no end of stream, CRC or size)", offset=len(data), path=path)
        if data[at:at + 2] == GZIP_MAGIC:
            continue
        if data.count(0, at) == len(data) - at:  # nothing more, or zero padding
            return bytes(out)
        raise LimitError("gzip", "bytes after the last gzip member", offset=at, path=path)
    raise LimitError("gzip", f"more than {MAX_GZIP_MEMBERS} gzip members", offset=at, path=path)


def read_input(path: str | os.PathLike[str], *, limit: int = MAX_INPUT_BYTES, regular: bool = False,
               within: Within | None = None) -> bytes:
    """read_bytes(), with gzip-compressed files inflated (bounded)."""
    return inflate(read_bytes(path, limit=limit, regular=regular, within=within), str(path), limit=limit)


def inflate(data: bytes, path: str, *, limit: int = MAX_INPUT_BYTES) -> bytes:
    """A file's bytes as stored, as read_input() gives them: gzip inflated (bounded)."""
    return gunzip(data, path, limit=limit) if data[:2] == GZIP_MAGIC else data


_DIGITS = re.compile(r"0*([0-9]+)")


def _number(m: re.Match[str]) -> str:
    # A digit run as "0", its length without leading zeros, then those digits: every character
    # that is no digit sorts below "0" or above "9", so the run still sorts against one as a
    # digit does, and two runs at one place sort by length, then digit by digit: by value.
    digits = m.group(1).lstrip("0")
    return "0" + chr(0x30 + len(digits)) + digits


@lru_cache(maxsize=4096)  # a fleet's bundles repeat the same few dozen names
def natural_key(name: str) -> tuple[str, str]:
    """Sort key of a file name: byte order (code point order), except that where two names
    both hold a number at the same place, the numbers compare by value, so SSDT2 comes before
    SSDT10. Linux names the tables of a repeated signature by their instance, counted in table
    order (SSDT1, SSDT2, …: drivers/acpi/sysfs.c, acpi_table_attr_init()), and ``acpidump -b``
    appends the instance the same way (ssdt.dat, ssdt1.dat, …: ACPICA
    source/tools/acpidump/apfiles.c, ApWriteToBinaryFile(), acpica/acpica 0da8ed26), so this
    is the order the tables were found in. Names without numbers keep byte order (cpuid-x
    before cpuid.kvm), as do a number against other text (mcfg.dat.gz before mcfg1.dat.gz).
    Numbers equal in value (a01, a1) fall back to the name itself. Converts no digits to int:
    a run of any length costs its length."""
    return _DIGITS.sub(_number, name), name


def listing(d: str | os.PathLike[str], limit: int | None, *, fmt: str = "directory") -> list[os.DirEntry[str]]:
    """The entries of directory ``d``, unsorted; past ``limit`` of them a LimitError, raised
    before the listing is held whole or sorted (None: no bound, for a fleet's own tree). A
    directory that cannot be listed is a PvenumError naming it."""
    try:
        with os.scandir(d) as entries:
            found = list(entries if limit is None else islice(entries, limit + 1))
    except OSError as err:
        raise PvenumError(f"cannot list: {err.strerror or err}", path=os.fspath(d)) from None
    if limit is not None and len(found) > limit:
        raise LimitError(fmt, f"more than {limit} entries", path=os.fspath(d))
    return found


def sorted_listing(d: str | os.PathLike[str], limit: int | None) -> list[os.DirEntry[str]]:
    """:func:`listing` in natural order (:func:`natural_key`: machine2 before machine10)."""
    return sorted(listing(d, limit), key=lambda e: natural_key(e.name))


def entry_lstat(entry: os.DirEntry[str]) -> os.stat_result | None:
    """The entry's own stat (a symlink not followed), or None when it vanished or cannot be read."""
    try:
        return entry.stat(follow_symlinks=False)
    except OSError:
        return None


def entry_kind(entry: os.DirEntry[str]) -> str | None:
    """"dir" or "file" for what a walk follows (symlinks followed), None for anything else —
    a FIFO, device or socket, and an entry whose target cannot be reached: a dangling link
    (is_dir()/is_file() say False), a symlink loop or no permission (they raise OSError)."""
    try:
        if entry.is_dir():
            return "dir"
        if entry.is_file():
            return "file"
    except OSError:
        pass
    return None


def iter_file_names(root: str | os.PathLike[str], *, within: Within | None = None,
                    refused: Callable[[LeadsOut], None] | None = None) -> Iterator[tuple[str, str]]:
    """Regular files under ``root`` in natural order (:func:`natural_key`), bounded in count
    and depth, no symlink loops, as ``(name relative to root with "/" separators, full path)``
    strings: the walk a fleet audit keys every bundle by, without a Path per file.
    ``within``: the directory no file read may lie outside of (a bundle: itself; a snapshot:
    its sysroot; a plain directory walked: itself). A symlink resolving outside it is not
    followed: its :class:`LeadsOut` is raised, or handed to ``refused`` and the walk goes on.
    (This checks names; reading a file met, pass the Within to :func:`read_input`, which
    checks the file it opened.)"""
    root = os.fspath(root)
    count = 0
    seen: set[tuple[int, int]] = set()

    def walk(d: str, rel: str, depth: int) -> Iterator[tuple[str, str]]:
        nonlocal count
        if depth > MAX_DIR_DEPTH:
            raise LimitError("directory", f"nested deeper than {MAX_DIR_DEPTH} levels", path=d)
        try:
            st = os.stat(d)
        except OSError:
            return
        key = (st.st_dev, st.st_ino)
        if key in seen:
            return
        seen.add(key)
        for entry in sorted_listing(d, MAX_DIR_FILES):
            name = rel + entry.name
            kind = entry_kind(entry)
            err = within.entry_out(entry, kind) if within is not None else None
            if err is not None:
                if refused is None:
                    raise err
                refused(err)
                continue
            if kind == "dir":
                yield from walk(entry.path, name + "/", depth + 1)
            elif kind == "file":
                count += 1
                if count > MAX_DIR_FILES:
                    raise LimitError("directory", f"more than {MAX_DIR_FILES} files", path=root)
                yield name, entry.path

    yield from walk(root, "", 0)


def _is_link(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_symlink()
    except OSError:  # vanished meanwhile: nothing to follow
        return False


def leads_out(path: str | os.PathLike[str], base: str) -> str | None:
    """Where ``path`` really is (every symlink on the way resolved) when that is outside the
    resolved directory ``base``; None when it stays inside (or is ``base``)."""
    real = os.path.realpath(path)
    return None if _inside(real, base) else real


def _inside(real: str, base: str) -> bool:
    """Whether the resolved path ``real`` is the resolved directory ``base`` or lies under it."""
    return real == base or real.startswith(base.rstrip("/") + "/")


class LeadsOut(PvenumError):
    """A file not read because a symlink takes it out of the directory it is read in."""


def _outside(path: str, real: str, shown: str) -> LeadsOut:
    return LeadsOut(f"a symlink leading out of {shown} (to {real}): not read", path=path)



class Within:
    """A directory that the reads of a walk stay inside: ``shown`` as it was named, ``real``
    resolved when it is made — before anything is read, so a directory swapped for a link
    during the walk cannot move the boundary."""

    __slots__ = ("shown", "real")

    def __init__(self, directory: str | os.PathLike[str], shown: str | None = None) -> None:
        self.shown = shown or os.fspath(directory)
        self.real = os.path.realpath(directory)

    def inner(self, directory: str | os.PathLike[str]) -> "Within":
        """The Within of ``directory``, met inside this one; LeadsOut when it is resolved outside
        now (a directory on its way swapped for a link since the walk looked): the boundary of
        what is read in it is fixed here, inside this one's."""
        inner = Within(directory)
        if not _inside(inner.real, self.real):
            raise _outside(os.fspath(directory), inner.real, self.shown)
        return inner

    def link_out(self, path: str | os.PathLike[str]) -> LeadsOut | None:
        """The LeadsOut of ``path`` when a symlink on its way takes it outside, else None."""
        real = leads_out(path, self.real)
        return None if real is None else _outside(os.fspath(path), real, self.shown)

    def entry_out(self, entry: os.DirEntry[str], kind: str | None) -> LeadsOut | None:
        """:meth:`link_out` of a directory entry a walk met, of ``kind`` (:func:`entry_kind`):
        only a symlink can leave, any other entry lies in its directory, itself inside; what a
        walk passes over (kind None) is never read, wherever it leads."""
        return self.link_out(entry.path) if kind is not None and _is_link(entry) else None

    def open(self, path: str | os.PathLike[str], flags: int) -> int:
        """``os.open(path, flags)`` (close-on-exec), the file opened then :meth:`check_open`-ed
        and closed again if it lies outside; an OSError as os.open raises it."""
        fd = os.open(path, flags | os.O_CLOEXEC)
        try:
            self.check_open(fd, os.fspath(path))
        except BaseException:
            os.close(fd)
            raise
        return fd

    def check_open(self, fd: int, path: str) -> None:
        """Nothing when the file open as ``fd`` lies inside; else a :class:`LeadsOut`. Asked of
        the descriptor, not of the name (checking the name, then opening it, would let a link
        swapped in between — for the file or any directory above it — lead the read out):
        Linux names the file a descriptor has open in /proc/self/fd (proc(5), /proc/pid/fd: "a
        symbolic link to the actual file"). Without /proc, the name is resolved after the open,
        and the file it resolves to must be the file open (fstat(2) and stat(2) agree on device
        and inode)."""
        try:
            real = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            real = ""
        if not real.startswith("/"):  # no /proc here (or a descriptor of no path)
            real = os.path.realpath(path)
            try:
                st, opened = os.stat(real), os.fstat(fd)
            except OSError:
                st = opened = None
            if st is None or opened is None or (st.st_dev, st.st_ino) != (opened.st_dev, opened.st_ino):
                raise LeadsOut(f"changed while it was opened (now {real}): not read", path=path)
        if not _inside(real, self.real):
            raise _outside(path, real, self.shown)


def sysroot(root: "Path") -> Within:
    """The sysroot ``root`` as the directory a snapshot reads inside. A sysroot may be an
    untrusted guest image: a link in it to /etc/passwd, or to the host's /dev, /proc or /sys,
    must not put the host's files or answers into a bundle."""
    return Within(root, f"the sysroot {root}")


def in_sysroot(root: Within, path: "Path") -> "Path":
    """``path`` (under the sysroot ``root``, :func:`sysroot`) when no symlink takes it out of
    the sysroot; else its LeadsOut. A guest image's tree is read as itself, never through a
    link to the reading machine's own files."""
    err = root.link_out(path)
    if err is not None:
        raise err
    return path


def is_within(path: Path, base: Path) -> bool:
    """Whether resolved ``path`` is ``base`` or lies under it (both resolved)."""
    return _inside(os.fspath(path), os.fspath(base))


MANIFEST = "manifest.json"
KERNEL_LOG = "kernel.log"  # a snapshot bundle's kernel messages (pvenum/observe/live.py)


def _kind(mode: int) -> str | None:
    """What a non-regular, non-directory file is, for the refusal message (None: regular/dir)."""
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):  # nearly every file asked about
        return None
    for test, name in ((stat.S_ISLNK, "symlink"), (stat.S_ISFIFO, "FIFO"), (stat.S_ISSOCK, "socket"),
                       (stat.S_ISCHR, "character device"), (stat.S_ISBLK, "block device")):
        if test(mode):
            return name
    return None


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of a file, read in 1 MiB chunks (one helper for every pin and manifest)."""
    import hashlib  # lazy: keeps `pvenum --version` start-up lean

    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
