"""Arm facts several models share: boot firmware, the SMCCC conduit, RSI, the vendor hypervisor.

Each function reads the platform through the rule's :class:`~pvenum.resolver.engine.Ctx`, so the
evidence names the exact source (``dt /psci:method``, ``acpi FACP.ArmBootFlags``,
``smccc 0xc4000190.x0``, ``smccc 0xc4000196 realm_config.ipa_bits``), and mirrors one kernel
function:

- :func:`boot_firmware` (:func:`acpi_attempt`) — arch/arm64/kernel/acpi.c acpi_boot_table_init(),
  dt_is_stub(), acpi_fadt_sanity_check()
- :func:`psci` — drivers/firmware/psci/psci.c psci_dt_init() (psci_of_match,
  get_set_conduit_method()) / psci_acpi_init() (acpi_psci_present(), acpi_psci_use_hvc())
- :func:`smccc` (:func:`psci_version`, :func:`smccc_version`) —
  psci_init_smccc() (psci_features()); drivers/firmware/smccc/smccc.c arm_smccc_version_init(),
  arm_smccc_1_1_get_conduit()
- :func:`rsi_init` — arch/arm64/kernel/rsi.c arm64_rsi_init(), rsi_version_matches(),
  arm64_rsi_setup_memory()
- :func:`xen`, :func:`xen_dt_guest_init` — arch/arm/xen/enlighten.c xen_early_init(),
  fdt_find_hyper_node(), xen_dt_guest_init()
- :func:`vendor_uid`, :func:`hyperv`, :func:`hypervisor` — smccc.c arm_smccc_hypervisor_has_uuid();
  arch/arm64/hyperv/mshyperv.c hyperv_detect_via_acpi() / _smccc(); drivers/firmware/smccc/kvm_guest.c
  kvm_init_hyp_services()

Paths are torvalds/linux; the versions read are in docs/sources.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple, Sequence

from ..acpi.constants import ARM_PSCI_COMPLIANT, ARM_PSCI_USE_HVC, FADT_HW_REDUCED_ACPI
from ..arm import smccc as S
from ..fdt.values import cells_to_int, u32_cells
from .engine import Ctx
from .shared import once_per_platform, shared

# arch/arm64/kernel/rsi.c arm64_create_dummy_rsi_dev() registers platform device RSI_PDEV_NAME
# (arch/arm64/include/asm/rsi.h) when is_realm_world(): Linux binds arm-cca-guest to it, systemd
# v258+ tests that it exists.
RSI_PDEV_NAME = "arm-cca-dev"
RSI_PDEV_SYSFS = f"/sys/devices/platform/{RSI_PDEV_NAME}"
SMCCC_1_1 = 0x10001
PSCI_COMPATIBLES = ("arm,psci-1.0", "arm,psci-0.2", "arm,psci")  # psci_of_match[] (psci.c)
HYPERV_ID = "MsHyperV"


def _ver(word: int | None) -> str:
    return "?" if word is None else f"{word >> 16 & 0x7FFF}.{word & 0xFFFF}"


# -- which firmware description the kernel uses ---------------------------------------------------


def dt_is_stub(ctx: Ctx) -> bool:
    """dt_is_stub(): every depth-1 node is /chosen or a Xen /hypervisor (what the EFI stub hands
    over beside ACPI)."""
    tree = ctx.p.fdt
    assert tree is not None
    names = [ch.name for ch in tree.root.children]
    stub = all(ch.name == "chosen" or (ch.name == "hypervisor" and "xen,xen" in (ch.strings("compatible") or []))
               for ch in tree.root.children)
    ctx.note("dt /*", ",".join(names) if names else "(none)", name=f"dt_is_stub() = {str(stub).lower()}")
    return stub


@shared('torvalds/linux arch/arm64/kernel/acpi.c: acpi_boot_table_init(), dt_is_stub(), acpi_fadt_sanity_check()')
def boot_firmware(ctx: Ctx) -> str | None:
    """"dt" or "acpi": whether arm64 Linux keeps ACPI (acpi_boot_table_init(): ACPI unless the DT
    is more than a stub, with no acpi= on the command line, and only when the FADT passes
    acpi_fadt_sanity_check(): otherwise disable_acpi(), and the stub DT is what is left), or None
    when the platform has neither."""
    if ctx.p.fdt is None and (ctx.p.acpi is None or ctx.p.acpi.get("FACP") is None):
        ctx.note("dt /", None, name="no devicetree in this platform")
        ctx.note("acpi FACP", None, name="no ACPI FADT in this platform")
        return None
    check = acpi_attempt(ctx)
    return "acpi" if check is not None and check.ok else "dt"


class FadtCheck(NamedTuple):  # immutable: a shared reading of the platform
    ok: bool
    problem: str | None = None
    dmesg: Sequence[str] = ()


@once_per_platform  # a step of boot_firmware(), read again by the linux model for its dmesg
def acpi_attempt(ctx: Ctx) -> FadtCheck | None:
    """What acpi_boot_table_init() makes of the FADT when it tries ACPI (there is a FADT, and the
    devicetree is at most the EFI stub's: dt_is_stub()); None when it does not try."""
    if ctx.p.acpi is None or ctx.p.acpi.get("FACP") is None:
        ctx.note("acpi FACP", False, name="no ACPI tables: acpi_disabled")
        return None
    if ctx.p.fdt is None:
        ctx.note("dt /", None, name="no devicetree beyond the EFI stub's /chosen: dt_is_stub()")
    elif not dt_is_stub(ctx):
        return None
    return _fadt_sanity(ctx)


def _fadt_sanity(ctx: Ctx) -> FadtCheck:
    """acpi_fadt_sanity_check() (arch/arm64/kernel/acpi.c, 6.1.176 and 7.2.8 alike): a FADT
    below 5.1 (header revision, then MinorRevision) passes only with ArmBootFlags set, and the
    FADT must say HW_REDUCED_ACPI. It reads the table acpi_get_table() maps, not ACPICA's
    zero-filled local copy: a field past a short FADT's Length is taken as 0 here (the kernel
    would read whatever follows the table)."""
    fadt = ctx.p.acpi.get("FACP")
    rev = ctx.note("acpi FACP.Revision", fadt.revision, name="table->revision (5.1 or later wanted)")
    minor = ctx.acpi_field("FACP", "MinorRevision", name="fadt->minor_revision") or 0
    dmesg = []
    if rev < 5 or (rev == 5 and minor < 1):
        dmesg.append(f"[Firmware Bug]: Unsupported FADT revision {rev}.{minor}, should be 5.1+")
        if not ctx.acpi_field("FACP", "ArmBootFlags", name="fadt->arm_boot_flags"):
            return FadtCheck(False, f"FADT revision {rev}.{minor} (below 5.1) without ArmBootFlags",
                             (*dmesg, "Failed to init ACPI tables"))
        dmesg.append("FADT has ARM boot flags set, assuming 5.1")
    flags = ctx.acpi_field("FACP", "Flags", name="fadt->flags & ACPI_FADT_HW_REDUCED (bit 20)") or 0
    if not flags & FADT_HW_REDUCED_ACPI:
        return FadtCheck(False, "FADT Flags: HW_REDUCED_ACPI clear",
                         (*dmesg, "FADT not ACPI hardware reduced compliant", "Failed to init ACPI tables"))
    return FadtCheck(True, None, tuple(dmesg))


# -- PSCI and the SMCCC conduit -------------------------------------------------------------------


class Psci(NamedTuple):  # immutable: a shared reading of the platform
    firmware: str | None  # "dt" | "acpi" | None
    conduit: str | None  # "smc" | "hvc" | "none" | None (unknown)
    node: str | None = None  # the DT node psci_dt_init() matched
    compatible: str | None = None  # its best psci_of_match entry
    problem: str | None = None  # the kernel's complaint when it finds no conduit
    dmesg: Sequence[str] = ()


def _psci_node(ctx: Ctx) -> tuple[Any, str | None]:
    """of_find_matching_node_and_match(NULL, psci_of_match): the first node in document order
    (for_each_of_allnodes_from()) compatible with a PSCI entry, wherever it sits: /psci is where
    VMMs put it, but an earlier matching node is the one psci_dt_init() takes."""
    for node in ctx.p.fdt.walk():
        entry = _psci_entry(node)
        if entry is not None:
            return node, entry
    return None, None


def _psci_entry(node: Any) -> str | None:
    """of_match_node(): the node's earliest compatible string that psci_of_match lists."""
    return next((entry for entry in node.strings("compatible") or () if entry in PSCI_COMPATIBLES), None)


@once_per_platform  # a step between the shared predicates (psci(), smccc(), xen()): not listed itself
def psci(ctx: Ctx) -> Psci:
    fw = boot_firmware(ctx)
    if fw is None:
        return Psci(None, None, problem="no devicetree and no ACPI FADT: the conduit is unknown")
    if fw == "acpi":
        flags = ctx.acpi_field("FACP", "ArmBootFlags", name="ACPI_FADT_PSCI_COMPLIANT [0] | PSCI_USE_HVC [1] "
                               "(acpi_psci_present(), acpi_psci_use_hvc())")
        if not isinstance(flags, int):
            return Psci(fw, None, problem="FADT has no ArmBootFlags")
        if not flags & ARM_PSCI_COMPLIANT:
            return Psci(fw, "none", problem="FADT ArmBootFlags: PSCI_COMPLIANT clear",
                        dmesg=["psci: is not implemented in ACPI."])
        method = "hvc" if flags & ARM_PSCI_USE_HVC else "smc"
        return Psci(fw, method, dmesg=["psci: probing for conduit method from ACPI."])
    node, compat = _psci_node(ctx) if ctx.p.fdt is not None else (None, None)
    if node is None:
        ctx.dt_node("/psci", name="psci_dt_init(): no node matches psci_of_match")
        return Psci(fw, "none", problem="no PSCI node in the devicetree (psci_dt_init() returns -ENODEV)")
    path = node.path
    # Read from the matched node itself, as the kernel does (no second lookup by its path).
    ctx.dt_prop_of(node, "compatible", kind="strings", name=f"psci_of_match: {compat}")
    # psci_dt_init(): !of_device_is_available(np) reads the status whatever it holds (absent: available).
    ctx.dt_prop_of(node, "status", name="of_device_is_available()")
    if not available(node):
        status = (status_word(node) or b"").decode("utf-8", "surrogateescape")  # set: only a status disables
        return Psci(fw, "none", path, compat, problem=f"{path} status = \"{status}\": psci_dt_init() returns -ENODEV")
    method = ctx.dt_prop_of(node, "method", name="get_set_conduit_method()")
    dmesg = ["psci: probing for conduit method from DT."]
    if method is None:
        return Psci(fw, "none", path, compat, problem=f"{path} has no \"method\"",
                    dmesg=dmesg + ["psci: missing \"method\" property"])
    if method not in ("hvc", "smc"):
        return Psci(fw, "none", path, compat, problem=f"{path} method = \"{method}\"",
                    dmesg=dmesg + [f"psci: invalid \"method\" property: {method}"])
    return Psci(fw, method, path, compat, dmesg=dmesg)


def psci_version(ctx: Ctx, p: Psci) -> int | None:
    """PSCI_VERSION (psci_0_2_get_version()); "arm,psci" (0.1) firmware has no version call."""
    if p.compatible == "arm,psci":
        return None
    if ctx.p.smccc is not None and ctx.p.smccc.has(S.PSCI_VERSION):
        return ctx.smccc(S.PSCI_VERSION, 0, name="PSCI_VERSION")
    ctx.note(f"smccc {S.PSCI_VERSION:#010x}.x0 (assumed)", 0x10001, name="PSCI_VERSION not in [smccc]; PSCI 1.1 assumed")
    return 0x10001


SMCCC_1_0 = 0x10000
PSCI_RET_NOT_SUPPORTED = -1  # include/uapi/linux/psci.h


def smccc_version(ctx: Ctx) -> int:
    """psci_init_smccc(): psci_features(ARM_SMCCC_VERSION_FUNC_ID) first, an int (x0's low 32
    bits, signed); unless that is PSCI_RET_NOT_SUPPORTED, SMCCC_VERSION, kept as a u32 and taken
    from 1.1 on (so a NOT_SUPPORTED x0 reads 0xffffffff: past 1.1), else 1.0. An unanswered call
    means the platform did not say, and SMCCC 1.1+ firmware implements both, so that is assumed
    and recorded as such."""
    a = ctx.p.smccc
    if a is not None and a.has(S.PSCI_FEATURES):
        feature = ctx.smccc(S.PSCI_FEATURES, 0, name="psci_features(ARM_SMCCC_VERSION_FUNC_ID) (int)") or 0
        if S.signed(feature, 32) == PSCI_RET_NOT_SUPPORTED:
            return SMCCC_1_0
    else:
        ctx.note(f"smccc {S.PSCI_FEATURES:#010x}.x0 (assumed)", 0,
                 name="PSCI_FEATURES not in [smccc]; SMCCC_VERSION assumed implemented")
    if a is not None and a.has(S.SMCCC_VERSION):
        v = (ctx.smccc(S.SMCCC_VERSION, 0, name="SMCCC_VERSION (u32 ret)") or 0) & 0xFFFFFFFF
        return v if v >= SMCCC_1_1 else SMCCC_1_0
    ctx.note("smccc 0x80000000.x0 (assumed)", SMCCC_1_1, name="SMCCC_VERSION not in [smccc]; 1.1 assumed")
    return SMCCC_1_1


class Smccc(NamedTuple):  # immutable: a shared reading of the platform
    conduit: str | None  # arm_smccc_1_1_get_conduit(): "smc" | "hvc" | "none" | None (unknown)
    psci_version: int | None = None  # PSCI_VERSION, when asked
    version: int | None = None  # what psci_init_smccc() settles on (PSCI 1.0+): SMCCC_VERSION, or 1.0


@once_per_platform  # a step between the shared predicates (psci(), smccc(), xen()): not listed itself
def smccc(ctx: Ctx) -> Smccc:
    """psci_probe() → psci_init_smccc(): PSCI_VERSION, then from PSCI 1.0 on the SMCCC version
    (:func:`smccc_version`: PSCI_FEATURES, then SMCCC_VERSION), and
    what arm_smccc_1_1_get_conduit() answers: the PSCI conduit, or "none" below SMCCC 1.1 (PSCI
    < 1.0 firmware never reports SMCCC_VERSION). One step, since every caller wants the conduit
    and psci_init() the versions read on the way."""
    p = psci(ctx)
    if p.conduit in (None, "none"):
        return Smccc(p.conduit)
    pv = psci_version(ctx, p)
    if pv is None or pv >> 16 < 1:
        return Smccc("none", pv)
    sv = smccc_version(ctx)
    return Smccc(p.conduit if sv >= SMCCC_1_1 else "none", pv, sv)


# -- RSI: arm64_rsi_init() ------------------------------------------------------------------------


@dataclass  # built step by step in rsi_init(); shared between models after it returns: read only
class RsiInit:
    """What arm64_rsi_init() did, step by step."""

    realm: bool | None  # is_realm_world(); None when evidence it needs is missing
    reason: str
    conduit: str | None = None  # arm_smccc_1_1_get_conduit()
    status: int | None = None  # RSI_VERSION x0
    lower: int | None = None
    higher: int | None = None
    ipa_bits: int | None = None
    prot_ns_shared: int | None = None
    missing: str | None = None
    panic: str | None = None
    hang: str | None = None  # arm64_rsi_setup_memory() never returns: RSI_IPA_STATE_SET makes no progress
    warn: str | None = None
    dmesg: list[str] = field(default_factory=list)
    assumed: list[str] = field(default_factory=list)

    @property
    def stopped(self) -> str | None:
        """How the boot stops in arm64_rsi_setup_memory() (a panic or a hang); None if it does not."""
        return f"panic: {self.panic}" if self.panic else f"hang: {self.hang}" if self.hang else None


_CFG_IPA_BITS = f"smccc {S.RSI_REALM_CONFIG:#010x} realm_config.ipa_bits"  # evidence sources
_CFG_HASH_ALGO = f"smccc {S.RSI_REALM_CONFIG:#010x} realm_config.hash_algo"


@shared('torvalds/linux arch/arm64/kernel/rsi.c: arm64_rsi_init()')
def rsi_init(ctx: Ctx) -> RsiInit:
    p = psci(ctx)
    if p.conduit is None:
        what = "the SMCCC conduit (DT /psci method or FADT ArmBootFlags)"
        return RsiInit(None, f"missing {what}", missing=what)
    c = smccc(ctx).conduit
    if c != "smc":
        return RsiInit(False, f"arm_smccc_1_1_get_conduit() is {c.upper() if c != 'none' else 'NONE'}, "
                       "not SMC: arm64_rsi_init() returns at once", conduit=c)
    if ctx.p.smccc is None:
        what = "the SMCCC answers (platform.toml [smccc]: RSI_VERSION 0xc4000190)"
        ctx.note(f"smccc {S.RSI_VERSION:#010x}.x0", None, name="no [smccc] answers in this platform")
        return RsiInit(None, f"missing {what}", conduit=c, missing=what)
    status = ctx.smccc(S.RSI_VERSION, 0, name="rsi_request_version(RSI_ABI_VERSION): x0 status")
    if status == S.SMCCC_RET_NOT_SUPPORTED:
        return RsiInit(False, "RSI_VERSION answers SMCCC_RET_NOT_SUPPORTED: not a realm (silently)",
                       conduit=c, status=status)
    lower = ctx.smccc(S.RSI_VERSION, 1, name="x1 lower implemented revision")
    higher = ctx.smccc(S.RSI_VERSION, 2, name="x2 higher implemented revision")
    if status != S.RSI_SUCCESS:
        line = (f"RME: RMM doesn't support RSI version {_ver(S.RSI_ABI_VERSION)}. "
                f"Supported range: {_ver(lower)}-{_ver(higher)}")
        name = S.RSI_STATUS_NAMES.get(status, f"0x{status:x}")
        return RsiInit(False, f"RSI_VERSION returns {name}: rsi_version_matches() fails", conduit=c,
                       status=status, lower=lower, higher=higher, dmesg=[line])
    r = RsiInit(True, "", conduit=c, status=status, lower=lower, higher=higher,
                dmesg=[f"RME: Using RSI version {_ver(lower)}"])
    # rsi_get_realm_config(&config): WARN_ON(failure) and return.
    if ctx.p.smccc.has(S.RSI_REALM_CONFIG):
        cfg_status = ctx.smccc(S.RSI_REALM_CONFIG, 0, name="rsi_get_realm_config(): x0 status")
    else:
        cfg_status = S.RSI_SUCCESS
        ctx.note(f"smccc {S.RSI_REALM_CONFIG:#010x}.x0 (assumed)", 0, name="RSI_REALM_CONFIG not in [smccc]; RSI 1.0 requires it: "
                 "success assumed")
        r.assumed.append("RSI_REALM_CONFIG succeeds")
    if cfg_status != S.RSI_SUCCESS:
        r.realm = False
        r.warn = f"RSI_REALM_CONFIG returns 0x{cfg_status:x}: WARN_ON(rsi_get_realm_config(&config)) and return"
        r.reason = r.warn
        r.dmesg.append("WARNING: CPU: 0 PID: 0 at arch/arm64/kernel/rsi.c arm64_rsi_init")
        return r
    cfg = ctx.p.smccc.realm_config(leading=True)  # what arm64_rsi_init() reads of the granule
    if cfg is None:
        ctx.note(_CFG_IPA_BITS, None,
                 name="struct realm_config not stated ([smccc.realm_config]): prot_ns_shared unknown")
        r.assumed.append("realm_config unknown")
    else:
        r.ipa_bits = ctx.note(_CFG_IPA_BITS, cfg["ipa_bits"],
                              name="struct realm_config.ipa_bits (RMM ipa_width)")
        ctx.note(_CFG_HASH_ALGO, cfg["hash_algo"], name="RSI_HASH_SHA_256 0 / _512 1")
        if r.ipa_bits:
            r.prot_ns_shared = 1 << (r.ipa_bits - 1) if r.ipa_bits <= 64 else None
    # arm64_rsi_setup_memory(): every memblock range -> RIPAS_RAM (RSI_NO_CHANGE_DESTROYED) through
    # asm/rsi.h rsi_set_memory_range(): while (start != end) { call; if (ret || top < start ||
    # top > end) return -EINVAL; start = top; }, and panic("Failed to set memory range to
    # protected: %pa-%pa", &start, &end) with for_each_mem_range()'s exclusive end.
    if ctx.p.smccc.has(S.RSI_IPA_STATE_SET):
        set_status = ctx.smccc(S.RSI_IPA_STATE_SET, 0, name="rsi_set_addr_range_state(): x0 status")
        response = ctx.smccc(S.RSI_IPA_STATE_SET, 2, name="x2 RSI_ACCEPT 0 / RSI_REJECT 1")
        if set_status != S.RSI_SUCCESS or response != S.RSI_ACCEPT:
            ranges = memblock_ranges(memory_ranges(ctx))
            r.panic = _ripas_panic(*ranges[0]) if ranges else _ripas_panic(None, None)
            r.reason = "arm64_rsi_setup_memory(): RSI_IPA_STATE_SET fails: panic()"
            return r
        # One answer stands for every call: x1 = 0 (RIPAS_TOP_WHOLE) reads as the RMM setting each
        # range it is asked whole (top = end); any other x1 is the top every call returns.
        top = ctx.smccc(S.RSI_IPA_STATE_SET, 1, name="x1 top: 0 = each range set whole (top = end), "
                        "else the top returned to every call")
        # With each range set whole, which ranges there are decides nothing: they are not read.
        ranges = memblock_ranges(memory_ranges(ctx)) if top != S.RIPAS_TOP_WHOLE else []
        if top != S.RIPAS_TOP_WHOLE and not ranges:
            # No RAM in the DT (an EFI boot rebuilds memblock from the EFI memory map,
            # drivers/firmware/efi/efi-init.c reserve_regions()): nothing to hold the top to.
            r.assumed.append(f"RSI_IPA_STATE_SET's top 0x{top:x} ends each memory range (no RAM in the DT to check it against)")
        for start, end in ranges:
            if top < start or top > end:
                r.panic = _ripas_panic(start, end)
                r.reason = (f"arm64_rsi_setup_memory(): RSI_IPA_STATE_SET returns top 0x{top:x} outside "
                            f"[0x{start:x}, 0x{end:x}]: rsi_set_memory_range() -EINVAL, panic()")
                return r
            if top != end:  # start = top; the next call returns the same top: start never moves again
                r.hang = (f"rsi_set_memory_range(0x{start:x}, 0x{end:x}) loops: every RSI_IPA_STATE_SET "
                          f"returns top 0x{top:x}, short of the end")
                r.reason = "arm64_rsi_setup_memory(): RSI_IPA_STATE_SET makes no progress: the boot hangs"
                return r
    else:
        ctx.note(f"smccc {S.RSI_IPA_STATE_SET:#010x}.x0 (assumed)", 0, name="RSI_IPA_STATE_SET not in [smccc]; RSI 1.0 requires it: "
                 "RIPAS_RAM accepted assumed")
        r.assumed.append("RSI_IPA_STATE_SET accepts")
    r.reason = "static_branch_enable(&rsi_present): is_realm_world()"
    return r


def own_realm(ctx: Ctx) -> bool | None:
    """The guest sees its own realm ABI (arm64_rsi_init() gets past RSI_VERSION over SMC and
    REALM_CONFIG). None when the conduit or the SMCCC answers are unknown."""
    return rsi_init(ctx).realm


# torvalds/linux drivers/of/of_private.h OF_ROOT_NODE_ADDR_CELLS_DEFAULT / _SIZE_CELLS_DEFAULT: the
# root's #address-cells / #size-cells when it states none (every architecture but SPARC);
# drivers/of/fdt.c early_init_dt_scan_root() keeps them as dt_root_addr/size_cells.
ROOT_ADDR_CELLS_DEFAULT = ROOT_SIZE_CELLS_DEFAULT = 1
_U64 = (1 << 64) - 1


def memory_nodes(nodes: Sequence[Any]) -> list[Any]:
    """The depth-1 nodes early_init_dt_scan_memory() (torvalds/linux drivers/of/fdt.c) adds to
    memblock, in order: device_type "memory" ("We are scanning "memory" nodes only", whatever the
    name: the /memory@0 name fallback is PowerPC's) and available (of_fdt_device_is_available())."""
    return [n for n in nodes if n.string("device_type") == "memory" and available(n)]


def available(node: Any) -> bool:
    """No ``status``, or a status of "ok" or "okay" (strcmp: the string up to its NUL).
    Mirrors torvalds/linux drivers/of/fdt.c of_fdt_device_is_available() (the flat tree read by
    memory_nodes()) and drivers/of/base.c __of_device_is_available() / __of_device_is_status()
    (of_device_is_available(), which psci_dt_init() asks; it refuses an empty status, statlen 0,
    and so does this test)."""
    word = status_word(node)
    return word is None or word in (b"ok", b"okay")


def status_word(node: Any) -> bytes | None:
    """The ``status`` as strcmp() reads it, the bytes up to its first NUL; None without one."""
    raw = node.properties.get("status")
    return None if raw is None else raw.split(b"\0", 1)[0]


def memblock_entries(raw: bytes, addr_cells: int, size_cells: int) -> list[tuple[int, int]]:
    """The (base, size) pairs early_init_dt_scan_memory() adds from one property: whole entries
    of the root's cell counts only (a cut last entry is not read), each number the low 64 bits
    of its cells (of_read_number() into a u64), and size-0 entries skipped."""
    stride = addr_cells + size_cells
    if stride <= 0:  # nothing to read an entry with (the kernel's loop would never advance)
        return []
    cells = u32_cells(raw[:len(raw) - len(raw) % 4])  # whole cells only
    out: list[tuple[int, int]] = []
    for i in range(0, len(cells) - stride + 1, stride):
        size = cells_to_int(cells[i + addr_cells:i + stride]) & _U64
        if size:
            out.append((cells_to_int(cells[i:i + addr_cells]) & _U64, size))
    return out


def _ripas_panic(start: int | None, end: int | None) -> str:
    if start is None or end is None:  # no RAM in the DT: the range comes from the EFI memory map
        return "Failed to set memory range to protected: (the first memory range: not in the DT)"
    return f"Failed to set memory range to protected: 0x{start:016x}-0x{end:016x}"  # %pa: 0x, 16 digits


def memblock_ranges(entries: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """(start, end exclusive) of memblock.memory after memblock_add() of each (base, size), as
    for_each_mem_range() walks them: in address order, overlapping and adjacent ones merged
    (mm/memblock.c memblock_add_range(), memblock_merge_regions()); a size is capped so that the
    range ends at PHYS_ADDR_MAX (memblock_cap_size()). Not modelled (docs/linux-releases.md):
    regions of different nodes or flags (numa-node-id, hotpluggable) left unmerged, no-map
    regions skipped, page rounding, arm64_memblock_init()'s cut at the PA size."""
    out: list[tuple[int, int]] = []
    for base, size in sorted(entries):
        end = min(base + size, _U64)
        if out and base <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((base, end))
    return out


def memory_ranges(ctx: Ctx) -> list[tuple[int, int]]:
    """RAM the DT describes, as early_init_dt_scan_memory() gives it to memblock: from every
    available depth-1 node of device_type "memory", ``linux,usable-memory`` when it has one, else
    ``reg``, read with the root's cell counts (dt_root_addr_cells / dt_root_size_cells)."""
    tree = ctx.p.fdt
    if tree is None:
        return []
    root = tree.root
    # early_init_dt_scan_root(): be32_to_cpup() of each property, its first cell.
    addr_cells = ctx.dt_prop_of(root, "#address-cells", kind="u32", name="dt_root_addr_cells")
    size_cells = ctx.dt_prop_of(root, "#size-cells", kind="u32", name="dt_root_size_cells")
    addr_cells = ROOT_ADDR_CELLS_DEFAULT if addr_cells is None else addr_cells
    size_cells = ROOT_SIZE_CELLS_DEFAULT if size_cells is None else size_cells
    # Each depth-1 node of device_type "memory" is tested for availability (its status read, an
    # absent one included) before its ranges are: both inputs decide which nodes give RAM.
    typed = [node for node in root.children if node.string("device_type") == "memory"]
    for node in typed:
        ctx.dt_prop_of(node, "device_type", name="early_init_dt_scan_memory(): \"memory\" nodes only")
        ctx.dt_prop_of(node, "status", name="early_init_dt_scan_memory(): of_fdt_device_is_available()")
    out: list[tuple[int, int]] = []
    for node in memory_nodes(typed):  # those of them it adds to memblock
        ctx.dt_prop_of(node, "linux,usable-memory", kind="bytes",
                       name="early_init_dt_scan_memory(): linux,usable-memory (preferred to reg)")
        raw = node.properties.get("linux,usable-memory")
        if raw is None:
            ctx.dt_prop_of(node, "reg", kind="bytes", name="early_init_dt_scan_memory(): memblock_add()")
            raw = node.properties.get("reg")
        if raw is not None:
            out.extend(memblock_entries(raw, addr_cells, size_cells))
    return out


# -- which hypervisor -----------------------------------------------------------------------------


@dataclass
class Xen:
    found: bool
    version: str | None = None
    grant_table: tuple[int, int] | None = None
    events_irq: tuple[int, ...] | None = None
    problems: list[str] = field(default_factory=list)  # each makes xen_guest_init() fail
    notes: list[str] = field(default_factory=list)  # logged, not fatal
    node: Any = None  # the /hypervisor node xen_early_init() found


@once_per_platform  # a step between the shared predicates (psci(), smccc(), xen()): not listed itself
def xen(ctx: Ctx) -> Xen:
    """xen_early_init(): a depth-1 node named "hypervisor" compatible with "xen,xen" whose first
    compatible string is "xen,xen-<version>" (6.1.176, 6.12.107 and 7.2.8 alike); what
    xen_guest_init() reads of it on a devicetree boot is :func:`xen_dt_guest_init`."""
    tree = ctx.p.fdt
    if tree is None:
        return Xen(False)
    # The first depth-1 node whose whole name is "hypervisor" (a "hypervisor@..." node is not the
    # one fdt_find_hyper_node() wants), recorded found or not.
    node = ctx.dt_child_named(tree.root, "hypervisor", name="fdt_find_hyper_node(): depth-1 \"hypervisor\" node")
    if node is None:
        return Xen(False)
    raw = node.properties.get("compatible", b"")
    # Read from that node, not by path: "/hypervisor" would find an earlier "hypervisor@..." sibling.
    compat = ctx.dt_prop_of(node, "compatible", kind="strings", name="of_flat_dt_is_compatible(\"xen,xen\")") or []
    if "xen,xen" not in compat:
        return Xen(False, problems=["/hypervisor is not compatible with \"xen,xen\""])
    prefix = "xen,xen-"
    version = None
    if len(prefix) + 3 < len(raw) and raw.startswith(prefix.encode()):
        version = raw[len(prefix):].split(b"\0", 1)[0].decode("utf-8", "replace")
    if version is None:
        return Xen(False, problems=["/hypervisor has no \"xen,xen-<version>\" first compatible: "
                                    "xen_early_init() says \"Xen version not found\" and gives up"])
    return Xen(True, version, node=node)


@once_per_platform  # read by the linux model on a devicetree boot only
def xen_dt_guest_init(ctx: Ctx) -> Xen:
    """xen_guest_init() on a devicetree boot (xen_dt_guest_init()): it needs interrupts[0] (the
    event channel PPI), while a missing reg[0] (grant table) is only logged: xen_grant_frames
    stays 0 and the grant table is mapped from ballooned pages (xen_xlate_map_ballooned_pages()),
    in 6.1.176, 6.12.107 and 7.2.8 alike. :func:`xen` must have found the node."""
    early = xen(ctx)
    node = early.node
    x = Xen(True, early.version, node=node)
    reg = node.reg()
    ctx.dt_prop_of(node, "reg", kind="bytes", name="GRANT_TABLE_INDEX 0: of_address_to_resource()")
    irq = node.u32_cells("interrupts")
    ctx.dt_prop_of(node, "interrupts", kind="bytes", name="irq_of_parse_and_map(xen_node, 0)")
    if irq:
        x.events_irq = irq
    else:
        x.problems.append("Xen event channel interrupt not found")
    if reg:
        x.grant_table = reg[0]
    else:
        x.notes.append("Xen grant table region is not found")
    return x


_UID_LABELS = tuple(f"vendor hyp UID word {i}" for i in range(4))


@shared('torvalds/linux drivers/firmware/smccc/smccc.c: arm_smccc_hypervisor_has_uuid() (ARM_SMCCC_VENDOR_HYP_CALL_UID)')
def vendor_uid(ctx: Ctx) -> str | None:
    """What VENDOR_HYP_CALL_UID answers, by name ("kvm", "hyperv", "gunyah", "unknown"); None
    when the platform does not answer it."""
    if ctx.p.smccc is None or not ctx.p.smccc.has(S.VENDOR_HYP_CALL_UID):
        ctx.note(f"smccc {S.VENDOR_HYP_CALL_UID:#010x}.x0", None, name="VENDOR_HYP_CALL_UID not answered")
        return None
    regs = tuple(ctx.smccc(S.VENDOR_HYP_CALL_UID, i, name=label) for i, label in enumerate(_UID_LABELS))
    if regs[0] == S.SMCCC_RET_NOT_SUPPORTED:
        return None
    # smccc_res_to_uuid(u32 r0, u32 r1, u32 r2, u32 r3) (include/linux/arm-smccc.h): each register's
    # low 32 bits make the UUID.
    return S.UIDS.get(tuple(r & 0xFFFFFFFF for r in regs), "unknown")  # type: ignore[arg-type]


# Conduits the vendor UID is asked over: arm_smccc_1_1_invoke() from v6.17, the HVC conduit alone
# before (6.16's arm_smccc_hypervisor_has_uuid(), and kvm_init_hyp_services() until then).
UID_ANY_CONDUIT, UID_HVC_ONLY = ("smc", "hvc"), ("hvc",)


def has_uuid(ctx: Ctx, name: str, conduit_now: str | None, *, conduits: tuple[str, ...] = UID_ANY_CONDUIT,
             whole_registers: bool = False) -> bool:
    """arm_smccc_hypervisor_has_uuid(): asked over the current conduit when it is one of
    ``conduits`` (else false without a call), NOT_SUPPORTED is false, else the UUIDs compare on
    each register's low 32 bits. ``whole_registers``: kvm_init_hyp_services() before v6.16
    compared x0..x3 whole with ARM_SMCCC_VENDOR_HYP_UID_KVM_REG_0..3 (linux_releases
    "smccc-hyp-uuid"), so a high bit set fails it."""
    return conduit_now in conduits and _is_uid(ctx, vendor_uid(ctx), name, whole_registers)


def _is_uid(ctx: Ctx, found: str | None, name: str, whole_registers: bool) -> bool:
    """:func:`vendor_uid` found ``name``; with ``whole_registers``, x0..x3 as 64-bit values too
    (their reads recorded by vendor_uid())."""
    return found == name and (not whole_registers or S.UIDS.get(ctx.p.smccc.call(S.VENDOR_HYP_CALL_UID)) == name)


class HyperV(NamedTuple):
    detected: bool
    via: str | None = None  # "acpi" | "smccc"
    fadt_id: str | None = None


def hyperv(ctx: Ctx, firmware: str | None, conduit_now: str | None, *, fadt_only: bool = False,
           conduits: tuple[str, ...] = UID_ANY_CONDUIT) -> HyperV:
    """hyperv_init(): hyperv_detect_via_acpi() || hyperv_detect_via_smccc(). ``fadt_only``: the
    hyperv_init() before v6.16 (both came with 36ebd328a57a), which returns when acpi_disabled and
    otherwise compares the FADT's HypervisorId with "MsHyperV" at any FADT revision (ACPICA's
    acpi_tb_create_local_fadt() zero-fills acpi_gbl_FADT past a short table) and never asks the UID."""
    fadt_id = None
    if firmware == "acpi":
        revision = None if fadt_only else \
            ctx.note("acpi FACP.Revision", ctx.p.acpi.get("FACP").revision, name="header.revision (>= 6)")
        fadt_id = ctx.acpi_field("FACP", "HypervisorId", name="Hypervisor Vendor Identity", text=True)
        if fadt_id == HYPERV_ID and (fadt_only or (revision or 0) >= 6):
            return HyperV(True, "acpi", fadt_id)
    if not fadt_only and has_uuid(ctx, "hyperv", conduit_now, conduits=conduits):
        return HyperV(True, "smccc", fadt_id)
    return HyperV(False, None, fadt_id)


@shared('torvalds/linux arch/arm/xen/enlighten.c: xen_early_init(); arch/arm64/hyperv/mshyperv.c: hyperv_init(); drivers/firmware/smccc/kvm_guest.c: kvm_init_hyp_services()')
def hypervisor(ctx: Ctx) -> str:
    """The hypervisor an arm64 guest identifies: Xen by DT, Hyper-V by FADT or UID, KVM by UID;
    "unknown" when something answers PSCI over HVC (or a realm's RMM) but names no vendor Linux
    knows; "none" otherwise."""
    return identify_hypervisor(ctx)


def identify_hypervisor(ctx: Ctx, *, hyperv_fadt_only: bool = False, xen_built: bool = True,
                        hyperv_built: bool = True, uid_conduits: tuple[str, ...] = UID_ANY_CONDUIT,
                        kvm_whole_registers: bool = False) -> str:
    """:func:`hypervisor`, with Hyper-V found as ``hyperv(fadt_only=...)`` finds it: a kernel
    before v6.16 takes a Hyper-V UID for a vendor it does not know ("unknown"). A kernel built
    without CONFIG_XEN has only the stub xen_early_init() (include/xen/arm/hypervisor.h), one
    without CONFIG_HYPERV no hyperv_init() (arch/arm64/Kbuild): neither names its vendor. The UID
    is asked over ``uid_conduits`` only, KVM's compared as :func:`has_uuid` does."""
    if xen_built and xen(ctx).found:
        return "xen"
    p = psci(ctx)
    c = smccc(ctx).conduit
    if hyperv_built and hyperv(ctx, p.firmware, c, fadt_only=hyperv_fadt_only, conduits=uid_conduits).detected:
        return "hyperv"
    uid = vendor_uid(ctx) if c in uid_conduits else None
    if uid is not None:
        return "kvm" if _is_uid(ctx, uid, "kvm", kvm_whole_registers) else "unknown"
    if c == "hvc" or (c == "smc" and own_realm(ctx)):
        return "unknown"
    return "none"
