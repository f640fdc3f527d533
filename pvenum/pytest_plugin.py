"""A pytest plugin: built platforms as fixtures for firmware, kernel and VMM test suites.

Installed with pvenum (entry point ``pytest11``), so any project that has pvenum installed can:

    def test_my_parser(pvenum_build):
        built = pvenum_build("azure-snp-paravisor")        # a catalog name or a scenario file
        blob = (built.dir / "cpuid.kvm").read_bytes()       # every format `pvenum build` writes
        assert built.derivations["linux"].mode == "paravisor"

    @pytest.mark.pvenum_scenario("tdx")
    def test_tdx(pvenum_scenario):
        assert pvenum_scenario.platform.cpuid.get(0x21) is not None

    @pytest.mark.parametrize("name", pvenum_catalog())     # every bundled scenario
    def test_all(pvenum_build, name): ...
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import pytest


@dataclass
class BuiltPlatform:
    name: str
    dir: Path  # the bundle `pvenum build` wrote
    platform: Any  # pvenum.platform.Platform, as re-read from dir
    derivations: dict[str, Any]  # model -> pvenum.resolver.derivation.Derivation
    manifest: dict[str, Any]

    def path(self, fmt: str) -> Path:
        """The file of a given format (e.g. "kvm_cpuid2", "dtb", "acpidump")."""
        for entry in self.manifest["files"]:
            if entry["format"] == fmt:
                return self.dir / entry["path"]
        raise KeyError(f"{self.name} has no {fmt} file")


def pvenum_catalog() -> list[str]:
    """Names of the bundled scenarios, for ``pytest.mark.parametrize``."""
    from pvenum.scenario import catalog

    return catalog.names()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "pvenum_scenario(name): build this pvenum scenario for the pvenum_scenario fixture")


@pytest.fixture(scope="session")
def pvenum_build(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], BuiltPlatform]:
    """Build a scenario (catalog name or TOML path) once per session; returns a BuiltPlatform."""
    from pvenum.build import write_bundle
    from pvenum.platform import load_bundle
    from pvenum.resolver import resolve_all
    from pvenum.target import load_target

    cache: dict[str, BuiltPlatform] = {}

    def build(target: str | Path) -> BuiltPlatform:
        key = str(target)
        if key not in cache:
            tgt = load_target(key)
            out = tmp_path_factory.mktemp("pvenum") / tgt.name
            desc = tgt.scenario.description if tgt.scenario is not None else ""
            manifest = write_bundle(tgt.platform, out, name=tgt.name, description=desc)
            platform = load_bundle(out)
            cache[key] = BuiltPlatform(tgt.name, out, platform, resolve_all(platform), manifest)
        return cache[key]

    return build


@pytest.fixture
def pvenum_scenario(request: pytest.FixtureRequest, pvenum_build: Callable[[str], BuiltPlatform]) -> BuiltPlatform:
    marker = request.node.get_closest_marker("pvenum_scenario")
    if marker is None or not marker.args:
        raise pytest.UsageError("pvenum_scenario needs @pytest.mark.pvenum_scenario(\"name-or-file\")")
    return pvenum_build(marker.args[0])
