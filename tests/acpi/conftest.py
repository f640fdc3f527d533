"""pytest hooks for the ACPI suite: template parametrisation and the sysfs fixture (the slow
marker is registered in pyproject.toml).

`iasl -T ALL` runs once per session, at collection, so every template becomes its own test id;
without iasl those tests are skipped with the reason and the committed fixtures still run.
"""

from __future__ import annotations

import pytest
from acpi_helpers import fixture_files, generated_templates, sysfs_readable


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "template" in metafunc.fixturenames:
        got = generated_templates()
        if got is None:
            metafunc.parametrize("template", [pytest.param(None, marks=pytest.mark.skip(
                reason="iasl not installed (Debian: apt-get install acpica-tools)"))])
        else:
            metafunc.parametrize("template", sorted(got[0]))
    if "fixture_table" in metafunc.fixturenames:
        files = fixture_files()
        metafunc.parametrize("fixture_table", files, ids=[f"{p.parent.name}/{p.name}" for p in files])


@pytest.fixture
def need_sysfs() -> None:
    if not sysfs_readable():
        pytest.skip("/sys/firmware/acpi/tables is absent or not readable (needs root)")
