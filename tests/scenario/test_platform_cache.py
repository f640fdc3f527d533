"""The per-user cache of compiled catalog platforms (pvenum/scenario/cache.py): a cached
platform resolves exactly as a freshly compiled one, and a bad cache is never an error."""

from __future__ import annotations

import json

import pytest

from pvenum.resolver import resolve_all
from pvenum.scenario import build_id, cache, catalog, parse_scenario
from pvenum.target import load_target

NAMES = ["azure-snp-paravisor", "tdx", "arm64-hyperv", "cca-realm-paravisor", "azure-snp-paravisor-services", "conflict-record-cpuid-vs-acpi"]


def _derivations(platform) -> dict:
    return {m: d.to_dict(trace=True) for m, d in resolve_all(platform, None).items()}


@pytest.fixture
def cache_home(cache_root):
    return cache_root / "platforms"


@pytest.mark.parametrize("name", NAMES)
def test_cached_platform_resolves_as_compiled(name, cache_home):
    fresh = _derivations(catalog.get(name).platform())
    first = load_target(name).platform  # compiles and stores
    assert len(list(cache_home.glob("*.pickle"))) == 1
    second = load_target(name).platform  # read back from the file
    assert second is not first
    assert _derivations(first) == fresh
    assert _derivations(second) == fresh
    assert [t.signature for t in (second.acpi or [])] == [t.signature for t in (first.acpi or [])]


def test_corrupt_or_unwritable_cache_is_ignored(cache_home):
    name = "azure-snp-paravisor"
    fresh = _derivations(catalog.get(name).platform())
    load_target(name)
    (entry,) = cache_home.glob("*.pickle")
    entry.write_bytes(b"not a pickle")
    assert _derivations(load_target(name).platform) == fresh
    assert entry.read_bytes() != b"not a pickle"  # replaced by a good entry
    entry.unlink()
    cache_home.chmod(0o500)
    try:
        assert _derivations(load_target(name).platform) == fresh
    finally:
        cache_home.chmod(0o700)


def test_entry_others_could_have_written_is_not_loaded(cache_home):
    """A pickle runs code when loaded: an entry with a group/other write bit is never unpickled."""
    import pickle

    name = "tdx"
    fresh = _derivations(catalog.get(name).platform())
    load_target(name)
    (entry,) = cache_home.glob("*.pickle")
    planted = pickle.dumps(catalog.get("snp").platform())  # loads fine, but is another platform
    entry.write_bytes(planted)
    entry.chmod(0o666)
    assert _derivations(load_target(name).platform) == fresh  # not the planted snp platform
    assert entry.read_bytes() != planted and entry.stat().st_mode & 0o022 == 0  # rewritten by pvenum


def test_entry_of_another_build_is_not_used(cache_home):
    """An entry is used only when the build it records (pvenum and Python versions, scenario
    text, package files) is this run's, whatever its file is called."""
    import pickle

    name = "tdx"
    fresh = _derivations(catalog.get(name).platform())
    load_target(name)
    (entry,) = cache_home.glob("*.pickle")
    planted = pickle.dumps("another build") + pickle.dumps(catalog.get("snp").platform())
    entry.write_bytes(planted)
    entry.chmod(0o600)
    assert _derivations(load_target(name).platform) == fresh  # not the planted snp platform
    assert entry.read_bytes() != planted  # rewritten for this build


def test_cached_target_parses_its_scenario_when_asked(cache_home):
    """A platform found in the cache comes without parsing the scenario; the scenario is the
    catalog's all the same when read."""
    load_target("azure-snp-paravisor")
    tgt = load_target("azure-snp-paravisor")  # from the cache
    assert tgt.kind == "scenario" and tgt.name == "azure-snp-paravisor"
    expected = catalog.get("azure-snp-paravisor")
    assert tgt.scenario.name == expected.name and tgt.scenario.text == expected.text
    assert tgt.scenario.expect == expected.expect and tgt.scenario.path == expected.path


def test_key_follows_the_scenario_text(cache_home):
    sc = catalog.get("tdx")
    other = parse_scenario(sc.text.replace('isolation = "tdx"', 'isolation = "none"', 1), sc.path,
                                   build=False)
    assert other.isolation == "none"
    assert cache._key(sc) != cache._key(other)
    assert cache._key(sc) == cache._key(catalog.get("tdx"))


def test_no_cache_when_turned_off(cache_home, monkeypatch):
    monkeypatch.setenv("PVENUM_NO_CACHE", "1")
    load_target("tdx")
    assert not cache_home.exists()


