"""The repository stands on its own: no tracked file refers to notes outside it.

A clone has no engineers' background notes next to it, so a citation of such a path (or of a
design file the repository does not hold) points nowhere. Rules cite upstream sources directly;
the project's own notes are in docs/.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from pvtest import ROOT

# Spelled in pieces so that this file does not match itself.
FORBIDDEN = re.compile("|".join([
    r"shared" + "/reference", r"\.\./" + "shared", r"DESIGN" + r"\.md",
    # the background notes by name, or by section (a "§" number after the word reference), which a clone cannot open
    r"(x86|arm-acpi)-" + r"enumeration\.md", r"formats-and-" + r"tools\.md", r"style-" + r"models\.md",
    r"\breference" + r" §",
]))


def tracked_files() -> list[str]:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout (git ls-files lists what the repository holds)")
    out = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                         capture_output=True, check=True, timeout=60).stdout
    return [p for p in out.decode().split("\0") if p]


def test_no_file_refers_outside_the_repository():
    hits = []
    for rel in tracked_files():
        path = ROOT / rel
        try:
            text = path.read_text(errors="replace")
        except (OSError, IsADirectoryError):
            continue
        for n, line in enumerate(text.splitlines(), 1):
            if FORBIDDEN.search(line):
                hits.append(f"{rel}:{n}: {line.strip()[:120]}")
    assert not hits, "references to paths outside the repository:\n" + "\n".join(hits)


def test_the_check_finds_what_it_looks_for():
    # The pattern itself, on the spellings that were in the tree before.
    for bad in ["see " + "shared/" + "reference", "../" + "shared/x.md", "per " + "DESIGN" + ".md",
                "x86-" + "enumeration.md §4", "(reference" + " §3.5)"]:
        assert FORBIDDEN.search(bad), bad
    assert not FORBIDDEN.search("docs/sources.md, docs/contracts.md")


def all_rules():
    import importlib
    import pkgutil

    import pvenum.resolver
    from pvenum.resolver.engine import Rule

    seen = {}
    for info in pkgutil.walk_packages(pvenum.resolver.__path__, "pvenum.resolver."):
        mod = importlib.import_module(info.name)
        for value in vars(mod).values():
            items = value if isinstance(value, (tuple, list)) else (value,)
            for item in items:
                if isinstance(item, Rule):
                    seen[item.id] = item
    return list(seen.values())


def test_the_evidence_cites_upstream_not_notes():
    """Every rule's cite (copied into each evidence item) names an upstream source file (a path
    such as torvalds/linux arch/x86/..., or virt-what 1.27 virt-what-cvm.c) and no note file; the proposal's rules cite this repository's own
    docs/proposal.md, since the proposal exists nowhere else in code."""
    rules = all_rules()
    assert len(rules) > 40, len(rules)
    for rule in rules:
        assert not FORBIDDEN.search(rule.cite), (rule.id, rule.cite)
        own = rule.cite.startswith("pvenum docs/") and (ROOT / rule.cite.split()[1]).is_file()
        assert own or re.search(r"[\w/.-]+\.(c|h|S|rs|rst|yaml|txt)\b", rule.cite), (rule.id, rule.cite)


# A source file a cite names ("arch/x86/kernel/cpu/common.c"), and the upstream it belongs to: a
# repository ("torvalds/linux") or a named release ("virt-what 1.27") earlier in the same cite.
_CITED_FILE = re.compile(r"(?<![\w/.-])[\w.-]+(?:/[\w.-]+)+\.(?:c|h|S|rs)\b")
_UPSTREAM = re.compile(r"(?<![\w/.-])[\w-]+/[\w.-]+ |\bvirt-what\b|\bsystemd\b")


def test_every_cited_upstream_file_names_its_repository():
    """A rule that cites pvenum's own docs/proposal.md and also mirrors an upstream function must
    say which repository that file is in: a bare "arch/x86/include/asm/processor.h" after
    "pvenum docs/proposal.md" reads as a path in this repository, which holds no such file."""
    for rule in all_rules():
        for m in _CITED_FILE.finditer(rule.cite):
            before = rule.cite[:m.start()]
            if rule.cite.startswith("pvenum docs/"):
                before = before[before.rfind(";") + 1:]  # the own-doc part names no upstream
            assert _UPSTREAM.search(before), (rule.id, m.group(0), rule.cite)
