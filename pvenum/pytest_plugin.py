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

    def test_expectations(pvenum_check):                    # what `pvenum check` does
        pvenum_check("my-cvm.toml")                          # its own [expect] tables
        pvenum_check("azure-snp-paravisor", {"linux": {"mode": "paravisor"}})
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping

import pytest


@dataclass
class BuiltPlatform:
    name: str
    dir: Path  # the bundle `pvenum build` wrote
    platform: Any  # pvenum.platform.Platform, as re-read from dir
    derivations: dict[str, Any]  # model -> pvenum.resolver.derivation.Derivation
    manifest: dict[str, Any]
    expect: dict[str, Any] = field(default_factory=dict)  # the scenario's [expect] (pvenum.expect.Expectation)

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
    from pvenum.bundle import load_bundle
    from pvenum.resolver.registry import resolve_all
    from pvenum.target import load_target

    cache: dict[str, BuiltPlatform] = {}

    def build(target: str | Path) -> BuiltPlatform:
        key = str(target)
        if key not in cache:
            tgt = load_target(key)
            out = tmp_path_factory.mktemp("pvenum") / tgt.name
            desc = tgt.scenario.description if tgt.scenario is not None else ""
            expect = tgt.expectations(key)
            manifest = write_bundle(tgt.platform, out, name=tgt.name, description=desc, expect=expect)
            platform = load_bundle(out)
            cache[key] = BuiltPlatform(tgt.name, out, platform, resolve_all(platform), manifest, expect)
        return cache[key]

    return build


@pytest.fixture
def pvenum_scenario(request: pytest.FixtureRequest, pvenum_build: Callable[[str], BuiltPlatform]) -> BuiltPlatform:
    marker = request.node.get_closest_marker("pvenum_scenario")
    if marker is None or not marker.args:
        raise pytest.UsageError("pvenum_scenario needs @pytest.mark.pvenum_scenario(\"name-or-file\")")
    return pvenum_build(marker.args[0])


def check_expectations(target: "str | Path | BuiltPlatform", expect: Mapping[str, Any] | None = None) -> list[Any]:
    """The mismatches ``pvenum check`` would print (pvenum.expect.Mismatch: model, field,
    expected, derived). ``target``: a catalog name, a scenario TOML, a bundle directory or a
    BuiltPlatform; ``expect``: ``{model: {key: value}}`` as in an [expect] table (validated
    the same way), else the target's own [expect] tables."""
    from pvenum.check import check_target
    from pvenum.expect import compare, parse_expectations
    from pvenum.resolver.registry import resolve_all

    stated = parse_expectations(dict(expect), key="expect") if expect is not None else None
    if isinstance(target, BuiltPlatform):
        want = stated if stated is not None else target.expect
        return compare(want, target.derivations)
    if stated is None:
        return check_target(str(target)).mismatches
    from pvenum.target import load_target

    tgt = load_target(str(target))  # a bundle's own kernel.config builds the linux models' kernel, as in check
    return compare(stated, resolve_all(tgt.platform, list(stated), kernel_config=tgt.kernel_config))


@pytest.fixture
def pvenum_check() -> Callable[..., None]:
    """Assert a target meets its expectations (or the ones given); the failure lists every
    mismatch as MODEL: FIELD: expected …, derived …."""
    from pvenum.expect import text

    def check(target: "str | Path | BuiltPlatform", expect: Mapping[str, Any] | None = None) -> None:
        bad = check_expectations(target, expect)
        if bad:
            lines = [f"{m.model}: {m.field}: expected {text(m.expected)}, derived {text(m.derived)}" for m in bad]
            raise AssertionError(f"{getattr(target, 'name', target)}: unmet expectations\n  " + "\n  ".join(lines))

    return check
