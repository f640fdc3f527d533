"""fdt_check_full semantics: dtc's negative cases and more, pvenum against pylibfdt."""

from __future__ import annotations

import re

import pytest
from fdt_blobs import (
    DATA,
    handmade_paths,
    libfdt_checks_alignment,
    libfdt_comparable_first,
    libfdt_error,
    need_tool,
    run_cli,
    u32,
    v17_blob,
    valid_blobs,
)

from pvenum.errors import LimitError, ParseError
from pvenum.fdt import check, parse, validate
from pvenum.fdt.artifact import validate as artifact_validate

HANDMADE = [pytest.param(p, id=p.name) for p in handmade_paths()]
DTC_NEGATIVE = ["truncated_property", "truncated_string", "truncated_memrsv", "two_roots", "named_root",
                "bad_magic", "bad_version_1", "bad_last_comp_18", "bad_version_below_comp"]


def _errors(data: bytes, *, alignment: bool = True):
    return [p for p in validate(data, alignment=alignment) if p.severity == "error"]


@pytest.mark.parametrize("path", HANDMADE)
def test_first_error_is_what_libfdt_returns(path):
    data = path.read_bytes()
    assert libfdt_comparable_first(data) == libfdt_error(data)


@pytest.mark.parametrize("name", DTC_NEGATIVE)
def test_dtc_negative_cases_are_rejected_by_both(name):
    data = (DATA / "handmade" / f"{name}.dtb").read_bytes()
    theirs = libfdt_error(data)
    assert theirs is not None, "the reference accepts it: the fixture no longer shows the defect"
    errors = _errors(data)
    assert errors and errors[0].check == theirs and errors[0].offset is not None
    with pytest.raises(ParseError) as exc:
        parse(data)
    assert exc.value.offset == errors[0].offset
    assert f"[{theirs}]" in exc.value.message


@pytest.mark.parametrize("path", HANDMADE)
def test_parse_fails_exactly_when_validation_finds_an_error(path):
    data = path.read_bytes()
    errors = _errors(data)
    try:
        tree = parse(data)
    except LimitError:  # pragma: no cover - none of these is big
        raise
    except ParseError as err:
        assert errors, "parse refused a blob validation accepts"
        assert (err.offset, err.message) == (errors[0].offset, f"{errors[0].message} [{errors[0].check}]")
    else:
        assert not errors
        assert tree.root is not None


def test_alignment_checks_follow_libfdt_1_8():
    data = (DATA / "handmade" / "misaligned_rsvmap.dtb").read_bytes()
    assert [p.check for p in _errors(data)] == ["FDT_ERR_ALIGNMENT"]
    assert _errors(data, alignment=False) == []
    # Not a fixed expectation for the installed pylibfdt: it tells which semantics it has.
    assert (libfdt_error(data) == "FDT_ERR_ALIGNMENT") == libfdt_checks_alignment()


def test_every_problem_is_reported_not_only_the_first():
    # Two bad property names and a second root in one blob: libfdt stops at the first.
    s = (u32(1, 0) + u32(3, 4, 0x500) + b"\0" * 4 + u32(3, 4, 0x600) + b"\0" * 4 + u32(2)
         + u32(1, 0) + u32(2) + u32(9))
    data = v17_blob(s, b"x\0")
    off_struct = 40 + 16
    problems = _errors(data)
    assert [p.check for p in problems] == ["FDT_ERR_BADOFFSET", "FDT_ERR_BADOFFSET", "FDT_ERR_BADSTRUCTURE"]
    assert [p.offset for p in problems] == [off_struct + 16, off_struct + 32, off_struct + 44]
    assert libfdt_error(data) == problems[0].check


def test_a_blob_of_stray_tokens_stops_the_list_and_parse_stops_at_the_first():
    # One misplaced token per word: the list is capped, and parse does not walk past the
    # first error to refuse the blob.
    stray = 3 * check.MAX_PROBLEMS
    data = v17_blob(u32(1, 0, 2) + u32(2) * stray + u32(9))
    problems = validate(data)
    assert len(problems) == check.MAX_PROBLEMS + 1
    assert [p.check for p in problems[:-1]] == ["FDT_ERR_BADSTRUCTURE"] * check.MAX_PROBLEMS
    assert problems[-1].check == check.TOO_MANY and problems[-1].offset == problems[-2].offset + 4
    assert check.first_error(data) == problems[0]
    with pytest.raises(ParseError) as exc:
        parse(data)
    assert exc.value.offset == problems[0].offset == 56 + 12


