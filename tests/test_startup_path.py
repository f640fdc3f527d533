"""What `pvenum resolve NAME` loads, and that its click-free path (pvenum/cli.py _fast_path)
says exactly what the click command says. Start-up time itself is measured by `make bench`
(bench/bench_startup.py), never here; these tests pin what makes it: which modules a run needs."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from pvtest import ROOT

# Run in a child so that what the test process already imported does not hide an import.
_PROBE = """
import contextlib, io, json, sys
from pvenum.cli import main
out = io.StringIO()
with contextlib.redirect_stdout(out):
    status = main(sys.argv[1:])
json.dump({"status": status, "modules": sorted(sys.modules), "out": out.getvalue()}, sys.stderr)
"""


def _probe(*args: str, env: dict[str, str] | None = None, no_site: bool = False) -> dict:
    """``no_site``: without the site module (python -S), so that nothing is imported before the
    probe (an editable install's finder imports pathlib and re at start-up); pvenum is then
    imported from the checkout (the working directory), with none of its dependencies."""
    import os

    res = subprocess.run([sys.executable, *(["-S"] if no_site else []), "-c", _PROBE, *args], capture_output=True,
                         text=True, cwd=ROOT, env={**os.environ, "COLUMNS": "120", **(env or {})}, timeout=120)
    return json.loads(res.stderr)


@pytest.fixture
def own_cache(tmp_path):
    return {"XDG_CACHE_HOME": str(tmp_path), "PVENUM_NO_CACHE": ""}


def test_resolve_cached_scenario_loads_neither_click_nor_construct(own_cache):
    """The second run of `pvenum resolve NAME` reads the compiled platform from the cache: no
    Construct (the ACPI layouts), no scenario parser, no DTB decoder and no click."""
    first = _probe("resolve", "azure-snp-paravisor", env=own_cache)
    second = _probe("resolve", "azure-snp-paravisor", env=own_cache)
    assert first["status"] == second["status"] == 0
    assert first["out"] == second["out"]
    mods = set(second["modules"])
    for absent in ("click", "construct", "pvenum.acpi.layouts.kinds", "pvenum.scenario.model", "tomllib",
                   "pvenum.fdt.decoder", "pvenum.formats", "importlib.resources", "rich._emoji_codes",
                   # an x86 platform: the arm64 readers are imported only where an arm64 branch runs
                   "pvenum.resolver.arm", "pvenum.arm.smccc", "pvenum.resolver.models.systemd_arm64"):
        assert absent not in mods, absent
    assert "pvenum.acpi.model" in mods  # the platform's ACPI tables were unpickled all the same


def test_version_loads_no_more_than_the_cli():
    mods = set(_probe("--version")["modules"])
    assert not {m for m in mods if m.startswith("pvenum.")} - {"pvenum.cli", "pvenum._version"}
    assert "click" not in mods and "rich" not in mods
    # typing (and the re it imports) would be about a third of the command's own start-up: the
    # package and the CLI import it only for type checkers.
    assert "typing" not in mods


@pytest.mark.parametrize("name", ["azure-snp-paravisor", "cca-realm-paravisor", "conflict-record-cpuid-vs-acpi"])
def test_fast_resolve_says_what_click_says(cli, name):
    """`resolve NAME` (no option: the click-free path) against the same through click (an
    option that changes nothing: every model named)."""
    fast = cli("resolve", name)
    slow = cli("resolve", name, "--model", "linux,systemd,virt-what,proposal")
    assert (fast.returncode, fast.stdout, fast.stderr) == (slow.returncode, slow.stdout, slow.stderr)
    assert b"mode" in fast.stdout


@pytest.mark.parametrize("args", [("resolve", "no-such-scenario"), ("resolve", "-x"), ("resolve", "a", "b")])
def test_fast_resolve_errors_as_click_does(cli, args):
    """Usage errors (an unknown name, an unknown option, a second TARGET) exit 2 with one message."""
    res = cli(*args)
    assert res.returncode == 2 and not res.stdout and res.stderr


def test_fast_resolve_unknown_name_matches_click(cli):
    fast = cli("resolve", "no-such-scenario")
    slow = cli("resolve", "no-such-scenario", "--model", "linux")
    assert fast.returncode == slow.returncode == 2
    assert fast.stderr == slow.stderr


def test_inspect_of_a_dtb_loads_neither_typing_nor_pathlib():
    """`pvenum inspect FILE.dtb` on a pipe: the reading path (pvenum/_io.py, formats, fdt) declares
    its types for type checkers only, so typing and pathlib are never imported
    (bench/bench_startup.py times the command against `pydtc unpack`)."""
    res = _probe("inspect", str(ROOT / "tests" / "data" / "fdt" / "dts" / "realm-guest.dtb"), no_site=True)
    assert res["status"] == 0 and "magic" in res["out"] and "0xd00dfeed" in res["out"]
    mods = set(res["modules"])
    for absent in ("typing", "pathlib", "click", "rich", "construct", "pvenum._output"):
        assert absent not in mods, absent


_ENTRY_PROBE = """
import sys
from pvenum.cli import entry
try:
    entry()
except SystemExit as exc:
    modules = sorted(sys.modules)  # before json, which imports re
    import json
    json.dump({"status": exc.code, "modules": modules}, sys.stderr)
"""


def test_an_answered_resolve_loads_only_the_answer_reader(own_cache):
    """`pvenum resolve NAME` asked again in the same context prints the stored answer
    (pvenum/scenario/answers.py): of pvenum, only the CLI and the answer reader; none of the
    standard library the resolve itself needs (typing, pathlib, dataclasses)."""
    import os

    import sysconfig

    # Both runs without the site module, which (an editable install's finder) imports pathlib and
    # re before anything else; the dependencies from site-packages on PYTHONPATH, pvenum from the
    # checkout (the working directory). The same sys.path both times: the same rich, one context.
    env = {**os.environ, "COLUMNS": "120", "PYTHONPATH": sysconfig.get_paths()["purelib"], **own_cache}
    run = [sys.executable, "-S", "-c", _ENTRY_PROBE, "resolve", "azure-snp-paravisor"]
    first = subprocess.run(run, capture_output=True, cwd=ROOT, env=env, timeout=120)
    again = subprocess.run(run, capture_output=True, cwd=ROOT, env=env, timeout=120)
    assert "rich.console" in json.loads(first.stderr)["modules"]  # resolved and printed: the answer stored
    assert first.stdout == again.stdout and b"azure-snp-paravisor" in again.stdout
    probe = json.loads(again.stderr)
    assert probe["status"] == 0
    mods = set(probe["modules"])
    assert {m for m in mods if m.startswith("pvenum")} == {
        "pvenum", "pvenum._version", "pvenum.cli", "pvenum._lazy", "pvenum.scenario", "pvenum.scenario.answers",
        "pvenum.scenario.build_id"}
    assert not mods & {"typing", "pathlib", "dataclasses", "re", "click", "rich"}
