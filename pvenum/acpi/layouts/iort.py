"""IORT — IO Remapping Table (Arm): ITS groups, SMMUs, root complexes, named components and
the ID mappings between them.

Arm DEN0049 (IORT) rev E.f; ACPICA ``ACPI_TABLE_IORT``, ``ACPI_IORT_*`` (actbl2.h). 12-byte
fixed part; nodes ``{u8 Type; u16 Length; u8 Revision; u32 Identifier; u32 MappingCount;
u32 MappingOffset}`` from NodeOffset (types 0-6, and 7 the GICv5 IWB); each node's ID mappings sit at its MappingOffset (an
offset from the node's start), after any padding.
"""

from __future__ import annotations

from ..._construct import c
from .common import Record, u8, u16, u32, u64
from .kinds import SdtKind
from .tree import Entries, Fields, Gap, Items, Rest, Shape, TreeBody, entry_type

IORT_FIXED = Record(
    "IORT",
    "NodeCount" / u32 * "number of nodes",
    "NodeOffset" / u32 * "offset of the first node from the table start",
    "Reserved" / u32 * "reserved, must be zero",
    cite="Arm DEN0049E §3.2; ACPICA ACPI_TABLE_IORT",
)
HEADER = Record(
    "IortNode",
    "Type" / u8 * "0 ITS group, 1 named component, 2 root complex, 3 SMMUv1/v2, 4 SMMUv3, 5 PMCG, 6 RMR",
    "Length" / u16 * "length of this node",
    "Revision" / u8 * "node revision",
    "Identifier" / u32 * "unique node ID (Reserved before IORT E.b)",
    "MappingCount" / u32 * "number of ID mappings",
    "MappingOffset" / u32 * "offset of the ID mappings from the node start",
    cite="Arm DEN0049E §3.3; ACPICA ACPI_IORT_NODE",
)
ID_MAPPING = Record(
    "IdMapping",
    "InputBase" / u32 * "lowest input ID",
    "IdCount" / u32 * "number of IDs in the range, minus one",
    "OutputBase" / u32 * "lowest output ID",
    "OutputReference" / u32 * "offset of the node the IDs map to",
    "Flags" / u32 * "bit0 single mapping",
    cite="Arm DEN0049E §3.4; ACPICA ACPI_IORT_ID_MAPPING",
)
# Memory access properties (DEN0049E table 9): iasl prints them as one group.
MEMORY_PROPERTIES = c.Struct(
    "CacheCoherency" / u32 * "1 = fully coherent",
    "Hints" / u8 * "allocation hints",
    "Reserved" / u16 * "reserved, must be zero",
    "MemoryFlags" / u8 * "bit0 CPM, bit1 DACS, bit2 CANWBS",
)
_MAPPINGS = (Gap("Padding", "MappingOffset"), Items("IdMappings", ID_MAPPING, count="MappingCount"))

