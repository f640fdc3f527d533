"""What signatures pvenum does not decode stand for (the title a raw table shows with)."""

from __future__ import annotations

SIGNATURE_TITLES = {
    "BERT": "Boot Error Record Table", "CPEP": "Corrected Platform Error Polling", "DBG2": "Debug Port Table 2",
    "DMAR": "DMA Remapping", "ECDT": "Embedded Controller Boot Resources", "EINJ": "Error Injection",
    "ERST": "Error Record Serialization", "FPDT": "Firmware Performance Data", "GTDT": "Generic Timer Description",
    "HEST": "Hardware Error Source", "HMAT": "Heterogeneous Memory Attribute", "IORT": "I/O Remapping Table",
    "IVRS": "I/O Virtualization Reporting", "MSCT": "Maximum System Characteristics",
    "NFIT": "NVDIMM Firmware Interface", "PCCT": "Platform Communications Channel",
    "PPTT": "Processor Properties Topology", "TPM2": "Trusted Platform Module 2",
    "VIOT": "Virtual I/O Translation", "OEM0": "Hyper-V entropy (OEM0)", "SVKL": "Storage Volume Key Location",
    "SLIC": "Software Licensing Description", "MSDM": "Microsoft Data Management", "WSMT": "Windows SMM Security",
    "BOOT": "Simple Boot Flag", "DBGP": "Debug Port", "WDAT": "Watchdog Action", "WDRT": "Watchdog Resource",
    "SPMI": "Service Processor Management Interface", "UEFI": "UEFI ACPI Data", "XENV": "Xen Environment",
}


def title_for(signature: str) -> str:
    """What a signature pvenum does not decode stands for. ACPI 6.5 §5.2.6 (table 5.6) reserves
    every "OEMx" signature for OEM-specific tables: they show by that name, not as unknown."""
    if signature in SIGNATURE_TITLES:
        return SIGNATURE_TITLES[signature]
    if len(signature) == 4 and signature.startswith("OEM"):
        return f"OEM-specific table ({signature})"
    return signature
