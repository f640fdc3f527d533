"""Check every citation of the ``linux`` model against the source tree of the release it names.

    python -m crosscheck.linuxcites [--cache .cache/linuxsrc] [RELEASE ...]
    python -m crosscheck.linuxcites --markers     # the rows' markers as Markdown (docs/linux-releases.md)

For each release read as a tree (6.1, 6.12, 6.17, 6.18, 6.19, 7.1 and 7.2: Debian's orig tarballs, which
``python -m crosscheck.linuxsrc`` fetches into the cache), every rule of the x86 and arm64 Linux
models and of the cross-channel checks is cited as ``linux@RELEASE`` cites it
(pvenum/resolver/models/linux.py: cite_for()), and each torvalds/linux part of the citation,
``PATH: name(), NAME, a.b``, is looked up in that tarball: the file must exist and every function,
constant and field named must occur in it. A part that says ``(absent ...)`` after a path or a
name claims the opposite, and is checked too: the file, or the name in the file, must be missing.
7.2.8's tree stands for ``linux`` (mainline) as well. Each tree is also searched for every
:data:`ROW_MARKERS` entry, the mark one row of ``CHANGES`` left in the code: it must be there
exactly when the row says the release has that behaviour. Nothing is written but the unpacked
files under ``CACHE/VERSION/tree`` and the tarball's member list beside it (``members.txt``).
Exit status 1 when a citation does not hold (except those :data:`NOT_YET` lists with the
reason) or a row's marker is not where the row puts it.
"""

from __future__ import annotations

import argparse
import functools
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, NamedTuple

from . import linuxsrc

RELEASES = tuple(linuxsrc.RELEASES)  # the releases read as trees
LINUX = "torvalds/linux"
# A repository named at the start of a citation part ("acpica/acpica source/...") or after "; ".
_REPO = re.compile(r"^([A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+) (?:v\d+\.\d+ )?")
# Sources and the build files that decide what is built (a Makefile's obj-$(CONFIG_...) line,
# a Kconfig's option): a rule citing "arch/x86/kernel/cpu/Makefile: CONFIG_CPU_SUP_AMD" is checked.
_PATH = re.compile(r"\b((?:arch|drivers|include|kernel|mm|init|lib|fs|virt)/(?:[\w./-]+\.[chS]|(?:[\w.-]+/)*"
                   r"(?:Makefile|Kconfig)(?:[._]\w+)?))(?!\w|\.\w)")
_ABSENT = "(absent"
# What a part names: calls ("f()"), constants (CAPS, 4+ characters; "EFI_CC_TYPE_*" a prefix),
# fields ("a.b"); not file names in prose ("docs/sources.md", "arm.py").
_NAME = re.compile(r"\b([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)(\(\)|\*)?")
_FILE_NAME = re.compile(r"\.(?:c|h|S|md|py|toml)$")
_CONSTANT = re.compile(r"[A-Z][A-Z0-9_]{3,}")


# Claims that do not hold yet, by release, each for a behaviour the model does not place by release
# (docs/linux-releases.md), with the reason: reported, and the only failures the exit status
# forgives. Empty since arm64 hyperv_init() is placed by release (the "arm64-hyperv-smccc" row).
NOT_YET: dict[str, dict[str, str]] = {}


class RowMarker(NamedTuple):
    """What shows one CHANGES row in a tree: ``pattern`` in any of ``paths`` (the file's names
    across the releases), inside the body of the function or ``#define`` whose name matches
    ``scope`` when one is given. Present from the row's release on, or with ``removed`` before it
    only (the row took it away)."""
    paths: tuple[str, ...]
    pattern: str
    scope: str | None = None
    removed: bool = False


