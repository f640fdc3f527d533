"""Which format a blob is, decided from its content; and the artifacts each format yields.

Sniffers here are cheap byte checks with no heavy imports, so ``pvenum inspect x.dtb`` only
imports the one channel it needs. Each format names the module that decodes it; that module
provides ``load(data: bytes, path: str) -> list[Artifact]``, or — when it serves several formats
and must not re-detect (a forced ``--format``) — ``load_as(data, path, format_name)``.

An Artifact (see :class:`Artifact`) is one decoded thing: a DTB, one ACPI table, one CPUID
dump, a platform.toml. It knows its JSON form (the inspect contract, docs/contracts.md), its rich
rendering, its line-oriented text form (for ``git diff`` textconv) and what it contributes to
a :class:`~pvenum.platform.Platform`.
"""

from __future__ import annotations

import importlib
import os
import re
from dataclasses import dataclass

from .errors import FormatUnknown, PvenumError, UsageError
from .paste import QUOTE_LAYER

# typing and pathlib are not imported at run time (start-up: pvenum/_io.py); type checkers take
# TYPE_CHECKING = False as always true.
TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from pathlib import Path
    from typing import Any, Callable, Iterator, Protocol

    from . import _io
    from .platform import PlatformBuilder

    class Artifact(Protocol):
        format: str
        path: str

        def to_json(self) -> dict[str, Any]: ...

        def render(self, *, bits: bool = False) -> Any: ...

        def textconv(self) -> Iterator[str]: ...

        def contribute(self, builder: "PlatformBuilder") -> None: ...


@dataclass(frozen=True)
class OnDisk:
    """Where a file named otherwise lies: ``file`` on the disk, and ``tree``, the directory a git
    ``REV:path`` was written into (None for the user's own directory), which what the file reads
    beside it must not leave (pvenum.bundle.read_bundle, pvenum.target.load_target)."""

    file: str
    tree: str | None = None

    def shown_dir(self, path: str) -> str:
        """The directory of ``path``, the name the file is shown by: of a git stand-in at the
        top of its tree (``REV:name``), ``REV:``, git's name for that tree."""
        d = os.path.dirname(path)
        return d if d or self.tree is None else path[:path.find(":") + 1]


@dataclass(frozen=True)
class FormatSpec:
    name: str
    module: str
    sniff: Callable[[bytes, str], bool]
    description: str
    # A tool's text output as people paste it (pvenum.paste): its load_as takes ``strict``.
    pasted: bool = False

    def reads_beside(self, data: bytes) -> bool:
        """Whether ``data`` in this format names files beside it that loading reads (a scenario's
        ``base``, a DTS's ``/include/``s): its module's ``names_beside(data)``."""
        names_beside = getattr(importlib.import_module(self.module), "names_beside", None)
        return names_beside is not None and bool(names_beside(data))

    def load(self, data: bytes, path: str, *, strict: bool = False, on_disk: OnDisk | None = None) -> list[Artifact]:
        """``on_disk``: where the file lies, when ``path`` only names it (OnDisk). A format whose
        module has ``names_beside`` (a DTS's includes, a scenario's base) finds those files
        beside ``on_disk.file``, which differs from ``path`` in a git ``REV:path`` unpacked into
        a temporary directory; every message and artifact still names ``path``."""
        mod = importlib.import_module(self.module)
        extra = {"on_disk": on_disk} if on_disk is not None and hasattr(mod, "names_beside") else {}
        try:
            # A module serving several formats may take the decided format (load_as) so a
            # forced --format is honoured instead of re-detected. ``strict`` (refuse pasted
            # quoting and prose) means something to pasted formats only; the rest read as ever.
            load_as = getattr(mod, "load_as", None)
            if load_as is not None:
                if strict and self.pasted:
                    return list(load_as(data, path, self.name, strict=True, **extra))
                return list(load_as(data, path, self.name, **extra))
            return list(mod.load(data, path, **extra))
        except PvenumError as err:
            raise err.with_path(path)


