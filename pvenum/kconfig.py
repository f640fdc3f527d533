"""A kernel's build configuration (the ``.config`` Kconfig writes), read to tell the ``linux`` model
which guest support the kernel it mirrors was built with.

The format is the one torvalds/linux scripts/kconfig/confdata.c writes (conf_write()) and reads
(conf_read_simple(), read in v7.2.8): ``CONFIG_NAME=value`` for a set option (``y``, ``m``, a
quoted string or a number), ``# CONFIG_NAME is not set`` for a bool or tristate option set to n,
other ``#`` lines as comments; an option missing from the file is not set either (it was not
visible, so n). As conf_read_simple() does, a later line for the same option overrides an earlier
one. Unlike it, a line that is none of these is an error here, not a warning: pvenum reads a
config to decide what a kernel does, and a file it cannot read whole would decide wrongly.

The header Kconfig writes (``# Linux/x86 6.1.176 Kernel Configuration``) gives the kernel's
architecture and version, which the model checks against the release it mirrors.
``/proc/config.gz`` (CONFIG_IKCONFIG_PROC) is gzip-compressed: read_kconfig() inflates it,
bounded like every input.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Mapping

from ._io import read_input
from .errors import LimitError, ParseError

FORMAT = "kconfig"
# A distribution's config is 250-400 KiB; bound what is read (and what a .gz inflates to) well above.
MAX_CONFIG_BYTES = 8 * 1024 * 1024
_NAME = r"[A-Za-z0-9_]+"  # conf_read_simple(): the symbol name runs to '=' / ' is not set'
_SET = re.compile(rf"CONFIG_({_NAME})=(.*)")
_NOT_SET = re.compile(rf"# CONFIG_({_NAME}) is not set")
_HEADER = re.compile(r"# Linux/(\S+) (\S+) Kernel Configuration")
_TRISTATE = {"y", "m", "n"}
_NUMBER = re.compile(r"-?[0-9]+|0[xX][0-9A-Fa-f]+")
# conf_write() writes "# CONFIG_X is not set" for n; "=n" is what a hand edit writes, and
# conf_read_simple() takes it as n too (sym_set_string_value() of a tristate).
NOT_SET = "n"
# The file of a bundle that holds its guest kernel's configuration (`pvenum snapshot` writes it;
# pvenum.bundle reads it for the linux models).
BUNDLE_NAME = "kernel.config"


@dataclass(frozen=True)
class KernelConfig:
    """The options a kernel was built with, each as its ``.config`` spells the value (``y``,
    ``m``, ``"text"``, ``0x10``); an option set to n or missing is not in :attr:`options`."""

    options: Mapping[str, str]  # option name without CONFIG_ -> value as written
    path: str = "<kernel config>"  # where it was read from, for evidence
    arch: str | None = None  # the header's SRCARCH ("x86", "arm64"), when the header is there
    version: str | None = None  # the header's kernel version ("6.1.176")
    sha256: str = ""  # of the bytes read (inflated): what a fleet audit keys a capture's config by
    # Values derived from this config and kept with it (the linux model's evidence row per option).
    memo: dict = field(default_factory=dict, compare=False, repr=False)

    def value(self, option: str) -> str:
        """``y``, ``m``, a string or a number as written, or ``n`` when not set."""
        return self.options.get(option, NOT_SET)

    def is_set(self, option: str) -> bool:
        """Built in or as a module: the code exists in the running kernel once the module loads."""
        return self.value(option) != NOT_SET

    def to_json(self) -> dict[str, str | None]:
        """Which configuration, for reports: where it was read, its header, its bytes' SHA-256."""
        return {"path": self.path, "arch": self.arch, "version": self.version, "sha256": self.sha256}

    def header_text(self) -> str:
        """What its Kconfig header says: ``Linux/x86 6.18.44`` (or that it has none)."""
        return f"Linux/{self.arch} {self.version}" if self.arch else "no Kconfig header"

    def describe(self) -> str:
        """Where it came from and what its header says: ``kernel.config (Linux/x86 6.18.44)``."""
        return f"{self.path} ({self.header_text()})"

    def label(self) -> str:
        """One line for a table row, without the path (rows of one report name different files):
        ``Linux/x86 6.18.44, sha256 1a2b3c4d5e6f`` — the hash tells two builds of one version apart."""
        return f"{self.header_text()}, sha256 {self.sha256[:12]}" if self.sha256 else self.header_text()

    def release(self) -> tuple[int, int] | None:
        """The header's ``major.minor``, or None."""
        m = re.match(r"(\d+)\.(\d+)", self.version or "")
        return (int(m.group(1)), int(m.group(2))) if m else None


