"""`pvenum snapshot`'s CPUID walk against `cpuid -1 -r`: the same (leaf, subleaf) keys.

Three oracles, none of them pvenum's own output:
- real `cpuid -r` captures, replayed through a stand-in for the cpuid driver that answers each
  read from the capture, and for a leaf the capture lacks as the CPU would (the vendor rules
  below): the walk must dump exactly the capture's keys;
- this machine: the walk over /dev/cpu/0/cpuid against the real `cpuid -1 -r` on CPU 0;
- the real `cpuid` binary (Debian 12's 20230120) reading the same stand-in device (`-k`, with an
  LD_PRELOAD library in place of /dev/cpu/0/cpuid), on a table that exercises every subleaf
  rule: the keys it prints are the keys the walk dumps.
"""

from __future__ import annotations

import errno
import os
import subprocess
import threading
from pathlib import Path

import pytest

from pvtest import DATA
from pvenum import _io, snapshot
from pvenum.cpuid import cpuid_r

Leaves = dict  # (leaf, subleaf) -> (eax, ebx, ecx, edx)


def _u32(text: str) -> int:
    return int.from_bytes(text.encode("latin-1"), "little")


# --- what a CPU answers for a leaf a capture does not show ---------------------------------------
#
# torvalds/linux arch/x86/kvm/cpuid.c, the comment above get_out_of_range_cpuid_entry() (6.12.107
# read): "Intel CPUID semantics treats any query for an out-of-range leaf as if the highest basic
# leaf (i.e. CPUID.0H:EAX) were requested. AMD CPUID semantics returns all zeroes for any undefined
# leaf, whether or not the leaf is in range." — the Intel SDM vol. 2A, CPUID: "If a value entered
# for CPUID.EAX is higher than the maximum input value for basic or extended function for that
# processor then the data for the highest basic information leaf is returned". A leaf is out of
# range when the base leaf of its class (basic 0, hypervisor 0x4000nn00 per 0x100, extended
# 0x80000000, 0xc0000000) is absent or its EAX is below the leaf; the index asked is kept
# (get_out_of_range_cpuid_entry()). A subleaf the capture lacks of a leaf in range reads as
# kvm_cpuid() answers it: zeros, but for 0xb and 0x1f ECX[7:0] is the index and EDX the x2APIC ID
# (subleaf 1's EDX) when subleaf 1 exists (SDM: "EDX[31:0] ... x2APIC ID", for any ECX).


class CaptureCpu:
    """A CPU that answers CPUID from a capture's leaves, by its vendor's rule where the capture
    shows nothing; every (leaf, subleaf) asked is recorded in ``probes``."""

    def __init__(self, leaves: Leaves) -> None:
        self.leaves = dict(leaves)
        vendor = self.leaves[(0, 0)]
        self.amd = (vendor[1], vendor[3], vendor[2]) in ((_u32("Auth"), _u32("enti"), _u32("cAMD")),
                                                         (_u32("Hygo"), _u32("nGen"), _u32("uine")))
        self.probes: list[tuple[int, int]] = []

    def __call__(self, leaf: int, sub: int) -> tuple[int, int, int, int]:
        self.probes.append((leaf, sub))
        regs = self.leaves.get((leaf, sub))
        if regs is not None:
            return regs
        if self.amd:
            return (0, 0, 0, 0)
        if 0x40000000 <= leaf <= 0x4FFFFFFF:
            cls = leaf & 0xFFFFFF00
        elif leaf >= 0xC0000000:
            cls = 0xC0000000
        else:
            cls = leaf & 0x80000000
        base = self.leaves.get((cls, 0))
        if base is not None and leaf <= base[0]:  # in range: a subleaf the capture does not show
            one = self.leaves.get((leaf, 1))
            if leaf in (0xB, 0x1F) and one is not None:
                return (0, 0, sub & 0xFF, one[3])
            return (0, 0, 0, 0)
        top = self.leaves[(0, 0)][0]
        return self.leaves.get((top, sub)) or self.leaves[(top, 0)]


