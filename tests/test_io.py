"""Input bounds and atomic output (pvenum/_io.py, pvenum/_output.py)."""

from __future__ import annotations

import gzip
import hashlib
import os

import pytest

from pvenum import _io, _output
from pvenum.errors import LimitError, NotFound, PvenumError
from pvtest import DATA


def test_read_limit(tmp_path):
    f = tmp_path / "big"
    f.write_bytes(b"x" * 101)
    assert _io.read_bytes(f, limit=101) == b"x" * 101
    with pytest.raises(LimitError, match="larger than the 100-byte input limit"):
        _io.read_bytes(f, limit=100)


def test_gzip_is_inflated_within_the_limit(tmp_path):
    f = tmp_path / "x.gz"
    f.write_bytes(gzip.compress(b"\xd0\x0d\xfe\xed" + bytes(60)))
    assert _io.read_input(f)[:4] == b"\xd0\x0d\xfe\xed"
    bomb = tmp_path / "bomb.gz"
    bomb.write_bytes(gzip.compress(bytes(10 * 1024 * 1024)))
    with pytest.raises(LimitError, match="inflates past"):
        _io.read_input(bomb, limit=1024 * 1024)
    bad = tmp_path / "bad.gz"
    bad.write_bytes(b"\x1f\x8b" + b"junk" * 8)
    with pytest.raises(LimitError, match="corrupt gzip"):
        _io.read_input(bad)


def test_gzip_is_read_whole_as_the_gzip_module_reads_it():
    # Python's gzip module (an independent reader: gzip.decompress) is the reference. It reads
    # members one after another and skips zero padding after the last; it refuses a member cut
    # short (EOFError: no CRC and size trailer) and other bytes after the last member
    # (BadGzipFile), as gzip -t does. pvenum had read a cut stream as a shorter, whole input.
    text = b"".join(b"   0x%08x 0x00: eax=0x1 ebx=0x2 ecx=0x3 edx=0x4\n" % i for i in range(400))
    whole = gzip.compress(text, mtime=0)
    inputs = [whole, whole + gzip.compress(b"more\n", mtime=0), whole + bytes(7), whole + b"junk",
              whole + b"\x1f", *(whole[:n] for n in range(10, len(whole), 37)), whole[:-8], whole[:-1]]
    for data in inputs:
        try:
            want = gzip.decompress(data)
        except (EOFError, OSError):
            with pytest.raises(LimitError):
                _io.gunzip(data, "x.gz")
        else:
            assert _io.gunzip(data, "x.gz") == want


def test_gzip_members_are_counted():
    # Empty members inflate to nothing, so the size limit never stops them: a count does (a
    # 3.2 MB file of 160,000 of them had taken 23 s, each member copying the rest of the input).
    empty = gzip.compress(b"", mtime=0)
    assert _io.gunzip(empty * _io.MAX_GZIP_MEMBERS, "x.gz") == b""
    with pytest.raises(LimitError, match=f"more than {_io.MAX_GZIP_MEMBERS} gzip members"):
        _io.gunzip(empty * 160_000, "x.gz")


def test_safe_join_refuses_escapes(tmp_path):
    assert _output.safe_join(tmp_path, "acpi/FACP.dat") == (tmp_path / "acpi" / "FACP.dat").resolve()
    for name in ("../x", "/etc/passwd", "a/../../x", "", "a\0b"):
        with pytest.raises(PvenumError):
            _output.safe_join(tmp_path, name)


def test_atomic_write_replaces_whole_or_not_at_all(tmp_path):
    f = tmp_path / "out.txt"
    _output.atomic_write(f, "one")
    _output.atomic_write(f, "two")
    assert f.read_text() == "two" and sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


def test_atomic_directory_leaves_the_old_one_on_failure(tmp_path):
    dest = tmp_path / "bundle"
    with _output.atomic_directory(dest) as tmp:
        (tmp / "a").write_text("first")
    with pytest.raises(RuntimeError):
        with _output.atomic_directory(dest) as tmp:
            (tmp / "a").write_text("second")
            raise RuntimeError("boom")
    assert (dest / "a").read_text() == "first"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bundle"]


def test_directory_walk_is_bounded(tmp_path, monkeypatch):
    for d in ("a", "b"):  # four files, no directory listing more than three entries
        (tmp_path / d).mkdir()
        for i in range(2):
            (tmp_path / d / f"f{i}").write_text("x")
    monkeypatch.setattr(_io, "MAX_DIR_FILES", 3)
    with pytest.raises(LimitError, match="more than 3 files"):
        list(_io.iter_file_names(tmp_path))
    (tmp_path / "loop").symlink_to(tmp_path)
    monkeypatch.setattr(_io, "MAX_DIR_FILES", 100)
    assert len(list(_io.iter_file_names(tmp_path))) == 4  # the symlink loop is walked once