def test_overlapping_blocks_are_a_warning_only():
    data = (DATA / "handmade" / "ok_overlapping_blocks.dtb").read_bytes()
    problems = validate(data)
    assert [(p.check, p.severity) for p in problems] == [("FDT_ERR_BADLAYOUT", "warning")]
    assert libfdt_error(data) is None
    parse(data)


@pytest.mark.parametrize("name", ["qemu/virt-gicv3.dtb.gz", "kernel/qcom_sc7280-herobrine-crd.dtb"])
def test_real_blobs_have_no_problems(name):
    assert validate(valid_blobs()[name]) == []


def test_dts_validation_goes_through_dtc():
    need_tool("dtc")
    src = (DATA / "dts" / "values.dts").read_bytes()
    assert artifact_validate(src, "values.dts", fmt="dts") == []
    bad = artifact_validate(b"/dts-v1/;\n/ { x = <1; };\n", "bad.dts", fmt="dts")
    assert [p.check for p in bad] == ["DTC"]


@pytest.mark.parametrize("depth, found", [(62, []), (63, [("LINUX_FDT_MAX_DEPTH", "warning")]),
                                          (300, [("PVENUM_LIMIT", "error")])])
def test_validate_says_what_libfdt_accepts_but_linux_or_pvenum_drops(depth, found):
    # dtc compiles the nesting and libfdt accepts it (check_full finds nothing); Linux's
    # unflatten_dt_nodes() skips nodes at depth FDT_MAX_DEPTH - 1 = 63 and deeper (torvalds/linux
    # v7.2.8 drivers/of/fdt.c), and pvenum decodes no deeper than its own bound (every command
    # refuses such a blob, so validate does too).
    need_tool("dtc")
    import subprocess

    src = "/dts-v1/;\n/ {" + " a {" * depth + " };" * depth + " };\n"
    blob = subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb"], input=src.encode(), capture_output=True,
                          check=True).stdout
    assert check.check_full(blob) == []
    assert [(p.check, p.severity) for p in artifact_validate(blob, "deep.dtb")] == found


def test_depth_is_counted_in_nodes_not_slashes():
    # A node name holding "/" is one node (libfdt's fdt_check_full accepts it): one level down,
    # far from Linux's FDT_MAX_DEPTH.
    name = b"a" + b"/x" * 70 + b"\0"
    blob = v17_blob(u32(1) + bytes(4) + u32(1) + name + bytes(-len(name) % 4) + u32(2, 2, 9))
    assert libfdt_error(blob) is None
    assert check.check_full(blob) == []
    assert artifact_validate(blob, "slashes.dtb") == []


# -- the CLI: one line, exit 3 ----------------------------------------------------------------


@pytest.mark.parametrize("name", DTC_NEGATIVE + ["unknown_token", "bad_nameoff", "no_root"])
def test_cli_inspect_bad_blob_is_one_line_and_exit_3(name):
    path = DATA / "handmade" / f"{name}.dtb"
    # Without the magic, detection cannot call it a DTB: say so with --format.
    res = run_cli("inspect", *(["--format", "dtb"] if name == "bad_magic" else []), str(path))
    assert res.returncode == 3
    err = res.stderr.decode()
    lines = err.splitlines()
    assert len(lines) == 1 and err.endswith("\n")
    first = _errors(path.read_bytes())[0]
    assert re.fullmatch(rf"pvenum: error: {re.escape(str(path))}: dtb at offset 0x{first.offset:02x}: .+", lines[0])
    assert f"[{first.check}]" in lines[0]
    assert res.stdout == b""


def test_cli_bad_magic_without_format_is_unrecognised():
    res = run_cli("inspect", str(DATA / "handmade" / "bad_magic.dtb"))
    assert res.returncode == 3 and b"not recognised" in res.stderr and len(res.stderr.splitlines()) == 1


def test_cli_validate_reports_every_problem_and_exits_1():
    path = DATA / "handmade" / "two_roots.dtb"
    res = run_cli("validate", str(path))
    assert res.returncode == 1
    out = res.stdout.decode().splitlines()
    assert out and all(line.startswith(f"{path}: dtb at offset 0x") for line in out)
    assert "[FDT_ERR_BADSTRUCTURE]" in out[0]
    ok = run_cli("validate", str(DATA / "dts" / "values.dtb"))
    assert ok.returncode == 0 and ok.stdout == b""


def _node(name: bytes, *body: bytes) -> bytes:
    name += b"\0"
    return u32(1) + name + bytes(-len(name) % 4) + b"".join(body) + u32(2)


