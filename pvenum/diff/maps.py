"""Raw differences between two flat maps (:mod:`pvenum.diff.flatten`), field by field.

Kept apart from :mod:`pvenum.diff.compare` (which loads targets and runs the models) so that
a reader of one input — :func:`pvenum.bundle.check_copies` comparing the copies of a channel —
can compare without importing the loaders that import it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from .flatten import FlatMap, Value

# -- raw ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    field: str
    a: Any  # display value (raw: str; derived: the model's own value); None = absent
    b: Any
    raw_a: str | None = None
    raw_b: str | None = None
    read_by: tuple[str, ...] = ()  # models whose evidence includes this field (either side)
    # A changed DSDT/SSDT: the unified diff of its ASL (pvenum.acpi.asl), or why there is none.
    asl_diff: tuple[str, ...] = ()
    asl_note: str = ""

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"field": self.field, "a": self.a, "b": self.b}
        if self.raw_a is not None or self.raw_b is not None:
            out["raw_a"] = self.raw_a
            out["raw_b"] = self.raw_b
        if self.asl_diff:
            out["asl_diff"] = list(self.asl_diff)
        if self.asl_note:
            out["asl_note"] = self.asl_note
        if self.read_by:
            out["read_by"] = list(self.read_by)
        return out


def _merged_order(a: list[str], b: list[str]) -> list[str]:
    """Keys of both maps: A's order, B-only keys placed after their nearest predecessor in B."""
    pos = {k: i for i, k in enumerate(a)}
    keyed: list[tuple[int, int, int, str]] = [(i, 0, 0, k) for i, k in enumerate(a)]
    last = -1
    for j, k in enumerate(b):
        if k in pos:
            last = pos[k]
        else:
            keyed.append((last, 1, j, k))
    keyed.sort()
    return [k for *_, k in keyed]


def compare_maps(a: FlatMap, b: FlatMap) -> tuple[list[FieldChange], int]:
    """The fields that differ, and how many are the same: names and values only, no process
    started (a bundle's copies are checked so on every load; :func:`with_asl` adds the ASL)."""
    changes: list[FieldChange] = []
    same = 0
    for key in _merged_order(list(a), list(b)):
        va, vb = a.get(key), b.get(key)
        if va is not None and vb is not None:
            if va.text == vb.text and va.raw == vb.raw:
                same += 1
                continue
        elif (va or vb).quiet:  # type: ignore[union-attr]
            continue
        changes.append(FieldChange(key, _t(va), _t(vb), _r(va), _r(vb)))
    return changes, same


def with_asl(changes: list[FieldChange], a: FlatMap, b: FlatMap) -> list[FieldChange]:
    """``changes`` with each changed definition block's ASL diff from the real iasl (which runs
    twice per block), or why there is none: what `pvenum diff` shows."""
    return [replace(c, **extra) if (extra := _asl(a.get(c.field), b.get(c.field), c.field)) else c for c in changes]


def _asl(va: Value | None, vb: Value | None, key: str) -> dict[str, Any]:
    """For a changed definition block: its ASL diff from the real iasl, or why not."""
    ta = va.aml_table if va is not None else None
    tb = vb.aml_table if vb is not None else None
    if ta is None and tb is None:
        return {}
    from ..acpi.asl import asl_diff

    res = asl_diff(ta, tb, label=key.rsplit(".AmlCode", 1)[0])
    return {"asl_diff": res.lines} if res.lines is not None else {"asl_note": res.why}


def _t(v: Value | None) -> str | None:
    return None if v is None else v.text


def _r(v: Value | None) -> str | None:
    return None if v is None else v.raw