def test_read_fd_reads_past_a_reported_size_of_zero_and_stops_at_the_limit():
    # sysfs files report st_size 0; a pipe does too: the size is a first guess, not a bound.
    import threading

    from pvenum._io import read_fd

    def feed(fd: int, data: bytes) -> None:
        with os.fdopen(fd, "wb") as w:
            w.write(data)

    for data, limit, expected in ((b"x" * 200_000, 1 << 20, 200_000), (b"y" * 200_000, 100_000, 100_001)):
        r, w = os.pipe()
        t = threading.Thread(target=feed, args=(w, data))
        t.start()
        with os.fdopen(r, "rb", buffering=0) as fh:
            got = read_fd(fh.fileno(), limit)
            fh.read()  # drain so the writer finishes
        t.join()
        assert len(got) == expected and got == data[:expected]


def test_reading_a_small_file_allocates_about_its_size(tmp_path):
    # Each os.read allocates what it asks for. A fleet audit reads a dozen small files per
    # bundle: the probe for more after a file's last byte must not be a 1 MiB buffer (found by
    # `make fuzz`'s memory bound on the audit target).
    import tracemalloc

    for size in (0, 100, 4095, 70_000):
        f = tmp_path / f"f{size}"
        f.write_bytes(b"z" * size)
        _io.read_bytes(f)
        tracemalloc.start()
        try:
            data = _io.read_bytes(f)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert data == b"z" * size
        assert peak < 2 * size + 72 * 1024, (size, peak)


def test_file_sha256_matches_the_fips_180_vectors_and_hashlib_across_chunks(tmp_path):
    # FIPS 180-2 appendix B.1 ("abc") and B.3 (one million "a"); past 1 MiB the read is chunked.
    f = tmp_path / "f"
    f.write_bytes(b"abc")
    assert _io.file_sha256(f) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    f.write_bytes(b"a" * 1_000_000)
    assert _io.file_sha256(f) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
    data = bytes(range(256)) * (3 * 4096 + 1)  # 3 MiB + 256 bytes: four chunks
    f.write_bytes(data)
    assert _io.file_sha256(f) == hashlib.sha256(data).hexdigest()


def test_a_path_with_a_nul_byte_names_no_file(tmp_path, cli):
    # A POSIX path is a C string (open(2)): one holding NUL names no file. Such a path comes from
    # a file, never argv: a scenario's `base`, a line of `pvenum audit -` input.
    with pytest.raises(NotFound, match="no such file"):
        _io.read_bytes(tmp_path / "a\0b")
    sc = tmp_path / "nul.toml"
    sc.write_text('[scenario]\nname = "nul"\ndescription = "d"\nbase = "a\\u0000b"\n')
    res = cli("resolve", str(sc))
    assert res.returncode == 3 and b"scenario.base" in res.stderr and b"no such file" in res.stderr, res.stderr


