"""Every citation of the ``linux`` model holds in the source tree of the release it names, and
every CHANGES row is where the trees put it (crosscheck/linuxcites.py): for each release read as
a tree whose Debian orig tarball is in .cache/linuxsrc (`make citecheck` fetches them), each
torvalds/linux file and name a rule cites for that release is in that tree, each one cited as
absent is not, and each row's marker is there exactly when the row says the release has it."""

from __future__ import annotations

from pathlib import Path

import pytest

from crosscheck.linuxcites import (NOT_YET, RELEASES, ROW_MARKERS, check, check_rows, claims, markers_markdown, scoped,
                                   tarball)
from pvenum.resolver.models.linux_releases import CHANGES

CACHE = Path(__file__).resolve().parents[2] / ".cache" / "linuxsrc"


def test_every_change_has_a_marker():
    # A row added without saying what shows it in a tree would go unchecked.
    assert set(ROW_MARKERS) == set(CHANGES)


def test_the_release_doc_lists_every_marker_as_the_command_prints_it():
    doc = (Path(__file__).resolve().parents[2] / "docs" / "linux-releases.md").read_text()
    table = markers_markdown()
    assert table in doc
    rows = [line for line in table.splitlines()[2:]]
    assert [r.split(" | ")[0].strip("| `") for r in rows] == sorted(
        ROW_MARKERS, key=lambda k: (CHANGES[k].since, k))
    # The one row that took its marker away says so.
    assert [r.split(" | ")[0].strip("| `") for r in rows if " | lacks | " in r] == [
        k for k, m in ROW_MARKERS.items() if m.removed]


def test_a_scoped_marker_reads_only_the_named_body():
    # C as the kernel writes it: a definition line, the body up to a "}" in column 0; a
    # #define continued by trailing backslashes.
    src = ("bool __head snp_init(struct boot_params *bp)\n{\n\tif (x)\n\t\treturn A;\n}\n"
           "static void other(void)\n{\n\tB;\n}\n"
           "#define SNP_FEATURES_PRESENT\t(C |\t\\\n\t\t\t\t D)\nE\n")
    assert scoped(src, "snp_init") == "bool __head snp_init(struct boot_params *bp)\n{\n\tif (x)\n\t\treturn A;\n}"
    assert scoped(src, r"SNP_FEATURES_(?:PRESENT|IMPL)") == "#define SNP_FEATURES_PRESENT\t(C |\t\\\n\t\t\t\t D)"
    assert scoped(src, "missing") == ""
    assert scoped(src, None) == src
    # A call is not a definition, even one that opens a block on its line.
    caller = "void sme_enable(void)\n{\n\tif (snp_init(bp)) {\n\t\tB;\n\t}\n}\n"
    assert scoped(caller, "snp_init") == ""
    assert scoped(caller, "sme_enable") == caller.rstrip("\n")


def test_a_citation_says_what_it_claims():
    # The grammar of a cite: "repo [vX.Y] path: name(), NAME, a.b; path2 (absent ...)"; another
    # repository's parts are not this tree's.
    got = claims("r", "torvalds/linux v6.12 arch/x86/kernel/sev.c: snp_init(), SNP_FEATURES_PRESENT; "
                      "drivers/char/tpm/tpm_svsm.c (absent before v6.16): tpm_svsm_probe(); "
                      "arch/x86/kernel/cpu/mshyperv.c: ms_hyperv.paravisor_present, hv_foo() (absent from 6.1.176); "
                      "acpica/acpica source/include/actbl.h: struct acpi_table_fadt (derived: docs/sources.md)")
    assert [(c.path, c.name, c.present) for c in got] == [
        ("arch/x86/kernel/sev.c", None, True), ("arch/x86/kernel/sev.c", "snp_init", True),
        ("arch/x86/kernel/sev.c", "SNP_FEATURES_PRESENT", True),
        ("drivers/char/tpm/tpm_svsm.c", None, False),
        ("arch/x86/kernel/cpu/mshyperv.c", None, True), ("arch/x86/kernel/cpu/mshyperv.c", "ms_hyperv.paravisor_present", True),
        ("arch/x86/kernel/cpu/mshyperv.c", "hv_foo", False),
    ]
    # A build file decides what is built: a Makefile's obj-$(CONFIG_...) line, a Kconfig option.
    got = claims("r", "torvalds/linux arch/x86/kernel/cpu/Makefile: CONFIG_CPU_SUP_AMD; arch/x86/Kconfig: "
                      "AMD_MEM_ENCRYPT")
    assert [(c.path, c.name) for c in got] == [
        ("arch/x86/kernel/cpu/Makefile", None), ("arch/x86/kernel/cpu/Makefile", "CONFIG_CPU_SUP_AMD"),
        ("arch/x86/Kconfig", None), ("arch/x86/Kconfig", "AMD_MEM_ENCRYPT")]
    # A path that ends a sentence is still the path (a full stop followed by no letter); a
    # build file's suffix stays part of its name.
    got = claims("r", "torvalds/linux arch/x86/kernel/cpu/amd.c. arch/um/Makefile.um")
    assert [c.path for c in got] == ["arch/x86/kernel/cpu/amd.c", "arch/um/Makefile.um"]


