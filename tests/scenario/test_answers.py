"""Stored answers of `pvenum resolve NAME` (pvenum/scenario/answers.py): an answer read back is
the output a fresh run prints in the same context, byte for byte, with its exit status; a
context that prints differently is a different answer; anything not pvenum's own entry for
this build and context is never printed; the cache never fails a command."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios
import threading
import zlib

import pytest

from pvtest import ROOT, imported_modules
from pvenum.scenario import answers

NAMES = ["azure-snp-paravisor", "cca-realm-paravisor"]


# What the runner's own environment could set that changes how rich prints (rich.console.Console):
# each context below states its own.
_PRINTING_VARIABLES = ("PVENUM_NO_CACHE", "COLUMNS", "LINES", "NO_COLOR", "FORCE_COLOR", "TERM", "COLORTERM",
                       "TTY_COMPATIBLE", "TTY_INTERACTIVE", "JUPYTER_COLUMNS", "JUPYTER_LINES")


def _run(name: str, cache: str | None, *, env: dict[str, str], tty: tuple[int, int] | None = None,
         importtime: bool = False, cwd=ROOT) -> tuple[int, bytes, bytes]:
    """``python -m pvenum resolve NAME`` (the ``pvenum`` program), stdout a pipe or, with
    ``tty`` (columns, lines), a pseudo-terminal of that size; ``cache``: XDG_CACHE_HOME, or
    None for PVENUM_NO_CACHE=1. Returns (status, stdout, stderr)."""
    full = {k: v for k, v in os.environ.items() if k not in _PRINTING_VARIABLES}
    full.update(env)
    if cache is None:
        full["PVENUM_NO_CACHE"] = "1"
    else:
        full["XDG_CACHE_HOME"] = cache
    cmd = [sys.executable, *(["-X", "importtime"] if importtime else []), "-m", "pvenum", "resolve", name]
    if tty is None:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, env=full, cwd=cwd, timeout=120)
        return p.returncode, p.stdout, p.stderr
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", tty[1], tty[0], 0, 0))
    chunks: list[bytes] = []

    def drain() -> None:  # the terminal's buffer is small: read while the command writes
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: every writer closed the terminal
                return
            if not chunk:
                return
            chunks.append(chunk)

    reader = threading.Thread(target=drain)
    reader.start()
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=slave, stderr=subprocess.PIPE, env=full, cwd=cwd,
                           timeout=120)
    finally:
        os.close(slave)
        reader.join(timeout=30)
        os.close(master)
    return p.returncode, b"".join(chunks), p.stderr


# Contexts that print the same resolve differently (each asserted to, below).
CONTEXTS = {
    "pipe, 160 columns": ({"COLUMNS": "160"}, None),
    "pipe, 72 columns": ({"COLUMNS": "72"}, None),
    "pipe, FORCE_COLOR": ({"COLUMNS": "160", "FORCE_COLOR": "1"}, None),
    "terminal 110x30": ({"TERM": "xterm-256color"}, (110, 30)),
    "terminal 90x30": ({"TERM": "xterm-256color"}, (90, 30)),
    "terminal 90x30, NO_COLOR": ({"TERM": "xterm-256color", "NO_COLOR": "1"}, (90, 30)),
}


@pytest.mark.parametrize("name", NAMES)
def test_stored_answer_is_what_a_fresh_run_prints_in_each_context(name, tmp_path):
    """In one cache, context after context: the run that stores an answer and the run that reads
    it back (proved: it imports neither rich nor the resolver) print exactly what an uncached run
    prints in that context. The contexts print differently, so an answer keyed without one of
    them would be read back in the wrong context and fail here."""
    cache = str(tmp_path)
    fresh_outputs = {}
    for label, (env, tty) in CONTEXTS.items():
        fresh = _run(name, None, env=env, tty=tty)
        assert fresh[0] == 0 and fresh[2] == b"", (label, fresh[2])
        stored = _run(name, cache, env=env, tty=tty)
        read_back = _run(name, cache, env=env, tty=tty, importtime=True)
        assert stored[:2] == fresh[:2], label
        assert read_back[:2] == fresh[:2], label
        mods = imported_modules(read_back[2])
        assert "pvenum.scenario.answers" in mods, label
        assert not {m for m in mods if m.startswith(("rich", "pvenum.resolver", "pvenum.commands"))}, label
        fresh_outputs[label] = fresh[1]
    assert len(set(fresh_outputs.values())) == len(CONTEXTS)  # every context's output is its own
    assert b"\x1b[" in fresh_outputs["pipe, FORCE_COLOR"] and b"\x1b[" not in fresh_outputs["pipe, 160 columns"]
    assert len(list((tmp_path / "pvenum" / "answers").glob(f"{name}-*.answer"))) == len(CONTEXTS)


def _stored_entry(tmp_path, name: str = "tdx") -> tuple[bytes, os.PathLike]:
    """The fresh output of ``name`` on a pipe, and the entry a cached run stored for it."""
    env = {"COLUMNS": "120"}
    status, out, _ = _run(name, None, env=env)
    assert status == 0
    assert _run(name, str(tmp_path), env=env)[1] == out
    (entry,) = (tmp_path / "pvenum" / "answers").glob(f"{name}-*.answer")
    return out, entry


def test_the_shells_directory_bookkeeping_is_no_context(tmp_path):
    """PWD, OLDPWD, SHLVL and ``_`` change with every directory and command a shell runs, and
    nothing that prints reads them: an answer stored in one directory is read back in another."""
    env = {"COLUMNS": "120"}
    fresh = _run("tdx", None, env=env)
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    two.mkdir()
    stored = _run("tdx", str(tmp_path), env={**env, "PWD": str(one), "SHLVL": "1", "_": "/usr/bin/pvenum"}, cwd=one)
    read_back = _run("tdx", str(tmp_path), env={**env, "PWD": str(two), "OLDPWD": str(one), "SHLVL": "2",
                                                 "_": sys.executable}, cwd=two, importtime=True)
    assert stored[:2] == read_back[:2] == fresh[:2]
    mods = imported_modules(read_back[2])
    assert "pvenum.scenario.answers" in mods and not {m for m in mods if m.startswith(("rich", "pvenum.resolver"))}
    assert "hashlib" not in mods  # the digest without loading OpenSSL on an answered start


@pytest.mark.parametrize("damage", ["another key", "truncated", "output cut short", "output added to", "garbage",
                                    "group-writable", "empty"])
def test_an_entry_not_ours_for_this_run_is_never_printed(damage, tmp_path):
    out, entry = _stored_entry(tmp_path)
    data = entry.read_bytes()
    planted = b"PLANTED ANSWER\n"
    if damage == "another key":  # a well-formed entry of another build or context under this name
        head = len(answers._MAGIC)
        digest = bytearray(data[head:head + 32])
        digest[-1] ^= 1
        entry.write_bytes(data[:head] + bytes(digest) + b"\0" + zlib.crc32(planted).to_bytes(4, "little") + planted)
    elif damage == "truncated":
        entry.write_bytes(data[:40])
    elif damage == "output cut short":  # a whole head, part of the output (a disk that filled up)
        entry.write_bytes(data[:-500])
    elif damage == "output added to":
        entry.write_bytes(data + planted)
    elif damage == "garbage":
        entry.write_bytes(planted * 10)
    elif damage == "group-writable":  # our layout and key, but anyone in the group could have written it
        entry.write_bytes(data[:-len(out)] + planted)
        entry.chmod(0o664)
    else:
        entry.write_bytes(b"")
    status, got, err = _run("tdx", str(tmp_path), env={"COLUMNS": "120"})
    assert (status, got, err) == (0, out, b"")
    assert entry.read_bytes() == data and entry.stat().st_mode & 0o022 == 0  # rewritten by this run


@pytest.mark.parametrize("kind", ["fifo", "symlink"])
def test_a_special_file_as_entry_is_neither_read_nor_waited_on(kind, tmp_path):
    out, entry = _stored_entry(tmp_path)
    data = entry.read_bytes()
    entry.unlink()
    if kind == "fifo":
        os.mkfifo(entry)
    else:
        target = tmp_path / "elsewhere"
        target.write_bytes(data[:-len(out)] + b"PLANTED ANSWER\n")
        target.chmod(0o644)  # passes every other check, whatever the umask: only the link is refused
        entry.symlink_to(target)
    status, got, _ = _run("tdx", str(tmp_path), env={"COLUMNS": "120"})  # the timeout catches a wait
    assert (status, got) == (0, out)


def test_a_file_named_like_the_scenario_is_the_target(tmp_path):
    """`pvenum resolve tdx` in a directory holding a file `tdx` resolves that file, as
    load_target does, even with tdx's answer stored."""
    out, _ = _stored_entry(tmp_path)
    here = tmp_path / "cwd"
    here.mkdir()
    (here / "tdx").write_bytes(b"nothing pvenum reads")
    with_file = _run("tdx", str(tmp_path), env={"COLUMNS": "120"}, cwd=here)
    uncached = _run("tdx", None, env={"COLUMNS": "120"}, cwd=here)
    assert with_file == uncached and with_file[1] != out


