"""The error family every pvenum reader and writer raises.

The CLI turns any :class:`PvenumError` into one line,
``pvenum: error: FILE: FORMAT at offset 0xNN: what is wrong``, and exits with
:attr:`PvenumError.exit_code` (3). Usage errors stay click's (exit 2); exit 1 means
"differences or validation failures found" and is not an error.
"""

from __future__ import annotations

EXIT_DIFFERENCES = 1
EXIT_USAGE = 2
EXIT_ERROR = 3


def _one_line(text: str) -> str:
    # A message is printed on one line whatever a hostile blob put in it.
    return " ".join(str(text).split())


class PvenumError(Exception):
    """Base class: something pvenum cannot do with the input it was given."""

    exit_code = EXIT_ERROR

    def __init__(self, message: str, *, path: str | None = None) -> None:
        super().__init__(message)
        self.message = _one_line(message)
        self.path = path

    def with_path(self, path: str) -> "PvenumError":
        """Name the file this error came from, unless a deeper reader already did."""
        if self.path is None:
            self.path = path
        return self

    def __str__(self) -> str:
        prefix = f"{self.path}: " if self.path else ""
        return f"{prefix}{self.message}"


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
        prefix = f"{self.path}: " if self.path else "<input>: "
        return f"{prefix}{self.fmt}{where}: {what}"


class LimitError(ParseError):
    """Input that is well formed but exceeds a resource cap (depth, count, size)."""


class FormatUnknown(PvenumError):
    """No reader recognises the content."""


class ScenarioError(PvenumError):
    """A scenario or platform.toml that does not describe a platform; names the key."""

    def __init__(self, message: str, *, key: str | None = None, path: str | None = None) -> None:
        super().__init__(f"{key}: {message}" if key else message, path=path)
        self.key = key


class ToolError(PvenumError):
    """An external tool (iasl, dtc, cpuid, gcc) is missing, too old, or failed."""
