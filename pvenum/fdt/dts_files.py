"""The files a DTS makes dtc open, checked before dtc runs.

A DTS names other files in two ways (dgibson/dtc v1.7.0, read for this module):
- ``/include/ "NAME"`` (dtc-lexer.l: the ``"/include/"{WS}*{STRING}`` rule, in every start
  condition), the name taken as written between the quotes; the included file is source too;
- ``/incbin/("NAME")`` and ``/incbin/("NAME", OFFSET, LENGTH)`` (dtc-parser.y, the DT_INCBIN
  productions; the keyword is a rule of the default start conditions), the name a string
  literal after escape processing (util.c ``get_escape_char()``: ``\\a \\b \\t \\n \\v \\f
  \\r``, up to three octal digits, ``\\x`` and up to two hex digits, any other character as
  itself), up to its first NUL.

dtc opens either with srcpos.c ``srcfile_relative_open()``: ``-`` is stdin; an absolute name
as it stands; a relative one in the including file's directory first (for the top file, which
pvenum hands dtc as ``in.dts`` in a temporary directory, that directory), then in each ``-i``
directory in order (``fopen_any_on_path()``); includes nest at most 100 deep
(``MAX_SRCFILE_DEPTH``).

A DTS can come from a hostile capture: ``/incbin/("/etc/shadow")`` would put a host file into
the tree pvenum prints, ``/incbin/("/dev/zero")`` keeps dtc reading until its timeout. So every
file a DTS names must be a regular file under one of the ``-i`` directories (a bundle's own
directory), symbolic links resolved; included files are read and checked the same way. Comments,
strings and character literals are skipped with dtc's own token shapes (COMMENT, LINECOMMENT,
STRING, CHAR_LITERAL), so a directive inside one is not one; so are the tokens dtc reads whole
although they hold "/" or "*" (the keywords ending in "/", path references ``&{/a//b}``), so that
no comment start is seen inside one; an ``/incbin/`` whose argument does not have the shape
above is refused rather than guessed at.
"""

from __future__ import annotations

import itertools
import os
import re
import stat
from pathlib import Path

from .. import _io
from ..errors import LimitError, ParseError, PvenumError

TYPE_CHECKING = False  # typing is not imported at run time (see pvenum/__init__.py)
if TYPE_CHECKING:  # pragma: no cover
    from typing import Sequence

MAX_DEPTH = 100  # srcpos.c MAX_SRCFILE_DEPTH
MAX_FILES = 256  # distinct included files read for their own directives
MAX_DIRECTIVES = 10_000  # in a source and all it includes: each is a lookup on the disk
FMT = "dts"

_WS = b" \t\n\v\f\r"  # flex [[:space:]]
_STRING = re.compile(rb'"(?:[^\\"]|\\[^\n])*"')  # dtc-lexer.l STRING (flex "." is not a newline)
# Tokens dtc reads whole although they hold "/", "*" or "//": the keywords that end in "/" (a
# "/*" or "//" right after one is no comment start: "/delete-node/*x" names "*x") and path
# references (dtc-lexer.l "&{"{PATHCHAR}*"}": "&{/a//b}" holds no comment). Matched first and
# skipped, as dtc does; the path reference as broad as any dtc release reads it (v1.6 wants a
# leading "/"), since a narrower match would let a "//" inside one hide what follows.
_WHOLE = rb"/(?:dts-v1|plugin|memreserve|bits|delete-property|delete-node|omit-if-no-ref)/|&\{[a-zA-Z0-9,._+*#?@/-]*\}"
_DIRECTIVES = re.compile(rb"(?P<whole>" + _WHOLE + rb')|/include/|/incbin/|"|\'|//|/\*')
_ANY_DIRECTIVE = re.compile(rb"/include/|/incbin/")
_OCT = re.compile(rb"[0-7]{1,3}")
_HEX = re.compile(rb"[0-9a-fA-F]{1,2}")
_ESCAPES = {ord("a"): 7, ord("b"): 8, ord("t"): 9, ord("n"): 10, ord("v"): 11, ord("f"): 12, ord("r"): 13}


