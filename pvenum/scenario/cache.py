"""A per-user cache of compiled catalog platforms, so that ``pvenum resolve NAME`` does not
build every channel (CPUID leaves, ACPI tables through Construct, a devicetree) on each run.

One file per catalog scenario and build under ``$XDG_CACHE_HOME/pvenum/platforms``
(``~/.cache`` by default). An entry holds what the compiled platform depends on — pvenum's
version, the Python version, the scenario's name and text, and the size and modification
time of every file of the installed package (an edited source tree is a different build) —
followed by the platform; it is used only when all of that equals this run's, so a stale or
foreign entry is never an answer. Its file name carries a CRC of the same, which spreads
builds over files without the cost of loading a cryptographic hash on every start. Written
atomically (temp + rename) into files pvenum names itself; a missing, unreadable or corrupt
entry is ignored and the platform compiled as before. ``PVENUM_NO_CACHE=1`` turns it off.
Each new build (an upgrade, an edited checkout) adds entries; when one is stored, the entries of
that scenario beyond the :data:`KEEP` newest are removed -- only files in this directory, named
as pvenum names its entries and owned by this user.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import build_id

if TYPE_CHECKING:  # pragma: no cover
    from ..platform import Platform
    from .model import Scenario

_FORMAT = 2  # bump when what is stored changes shape
_SUFFIX = ".pickle"
# Entries kept per scenario: a few builds side by side (two virtualenvs, a checkout being
# edited) each keep theirs; older builds' entries go when a new one is stored.
KEEP = 4


def _build(name: str, text: str) -> str:
    """What the platform of scenario ``name`` read from ``text`` depends on, in this build."""
    return build_id.build(_FORMAT, name, text)


def _file_name(name: str, build: str) -> str:
    return build_id.entry_name(name, build, _SUFFIX)


def _key(scenario: "Scenario") -> str:
    """The name of ``scenario``'s entry in this build."""
    return _file_name(scenario.name, _build(scenario.name, scenario.text))


def _entry(name: str, text: str) -> tuple[Path, str] | None:
    where = build_id.cache_dir("platforms")
    if where is None or not text:
        return None
    try:
        build = _build(name, text)
    except OSError:
        return None
    return Path(where, _file_name(name, build)), build


# A compiled catalog platform pickles to a few hundred KiB; an entry far past that is no entry
# this build wrote.
MAX_ENTRY = 16 * 1024 * 1024


def _load(path: Path, build: str) -> "Platform | None":
    try:
        with os.fdopen(build_id.open_entry(str(path)), "rb") as f:
            # A pickle runs code when loaded: only an entry this user wrote, that nobody else can
            # have changed since, is read (build_id.own_entry); anything else is rebuilt.
            if not build_id.own_entry(os.fstat(f.fileno()), MAX_ENTRY):
                raise PermissionError(path)
            if pickle.load(f) != build:  # another build's entry under the same CRC
                return None
            platform = pickle.load(f)
        if type(platform).__name__ == "Platform":
            return platform
    except Exception:  # noqa: BLE001 - absent, unreadable or from an incompatible build: compile
        pass
    return None


def cached(name: str, text: str) -> "Platform | None":
    """The platform compiled from scenario ``name`` read from ``text``, if this build of pvenum
    has stored it; None otherwise. Only a scenario that parsed with that name was stored
    (:func:`catalog_platform`), so a hit needs no parse of ``text``."""
    entry = _entry(name, text)
    return None if entry is None else _load(*entry)


def catalog_platform(scenario: "Scenario") -> "Platform":
    """``scenario.platform()``, from the cache when an entry for exactly this build exists."""
    entry = _entry(scenario.name, scenario.text)
    if entry is None:
        return scenario.platform()
    platform = _load(*entry)
    if platform is None:
        platform = scenario.platform()
        _store(*entry, platform, scenario.name)
    return platform


def _store(path: Path, build: str, platform: Any, name: str) -> None:
    try:
        data = pickle.dumps(build, protocol=pickle.HIGHEST_PROTOCOL) + pickle.dumps(
            platform, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001 - something in it does not pickle: no cache entry
        return
    build_id.store(str(path), data, name, _SUFFIX, KEEP)