def test_cli_output_identical_from_cache(cli, tmp_path):
    env = {"XDG_CACHE_HOME": str(tmp_path)}
    runs = [cli("resolve", "azure-snp-paravisor-services", "--json", env=env) for _ in range(2)]
    uncached = cli("resolve", "azure-snp-paravisor-services", "--json", env={"PVENUM_NO_CACHE": "1"})
    assert runs[0].returncode == runs[1].returncode == uncached.returncode
    assert json.loads(runs[0].stdout) == json.loads(runs[1].stdout) == json.loads(uncached.stdout)
    assert list((tmp_path / "pvenum" / "platforms").glob("*.pickle"))


def test_old_builds_entries_are_pruned_and_nothing_else(cache_home, monkeypatch):
    """Each build (an upgrade, an edited checkout) stores its own entries; storing one removes
    that scenario's entries beyond cache.KEEP newest, and leaves every other file alone."""
    import os

    cache_home.mkdir(parents=True)
    foreign = [cache_home / "notes.txt", cache_home / "tdx-1234abcd.pickle.tmp", cache_home / "tdx-XYZ.pickle",
               cache_home / "tdx-realm-0000000a.pickle"]  # another scenario's name, longer
    for f in foreign:
        f.write_bytes(b"not pvenum's entry")
    builds = [f"build {i}" for i in range(cache.KEEP + 3)]
    stored = []
    for i, build in enumerate(builds):
        monkeypatch.setattr(build_id, "package_fingerprint", lambda build=build: build)
        load_target("tdx")
        path = cache._entry("tdx", catalog.get("tdx").text)[0]
        os.utime(path, ns=(10**18 + i, 10**18 + i))  # mtimes in store order, whatever the clock's grain
        stored.append(path)
        kept = sorted(p.name for p in cache_home.glob("tdx-????????.pickle"))
        assert len(kept) == min(i + 1, cache.KEEP), kept
        assert path.exists()
    assert sorted(p.name for p in cache_home.glob("tdx-????????.pickle")) == sorted(p.name for p in stored[-cache.KEEP:])
    assert all(f.read_bytes() == b"not pvenum's entry" for f in foreign)


def test_a_killed_stores_temporary_file_is_pruned_once_stale(cache_home, monkeypatch):
    """A run killed while writing leaves atomic_write's ".ENTRY.XXXXXXXX.tmp" (pvenum/_output.py,
    tempfile.mkstemp); the next store removes such a file of its scenario once it is older than
    any write takes, and leaves a fresh one (a store in progress) and any other name alone."""
    import os
    import time

    cache_home.mkdir(parents=True)
    entry = "tdx-0123abcd.pickle"
    stale, fresh = cache_home / f".{entry}.k3_x9q2a.tmp", cache_home / f".{entry}.zz9_a1b2.tmp"
    other = [cache_home / ".tdx-realm-0123abcd.pickle.k3_x9q2a.tmp", cache_home / ".notes.k3_x9q2a.tmp",
             cache_home / f".{entry}.tmp"]
    old = time.time_ns() - build_id.STALE_TEMP_NS - 60 * 10**9
    for f in (stale, fresh, *other):
        f.write_bytes(b"half an entry")
        if f is not fresh:
            os.utime(f, ns=(old, old))
    load_target("tdx")
    assert not stale.exists()
    assert fresh.exists() and all(f.exists() for f in other)


def test_a_fifo_as_entry_is_not_waited_on(tmp_path, cli):
    """An entry is opened without blocking and read only when it is a regular file: a FIFO in its
    place (nobody writing) is passed over, not waited on for ever."""
    import os

    env = {"XDG_CACHE_HOME": str(tmp_path), "PVENUM_NO_CACHE": ""}
    first = cli("resolve", "tdx", "--json", env=env, timeout=120)
    (entry,) = (tmp_path / "pvenum" / "platforms").glob("tdx-*.pickle")
    entry.unlink()
    os.mkfifo(entry)
    again = cli("resolve", "tdx", "--json", env=env, timeout=60)
    assert (again.returncode, again.stdout) == (first.returncode, first.stdout)


def test_an_entry_another_user_owns_is_never_replaced(tmp_path):
    # pvenum never overwrites a file it did not write: prune already leaves other users' files
    # alone, and store now does too (it had replaced one through atomic_write).
    import os

    import pytest

    from pvenum.scenario import build_id

    if os.getuid() != 0:
        pytest.skip("giving a file to another user needs root")
    entry = tmp_path / "snp-0123abcd.pickle"
    entry.write_bytes(b"theirs")
    os.chown(entry, 65534, 65534)
    build_id.store(str(entry), b"ours", "snp", ".pickle", keep=4)
    assert entry.read_bytes() == b"theirs"
    mine = tmp_path / "snp-89abcdef.pickle"
    build_id.store(str(mine), b"ours", "snp", ".pickle", keep=4)
    assert mine.read_bytes() == b"ours"
