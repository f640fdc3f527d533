"""AML definition blocks (DSDT, SSDT, OSDT) as ASL, for review: the real ``iasl -d``, normalised.

Two disassemblies of the same bytes by the same iasl must read the same, so what changes
between runs is removed (ACPICA 20200925 ``iasl -d`` output, as Debian 12 ships it):

- the tool banner (``Intel ACPI Component Architecture``, the disassembler version,
  ``Copyright``, ``Disassembling to symbolic ASL+ operators``) and the ``Disassembly of FILE,
  DATE`` line: the banner comment keeps only its ``Original Table Header`` block, which is
  read from the table's bytes;
- the ``iASL Warning: There were N external control methods found during disassembly``
  comment (fixed advice about ``-e``/``-fe`` options, quoting example file names);
- the output file name in ``DefinitionBlock ("dsdt.aml", ...)`` (older iasl releases wrote
  it; 20200925 writes ``""``).

Gated on the iasl version: the normalisation was written against 20200925 output, so an
older iasl is not used (the AML stays bytes, with a note saying why), and an absent one is
said the same way. :func:`asl_lines` returns None with the reason in those cases.
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass

AML_SIGNATURES = frozenset({"DSDT", "SSDT", "OSDT"})
MIN_IASL = 20200925  # the oldest release whose -d output this normalisation was checked on

_BANNER_DROP = re.compile(
    r"^ \* (Intel ACPI Component Architecture|AML/ASL\+ Disassembler version|Copyright \(c\)|"
    r"Disassembling to symbolic ASL\+ operators|Disassembly of )")
_DEFBLOCK = re.compile(r'^(\s*DefinitionBlock \()"[^"]*"')


@dataclass(frozen=True)
class Asl:
    lines: tuple[str, ...] | None  # None: not available, see ``why``
    why: str = ""
    iasl_version: int | None = None


def is_aml(signature: str) -> bool:
    return signature in AML_SIGNATURES


@functools.lru_cache(maxsize=1)
def _tool() -> tuple[int | None, str]:
    from . import iasl

    found = iasl.find()
    if found is None:
        return None, "iasl not found (apt-get install acpica-tools): AML shown as bytes"
    if found.version < MIN_IASL:
        return found.version, (f"iasl {found.version} is older than {MIN_IASL}, whose -d output pvenum "
                               "normalises: AML shown as bytes")
    return found.version, ""


def normalise(text: str) -> list[str]:
    """The ``iasl -d`` text of a definition block without what varies between runs."""
    out: list[str] = []
    lines = text.splitlines()
    i = 0
    in_banner = bool(lines) and lines[0].strip() == "/*"
    while i < len(lines):
        line = lines[i].rstrip()
        if in_banner:
            if line.strip() == "*/":
                in_banner = False
            elif _BANNER_DROP.match(line):
                i += 1
                continue
        elif line.strip() == "/*" and i + 1 < len(lines) and "iASL Warning: There w" in lines[i + 1] \
                and "external control method" in " ".join(lines[i + 1:i + 3]):
            while i < len(lines) and lines[i].strip() != "*/":
                i += 1
            i += 1
            continue
        out.append(_DEFBLOCK.sub(r'\1""', line))
        i += 1
    # The banner's blank comment lines left between its kept parts: collapse runs of " *".
    squeezed: list[str] = []
    for line in out:
        if line.rstrip() == " *" and squeezed and squeezed[-1].rstrip() in (" *", "/*"):
            continue
        squeezed.append(line)
    return squeezed


# iasl -d of a real DSDT takes well under a second; some hostile AML makes iasl 20200925 loop
# forever (tests/data/fuzz-regressions/acpi-table/timeout-5ae30d…), so review output gives up early
# and shows the bytes with the reason instead of waiting for the general tool timeout.
DISASSEMBLY_TIMEOUT = 8.0


@functools.lru_cache(maxsize=64)
def _disassemble(data: bytes) -> tuple[str, ...]:
    from . import iasl

    return tuple(normalise(iasl.disassemble(data, name="aml", timeout=DISASSEMBLY_TIMEOUT).text))


def asl_lines(data: bytes) -> Asl:
    """Normalised ASL of one definition block's bytes (header included), or why not."""
    version, why = _tool()
    if why:
        return Asl(None, why, version)
    from ..errors import ToolError

    try:
        return Asl(_disassemble(bytes(data)), "", version)
    except ToolError as err:
        return Asl(None, f"iasl -d failed: {err}: AML shown as bytes", version)


def asl_diff(a: bytes | None, b: bytes | None, *, label: str, context: int = 3) -> Asl:
    """A unified diff of two definition blocks' ASL (either side may be absent)."""
    sides = []
    for data in (a, b):
        if data is None:
            sides.append(())
            continue
        asl = asl_lines(data)
        if asl.lines is None:
            return asl
        sides.append(asl.lines)
    version = _tool()[0]
    diff = difflib.unified_diff(list(sides[0]), list(sides[1]), f"a/{label}.dsl", f"b/{label}.dsl",
                                n=context, lineterm="")
    return Asl(tuple(diff), "", version)