# The bytes file(1) never counts as text (file/file src/encoding.c, text_chars[], the F
# entries): NUL, the C0 controls other than BEL BS HT LF VT FF CR ESC, and DEL. Any other byte,
# 0x80-0xFF included (ISO-8859 and non-ISO extended text), may stand in a text file.
_NOT_TEXT = frozenset([*range(0x00, 0x07), *range(0x0E, 0x1B), *range(0x1C, 0x20), 0x7F])
_TEXT_BYTES = bytes(b for b in range(256) if b not in _NOT_TEXT)


def _looks_text(head: bytes) -> bool:
    """Whether ``head`` is text by file(1)'s rule (encoding.c looks_extended): no byte above."""
    return not head.translate(None, _TEXT_BYTES)


def _text_head(data: bytes, n: int = 4096, *, any_bytes: bool = False) -> str | None:
    """The first ``n`` bytes as text for a sniffer; None when they are not text. UTF-8 only,
    unless ``any_bytes``: for formats read as bytes whose data are ASCII tokens (dtc's lexer,
    cpuid -f, acpidump's hex columns, AIDA64's code-page reports), text with bytes that are not
    UTF-8 (a Latin-1 comment, a mangled ASCII column) is text too, those bytes kept as lone
    surrogates (surrogateescape) that no sniffer's ASCII pattern matches. JSON and TOML must
    be UTF-8 (RFC 8259 8.1, TOML 1.0.0), so their sniffers keep the default."""
    head = data[:n]
    if b"\x00" in head:
        return None
    try:
        return head.decode("utf-8")
    except UnicodeDecodeError:
        # A multi-byte character may be cut at the window's edge.
        try:
            return head[:-3].decode("utf-8")
        except UnicodeDecodeError:
            pass
    if any_bytes and _looks_text(head):
        return head.decode("utf-8", "surrogateescape")
    return None


_SIG_CHARS = re.compile(rb"^[A-Z0-9_!]{4}$")
# Signatures common enough that a file starting with one is a table even when its Length is
# damaged (so the reader reports the damage with an offset instead of "not recognised").
_KNOWN_SIGS = frozenset(
    b"APIC BERT BGRT CCEL CEDT CPEP DBG2 DBGP DMAR DRTM DSDT ECDT EINJ ERST FACP FACS FPDT GTDT "
    b"HEST HMAT HPET IORT IVRS KEYP LPIT MCFG MPST MSCT NFIT OEM0 OSDT PCCT PHAT PMTT PPTT PRMT PVSR "
    b"RASF RGRT RHCT RSDT S3PT SBST SDEI SDEV SLIC SLIT SPCR SPMI SRAT SSDT STAO SVKL TCPA TDEL TPM2 "
    b"UEFI VIOT WAET WDAT WDRT WPBT WSMT XENV XSDT".split()
)


def _is_acpi_table(data: bytes, name: str) -> bool:
    # Text is no table, whatever letters it begins with (acpidump text begins "RSD PTR @" or
    # "FACP @"): a table's header holds a NUL (a Length under 16 MiB has one), which file(1)'s
    # text never does; and acpidump text with a stray control byte is still acpidump.
    if _looks_text(data[:4096]) or _is_acpidump(data, name):
        return False
    if data.startswith(b"RSD PTR "):
        return True
    if len(data) < 8 or not _SIG_CHARS.match(data[:4]):
        return False
    length = int.from_bytes(data[4:8], "little")
    # Printable bytes where Length sits mean text ("MCFG @ 0x..." starts acpidump output);
    # a real Length that large (>= 0x20202020) does not occur.
    printable_length = all(0x20 <= b < 0x7F for b in data[4:8])
    if data[:4] in _KNOWN_SIGS and not printable_length and (len(data) >= 36 or data[:4] == b"FACS"):
        return True
    if len(data) < 36 and data[:4] != b"FACS":
        return False
    # Any other 4-character signature: the file must hold exactly the table, as sysfs,
    # acpidump -b and acpixtract write it.
    return length == len(data) or (data[:4] == b"FACS" and 0 < length <= len(data))


