"""VIOT — Virtual I/O Translation Table: paravirtualised IOMMUs (virtio-iommu) and the
endpoints they translate for.

ACPI 6.5 §5.2.32 (added by ECR, virtio-iommu spec v1.2 §5.13.3); ACPICA ``ACPI_TABLE_VIOT``,
``ACPI_VIOT_*`` (actbl3.h). 12-byte fixed part; nodes ``{u8 Type; u8 Reserved; u16 Length}``
start at NodeOffset.
"""

from __future__ import annotations

from .common import Record, raw, u8, u16, u32, u64
from .kinds import SdtKind
from .tree import Entries, Gap, Shape, TreeBody, entry_type

VIOT_FIXED = Record(
    "VIOT",
    "NodeCount" / u16 * "number of nodes",
    "NodeOffset" / u16 * "offset of the first node from the table start",
    "Reserved" / raw(8) * "reserved, must be zero",
    cite="ACPI 6.5 §5.2.32; ACPICA ACPI_TABLE_VIOT",
)
HEADER = Record("ViotHeader", "Type" / u8, "HeaderReserved" / u8 * "ACPICA Header.Reserved: reserved, must be zero", "Length" / u16, cite="ACPICA ACPI_VIOT_HEADER")

PCI_RANGE = entry_type(
    1, "PciRange", "PCI Range", "ACPI 6.5 §5.2.32.2; ACPICA ACPI_VIOT_PCI_RANGE",
    "EndpointStart" / u32 * "first endpoint ID",
    "SegmentStart" / u16 * "first PCI segment",
    "SegmentEnd" / u16 * "last PCI segment",
    "BdfStart" / u16 * "first BDF",
    "BdfEnd" / u16 * "last BDF",
    "OutputNode" / u16 * "offset of the IOMMU node that translates for them",
    "Reserved" / raw(6) * "reserved, must be zero",
)
MMIO = entry_type(
    2, "Mmio", "MMIO Endpoint", "ACPI 6.5 §5.2.32.3; ACPICA ACPI_VIOT_MMIO",
    "EndpointId" / u32 * "endpoint ID",
    "BaseAddress" / u64 * "MMIO base of the endpoint",
    "OutputNode" / u16 * "offset of the IOMMU node",
    "Reserved" / raw(6) * "reserved, must be zero",
)
VIRTIO_PCI = entry_type(
    3, "VirtioIommuPci", "VirtIO-PCI IOMMU", "ACPI 6.5 §5.2.32.4; ACPICA ACPI_VIOT_VIRTIO_IOMMU_PCI",
    "Segment" / u16 * "PCI segment of the virtio-iommu",
    "Bdf" / u16 * "BDF of the virtio-iommu",
    "Reserved" / raw(8) * "reserved, must be zero",
)
VIRTIO_MMIO = entry_type(
    4, "VirtioIommuMmio", "VirtIO-MMIO IOMMU", "ACPI 6.5 §5.2.32.5; ACPICA ACPI_VIOT_VIRTIO_IOMMU_MMIO",
    "Reserved" / raw(4) * "reserved, must be zero",
    "BaseAddress" / u64 * "MMIO base of the virtio-iommu",
)

NODES = Entries("Nodes", HEADER, (PCI_RANGE, MMIO, VIRTIO_PCI, VIRTIO_MMIO))
VIOT = SdtKind("VIOT", TreeBody(Shape(VIOT_FIXED, (
    Gap("Padding", lambda v: v["NodeOffset"] - 36), NODES)), subtables="Nodes"),
    title="Virtual I/O Translation Table", cite=VIOT_FIXED.cite)