def test_no_cache_stores_nothing_and_in_process_main_never_answers(tmp_path, monkeypatch, capsys):
    assert _run("tdx", None, env={"XDG_CACHE_HOME": str(tmp_path)})[0] == 0
    assert not (tmp_path / "pvenum" / "answers").exists()
    from pvenum.cli import main

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("PVENUM_NO_CACHE", raising=False)
    assert main(["resolve", "tdx"]) == 0
    assert "tdx" in capsys.readouterr().out
    assert not (tmp_path / "pvenum" / "answers").exists()


@pytest.fixture
def answer_home(cache_root):
    return cache_root / "answers"


def test_a_run_that_fails_or_speaks_on_stderr_is_not_stored(answer_home, capsys):
    from pvenum.errors import PvenumError

    def warns(name: str) -> int:
        sys.stdout.write("table\n")
        sys.stderr.write("a warning\n")
        return 0

    def fails(name: str) -> int:
        sys.stdout.write("half a table\n")
        raise PvenumError("unreadable", path=name)

    assert answers.run("tdx", warns) == 0
    with pytest.raises(PvenumError):
        answers.run("tdx", fails)
    assert answers.run("tdx", lambda name: 2) == 2
    assert not answer_home.exists() or not list(answer_home.iterdir())
    assert capsys.readouterr() == ("table\nhalf a table\n", "a warning\n")
    assert answers.run("tdx", lambda name: sys.stdout.write("table\n") and 0) == 0  # the cache is on
    assert len(list(answer_home.iterdir())) == 1