# A row may be quoted or commented as pasted into a mail or a bug report, in the layers the
# readers remove (pvenum.paste). Possessive (*+): a long run of markers is matched once, never
# re-split (linear time).
_PASTE_PREFIX = QUOTE_LAYER + "*+"
# Sniffers search many lines at once (re.M): a line's leading blanks are spaces and tabs only,
# since "^\s*" would cross newlines and make a file of blank lines quadratic to scan.
_ACPIDUMP_HEADER = re.compile(r"^" + _PASTE_PREFIX + r"[ \t]*[A-Za-z0-9_!][A-Za-z0-9_! ]{3}\d*\s+@\s+0x[0-9A-Fa-f]+[ \t\r]*$", re.M)
_ACPIDUMP_ROW = re.compile(r"^" + _PASTE_PREFIX + r"[ \t]*[0-9A-Fa-f]{4,8}:\s+(?:[0-9A-Fa-f]{2}\s+){1,16}", re.M)


def _is_acpidump(data: bytes, name: str) -> bool:
    text = _text_head(data, 16384, any_bytes=True)
    return bool(text and _ACPIDUMP_HEADER.search(text) and _ACPIDUMP_ROW.search(text))


_CPUID_ROW = re.compile(r"^" + _PASTE_PREFIX + r"[ \t]*0x[0-9a-fA-F]{8}[ \t]+0x[0-9a-fA-F]{2,8}:[ \t]+eax=0x", re.M)


def _is_cpuid_r(data: bytes, name: str) -> bool:
    text = _text_head(data, 16384, any_bytes=True)
    return bool(text and _CPUID_ROW.search(text))


# AIDA64 / EVEREST "CPUID" reports (InstLatx64's collection): "CPUID 00000001: EAX-EBX-ECX-EDX".
_AIDA64_ROW = re.compile(r"^CPUID [0-9A-F]{8}(?:[ \t]*:[ \t]*|[ \t]+)[0-9A-F]{8}[- ][0-9A-F]{8}[- ][0-9A-F]{8}[- ][0-9A-F]{8}",
                         re.M)


def _is_aida64(data: bytes, name: str) -> bool:
    text = _text_head(data, 16384, any_bytes=True)
    return bool(text and _AIDA64_ROW.search(text))


def _is_kvm_cpuid2(data: bytes, name: str) -> bool:
    if len(data) < 8 or (len(data) - 8) % 40:
        return False
    nent = int.from_bytes(data[:4], "little")
    return nent == (len(data) - 8) // 40 and nent > 0 and data[4:8] == b"\0\0\0\0"


def _is_json_with(*keys: str) -> Callable[[bytes, str], bool]:
    def sniff(data: bytes, name: str) -> bool:
        text = _text_head(data)
        if not text or not text.lstrip().startswith("{"):
            return False
        return any(f'"{k}"' in text for k in keys)

    return sniff


def _toml_kind(data: bytes) -> str | None:
    text = _text_head(data, 65536)
    if text is None:
        return None
    m = re.search(r'^[ \t]*format\s*=\s*"([a-z0-9/_.-]+)"', text, re.M)
    if m:
        return m.group(1).split("/")[0]
    if re.search(r"^[ \t]*\[scenario\]", text, re.M):
        return "pvenum-scenario"
    if re.search(r'^[ \t]*arch\s*=\s*"', text, re.M) or re.search(r"^[ \t]*\[(msr|snp|smccc)\]", text, re.M):
        return "pvenum-platform"
    return None


def _is_toml(kind: str) -> Callable[[bytes, str], bool]:
    return lambda data, name: _toml_kind(data) == kind


def _is_dts(data: bytes, name: str) -> bool:
    text = _text_head(data, any_bytes=True)
    return bool(text and re.search(r"^[ \t]*/dts-v1/\s*;", text, re.M))


