"""AML in review: a DSDT as ASL from the real `iasl -d`, normalised, in textconv, inspect,
`git diff` and `pvenum diff`.

The table is the real DSDT of a Firecracker guest (tests/data/acpi/firecracker/dsdt.dat,
acpixtract of its acpidump); the change is one string of its AML, the _DDN of the VM
generation counter device, as a firmware patch would make it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from pvtest import DATA, need_tool, with_checksum

from pvenum.acpi import asl, iasl

DSDT = DATA / "acpi" / "firecracker" / "dsdt.dat"
OLD, NEW = b'"VM_Gen_Counter"', b'"VM_Gen_Countex"'


def patched(data: bytes) -> bytes:
    """The second "VM_Gen_Counter" (the _DDN) renamed, checksum fixed (ACPI 6.5 §5.2.6)."""
    i = data.index(b"VM_Gen_Counter", data.index(b"VM_Gen_Counter") + 1)
    return with_checksum(data[:i] + b"VM_Gen_Countex" + data[i + 14:])


@pytest.fixture(scope="module")
def tool():
    need_tool("iasl")
    found = iasl.find()
    if found.version < asl.MIN_IASL:
        pytest.skip(f"iasl {found.version} is older than {asl.MIN_IASL}")
    return found


def test_normalised_disassembly_is_the_same_for_the_same_bytes(tool):
    data = DSDT.read_bytes()
    # Two real runs under different file names (iasl prints the name and the time).
    one = iasl.disassemble(data, name="first").text
    two = iasl.disassemble(data, name="second_name").text
    assert one != two
    a, b = asl.normalise(one), asl.normalise(two)
    assert a == b
    text = "\n".join(a)
    for banner in ("Intel ACPI Component Architecture", "Disassembler version", "Copyright",
                   "Disassembly of", "first", "iASL Warning: There w"):
        assert banner not in text
    assert a[0] == "/*" and a[1] == " * Original Table Header:"
    assert 'DefinitionBlock ("", "DSDT", 2, "FIRECK", "FCVMDSDT", 0x00000000)' in a
    # Everything else is iasl's own text, line for line.
    assert set(a) - {" * Original Table Header:"} <= set(one.splitlines()) | {l.rstrip() for l in one.splitlines()}


def test_textconv_and_inspect_show_asl(tool, cli):
    proc = cli("textconv", str(DSDT))
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.decode().splitlines()
    assert f"# DSDT as ASL: iasl {tool.version} -d, normalised (pvenum.acpi.asl)" in lines
    assert 'DSDT|         Name (_DDN, "VM_Gen_Counter")  // _DDN: DOS Device Name' in lines
    assert not any("AmlCode[" in l for l in lines)
    proc = cli("inspect", "--disasm", str(DSDT))
    assert 'Name (_DDN, "VM_Gen_Counter")' in proc.stdout.decode()


def test_disasm_in_json_and_its_errors_name_the_file(tool, cli):
    # --json --disasm carries the same ASL as the text form; a table iasl refuses (a standalone
    # RSDP: iasl -d has no RSDP disassembler) fails the same way in both, naming the file.
    obj = json.loads(cli("inspect", "--json", "--disasm", str(DSDT)).stdout.decode().splitlines()[0])
    assert 'Name (_DDN, "VM_Gen_Counter")' in obj["disassembly"]
    rsdp = DATA / "acpi" / "iasl-20200925" / "rsdp.aml"
    for args in ((), ("--json",)):
        proc = cli("inspect", *args, "--disasm", str(rsdp))
        err = proc.stderr.decode()
        assert proc.returncode == 3 and err.startswith(f"pvenum: error: {rsdp}: RSDP: ") and err.count("\n") == 1, err


def test_without_iasl_the_aml_stays_bytes_and_says_why(cli, tmp_path):
    # A PATH with python but no iasl: the real absence, not a mock.
    bindir = tmp_path / "bin"
    bindir.mkdir()
    os.symlink(sys.executable, bindir / "python3")
    proc = cli("textconv", str(DSDT), env={"PATH": str(bindir)})
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.decode()
    assert "# pvenum: iasl not found (apt-get install acpica-tools): AML shown as bytes" in out
    assert "DSDT.AmlCode[0x0000] = " in out


def test_git_diff_shows_the_aml_change_as_asl(tool, tmp_path):
    git = shutil.which("git")
    if git is None:
        pytest.skip("git not installed")
    repo = tmp_path / "fw"
    (repo / "acpi").mkdir(parents=True)
    (repo / "acpi" / "DSDT.dat").write_bytes(DSDT.read_bytes())
    (repo / ".gitattributes").write_text("*.dat diff=pvenum\n")

    def run(*args: str) -> str:
        env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(tmp_path)}
        return subprocess.run([git, *args], cwd=repo, env=env, check=True, capture_output=True,
                              text=True, timeout=120).stdout

    run("init", "-q")
    run("config", "user.email", "t@example.invalid")
    run("config", "user.name", "t")
    run("config", "diff.pvenum.textconv", f"{sys.executable} -m pvenum textconv")
    run("add", ".")
    run("commit", "-qm", "firmware")
    (repo / "acpi" / "DSDT.dat").write_bytes(patched(DSDT.read_bytes()))
    diff = run("diff").splitlines()
    assert '-DSDT|         Name (_DDN, "VM_Gen_Counter")  // _DDN: DOS Device Name' in diff
    assert '+DSDT|         Name (_DDN, "VM_Gen_Countex")  // _DDN: DOS Device Name' in diff
    assert not any(l.startswith(("+DSDT.AmlCode", "-DSDT.AmlCode")) for l in diff)
    assert any(l.startswith("-DSDT.checksum = ") for l in diff)


def test_pvenum_diff_shows_asl_in_every_form(tool, cli, tmp_path):
    a, b = tmp_path / "a.dat", tmp_path / "b.dat"
    a.write_bytes(DSDT.read_bytes())
    b.write_bytes(patched(DSDT.read_bytes()))
    term = cli("diff", "--exit-code", str(a), str(b))
    assert term.returncode == 1, term.stderr
    text = term.stdout.decode()
    assert "DSDT.AmlCode as ASL (iasl -d, normalised)" in text
    assert '+        Name (_DDN, "VM_Gen_Countex")  // _DDN: DOS Device Name' in text
    md = cli("diff", str(a), str(b), "--format", "markdown").stdout.decode()
    assert "```diff" in md and '-        Name (_DDN, "VM_Gen_Counter")  // _DDN: DOS Device Name' in md
    js = json.loads(cli("diff", str(a), str(b), "--format", "json").stdout)
    change = next(c for c in js["raw"]["acpi"] if c["field"] == "DSDT.AmlCode")
    assert change["asl_diff"][:2] == ["--- a/DSDT.dsl", "+++ b/DSDT.dsl"]
    # Two ASL lines change: the header comment's checksum and the _DDN string.
    added = [l for l in change["asl_diff"] if l.startswith("+") and not l.startswith("+++")]
    assert added == [f"+ *     Checksum         0x{b.read_bytes()[9]:02X}",
                     '+        Name (_DDN, "VM_Gen_Countex")  // _DDN: DOS Device Name']
    html = cli("diff", str(a), str(b), "--format", "html").stdout.decode()
    # The added ASL line is coloured (rich's export: an inline style on its span).
    line = next(l for l in html.splitlines() if "VM_Gen_Countex" in l)
    assert "color" in line


def _runaway(name: str) -> bytes:
    return (DATA / "fuzz-regressions" / "acpi-table" / name).read_bytes()


def test_aml_on_which_iasl_writes_without_end_is_stopped_by_the_output_bound(tool, monkeypatch):
    """A 183-byte DSDT found by `make fuzz` makes iasl 20200925 `-d` write its .dsl without end
    (checked by hand: `timeout 10 iasl -d` left a 442 MB file). The run is stopped at the bound
    on what it may write (pvenum/tools.py: RLIMIT_FSIZE), long before any timeout, and review
    output shows the bytes with the reason."""
    data = _runaway("timeout-5ae30d6393ee20b52f24d5d582f16f05ffb2fd1c")
    monkeypatch.setattr(asl, "DISASSEMBLY_TIMEOUT", 30.0)  # only the bound can stop it in time
    asl._disassemble.cache_clear()
    got = asl.asl_lines(data)
    if got.lines is not None:
        pytest.skip(f"iasl {got.iasl_version} disassembles this table (the runaway is fixed in that release)")
    assert f"was stopped: it wrote {iasl.disassembly_bound(len(data)):,} bytes to one file" in got.why
    assert "AML shown as bytes" in got.why


def test_aml_that_keeps_iasl_busy_is_given_up_at_the_timeout(tool, monkeypatch):
    """A 161-byte DSDT (`make fuzz`, 2026-12-07) keeps iasl 20200925 busy for seconds before its
    .dsl grows without end (1.3 GB in 30 s by hand): the timeout gives up first."""
    data = _runaway("timeout-2c944b9975ac633020d9bcf3da2cd0ed08d2c7e2")
    monkeypatch.setattr(asl, "DISASSEMBLY_TIMEOUT", 1.0)
    # Only the timeout may stop it: on a faster machine the .dsl could reach the output bound
    # within the second, and the reason would be the bound's.
    monkeypatch.setattr(iasl, "DISASSEMBLY_FLOOR", 1 << 30)
    asl._disassemble.cache_clear()
    got = asl.asl_lines(data)
    if got.lines is not None:
        pytest.skip(f"iasl {got.iasl_version} disassembles this table (the runaway is fixed in that release)")
    assert "timed out after 1s" in got.why and "AML shown as bytes" in got.why
