"""Every x86 platform pvenum knows, plus generated ones (and the catalog's arm64 scenarios).

- ``catalog``: the bundled scenario catalog (pvenum.scenario.catalog), x86 scenarios (arm64 ones
  for the arm64 check, crosscheck/aarch64.py).
- ``fixtures``: the x86 test bundles tests/data/x86/rows/*/ and the real CPUID dumps in
  tests/data/cpuid/ (a file that gives no full CPUID dump, such as a partial Firecracker
  template, is listed as skipped).
- ``generated``: hypothesis draws over exactly what the detectors read — the vendor (leaf 0),
  the hypervisor bit (1.ECX[31]), 0x80000000.EAX, 0x8000001F.EAX, the TDX leaf 0x21, the Hyper-V
  leaves 0x40000000/0x40000003/0x4000000C and SEV_STATUS — each one also possibly absent or a
  near miss, on top of a base that is empty or one of the platforms above.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pvenum.cpuid.model import MSR_AMD64_SEV, CpuidDump, MsrSet, str_to_regs
from pvenum.bundle import load_bundle
from pvenum.platform import Platform

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"


@dataclass
class Case:
    set: str  # "catalog" | "fixtures" | "generated"
    name: str
    platform: Platform


def catalog(arch: str = "x86_64") -> tuple[list[Case], list[str]]:
    """The catalog's scenarios of ``arch`` (x86 ones must give a CPUID dump)."""
    from pvenum.scenario.catalog import all_scenarios

    cases, skipped = [], []
    for sc in all_scenarios():
        p = sc.platform()
        if p.arch != arch:
            continue
        if arch == "x86_64" and p.cpuid is None:
            skipped.append(f"catalog {sc.name}: no CPUID")
            continue
        cases.append(Case("catalog", sc.name, p))
    return cases, skipped


def fixtures() -> tuple[list[Case], list[str]]:
    cases, skipped = [], []
    rows = DATA / "x86" / "rows"
    paths = sorted(p for p in rows.iterdir() if p.is_dir()) if rows.is_dir() else []
    cpuid_dir = DATA / "cpuid"
    paths += sorted(p for p in cpuid_dir.iterdir() if p.is_file() and p.suffix != ".md") if cpuid_dir.is_dir() else []
    for path in paths:
        rel = path.relative_to(DATA).as_posix()
        try:
            p = load_bundle(path)
        except Exception as err:  # a fixture pvenum cannot load is not ours to check here
            skipped.append(f"fixture {rel}: {err}")
            continue
        if p.arch != "x86_64" or p.cpuid is None or len(p.cpuid) == 0:
            skipped.append(f"fixture {rel}: no full CPUID dump")
            continue
        cases.append(Case("fixtures", rel, p))
    return cases, skipped


# -- generated platforms -----------------------------------------------------------------------------

SIG_AMD, SIG_INTEL = "AuthenticAMD", "GenuineIntel"
SIG_TDX, SIG_HV = "IntelTDX    ", "Microsoft Hv"


def _vendor_regs(max_leaf: int, vendor: str) -> tuple[int, int, int, int]:
    b, d, c = str_to_regs(vendor)  # leaf 0 spells the vendor in EBX, EDX, ECX
    return (max_leaf, b, c, d)


def _sig_regs(eax: int, sig: str, swapped: bool) -> tuple[int, int, int, int]:
    x, y, z = str_to_regs(sig)
    return (eax, x, z, y) if swapped else (eax, x, y, z)


