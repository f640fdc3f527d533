"""Stored answers of `pvenum resolve NAME` for a catalog scenario NAME, so that asking again
costs the interpreter's start, a look at the files the answer depends on and one entry read,
not the resolve and its printing.

An answer is what the command wrote on stdout, byte for byte, and its exit status. It is kept
under ``$XDG_CACHE_HOME/pvenum/answers`` (``~/.cache`` by default), one file per scenario and
key, and the key is everything that output depends on:

- the build the compiled-platform cache keys on (build_id.py: pvenum's and Python's versions,
  the scenario's name and text, the size and modification time of every package file);
- rich, which draws the table: the directory it is imported from and every file's size and
  modification time (a rich that sys.path does not find as a directory — one an import hook or
  a zip provides — answers nothing);
- the context the printing reads: the whole environment but the shell's own bookkeeping (rich
  reads TERM, COLORTERM, COLUMNS, LINES, NO_COLOR, FORCE_COLOR, TTY_COMPATIBLE…; Python's
  PYTHON* variables and the locale set the stream's encoding; PWD, OLDPWD, SHLVL and ``_``,
  which a shell changes with every directory and command, are read by neither), whether each of stdin, stdout and stderr is a terminal and its size
  (rich's Console.size takes the first standard stream that is one), and stdout's encoding and
  error handler.

An entry records the SHA-256 of its key, never the key (the environment may hold secrets), the
status, and a CRC-32 of the output, and is used only when the digest equals this run's and the
output is whole; anything else — another build, another terminal
width, a changed variable, an entry another user could have written, a damaged file — is
ignored, the command runs as it always does and its answer is stored if the build did not change
while it ran. Only the bare form is answered (no option), only for a name that is no file here
(a file of that name is the target instead), only by the ``pvenum`` program itself
(pvenum.cli.entry: code calling pvenum.cli.main in-process may have patched what a stored answer
would hide; so may a sitecustomize module, which is not looked at), and only a run that ended
with status 0 or 1 and wrote nothing on stderr is stored. ``PVENUM_NO_CACHE=1`` turns it off,
like the platform cache; deleting the directory is always safe.
"""

from __future__ import annotations

import os
import sys
import zlib

from . import build_id

try:  # the SHA-256 alone: hashlib would load OpenSSL on every answered start
    from _sha256 import sha256 as _sha256  # Python 3.11
except ImportError:  # pragma: no cover - 3.12 renamed it; hashlib where neither is built in
    try:
        from _sha2 import sha256 as _sha256  # type: ignore[no-redef]
    except ImportError:
        from hashlib import sha256 as _sha256  # type: ignore[no-redef]

TYPE_CHECKING = False  # typing is not imported at run time: this runs before anything else
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any, Callable

_FORMAT = 2  # bump when an entry's layout changes
_SUFFIX = ".answer"
# An entry: this line, the key's SHA-256, the exit status (one byte), the output's CRC-32
# (4 bytes, little-endian), the output.
_MAGIC = b"pvenum answer %d\n" % _FORMAT
_DIGEST = 32  # SHA-256
_HEAD = len(_MAGIC) + _DIGEST + 1 + 4
# Set by the shell for every directory and command, read by neither pvenum nor rich: in the key
# they would make each directory a context of its own.
_SHELL_BOOKKEEPING = frozenset(("PWD", "OLDPWD", "SHLVL", "_"))
# Entries kept per scenario: a few terminals and environments side by side.
KEEP = 8
# An answer is a few kilobytes; an entry larger than this is not ours to read.
MAX_ENTRY = 1 << 20


def _printer() -> str | None:
    """rich's files where the interpreter would import it from (the first ``rich`` package
    directory on sys.path), found without importing it; None when it is not found there."""
    for entry in sys.path:
        where = os.path.join(entry or os.getcwd(), "rich")
        if os.path.isfile(os.path.join(where, "__init__.py")):
            return f"{where}\n{build_id.tree_fingerprint(where)}"
    return None


def _context() -> str | None:
    """What the printing of an answer reads besides the scenario (see the module's docstring)."""
    printer = _printer()
    if printer is None:
        return None
    streams = []
    for fd in (0, 1, 2):
        if os.isatty(fd):
            try:
                size = os.get_terminal_size(fd)
                streams.append(f"tty {size.columns}x{size.lines}")
            except OSError:
                streams.append("tty")
        else:
            streams.append("-")
    out = sys.stdout
    encoding = f"{getattr(out, 'encoding', None)}/{getattr(out, 'errors', None)}"
    env = "\0".join(f"{k}={v}" for k, v in sorted(os.environ.items()) if k not in _SHELL_BOOKKEEPING)
    return f"{' '.join(streams)}\0{encoding}\0{printer}\0{env}"


def _entry(name: str) -> tuple[str, bytes] | None:
    """``(file, SHA-256 of the key)`` of catalog scenario ``name``'s answer in this build and
    context, or None when answers do not apply (cache off, no catalog file of that name, a file
    named ``name`` here, no byte stream to replay on, no rich found as a directory)."""
    where = build_id.cache_dir("answers")
    if where is None or os.path.exists(name) or not hasattr(os, "getuid"):  # an owner to check entries by
        return None
    if getattr(sys.stdout, "buffer", None) is None:
        return None
    found = build_id.catalog_source(name)
    if found is None:
        return None
    try:
        context = _context()
        if context is None:
            return None
        key = f"{build_id.build(_FORMAT, name, found[0])}\0{context}"
    except OSError:
        return None
    digest = _sha256(key.encode("utf-8", "surrogateescape")).digest()
    return os.path.join(where, build_id.entry_name(name, digest.hex(), _SUFFIX)), digest


def _read(path: str, digest: bytes) -> tuple[int, bytes] | None:
    """The stored ``(status, output)`` at ``path`` if it is this user's own entry for ``digest``."""
    try:
        fd = build_id.open_entry(path)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not build_id.own_entry(st, MAX_ENTRY):
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
    start = len(_MAGIC)
    if (len(data) != st.st_size or len(data) <= _HEAD or not data.startswith(_MAGIC)
            or data[start:start + _DIGEST] != digest):
        return None
    status, crc, output = data[start + _DIGEST], data[_HEAD - 4:_HEAD], data[_HEAD:]
    if status not in (0, 1) or int.from_bytes(crc, "little") != zlib.crc32(output):
        return None  # cut short, added to or damaged since it was stored
    return status, output


class _Tee:
    """A text stream that passes everything to ``stream`` and keeps what it was given; rich
    sees the stream itself (terminal or not, encoding, descriptor). Only the table is kept:
    the JSON form is never teed."""

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
    # Stored only as the key describes it: nothing on stderr, a status an answer has, and the
    # same build and context as when the key was made (nothing edited or upgraded meanwhile).
    if status in (0, 1) and not tee_err.parts and _entry(name) == entry:
        _store(name, *entry, status, tee_out.parts, out)
    return status


def _store(name: str, path: str, digest: bytes, status: int, parts: list[str], stream: Any) -> None:
    try:
        output = "".join(parts).encode(stream.encoding or "utf-8", stream.errors or "strict")
    except (AttributeError, LookupError, UnicodeError):  # not what the stream wrote: keep nothing
        return
    data = b"".join((_MAGIC, digest, bytes((status,)), zlib.crc32(output).to_bytes(4, "little"), output))
    if len(data) <= MAX_ENTRY:
        build_id.store(path, data, name, _SUFFIX, KEEP)
