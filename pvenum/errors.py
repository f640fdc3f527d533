"""The error family every pvenum reader and writer raises.

The CLI turns any :class:`PvenumError` into one line,
``pvenum: error: FILE: FORMAT at offset 0xNN: what is wrong``, and exits with
:attr:`PvenumError.exit_code`: 3 for unreadable or malformed input, 2 for a
:class:`UsageError` (an unknown name, a nonexistent path, nothing usable given). Exit 1
means "differences or validation failures found" and is not an error. The whole contract is
written once, in ``pvenum/cli.py`` (``exit_status``).
"""

from __future__ import annotations

import re

EXIT_DIFFERENCES = 1
EXIT_USAGE = 2
EXIT_ERROR = 3


def _escape(ch: str) -> str:
    # Bytes from a blob reach messages decoded as Latin-1 (a signature, a name) or as
    # surrogate escapes; show them as \xNN, never as raw bytes on the user's terminal.
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # the surrogate escape of byte code - 0xDC00
        return f"\\x{code - 0xDC00:02x}"
    if code < 0x20 or 0x7F <= code <= 0xFF:
        return f"\\x{code:02x}"
    return "\\ufffd" if ch == "\ufffd" else ch


# The longest message printed whole, counted as printed (a raw byte prints as four
# characters): a hostile blob can put a megabyte into a value that an error quotes; its head
# and tail are kept (where the reader and the offset are named).
MESSAGE_MAX, _HEAD, _TAIL = 1000, 700, 200


def _fitting(parts: list[str], room: int) -> int:
    """How many of ``parts`` fit, from the first, in ``room`` characters."""
    n = 0
    for part in parts:
        room -= len(part)
        if room < 0:
            break
        n += 1
    return n


def _one_line(text: str) -> str:
    # A message is printed on one line whatever a hostile blob put in it, and raw bytes are
    # escaped (typographic characters above U+00FF, such as "—" or "×", stay as they are).
    parts = [_escape(c) for c in " ".join(str(text).split())]
    if sum(map(len, parts)) > MESSAGE_MAX:  # cut between escapes, never inside one
        head, tail = _fitting(parts, _HEAD), _fitting(parts[::-1], _TAIL)
        hidden = len(parts) - head - tail
        return f"{''.join(parts[:head])} … ({hidden} characters not shown) … {''.join(parts[len(parts) - tail:])}"
    return "".join(parts)


def _path_text(path: str) -> str:
    # A file name is the user's own text (accents stay), but a control character in it would
    # break the one-line message or drive the terminal.
    return "".join(f"\\x{ord(c):02x}" if ord(c) < 0x20 or ord(c) == 0x7F else c for c in path)


class PvenumError(Exception):
    """Base class: something pvenum cannot do with the input it was given."""

    exit_code = EXIT_ERROR

    def __init__(self, message: str, *, path: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path

    @property
    def message(self) -> str:
        return self._message

    @message.setter
    def message(self, text: str) -> None:
        # Every message, however it is made or amended later (a checkout's REV:path put in,
        # a label put before it), is one line with raw bytes escaped.
        self._message = _one_line(text)

    def with_path(self, path: str) -> "PvenumError":
        """Name the file this error came from, unless a deeper reader already did."""
        if self.path is None:
            self.path = path
        return self

    def shown_as(self, real: str, shown: str) -> "PvenumError":
        """Name ``shown`` wherever this error names ``real`` or the path it resolves to: a
        checkout in a temporary directory named as the user named it (git ``REV:path``)."""
        from os.path import realpath  # (os.path is loaded at start-up anyway)

        # The longer spelling first (the resolved path may hold ``real`` inside it); what lies
        # under the top of a git tree, "REV:", is "REV:name", as git spells it.
        for p in sorted({real, realpath(real)}, key=len, reverse=True):
            for prefix in ((p + "/", p) if shown.endswith(":") else (p,)):
                self.message = self.message.replace(prefix, shown)
                if self.path:
                    self.path = self.path.replace(prefix, shown)
        return self

    def __str__(self) -> str:
        prefix = f"{_path_text(self.path)}: " if self.path else ""
        return f"{prefix}{self.message}"


class UsageError(PvenumError):
    """What was asked cannot be done as asked: an unknown name or format, a nonexistent path,
    nothing usable given. Exit 2, like a mistyped option."""

    exit_code = EXIT_USAGE


class NotFound(UsageError):
    """A path (or name) that does not exist."""


class ParseError(PvenumError):
    """Malformed or hostile input: names the format, the byte offset and what is wrong."""

    def __init__(
        self,
        fmt: str,
        message: str,
        *,
        offset: int | None = None,
        path: str | None = None,
        field: str | None = None,
    ) -> None:
        super().__init__(message, path=path)
        self.fmt = fmt
        self.offset = offset
        self.field = field

    def __str__(self) -> str:
        where = f" at offset 0x{self.offset:02x}" if self.offset is not None else ""
        what = f"{self.field}: {self.message}" if self.field else self.message
        prefix = f"{_path_text(self.path)}: " if self.path else "<input>: "
        return f"{prefix}{self.fmt}{where}: {what}"


class LimitError(ParseError):
    """Input that is well formed but exceeds a resource cap (depth, count, size)."""


class FormatUnknown(PvenumError):
    """No reader recognises the content."""


class ScenarioError(PvenumError):
    """A scenario or platform.toml that does not describe a platform; names the key:
    ``FILE: scenario at override.acpi."FACP.HypervisorId": what is wrong`` (the key written as
    TOML would address it)."""

    def __init__(self, message: str, *, key: str | None = None, path: str | None = None,
                 fmt: str = "scenario") -> None:
        self.detail = _one_line(message)
        self.key = key
        self.fmt = fmt
        super().__init__(self._compose(), path=path)

    def _compose(self) -> str:
        return f"{self.fmt} at {toml_key(self.key)}: {self.detail}" if self.key else self.detail

    def under(self, key: str) -> "ScenarioError":
        """This error with its key moved under ``key`` (a record's own "isolation" checked inside
        [services] is "services.isolation"): the detail and format kept, never re-parsed."""
        return ScenarioError(self.detail, key=f"{key}.{self.key}" if self.key else key, path=self.path, fmt=self.fmt)

    def with_format(self, fmt: str) -> "ScenarioError":
        """Name the kind of file (``platform.toml``) the key is in, unless already named."""
        if self.fmt == "scenario":
            self.fmt = fmt
            self.message = self._compose()
        return self


_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
# Tables whose keys are free-form strings ("0x1.3", "/psci:method", "FACP.HypervisorId"): the
# part after them is one TOML key, quoted when it is not bare.
_STRING_KEYED = ("override.cpuid.", "override.msr.", "override.smccc.", "override.dt.", "override.acpi.",
                 "msr.", "smccc.")


def toml_key(key: str) -> str:
    """``override.acpi.FACP.HypervisorId`` → ``override.acpi."FACP.HypervisorId"``."""
    for prefix in _STRING_KEYED:
        if key.startswith(prefix):
            rest = key[len(prefix):]
            head, sep, tail = rest.partition("[")  # keep an index suffix ("...[0]") outside the quotes
            if _BARE_KEY.match(head):
                return key
            quoted = '"' + head.replace("\\", "\\\\").replace('"', '\\"') + '"'
            return prefix + quoted + (sep + tail if sep else "")
    return key


class ToolError(PvenumError):
    """An external tool (iasl, dtc, cpuid, gcc) is missing, too old, or failed."""