# Order matters only where two sniffers could both match; binary magics come first.
FORMATS: list[FormatSpec] = [
    FormatSpec("dtb", "pvenum.fdt.artifact", lambda d, n: d[:4] == b"\xd0\x0d\xfe\xed",
               "flattened devicetree blob (dtc -O dtb, QEMU dumpdtb, /sys/firmware/fdt)"),
    FormatSpec("acpi-table", "pvenum.acpi.artifact", _is_acpi_table,
               "one binary ACPI table (acpidump -b, acpixtract .dat, /sys/firmware/acpi/tables/*)"),
    FormatSpec("kvm_cpuid2", "pvenum.cpuid.artifact", _is_kvm_cpuid2,
               "KVM struct kvm_cpuid2 (KVM_GET_SUPPORTED_CPUID / KVM_SET_CPUID2 buffer)"),
    FormatSpec("acpidump", "pvenum.acpi.artifact", _is_acpidump,
               "acpidump text (one object per table)", pasted=True),
    FormatSpec("cpuid-r", "pvenum.cpuid.artifact", _is_cpuid_r,
               "Todd Allen's cpuid -r / -1 -r text", pasted=True),
    FormatSpec("cpuid-aida64", "pvenum.cpuid.artifact", _is_aida64,
               "AIDA64/EVEREST CPUID report (InstLatx64's collection)"),
    FormatSpec("firecracker-fingerprint", "pvenum.cpuid.artifact", _is_json_with("guest_cpu_config"),
               "Firecracker cpu-template-helper fingerprint dump (host facts + guest CPU config)"),
    FormatSpec("firecracker-template", "pvenum.cpuid.artifact",
               _is_json_with("cpuid_modifiers", "msr_modifiers", "kvm_capabilities"),
               "Firecracker custom CPU template JSON"),
    FormatSpec("cpuid-toml", "pvenum.cpuid.artifact", _is_toml("pvenum-cpuid"),
               "pvenum's CPUID TOML"),
    FormatSpec("platform-toml", "pvenum.platform_toml", _is_toml("pvenum-platform"),
               "bundle platform.toml (arch, MSRs, SNP secrets page, SMCCC answers)"),
    FormatSpec("scenario-toml", "pvenum.scenario.artifact", _is_toml("pvenum-scenario"),
               "pvenum scenario TOML"),
    FormatSpec("dts", "pvenum.fdt.artifact", _is_dts, "devicetree source (read through dtc)"),
    # A directory, not file content: load_path recognises it (see _is_dt_fs_dir).
    FormatSpec("dt-fs", "pvenum.fdt.artifact", lambda d, n: False,
               "unflattened devicetree directory (/proc/device-tree, /sys/firmware/devicetree/base)"),
]

FORMATS_BY_NAME = {f.name: f for f in FORMATS}


def posix_label(path: str | os.PathLike[str]) -> str:
    """``path`` as pathlib spells it (str(PurePosixPath(path))), the name every artifact is
    labelled with: empty and "." parts dropped, ".." kept (a symlink may stand before it), a
    leading "//" kept as POSIX allows. Without pathlib, which reading a file does not import."""
    path = os.fspath(path)
    lead = "//" if path.startswith("//") and not path.startswith("///") else "/" if path.startswith("/") else ""
    return lead + "/".join(p for p in path.split("/") if p and p != ".") or "."


def _base_name(name: str | os.PathLike[str]) -> str:
    """The last part of ``name``, as pathlib's ``.name`` gives it (a trailing "/" ignored)."""
    return os.path.basename(os.fspath(name).rstrip("/"))


def detect(data: bytes, name: str | os.PathLike[str] = "") -> FormatSpec | None:
    base = _base_name(name)
    if base == "platform.toml" and _toml_kind(data) in (None, "pvenum-platform"):
        return FORMATS_BY_NAME["platform-toml"]
    for spec in FORMATS:
        try:
            if spec.sniff(data, base):
                return spec
        except Exception:  # a sniffer must never decide a crash; treat as "not this format"
            continue
    return None