def test_an_answer_made_while_the_build_changed_is_not_stored(answer_home, monkeypatch):
    """The key is made before the resolve; an edit or upgrade of the package during the run makes
    the answer another build's, so it is not stored under the key made before."""
    from pvenum.scenario import build_id

    fingerprint = build_id.package_fingerprint()

    def upgrades_meanwhile(name: str) -> int:
        monkeypatch.setattr(build_id, "package_fingerprint", lambda: fingerprint + "edited\0")
        return 0

    monkeypatch.setattr(build_id, "package_fingerprint", lambda: fingerprint)
    assert answers.run("tdx", upgrades_meanwhile) == 0
    assert not answer_home.exists() or not list(answer_home.iterdir())
    assert answers.run("tdx", lambda name: 0) == 0  # the same, with nothing changed meanwhile, is stored
    assert len(list(answer_home.iterdir())) == 1


def test_an_entry_holds_no_environment_value(tmp_path):
    """The key holds the whole environment; an entry records only its SHA-256."""
    secret = "s3cret-token-value-0123456789"
    env = {"COLUMNS": "120", "PVENUM_TEST_SECRET": secret}
    assert _run("tdx", str(tmp_path), env=env)[0] == 0
    (entry,) = (tmp_path / "pvenum" / "answers").glob("tdx-*.answer")
    assert secret.encode() not in entry.read_bytes() and b"COLUMNS" not in entry.read_bytes()


def test_each_scenario_keeps_its_newest_answers_and_nothing_else_is_touched(answer_home, monkeypatch, capsys):
    answer_home.mkdir(parents=True)
    foreign = [answer_home / "notes.txt", answer_home / "tdx-1234abcd.answer.tmp", answer_home / "tdx-XYZ.answer",
               answer_home / "tdx-realm-0000000a.answer"]  # another scenario's name, longer
    for f in foreign:
        f.write_bytes(b"not pvenum's entry")
    for i in range(answers.KEEP + 3):  # a context per run: a variable's value
        monkeypatch.setenv("PVENUM_TEST_CONTEXT", str(i))
        assert answers.run("tdx", lambda name, i=i: sys.stdout.write(f"answer {i}\n") and 0) == 0
        entries = sorted(answer_home.glob("tdx-????????.answer"), key=lambda p: p.stat().st_mtime_ns)
        assert len(entries) == min(i + 1, answers.KEEP)
        os.utime(entries[-1], ns=(10**18 + i, 10**18 + i))  # store order, whatever the clock's grain
    assert all(f.read_bytes() == b"not pvenum's entry" for f in foreign)
    monkeypatch.setenv("PVENUM_TEST_CONTEXT", str(answers.KEEP + 2))
    assert answers.run("tdx", lambda name: 1 / 0) == 0  # the newest is read back: nothing runs
    assert capsys.readouterr().out.endswith(f"answer {answers.KEEP + 2}\n" * 2)


def test_another_rich_is_another_context(tmp_path, monkeypatch):
    """rich draws the table: the rich the interpreter would import (first on sys.path) is part of
    an answer's key, so one virtualenv's answer is not read back under another's rich release."""
    before = answers._context()
    shadow = tmp_path / "rich"
    shadow.mkdir()
    (shadow / "__init__.py").write_text("# another release\n")
    monkeypatch.setattr(sys, "path", [str(tmp_path), *sys.path])
    assert answers._printer().startswith(f"{shadow}\n__init__.py\0")
    assert answers._context() != before
    shadowed = answers._context()
    (shadow / "__init__.py").write_text("# another release, longer\n")
    assert answers._context() != shadowed
