"""Stored answers of `pvenum resolve NAME` for a catalog scenario NAME, so that asking again
costs the interpreter's start and one file read, not the resolve and its printing.

An answer is what the command wrote on stdout, byte for byte, and its exit status. It is kept
under ``$XDG_CACHE_HOME/pvenum/answers`` (``~/.cache`` by default), one file per scenario and
key, and the key is everything that output depends on:

- the build the compiled-platform cache keys on (build_id.py: pvenum's and Python's versions,
  the scenario's name and text, the size and modification time of every package file);
- the context the printing reads: rich's release (its files where the interpreter finds
  them), the whole environment (rich reads TERM, COLORTERM, COLUMNS,
  LINES, NO_COLOR, FORCE_COLOR, TTY_COMPATIBLE…; the locale sets the stream's encoding), whether
  each of stdin, stdout and stderr is a terminal and its size (rich's Console.size takes the
  first standard stream that is one), and stdout's encoding and error handler.

An entry is used only when its whole recorded key equals this run's; anything else — another
build, another terminal width, a changed variable, an entry another user could have written, a
damaged file — is ignored, the command runs as it always does and its answer is stored. Only the
bare form is answered (no option), only for a name that is no file here (a file of that name is
the target instead), only by the ``pvenum`` program itself (pvenum.cli.entry: code calling
pvenum.cli.main in-process may have patched what a stored answer would hide), and only a run
that ended with status 0 or 1 and wrote nothing on stderr is stored. ``PVENUM_NO_CACHE=1``
turns it off, like the platform cache; deleting the directory is always safe.
"""

from __future__ import annotations

import os
import sys

from . import build_id

TYPE_CHECKING = False  # typing is not imported at run time: this runs before anything else
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any, Callable

_FORMAT = 1  # bump when an entry's layout changes
_SUFFIX = ".answer"
_MAGIC = b"pvenum answer\n"
# Entries kept per scenario: a few terminals and environments side by side.
KEEP = 8
# An answer is a few kilobytes; an entry larger than this is not ours to read.
MAX_ENTRY = 1 << 20


def _printer() -> str:
    """rich, which draws the table (another release draws it differently): the package directory
    the interpreter would import it from (the first on sys.path) and each of its files' size and
    modification time — found without importing it."""
    for entry in sys.path:
        where = os.path.join(entry or os.getcwd(), "rich")
        if os.path.isfile(os.path.join(where, "__init__.py")):
            files = []
            with os.scandir(where) as it:
                for e in it:
                    if e.is_file():
                        st = e.stat()
                        files.append(f"{e.name}\0{st.st_size}\0{st.st_mtime_ns}")
            files.sort()
            return f"{where}\n" + "\n".join(files)
    return "no rich"


def _context() -> str:
    """What the printing of an answer reads besides the scenario (see the module's docstring)."""
    streams = []
    for fd in (0, 1, 2):
        try:
            if os.isatty(fd):
                size = os.get_terminal_size(fd)
                streams.append(f"tty {size.columns}x{size.lines}")
            else:
                streams.append("-")
        except OSError:
            streams.append("closed")
    out = sys.stdout
    encoding = f"{getattr(out, 'encoding', None)}/{getattr(out, 'errors', None)}"
    env = "\0".join(f"{k}={v}" for k, v in sorted(os.environ.items()))
    return f"{' '.join(streams)}\0{encoding}\0{_printer()}\0{env}"


def _entry(name: str) -> tuple[str, str] | None:
    """``(file, key)`` of catalog scenario ``name``'s answer in this build and context, or None
    when answers do not apply (cache off, no catalog file of that name, a file named ``name``)."""
    where = build_id.cache_dir("answers")
    if where is None or os.path.exists(name) or not hasattr(os, "getuid"):  # an owner to check entries by
        return None
    if getattr(sys.stdout, "buffer", None) is None:  # no byte stream to replay an answer on
        return None
    found = build_id.catalog_source(name)
    if found is None:
        return None
    try:
        key = f"{build_id.build(_FORMAT, name, found[0])}\0{_context()}"
    except OSError:
        return None
    return os.path.join(where, build_id.entry_name(name, key, _SUFFIX)), key


def _read(path: str, key: str) -> tuple[int, bytes] | None:
    """The stored ``(status, output)`` at ``path`` if it is this user's own entry for ``key``."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        # Only an entry this user wrote, that nobody else can have changed since: a regular file,
        # theirs, with no group/other write bit, of a size an answer has.
        if (not (st.st_mode & 0o170000 == 0o100000) or st.st_uid != os.getuid() or st.st_mode & 0o022
                or st.st_size > MAX_ENTRY):
            return None
        data = b""
        while len(data) < st.st_size:
            chunk = os.read(fd, st.st_size - len(data))
            if not chunk:
                break
            data += chunk
    except OSError:
        return None
    finally:
        os.close(fd)
    want = key.encode("utf-8", "surrogateescape")
    head = len(_MAGIC) + 4
    if not data.startswith(_MAGIC) or len(data) < head + 1:
        return None
    size = int.from_bytes(data[len(_MAGIC):head], "big")
    if data[head:head + size] != want or len(data) < head + size + 1:
        return None
    return data[head + size], data[head + size + 1:]


class _Tee:
    """A text stream that passes everything to ``stream`` and keeps what it was given; rich
    and the JSON writer see the stream itself (terminal or not, encoding, descriptor)."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self.parts: list[str] = []

    def write(self, text: str) -> int:
        n = self._stream.write(text)
        self.parts.append(text)
        return n

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def run(name: str, resolve: "Callable[[str], int]") -> int:
    """`pvenum resolve NAME`: the stored answer when there is one, else ``resolve(name)``, whose
    answer is then stored."""
    entry = _entry(name)
    if entry is None:
        return resolve(name)
    stored = _read(*entry)
    if stored is not None:
        status, output = stored
        sys.stdout.flush()
        sys.stdout.buffer.write(output)
        sys.stdout.buffer.flush()
        return status
    out, err = sys.stdout, sys.stderr
    tee_out, tee_err = _Tee(out), _Tee(err)
    sys.stdout, sys.stderr = tee_out, tee_err  # type: ignore[assignment]
    try:
        status = resolve(name)
    finally:
        sys.stdout, sys.stderr = out, err
    if status in (0, 1) and not tee_err.parts:
        _store(name, *entry, status, tee_out.parts, out)
    return status


def _store(name: str, path: str, key: str, status: int, parts: list[str], stream: Any) -> None:
    try:
        output = "".join(parts).encode(stream.encoding or "utf-8", stream.errors or "strict")
    except (AttributeError, LookupError, UnicodeError):  # not what the stream wrote: keep nothing
        return
    want = key.encode("utf-8", "surrogateescape")
    data = b"".join((_MAGIC, len(want).to_bytes(4, "big"), want, bytes((status,)), output))
    if len(data) > MAX_ENTRY:
        return
    from .._output import atomic_write  # only to write: an answer read back does without it
    from ..errors import PvenumError

    try:
        atomic_write(path, data)
    except PvenumError:
        return  # a read-only or full cache directory: answer uncached
    build_id.prune(path, name, _SUFFIX, KEEP)

