"""CLI contracts across commands: one version, one-line errors (exit 3) for outputs that cannot
be written and for hostile input, usage exit codes, and the status commands return (exit 1)."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import tomllib

import pytest

import pvenum
from pvtest import DATA, ROOT

CPUID = DATA / "cpuid" / "kvm-amd-zen5.cpuid"
FACP = DATA / "acpi" / "firecracker" / "facp.dat"  # a real Firecracker FADT (tests/data/acpi/README.md)


def one_line_error(proc, *needles: str) -> str:
    err = proc.stderr.decode()
    assert proc.returncode == 3, (proc.returncode, err)
    assert err.startswith("pvenum: error: ") and err.count("\n") == 1 and "internal error" not in err, err
    for needle in needles:
        assert needle in err, (needle, err)
    return err


def test_version_has_one_source(cli):
    assert cli("--version").stdout.decode() == f"pvenum {pvenum.__version__}\n"
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project.get("version", pvenum.__version__) == pvenum.__version__


def test_outputs_that_cannot_be_written(cli, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    one_line_error(cli("convert", str(CPUID), "--to", "cpuid-r", "-o", str(blocker / "out")), "cannot write")
    one_line_error(cli("build", "snp", "-o", str(blocker / "bundle")), "cannot write")
    one_line_error(cli("diff", "snp", "tdx", "--format", "json", "-o", str(blocker / "d.json")), "cannot write")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


@pytest.mark.parametrize("name, text, needle", [
    ("t.json", '{"cpuid_modifiers": ' + "[" * 50000 + "]" * 50000 + "}", "nested too deeply"),
    ("c.toml", 'format = "pvenum-cpuid/1"\nx = ' + "[" * 50000 + "]" * 50000 + "\n", "nested too deeply"),
    ("platform.toml", 'arch = "x86_64"\nx = ' + "[" * 50000 + "]" * 50000 + "\n", "nested too deeply"),
    ("platform.toml", 'arch = "x86_64"\n[msr]\n"-1" = 5\n', "msr.-1"),
    ("c.toml", 'format = "pvenum-cpuid/1"\nleaves = [{leaf = 0}]\n[msr]\n"0x1ffffffff" = 1\n', "does not fit in 32 bits"),
    # tomllib hands a decimal integer to int(), which refuses more than 4300 digits (CPython's
    # sys.int_info.default_max_str_digits) with a ValueError, not a TOMLDecodeError.
    ("c.toml", 'format = "pvenum-cpuid/1"\nx = ' + "9" * 5000 + "\n", "integer of more than 4300 digits"),
    ("platform.toml", 'arch = "x86_64"\nx = ' + "9" * 5000 + "\n", "integer of more than 4300 digits"),
    ("s.toml", 'format = "pvenum-scenario"\nx = ' + "9" * 5000 + "\n", "integer of more than 4300 digits"),
    # A hex integer has no digit limit in int(), but str() of it has: its error names its width.
    ("platform.toml", 'arch = "x86_64"\n[msr]\n"0x' + "f" * 5000 + '" = 7\n', "a 20000-bit number does not fit"),
    ("platform.toml", 'arch = "x86_64"\n[msr]\n"0x10" = 0x' + "f" * 5000 + "\n", "a 20000-bit number does not fit"),
    ("t.json", '{"cpuid_modifiers": [{"leaf": "0x' + "f" * 5000 + '", "subleaf": "0x0", "modifiers": []}]}',
     "a 20000-bit number is not a 32-bit value"),
])
def test_hostile_text_inputs(cli, tmp_path, name, text, needle):
    f = tmp_path / name
    f.write_text(text)
    one_line_error(cli("inspect", str(f)), needle)


def test_unknown_forced_format_in_a_directory(cli):
    # A bad option value is a usage error (exit 2), its choices listed (pvenum/cli.py EXIT_CODES).
    proc = cli("inspect", "--format", "bogus", str(DATA / "cpuid"))
    assert proc.returncode == 2 and "'bogus' is not one of 'dtb'" in proc.stderr.decode()


def test_git_spec_is_never_an_option(cli):
    one_line_error(cli("diff", "--", "--output=x:y", "snp"), "cannot start with '-'")


def test_audit_targets_and_fail_on(cli, tmp_path):
    from pvenum.audit import find_targets

    assert cli("build", "snp", "-o", str(tmp_path / "outer")).returncode == 0
    assert cli("build", "tdx", "-o", str(tmp_path / "outer" / "inner")).returncode == 0
    (tmp_path / "cpuid.gz").write_bytes(gzip.compress(CPUID.read_bytes()))
    (tmp_path / "broken.cpuid").write_text("CPU:\n" + "   0x00000000 0x00: eax=0x1 ebx=0x0 ecx=0x0 edx=0x0\n" * 2)
    (tmp_path / "notes.txt").write_text("not an artifact\n")
    # a bundle's subdirectories belong to it, whatever order the walk meets the markers in
    assert find_targets(tmp_path) == [tmp_path / "outer", tmp_path / "broken.cpuid", tmp_path / "cpuid.gz"]
    ok = cli("audit", str(tmp_path), "-j", "1")
    assert ok.returncode == 0, ok.stderr
    results = [json.loads(line) for line in ok.stdout.decode().splitlines()]
    assert [("error" in r) for r in results] == [False, True, False]
    assert set(results[0]["derivations"]["linux"]) >= {"mode", "isolation", "hypervisor", "output", "findings"}
    assert cli("audit", str(tmp_path), "-j", "1", "--fail-on", "error").returncode == 1
    assert cli("audit", str(tmp_path), "-j", "-1").returncode == 2


@pytest.mark.parametrize("data", [b"\n" * 65536, b" \n" * 32768, (b" " * 1000 + b"\n") * 60, b"ABCD" + b" " * 65536,
                                  b">" * 65536, b"> " * 32768, b"/// " * 16384, (b"> " * 30 + b"\n") * 2000],
                         ids=["newlines", "blank-lines", "indented-blank-lines", "token-then-blanks",
                              "mail-quotes", "spaced-mail-quotes", "doc-comments", "quoted-lines"])
def test_format_detection_is_linear(data):
    # "^\s*" under re.M once took 44 s on 64 KiB of newlines. Not a speed test (those are in
    # make bench): a hang guard, every sniffer run in a child given ten times what a linear scan
    # of 64 KiB could ever need.
    code = "import sys; from pvenum.formats import detect; assert detect(sys.stdin.buffer.read(), 'x') is None"
    proc = subprocess.run([sys.executable, "-c", code], input=data, capture_output=True, timeout=30)
    assert proc.returncode == 0, proc.stderr.decode()


def test_large_firecracker_template_builds_one_dump(monkeypatch):
    # 4096 modifiers (the reader's cap) once built 4096 intermediate dumps: 7 s to inspect. The
    # work is counted, not timed: applying a template builds its result dump once.
    from pvenum.cpuid import firecracker, model

    built = []
    init = model.CpuidDump.__init__
    monkeypatch.setattr(model.CpuidDump, "__init__", lambda self, *a, **k: (built.append(1), init(self, *a, **k))[1])
    tpl = {"cpuid_modifiers": [{"leaf": hex(0x80000000 + i), "subleaf": "0x0", "flags": 0,
                                "modifiers": [{"register": r, "bitmap": "0b" + "01" * 16} for r in ("eax", "ebx", "ecx", "edx")]}
                               for i in range(firecracker.MAX_MODIFIERS)]}
    dump = firecracker.parse(json.dumps(tpl)).as_dump()
    assert len(dump) == firecracker.MAX_MODIFIERS and len(built) <= 2, len(built)  # CpuidDump() and its result


@pytest.mark.parametrize("columns", ["abc", "", "-5", "0"])
def test_a_columns_value_that_is_no_width_is_ignored(cli, columns):
    # COLUMNS is a count of columns (POSIX, XBD 8.3); anything else is ignored as if unset, as
    # rich's own Console does (it reads only a digit string), never an internal error.
    want = cli("resolve", "tdx", env={"COLUMNS": "120"})
    for args in (("resolve", "tdx"), ("inspect", str(DATA / "x86" / "rows" / "azure-tdx-paravisor" / "cpuid"))):
        got = cli(*args, env={"COLUMNS": columns})
        assert got.returncode == 0 and got.stderr == b"", got.stderr
    assert cli("resolve", "tdx", env={"COLUMNS": columns}).stdout == want.stdout


@pytest.mark.parametrize("sample", [
    "fdt/dts/realm-guest.dtb",        # a binary blob: nothing pasted to refuse
    "fdt/dts/realm-guest.dts",        # DTS is text, but source, not a pasted capture
    "cpuid/kvm-amd-zen5.cpuid",       # cpuid -r text as the tool prints it
    "cpuid/firecracker-T2S.json",
])
def test_strict_reads_every_format_it_does_not_apply_to(cli, sample):
    # --strict only makes the pasted-text readers (cpuid -r, acpidump) refuse quoting and
    # prose; any other input reads as without it.
    path = DATA / sample
    plain, strict = cli("inspect", "--json", str(path)), cli("inspect", "--strict", "--json", str(path))
    assert plain.returncode == 0, plain.stderr.decode()
    assert (strict.returncode, strict.stdout) == (0, plain.stdout), strict.stderr.decode()


def test_a_big_unrelated_file_in_a_directory_is_passed_by(cli, tmp_path):
    # A directory of captures may hold a kernel image or a disk file beside them: past the
    # input limit and recognised by no reader from its start, it is no artifact (audit passes
    # it by too); one that starts like an artifact is still the one-line limit error.
    from pvenum._io import MAX_INPUT_BYTES

    d = tmp_path / "captures"
    d.mkdir()
    (d / "facp.dat").write_bytes(FACP.read_bytes())
    with open(d / "vmlinux.img", "wb") as f:  # sparse: no disk written
        f.truncate(MAX_INPUT_BYTES + 4096)
    for cmd in ("inspect", "textconv", "validate", "main"):
        res = cli(cmd, str(d))
        assert res.returncode == 0, (cmd, res.stderr)
    assert "vmlinux.img: not validated: larger than the input limit" in cli("validate", str(d)).stderr.decode()
    with open(d / "big.dat", "wb") as f:
        f.write(FACP.read_bytes()[:36])
        f.truncate(MAX_INPUT_BYTES + 4096)
    for cmd in ("inspect", "validate", "main"):
        one_line_error(cli(cmd, str(d)), "big.dat", "input limit")


def test_a_link_out_of_a_directory_walked_is_named_not_read(cli, tmp_path):
    """A directory is read as itself, as recursive tools read one: GNU grep -r follows
    "symbolic links only if they are on the command line" (grep(1) 3.8, -r; run on this tree
    below). An unpacked guest image's ``FACP -> /etc/shadow`` (here: a table outside the directory,
    and a link to a directory outside) is named on stderr and never read, by every command that
    walks a plain directory; a link staying inside is read, as in a bundle; and a link named on
    the command line is read wherever it leads."""
    from pvenum import tools

    from test_check import PARAVISOR

    host = tmp_path / "host"
    (host / "tables").mkdir(parents=True)
    (host / "shadow").write_bytes(FACP.read_bytes())
    (host / "tables" / "APIC").write_bytes(FACP.read_bytes())
    guest = tmp_path / "guest"
    guest.mkdir()
    (guest / "facp.dat").write_bytes(FACP.read_bytes())
    (guest / "FACP").symlink_to(host / "shadow")
    (guest / "tables").symlink_to(host / "tables", target_is_directory=True)
    (guest / "again.dat").symlink_to("facp.dat")  # inside: read
    why = {"FACP": f"a symlink leading out of {guest} (to {host}/shadow): not read",
           "tables": f"a symlink leading out of {guest} (to {host}/tables): not read"}
    warned = [f"pvenum: warning: {guest}/{name}: {text}" for name, text in why.items()]
    if tools.find("grep") is not None:  # the convention, as the real tool walks this tree
        hits = subprocess.run(["grep", "-rl", "FIRECK", str(guest)], capture_output=True).stdout.decode().split()
        assert hits == [f"{guest}/facp.dat"]  # (grep -r skips the link inside too; pvenum reads it)
        assert subprocess.run(["grep", "-l", "FIRECK", str(guest / "FACP")], capture_output=True).returncode == 0
    proc = cli("inspect", "--json", str(guest))
    assert proc.returncode == 0, proc.stderr
    assert [json.loads(line)["path"] for line in proc.stdout.splitlines()] == [f"{guest}/again.dat", f"{guest}/facp.dat"]
    assert proc.stderr.decode().splitlines() == warned
    proc = cli("inspect", str(guest))  # the table view, through the CLI's fast path (pvenum/cli.py)
    assert (proc.returncode, proc.stderr.decode().splitlines()) == (0, warned)
    assert proc.stdout.decode().count("FACP — Fixed ACPI Description Table") == 2
    proc = cli("textconv", str(guest))
    assert proc.returncode == 0, proc.stderr
    assert [line for line in proc.stdout.decode().splitlines() if line.startswith("# ==")] == [
        "# == again.dat (acpi-table) ==", "# == facp.dat (acpi-table) =="]
    assert proc.stderr.decode().splitlines() == warned
    proc = cli("validate", str(guest))
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.decode().splitlines() == [f"{guest}/{name}: not validated: {text}" for name, text in why.items()] \
        + ["2 file(s) checked: no problems; 2 not validated"]
    # Named on the command line, a link is followed.
    proc = cli("inspect", "--json", str(guest / "FACP"))
    assert (proc.returncode, proc.stderr) == (0, b"")
    assert json.loads(proc.stdout)["path"] == f"{guest}/FACP"
    assert cli("textconv", str(guest / "FACP")).stdout == cli("textconv", str(guest / "facp.dat")).stdout
    proc = cli("validate", str(guest / "FACP"))
    assert (proc.returncode, proc.stderr) == (0, b"1 file(s) checked: no problems\n")
    # check: a scenario linked in from outside, whose expectation is unmet, is not checked.
    (host / "wrong.toml").write_text(PARAVISOR.format(mode="enlightened"))
    scenarios = tmp_path / "scenarios"
    scenarios.mkdir()
    (scenarios / "right.toml").write_text(PARAVISOR.format(mode="paravisor"))
    (scenarios / "wrong.toml").symlink_to(host / "wrong.toml")
    proc = cli("check", str(scenarios))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stderr.decode().splitlines()[0] == (f"pvenum: warning: {scenarios}/wrong.toml: a symlink leading out "
                                                    f"of {scenarios} (to {host}/wrong.toml): not read")
    assert proc.stderr.decode().splitlines()[1].startswith("1 target(s) checked, ")
    assert cli("check", str(scenarios / "wrong.toml")).returncode == 1  # named: read, and its expectation unmet


def test_build_from_a_bundle_with_problems_names_each_on_stderr(cli, tmp_path):
    # pvenum/bundle.py: a bundle whose copies disagree is resolved from one copy (check_copies);
    # rebuilding it writes only what resolution reads, so the problems vanish from the rebuilt
    # bundle: build says so, one warning line per problem, naming the source file.
    import shutil

    for name in ("snp", "tdx"):
        assert cli("build", name, "-o", str(tmp_path / name)).returncode == 0
    src = tmp_path / "mixed"
    shutil.copytree(tmp_path / "tdx", src)
    shutil.copy(tmp_path / "snp" / "cpuid.kvm", src / "cpuid.kvm")
    r = cli("build", str(src), "-o", str(tmp_path / "out"))
    assert r.returncode == 0, r.stderr
    warnings = r.stderr.decode().splitlines()
    assert warnings and all(w.startswith("pvenum: warning: [bundle.") for w in warnings), warnings
    assert any(f"{src}/cpuid.kvm" in w and "bundle.copies-disagree" in w for w in warnings)
    assert cli("build", "tdx", "-o", str(tmp_path / "clean")).stderr == b""
