"""The ACPI tables a scenario's firmware hands the guest.

x86 (QEMU q35-like): FACP rev 6 + FACS, DSDT (empty AML body), APIC (two local APICs, an I/O
APIC, the ISA IRQ0 override; TDX adds the multiprocessor wakeup structure v1), MCFG. arm64
(QEMU virt-like): FACP rev 6 with HW_REDUCED_ACPI and the PSCI conduit in ArmBootFlags
(HypervisorId "MsHyperV" under Hyper-V, as Linux's hyperv_detect_via_acpi() wants), DSDT, APIC
with two GICCs and a GICD. Confidential guests in charge of themselves get a CCEL (CC type
1 SEV, 2 TDX, 4 Arm CCA; EDK2 MdePkg/Include/Protocol/CcMeasurement.h). A scenario whose
[services] encodings list "acpi" gets the record as a PVSR table (pvenum/proposal/acpi_encoding.py).
Addresses are the usual QEMU ones and synthetic.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..acpi import builders as B
from ..acpi.constants import ARM_PSCI_COMPLIANT, ARM_PSCI_USE_HVC, FADT_HW_REDUCED_ACPI
from ..acpi import memory
from ..acpi.model import AcpiTable, AcpiTableSet, canonical_order
from ..errors import PvenumError, ScenarioError

if TYPE_CHECKING:  # pragma: no cover
    from .model import Scenario

LAYOUT_BASE = 0x7FFE0000  # where QEMU's x86 firmware puts the tables; synthetic for arm64
# x86 FADT flags as Firecracker sets them (observed in tests/data/acpi/firecracker: 0x00100030):
# PWR_BUTTON | SLP_BUTTON | HW_REDUCED_ACPI — a hardware-reduced platform needs no PM blocks.
X86_FADT_FLAGS = (1 << 4) | (1 << 5) | FADT_HW_REDUCED_ACPI

CC_TYPE = {"sev": 1, "sev-es": 1, "sev-snp": 1, "tdx": 2, "cca": 4}


def build_tables(s: Scenario) -> list[AcpiTable]:
    tables = _arm(s) if s.arch == "arm64" else _x86(s)
    if s.isolation in CC_TYPE and s.paravisor is None:
        tables.append(B.ccel(cc_type=CC_TYPE[s.isolation], log_area_minimum_length=0x10000,
                             log_area_start_address=0x7E000000))
    if s.services is not None and "acpi" in s.encodings:
        from ..proposal import acpi_encoding

        try:
            tables.append(acpi_encoding.encode(s.services))
        except ScenarioError as err:  # the record's own key, under [services]
            raise err.under("services") from None
    tables = _overrides(s, tables)
    # Lay the set out in guest memory so RSDP → XSDT/RSDT → tables and FADT → FACS/DSDT point
    # where the tables are, as firmware hands them over (pointer fields are the layout's).
    return canonical_order(memory.layout(AcpiTableSet.from_tables(tables), base=LAYOUT_BASE).tables)


def _x86(s: Scenario) -> list[AcpiTable]:
    subtables = [B.local_apic(0, 0), B.local_apic(1, 1), B.io_apic(0), B.interrupt_override(0, 2)]
    if s.isolation == "tdx" and s.paravisor is None:
        # TDX guests start APs through the mailbox (arch/x86/kernel/acpi/madt_wakeup.c).
        subtables.append(B.mp_wakeup(mailbox_address=0x7F000000, version=1, reset_vector=0x7F001000))
    return [
        B.fadt(revision=6, flags=X86_FADT_FLAGS),
        B.facs(),
        B.aml_table("DSDT"),
        B.madt(subtables, flags=1),
        B.mcfg([{"Address": 0xB0000000, "PciSegment": 0, "StartBusNumber": 0, "EndBusNumber": 255}]),
    ]


def _arm(s: Scenario) -> list[AcpiTable]:
    hvc = s.isolation != "cca"  # a realm must use SMC (arm64_rsi_init)
    flags = ARM_PSCI_COMPLIANT | (ARM_PSCI_USE_HVC if hvc else 0)
    fadt = B.fadt(revision=6, flags=FADT_HW_REDUCED_ACPI, arm_boot_flags=flags,
                  hypervisor_id="MsHyperV" if s.hypervisor == "hyperv" else None)
    gic = [B.gicc(0, arm_mpidr=0), B.gicc(1, arm_mpidr=1), B.gicd(base_address=0x08000000, version=3)]
    return [fadt, B.aml_table("DSDT"), B.madt(gic, local_apic_address=0)]


def _overrides(s: Scenario, tables: list[AcpiTable]) -> list[AcpiTable]:
    """``"SIG" = false`` drops a table; ``"SIG.Field"`` (a header field by the name inspect
    prints, e.g. ``"FACP.OemId"``, or a body field; or ``"SIG.Struct.Field"``, e.g.
    ``"PVSR.Tdisp.Param0"``) sets a field to an integer or an ASCII identifier; ``"SIG.Subtable"
    = false`` drops that table's subtables of that name (e.g. ``"APIC.MPWakeup"``)."""
    for key, value in s.override.get("acpi", {}).items():
        where = f"override.acpi.{key}"
        sig, _, path = key.partition(".")
        matches = [t for t in tables if t.signature == sig]
        if value is False and not path:
            tables = [t for t in tables if t.signature != sig]
            continue
        if not matches:
            raise ScenarioError(f"no {sig} table in this scenario", key=where)
        table = matches[0]
        top, _, sub = path.partition(".")
        header = HEADER_NAMES.get(top)
        if header is not None and not sub:
            _set_header(table, header, value, where)
            continue
        name = table.field_name(top)
        if name is None and not sub and value is False:
            kept = [st for st in table.subtables if st.name != top]
            if len(kept) == len(table.subtables):
                raise ScenarioError(f"{sig} has no field or subtable {top!r}", key=where)
            table.subtables = kept
            table.fix_checksum()
            continue
        if name is None:
            raise ScenarioError(f"{sig} has no field {top!r}", key=where)
        holder: dict[str, Any] = table.fields
        top_name = name
        if sub:
            holder = table.fields[name] if isinstance(table.fields[name], dict) else {}
            if sub not in holder:
                raise ScenarioError(f"{sig}.{name} has no field {sub!r}", key=where)
            name = sub
        if isinstance(holder[name], dict):
            raise ScenarioError(f"{sig}.{name} is a structure; name one of its fields "
                                f"({', '.join(holder[name])})", key=where)
        leaf = f"{top_name}.{name}" if sub else name
        size = next((lf.size for lf in table.leaves() if lf.path == leaf), None)
        new = _field_value(value, where)
        if size is not None and not 0 <= new < 1 << (8 * size):
            raise ScenarioError(f"{value} does not fit {sig}.{leaf}, a {size}-byte field", key=where)
        holder[name] = new
        _rebuild(table, where)
    return tables


