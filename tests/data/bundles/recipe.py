#!/usr/bin/env python3
"""Recipe for the bundles that are not one platform (README's `pvenum verify` example).

copies-disagree/: the CPUID files and platform.toml `pvenum build azure-snp-paravisor` writes,
with its manifest; then HV_PARAVISOR_PRESENT (CPUID 0x4000000C EAX bit 0, Hyper-V TLFS; Linux
include/hyperv/hvgdk_mini.h) cleared in cpuid.kvm only, as a hand edit would: resolution reads
`cpuid`, so without `pvenum verify` the edit would change nothing anyone sees.

    python tests/data/bundles/recipe.py          # rewrite the bundles
    python tests/data/bundles/recipe.py --check  # exit 1 if they differ from the recipe
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))

from pvenum.build import manifest, render_files  # noqa: E402
from pvenum.scenario import catalog  # noqa: E402

KVM_HEADER, KVM_ENTRY = 8, 40  # struct kvm_cpuid2 / kvm_cpuid_entry2 (arch/x86/include/uapi/asm/kvm.h)


def clear_paravisor_present(kvm: bytes) -> bytes:
    data = bytearray(kvm)
    for i in range(int.from_bytes(data[:4], "little")):
        off = KVM_HEADER + i * KVM_ENTRY
        if int.from_bytes(data[off:off + 4], "little") == 0x4000000C:
            data[off + 12] &= ~1
    return bytes(data)


def bundles() -> dict[str, dict[str, bytes]]:
    sc = catalog.get("azure-snp-paravisor")
    built = render_files(sc.platform(), name=sc.name, description=sc.description)
    files = {k: built[k] for k in ("cpuid", "cpuid.kvm", "platform.toml")}
    files["manifest.json"] = manifest(files, name=sc.name, description=sc.description)
    files["cpuid.kvm"] = clear_paravisor_present(files["cpuid.kvm"])
    return {"copies-disagree": files}


def main() -> int:
    check = "--check" in sys.argv[1:]
    bad = 0
    for name, files in bundles().items():
        for rel, data in files.items():
            path = HERE / name / rel
            if check:
                if not path.is_file() or path.read_bytes() != data:
                    print(f"{path}: differs from the recipe")
                    bad = 1
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
    return bad


if __name__ == "__main__":
    raise SystemExit(main())
