"""ACPI numbers that code outside the layouts reads (the resolver, the proposal encodings).

Only constants live here, free of Construct, so reading one does not load the layouts; the
layout modules take them from here (one spelling).
"""

from __future__ import annotations

# FADT Flags bit 20 (ACPI 6.5 Table 5.10; ACPICA include/acpi/actbl.h ACPI_FADT_HW_REDUCED): no
# fixed hardware, which arm64 Linux requires (arch/arm64/kernel/acpi.c acpi_fadt_sanity_check()).
FADT_HW_REDUCED_ACPI = 1 << 20
# FADT ArmBootFlags (ACPI 6.5 Table 5.11: ACPI_FADT_PSCI_COMPLIANT, ACPI_FADT_PSCI_USE_HVC).
ARM_PSCI_COMPLIANT, ARM_PSCI_USE_HVC = 1 << 0, 1 << 1

# CCEL CCType (EDK2 MdePkg/Include/Protocol/CcMeasurement.h: EFI_CC_TYPE_*).
CC_TYPES = {0: "none", 1: "AMD SEV", 2: "Intel TDX", 3: "RISC-V AP-TEE", 4: "Arm CCA"}

# pvenum's draft Paravisor Services Record table (layouts/pvsr.py).
PVSR_SIGNATURE = "PVSR"

# Names people use for a signature; ACPI signatures differ from the spec's table names.
ALIASES = {"RSDP": "RSD PTR ", "RSD PTR": "RSD PTR ", "FADT": "FACP", "MADT": "APIC"}


def canonical_signature(signature: str) -> str:
    return ALIASES.get(signature, ALIASES.get(signature.upper(), signature))