class _DriverOs:
    """``os`` for the snapshot module with the cpuid driver's read behind one descriptor:
    arch/x86/kernel/cpuid.c cpuid_read() runs CPUID with EAX = offset bits 31:0 and ECX = bits
    63:32 and returns 16 bytes per read (a size not a multiple of 16 is EINVAL)."""

    def __init__(self, cpu: CaptureCpu, fd: int) -> None:
        self._cpu, self._fd = cpu, fd

    def __getattr__(self, name: str):
        return getattr(os, name)

    def pread(self, fd: int, size: int, offset: int) -> bytes:
        if fd != self._fd:
            return os.pread(fd, size, offset)
        if size % 16:
            raise OSError(errno.EINVAL, "Invalid argument")
        out = b""
        for n in range(size // 16):
            pos = offset + n
            out += b"".join(r.to_bytes(4, "little") for r in self._cpu(pos & 0xFFFFFFFF, pos >> 32))
        return out


def through_driver(cpu: CaptureCpu, tmp_path: Path, monkeypatch) -> Leaves:
    """What ``snapshot._read_cpuid_dev`` dumps from a cpuid driver backed by ``cpu``."""
    dev = tmp_path / "cpuid"
    dev.write_bytes(b"")
    fd = os.open(dev, os.O_RDONLY)
    monkeypatch.setattr(snapshot, "_open_device", lambda path, inside: fd)
    monkeypatch.setattr(snapshot, "os", _DriverOs(cpu, fd))
    return snapshot._read_cpuid_dev(dev, _io.Within(dev.parent)).cpu0()


def _capture(text: str) -> Leaves:
    return dict(cpuid_r.parse(text).cpu0())


# `sudo cpuid -1 --raw` on a Dell XPS 13 9370 (Intel Core i5-8350U, bare metal: no hypervisor
# bit), posted by Paul Menzel in "Re: WARNING: CPU: 1 PID: 83 at arch/x86/kernel/cpu/sgx/main.c:446
# ksgxd+0x1b7/0x1d0", linux-kernel@vger.kernel.org, 2022-08-23, Message-ID
# <63a60042-4a4a-3bc3-5fa1-4495d80cc06c@molgen.mpg.de>; each row's edx, wrapped onto the next
# line by the mail, joined back. 0x20000000, 0x80860000 and 0xc0000000 show the Intel rule.
INTEL_BARE_METAL = (DATA / "cpuid" / "intel-xps13-9370-bare-metal.cpuid").read_text()

# `/usr/bin/cpuid -1 -r` on an Azure TDX instance (Hyper-V guest, Intel), posted by Florian Weimer
# in "Missing cache information on x86-64 under Intel TDX (glibc bug 30643)", libc-alpha and
# qemu-devel, 2023-07-17, Message-ID <87mszv7x0l.fsf@oldenburg.str.redhat.com>; quoted-printable
# decoded ("=3D" is "="), each row's wrapped edx joined back. A hypervisor walk ending at the
# all-zero 0x40000100 base, and the Intel rule (leaf 0x21's data) at 0x20000000 and above.
INTEL_TDX_HYPERV = (DATA / "cpuid" / "azure-tdx-hyperv-intel.cpuid").read_text()

CAPTURES = {
    # cpuid 20230120 on a KVM guest, AMD family 0x1a (tests/data/cpuid/README.md)
    "kvm-amd-zen5": (DATA / "cpuid" / "kvm-amd-zen5.cpuid").read_text(),
    "intel-bare-metal": INTEL_BARE_METAL,
    "intel-tdx-hyperv": INTEL_TDX_HYPERV,
}


@pytest.mark.parametrize("name", sorted(CAPTURES))
def test_the_walk_dumps_the_keys_cpuid_dumped(name, tmp_path, monkeypatch):
    """Replayed through the driver, each capture comes back key for key, value for value: the
    ranges at 0x20000000, 0x80860000 and 0xc0000000 (dumped even when their EAX is below them),
    the all-zero hypervisor base after the last valid one, all-zero subleaves, and the subleaf
    ending 0x4, 0xb, 0x12, 0x1b and 0x1f; and nothing the capture lacks (no hypervisor leaves
    without CPUID.1:ECX[31], no subleaves past the stop rules)."""
    want = _capture(CAPTURES[name])
    got = through_driver(CaptureCpu(want), tmp_path, monkeypatch)
    assert sorted(set(got) - set(want)) == [] and sorted(set(want) - set(got)) == []
    assert got == want


def test_every_cpu_of_an_all_cpus_capture(tmp_path, monkeypatch):
    """`cpuid -r` (no -1, cpuid 20230120): each CPU's block replayed alone gives its keys back."""
    dump = cpuid_r.parse((DATA / "cpuid" / "kvm-amd-zen5-allcpus.cpuid").read_text())
    assert len(dump.cpus) >= 2
    for cpu, leaves in dump.cpus.items():
        here = tmp_path / str(cpu)
        here.mkdir()
        assert through_driver(CaptureCpu(leaves), here, monkeypatch) == dict(leaves), cpu


def test_the_walk_probes_what_cpuid_probes_and_no_more():
    """The probes are the dumped keys, each once, plus the one read cpuid makes to end
    0x8000001d's loop (cpuid.c do_real(): ``while ((words[WORD_EAX] & 0x1f) != 0)``, the read
    whose cache type is 0 is not printed); on the Intel captures, exactly the keys."""
    for name, text in CAPTURES.items():
        want = _capture(text)
        cpu = CaptureCpu(want)
        assert snapshot.walk_cpuid(cpu) == want, name
        assert len(cpu.probes) == len(set(cpu.probes)), name
        extra = set(cpu.probes) - set(want) - LINUX_BASES
        assert extra == ({(0x8000001D, 4)} if name == "kvm-amd-zen5" else set()), (name, extra)


# Every base Linux's cpuid_base_hypervisor() reads (arch/x86/include/asm/cpuid/api.h, v7.2.8:
# 0x40000000..0x4000ff00 in steps of 0x100): the walk reads them too, after cpuid's own walk.
LINUX_BASES = {(base, 0) for base in range(0x40000000, 0x40010000, 0x100)}


def _sig(text: bytes) -> tuple[int, int, int]:
    return tuple(int.from_bytes(text[i:i + 4], "little") for i in (0, 4, 8))  # type: ignore[return-value]


def test_a_base_linux_finds_past_where_cpuid_stops_is_kept():
    """cpuid's walk ends at the first base whose EAX is below it, and reads no base without the
    hypervisor bit; Linux reads every base (cpuid_base_hypervisor()) and xen_cpuid_base() does
    so without testing the bit. A "ParavisorSvc" block (4 leaves, as the proposal's
    hypervisor_cpuid_base("ParavisorSvc", 4) asks) after an all-zero 0x40000100, and a Xen base
    on a CPU without the hypervisor bit, are kept with their leaves; on the captures, where no
    such base exists, nothing is added (the tests above)."""
    leaves = _capture(CAPTURES["kvm-amd-zen5"])
    assert leaves[(0x40000100, 0)] == (0, 0, 0, 0)
    leaves[(0x40000200, 0)] = (0x40000204, *_sig(b"ParavisorSvc"))
    for n in range(1, 5):
        leaves[(0x40000200 + n, 0)] = (n, 0, 0, 0)
    got = snapshot.walk_cpuid(CaptureCpu(leaves))
    assert got == leaves

    bare = _capture(INTEL_BARE_METAL)
    assert not bare[(0x1, 0)][2] >> 31 & 1
    bare[(0x40000100, 0)] = (0x40000102, *_sig(b"XenVMMXenVMM"))
    bare[(0x40000101, 0)] = (0x0004000E, 0, 0, 0)
    bare[(0x40000102, 0)] = (1, 0x40000000, 0, 0)
    got = snapshot.walk_cpuid(CaptureCpu(bare))
    assert {k for k in got if 0x40000000 <= k[0] < 0x40010000} == {(0x40000100, 0), (0x40000101, 0), (0x40000102, 0)}

    # A base found this way is dumped as cpuid's walk dumps one: Xen's TSC leaf (base + 3) at
    # subleaves 0..2 (xen/include/public/arch-x86/cpuid.h, "Leaf 4 (0x40000x03)"), and KVM's EAX
    # of 0 read as base + 1, where KVM_CPUID_FEATURES lies (include/uapi/linux/kvm_para.h;
    # Linux's kvm_arch_para_features() reads it whatever EAX says).
    bare[(0x40000100, 0)] = (0x40000103, *_sig(b"XenVMMXenVMM"))
    for sub in range(3):
        bare[(0x40000103, sub)] = (sub + 1, 0, 0, 0)
    bare[(0x40000200, 0)] = (0, *_sig(b"KVMKVMKVM\0\0\0"))
    bare[(0x40000201, 0)] = (0x01007AFB, 0, 0, 0)
    got = snapshot.walk_cpuid(CaptureCpu(bare))
    assert {k for k in got if 0x40000000 <= k[0] < 0x40010000} == {
        (0x40000100, 0), (0x40000101, 0), (0x40000102, 0), (0x40000103, 0), (0x40000103, 1), (0x40000103, 2),
        (0x40000200, 0), (0x40000201, 0)}
    assert got[(0x40000201, 0)] == (0x01007AFB, 0, 0, 0)


def test_a_first_subleaf_of_null_cache_type_dumps_no_0x8000001d():
    """cpuid.c do_real() tests 0x8000001d's cache type before printing: a CPU whose subleaf 0
    already reads type 0 has no 0x8000001d row at all, though the leaf is in range."""
    leaves = _capture((DATA / "cpuid" / "kvm-amd-zen5.cpuid").read_text())
    for sub in range(4):
        del leaves[(0x8000001D, sub)]
    got = snapshot.walk_cpuid(CaptureCpu(leaves))
    assert not [k for k in got if k[0] == 0x8000001D]
    assert got == leaves


# --- the bounds: a hostile CPU (or hypervisor) ends the walk quickly --------------------------


def test_a_cpu_claiming_every_leaf_and_subleaf_is_walked_within_the_bounds():
    """Every register all ones (max leaves 0xffffffff, endless subleaf counts and types, every
    XSAVE/QoS bit) and KVM's signature at every hypervisor base: at most MAX_RANGE_LEAVES + 1
    leaves per range, subleaves below MAX_SUBLEAVES, and a bounded number of reads."""
    kvm = (0xFFFFFFFF, _u32("KVMK"), _u32("VMKV"), _u32("M\0\0\0"))
    probes = []

    def q(leaf, sub):
        probes.append((leaf, sub))
        return kvm if 0x40000000 <= leaf < 0x40010000 and leaf & 0xFF == 0 else (0xFFFFFFFF,) * 4

    got = snapshot.walk_cpuid(q)
    assert max(sub for _, sub in got) < snapshot.MAX_SUBLEAVES
    for first in (0x0, 0x20000000, 0x40000000, 0x80000000, 0x80860000, 0xC0000000):
        span = {leaf for leaf, _ in got if first <= leaf <= first + 0xFFFF}
        if first == 0x40000000:
            assert len(span) == 0x100 * (snapshot.MAX_RANGE_LEAVES + 1)  # 256 valid bases
        else:
            assert 1 <= len(span) <= snapshot.MAX_RANGE_LEAVES + 1
    assert len(probes) <= 0x100 * snapshot.MAX_SUBLEAVES + 0x100 * 0x100 + 4 * 0x100


def test_a_fifo_for_the_cpuid_device_is_not_waited_on(tmp_path):
    """A FIFO where /dev/cpu/0/cpuid belongs (an untrusted sysroot) is opened without waiting for
    a writer and its first read fails (ESPIPE): a missing read, not a hang."""
    fifo = tmp_path / "cpuid"
    os.mkfifo(fifo)
    failed = []
    t = threading.Thread(target=lambda: failed.append(pytest.raises(OSError, snapshot._read_cpuid_dev, fifo, _io.Within(fifo.parent))),
                         daemon=True)
    t.start()
    t.join(timeout=30)
    assert failed and not t.is_alive()


def test_a_short_read_of_the_cpuid_device_is_an_error(tmp_path):
    """A device answering fewer than 16 bytes (here a file shorter than the offset) is an
    OSError, never a leaf of zeros."""
    dev = tmp_path / "cpuid"
    dev.write_bytes(bytes(8))
    with pytest.raises(OSError, match="short read"):
        snapshot._read_cpuid_dev(dev, _io.Within(dev.parent))


# --- this machine ----------------------------------------------------------------------------


def _cpuid_on_cpu0(tool: str) -> str:
    """`cpuid -1 -r`, run on CPU 0 (-1 does not choose a CPU itself) when this process may."""
    before = os.sched_getaffinity(0)
    pinned = 0 in before
    if pinned:
        os.sched_setaffinity(0, {0})
    try:
        return subprocess.run([tool, "-1", "-r"], capture_output=True, text=True, timeout=60, check=True).stdout
    finally:
        if pinned:
            os.sched_setaffinity(0, before)


def test_this_machines_device_walk_has_the_keys_of_cpuid_1_r():
    """On the machine the tests run on: the walk over /dev/cpu/0/cpuid and the real `cpuid -1 -r`
    dump the same (leaf, subleaf) keys."""
    dev = Path("/dev/cpu/0/cpuid")
    tool = Path("/usr/bin/cpuid")
    if not tool.exists():
        pytest.skip("/usr/bin/cpuid is absent (Debian: apt-get install cpuid)")
    if not dev.exists():
        pytest.skip("/dev/cpu/0/cpuid is absent (the cpuid driver: modprobe cpuid)")
    try:
        walked = snapshot._read_cpuid_dev(dev, _io.Within(dev.parent)).cpu0()
    except PermissionError as err:
        pytest.skip(f"/dev/cpu/0/cpuid is unreadable: {err.strerror} (root only)")
    version = subprocess.run([str(tool), "--version"], capture_output=True, text=True, timeout=60).stdout.strip()
    tool_keys = set(cpuid_r.parse(_cpuid_on_cpu0(str(tool))).cpu0())
    assert sorted(set(walked) - tool_keys) == [] and sorted(tool_keys - set(walked)) == [], version
    assert len(walked) == len(tool_keys)


# --- the real cpuid binary on a stand-in device ---------------------------------------------

# An LD_PRELOAD library for `cpuid -k`: /dev/cpuid is absent, and /dev/cpu/0/cpuid answers each
# 16-byte read at the offset lseek64() set (cpuid.c real_get(): ``((off64_t)sub << 32) + reg``)
# from a table file, zeros for a row it lacks (the AMD rule; the table below is AMD's), and logs
# every read to stderr.
_SHIM = r"""
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

static unsigned table[4096][6];
static int rows = -1, dev_fd = -1;
static off64_t where;

int open64(const char *path, int flags, ...) {
    static int (*next)(const char *, int, ...);
    va_list ap;
    va_start(ap, flags);
    int mode = va_arg(ap, int);
    va_end(ap);
    if (!next) next = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, "open64");
    if (strcmp(path, "/dev/cpuid") == 0) { errno = ENOENT; return -1; }
    if (strcmp(path, "/dev/cpu/0/cpuid") != 0) return next(path, flags, mode);
    if (rows < 0) {
        FILE *f = fopen(getenv("CPUID_TABLE"), "r");
        rows = 0;
        while (f && rows < 4096 && fscanf(f, "%x %x %x %x %x %x", &table[rows][0], &table[rows][1],
               &table[rows][2], &table[rows][3], &table[rows][4], &table[rows][5]) == 6) rows++;
        if (f) fclose(f);
    }
    dev_fd = next("/dev/null", O_RDONLY);
    return dev_fd;
}

off64_t lseek64(int fd, off64_t offset, int whence) {
    static off64_t (*next)(int, off64_t, int);
    if (!next) next = (off64_t (*)(int, off64_t, int))dlsym(RTLD_NEXT, "lseek64");
    if (fd < 0 || fd != dev_fd) return next(fd, offset, whence);
    where = offset;
    return offset;
}

ssize_t read(int fd, void *buf, size_t count) {
    static ssize_t (*next)(int, void *, size_t);
    if (!next) next = (ssize_t (*)(int, void *, size_t))dlsym(RTLD_NEXT, "read");
    if (fd < 0 || fd != dev_fd || count != 16) return next(fd, buf, count);
    unsigned leaf = (unsigned)where, sub = (unsigned)(where >> 32);
    memset(buf, 0, 16);
    for (int i = 0; i < rows; i++)
        if (table[i][0] == leaf && table[i][1] == sub) { memcpy(buf, &table[i][2], 16); break; }
    fprintf(stderr, "probe %x %x\n", leaf, sub);
    where++;
    return 16;
}
"""


def _rule_table() -> Leaves:
    """The KVM-on-AMD capture with every subleaf rule of cpuid.c do_real() given something to do:
    leaf 2's AL of 3, 0xf/0x10/0x80000020 masks, the counted leaves, SGX sections, PCONFIG, V2
    topology, plain leaves with subleaves (0x1a, 0x1e, 0x24, 0x80000026), and four hypervisor
    bases: Hyper-V, KVM with EAX 0, Xen (base + 3 has subleaves), and an unknown signature
    claiming 0x101 leaves. No two consecutive subleaves are equal: `-k` would zero the second
    (real_get(): "older kernels do not support cpuid ecx control")."""
    t = _capture((DATA / "cpuid" / "kvm-amd-zen5.cpuid").read_text())
    t[(0, 0)] = (0x24,) + t[(0, 0)][1:]
    t[(0x2, 0)] = (0x3, 1, 2, 3)
    t[(0xF, 0)], t[(0xF, 1)] = (0, 0x10, 0, 0b10), (0, 1, 2, 3)
    t[(0x10, 0)] = (0, 0b1010_0110, 0, 0)
    t.update({(0x10, s): (s, s + 1, 0, 0) for s in (1, 2, 5, 7)})
    t.update({(0x12, s): (a, 0, 0, 0) for s, a in enumerate((1, 2, 0x41, 0x31, 0x10))})
    for leaf, n in ((0x14, 2), (0x17, 3), (0x18, 4), (0x1D, 1), (0x20, 2), (0x23, 3)):
        t[(leaf, 0)] = (n, 0x100 + leaf, 0, 0)
        t.update({(leaf, s): (s, leaf, s, 0) for s in range(1, n + 1)})
    t.update({(0x1B, 0): (1, 0, 0, 0), (0x1B, 1): (1, 5, 0, 0), (0x1B, 2): (0x2000, 0, 0, 0)})
    levels = ((1, 1, 0x100, 9), (4, 8, 0x201, 9), (6, 16, 0x502, 9), (0, 0, 3, 9))
    t.update({(0x1F, s): r for s, r in enumerate(levels)})
    for leaf in (0x1A, 0x1E, 0x21, 0x22, 0x24):
        t[(leaf, 0)], t[(leaf, 1)] = (leaf, 1, 1, 1), (leaf, 2, 2, 2)
    t[(0x80000000, 0)] = (0x80000026,) + t[(0x80000000, 0)][1:]
    t[(0x80000020, 0)] = (0, 0b1110, 0, 0)
    t.update({(0x80000020, s): (s, s, s, s) for s in (1, 2, 3)})
    t.update({(leaf, 0): (leaf & 0xFF, 0, 0, 0) for leaf in range(0x80000022, 0x80000026)})
    t.update({(0x80000026, s): r for s, r in enumerate(((1, 1, 0x100, 7), (4, 8, 0x201, 7), (0, 0, 2, 7)))})
    t[(0x40000000, 0)] = (0x40000006, _u32("Micr"), _u32("osof"), _u32("t Hv"))
    t.update({(leaf, 0): (leaf & 0xFF, 1, 0, 0) for leaf in range(0x40000001, 0x40000007)})
    t[(0x40000100, 0)] = (0, _u32("KVMK"), _u32("VMKV"), _u32("M\0\0\0"))
    t[(0x40000101, 0)] = (0x7EFB, 0, 0, 0)
    t[(0x40000200, 0)] = (0x40000205, _u32("XenV"), _u32("MMXe"), _u32("nVMM"))
    t.update({(leaf, 0): (leaf & 0xFF, 2, 0, 0) for leaf in range(0x40000201, 0x40000206)})
    t.update({(0x40000203, s): (0x30 + s, 0, 0, 0) for s in (1, 2, 3)})
    t[(0x40000300, 0)] = (0x40000401, _u32("bhyv"), _u32("e bh"), _u32("yve "))
    return t


def test_the_real_cpuid_binary_dumps_the_keys_the_walk_dumps(tmp_path):
    """`cpuid -1 -k -r` (Debian 12's 20230120) reading the stand-in device prints the keys the walk
    dumps from the same answers — leaf 2 repeated AL times, the mask and count rules, 0x80000026
    at subleaf 0 only, 0x1a/0x1e/0x24 at subleaf 0 only, Xen's base + 3 at subleaves 0..2, KVM's
    EAX of 0, the walk ending at the unknown base — and reads no key the walk does not but Xen's
    base + 3 subleaf 3 (cpuid.c reads it after printing subleaf 2, and prints nothing of it)."""
    tool = Path("/usr/bin/cpuid")
    if not tool.exists():
        pytest.skip("/usr/bin/cpuid is absent (Debian: apt-get install cpuid)")
    version = subprocess.run([str(tool), "--version"], capture_output=True, text=True, timeout=60).stdout.split()
    if version[-1:] != ["20230120"]:
        pytest.skip(f"the walk is checked against cpuid 20230120 (Debian 12), not {' '.join(version)}")
    gcc = next((p for p in ("/usr/bin/gcc", "/usr/bin/cc") if Path(p).exists()), None)
    if gcc is None:
        pytest.skip("no C compiler for the stand-in device (Debian: apt-get install gcc)")
    (tmp_path / "shim.c").write_text(_SHIM)
    subprocess.run([gcc, "-shared", "-fPIC", "-O1", "-o", str(tmp_path / "shim.so"), str(tmp_path / "shim.c"), "-ldl"],
                   check=True, capture_output=True, timeout=120)
    table = _rule_table()
    (tmp_path / "table").write_text("".join(f"{leaf:x} {sub:x} {a:x} {b:x} {c:x} {d:x}\n"
                                            for (leaf, sub), (a, b, c, d) in table.items()))
    env = {**os.environ, "LD_PRELOAD": str(tmp_path / "shim.so"), "CPUID_TABLE": str(tmp_path / "table")}
    res = subprocess.run([str(tool), "-1", "-k", "-r"], env=env, capture_output=True, text=True, timeout=60, check=True)
    printed = cpuid_r.parse(res.stdout).cpu0()
    read = {tuple(int(x, 16) for x in line.split()[1:])
            for line in res.stderr.splitlines() if line.startswith("probe ")}

    cpu = CaptureCpu(table)
    walked = snapshot.walk_cpuid(cpu)
    assert sorted(set(walked) - set(printed)) == [] and sorted(set(printed) - set(walked)) == []
    assert walked == printed
    assert read - set(cpu.probes) == {(0x40000203, 3)} and set(cpu.probes) - LINUX_BASES <= read
    # What the table was for: the rules reached.
    assert {(0x2, 2), (0x10, 7), (0x12, 4), (0x1F, 3), (0x80000020, 3), (0x40000203, 2), (0x40000300, 0)} <= set(walked)
    assert (0x80000026, 1) not in walked and (0x1A, 1) not in walked and (0x40000301, 0) not in walked
