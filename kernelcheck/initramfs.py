"""A tiny initramfs: static busybox from Debian's busybox-static package plus our init.

Written as a "newc" cpio archive (the format the kernel unpacks: linux
Documentation/driver-api/early-userspace/buffer-format.rst), built here so no cpio tool is
needed. Deterministic: fixed mtimes, uid/gid 0, entries in a fixed order.
"""

from __future__ import annotations

import gzip
from pathlib import Path

_MAGIC = b"070701"


def _entry(name: str, mode: int, data: bytes, ino: int) -> bytes:
    fields = [ino, mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(name) + 1, 0]
    head = _MAGIC + b"".join(f"{v:08x}".encode() for v in fields)
    out = head + name.encode() + b"\0"
    out += b"\0" * (-len(out) % 4)
    out += data
    out += b"\0" * (-len(out) % 4)
    return out


def build(busybox: Path, init: Path, extra: dict[str, Path] | None = None) -> bytes:
    """gzip'd newc archive with /bin/busybox, /init and ``extra`` (archive path -> file)."""
    parts = [
        _entry("bin", 0o040755, b"", 1),
        _entry("bin/busybox", 0o100755, busybox.read_bytes(), 2),
        _entry("init", 0o100755, init.read_bytes(), 3),
    ]
    for i, (name, path) in enumerate(sorted((extra or {}).items()), start=4):
        parts.append(_entry(name, 0o100755, path.read_bytes(), i))
    parts.append(_entry("TRAILER!!!", 0, b"", 0))
    return gzip.compress(b"".join(parts), mtime=0)