def strategy(bases: list[Platform]):
    """A hypothesis strategy of {"leaves", "msrs", "base"} dicts; ``bases`` supply realistic
    other leaves. Each detector input is, with some weight, the value that lets detection go on,
    an edge value, a near miss or random bits, absent, or left as the base had it — so every
    branch of both detectors is reached (see docs/crosscheck.md for the branch counts)."""
    from hypothesis import strategies as st

    u32 = st.integers(0, 0xFFFFFFFF)
    u64 = st.integers(0, 0xFFFFFFFFFFFFFFFF)
    byte_text = st.text(st.characters(min_codepoint=0, max_codepoint=255), min_size=12, max_size=12)

    def weighted(*pairs):
        """A weighted choice between strategies: ((weight, strategy), ...)."""
        total = sum(w for w, _ in pairs)

        @st.composite
        def pick(draw):
            i = draw(st.integers(0, total - 1))
            for w, strat in pairs:
                if i < w:
                    return draw(strat)
                i -= w
            raise AssertionError("unreachable")

        return pick()

    def near_miss(sig: str):
        # one byte changed, case flipped, or NUL-terminated early: what a careless comparison accepts
        return st.one_of(
            st.builds(lambda i, ch: sig[:i] + ch + sig[i + 1:], st.integers(0, len(sig) - 1),
                      st.characters(min_codepoint=0, max_codepoint=255)),
            st.just(sig.swapcase()),
            st.just(sig[:-1] + "\0"),
        )

    def with_bit(value: int, bit: int, on: bool) -> int:
        return value | (1 << bit) if on else value & ~(1 << bit)

    def coin(p_true: int):  # percent
        return st.integers(0, 99).map(lambda i: i < p_true)

    vendor = weighted((40, st.just(SIG_AMD)), (40, st.just(SIG_INTEL)),
                      (5, st.sampled_from(["HygonGenuine", "CentaurHauls", "  Shanghai  "])),
                      (10, st.one_of(near_miss(SIG_AMD), near_miss(SIG_INTEL))), (5, byte_text))
    max_basic = weighted((60, st.sampled_from([0x21, 0x22, 0x23, 0x24, 0x2F])),
                         (30, st.sampled_from([0, 1, 0xD, 0x1F, 0x20])), (10, u32))
    max_ext = weighted((65, st.sampled_from([0x8000001F, 0x80000020, 0x80000021, 0x80000028])),
                       (25, st.sampled_from([0, 0x20, 0x21, 0x22, 0x80000000, 0x80000008, 0x8000001E, 0xFFFFFFFF])),
                       (10, u32))
    hv_max = weighted((60, st.sampled_from([0x40000005, 0x40000006, 0x4000000B, 0x4000000C, 0x40000010, 0x4000FFFF])),
                      (30, st.sampled_from([0, 0x40000000, 0x40000001, 0x40000004, 0x40010000, 0x40000100, 0x3FFFFFFF])),
                      (10, u32))
    hv_sig = weighted((65, st.just(SIG_HV)),
                      (15, st.sampled_from(["KVMKVMKVM\0\0\0", "Linux KVM Hv", "XenVMMXenVMM", "VMwareVMware",
                                            "TCGTCGTCGTCG"])),
                      (15, near_miss(SIG_HV)), (5, byte_text))
    tdx_sig = weighted((50, st.just(SIG_TDX)), (30, near_miss(SIG_TDX)), (20, byte_text))
    iso_type = weighted((35, st.just(2)), (35, st.just(3)), (15, st.sampled_from([0, 1])), (15, st.integers(0, 15)))
    status = weighted((50, st.sampled_from([0, 1, 1, 3, 3, 7, 7, 0xDF, 0x5, 0x4, 0x2, 0x6, 0x8, 0x11, 0x13, 0x10007])),
                      (35, st.builds(lambda v, low: (v & ~7) | low, u64, st.integers(0, 7))), (15, u64))

    # each detector input: a new value (85%), the leaf removed (8%) or the base's left (7%)
    def opt(regs):
        return weighted((85, regs), (8, st.just("absent")), (7, st.none()))

    leaf0 = st.builds(_vendor_regs, max_basic, vendor)
    leaf1 = st.builds(lambda a, b, c, d, hv: (a, b, with_bit(c, 31, hv), d), u32, u32, u32, u32, coin(85))
    ext0 = st.builds(lambda a, b, c, d: (a, b, c, d), max_ext, u32, u32, u32)
    sev = st.builds(lambda a, b, c, d, on: (with_bit(a, 1, on), b, c, d), u32, u32, u32, u32, coin(50))
    tdx = st.builds(_sig_regs, u32, tdx_sig, st.just(True))
    hv0 = st.builds(_sig_regs, hv_max, hv_sig, st.just(False))
    def hv3_with(iso_percent: int, root_percent: int):  # HV_ISOLATION (ebx[22]), HV_CPU_MANAGEMENT (ebx[12])
        return st.builds(lambda a, b, c, d, iso, root: (a, with_bit(with_bit(b, 22, iso), 12, root), c, d),
                         u32, u32, u32, u32, coin(iso_percent), coin(root_percent))

    hv3 = hv3_with(75, 20)
    hvc = st.builds(lambda a, b, c, d, para, typ: (with_bit(a, 0, para), (b & ~0xF) | typ, c, d),
                    u32, st.one_of(st.sampled_from([0xBA0, 0xBE0, 0x0]), u32), u32, u32, st.booleans(), iso_type)
    msr = weighted((12, st.just("no-device")), (8, st.just("no-sev-status")), (80, status))
    # A Hyper-V isolated partition as Azure presents it, each part still possibly broken: drawn
    # for 40% of the platforms so the Hyper-V fallbacks are reached often.
    hv0_cvm = st.builds(_sig_regs, weighted((85, st.sampled_from([0x4000000C, 0x40000005, 0x4000FFFF])), (15, hv_max)),
                        weighted((90, st.just(SIG_HV)), (10, hv_sig)), st.just(False))
    hv3_cvm = hv3_with(90, 10)
    common = (((0x0, 0), opt(leaf0)), ((0x1, 0), opt(leaf1)), ((0x80000000, 0), opt(ext0)),
              ((0x8000001F, 0), opt(sev)), ((0x21, 0), opt(tdx)), ((0x4000000C, 0), opt(hvc)))
    detector_leaves = {
        False: common + (((0x40000000, 0), opt(hv0)), ((0x40000003, 0), opt(hv3))),
        True: common + (((0x40000000, 0), opt(hv0_cvm)), ((0x40000003, 0), opt(hv3_cvm))),
    }
    msr_choice = weighted((90, msr), (10, st.none()))
    cvm_profile = coin(40)
    base_index = weighted((30, st.just(-1)), (70, st.integers(0, max(len(bases) - 1, 0))))
    tdx_subleaf1 = coin(5)

    @st.composite
    def build(draw):
        base_i = draw(base_index) if bases else -1
        base = bases[base_i] if base_i >= 0 else None
        leaves: dict[tuple[int, int], tuple[int, int, int, int]] = dict(base.cpuid.cpu0()) if base else {}
        for key, choice_strategy in detector_leaves[draw(cvm_profile)]:
            choice = draw(choice_strategy)
            if choice == "absent":
                leaves.pop(key, None)
            elif choice is not None:
                leaves[key] = choice
        if draw(tdx_subleaf1):
            # a TDX signature only in subleaf 1: leaf 0x21 is read at subleaf 0
            leaves[(0x21, 1)] = _sig_regs(0, SIG_TDX, True)
        base_msrs = dict(base.msr) if base is not None and base.msr is not None else None
        m = draw(msr_choice)
        if m is None:
            msrs = base_msrs
        elif m == "no-device":
            msrs = None
        elif m == "no-sev-status":
            msrs = {k: v for k, v in (base_msrs or {0x10: 0x1234}).items() if k != MSR_AMD64_SEV}
        else:
            msrs = {**(base_msrs or {}), MSR_AMD64_SEV: m}
        return {"leaves": leaves, "msrs": msrs, "base": base_i}

    return build()