_SEV_SHARED = ("arch/x86/kernel/sev-shared.c", "arch/x86/coco/sev/shared.c", "arch/x86/boot/startup/sev-shared.c")
_SNP_INIT = ("arch/x86/kernel/sev.c", "arch/x86/coco/sev/core.c", "arch/x86/boot/startup/sev-startup.c")
_SME = ("arch/x86/mm/mem_encrypt_identity.c", "arch/x86/boot/startup/sme.c")
_MADT = ("arch/x86/kernel/acpi/boot.c", "arch/x86/kernel/acpi/madt_wakeup.c")
_DECOMP = ("arch/x86/boot/compressed/sev.c",)
_FEATURES = r"SNP_FEATURES_(?:PRESENT|IMPL)"  # the mask of features the kernel implements, by either name
_TDX = ("arch/x86/coco/tdx/tdx.c",)
_MSHYPERV = ("arch/x86/kernel/cpu/mshyperv.c",)

# One marker per row of pvenum/resolver/models/linux_releases.py CHANGES (a test keeps them in step),
# each read from the upstream code of the trees listed in docs/linux-releases.md: the trees bracket
# every row's release (present in the first tree at or after it, absent from the last before it).
ROW_MARKERS: dict[str, RowMarker] = {
    "mp-wakeup": RowMarker(_MADT, r"acpi_parse_mp_wake"),
    "snp-ap-creation": RowMarker(("arch/x86/kernel/sev.c", "arch/x86/coco/sev/core.c"), r"wakeup_cpu_via_vmgexit"),
    "tdx-guest": RowMarker(_TDX, r"\btdx_early_init\b"),
    "snp-feature-check": RowMarker(_DECOMP, r"SNP_FEATURES_IMPL_REQ"),
    "efi-stub-snp-check": RowMarker(("drivers/firmware/efi/libstub/x86-stub.c",), r"have_unsupported_snp_features\(",
                                    scope=r"efi_stub_entry"),
    "tdx-guest-driver": RowMarker(("drivers/virt/coco/tdx-guest/tdx-guest.c",), r"\btdx_guest_init\b"),
    "tdx-sept-relax": RowMarker(_TDX, r"ATTR_DEBUG"),
    "unaccepted-memory": RowMarker(("arch/x86/include/asm/unaccepted_memory.h",), r"arch_accept_memory"),
    "hyperv-snp-ap": RowMarker(("arch/x86/hyperv/ivm.c",), r"\bhv_snp_boot_ap\("),
    "hyperv-tdx-reduced-hw": RowMarker(_MSHYPERV, r"reduced_hw_init"),
    "hyperv-vtom": RowMarker(("arch/x86/hyperv/ivm.c",), r"\bhv_vtom_init\("),
    "snp-debug-swap": RowMarker(_DECOMP, r"MSR_AMD64_SNP_DEBUG_SWAP", scope=_FEATURES),
    "configfs-tsm": RowMarker(("drivers/virt/coco/tsm.c", "drivers/virt/coco/guest/report.c"),
                              r"\btsm_register\(|\btsm_report_register\("),
    # Both strings, in either order (two lookaheads from every position would be quadratic).
    "mp-wakeup-offline": RowMarker(_MADT, r"(?s)acpi_mp_reset_vector.*No MADT mailbox|No MADT mailbox.*acpi_mp_reset_vector"),
    "svsm": RowMarker(_SEV_SHARED, r"\bsvsm_setup_ca\("),
    "svsm-attestation": RowMarker(("drivers/virt/coco/sev-guest/sev-guest.c",), r"SVSM_ATTEST"),
    "pkvm-guest": RowMarker(("drivers/virt/coco/pkvm-guest/arm-pkvm-guest.c",), r"pkvm_init_hyp_services"),
    "tdx-sept-flexible": RowMarker(_TDX, r"TDCS_CONFIG_FLEXIBLE_PENDING_VE"),
    "cca-realm": RowMarker(("arch/arm64/kernel/rsi.c",), r"\barm64_rsi_init\("),
    "snp-init-secrets": RowMarker(_SNP_INIT, r"secrets_len\s*==\s*PAGE_SIZE", scope=r"snp_init"),
    "snp-no-blob-abort": RowMarker(_SME, r"snp_en\s*\^", scope=r"sme_enable"),
    "secure-tsc": RowMarker(_DECOMP, r"MSR_AMD64_SNP_SECURE_TSC", scope=_FEATURES),
    "hyperv-partition-type": RowMarker(("drivers/hv/hv_common.c",), r"\bhv_identify_partition_type\("),
    "arm64-hyperv-smccc": RowMarker(("arch/arm64/hyperv/mshyperv.c",), r"\bhyperv_detect_via_smccc\("),
    "tpm-svsm": RowMarker(("drivers/char/tpm/tpm_svsm.c",), r"\btpm_svsm_probe\("),
    "bhyve": RowMarker(("arch/x86/kernel/cpu/bhyve.c",), r"\bbhyve_detect\("),
    "hyperv-l1vh": RowMarker(("drivers/hv/hv_common.c",), r"HV_PARTITION_TYPE_L1VH"),
    "secure-avic": RowMarker(_DECOMP, r"\bSNP_FEATURE_SECURE_AVIC\b|MSR_AMD64_SNP_SECURE_AVIC", scope=_FEATURES),
    # The decompressor's own VMPL0 test: enforce_vmpl0() in 6.1, RMPADJUST in sev_enable() after.
    "snp-vmpl-from-svsm": RowMarker(_DECOMP, r"\brmpadjust\(", removed=True),
    "confidential-vmbus": RowMarker(_MSHYPERV, r"confidential_vmbus_available"),
    "amd-cc-vendor": RowMarker(("arch/x86/kernel/cpu/amd.c",), r"cc_vendor\s*=\s*CC_VENDOR_AMD", scope=r"bsp_determine_snp"),
    "smccc-hyp-uuid": RowMarker(("drivers/firmware/smccc/kvm_guest.c",), r"\barm_smccc_hypervisor_has_uuid\(",
                                scope=r"kvm_init_hyp_services"),
    "smccc-uid-any-conduit": RowMarker(("drivers/firmware/smccc/smccc.c",),
                                       r"arm_smccc_1_1_invoke\(ARM_SMCCC_VENDOR_HYP_CALL_UID_FUNC_ID",
                                       scope=r"arm_smccc_hypervisor_has_uuid"),
    "sme-xloadflag": RowMarker(_SME, r"\bXLF_MEM_ENCRYPTION\b", scope=r"sme_enable"),
    "sev-snp-feature": RowMarker(("arch/x86/kernel/cpu/amd.c",), r"setup_clear_cpu_cap\(X86_FEATURE_SEV_SNP\)",
                                 scope=r"early_detect_mem_encrypt"),
}


