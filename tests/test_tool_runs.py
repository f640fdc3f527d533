"""pvenum/tools.py runs every external tool in a private directory with a bound on what it may
write: the inputs are untrusted, and one tool (iasl 20200925 -d, tests/acpi/test_aml_review.py)
turns 161 bytes into gigabytes. The tools here are real coreutils programs doing what a runaway
does: `yes` floods stdout, `dd` grows a file."""

from __future__ import annotations

import shutil

import pytest

from pvenum import tools
from pvenum.errors import ToolError

MIB = 1 << 20


def _exe(name: str) -> str:
    path = shutil.which(name)
    if path is None:  # coreutils is Essential on Debian: absent only on a foreign system
        pytest.skip(f"{name} not on PATH")
    return path


def test_a_tool_that_floods_stdout_is_stopped_at_the_bound():
    with pytest.raises(ToolError, match=r"^yes was stopped: it wrote 1,048,576 bytes to one file"):
        tools.run("yes", [], exe=_exe("yes"), max_output=MIB, timeout=60)


def test_a_tool_that_grows_a_file_is_stopped_and_one_below_the_bound_is_read_back():
    dd = _exe("dd")
    args = ["if=/dev/zero", "of=big", "bs=65536", "count=64", "status=none"]  # 4 MiB
    with pytest.raises(ToolError, match="was stopped: it wrote 1,048,576 bytes"):
        tools.run("dd", args, exe=dd, collect=["big"], max_output=MIB, timeout=60)
    res = tools.run("dd", args, exe=dd, collect=["big"], max_output=8 * MIB, timeout=60)
    assert res.returncode == 0 and res.files["big"] == bytes(4 * MIB)


def test_stdout_and_stderr_are_what_the_tool_wrote(tmp_path):
    res = tools.run("sh", ["-c", "printf 'out\\n'; printf 'err\\n' >&2; exit 3"], exe=_exe("sh"), check=False)
    assert (res.returncode, res.stdout, res.stderr) == (3, "out\n", "err\n")
    with pytest.raises(ToolError, match=r"failed \(3\): err$"):
        tools.run("sh", ["-c", "printf 'err\\n' >&2; exit 3"], exe=_exe("sh"))