BATCH = 25  # platforms per hypothesis example: hypothesis' per-example overhead dominates otherwise


def to_platform(spec: dict[str, Any]) -> Platform:
    msrs = spec["msrs"]
    return Platform(arch="x86_64", cpuid=CpuidDump.from_leaves(spec["leaves"]),
                    msr=MsrSet(msrs) if msrs is not None else None)


def generated(n: int, seed: int, bases: list[Platform]) -> list[Case]:
    """``n`` platforms drawn by hypothesis (reproducible for a given ``seed``)."""
    if n <= 0:
        return []
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as hseed
    from hypothesis import strategies as st

    specs: list[dict[str, Any]] = []
    batch = min(BATCH, n)

    @hseed(seed)
    @settings(max_examples=-(-n // batch), database=None, deadline=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(st.lists(strategy(bases), min_size=batch, max_size=batch))
    def draw(batch_specs: list[dict[str, Any]]) -> None:
        specs.extend(batch_specs)

    draw()
    return [Case("generated", f"generated #{i} (seed {seed})", to_platform(s)) for i, s in enumerate(specs[:n])]


def describe(platform: Platform) -> str:
    """The detector inputs of a platform, for a disagreement report."""
    from pvenum.cpuid.model import regs_to_str

    dump = platform.cpuid
    # (label, leaf, how its registers read) for each leaf the detectors look at
    shown = (
        ("0x0", 0x0, lambda r: f"max 0x{r[0]:x} vendor {regs_to_str(r[1], r[3], r[2])!r}"),
        ("0x1.ecx", 0x1, lambda r: f"0x{r[2]:08x} (hypervisor bit {r[2] >> 31 & 1})"),
        ("0x80000000.eax", 0x80000000, lambda r: f"0x{r[0]:x}"),
        ("0x8000001f.eax", 0x8000001F, lambda r: f"0x{r[0]:08x} (SEV bit {r[0] >> 1 & 1})"),
        ("0x21", 0x21, lambda r: f"{regs_to_str(r[1], r[3], r[2])!r}"),
        ("0x40000000", 0x40000000, lambda r: f"max 0x{r[0]:x} {regs_to_str(r[1], r[2], r[3])!r}"),
        ("0x40000003.ebx", 0x40000003,
         lambda r: f"0x{r[1]:08x} (isolation {r[1] >> 22 & 1}, cpu-management {r[1] >> 12 & 1})"),
        ("0x4000000c", 0x4000000C, lambda r: f"eax 0x{r[0]:x} ebx 0x{r[1]:x} (type {r[1] & 0xF})"),
    )
    out = []
    for label, leaf, text in shown:
        r = dump.get(leaf) if dump is not None else None
        out.append(f"{label}: " + ("absent" if r is None else text(r)))
    if platform.msr is None:
        out.append("MSRs: none (/dev/cpu/0/msr cannot be opened)")
    else:
        v = platform.msr.get(MSR_AMD64_SEV)
        out.append("SEV_STATUS: " + ("not given (pread fails)" if v is None else f"0x{v:x}"))
    return "; ".join(out)