def forced(fmt: str) -> FormatSpec:
    """The spec of a format named on the command line (--format)."""
    spec = FORMATS_BY_NAME.get(fmt)
    if spec is None:
        raise UsageError(f"unknown format {fmt!r}; known: {', '.join(FORMATS_BY_NAME)}")
    return spec


# struct kvm_cpuid2 { __u32 nent; __u32 padding; struct kvm_cpuid_entry2 entries[]; } with
# KVM_MAX_CPUID_ENTRIES 256 (torvalds/linux arch/x86/include/uapi/asm/kvm.h,
# arch/x86/kvm/cpuid.h, v6.12): a plausible header whose entries are cut short.
_KVM_MAX_CPUID_ENTRIES = 256


def near_miss(data: bytes, name: str | os.PathLike[str] = "") -> FormatSpec | None:
    """A file that is not whole but whose start says what it is: a known ACPI signature
    shorter than the 36-byte header, a kvm_cpuid2 header whose entries are cut. Its reader
    then names the offset where it falls short, instead of "content not recognised". A
    short file that is text by file(1)'s rule (``FACP\n``, ``DSDT notes``) is a note, not a
    cut table: as :func:`_is_acpi_table` says of text, whatever letters it begins with."""
    if data[:4] in _KNOWN_SIGS and len(data) < 36 and not _looks_text(data):
        return FORMATS_BY_NAME["acpi-table"]
    if 8 <= len(data) and data[4:8] == b"\0\0\0\0":
        nent = int.from_bytes(data[:4], "little")
        if 0 < nent <= _KVM_MAX_CPUID_ENTRIES and len(data) < 8 + 40 * nent and (
                (len(data) - 8) % 40 or os.path.splitext(_base_name(name))[1] == ".kvm"):
            return FORMATS_BY_NAME["kvm_cpuid2"]
    return None


def load_bytes(data: bytes, path: str, *, fmt: str | None = None, strict: bool = False,
               on_disk: OnDisk | None = None) -> list[Artifact]:
    """``on_disk``: where the file lies when ``path`` only names it (FormatSpec.load)."""
    spec = forced(fmt) if fmt else (detect(data, path) or near_miss(data, path))
    if spec is None:
        raise FormatUnknown("content not recognised as any format pvenum reads", path=path)
    return spec.load(data, path, strict=strict, on_disk=on_disk)


def _is_dt_fs_dir(p: str | os.PathLike[str]) -> bool:
    # The root of an unflattened devicetree has #address-cells/#size-cells as files.
    return os.path.isfile(os.path.join(p, "#address-cells")) or os.path.isfile(os.path.join(p, "#size-cells"))


def read_in_walk(f: str | os.PathLike[str], *, within: _io.Within, stored: bool = False) -> bytes | None:
    """A file met walking a directory, as read_input() reads it (``stored``: as stored, gzip
    not inflated, what pvenum.target.load_target's ``files`` takes); None for a file over the input
    limit that is not an artifact (a kernel image or disk file beside the captures, which audit
    also passes by): the walk goes on without it. ``within``: the walked directory, which the
    file opened must lie in (pvenum._io.Within; a walk meets only regular files, so only one is
    read); opened once, and what is checked is what is read."""
    from . import _io

    fd = _io.open_input(f, regular=True, within=within)
    try:
        # Asked first (an fstat): reading a big file to the limit just to learn it is over
        # would cost that much memory and time for nothing.
        if _unrelated_big_file(fd, f):
            return None
        data = _io.read_open(fd, f)
    finally:
        os.close(fd)
    return data if stored else _io.inflate(data, os.fspath(f))


