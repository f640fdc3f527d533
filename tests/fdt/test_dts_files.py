"""What a DTS may make dtc open (pvenum/fdt/dts_files.py).

Expectations come from dtc itself (dgibson/dtc v1.7.0): dtc-lexer.l's ``/include/`` rule and
its COMMENT, LINECOMMENT, STRING and CHAR_LITERAL shapes, dtc-parser.y's ``/incbin/`` productions,
util.c ``get_escape_char()`` and srcpos.c ``fopen_any_on_path()``; and from running the real
dtc on the same source where a file is allowed (the value of an ``/incbin/`` property is the
file's bytes, Documentation/dts-format.txt).
"""

from __future__ import annotations

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pvenum.errors import LimitError, PvenumError
from pvenum.fdt import from_dts
from pvenum.fdt.dts_files import MAX_DEPTH, MAX_DIRECTIVES, check, directives
from pvtest import need_tool


def _dts(tmp_path, body: str, name: str = "main.dts"):
    path = tmp_path / name
    path.write_text("/dts-v1/;\n" + body)
    return path


@pytest.mark.parametrize("body, found", [
    ('/include/ "a.dtsi"\n/ { };', [("include", b"a.dtsi")]),
    # the include name is taken as written; an /incbin/ string has its escapes processed
    ('/include/ "a\\x2e"\n', [("include", b"a\\x2e")]),
    ('/ { p = /incbin/ ( /* c */ "\\x2fetc/pass\\167d", 0, 4); };', [("incbin", b"/etc/passwd")]),
    ('/ { p = /incbin/("a\\0b"); };', [("incbin", b"a")]),  # a C string: fopen() stops at the NUL
    # directives in comments, strings and character literals are none
    ('// /incbin/("/etc/x")\n/* /include/ "y" */ / { s = "/incbin/(\\"z\\")"; c = <\'"\'>; };', []),
    # after an unterminated comment, string or character literal dtc reads on character by
    # character: every later directive is one whose name pvenum does not guess (refused)
    ('/* no end /include/ "b"', [("include", None)]),
    ("/include/ \"a\" / { c = <'x; /incbin/(\"c\"); /include/ \"d\"", [("include", b"a"), ("incbin", None),
                                                                       ("include", None)]),
    ('/ { s = "a\\\n"; /incbin/("c"); };', [("incbin", None)]),  # a backslash before a newline ends no STRING
    # /incbin/ without a string argument: no name dtc reads (refused by check)
    ('/ { p = /incbin/ x; };', [("incbin", None)]),
])
def test_directives_as_dtc_lexes_them(body, found):
    assert [(kind, name) for _, kind, name in directives(body.encode())] == found


def test_a_file_outside_the_directory_is_refused_before_dtc_reads_it(cli, tmp_path):
    secret = tmp_path / "secret"
    secret.write_bytes(b"host secret\n")
    inner = tmp_path / "bundle"
    inner.mkdir()
    path = _dts(inner, f'/ {{ compatible = "a"; model = /incbin/("{secret}"); }};\n')
    res = cli("inspect", str(path))
    assert res.returncode == 3 and not res.stdout, res.stdout
    err = res.stderr.decode()
    assert err.count("\n") == 1 and f"{path}: dts at offset 0x" in err and "outside" in err, err
    assert b"host secret" not in res.stdout + res.stderr


# Tokens dtc-lexer.l reads whole although a "//" or "/*" is in them: a path reference
# ("&{" PATHCHAR* "}"; PATHCHAR holds "/" and "*") and a keyword ending in "/" followed by "*"
# ("/delete-property/" then the name "*x"). Seen as comment starts, they hid what follows.
_HIDING = [
    '/ {{ p = &{{/x//y}}, /incbin/("{secret}"); x {{ y {{ }}; }}; }};\n',
    '/ {{ /delete-property/*x; p = /incbin/("{secret}"); q = "*/"; }};\n',
    '&{{/x//y}} {{ }}; /include/ "{secret}"\n',  # on one line: a "//" comment would end at its end
]


