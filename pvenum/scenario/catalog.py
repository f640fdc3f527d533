"""The bundled scenario catalog (pvenum/fixtures/scenarios/*.toml)."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING

from . import build_id

if TYPE_CHECKING:  # pragma: no cover
    from .model import Scenario

DIRECTORY = Path(build_id.CATALOG_DIR)

# Reading order of the matrix: from no hypervisor to a paravisor with services, x86 then Arm,
# then the contradictions. Scenarios not listed follow, by name.
ORDER = (
    "bare-metal", "kvm", "hyperv", "qemu-tcg", "sev", "sev-es", "snp", "snp-svsm", "snp-svsm-services",
    "azure-snp-paravisor", "azure-snp-paravisor-services", "tdx", "azure-tdx-paravisor", "hyperv-vbs",
    "openhcl-hide-isolation", "arm64-kvm", "arm64-xen", "arm64-hyperv", "cca-realm", "cca-realm-paravisor",
)


@functools.lru_cache(maxsize=1)
def _all() -> dict[str, Scenario]:
    from .model import parse_scenario

    out: dict[str, Scenario] = {}
    for entry in sorted(DIRECTORY.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".toml"):
            continue
        sc = parse_scenario(entry.read_text(encoding="utf-8"), f"{build_id.CATALOG_LABEL}/{entry.name}",
                            build=False)  # tests build every catalog scenario
        if sc.name in out:
            raise ValueError(f"two catalog scenarios are named {sc.name!r}")
        out[sc.name] = sc
    rank = {n: i for i, n in enumerate(ORDER)}
    return dict(sorted(out.items(), key=lambda kv: (rank.get(kv[0], len(ORDER)), kv[0])))


def names() -> list[str]:
    return list(_all())


def get(name: str) -> Scenario | None:
    # Read just the file named after the scenario when there is one (the whole catalog is
    # parsed only for a name that is not a file's).
    if not _all.cache_info().currsize:
        found = build_id.catalog_source(name)
        if found is not None:
            from .model import parse_scenario

            sc = parse_scenario(*found, build=False)
            if sc.name == name:
                return sc
    return _all().get(name)


def all_scenarios() -> list[Scenario]:
    return list(_all().values())