def _unescape(body: bytes) -> bytes:
    """A string literal's bytes as dtc's data_copy_escape_string() makes them."""
    out = bytearray()
    i = 0
    while i < len(body):
        c = body[i]
        i += 1
        if c != 0x5C or i >= len(body):
            out.append(c)
            continue
        e = body[i]
        if 0x30 <= e <= 0x37:
            m = _OCT.match(body, i)
            out.append(int(m.group(), 8) & 0xFF)  # type: ignore[union-attr]
            i = m.end()  # type: ignore[union-attr]
        elif e == ord("x") and (m := _HEX.match(body, i + 1)) is not None:
            out.append(int(m.group(), 16))
            i = m.end()
        else:  # (a bare \x is fatal in dtc: no file is opened)
            out.append(_ESCAPES.get(e, e))
            i += 1
    return bytes(out)


def _skip_gap(text: bytes, i: int) -> int:
    """Past whitespace and comments, as the lexer eats them between tokens."""
    while i < len(text):
        if text[i] in _WS:
            i += 1
        elif text.startswith(b"/*", i) and (end := text.find(b"*/", i + 2)) >= 0:
            i = end + 2
        elif text.startswith(b"//", i) and (end := text.find(b"\n", i + 2)) >= 0:
            i = end + 1
        else:
            break
    return i


def directives(text: bytes) -> list[tuple[int, str, bytes | None]]:
    """``(offset, "include" or "incbin", name)`` for every directive dtc would act on, in order;
    name None where pvenum cannot tell the name (an ``/incbin/`` whose argument is not a string
    literal, or any directive after a comment, string or character literal that does not end:
    dtc reads on character by character there, and such text is not DTS dtc accepts anyway).
    Linear in the text: each token is matched once, and after an unterminated one the rest is
    only searched for the two directives."""
    out: list[tuple[int, str, bytes | None]] = []
    i = 0
    while (m := _DIRECTIVES.search(text, i)) is not None:
        at, tok = m.start(), m.group()
        end = -1
        if m.group("whole") is not None:
            end = m.end()
        elif tok == b'"':
            s = _STRING.match(text, at)
            end = s.end() if s is not None else -1
        elif tok == b"'":  # CHAR_LITERAL '([^']|\\')*': to the first ' not after a backslash
            j = at + 1
            while (j := text.find(b"'", j)) >= 0 and j > at + 1 and text[j - 1] == 0x5C:
                j += 1
            end = j + 1 if j >= 0 else -1
        elif tok == b"/*":
            j = text.find(b"*/", at + 2)
            end = j + 2 if j >= 0 else -1
        elif tok == b"//":
            j = text.find(b"\n", at + 2)
            end = j + 1 if j >= 0 else -1
        elif tok == b"/include/":
            j = at + len(tok)
            while j < len(text) and text[j] in _WS:
                j += 1
            s = _STRING.match(text, j)
            if s is not None:
                out.append((at, "include", s.group()[1:-1]))  # as written: no escapes
            end = s.end() if s is not None else at + 1  # not the rule's shape: a '/', read on
        else:  # /incbin/ ( STRING [, OFFSET, LENGTH] )
            j = _skip_gap(text, at + len(tok))
            s = _STRING.match(text, _skip_gap(text, j + 1)) if text.startswith(b"(", j) else None
            out.append((at, "incbin", None if s is None else _unescape(s.group()[1:-1]).split(b"\0", 1)[0]))
            end = s.end() if s is not None else at + 1
        if end < 0:  # unterminated: what follows is read on by dtc character by character
            rest = itertools.islice(_ANY_DIRECTIVE.finditer(text, at + 1), MAX_DIRECTIVES + 1 - len(out))
            out += [(t.start(), t.group()[1:-1].decode(), None) for t in rest]
            end = len(text)
        i = end
        if len(out) > MAX_DIRECTIVES:
            raise LimitError(FMT, f"more than {MAX_DIRECTIVES} /include/ and /incbin/ directives", offset=at)
    return out


def names_files(text: bytes) -> bool:
    """Whether DTS ``text`` can make dtc open another file at all (memchr speed: most files
    name none, and then nothing is scanned)."""
    return b"/include/" in text or b"/incbin/" in text


