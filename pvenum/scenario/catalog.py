"""The bundled scenario catalog (pvenum/fixtures/scenarios/*.toml)."""

from __future__ import annotations

import functools
from importlib import resources

from .model import Scenario, parse_scenario

PACKAGE = "pvenum.fixtures.scenarios"

# Reading order of the matrix: from no hypervisor to a paravisor with services, x86 then Arm,
# then the contradictions. Scenarios not listed follow, by name.
ORDER = (
    "bare-metal", "kvm", "hyperv", "qemu-tcg", "sev", "sev-es", "snp", "snp-svsm", "snp-svsm-services",
    "azure-snp-paravisor", "azure-snp-paravisor-services", "tdx", "azure-tdx-paravisor", "hyperv-vbs",
    "openhcl-hide-isolation", "arm64-kvm", "arm64-xen", "arm64-hyperv", "cca-realm", "cca-realm-paravisor",
)


@functools.lru_cache(maxsize=1)
def _all() -> dict[str, Scenario]:
    out: dict[str, Scenario] = {}
    root = resources.files(PACKAGE)
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".toml"):
            continue
        sc = parse_scenario(entry.read_text(encoding="utf-8"), f"{PACKAGE.replace('.', '/')}/{entry.name}",
                            build=False)  # tests build every catalog scenario
        if sc.name in out:
            raise ValueError(f"two catalog scenarios are named {sc.name!r}")
        out[sc.name] = sc
    rank = {n: i for i, n in enumerate(ORDER)}
    return dict(sorted(out.items(), key=lambda kv: (rank.get(kv[0], len(ORDER)), kv[0])))


def names() -> list[str]:
    return list(_all())


def get(name: str) -> Scenario | None:
    # Catalog files are named after their scenario: read just that one when it is (the whole
    # catalog is parsed only for a name that is not a file's).
    if not _all.cache_info().currsize and name.replace("-", "").replace("_", "").replace(".", "").isalnum() and not name.startswith("."):
        entry = resources.files(PACKAGE) / f"{name}.toml"
        if entry.is_file():
            sc = parse_scenario(entry.read_text(encoding="utf-8"), f"{PACKAGE.replace('.', '/')}/{entry.name}",
                                build=False)
            if sc.name == name:
                return sc
    return _all().get(name)


def all_scenarios() -> list[Scenario]:
    return list(_all().values())