def scoped(text: str, scope: str | None) -> str:
    """The part of a C source ``text`` a marker looks in: the whole file, or the bodies of the
    functions (a definition line, then up to the first ``}`` at the start of a line) and
    ``#define``s (up to the first line without a trailing backslash) whose name matches ``scope``."""
    if scope is None:
        return text
    # The definition line is one line (no "." across lines there); its parameters may wrap.
    parts = [m.group(0) for m in re.finditer(rf"^[^\s#][^\n]*\b(?:{scope})\([^;{{]*\)\s*\{{.*?^\}}", text, re.M | re.S)]
    parts += [m.group(0) for m in re.finditer(rf"^#define\s+(?:{scope})\b(?:.*\\\n)*.*$", text, re.M)]
    return "\n".join(parts)


def row_markers(release: str, read: Callable[[str], str | None]) -> list[tuple[str, bool, bool]]:
    """(row, expected, found) for every CHANGES row in ``release``'s tree; ``read`` gives a file's
    text, None when the tree lacks it."""
    from pvenum.resolver.models.linux_releases import CHANGES, parse_release

    rel = parse_release(release)
    out = []
    for key, change in CHANGES.items():
        marker = ROW_MARKERS[key]
        texts = [t for t in map(read, marker.paths) if t is not None]
        found = any(re.search(marker.pattern, scoped(t, marker.scope)) for t in texts)
        out.append((key, (rel >= change.since) != marker.removed, found))
    return out


