"""Check every citation of the ``linux`` model against the source tree of the release it names.

    python -m crosscheck.linuxcites [--cache .cache/linuxsrc] [RELEASE ...]

For each release read as a tree (6.1, 6.12 and 7.2: Debian's orig tarballs, which
``python -m crosscheck.linuxsrc`` fetches into the cache), every rule of the x86 and arm64 Linux
models and of the cross-channel checks is cited as ``linux@RELEASE`` cites it
(pvenum/resolver/models/linux.py: cite_for()), and each torvalds/linux part of the citation,
``PATH: name(), NAME, a.b``, is looked up in that tarball: the file must exist and every function,
constant and field named must occur in it. A part that says ``(absent ...)`` after a path or a
name claims the opposite, and is checked too: the file, or the name in the file, must be missing.
7.2.8's tree stands for ``linux`` (mainline) as well. Nothing is written but the unpacked files
under ``CACHE/VERSION/tree`` and the tarball's member list beside it (``members.txt``). Exit
status 1 when a citation does not hold, except those :data:`NOT_YET` lists with the reason.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from . import linuxsrc

RELEASES = tuple(linuxsrc.RELEASES)  # the releases read as trees
LINUX = "torvalds/linux"
# A repository named at the start of a citation part ("acpica/acpica source/...") or after "; ".
_REPO = re.compile(r"^([A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+) (?:v\d+\.\d+ )?")
_PATH = re.compile(r"\b((?:arch|drivers|include|kernel|mm|init|lib|fs|virt)/[\w./-]+\.[chS])\b")
_ABSENT = "(absent"
# What a part names: calls ("f()"), constants (CAPS, 4+ characters; "EFI_CC_TYPE_*" a prefix),
# fields ("a.b"); not file names in prose ("docs/sources.md", "arm.py").
_NAME = re.compile(r"\b([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)(\(\)|\*)?")
_FILE_NAME = re.compile(r"\.(?:c|h|S|md|py|toml)$")
_CONSTANT = re.compile(r"[A-Z][A-Z0-9_]{3,}")


# Claims that do not hold yet, by release, each for a behaviour the model does not place by release
# (docs/linux-releases.md), with the reason: reported, and the only failures the exit status
# forgives. Empty since arm64 hyperv_init() is placed by release (the "arm64-hyperv-smccc" row).
NOT_YET: dict[str, dict[str, str]] = {}


@dataclass(frozen=True)
class Claim:
    rule: str
    path: str
    name: str | None  # None: the file itself
    present: bool  # False: the citation says it is absent in this release

    def __str__(self) -> str:
        what = self.path if self.name is None else f"{self.path}: {self.name}"
        return f"{self.rule}: {what} {'present' if self.present else 'absent'}"


def _names(text: str) -> list[tuple[str, bool]]:
    """The names a citation part gives after its path, each with whether it is claimed present."""
    out = []
    for m in _NAME.finditer(text):
        name, call = m.group(1), m.group(2)
        if call == "*":
            name += "*"  # a prefix
        elif not (call or "." in name or _CONSTANT.fullmatch(name)):
            continue
        if _FILE_NAME.search(name) or text[:m.start()].endswith("/"):
            continue
        present = not text[m.end():].lstrip().startswith(_ABSENT)
        out.append((name, present))
    return out


def claims(rule: str, cite: str) -> list[Claim]:
    """What one citation claims of the torvalds/linux tree: files and the names in them."""
    out: list[Claim] = []
    repo = None
    for part in re.split(r";\s*| vs ", cite):
        m = _REPO.match(part)
        if m:
            repo = m.group(1)
            part = part[m.end():]
        if repo != LINUX:
            continue
        paths = list(_PATH.finditer(part))
        for i, pm in enumerate(paths):
            path = pm.group(1)
            rest = part[pm.end():paths[i + 1].start() if i + 1 < len(paths) else len(part)]
            if rest.lstrip().startswith(_ABSENT):
                out.append(Claim(rule, path, None, False))
                continue
            out.append(Claim(rule, path, None, True))
            if rest.lstrip().startswith(":"):
                out.extend(Claim(rule, path, name, present) for name, present in _names(rest.lstrip()[1:]))
    return out


def release_claims(release: str) -> list[Claim]:
    from pvenum.resolver import crosschannel
    from pvenum.resolver.models import linux_arm64, linux_x86
    from pvenum.resolver.models.linux import cite_for
    from pvenum.resolver.models.linux_releases import parse_release

    rel = parse_release(release)
    rules = [*linux_x86.RULES, linux_x86.FINAL, *linux_arm64.RULES, linux_arm64.FINAL, *crosschannel.RULES]
    return [c for r in rules for c in claims(r.id, cite_for(r.cite, rel))]


def tarball(cache: Path, release: str) -> Path | None:
    """The cached orig tarball of ``release`` (crosscheck.linuxsrc fetches it), newest version first."""
    found = sorted(cache.glob(f"{release}.*/linux_{release}.*.orig.tar.xz"),
                   key=lambda p: [int(x) for x in re.findall(r"\d+", p.name)], reverse=True)
    return found[0] if found else None


def check(cache: Path, release: str) -> tuple[list[Claim], list[Claim]]:
    """(claims checked, claims that do not hold) for ``release``; the files are unpacked from the
    cached tarball into its ``tree`` directory when missing."""
    tar = tarball(cache, release)
    if tar is None:
        raise FileNotFoundError(f"no Debian linux {release} orig tarball under {cache} "
                                f"(python -m crosscheck.linuxsrc {release} fetches it)")
    version = tar.name.removeprefix("linux_").removesuffix(".orig.tar.xz")
    tree = tar.parent / "tree"
    root = tree / f"linux-{version}"
    cs = release_claims(release)
    # The tarball's member list, read once: whether a file exists is a lookup in it, and only the
    # members a citation needs and the tree lacks are unpacked.
    listing = tar.parent / "members.txt"
    if not listing.exists():
        names = subprocess.run(["tar", "-tJf", str(tar)], capture_output=True, text=True, check=True,
                               timeout=1800).stdout
        tmp = listing.with_suffix(".tmp")
        tmp.write_text(names)
        tmp.replace(listing)
    members = set(listing.read_text().splitlines())
    wanted = sorted({c.path for c in cs if f"linux-{version}/{c.path}" in members and not (root / c.path).exists()})
    if wanted:
        tree.mkdir(exist_ok=True)
        subprocess.run(["tar", "-xJf", str(tar), "-C", str(tree), *(f"linux-{version}/{p}" for p in wanted)],
                       capture_output=True, check=True, timeout=1800)
    texts: dict[str, str | None] = {}
    bad = []
    for c in cs:
        if c.path not in texts:
            f = root / c.path
            texts[c.path] = f.read_text(errors="replace") if f"linux-{version}/{c.path}" in members else None
        text = texts[c.path]
        if c.name is None:
            holds = (text is not None) == c.present
        elif text is None:
            holds = False  # a name in a missing file: the citation is wrong either way
        else:
            found = all(re.search(rf"\b{re.escape(part[:-1])}" if part.endswith("*") else rf"\b{re.escape(part)}\b", text)
                        for part in c.name.split("."))
            holds = found == c.present
        if not holds:
            bad.append(c)
    return cs, bad


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", type=Path, default=Path(".cache/linuxsrc"))
    ap.add_argument("release", nargs="*", default=list(RELEASES))
    args = ap.parse_args(argv)
    failed = 0
    for release in args.release:
        try:
            cs, bad = check(args.cache, release)
        except FileNotFoundError as err:
            print(f"linuxcites: {err}", file=sys.stderr)
            return 1
        known = NOT_YET.get(release, {})
        print(f"linux@{release}: {len(cs)} citation claims, {len(cs) - len(bad)} hold, {len(bad)} do not")
        for c in bad:
            why = known.get(str(c))
            print(f"  {c}" + (f"  [known: {why}]" if why else ""))
            failed += why is None
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