def check(text: bytes, include_dirs: Sequence[str], *, path: str | None = None) -> None:
    """Raise a PvenumError (``FILE: dts at offset 0xNN: ...``, or a file that cannot be read)
    unless every file ``text`` and what it includes would make dtc open is a regular file under
    one of ``include_dirs``."""
    if names_files(text):
        _Walk(include_dirs).source(text, None, path, 0)


class _Walk:
    """One DTS and what it includes, each included file read once and within the bounds."""

    def __init__(self, include_dirs: Sequence[str]) -> None:
        self.roots = [Path(d).resolve() for d in include_dirs]
        self.search = [os.path.abspath(d) for d in include_dirs]  # as dtc is given them (-i)
        self.seen: set[str] = set()
        self.read = 0  # bytes of included files read, bounded like one input
        self.named = 0  # directives looked up on the disk, in every file: bounded in all

    def source(self, text: bytes, cur_dir: str | None, path: str | None, depth: int) -> None:
        try:
            found = directives(text)
        except PvenumError as err:
            raise err.with_path(path) if path else err
        self.named += len(found)
        if self.named > MAX_DIRECTIVES:
            raise LimitError(FMT, f"more than {MAX_DIRECTIVES} /include/ and /incbin/ directives in all",
                             offset=found[-1][0], path=path)
        for offset, kind, name in found:
            if name is None:
                raise ParseError(FMT, f"/{kind}/ without a (\"file\") argument dtc's grammar reads: refused, "
                                      "as pvenum cannot tell which file dtc would open", offset=offset, path=path)
            found_file = self.opened(name, cur_dir, kind, offset, path)
            if found_file is None or kind == "incbin" or found_file[0] in self.seen:
                continue
            full, size = found_file
            if depth + 1 >= MAX_DEPTH:
                raise LimitError(FMT, f"includes nested more than {MAX_DEPTH} deep", offset=offset, path=path)
            self.seen.add(full)
            if len(self.seen) > MAX_FILES:
                raise LimitError(FMT, f"more than {MAX_FILES} files included", offset=offset, path=path)
            left = _io.MAX_INPUT_BYTES - self.read
            if size > left:  # a regular file (opened()): its size is its length
                raise LimitError(FMT, f"the files included come to more than {_io.MAX_INPUT_BYTES} bytes",
                                 offset=offset, path=path)
            data = _io.read_bytes(full, limit=left, regular=True)  # refused, not waited on, if swapped since
            self.read += len(data)
            self.source(data, os.path.dirname(full), full, depth + 1)

    def opened(self, name: bytes, cur_dir: str | None, kind: str, offset: int,
               path: str | None) -> tuple[str, int] | None:
        """The file dtc would open for ``name`` and its size (None: none exists, and dtc stops
        with "Couldn't open"), once it is known to be a regular file under a root."""
        text = os.fsdecode(name.split(b"\0", 1)[0])  # a C string to fopen()

        def refuse(why: str) -> ParseError:
            return ParseError(FMT, f"/{kind}/ names \"{text}\", {why}; a DTS may only name regular files under "
                                   f"{', '.join(map(str, self.roots)) or 'its own directory (none given)'}",
                              offset=offset, path=path)

        if text == "-" or not text:
            raise refuse("which dtc reads from its standard input" if text else "an empty name")
        if text.startswith("/"):
            candidates = [text]
        elif cur_dir is None and os.path.normpath(text).split("/", 1)[0] == "..":
            # dtc looks beside the top file first, and that is pvenum's temporary copy of it.
            raise refuse("which dtc would look for beside pvenum's temporary copy of the DTS first")
        else:
            candidates = ([] if cur_dir is None else [os.path.join(cur_dir, text)]) + \
                [os.path.join(d, text) for d in self.search]
        for full in candidates:
            try:
                st = os.stat(full)
            except OSError:
                continue  # not there: dtc tries the next place
            real = Path(full).resolve()
            if not any(_io.is_within(real, r) for r in self.roots):
                raise refuse(f"which is {real}, outside")
            if not stat.S_ISREG(st.st_mode):
                raise refuse(f"which is a {_io._kind(st.st_mode) or 'directory'}, not a regular file")
            if st.st_size > _io.MAX_INPUT_BYTES:
                raise refuse(f"which is {st.st_size} bytes, more than {_io.MAX_INPUT_BYTES}")
            return full, st.st_size
        return None