@pytest.mark.parametrize("body", _HIDING)
def test_a_directive_after_a_token_holding_a_comment_start_is_seen(cli, tmp_path, body):
    secret = tmp_path / "secret"
    secret.write_bytes(b"host secret\n")
    inner = tmp_path / "bundle"
    inner.mkdir()
    path = _dts(inner, body.format(secret=secret))
    assert [name for _, _, name in directives(path.read_bytes())] == [str(secret).encode()]
    res = cli("inspect", str(path))
    assert res.returncode == 3 and "outside" in res.stderr.decode(), res.stderr
    assert b"host secret" not in res.stdout + res.stderr


def test_the_hiding_tokens_are_ones_dtc_reads_whole(tmp_path):
    # The first two sources with a file dtc may open: dtc compiles each, and the file's bytes
    # are in the tree, so the directive after the token is one dtc acts on. (The third holds
    # the first's token at the top level, where dtc wants the node it names to exist.)
    need_tool("dtc")
    (tmp_path / "blob").write_bytes(b"inside\n")
    for i, body in enumerate(_HIDING[:2]):
        text = body.format(secret="blob")
        tree = from_dts(_dts(tmp_path, text, f"t{i}.dts").read_bytes(), include_dirs=[str(tmp_path)])
        assert any(b"inside\n" in v for n in tree.walk() for v in n.properties.values()), text


def test_a_device_is_refused_not_read_until_the_timeout(cli, tmp_path):
    path = _dts(tmp_path, '/ { model = /incbin/("/dev/zero"); };\n')
    res = cli("inspect", str(path))
    assert res.returncode == 3 and b"/dev/zero" in res.stderr and b"timed out" not in res.stderr, res.stderr


@pytest.mark.parametrize("make", ["symlink", "dotdot", "stdin", "nested"])
def test_other_ways_out_are_refused(tmp_path, make):
    outside = tmp_path / "outside.bin"
    outside.write_bytes(b"x")
    root = tmp_path / "root"
    root.mkdir()
    where = "main.dts"
    if make == "symlink":
        (root / "link.bin").symlink_to(outside)
        body = '/ { p = /incbin/("link.bin"); };'
    elif make == "dotdot":  # dtc would look beside its temporary copy of the top file first
        body = '/ { p = /incbin/("../outside.bin"); };'
    elif make == "stdin":
        body = '/include/ "-"\n'
    else:  # an included file names the outside file: the error names that file
        (root / "inc.dtsi").write_text(f'/ {{ p = /incbin/("{outside}"); }};\n')
        body = '/include/ "inc.dtsi"\n'
        where = "inc.dtsi"
    path = _dts(root, body)
    with pytest.raises(PvenumError) as err:
        check(path.read_bytes(), [str(root)], path=str(path))
    assert str(err.value).startswith(f"{root / where}: dts at offset 0x"), str(err.value)


def test_files_inside_the_directory_compile_as_dtc_reads_them(tmp_path):
    need_tool("dtc")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "inc.dtsi").write_text('/ { model = "m"; fw = /incbin/("../fw.bin"); };\n')
    (tmp_path / "fw.bin").write_bytes(b"\x01\x02\x03\x04")
    path = _dts(tmp_path, '/include/ "sub/inc.dtsi"\n/ { compatible = "c"; };\n')
    tree = from_dts(path.read_bytes(), include_dirs=(str(tmp_path),))
    props = tree.get_node("/").properties
    assert props["fw"] == b"\x01\x02\x03\x04" and props["model"] == b"m\0" and props["compatible"] == b"c\0"


@pytest.mark.parametrize("unit", [b"'\\'", b'"\\\n', b"/* ", b"// "])
def test_unterminated_tokens_repeated_are_read_once(unit):
    # Each of these opens a token that never ends (CHAR_LITERAL, STRING, COMMENT, LINECOMMENT
    # without its newline): the first one switches to the plain search, so the text is read
    # once however many there are, and the directive after them all is still found.
    text = unit * 50_000 + b'/incbin/("x")'
    assert [(k, n) for _, k, n in directives(text)] == [("incbin", None)]


def test_includes_that_loop_are_read_once(tmp_path):
    path = _dts(tmp_path, '/include/ "main.dts"\n')
    check(path.read_bytes(), [str(tmp_path)], path=str(path))