def test_iter_file_names_names_files_relative_to_the_root(tmp_path):
    # The audit keys a bundle by these names: "/"-separated, in natural order, each directory
    # walked once however many links lead back to it.
    from pvenum._io import iter_file_names

    for rel in ("b", "a/c", "a/b/d", "z/e"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(rel.encode())
    (tmp_path / "a" / "loop").symlink_to(tmp_path / "a", target_is_directory=True)  # walked once
    names = list(iter_file_names(tmp_path))
    assert names == [(n, str(tmp_path / n)) for n in ("a/b/d", "a/c", "b", "z/e")]


def test_files_are_walked_in_the_order_their_numbers_give(tmp_path):
    # Linux's sysfs names (drivers/acpi/sysfs.c acpi_table_attr_init(): SSDT1 … SSDT11, counted
    # in table order) and `acpidump -b`'s (ACPICA apfiles.c ApWriteToBinaryFile(): ssdt.dat for
    # instance 0, then ssdt1.dat …): byte order would read SSDT10 second.
    names = [f"SSDT{n}" for n in range(1, 12)] + ["ssdt.dat"] + [f"ssdt{n}.dat" for n in range(1, 12)]
    for name in names:
        (tmp_path / name).write_bytes(b"x")
    assert [rel for rel, _ in _io.iter_file_names(tmp_path)] == names


def test_numbers_sort_by_value_and_all_else_by_bytes(tmp_path):
    # gzipped `acpidump -b` output keeps its order (the unnumbered first), a number in an
    # extension is a number too, and names without numbers keep byte order: a bundle's
    # cpuid-template.json before cpuid.kvm, as before (the audit key hashes files in walk order).
    names = ["mcfg.dat.gz", "mcfg1.dat.gz", "mcfg2.dat.gz", "mcfg10.dat.gz", "a.9", "a.10",
             "cpuid-template.json", "cpuid.kvm", "snp-svsm.toml", "snp.toml", "x", "x1", "x01"]
    assert sorted(names, key=_io.natural_key) == ["a.9", "a.10", "cpuid-template.json", "cpuid.kvm",
                                                   "mcfg.dat.gz", "mcfg1.dat.gz", "mcfg2.dat.gz",
                                                   "mcfg10.dat.gz", "snp-svsm.toml", "snp.toml",
                                                   "x", "x01", "x1"]


def test_natural_key_is_a_total_order_on_any_names():
    from hypothesis import given, settings, strategies as st

    @settings(deadline=None)
    @given(st.lists(st.text(alphabet="aZ.019_-٣", max_size=8), max_size=12))
    def check(names):
        once = sorted(names, key=_io.natural_key)
        assert sorted(reversed(once), key=_io.natural_key) == once
        assert len({_io.natural_key(n) for n in names}) == len(set(names))
        plain = [n for n in names if not any(c in "0123456789" for c in n)]
        assert sorted(plain, key=_io.natural_key) == sorted(plain)  # byte order without numbers
        for n in names:  # a number compares by value: n with 9 before n with 10 in its place
            assert _io.natural_key(n + "9") < _io.natural_key(n + "10")

    check()


def test_a_directory_past_the_file_bound_is_refused_before_it_is_sorted(tmp_path, monkeypatch):
    # A listing stops at MAX_DIR_FILES + 1 entries (directories count): a hostile directory of
    # millions of entries is neither held whole in memory nor sorted.
    monkeypatch.setattr(_io, "MAX_DIR_FILES", 3)
    for i in range(2):
        (tmp_path / f"d{i}").mkdir()
    for i in range(2):
        (tmp_path / f"f{i}").write_bytes(b"x")
    with pytest.raises(LimitError, match="more than 3 entries"):
        list(_io.iter_file_names(tmp_path))


def test_artifact_labels_are_spelled_as_pathlib_spells_them():
    # Reading a file labels its artifacts without importing pathlib (start-up): the label must
    # stay what str(Path(path)) gave, the reference here.
    from pathlib import PurePosixPath

    from hypothesis import given, settings, strategies as st

    from pvenum.formats import posix_label

    @settings(deadline=None)
    @given(st.text(alphabet="/.a", max_size=10))
    def check(path):
        assert posix_label(path) == str(PurePosixPath(path))

    check()
    assert posix_label("./d/realm-guest.dtb") == "d/realm-guest.dtb"
    assert posix_label(PurePosixPath("d//./x.dtb")) == "d/x.dtb"


def test_a_device_is_refused_unopened(monkeypatch):
    # Opening a device may act on it (a watchdog arms on open): a path that must be a regular
    # file is looked at first (stat(2)), and only a regular file is opened.
    opened = []
    real_open = os.open
    monkeypatch.setattr(os, "open", lambda path, *a, **k: opened.append(path) or real_open(path, *a, **k))
    with pytest.raises(PvenumError, match="is a character device, not a regular file"):
        _io.read_bytes("/dev/zero", regular=True)
    assert opened == []


def test_a_symlink_loop_or_dangling_link_is_passed_over(tmp_path):
    """DirEntry.is_dir()/is_file() raise OSError (ELOOP) for a link to itself: the walks that
    read bundles (iter_file_names) and fleets (audit.iter_targets) pass such an entry over,
    as they pass over a FIFO."""
    import os

    from pvenum import audit
    from pvenum._io import iter_file_names

    machine = tmp_path / "fleet" / "machine1"
    machine.mkdir(parents=True)
    (machine / "platform.toml").write_text('arch = "x86_64"\n')
    for where in (machine, tmp_path / "fleet"):
        os.symlink("self", where / "self")  # ELOOP when followed
        os.symlink("nowhere", where / "dangling")
    assert [rel for rel, _ in iter_file_names(machine)] == ["platform.toml"]
    assert list(audit.iter_targets(tmp_path / "fleet")) == [machine]


def test_a_confined_walk_refuses_a_symlink_leading_out_and_follows_one_inside(tmp_path):
    """A bundle is read as itself: a link in it to a file or directory elsewhere (the reading
    machine's /etc/passwd, its /sys/firmware/acpi/tables) is named in an error, not read; links
    that stay inside, hard links, and a bundle directory that is itself a symlink are read."""
    outside = tmp_path / "outside"
    (outside / "tables").mkdir(parents=True)
    (outside / "tables" / "APIC").write_bytes(b"host")
    (outside / "passwd").write_text("root:x:0:0\n")
    bundle = tmp_path / "real" / "bundle"
    (bundle / "sub").mkdir(parents=True)
    (bundle / "sub" / "a").write_text("a")
    (bundle / "inner").symlink_to("sub", target_is_directory=True)
    (bundle / "b").symlink_to(bundle / "sub" / "a")  # absolute, still inside
    os.link(outside / "passwd", bundle / "hard")  # a hard link is the bundle's own file
    via = tmp_path / "via"
    via.symlink_to(bundle, target_is_directory=True)  # bench/bench_resolve.py's fleets
    want = ["b", "hard", "inner/a"]  # sub/ is inner/, walked once
    assert [rel for rel, _ in _io.iter_file_names(via, within=_io.Within(via))] == want
    for name, target in (("acpi", outside / "tables"), ("FACP", outside / "passwd")):
        (bundle / name).symlink_to(target)
        with pytest.raises(PvenumError) as err:
            list(_io.iter_file_names(via, within=_io.Within(via)))
        assert str(err.value) == f"{via}/{name}: a symlink leading out of {via} (to {target}): not read"
        assert name in {rel.split("/")[0] for rel, _ in _io.iter_file_names(via)}  # unconfined: followed
        refused = []
        got = _io.iter_file_names(via, within=_io.Within(via), refused=refused.append)
        assert [rel for rel, _ in got] == want
        assert [(e.path, e.message) for e in refused] == [(f"{via}/{name}", err.value.message)]
        (bundle / name).unlink()
    # A link from a directory entered through an inside link, out by "..": resolved whole.
    (bundle / "sub" / "up").symlink_to("../../../outside/passwd")
    with pytest.raises(PvenumError, match="inner/up: a symlink leading out"):
        list(_io.iter_file_names(via, within=_io.Within(via)))


def test_temp_target_names_what_mkstemp_made_the_file_for(tmp_path):
    # The expectation is tempfile.mkstemp's own naming, as atomic_write calls it.
    import tempfile

    fd, tmp = tempfile.mkstemp(prefix=".snp-0123abcd.pickle.", suffix=".tmp", dir=tmp_path)
    os.close(fd)
    assert _output.temp_target(os.path.basename(tmp)) == "snp-0123abcd.pickle"
    for other in ("snp-0123abcd.pickle", ".snp.pickle.tmp", ".snp.pickle.ABCDEFGH.tmp", ".x.abcdefg.tmp"):
        assert _output.temp_target(other) is None


def _without_proc(monkeypatch):
    """As on a system without /proc mounted: readlink(2) of /proc/self/fd/N fails (ENOENT)."""
    real_readlink = os.readlink

    def readlink(path, *args, **kwargs):
        if os.fspath(path).startswith("/proc/"):
            raise FileNotFoundError(2, "No such file or directory", path)
        return real_readlink(path, *args, **kwargs)

    monkeypatch.setattr(os, "readlink", readlink)


@pytest.mark.parametrize("proc", [True, False], ids=["proc-fd", "no-proc"])
def test_a_walk_checks_the_file_it_opened_not_the_name_it_listed(tmp_path, monkeypatch, proc):
    """The walk looks at a name, the read opens it: a file swapped for a link out in between
    (a tree being unpacked, a guest's share) must not be read. The file opened is checked,
    through Linux's /proc/self/fd (proc(5): the link "to the actual file"), or without /proc by
    resolving the name after the open and comparing the file found there with the one open
    (fstat(2), stat(2)). What stays inside, a hard link included, is read as before."""
    from pvenum.formats import load_path

    facp = (DATA / "acpi" / "firecracker" / "facp.dat").read_bytes()
    host = tmp_path / "host"
    host.mkdir()
    (host / "shadow").write_bytes(facp)
    guest = tmp_path / "guest"
    guest.mkdir()
    (guest / "facp.dat").write_bytes(facp)
    os.link(host / "shadow", guest / "hard.dat")
    if not proc:
        _without_proc(monkeypatch)
    assert [a.path for a in load_path(guest)] == [f"{guest}/facp.dat", f"{guest}/hard.dat"]
    real_listing = _io.sorted_listing

    def listed_then_swapped(d, limit):
        entries = real_listing(d, limit)
        if os.fspath(d) == str(guest):  # listed as a regular file, a link out by the time it is read
            (guest / "facp.dat").unlink()
            (guest / "facp.dat").symlink_to(host / "shadow")
        return entries

    monkeypatch.setattr(_io, "sorted_listing", listed_then_swapped)
    with pytest.raises(PvenumError) as err:
        list(load_path(guest))
    assert str(err.value) == f"{guest}/facp.dat: a symlink leading out of {guest} (to {host}/shadow): not read"
    inside = _io.Within(guest)
    with pytest.raises(PvenumError, match="a symlink leading out"):
        _io.read_input(guest / "facp.dat", within=inside)
    assert _io.read_input(guest / "facp.dat") == facp  # named itself: followed
    assert _io.read_input(guest / "hard.dat", within=inside) == facp


def test_a_file_opened_elsewhere_than_its_name_resolves_to_is_not_read(tmp_path, monkeypatch):
    """Without /proc, the name is resolved after the open: when it no longer leads to the file
    that was opened, nothing is read (the name says inside, the descriptor may be outside)."""
    (tmp_path / "a").write_bytes(b"a")
    (tmp_path / "b").write_bytes(b"b")
    _without_proc(monkeypatch)
    real_open = os.open
    # The open reaches another file than the name now resolves to, as a swap between them does.
    monkeypatch.setattr(os, "open", lambda p, *a, **k: real_open(tmp_path / "b" if os.fspath(p).endswith("/a") else p,
                                                                *a, **k))
    with pytest.raises(PvenumError, match=r"/a: changed while it was opened \(now .*/a\): not read"):
        _io.read_bytes(tmp_path / "a", within=_io.Within(tmp_path))


def test_a_directory_swapped_for_a_link_out_during_the_walk_is_not_read(tmp_path):
    """The walk lists a directory by its name: a subdirectory swapped for a link out after its
    parent was listed (DirEntry keeps the type it was listed with), or the walked directory
    itself, must not bring outside files into the reads. Each read checks the file it opened
    against the boundary fixed before the walk began (pvenum._io.Within)."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x").write_text("HOST SECRET\n")
    (outside / "z").write_text("HOST SECRET\n")
    bundle = tmp_path / "bundle"
    (bundle / "sub").mkdir(parents=True)
    (bundle / "a").write_text("a")
    (bundle / "sub" / "x").write_text("x")
    inside = _io.Within(bundle)
    read = {}
    for rel, full in _io.iter_file_names(bundle, within=inside):
        if rel == "a":  # listed: a and sub/; now sub/ becomes a link out
            (bundle / "sub" / "x").unlink()
            (bundle / "sub").rmdir()
            (bundle / "sub").symlink_to(outside, target_is_directory=True)
        try:
            read[rel] = _io.read_input(full, within=inside)
        except _io.LeadsOut as err:
            read[rel] = err.message
    assert read == {"a": b"a", **{f"sub/{n}": f"a symlink leading out of {bundle} (to {outside}/{n}): not read"
                                  for n in ("x", "z")}}
    # The walked directory itself moved away and replaced by a link out, after the first read.
    fleet = tmp_path / "fleet" / "b"
    fleet.mkdir(parents=True)
    (fleet / "a").write_text("a")
    (fleet / "z").write_text("z")
    inside = _io.Within(fleet)
    read = {}
    for rel, full in _io.iter_file_names(fleet, within=inside):
        if rel == "a":
            read[rel] = _io.read_input(full, within=inside)
            fleet.rename(tmp_path / "fleet" / "moved")
            fleet.symlink_to(outside, target_is_directory=True)
            continue
        with pytest.raises(_io.LeadsOut):
            _io.read_input(full, within=inside)
        read[rel] = "refused"
    assert read == {"a": b"a", "z": "refused"}


def test_a_device_in_a_confined_read_is_refused_unopened(tmp_path, monkeypatch):
    """Opening a device may act (a watchdog arms): a regular-only read refuses it before the
    open, confined (snapshot --sysroot, a walk) or not. /dev/null stands in for the device."""
    root = tmp_path / "sysroot"
    (root / "sys/firmware").mkdir(parents=True)
    os.symlink("/dev/null", root / "sys/firmware/fdt")  # outside too: refused either way, unopened
    (root / "dev").mkdir()
    opened = []
    real_open = os.open
    monkeypatch.setattr(os, "open", lambda p, *a, **k: (opened.append(os.fspath(p)), real_open(p, *a, **k))[1])
    for within in (None, _io.Within(root)):
        with pytest.raises(PvenumError, match="is a character device, not a regular file"):
            _io.read_bytes(root / "sys/firmware/fdt", regular=True, within=within)
    assert opened == []