@pytest.mark.parametrize("release", RELEASES)
def test_citations_hold_in_the_tree_read(release: str):
    if tarball(CACHE, release) is None:
        pytest.skip(f"no Debian linux {release} orig tarball in .cache/linuxsrc "
                    f"(`make citecheck` or `python -m crosscheck.linuxsrc {release}` fetches it)")
    checked, bad = check(CACHE, release)
    assert len(checked) > 100, release
    # Only what NOT_YET lists with its reason (a behaviour not yet placed by release) may differ.
    assert {str(c) for c in bad} == set(NOT_YET.get(release, {})), release
    rows = check_rows(CACHE, release)
    assert len(rows) == len(CHANGES)
    assert [(k, want) for k, want, found in rows if want != found] == [], release


def test_the_trees_checked_are_the_ones_fetched():
    # linux_releases names the trees that check a release without having been read rule by rule;
    # crosscheck.linuxsrc is what fetches them: the two lists are the same releases.
    from crosscheck.linuxsrc import RELEASES as FETCHED
    from pvenum.resolver.models.linux_releases import CHECKED_TREES, RELEASES as READ, parse_release

    read = {r for r, _ in READ.values()}
    assert {parse_release(r) for r in FETCHED} - read == set(CHECKED_TREES)


def test_an_orig_tarball_line_of_print_uris():
    # apt-get source --print-uris prints one line per file: 'URL' NAME SIZE SHA256:HEX (apt's
    # acquire item output); only such a line gives _orig_only() a URL, a size and a digest to check.
    from crosscheck.linuxsrc import _URI

    line = ("'http://deb.debian.org/debian/pool/main/l/linux/linux_6.17.8.orig.tar.xz' linux_6.17.8.orig.tar.xz "
            "156475688 SHA256:2724adbc7b914bd2af8180ea35148e4d5eac6ddceab7bde332f284ef9e6d36a8")
    m = _URI.match(line)
    assert (m["name"], int(m["size"]), m["sha256"][:8]) == ("linux_6.17.8.orig.tar.xz", 156475688, "2724adbc")
    assert _URI.match("Need to get 158 MB of source archives.") is None
    assert _URI.match(line.replace("SHA256:", "MD5Sum:")) is None


def test_the_release_doc_counts_the_claims_the_check_makes():
    # docs/linux-releases.md quotes the claim counts of the last `python -m crosscheck.linuxcites`
    # run; the claims come from the rules' cites alone, so a cite added since shows here without
    # any tree.
    import re

    from crosscheck.linuxcites import release_claims

    doc = (Path(__file__).resolve().parents[2] / "docs" / "linux-releases.md").read_text()
    run = doc.split("Last run (`python -m crosscheck.linuxcites`):", 1)[1].split("all hold", 1)[0]
    quoted = dict(re.findall(r"\b(\d+\.\d+)\.\d+ (\d+)(?: claims)?\b", run))
    assert {r: int(n) for r, n in quoted.items()} == {r: len(release_claims(r)) for r in RELEASES}


def test_the_docs_count_the_changes_rows_the_check_places():
    # The same run places every CHANGES row; docs/linux-releases.md and the README quote how many.
    import re

    root = Path(__file__).resolve().parents[2]
    quoted = [int(n) for f in (root / "docs" / "linux-releases.md", root / "README.md")
              for n in re.findall(r"\b(\d+) (?:`CHANGES` )?rows\b", f.read_text())]
    assert len(quoted) == 3 and set(quoted) == {len(CHANGES)} == {len(ROW_MARKERS)}
