"""Validation problems, reported fwts-style: a stable check id, a severity, an offset."""

from __future__ import annotations

from dataclasses import dataclass

TYPE_CHECKING = False  # typing is not imported at run time (start-up: pvenum/_io.py)
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any


@dataclass(frozen=True)
class Problem:
    check: str  # stable id, e.g. "FDT_ERR_BADSTRUCTURE", "ACPI.FACP.RevisionSize"
    message: str
    offset: int | None = None
    severity: str = "error"  # "error" fails validation (exit 1); "warning" is reported only
    fmt: str = ""
    key: str | None = None  # a TOML file's problem: where, as TOML addresses it ("expect.linux.mode")

    def line(self, path: str) -> str:
        where = f" at offset 0x{self.offset:02x}" if self.offset is not None else f" at {self.key}" if self.key else ""
        return f"{path}: {self.fmt}{where}: {self.severity}: [{self.check}] {self.message}"

    def to_json(self, path: str) -> dict[str, Any]:
        return {
            "path": path,
            "format": self.fmt,
            "check": self.check,
            "severity": self.severity,
            "offset": self.offset,
            **({"key": self.key} if self.key else {}),
            "message": self.message,
        }


def toml_problems(err: Any, fmt: str) -> list[Problem]:
    """A scenario/platform.toml error (ScenarioError) as the one problem validate reports."""
    from .errors import toml_key

    key = toml_key(err.key) if getattr(err, "key", None) else None
    return [Problem(f"{fmt.upper().replace('.', '_')}.Schema", getattr(err, "detail", err.message), fmt=fmt, key=key)]
