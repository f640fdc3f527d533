"""The one set of checkers for values read from TOML.

Scenarios, platform.toml, pvenum's CPUID TOML, ``[smccc]`` answers and ``[snp]``/``[tdx]`` facts
all check their values here, so one kind of value is accepted, and
refused with one message, wherever it is written. (Firecracker templates are not TOML: their
numbers follow Firecracker's own grammar, pvenum.cpuid.firecracker._number.) Each checker raises
:class:`~pvenum.errors.ScenarioError` naming the key (TOML's own addressing, see
``pvenum.errors.toml_key``); a reader of another format re-raises it as its own error.
"""

from __future__ import annotations

import sys
from typing import Any, Mapping

from .errors import ScenarioError

ARCHES = ("x86_64", "arm64")
MASK64 = (1 << 64) - 1
TOO_DEEP = "TOML nested too deeply"


def loads(text: str) -> dict[str, Any]:
    """The document ``text`` holds; every way tomllib refuses hostile text is a ScenarioError
    (no key; :data:`TOO_DEEP` for nesting)."""
    import tomllib  # here: the value checkers load on paths that parse no TOML (a cached scenario)

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ScenarioError(f"TOML syntax: {err}") from None
    except ValueError:
        # tomllib hands a decimal integer to int(), which refuses more digits than this
        # with a plain ValueError (CPython's integer string conversion length limit).
        raise ScenarioError(f"TOML syntax: an integer of more than {sys.get_int_max_str_digits()} digits") from None
    except RecursionError:  # tomllib recurses once per nested array or inline table
        raise ScenarioError(TOO_DEEP) from None


def is_int(value: Any) -> bool:
    """An integer, not a boolean (TOML's true is Python's 1)."""
    return isinstance(value, int) and not isinstance(value, bool)


def table(value: Any, key: str, known: "set[str] | Mapping[str, Any] | None" = None, *,
          name: str | None = None) -> dict[str, Any]:
    """A TOML table whose keys, if ``known`` is given, are all known; the message lists them
    (a set sorted, a mapping in its own order) under ``[name]`` (default: the key)."""
    if not isinstance(value, dict):
        raise ScenarioError("expected a table", key=key)
    if known is not None:
        listed = sorted(known) if isinstance(known, (set, frozenset)) else list(known)
        for k in value:
            if k not in known:
                raise ScenarioError(f"unknown key; [{name or key}] knows {', '.join(listed)}", key=f"{key}.{k}")
    return value


def choice(value: Any, allowed: tuple[str, ...], key: str) -> str:
    if value not in allowed:
        raise ScenarioError(f"{value!r} is not one of {', '.join(allowed)}", key=key)
    return value


def boolean(value: Any, key: str) -> bool:
    if not isinstance(value, bool):
        raise ScenarioError("expected true or false", key=key)
    return value


def in_range(value: Any, key: str, lo: int = 0, hi: int = MASK64) -> int:
    """An integer in ``lo..hi`` (a VMPL, a number of address bits)."""
    if not is_int(value) or not lo <= value <= hi:
        raise ScenarioError(f"expected an integer in {lo}..{hi:#x}", key=key)
    return value


def unsigned(value: Any, key: str, bits: int) -> int:
    """An unsigned ``bits``-bit integer (an [snp] or [tdx] fact)."""
    if not is_int(value) or not 0 <= value < (1 << bits):
        raise ScenarioError(f"expected an unsigned {bits}-bit integer", key=key)
    return value


def shown_int(n: int) -> str:
    """``n`` for a message: its digits while short, else its width — str() of an integer of
    more than sys.get_int_max_str_digits() digits raises ValueError, and a hostile file may
    write one."""
    return str(n) if n.bit_length() <= 128 else f"a {n.bit_length()}-bit number"


def fits(value: Any, key: str, *, bits: int = 64, signed_ok: bool = False) -> int:
    """An integer that fits in ``bits`` bits, returned as its unsigned bit pattern; with
    ``signed_ok`` negative values are taken as two's complement (SMCCC return codes, -1)."""
    if not is_int(value):
        raise ScenarioError(f"expected an integer, got {type(value).__name__}", key=key)
    lo = -(1 << (bits - 1)) if signed_ok else 0
    if not lo <= value < (1 << bits):
        raise ScenarioError(f"{shown_int(value)} does not fit in {bits} bits", key=key)
    return value & ((1 << bits) - 1)


def key_number(text: str, key: str, *, bits: int = 32) -> int:
    """A table key that names a number (``"0xc0010131" = ...``)."""
    try:
        value = int(text, 0)
    except ValueError:
        raise ScenarioError(f"expected a number such as 0xc0010131, got {text!r}", key=key) from None
    return fits(value, key, bits=bits)