def _prop(nameoff: int, value: bytes = b"") -> bytes:
    return u32(3, len(value), nameoff) + value + bytes(-len(value) % 4)


STRINGS = b"a\0b\0"  # property "a" at 0, "b" at 2
DUPLICATES = {
    "none": _node(b"", _prop(0), _prop(2), _node(b"x"), _node(b"x@1"), _node(b"y", _prop(0))),
    "node": _node(b"", _node(b"x"), _node(b"y"), _node(b"x")),
    "node-with-unit": _node(b"", _node(b"x@1"), _node(b"x@1")),
    "deep-node": _node(b"", _node(b"x", _node(b"c"), _node(b"c"))),
    "property": _node(b"", _prop(0, b"\0\0\0\1"), _prop(2), _prop(0)),
    "child-property": _node(b"", _node(b"x", _prop(2), _prop(2))),
    "both": _node(b"", _prop(0), _prop(0), _node(b"x"), _node(b"x", _prop(2), _prop(2))),
    # dtc visits a node before its children: the root's repeated x before the first x's c.
    "parents-first": _node(b"", _node(b"x", _node(b"c"), _node(b"c")), _node(b"x")),
    # dtc's loop is over the first of each name, then the later ones: /a before /b.
    "interleaved-nodes": _node(b"", _node(b"a"), _node(b"b"), _node(b"b"), _node(b"a")),
    "interleaved-properties": _node(b"", _prop(0), _prop(2), _prop(2), _prop(0)),
}


@pytest.mark.parametrize("version", [17, 3])
@pytest.mark.parametrize("name", DUPLICATES)
def test_duplicate_names_are_the_errors_dtc_refuses_a_blob_for(name, version):
    # libfdt reads such a blob (fdt_check_full finds nothing); dtc -I dtb runs its checks and
    # refuses it (checks.c duplicate_node_names, duplicate_property_names). The same problems,
    # named as dtc names them, in dtc's order, at each repeat's token. v3: the same tree as
    # dtc -f -V 3 writes it, node names as full paths.
    import subprocess

    need_tool("dtc")
    blob = v17_blob(DUPLICATES[name] + u32(9), STRINGS)
    if version != 17:
        blob = subprocess.run(["dtc", "-q", "-f", "-I", "dtb", "-O", "dtb", "-V", str(version), "-"], input=blob,
                              capture_output=True, timeout=60, check=True).stdout
        assert int.from_bytes(blob[20:24], "big") == version
    assert libfdt_error(blob) is None and check.check_full(blob) == []
    proc = subprocess.run(["dtc", "-I", "dtb", "-O", "dts", "-o", "/dev/null", "-"], input=blob,
                          capture_output=True, timeout=60)
    theirs = re.findall(r"ERROR \((duplicate_\w+)\): (.*)", proc.stderr.decode())
    ours = [p for p in artifact_validate(blob, "dup.dtb") if p.check.startswith("DTC.")]
    assert (proc.returncode != 0) == bool(theirs) == bool(ours), proc.stderr
    # dtc runs no check after the first that fails (checks.c process_checks(): error = error
    # || run_check()), node names before property names (check_table[]); pvenum names all.
    failing = [c for c in ("DTC.duplicate_node_names", "DTC.duplicate_property_names")
               if any(p.check == c for p in ours)][:1]
    assert [(p.check, p.message) for p in ours if p.check in failing] == [(f"DTC.{c}", m) for c, m in theirs]
    assert all(p.severity == "error" and blob[p.offset:p.offset + 4] in (u32(1), u32(3)) for p in ours)


def test_duplicate_names_are_escaped_and_bounded():
    # A hostile name cannot reach the terminal raw (fdt.values.printable()), and a blob of
    # thousands of repeats is named up to MAX_PROBLEMS, then one line says the list stops.
    name = b"\xfe\x1b[31m"
    blob = v17_blob(_node(b"", _node(name), _node(name), _prop(2), _prop(2)) + u32(9), b"a\0\xff\x1b\0")
    lines = [p.message for p in artifact_validate(blob, "bad.dtb")]
    assert lines == ["/\\xfe\\x1b[31m: Duplicate node name", "/:\\xff\\x1b: Duplicate property name"]
    many = v17_blob(_node(b"", *[_prop(0)] * (check.MAX_PROBLEMS + 5)) + u32(9), STRINGS)
    found = artifact_validate(many, "many.dtb")
    assert len(found) == check.MAX_PROBLEMS + 1 and found[-1].check == check.TOO_MANY