def parse_kconfig(data: bytes, path: str | None = None) -> KernelConfig:
    """A ``.config`` file's bytes (already inflated) as a :class:`KernelConfig`; ParseError (with the
    line's byte offset) for anything conf_read_simple() would not take as a config line; a
    LimitError past :data:`MAX_CONFIG_BYTES`, wherever the bytes come from (a file, a bundle)."""
    if len(data) > MAX_CONFIG_BYTES:
        raise LimitError(FORMAT, f"larger than the {MAX_CONFIG_BYTES}-byte limit for a kernel configuration",
                         offset=MAX_CONFIG_BYTES, path=path)
    if b"\0" in data:
        raise ParseError(FORMAT, "a NUL byte: not a text file", offset=data.index(b"\0"), path=path)
    options: dict[str, str] = {}
    arch = version = None
    seen_option = False
    start = 0  # each line's byte offset: one pass over the bytes, each line decoded once
    for number, raw in enumerate(data.split(b"\n"), 1):
        try:
            line = raw.decode("utf-8").rstrip("\r")
        except UnicodeDecodeError as err:
            raise ParseError(FORMAT, "not UTF-8 text", offset=start + err.start, path=path) from None
        where, start = start, start + len(raw) + 1
        if not line.strip():
            continue
        if line.startswith("#"):
            m = _NOT_SET.fullmatch(line)
            if m:
                options.pop(m.group(1), None)
                seen_option = True
            elif not seen_option and arch is None:
                h = _HEADER.fullmatch(line)
                if h:
                    arch, version = h.group(1), h.group(2)
            continue
        m = _SET.fullmatch(line)
        if m is None:
            raise ParseError(FORMAT, f"line {number}: expected CONFIG_NAME=value, '# CONFIG_NAME is not set' or a "
                             f"comment, found {line[:60]!r}", offset=where, path=path)
        name, value = m.group(1), m.group(2)
        if not (value in _TRISTATE or _NUMBER.fullmatch(value) or _quoted(value)):
            raise ParseError(FORMAT, f"line {number}: CONFIG_{name}: value {value[:60]!r} is not y, m, n, a number "
                             "or a quoted string", offset=where, path=path)
        seen_option = True
        if value == NOT_SET:
            options.pop(name, None)
        else:
            options[name] = value
    if not seen_option:
        raise ParseError(FORMAT, "no CONFIG_ line: not a kernel configuration", offset=0, path=path)
    import hashlib  # here: the models import this module on every run, most with no config

    return KernelConfig(options, path or KernelConfig.path, arch, version, hashlib.sha256(data).hexdigest())


def _quoted(value: str) -> bool:
    """A string value as conf_write() quotes it: in double quotes, with \\" and \\\\ escaped."""
    return len(value) >= 2 and value[0] == value[-1] == '"' and re.fullmatch(r'(?:[^"\\]|\\.)*', value[1:-1]) is not None


def read_kconfig(path: str | os.PathLike[str]) -> KernelConfig:
    """A kernel config file (``/boot/config-*``, a build's ``.config``, ``/proc/config.gz``)."""
    name = os.fspath(path)
    return parse_kconfig(read_input(name, limit=MAX_CONFIG_BYTES), name)
