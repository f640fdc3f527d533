"""Text captures the way people share them: pasted from a terminal, a bug report or a mail.

A ``cpuid -r`` or acpidump capture quoted in a mail (``> ``, ``>> ``), commented out in a
source file or a script (``/// ``, ``// ``, ``# ``), with CRLF line ends, a shell-prompt line
before it (``$ cpuid -1 -r``) and prose around it, still holds the tool's rows. A reader
takes each line through :func:`lines` (the quoting stripped, the line end dropped, the line's
number and byte offset kept) and records the line numbers it did not use, so the output can
say what was skipped; ``--strict`` readers take the raw lines instead and refuse anything
that is not the tool's own output.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TYPE_CHECKING = False  # typing is not imported at run time (start-up: pvenum/_io.py)
if TYPE_CHECKING:  # pragma: no cover
    from typing import Iterable

# One quoting layer: a mail quote ("> ", ">> "), a C/Rust doc comment ("/// ", "// ") or a
# shell/TOML comment ("# "), after a run of blanks and before a blank or the line's end.
# pvenum.formats' sniffers take the same layers, so what they detect is what the readers read.
QUOTE_LAYER = r"(?:[ \t]*(?:>+|///?|#)(?:[ \t]|$))"
# One layer after another ("> > "). Possessive (++): a long run of markers is matched once,
# never re-split (linear time).
_QUOTE = re.compile(rf"^{QUOTE_LAYER}++")


@dataclass(frozen=True)
class Line:
    number: int  # 1-based
    offset: int  # byte offset of the line's start in the input
    text: str  # the line without its quoting and line end
    quoted: bool  # a quoting prefix was removed


# A line ends at \n, \r\n or a lone \r, as text editors count them; str.splitlines would also
# end one at \f, \v, \x1c-\x1e, NEL (\x85: "…" in a Windows code page) and U+2028/9, so it
# serves (being ~10x faster than the split) only for text without those.
_LINE_END = re.compile(r"(?<=\n)|(?<=\r)(?!\n)")
_OTHER_BREAKS = re.compile("[\v\f\x1c-\x1e\x85\u2028\u2029]")


def _split(text: str) -> list[str]:
    """The lines of ``text``, each with its line end."""
    if _OTHER_BREAKS.search(text) is None:
        return text.splitlines(keepends=True)
    pieces = _LINE_END.split(text)
    if not pieces[-1]:
        pieces.pop()  # the text's last line end: no line after it
    return pieces


def byte_lines(data: str | bytes, *, unquote: bool = True) -> Iterable[Line]:
    """:func:`lines` of text, or of bytes as UTF-8 — else one character a byte (Latin-1): a
    tool that reads lines of bytes (cpuid -f's fgets, a report in a Windows code page) reads a
    line that is not UTF-8 as prose or damage like any other, and offsets stay byte offsets."""
    if isinstance(data, str):
        return lines(data, unquote=unquote)
    try:
        return lines(data.decode("utf-8"), unquote=unquote)
    except UnicodeDecodeError:
        return lines(data.decode("latin-1"), unquote=unquote, latin1=True)


def lines(text: str, *, unquote: bool = True, latin1: bool = False, encoding: str = "utf-8",
          start: int = 0) -> Iterable[Line]:
    """Each line of ``text`` with its quoting removed (``unquote``) and its line end dropped
    (``\\n``, ``\\r\\n`` or a lone ``\\r``). Offsets count the bytes of the text in
    ``encoding`` from ``start`` (the length of a byte-order mark), or characters for text
    decoded as Latin-1 (``latin1``: one byte each)."""
    offset = start
    for number, raw in enumerate(_split(text), 1):
        here = offset
        offset += len(raw) if latin1 else len(raw.encode(encoding))
        body = raw.rstrip("\r\n")
        quoted = False
        if unquote:
            m = _QUOTE.match(body)
            if m:
                body = body[m.end():]
                quoted = True
        yield Line(number, here, body, quoted)


def ranges(numbers: Iterable[int]) -> str:
    """``[1, 2, 3, 7, 9, 10]`` -> ``"1-3, 7, 9-10"``."""
    out: list[str] = []
    start = prev = None
    for n in sorted(set(numbers)):
        if prev is not None and n == prev + 1:
            prev = n
            continue
        if start is not None:
            out.append(f"{start}" if start == prev else f"{start}-{prev}")
        start = prev = n
    if start is not None:
        out.append(f"{start}" if start == prev else f"{start}-{prev}")
    return ", ".join(out)


def skipped_note(numbers: Iterable[int]) -> str | None:
    """The one line inspect/textconv print for a lenient read, or None when nothing was skipped."""
    nums = sorted(set(numbers))
    if not nums:
        return None
    what = "line that is not a row" if len(nums) == 1 else "lines that are not rows"
    return f"skipped {len(nums)} {what}: {ranges(nums)} (--strict refuses them)"
