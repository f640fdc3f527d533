"""The exit-code contract (pvenum/cli.py EXIT_CODES), walked over every command.

0 success; 1 differences, validation problems or unmet expectations; 2 usage (unknown option,
option value or name, nonexistent path, nothing usable given); 3 unreadable or malformed
input; a reader closing stdout early is a quiet 0. The contract is the project's, stated in
its README; each row below is one command in one situation.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys

import pytest

from pvenum import cli as pvcli
from pvtest import DATA, ROOT, imported_modules

NX = "/nonexistent/pvenum-path"


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    """A built bundle, a random (unreadable) blob, a table with a bad checksum, an empty dir."""
    from pvenum.build import write_bundle
    from pvenum.scenario import catalog

    d = tmp_path_factory.mktemp("exit")
    write_bundle(catalog.get("snp").platform(), d / "bundle", name="snp")
    # Not random at run time: a fixed junk blob no reader accepts (no magic, no text).
    (d / "junk.bin").write_bytes(bytes((i * 151 + 7) % 256 for i in range(100)) + b"\x00")
    facp = bytearray((d / "bundle" / "acpi" / "FACP.dat").read_bytes())
    facp[9] ^= 0xFF  # ACPI 6.5 §5.2.6: the checksum byte, so the table no longer sums to 0
    (d / "badsum.dat").write_bytes(bytes(facp))
    (d / "empty").mkdir()
    shutil.copytree(d / "bundle", d / "tampered")
    with open(d / "tampered" / "platform.toml", "a") as fh:
        fh.write("# edited after the build\n")  # no longer the bytes manifest.json lists
    scenario = (ROOT / "pvenum" / "fixtures" / "scenarios" / "azure-snp-paravisor-services.toml").read_text()
    (d / "wrong.toml").write_text(scenario.replace('mode = "paravisor"', 'mode = "enlightened"'))
    return d


# (command, args, expected exit). {d} is the inputs directory, {data} tests/data.
ROWS: list[tuple[str, tuple[str, ...], int]] = [
    # success
    ("inspect", ("{d}/bundle/cpuid.kvm",), 0),
    ("resolve", ("snp",), 0),
    ("snapshot", ("--sysroot", "{d}/empty", "-o", "{tmp}/snap"), 0),
    ("convert", ("snp", "--to", "cpuid-r"), 0),
    ("validate", ("{d}/bundle/acpi",), 0),
    ("audit", ("{d}/bundle", "-j", "1"), 0),
    ("main", ("--scenario", "snp"), 0),
    ("compare-encodings", ("azure-snp-paravisor-services",), 0),
    ("build", ("snp", "-o", "{tmp}/out"), 0),
    ("scenarios", (), 0),
    ("rules", ("--json",), 0),
    ("scenario", ("new", "{tmp}/new.toml"), 0),
    ("diff", ("snp", "snp", "--exit-code"), 0),
    ("textconv", ("{d}/bundle/cpuid",), 0),
    ("verify", ("{d}/bundle",), 0),
    ("check", ("azure-snp-paravisor-services",), 0),
    ("main", ("{d}/bundle",), 0),
    # 1: differences, validation problems
    ("diff", ("snp", "tdx", "--exit-code"), 1),
    ("validate", ("{d}/badsum.dat",), 1),
    ("verify", ("{d}/tampered",), 1),
    ("check", ("{d}/wrong.toml",), 1),
    # 2: nonexistent paths, for every command that takes one
    ("inspect", (NX,), 2),
    ("resolve", (NX,), 2),
    ("snapshot", ("--sysroot", NX, "-o", "{tmp}/snap"), 2),
    ("convert", (NX, "--to", "cpuid-r"), 2),
    ("validate", (NX,), 2),
    ("audit", (NX,), 2),
    ("compare-encodings", (NX,), 2),
    ("build", (NX, "-o", "{tmp}/out"), 2),
    ("diff", (NX, "snp"), 2),
    ("diff", ("snp", NX), 2),
    ("textconv", (NX,), 2),
    ("verify", (NX,), 2),
    ("check", (NX,), 2),
    ("main", (NX,), 2),
    # 2: unknown options, option values and names
    ("inspect", ("--format", "kvm", "{d}/bundle/cpuid.kvm"), 2),
    ("textconv", ("--format", "kvm", "{d}/bundle/cpuid.kvm"), 2),
    ("main", ("--scenario", "nosuch"), 2),
    ("resolve", ("nosuch",), 2),
    ("resolve", ("snp", "--model", "nosuch"), 2),
    ("resolve", ("snp", "--kernel-config", NX), 2),
    ("convert", ("snp", "--to", "kvm"), 2),
    ("diff", ("snp", "tdx", "--format", "kvm"), 2),
    ("audit", ("{d}/bundle", "--fail-on", "sometimes"), 2),
    ("build", ("snp", "--all", "-o", "{tmp}/out"), 2),
    ("scenarios", ("--bogus",), 2),
    ("rules", ("--bogus",), 2),
    ("scenario", ("nosuch",), 2),
    ("snapshot", (), 2),
    # 2: nothing usable given
    ("inspect", ("{d}/empty",), 2),
    ("resolve", ("{d}/empty",), 2),
    ("verify", ("{d}/empty",), 2),
    ("check", ("{d}/empty",), 2),
    # 3: unreadable or malformed input
    ("inspect", ("{d}/junk.bin",), 3),
    ("resolve", ("{d}/junk.bin",), 3),
    ("resolve", ("snp", "--kernel-config", "{d}/junk.bin"), 3),
    ("textconv", ("{d}/junk.bin",), 3),
    ("convert", ("{d}/junk.bin", "--to", "cpuid-r"), 3),
    ("build", ("{d}/junk.bin", "-o", "{tmp}/out"), 3),
    ("diff", ("{d}/junk.bin", "snp"), 3),
    ("compare-encodings", ("{d}/junk.bin",), 3),
    ("validate", ("{d}/junk.bin",), 3),
    ("check", ("{d}/junk.bin",), 3),
    # 3: an iasl error on an RSDP is reported, not swallowed (exit 0 before)
    ("inspect", ("--disasm", "{data}/acpi/iasl-20200925/rsdp.aml"), 3),
]


def _ids(row):
    return f"{row[0]}-{row[2]}-{'_'.join(row[1])[:40]}"


def test_every_command_has_rows():
    covered = {cmd for cmd, _, _ in ROWS}
    assert set(pvcli.COMMANDS) <= covered, sorted(set(pvcli.COMMANDS) - covered)
    for code in (0, 2):
        assert set(pvcli.COMMANDS) - {"scenarios", "scenario", "main"} <= {c for c, _, e in ROWS if e == code}


@pytest.mark.parametrize("row", ROWS, ids=[_ids(r) for r in ROWS])
def test_exit_code(row, inputs, tmp_path, capsys, monkeypatch):
    cmd, args, expected = row
    if "--disasm" in args:
        from pvenum.tools import find

        if find("iasl") is None:
            pytest.skip("iasl (acpica-tools) is not installed")
    monkeypatch.chdir(tmp_path)
    argv = [cmd, *(a.format(d=inputs, data=DATA, tmp=tmp_path) for a in args)]
    status = pvcli.main(argv)
    out, err = capsys.readouterr()
    assert status == expected, (argv, status, err)
    if expected in (2, 3):
        assert "Traceback" not in err and err.strip(), argv
        # One line for pvenum's own errors; click's usage errors add a "Try --help" hint.
        assert err.startswith("pvenum: error: ") or "Error:" in err, err
    if expected == 3:
        assert err.count("\n") == 1 and "internal error" not in err, err


# Commands whose output is larger than the 4 KiB pipe the test gives them: each must stop
# quietly with 0 when the reader goes away (`| head`).
PIPED = [
    ("inspect", "{data}/acpi"),
    ("inspect", "--json", "{data}/acpi"),
    ("textconv", "{data}/acpi"),
    ("resolve", "conflict-record-cpuid-vs-acpi"),  # 4.7 KB at 120 columns (snp's table is 2.5 KB)
    ("resolve", "snp", "--json"),
    ("main",),
    ("diff", "snp", "tdx"),
    ("scenarios",),
    ("rules",),
    ("compare-encodings", "azure-snp-paravisor-services"),
    ("convert", "snp", "--to", "cpuid-r"),
]


@pytest.mark.parametrize("args", PIPED + [("resolve", "conflict-record-cpuid-vs-acpi", "stored")],
                         ids=["_".join(a)[:40] for a in PIPED] + ["stored answer"])
def test_closed_stdout_is_a_quiet_zero(args, tmp_path):
    env = {**os.environ, "COLUMNS": "120", "XDG_CACHE_HOME": str(tmp_path)}
    python = [sys.executable]
    stored = args[-1] == "stored"
    if stored:  # its answer stored by a run that read it all (pvenum/scenario/answers.py), then read back
        args = args[:-1]
        env.pop("PVENUM_NO_CACHE", None)
        full = subprocess.run([sys.executable, "-m", "pvenum", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              cwd=ROOT, env=env, timeout=300)
        assert full.returncode == 0 and list(tmp_path.rglob("*.answer"))
        python += ["-X", "importtime"]
    r, w = os.pipe()
    fcntl.fcntl(w, fcntl.F_SETPIPE_SZ, 4096)  # so every command here fills the pipe
    proc = subprocess.Popen([*python, "-m", "pvenum", *(a.format(data=DATA) for a in args)],
                            stdout=w, stderr=subprocess.PIPE, cwd=ROOT, env=env)
    os.close(w)
    first = os.read(r, 64)
    os.close(r)  # like `head -c 64`
    _, err = proc.communicate(timeout=300)
    assert first
    full = subprocess.run([sys.executable, "-m", "pvenum", *(a.format(data=DATA) for a in args)],
                          capture_output=True, cwd=ROOT, env={**env, "PVENUM_NO_CACHE": "1"}, timeout=300)
    assert len(full.stdout) > 4096  # more than the pipe holds: the reader's going away is met
    assert proc.returncode == 0, err.decode()
    if stored:
        assert not {m for m in imported_modules(err) if m.startswith(("rich", "pvenum.resolver"))}
        err = b"".join(line for line in err.splitlines(keepends=True) if not line.startswith(b"import time:"))
    assert err == b"", err.decode()


# Output that cannot be written at all: stdout closed before the start (`>&-`), or a full
# device (ENOSPC). One line and exit 3 ("an output pvenum refuses to write"), never a traceback
# or an internal error. `resolve snp` also with its answer stored by a run on a pipe first
# (pvenum/scenario/answers.py; a pipe and /dev/full are the same context, a closed stdout none:
# nothing is replayed there), shown read back: the resolver and rich are not imported.
UNWRITABLE = [("--version",), ("resolve", "snp"), ("resolve", "snp", "--json"), ("inspect", "{data}/acpi"),
              ("scenarios",)]
CASES = [(a, out) for a in UNWRITABLE for out in ("closed", "/dev/full")] + [(("resolve", "snp", "stored"), "/dev/full")]


@pytest.mark.parametrize("args, stdout", CASES, ids=[f"{'_'.join(a)[:40]}-{out}" for a, out in CASES])
def test_stdout_that_cannot_be_written_is_one_line_and_exit_3(args, stdout, tmp_path):
    stored = args[-1] == "stored"
    cmd = [sys.executable, "-m", "pvenum", *(a.format(data=DATA) for a in args if a != "stored")]
    env = {**os.environ, "COLUMNS": "120", "XDG_CACHE_HOME": str(tmp_path)}
    env.pop("PVENUM_NO_CACHE", None)
    if stored:
        assert subprocess.run(cmd, capture_output=True, cwd=ROOT, env=env, timeout=300).returncode == 0
        assert list((tmp_path / "pvenum" / "answers").iterdir())
        cmd[1:1] = ["-X", "importtime"]
    if stdout == "closed":
        proc = subprocess.run(cmd, stderr=subprocess.PIPE, cwd=ROOT, env=env, timeout=300,
                              preexec_fn=lambda: os.close(1))
        want = b"pvenum: error: stdout is closed: nothing can be printed\n"
    else:
        with open("/dev/full", "wb") as full:
            proc = subprocess.run(cmd, stdout=full, stderr=subprocess.PIPE, cwd=ROOT, env=env, timeout=300)
        want = b"pvenum: error: cannot write the output: No space left on device\n"
    said = b"".join(line for line in proc.stderr.splitlines(keepends=True) if not line.startswith(b"import time:"))
    assert (proc.returncode, said) == (3, want)
    if stored:
        assert not {m for m in imported_modules(proc.stderr) if m.startswith(("rich", "pvenum.resolver"))}


@pytest.mark.parametrize("args, stdout, status", [(("resolve", "nosuch-scenario"), None, 2),
                                                   (("resolve", "snp", "--json"), "/dev/full", 3)])
def test_a_closed_stderr_keeps_the_exit_status(args, stdout, status):
    """With stderr closed before the start the one line goes nowhere; the status still says it."""
    with open(stdout or os.devnull, "wb") as out:
        proc = subprocess.run([sys.executable, "-m", "pvenum", *args], stdout=out, cwd=ROOT, timeout=300,
                              env={**os.environ, "PVENUM_NO_CACHE": "1"}, preexec_fn=lambda: os.close(2))
    assert proc.returncode == status


def test_readme_states_the_contract_as_written():
    readme = (ROOT / "README.md").read_text()
    for code, meaning in pvcli.EXIT_CODES.items():
        assert f"| {code} | {meaning.replace('|', chr(92) + '|')} |" in readme, code


@pytest.mark.parametrize("argv", [("textconv", "HEAD:no/such/file"), ("diff", "HEAD:no/such/file", "snp"),
                                  ("textconv", "no-such-rev:README.md")])
def test_git_paths_that_do_not_exist_are_usage_errors(argv, capsys, monkeypatch):
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    monkeypatch.chdir(ROOT)
    assert pvcli.main(list(argv)) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"pvenum: error: {argv[1]}: git cat-file: ") and err.count("\n") == 1


LONG = "a" * 300  # longer than any file name can be (NAME_MAX is 255 on Linux: limits.h)


@pytest.mark.parametrize("argv", [
    ("resolve", LONG), ("audit", LONG), ("diff", LONG, "snp"), ("textconv", LONG), ("check", LONG),
    ("convert", LONG, "--to", "cpuid-r"), ("verify", LONG), ("main", LONG), ("build", LONG, "-o", "{tmp}/o"),
    ("compare-encodings", LONG), ("inspect", LONG), ("validate", LONG),
], ids=lambda a: a[0])
def test_a_name_too_long_to_exist_is_a_usage_error(argv, tmp_path, capsys):
    # open(2)/stat(2) refuse it with ENAMETOOLONG: no such file can exist, as with any other
    # nonexistent path (exit 2), never an internal error.
    assert pvcli.main([a.format(tmp=tmp_path) for a in argv]) == 2
    err = capsys.readouterr().err
    assert "internal error" not in err and LONG in err, err[:200]


def test_a_hostile_value_is_not_echoed_whole(capsys):
    # A name is echoed in its error; a 5000-character one is shown by its head and tail, on
    # one line, with what was left out counted (errors.MESSAGE_MAX).
    assert pvcli.main(["resolve", "kvm", "--model", "x" * 5000]) == 2
    err = capsys.readouterr().err
    assert "unknown model 'xxx" in err and "characters not shown" in err and "internal error" not in err
    assert len(err) < 1500 and err.count("\n") <= 4  # click's usage lines, then the one-line error


def test_a_message_of_raw_bytes_is_capped_as_printed():
    # Each raw byte prints as four characters (\xNN): the cap (errors.MESSAGE_MAX) bounds the
    # line as printed, not the text before escaping, and never cuts an escape in two.
    from pvenum.errors import MESSAGE_MAX, PvenumError

    message = PvenumError("\x01" * 5000).message
    assert len(message) <= MESSAGE_MAX + 60 and "characters not shown" in message
    head, _, tail = message.partition(" … (")
    assert head == "\\x01" * (len(head) // 4) and tail.endswith("\\x01") and tail.count("\\") * 4 == len(tail.split("… ")[1])


def test_a_message_amended_after_it_was_made_stays_one_line():
    """Callers amend errors (a git checkout's REV:path put in by shown_as, "(... read alone)"
    added, a table's label put before it): whatever the user's file names or a blob hold, the
    line printed is one line with raw bytes escaped, as every message made directly is."""
    from pvenum.errors import PvenumError

    err = PvenumError("/tmp/co/d/x.dts:1.13-14 syntax error", path="/tmp/co/d/x.dts")
    err.shown_as("/tmp/co", "HEAD:d\x1b[31mX\ny")
    err.message += " (HEAD:d\x1b[31mX\ny/x.dts was read alone: \r\n)"
    err.message = f"\x1b[2J: {err.message}"
    line = f"pvenum: error: {err}"
    assert "\n" not in line and "\r" not in line and "\x1b" not in line
    assert line.startswith("pvenum: error: HEAD:d\\x1b[31mX\\x0ay/d/x.dts: \\x1b[2J: HEAD:d\\x1b[31mX y/d/x.dts:1.13-14")