# Header fields by the names `pvenum inspect` prints (iasl's) and by their JSON names: the
# AcpiTable attribute each sets, and its width (ACPI 6.5 §5.2.6, DESCRIPTION_HEADER).
HEADER_NAMES = {
    "Revision": "revision", "OemId": "oem_id", "OemTableId": "oem_table_id", "OemRevision": "oem_revision",
    "AslCompilerId": "creator_id", "CreatorId": "creator_id",
    "AslCompilerRevision": "creator_revision", "CreatorRevision": "creator_revision",
    "revision": "revision", "oem_id": "oem_id", "oem_table_id": "oem_table_id", "oem_revision": "oem_revision",
    "creator_id": "creator_id", "creator_revision": "creator_revision",
}
_HEADER_WIDTH = {"revision": 1, "oem_id": 6, "oem_table_id": 8, "oem_revision": 4, "creator_id": 4,
                 "creator_revision": 4}


def _set_header(table: AcpiTable, attr: str, value: Any, where: str) -> None:
    width = _HEADER_WIDTH[attr]
    if attr in ("oem_id", "oem_table_id", "creator_id"):
        if not isinstance(value, str) or len(value) > width or not all(0x20 <= ord(c) < 0x7F for c in value):
            raise ScenarioError(f"expected up to {width} printable ASCII characters", key=where)
    elif isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 1 << (8 * width):
        raise ScenarioError(f"expected an integer that fits {width} byte(s)", key=where)
    if getattr(table, attr) is None:
        raise ScenarioError(f"{table.signature} has no {attr} field (no standard header)", key=where)
    setattr(table, attr, value)
    _rebuild(table, where)


def _rebuild(table: AcpiTable, where: str) -> None:
    """Fix lengths and checksum, and make sure the table still encodes; an encoder's complaint
    is said in the scenario's words, not the layout library's."""
    table.fix_checksum()
    try:
        table.to_bytes()
    except PvenumError:
        raise ScenarioError(f"the value does not fit the {table.signature} table's layout", key=where) from None


def _field_value(value: Any, where: str) -> int:
    """An override's integer, or an ASCII identifier of up to 8 characters (e.g. "MsHyperV")."""
    if isinstance(value, str):
        try:
            return B.ascii_u64(value)
        except (UnicodeEncodeError, ValueError):
            raise ScenarioError("an identifier is up to 8 ASCII characters", key=where) from None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ScenarioError("expected an integer or an ASCII identifier", key=where)
    return value