def _unrelated_big_file(fd: int, f: str | os.PathLike[str]) -> bool:
    """A file over the input limit whose start no reader recognises (sniffers look at no more
    than their first 64 KiB): not an artifact, so a directory's walk passes it by. One that
    starts like an artifact is still an error, as is a gzip stream (it may inflate to one)."""
    from . import _io

    try:
        if os.fstat(fd).st_size <= _io.MAX_INPUT_BYTES:
            return False  # within the limit as stored: the limit was met inflating it
        head = os.pread(fd, 65536, 0)  # at offset 0, leaving the file's own offset where it is
    except OSError:
        return False
    return head[:2] != _io.GZIP_MAGIC and detect(head, os.fspath(f)) is None


def load_path(path: str | Path, *, fmt: str | None = None, skip_unknown: bool | None = None,
              strict: bool = False, tree: str | None = None,
              refused: Callable[[PvenumError], None] | None = None) -> Iterator[Artifact]:
    """Artifacts from a file, or from every recognised file under a directory (recursing).

    Inside a directory, unrecognised files are skipped (a sysfs tree has many); a single
    file that is not recognised is an error. ``tree``: the git tree ``path`` was unpacked into,
    which what the files read beside them must not leave (OnDisk).

    A directory's walk reads only inside it, as recursive tools do: GNU grep -r follows "symbolic
    links only if they are on the command line" (grep(1), -r), find(1) -P never. Links that stay
    inside are read, as in a bundle (pvenum.bundle); a file or directory a link leads out to is
    not read: its :class:`pvenum._io.LeadsOut` goes to ``refused`` and the walk goes on (None:
    it is raised). A file named itself, link or not, is read wherever it is.
    """
    from . import _io

    p = posix_label(path)
    forced_spec = forced(fmt) if fmt else None
    is_dir = os.path.isdir(p)
    if is_dir and fmt in (None, "dt-fs") and _is_dt_fs_dir(p):
        yield from importlib.import_module(FORMATS_BY_NAME["dt-fs"].module).load_fs(p)
        return
    if is_dir:
        if skip_unknown is None:
            skip_unknown = True
        inside = _io.Within(p)
        for f in walk_inside(inside, p, refused):
            data = read_walked(f, inside, refused, skip_big=forced_spec is None and skip_unknown)
            if not data:
                continue
            spec = forced_spec or detect(data, f)
            if spec is None:
                if skip_unknown:
                    continue
                raise FormatUnknown("content not recognised as any format pvenum reads", path=f)
            yield from spec.load(data, f, strict=strict, on_disk=OnDisk(f, tree) if tree is not None else None)
    else:
        yield from load_bytes(_io.read_input(p), p, fmt=fmt, strict=strict,
                              on_disk=OnDisk(p, tree) if tree is not None else None)


def walk_inside(inside: _io.Within, root: str | os.PathLike[str],
                refused: Callable[[PvenumError], None] | None = None) -> Iterator[str]:
    """The files under ``root`` as :func:`load_path` walks them: a symlink leading out of
    ``inside`` is not followed, its LeadsOut handed to ``refused`` (None: raised). Read each
    with ``within=inside`` (pvenum._io.read_input, :func:`read_in_walk`)."""
    from . import _io

    return (f for _, f in _io.iter_file_names(root, within=inside, refused=refused))


def read_walked(f: str | os.PathLike[str], inside: _io.Within, refused: Callable[[PvenumError], None] | None,
                *, skip_big: bool = True, stored: bool = False) -> bytes | None:
    """A file :func:`walk_inside` met, read inside ``inside`` (gzip inflated, unless
    ``stored``); None for a link swapped in after the walk looked (its LeadsOut handed to
    ``refused``; None: raised) and, with ``skip_big``, for a big file that is not an artifact
    (:func:`read_in_walk`)."""
    from . import _io

    try:
        if skip_big:
            return read_in_walk(f, within=inside, stored=stored)
        read = _io.read_bytes if stored else _io.read_input
        return read(f, regular=True, within=inside)
    except _io.LeadsOut as err:
        if refused is None:
            raise
        refused(err)
        return None
