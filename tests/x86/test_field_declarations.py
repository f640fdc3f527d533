"""Every CPUID/MSR field the resolver and the scenario builders use is declared once, in
pvenum/cpuid/leaves.py, and read or set by name there: no field position written as a bare
number, no leaf or SMCCC function id spelled outside its declaration."""

from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

import pytest

from pvenum.arm import smccc
from pvenum.cpuid import leaves

ROOT = Path(__file__).resolve().parents[2] / "pvenum"
SCANNED = sorted(p for d in ("resolver", "scenario") for p in (ROOT / d).rglob("*.py"))

# Leaves and MSRs whose fields rules read by name, and every SMCCC function id smccc.py names.
DECLARED_NUMBERS = {
    leaves.HV_BASE_LEAF + 0x3: "HYPERV_CPUID_FEATURES",
    leaves.HV_BASE_LEAF + 0xC: "HYPERV_CPUID_ISOLATION_CONFIG",
    leaves.HV_BASE_LEAF + 0x82: "HYPERV_CPUID_VIRT_STACK_PROPERTIES",
    leaves.SEV_STATUS.leaf: "MSR_AMD64_SEV",
    # SMCCC_VERSION / SMCCC_ARCH_FEATURES (0x80000000/1) share their value with CPUID's extended
    # leaves, which x86 rules read by number.
    **{fid: name for fid, name in smccc.FUNCTION_NAMES.items() if fid not in (0x80000000, 0x80000001)},
}
# Shifts by the positions of HV_ISOLATION (22) and HV_CPU_MANAGEMENT (12), the bit positions
# the issue found written out by hand.
BARE_SHIFT = re.compile(r"(<<|>>)\s*(22|12)\b")


def _rel(path: Path) -> str:
    return str(path.relative_to(ROOT.parent)) if path.is_relative_to(ROOT.parent) else path.name


def _numbers(path: Path) -> list[tuple[int, int]]:
    """(line, value) of every integer literal outside strings and comments."""
    out = []
    for tok in tokenize.generate_tokens(io.StringIO(path.read_text()).readline):
        if tok.type == tokenize.NUMBER:
            try:
                out.append((tok.start[0], int(tok.string.replace("_", ""), 0)))
            except ValueError:
                pass  # floats
    return out


def _declared_field(leaf: int, reg: str, lo: int, hi: int) -> str | None:
    """The name of a field declared with exactly this register and bit range, if any."""
    specs = [s for s in leaves.STANDARD if s.leaf == leaf]
    if leaves.HV_BASE_LEAF <= leaf <= leaves.HV_BASE_LEAF + 0xFF:
        specs += [s for t in (leaves.HYPERV, leaves.KVM) for s in t if s.leaf == leaf - leaves.HV_BASE_LEAF]
    if leaf in leaves.MSRS:
        specs.append(leaves.MSRS[leaf])
    for spec in specs:
        for f in spec.fields:
            if f.reg == reg and (f.lo, f.hi) == (lo, hi) and (lo, hi) not in ((0, 31), (0, 63)):
                return f.name
    return None


def _literal_reads(path: Path) -> list[str]:
    """Calls ``ctx.cpuid(LEAF, REG, LO[, HI])`` / ``cpuid_bit`` / ``msr`` / ``msr_bit`` with
    constants that spell a declared field instead of naming it through ``ctx.field``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        args = [a.value if isinstance(a, ast.Constant) else None for a in node.args]
        kind = node.func.attr
        if kind in ("cpuid", "cpuid_bit") and len(args) >= 3 and isinstance(args[0], int) and isinstance(args[2], int):
            hi = args[2] if kind == "cpuid_bit" else (args[3] if len(args) > 3 else 31)
            name = _declared_field(args[0], args[1], args[2], args[2] if hi is None else hi)
        elif kind in ("msr", "msr_bit") and len(args) >= 2 and isinstance(args[0], int) and isinstance(args[1], int):
            hi = args[1] if kind == "msr_bit" else (args[2] if len(args) > 2 else 63)
            name = _declared_field(args[0], "msr", args[1], args[1] if hi is None else hi)
        else:
            continue
        if name:
            found.append(f"{_rel(path)}:{node.lineno}: {kind}(...) reads {name}: use ctx.field()")
    return found


@pytest.mark.parametrize("path", SCANNED, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_bare_field_positions(path: Path) -> None:
    problems = _literal_reads(path)
    for line, value in _numbers(path):
        if value in DECLARED_NUMBERS:
            problems.append(f"{path.relative_to(ROOT.parent)}:{line}: 0x{value:x} is {DECLARED_NUMBERS[value]}: "
                            "use its declared name")
    for n, text in enumerate(path.read_text().splitlines(), 1):
        code = text.split("#", 1)[0]
        if BARE_SHIFT.search(code):
            problems.append(f"{path.relative_to(ROOT.parent)}:{n}: shift by a bare field position: {text.strip()}")
    assert not problems, "\n".join(problems)


def test_the_scan_catches_what_it_is_for(tmp_path: Path) -> None:
    """The scan itself fails on the patterns the issue found (so the test above can fail)."""
    bad = tmp_path / "bad.py"
    bad.write_text('def r(ctx):\n    a = ctx.cpuid_bit(0x40000003, "ebx", 22, name="x")\n'
                   '    b = ctx.cpuid(0x8000001F, "ebx", 0, 5)\n    c = 1 << 22\n    return 0xC4000190\n')
    reads = _literal_reads(bad)
    assert [r.split(": ", 1)[1] for r in reads] == [
        "cpuid_bit(...) reads HV_ISOLATION: use ctx.field()", "cpuid(...) reads cbit_position: use ctx.field()"]
    assert {v for _, v in _numbers(bad)} >= {0x40000003, smccc.RSI_VERSION}
    assert BARE_SHIFT.search("    c = 1 << 22")


def test_one_hyperv_isolation_enum() -> None:
    """enum hv_isolation_type (include/hyperv/hvgdk_mini.h): NONE 0, VBS 1, SNP 2, TDX 3 — the
    only place it is spelled is cpuid/leaves.py; everything else derives from it."""
    assert {t.name: t.value for t in leaves.HvIsolationType} == {"NONE": 0, "VBS": 1, "SNP": 2, "TDX": 3}
    spelled = re.compile(r"\{\s*0:\s*\"(none|NONE)\",\s*1:\s*\"(vbs|VBS)\"")
    for path in sorted(ROOT.rglob("*.py")):
        assert not spelled.search(path.read_text()), f"{path}: the isolation-type enum spelled again"
