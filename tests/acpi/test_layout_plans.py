"""The struct programs behind Record.parse/build agree with the Construct declarations.

Every Record of every ACPI layout module, every prefix length: parsing random bytes with the
derived ``struct`` program gives what Construct gives, and building the result back gives the
same bytes both ways (construct's own ``common()`` parity idea, compiled vs interpreted).
"""

from __future__ import annotations

import importlib
import pkgutil
import random

import pytest

import pvenum.acpi.layouts as layouts_pkg
from pvenum import _construct
from pvenum.acpi.layouts.common import FMT, Record


def _records() -> list[Record]:
    seen: dict[int, Record] = {}
    for info in pkgutil.iter_modules(layouts_pkg.__path__):
        mod = importlib.import_module(f"{layouts_pkg.__name__}.{info.name}")
        for value in vars(mod).values():
            found = [value] if isinstance(value, Record) else []
            body = getattr(value, "body", None)
            for holder in (value, body):
                for attr in ("record", "fixed", "item"):
                    r = getattr(holder, attr, None)
                    if isinstance(r, Record):
                        found.append(r)
                for t in getattr(holder, "types", {}).values() if isinstance(getattr(holder, "types", None), dict) else ():
                    found.append(t.record)
            for r in found:
                seen[id(r)] = r
    return list(seen.values())


RECORDS = _records()


def test_every_layout_module_contributes_records():
    names = {r.name for r in RECORDS}
    assert len(RECORDS) >= 20 and "Header" in names


@pytest.mark.parametrize("record", RECORDS, ids=lambda r: r.name)
def test_struct_program_agrees_with_construct(record):
    rng = random.Random(record.name)
    plans = 0
    for count in range(1, len(record.fields) + 1):
        plan = record.plan(count)
        if plan is None:
            continue
        plans += 1
        layout = record.prefix(count)
        for _ in range(20):
            data = bytes(rng.randrange(256) for _ in range(plan.size + 3))
            start = rng.randrange(4)
            by_construct = _construct.plain(_construct.parse(layout, data, fmt=FMT, offset=start))
            by_struct = plan.parse(data, start)
            assert by_struct == by_construct
            assert plan.build(by_struct) == _construct.build(layout, by_construct, fmt=FMT) == data[start:start + plan.size]
    assert plans or not record.fields, f"{record.name}: no struct program derived"


def test_out_of_range_values_still_get_constructs_error():
    from pvenum.acpi.layouts.header import HEADER
    from pvenum.errors import ParseError

    fields = HEADER.defaults()
    fields["Length"] = 1 << 32
    with pytest.raises(ParseError):
        HEADER.build(fields)
    fields["Length"] = 36
    fields["OemId"] = "TOOLONGID"
    with pytest.raises(ParseError):
        HEADER.build(fields)
