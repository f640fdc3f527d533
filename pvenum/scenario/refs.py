"""The files a scenario TOML reads besides itself: the CPUID capture its ``[scenario] base``
names, resolved against the scenario file's directory.

One place for that rule, read by the scenario model (which loads the base) and by the fleet
audit's content key (pvenum/audit.py): two scenario files with the same text beside different
bases are different platforms, so the key must hash what the base holds too. Light on imports:
keying runs for every target of a fleet.
"""

from __future__ import annotations

from pathlib import Path


def base_path(base: str, path: str | None) -> str:
    """Where ``base``, as a scenario at ``path`` writes it, lies (relative to the scenario
    file's directory; as written when the scenario has no path)."""
    return str(Path(path).parent / base) if path else base


def referenced_base(data: bytes, path: str) -> str | None:
    """The base file of the TOML ``data`` read from ``path``, or None when ``data`` is not TOML
    or names no base: decided by the loader's TOML parser, not by a look at the text (a quoted
    key may spell ``scenario`` with escapes). Any TOML naming one counts, a scenario or not: a
    superset of what the loader reads, so a key never misses a base (it may hash one the load
    never reads, which is read as the loader would read it: a regular file, bounded). A base
    that is wrong is the loader's to word."""
    # A base is a key/value pair ("=") under the key "scenario", which TOML spells out or, in a
    # quoted key, with escapes (a backslash): a file with neither names no base. Single bytes
    # and one long word: most files of a bundle stop here at memchr speed, before any parse.
    if b"=" not in data or (b"\\" not in data and b"scenario" not in data):
        return None
    from ..errors import ScenarioError
    from ..tomlvalues import loads

    try:
        doc = loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ScenarioError):
        return None
    sc = doc.get("scenario")
    base = sc.get("base") if isinstance(sc, dict) else None
    return base_path(base, path) if isinstance(base, str) and base else None
