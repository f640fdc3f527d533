"""The pytest plugin, used the way an outside project uses it: a separate test tree, a
subprocess running pytest, the plugin found through its entry point."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def test_outside_project_uses_the_fixtures(tmp_path):
    (tmp_path / "test_firmware.py").write_text(textwrap.dedent('''
        import pytest
        from pvenum.pytest_plugin import pvenum_catalog

        def test_kvm_cpuid2_of_azure(pvenum_build):
            built = pvenum_build("azure-snp-paravisor")
            blob = built.path("kvm_cpuid2").read_bytes()
            nent = int.from_bytes(blob[:4], "little")
            assert len(blob) == 8 + 40 * nent
            assert built.derivations["linux"].mode == "paravisor"
            assert built.derivations["systemd"].output == "sev-snp"

        @pytest.mark.pvenum_scenario("tdx")
        def test_marked(pvenum_scenario):
            assert pvenum_scenario.platform.cpuid.get(0x21) is not None
            assert (pvenum_scenario.dir / "manifest.json").exists()

        @pytest.mark.parametrize("name", pvenum_catalog()[:3])
        def test_catalog(pvenum_build, name):
            assert pvenum_build(name).name == name
    '''))
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
                          capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "5 passed" in proc.stdout