def test_a_chain_of_includes_stops_at_dtcs_depth(tmp_path):
    # srcpos.c srcfile_push(): "Includes nested too deeply" past MAX_SRCFILE_DEPTH (100).
    for i in range(MAX_DEPTH + 1):
        (tmp_path / f"f{i}.dtsi").write_text(f'/include/ "f{i + 1}.dtsi"\n')
    path = _dts(tmp_path, '/include/ "f0.dtsi"\n')
    with pytest.raises(LimitError, match=f"nested more than {MAX_DEPTH} deep"):
        check(path.read_bytes(), [str(tmp_path)], path=str(path))


def test_directives_are_bounded_across_the_files_included(tmp_path):
    # Each file alone is under the bound; a lookup per directive, in all, is what is bounded.
    many = '/ { p = /incbin/("missing.bin"); };\n' * (MAX_DIRECTIVES // 2 + 1)
    for name in ("a.dtsi", "b.dtsi"):
        (tmp_path / name).write_text(many)
    path = _dts(tmp_path, '/include/ "a.dtsi"\n/include/ "b.dtsi"\n')
    with pytest.raises(LimitError, match="in all") as err:
        check(path.read_bytes(), [str(tmp_path)], path=str(path))
    assert str(err.value).startswith(f"{tmp_path / 'b.dtsi'}: dts at offset 0x"), str(err.value)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([b"/include/", b"/incbin/", b"(", b")", b'"', b"'", b"\\", b"/*", b"*/", b"//",
                                 b"\n", b" ", b"a", b"\\x2f", b"..", b"/", b",", b"0", b"\0"]), max_size=40))
def test_any_text_is_checked_or_refused_with_our_error(tmp_path_factory, parts):
    root = tmp_path_factory.mktemp("dts")
    text = b"".join(parts)
    directives(text)
    try:
        check(text, [str(root)], path=os.path.join(root, "x.dts"))
    except PvenumError:
        pass


def test_a_name_that_starts_with_two_dots_is_no_parent_directory(tmp_path):
    # "..foo" is a file name (POSIX: only the component ".." names the parent), so dtc opens it
    # beside the source like any other; only a name whose first component is ".." leaves it.
    from pvenum.fdt import dts_files

    (tmp_path / "..foo.dtsi").write_text("/ { };\n")
    dts_files.check(b'/dts-v1/;\n/include/ "..foo.dtsi"\n', [str(tmp_path)], path=str(tmp_path / "a.dts"))


@pytest.mark.parametrize("name, body, located", [
    ("t.dts", "/ { a = <1 2\n", "t.dts:2.13-3.1 syntax error"),
    # A backslash in the name is text, never a regex group reference ("\\1") or escape ("\\q").
    ("b\\1\\q.dts", "/ { a = <1 2\n", "b\\1\\q.dts:2.13-3.1 syntax error"),
    ("u.dts", "/ { a = <&nolabel>; };\n", 'u.dts:2.3-23: ERROR (phandle_references): /: Reference to non-existent node or label "nolabel"'),
])
def test_dtc_errors_keep_where_dtc_says(cli, tmp_path, name, body, located):
    # The expectation is dtc's own line for the same file, run where it lies (srcpos.c names
    # FILE:LINE.COL); pvenum runs dtc on a temporary copy and names the user's file instead.
    need_tool("dtc")
    import subprocess

    path = _dts(tmp_path, body, name)
    said = subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", os.devnull, name], cwd=tmp_path,
                          capture_output=True, text=True).stderr
    assert located in said
    res = cli("inspect", str(path))
    err = res.stderr.decode()
    assert res.returncode == 3 and err.count("\n") == 1 and located in err, err


def test_an_included_files_error_keeps_its_own_name(cli, tmp_path):
    # pvenum compiles a temporary "in.dts"; an included "main.dts" (a name ending in it) is
    # named as dtc names it, not rewritten into "ma<top>.dts".
    need_tool("dtc")
    import subprocess

    (tmp_path / "main.dts").write_text("/ { b = <1 ; };\n")
    top = _dts(tmp_path, '/include/ "main.dts"\n/ { };\n', "top.dts")
    said = subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", os.devnull, "top.dts"], cwd=tmp_path,
                          capture_output=True, text=True).stderr
    assert "main.dts:1.12-13 syntax error" in said
    err = cli("inspect", str(top)).stderr.decode()
    assert f"{tmp_path}/main.dts:1.12-13 syntax error" in err, err