@dataclass(frozen=True)
class Claim:
    rule: str
    path: str
    name: str | None  # None: the file itself
    present: bool  # False: the citation says it is absent in this release

    def __str__(self) -> str:
        what = self.path if self.name is None else f"{self.path}: {self.name}"
        return f"{self.rule}: {what} {'present' if self.present else 'absent'}"


def _names(text: str) -> list[tuple[str, bool]]:
    """The names a citation part gives after its path, each with whether it is claimed present."""
    out = []
    for m in _NAME.finditer(text):
        name, call = m.group(1), m.group(2)
        if call == "*":
            name += "*"  # a prefix
        elif not (call or "." in name or _CONSTANT.fullmatch(name)):
            continue
        if _FILE_NAME.search(name) or text[:m.start()].endswith("/"):
            continue
        present = not text[m.end():].lstrip().startswith(_ABSENT)
        out.append((name, present))
    return out


def claims(rule: str, cite: str) -> list[Claim]:
    """What one citation claims of the torvalds/linux tree: files and the names in them."""
    out: list[Claim] = []
    repo = None
    for part in re.split(r";\s*| vs ", cite):
        m = _REPO.match(part)
        if m:
            repo = m.group(1)
            part = part[m.end():]
        if repo != LINUX:
            continue
        paths = list(_PATH.finditer(part))
        for i, pm in enumerate(paths):
            path = pm.group(1)
            rest = part[pm.end():paths[i + 1].start() if i + 1 < len(paths) else len(part)]
            if rest.lstrip().startswith(_ABSENT):
                out.append(Claim(rule, path, None, False))
                continue
            out.append(Claim(rule, path, None, True))
            if rest.lstrip().startswith(":"):
                out.extend(Claim(rule, path, name, present) for name, present in _names(rest.lstrip()[1:]))
    return out


@functools.cache  # read by _tree (which files to unpack) and by check
def release_claims(release: str) -> tuple[Claim, ...]:
    from pvenum.resolver import crosschannel
    from pvenum.resolver.models import linux_arm64, linux_x86
    from pvenum.resolver.models.linux import cite_for
    from pvenum.resolver.models.linux_releases import parse_release

    rel = parse_release(release)
    rules = [*linux_x86.RULES, linux_x86.FINAL, *linux_arm64.RULES, linux_arm64.FINAL, *crosschannel.RULES]
    return tuple(c for r in rules for c in claims(r.id, cite_for(r.cite, rel)))


def tarball(cache: Path, release: str) -> Path | None:
    """The cached orig tarball of ``release`` (crosscheck.linuxsrc fetches it), newest version first."""
    found = sorted(cache.glob(f"{release}.*/linux_{release}.*.orig.tar.xz"),
                   key=lambda p: [int(x) for x in re.findall(r"\d+", p.name)], reverse=True)
    return found[0] if found else None


@functools.cache
def _tree(cache: Path, release: str) -> Callable[[str], str | None]:
    """A reader of ``release``'s cached tarball, made once per release: every file the citations
    and the row markers name that the tarball has is unpacked into its ``tree`` directory when
    missing (one tar run), and the reader returns a file's text, or None for a path the tarball
    lacks. The member list is listed once (``members.txt`` beside the tarball)."""
    paths = {c.path for c in release_claims(release)} | {p for m in ROW_MARKERS.values() for p in m.paths}
    tar = tarball(cache, release)
    if tar is None:
        raise FileNotFoundError(f"no Debian linux {release} orig tarball under {cache} "
                                f"(python -m crosscheck.linuxsrc {release} fetches it)")
    version = tar.name.removeprefix("linux_").removesuffix(".orig.tar.xz")
    tree = tar.parent / "tree"
    root = tree / f"linux-{version}"
    listing = tar.parent / "members.txt"
    if not listing.exists():
        names = subprocess.run(["tar", "-tJf", str(tar)], capture_output=True, text=True, check=True,
                               timeout=1800).stdout
        tmp = listing.with_suffix(".tmp")
        tmp.write_text(names)
        tmp.replace(listing)
    members = set(listing.read_text().splitlines())
    wanted = sorted(p for p in paths if f"linux-{version}/{p}" in members and not (root / p).exists())
    if wanted:
        tree.mkdir(exist_ok=True)
        subprocess.run(["tar", "-xJf", str(tar), "-C", str(tree), *(f"linux-{version}/{p}" for p in wanted)],
                       capture_output=True, check=True, timeout=1800)
    texts: dict[str, str | None] = {}

    def read(path: str) -> str | None:
        if path not in texts:
            texts[path] = (root / path).read_text(errors="replace") if f"linux-{version}/{path}" in members else None
        return texts[path]

    return read


