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


def test_header_row_order_is_decoded_tables_field_order():
    # SdtKind.decode passes HEADER.row() and then DECODED_ORDER positionally to the table class.
    import dataclasses

    from pvenum.acpi.layouts.decoded import DecodedTable
    from pvenum.acpi.layouts.header import ATTRS, HEADER
    from pvenum.acpi.layouts.kinds import DECODED_ORDER

    positional = [ATTRS[n] for n in HEADER.names] + list(DECODED_ORDER)
    assert [f.name for f in dataclasses.fields(DecodedTable)][:len(positional)] == positional


@pytest.mark.parametrize("record", RECORDS, ids=lambda r: r.name)
def test_row_is_parse_in_declaration_order(record):
    if not record.fields:
        return
    rng = random.Random(record.name + "row")
    for _ in range(10):
        data = bytes(rng.randrange(256) for _ in range(record.size + 3))
        start = rng.randrange(4)
        values, _ = record.parse(data, start, start + record.size)
        assert record.row(data, start) == tuple(values[n] for n in record.names)


def _scalar_items() -> list:
    """Every scalar Construct an Items part or an entry array reads (u16, u32, u64, ...)."""
    from pvenum.acpi.layouts import KINDS
    from pvenum.acpi.layouts.body import EntryArrayBody
    from pvenum.acpi.layouts.tree import Entries, Items

    found: dict[int, object] = {}

    def walk(parts) -> None:
        for part in parts:
            if isinstance(part, Items) and not isinstance(part.item, Record):
                found[id(part.item)] = part.item
            if isinstance(part, Entries):
                for t in (*part.types, *([part.every] if part.every else [])):
                    walk(t.shape.parts)

    for kind in KINDS.values():
        body = kind.body
        if isinstance(body, EntryArrayBody):
            found[id(body.entry)] = body.entry
        walk(getattr(getattr(body, "shape", None), "parts", ()))
        walk(getattr(getattr(kind, "records", None), "parts", ()))
    return list(found.values())


SCALARS = _scalar_items()


def test_scalar_items_found():
    assert len(SCALARS) >= 3  # u16, u32, u64 at least


@pytest.mark.parametrize("item", SCALARS, ids=repr)
def test_scalar_array_agrees_with_construct_array(item):
    from pvenum.acpi.layouts.common import scalar_array

    read = scalar_array(item)
    assert read is not None
    rng = random.Random(repr(item))
    for n in (0, 1, 2, 7):
        size = item.sizeof()
        data = bytes(rng.randrange(256) for _ in range(n * size + 3))
        start = rng.randrange(4)
        by_construct = list(_construct.parse(_construct.c.Array(n, item), data, fmt=FMT, offset=start))
        assert read(data, start, n) == by_construct