ITS_GROUP = entry_type(
    0, "ItsGroup", "ITS Group", "Arm DEN0049E §3.5; ACPICA ACPI_IORT_ITS_GROUP",
    "ItsCount" / u32 * "number of ITS identifiers",
    parts=(Items("Identifiers", u32, count="ItsCount", doc="GIC ITS ID (MADT GICIts TranslationId)"),),
)
NAMED_COMPONENT = entry_type(
    1, "NamedComponent", "Named Component", "Arm DEN0049E §3.6; ACPICA ACPI_IORT_NAMED_COMPONENT",
    "NodeFlags" / u32 * "bit0 stall supported, bits[5:1] substream width",
    "MemoryProperties" / MEMORY_PROPERTIES * "memory access properties",
    "MemoryAddressLimit" / u8 * "device memory address size limit (bits)",
    parts=(Rest("DeviceName", nul=True, to="MappingOffset", doc="NUL-terminated ACPI path of the device", text=True),
           *_MAPPINGS),
)
ROOT_COMPLEX = entry_type(
    2, "RootComplex", "PCI Root Complex", "Arm DEN0049E §3.7; ACPICA ACPI_IORT_ROOT_COMPLEX",
    "MemoryProperties" / MEMORY_PROPERTIES * "memory access properties",
    "AtsAttribute" / u32 * "bit0 ATS supported, bit1 PRI, bit2 PASID forwarding",
    "PciSegmentNumber" / u32 * "PCI segment",
    "MemoryAddressLimit" / u8 * "memory address size limit (bits)",
    "PasidCapabilities" / u16 * "max PASID width (revision 4+)",
    "Reserved" / u8 * "reserved, must be zero",
    parts=(Fields(Record("RootComplexRev4", "Flags" / u32 * "bit0 PASID supported (revision 4+)",
                         cite="Arm DEN0049E §3.7"), to="MappingOffset"), *_MAPPINGS),
)
SMMU_GLOBAL = Record(
    "SmmuGlobalInterrupts",
    "NSgIrpt" / u32 * "GSIV of the non-secure global interrupt",
    "NSgIrptFlags" / u32 * "bit0 edge triggered",
    "NSgCfgIrpt" / u32 * "GSIV of the non-secure global configuration interrupt",
    "NSgCfgIrptFlags" / u32 * "bit0 edge triggered",
    cite="Arm DEN0049E §3.8 table 14; ACPICA ACPI_IORT_SMMU_GSI",
)
SMMU_IRQ = Record(
    "SmmuInterrupt",
    "Gsiv" / u32 * "GSIV of the interrupt",
    "Flags" / u32 * "bit0 edge triggered",
    cite="Arm DEN0049E §3.8; ACPICA ACPI_IORT_SMMU (context/PMU interrupt arrays)",
)
SMMU = entry_type(
    3, "Smmu", "SMMUv1/v2", "Arm DEN0049E §3.8; ACPICA ACPI_IORT_SMMU",
    "BaseAddress" / u64 * "SMMU base",
    "Span" / u64 * "length of the register space",
    "Model" / u32 * "SMMU model",
    "Flags" / u32 * "bit0 DVM, bit1 coherent walk",
    "GlobalInterruptOffset" / u32 * "offset of the global interrupt array",
    "ContextCount" / u32 * "number of context interrupts",
    "ContextInterruptOffset" / u32 * "offset of the context interrupt array",
    "PmuInterruptCount" / u32 * "number of PMU interrupts",
    "PmuInterruptOffset" / u32 * "offset of the PMU interrupt array",
    # The interrupt arrays sit at their offsets (from the node start), then the ID mappings.
    parts=(Gap("Padding", "GlobalInterruptOffset"), Items("GlobalInterrupts", SMMU_GLOBAL, count=lambda v: 1),
           Gap("Padding2", "ContextInterruptOffset"), Items("ContextInterrupts", SMMU_IRQ, count="ContextCount"),
           Gap("Padding3", "PmuInterruptOffset"), Items("PmuInterrupts", SMMU_IRQ, count="PmuInterruptCount"),
           Gap("Padding4", "MappingOffset"), Items("IdMappings", ID_MAPPING, count="MappingCount")),
)
SMMU_V3 = entry_type(
    4, "SmmuV3", "SMMUv3", "Arm DEN0049E §3.9; ACPICA ACPI_IORT_SMMU_V3",
    "BaseAddress" / u64 * "SMMUv3 base",
    "Flags" / u32 * "bit0 COHACC override, bit1 HTTU override, bit3 proximity domain valid, bit4 DeviceID valid",
    "Reserved" / u32 * "reserved, must be zero",
    "VatosAddress" / u64 * "VATOS base (0 = none)",
    "Model" / u32 * "0 generic SMMUv3",
    "EventGsiv" / u32 * "event queue interrupt",
    "PriGsiv" / u32 * "PRI queue interrupt",
    "GerrGsiv" / u32 * "global error interrupt",
    "SyncGsiv" / u32 * "CMD_SYNC interrupt",
    "Pxm" / u32 * "proximity domain",
    "IdMappingIndex" / u32 * "index of the mapping for the SMMU's own MSIs",
    parts=_MAPPINGS,
)
PMCG = entry_type(
    5, "Pmcg", "PMCG", "Arm DEN0049E §3.10; ACPICA ACPI_IORT_PMCG",
    "Page0BaseAddress" / u64 * "page 0 base",
    "OverflowGsiv" / u32 * "overflow interrupt",
    "NodeReference" / u32 * "offset of the node this PMCG monitors",
    "Page1BaseAddress" / u64 * "page 1 base",
    parts=_MAPPINGS,
)
RMR_DESCRIPTOR = Record(
    "RmrDescriptor",
    "BaseAddress" / u64 * "reserved region base",
    "Length" / u64 * "reserved region length",
    "Reserved" / u32 * "reserved, must be zero",
    cite="Arm DEN0049E §3.11; ACPICA ACPI_IORT_RMR_DESC",
)
RMR = entry_type(
    6, "Rmr", "Reserved Memory Range", "Arm DEN0049E §3.11; ACPICA ACPI_IORT_RMR",
    "Flags" / u32 * "bit0 remapping permitted, bits[9:2] access attributes",
    "RmrCount" / u32 * "number of memory range descriptors",
    "RmrOffset" / u32 * "offset of the descriptors from the node start",
    # Descriptors before the ID mappings, as ACPICA's template and firmware lay them out.
    parts=(Gap("Padding", "RmrOffset"), Items("Ranges", RMR_DESCRIPTOR, count="RmrCount"),
           Gap("Padding2", "MappingOffset"), Items("IdMappings", ID_MAPPING, count="MappingCount")),
)

IWB = entry_type(
    7, "Iwb", "Interrupt Wire Bridge (IWB)", "Arm DEN0049 rev E.g §3.12 (GICv5); ACPICA ACPI_IORT_IWB (20251212)",
    "BaseAddress" / u64 * "IWB configuration frame base",
    "IwbIndex" / u16 * "IWB index (matches the IWB's _UID)",
    parts=(Rest("DeviceName", nul=True, to="MappingOffset", doc="NUL-terminated ACPI path of the IWB", text=True),
           *_MAPPINGS),
)

NODES = Entries("Nodes", HEADER, (ITS_GROUP, NAMED_COMPONENT, ROOT_COMPLEX, SMMU, SMMU_V3, PMCG, RMR, IWB))
IORT = SdtKind("IORT", TreeBody(Shape(IORT_FIXED, (
    Gap("Padding", lambda v: v["NodeOffset"] - 36), NODES)), subtables="Nodes"),
    title="IO Remapping Table", cite=IORT_FIXED.cite)