def check(cache: Path, release: str) -> tuple[tuple[Claim, ...], list[Claim]]:
    """(claims checked, claims that do not hold) for ``release``."""
    cs = release_claims(release)
    read = _tree(cache, release)
    bad = []
    for c in cs:
        text = read(c.path)
        if c.name is None:
            holds = (text is not None) == c.present
        elif text is None:
            holds = False  # a name in a missing file: the citation is wrong either way
        else:
            found = all(re.search(rf"\b{re.escape(part[:-1])}" if part.endswith("*") else rf"\b{re.escape(part)}\b", text)
                        for part in c.name.split("."))
            holds = found == c.present
        if not holds:
            bad.append(c)
    return cs, bad


def check_rows(cache: Path, release: str) -> list[tuple[str, bool, bool]]:
    """(row, expected, found) for every CHANGES row's marker in ``release``'s tree."""
    return row_markers(release, _tree(cache, release))


def markers_markdown() -> str:
    """Every CHANGES row's marker as a Markdown table (docs/linux-releases.md quotes it): what a
    reviewer greps a tree for to place the row, without fetching anything."""
    from pvenum.report.markdown import md_code
    from pvenum.resolver.models.linux_releases import CHANGES

    lines = ["| row | since | from `since` on, the tree | has this (a Python regex) | in | inside the body of |",
             "|---|---|---|---|---|---|"]
    for key, marker in sorted(ROW_MARKERS.items(), key=lambda kv: (CHANGES[kv[0]].since, kv[0])):
        files = " or ".join(md_code(p) for p in marker.paths)
        scope = md_code(marker.scope) if marker.scope else "the whole file"
        lines.append(f"| `{key}` | {CHANGES[key].since.tag} | {'lacks' if marker.removed else 'has'} | "
                     f"{md_code(marker.pattern)} | {files} | {scope} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", type=Path, default=Path(".cache/linuxsrc"))
    ap.add_argument("--markers", action="store_true",
                    help="print the CHANGES rows' markers as Markdown (docs/linux-releases.md) and stop")
    ap.add_argument("release", nargs="*", default=list(RELEASES))
    args = ap.parse_args(argv)
    if args.markers:
        sys.stdout.write(markers_markdown())
        return 0
    linuxsrc.check_releases(ap, args.release)
    failed = 0
    for release in args.release:
        try:
            cs, bad = check(args.cache, release)
        except FileNotFoundError as err:
            print(f"linuxcites: {err}", file=sys.stderr)
            return 1
        known = NOT_YET.get(release, {})
        print(f"linux@{release}: {len(cs)} citation claims, {len(cs) - len(bad)} hold, {len(bad)} do not")
        for c in bad:
            why = known.get(str(c))
            print(f"  {c}" + (f"  [known: {why}]" if why else ""))
            failed += why is None
        rows = check_rows(args.cache, release)
        wrong = [(k, want) for k, want, found in rows if want != found]
        print(f"linux@{release}: {len(rows)} CHANGES rows, {len(rows) - len(wrong)} as placed, {len(wrong)} not")
        for k, want in wrong:
            print(f"  {k}: expected {'present' if want else 'absent'}, the tree says otherwise")
        failed += len(wrong)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
