"""Helpers shared by every test directory (import as `from pvtest import ...`).

Kept out of conftest.py because several directories have their own conftest.py and a bare
`import conftest` would pick whichever comes first on sys.path.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
# A fingerprint Firecracker's cpu-template-helper wrote on an AMD Genoa host (see its README).
GENOA_FINGERPRINT = DATA / "cpuid" / "firecracker-helper" / "fingerprint_AMD_GENOA_6.1host.json"


def genoa_fingerprint() -> dict:
    """:data:`GENOA_FINGERPRINT` as JSON."""
    import json

    return json.loads(GENOA_FINGERPRINT.read_text())

# Slow differential and fuzz tests run at this fraction of their full size under `make test`;
# PVENUM_SLOW_SCALE=1 runs them in full.
SLOW_SCALE = float(os.environ.get("PVENUM_SLOW_SCALE", "0.05"))


def load_script(path: Path, name: str):
    """A project script (bench/, fuzz/) as the module ``name``: its directory on sys.path while it
    loads (its siblings have plain names) and the module kept in sys.modules (so that a plain
    ``from NAME import ...`` inside one finds it); sys.path is restored after, whatever the
    script added."""
    import importlib.util

    known = sys.modules.get(name)
    if known is not None and getattr(known, "__file__", None) == str(path):
        return known  # loaded once: a script's module-level work is not done again
    saved = list(sys.path)
    try:
        sys.path.insert(0, str(path.parent))
        spec = importlib.util.spec_from_file_location(name, path)
        mod = importlib.util.module_from_spec(spec)
        sys.modules[name] = mod
        spec.loader.exec_module(mod)
    finally:
        sys.path[:] = saved
    return mod


def with_checksum(data: bytes | bytearray) -> bytes:
    """``data`` (an ACPI table with the standard header) with its Checksum byte (offset 9) set so
    that all its bytes sum to zero (ACPI 6.5 §5.2.6)."""
    out = bytearray(data)
    out[9] = 0
    out[9] = (-sum(out)) & 0xFF
    return bytes(out)


def need_tool(name: str):
    """Skip (with the reason) when an external tool is absent."""
    from pvenum import tools

    tool = tools.find(name)
    if tool is None:
        pytest.skip(f"{name} not installed (Debian: apt-get install {tools.PACKAGES.get(name, name)})")
    return tool


def imported_modules(stderr: bytes) -> set[str]:
    """The modules a ``python -X importtime`` run reports on its stderr."""
    return {line.rsplit("|", 1)[1].strip() for line in stderr.decode().splitlines()
            if line.startswith("import time:") and "|" in line}


def run_cli(*args: str, input: bytes | None = None, env: dict[str, str] | None = None,
            cwd: str | os.PathLike[str] | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run the real `pvenum` entry point in a subprocess (exit codes and stderr as users see them)."""
    return subprocess.run(
        [sys.executable, "-m", "pvenum", *args],
        capture_output=True,
        input=input,
        cwd=cwd or ROOT,
        env={**os.environ, "COLUMNS": "160", **(env or {})},
        timeout=timeout,
    )


def assert_matches_recipe(recipe: Path) -> None:
    """A fixture directory's generator, run with ``--check``, finds nothing to rewrite."""
    proc = subprocess.run([sys.executable, str(recipe), "--check"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr


CONCLUSIONS = ("mode", "isolation", "hypervisor", "memory_acceptance")


def assert_conclusions(got: dict, want: dict, ctx: str) -> None:
    """Each of a derivation's conclusions (``Derivation.to_dict()``) that ``want`` states."""
    for key in CONCLUSIONS:
        if key in want:
            assert got[key] == want[key], f"{ctx}: {key} {got[key]!r} != {want[key]!r}"


# -- the draft paravisor services record, for every encoding's tests --------------------------


def record_strategies():
    """Hypothesis strategies: (interfaces, records) over every field of the record."""
    from hypothesis import strategies as st

    from pvenum.proposal.codes import INTERFACE_BY_NAME, ISOLATION_BY_NAME
    from pvenum.proposal.record import Interface, ParavisorServices

    interfaces = st.one_of(
        st.none(),
        st.builds(Interface, kind=st.sampled_from(sorted(INTERFACE_BY_NAME)), version=st.integers(0, 255),
                  param0=st.integers(0, (1 << 64) - 1), param1=st.integers(0, (1 << 32) - 1)),
    )
    records = st.builds(
        ParavisorServices,
        isolation=st.sampled_from(sorted(ISOLATION_BY_NAME)),
        guest_in_charge=st.booleans(),
        paravisor_accepts_memory=st.booleans(),
        shared_gpa_boundary_bits=st.one_of(st.none(), st.integers(1, 63)),
        attestation=interfaces, tdisp=interfaces, vtpm=interfaces,
    )
    return interfaces, records


def azure_record():
    """The record the azure-snp-paravisor-services scenario advertises."""
    from pvenum.proposal.record import Interface, ParavisorServices

    return ParavisorServices(
        isolation="sev-snp", guest_in_charge=False, paravisor_accepts_memory=True, shared_gpa_boundary_bits=46,
        attestation=Interface("tpm-nv-index", param0=0x01400001),
        tdisp=Interface("hypercall", param0=0x0100),
        vtpm=Interface("mmio", param0=0xFED40000, param1=0x5000),
    )
