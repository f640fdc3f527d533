"""Mutation fuzzing of the decoder and the validator, seeded from real blobs.

Properties, for every mutant: parse raises nothing but ParseError/LimitError; it fails
exactly when validation finds an error, with the same offset and message; the first error
validation reports is the code libfdt's fdt_check_full returns; and whatever parses
rebuilds to a blob that parses to the same tree and that libfdt accepts.
"""

from __future__ import annotations

import json
import struct

import pytest
from fdt_blobs import DATA, libfdt_comparable_first, libfdt_error, scaled, u32, v17_blob, valid_blobs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pvenum.errors import LimitError, ParseError
from pvenum.fdt import build, constants, parse, to_dts, validate
from pvenum.fdt.artifact import DtbArtifact


def _seeds() -> list[bytes]:
    blobs = valid_blobs()
    seeds = [blobs[k] for k in sorted(blobs) if k.startswith(("dts/", "handmade/"))]
    seeds += [blobs["kernel/cavium_thunder2-99xx.dtb"], blobs["kernel/arm_foundation-v8-gicv3-psci.dtb"]]
    # QEMU's own layout (rsvmap at 0x30, free space), trimmed to 16 KiB to keep mutants cheap.
    qemu = bytearray(blobs["qemu/virt-gicv3.dtb.gz"][:16384])
    struct.pack_into(">I", qemu, 4, len(qemu))
    seeds.append(bytes(qemu))
    return seeds


SEEDS = _seeds()
INTERESTING = [0, 1, 2, 3, 4, 8, 9, 16, 17, 18, 0x28, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0xFFFFFFF0]


def check_invariants(data: bytes) -> None:
    problems = validate(data)
    errors = [p for p in problems if p.severity == "error"]
    try:
        tree = parse(data)
    except LimitError:
        return
    except ParseError as err:
        assert errors, f"parse refused what validation accepts: {err}"
        assert err.offset == errors[0].offset
        assert err.message == f"{errors[0].message} [{errors[0].check}]"
    else:
        assert not errors, f"parse accepted a blob with {errors[0]}"
        again = build(tree)
        assert parse(again).same_as(tree)
        assert libfdt_error(again) is None
        # Every output form copes with whatever names and values a mutant holds.
        art = DtbArtifact(tree, "mutant.dtb")
        json.dumps(art.to_json())
        assert all("\n" not in line for line in art.textconv())
        to_dts(tree)
    # Against libfdt (its alignment semantics; minus the two places pvenum is stricter).
    assert libfdt_comparable_first(data) == libfdt_error(data)


def _mutate(seed: bytes, ops) -> bytes:
    data = bytearray(seed)
    for kind, pos, value in ops:
        if not data:
            break
        pos %= len(data)
        if kind == "byte":
            data[pos] = value & 0xFF
        elif kind == "u32":
            pos &= ~3
            if pos + 4 <= len(data):
                struct.pack_into(">I", data, pos, INTERESTING[value % len(INTERESTING)] if value < 64 else value)
        elif kind == "truncate":
            del data[pos:]
        elif kind == "insert":
            data[pos & ~3:pos & ~3] = struct.pack(">I", value)
        elif kind == "delete":
            del data[pos & ~3:(pos & ~3) + 4]
    return bytes(data)


OPS = st.lists(
    st.tuples(st.sampled_from(["byte", "u32", "u32", "truncate", "insert", "delete"]),
              st.integers(0, 1 << 20), st.integers(0, 0xFFFFFFFF)),
    min_size=1, max_size=4)


@pytest.mark.slow
@settings(max_examples=scaled(6000, 150), deadline=2000, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(seed=st.sampled_from(range(len(SEEDS))), ops=OPS)
def test_mutants(seed, ops):
    check_invariants(_mutate(SEEDS[seed], ops))


@pytest.mark.slow
@settings(max_examples=scaled(2000, 100), deadline=2000, derandomize=True)
@given(body=st.binary(min_size=0, max_size=400), fields=st.lists(st.integers(0, 0x400), min_size=9, max_size=9))
def test_random_blobs_with_a_plausible_header(body, fields):
    # A header whose offsets land inside the bytes makes the walk reach the random body.
    total = 40 + len(body)
    head = struct.pack(">10I", 0xD00DFEED, total, *(f % (total + 1) for f in fields[:3]), 17, 16, 0,
                       *(f % (total + 1) for f in fields[3:5]))
    check_invariants(head + body)


def test_header_fields_sweep():
    """Every header field of a real blob set to each interesting value (deterministic)."""
    seed = (DATA / "dts" / "realm-guest.dtb").read_bytes()
    for field in range(10):
        for value in INTERESTING + [len(seed), len(seed) - 1, len(seed) + 1]:
            mutant = bytearray(seed)
            struct.pack_into(">I", mutant, field * 4, value)
            check_invariants(bytes(mutant))


def test_structure_tokens_sweep():
    """Each u32 of a small structure block replaced by each token value and a few lengths."""
    seed = (DATA / "handmade" / "ok_nops.dtb").read_bytes()
    off = int.from_bytes(seed[8:12], "big")
    size = int.from_bytes(seed[36:40], "big")
    for pos in range(off, off + size, 4):
        for value in (1, 2, 3, 4, 5, 9, 0, 0x100, 0xFFFFFFFF):
            mutant = bytearray(seed)
            struct.pack_into(">I", mutant, pos, value)
            check_invariants(bytes(mutant))


def test_truncation_at_every_length():
    seed = (DATA / "dts" / "phandles.dtb").read_bytes()
    for n in range(len(seed) + 1):
        check_invariants(seed[:n])


def test_limits_raise_limit_error():
    deep = v17_blob(u32(1, 0) + (u32(1) + b"n\0\0\0") * 300 + u32(2) * 301 + u32(9))
    assert validate(deep) == []  # libfdt has no depth limit
    with pytest.raises(LimitError) as exc:
        parse(deep)
    assert "deeper" in exc.value.message

    many = v17_blob(u32(1, 0) + (u32(1) + b"n\0\0\0" + u32(2)) * (constants.MAX_NODES + 1) + u32(2, 9))
    with pytest.raises(LimitError) as exc:
        parse(many)
    assert "nodes" in exc.value.message
