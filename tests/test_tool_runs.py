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


@pytest.mark.parametrize("setter", ["prlimit", "preexec_fn"])
def test_a_tool_that_floods_stdout_is_stopped_at_the_bound(monkeypatch, setter):
    # util-linux's prlimit sets the limits and execs the tool; without it, a preexec_fn does.
    if setter == "prlimit":
        _exe("prlimit")
    else:
        monkeypatch.setattr(tools, "_prlimit", lambda: None)
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


def test_a_lower_limit_pvenum_itself_runs_under_is_kept():
    """Under `ulimit -f` a process may lower its file size limit, not raise it: the bound is the
    lower of the two, and the message says which one stopped the tool."""
    import resource
    import subprocess
    import sys

    code = ("import shutil\nfrom pvenum import tools\n"
            "try:\n    tools.run('yes', [], exe=shutil.which('yes'), timeout=60)\n"
            "except Exception as err:\n    print(type(err).__name__, err)\n")

    def lower() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (2 * MIB, 2 * MIB))

    _exe("yes")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         preexec_fn=lower).stdout
    assert out.startswith("ToolError yes was stopped: it wrote 2,097,152 bytes to one file"), out


def test_a_file_that_is_not_executable_is_our_error(tmp_path):
    # With prlimit in front (util-linux prlimit(1) execs the tool), a failed exec would only be
    # its exit status 126/127; run() says what is wrong before anything starts.
    import pytest

    from pvenum import tools

    exe = tmp_path / "dtc"
    exe.write_text("#!/bin/sh\n")
    with pytest.raises(tools.ToolError, match="not an executable"):
        tools.run("dtc", ["--version"], exe=str(exe))
    with pytest.raises(tools.ToolError, match="not an executable"):
        tools.run("dtc", ["--version"], exe=str(tmp_path / "nonexistent"))
    with pytest.raises(tools.ToolError, match="not an executable"):  # a directory: X_OK, but no file to run
        tools.run("dtc", ["--version"], exe=str(tmp_path))
