"""The numbers of the 2026 proposal's "paravisor services" record: isolation and interface
codes, service bits, flag bits and the record version — what every encoding (CPUID, DT, ACPI)
reads and writes. Kept apart from the record classes (pvenum/proposal/record.py) so that a guest
model can look for a record without loading them.
"""

from __future__ import annotations

from ..cpuid.leaves import HvIsolationType

RECORD_VERSION = 1

# Isolation codes: 0-3 are Hyper-V's HV_ISOLATION_TYPE values (include/hyperv/hvgdk_mini.h)
# so a Hyper-V paravisor can copy its own; 4 adds Arm CCA.
ISOLATION_CODES: dict[int, str] = {**{t.value: t.isolation for t in HvIsolationType}, 4: "cca"}
ISOLATION_BY_NAME = {v: k for k, v in ISOLATION_CODES.items()}

# How the guest calls a service. param0/param1 mean, per kind:
#   hypercall      param0 = call code in the paravisor's hypercall interface, param1 = 0
#   svsm-protocol  param0 = SVSM protocol number (RAX[63:32]),     param1 = highest version
#   mmio           param0 = guest-physical base (private MMIO),    param1 = size in bytes
#   tpm-nv-index   param0 = TPM NV index holding the evidence,    param1 = 0
#   rsi-host-call  param0 = immediate of RSI_HOST_CALL (Arm CCA),  param1 = 0
INTERFACE_KINDS: dict[int, str] = {1: "hypercall", 2: "svsm-protocol", 3: "mmio", 4: "tpm-nv-index", 5: "rsi-host-call"}
INTERFACE_BY_NAME = {v: k for k, v in INTERFACE_KINDS.items()}

SERVICES = ("attestation", "tdisp", "vtpm")
SERVICE_BITS = {"attestation": 0, "tdisp": 1, "vtpm": 2}


def version_problem(version: int) -> str:
    """What every decoder says about a record layout it does not know."""
    return f"record version {version}; this decoder knows version {RECORD_VERSION}"


# -- The words the binary encodings carry -------------------------------------------------------
# CPUID leaf B+1 (ECX flags, EDX services) and the ACPI PVSR table (Flags, Services) use the
# same bits; the DT encoding spells them as properties. Packing, unpacking and the problems a
# guest meets reading them live here once.

FLAG_NOT_IN_CHARGE = 1 << 0
FLAG_ACCEPTS_MEMORY = 1 << 1
FLAG_BOUNDARY_VALID = 1 << 2
BOUNDARY_SHIFT, BOUNDARY_MASK = 8, 0x3F
FLAGS_DEFINED = FLAG_NOT_IN_CHARGE | FLAG_ACCEPTS_MEMORY | FLAG_BOUNDARY_VALID | (BOUNDARY_MASK << BOUNDARY_SHIFT)
SERVICES_DEFINED = sum(1 << b for b in SERVICE_BITS.values())
FLAG_NAMES = {0: "GUEST_NOT_IN_CHARGE", 1: "PARAVISOR_ACCEPTS_MEMORY", 2: "SHARED_GPA_BOUNDARY_VALID"}
