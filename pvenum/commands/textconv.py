"""pvenum textconv FILE — a stable, line-oriented rendering of any artifact, for `git diff`.

Wire it up once per repository:

    echo '*.dtb *.dat *.aml *.kvm diff=pvenum' >> .gitattributes   (one pattern per line)
    git config diff.pvenum.textconv "pvenum textconv"

Each line is ``FIELD = VALUE`` (or a structural line such as ``node /cpus``); the FIELD names
are the ones `pvenum diff` reports.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

import click

from . import warn_not_read
from ..formats import FORMATS_BY_NAME

if TYPE_CHECKING:  # pragma: no cover
    from ..diff.gitsrc import Checkout


def _hexdump(data: bytes) -> Iterator[str]:
    for off in range(0, len(data), 16):
        chunk = data[off:off + 16]
        text = "".join(chr(b) if 0x20 <= b < 0x7F else "." for b in chunk)
        yield f"{off:08x}: {chunk.hex(' '):<47}  |{text}|"


def _fallback(data: bytes, why: str) -> Iterator[str]:
    yield f"# pvenum: {why}"
    if b"\0" not in data[:8192]:
        try:
            yield from data.decode("utf-8").splitlines()
            return
        except UnicodeDecodeError:
            pass
    yield from _hexdump(data)


def textconv_lines(path: str, *, fmt: str | None = None, fallback: bool = False, label: str | None = None,
                   checkout: "Checkout | None" = None) -> Iterator[str]:
    """The textconv lines of a file or directory (every artifact pvenum reads under it).
    ``label`` and ``checkout``: the REV:path that ``path`` is a checkout of, and that checkout
    (pvenum.diff.gitsrc.Checkout): what a file reads beside it must not leave its tree, and its
    errors name REV:path."""
    from .. import _io
    from ..errors import PvenumError
    from ..formats import OnDisk, load_bytes, load_path

    p = Path(path)
    tree = checkout.tree if checkout is not None else None

    def named(err: PvenumError) -> PvenumError:  # REV:path, never the temporary checkout (stable for git)
        if checkout is not None and label is not None:
            checkout.explain(err, label)
        return err

    if p.is_dir():
        # Every artifact load_path finds (as inspect does), each file introduced by a header;
        # a devicetree directory is one artifact named by the directory itself: no header.
        last = str(p)

        def not_read(err: PvenumError) -> None:  # a link out of the directory: named, never read
            warn_not_read(named(err))

        # Made whole before any is printed: a file that fails further on leaves no half output
        # (or, with ``fallback``, what was read and the error, as a line: never a failure).
        lines: list[str] = []
        try:
            for art in load_path(p, fmt=fmt, tree=tree, refused=not_read):
                if art.path != last:
                    last = art.path
                    lines.append(f"# == {Path(art.path).relative_to(p).as_posix()} ({art.format}) ==")
                lines.extend(art.textconv())
        except PvenumError as err:
            if not fallback:
                raise
            lines.append(f"# pvenum: error: {named(err)}")
        yield from lines
        return
    try:
        on_disk = OnDisk(str(p), tree) if tree is not None else None
        arts = load_bytes(_io.read_input(p), label or str(p), fmt=fmt, on_disk=on_disk)
        lines = [line for art in arts for line in art.textconv()]
    except PvenumError as err:
        if not fallback:
            raise
        yield from _fallback(_io.read_bytes(p), f"error: {named(err)}")
        return
    yield from lines


@click.command()
@click.argument("path")
@click.option("--format", "fmt", default=None, type=click.Choice(list(FORMATS_BY_NAME)),
              help="Read as this format instead of detecting it.")
@click.option("--fallback", is_flag=True,
              help="Never fail: unreadable or unknown content is printed as text or a hex dump "
                   "(keeps `git log -p` going past a corrupt blob).")
def textconv(path: str, fmt: str | None, fallback: bool) -> None:
    """Print PATH (any format pvenum reads, a directory, or REV:path from git) as stable
    `FIELD = VALUE` lines, for `git diff` textconv. Field names match `pvenum diff`."""
    from ..diff.gitsrc import materialize
    from ..errors import PvenumError

    out = sys.stdout.buffer if hasattr(sys.stdout, "buffer") else None
    with materialize([path]) as paths:
        got = paths[0]
        try:
            lines = textconv_lines(got.path if got is not None else path, fmt=fmt, fallback=fallback,
                                   label=path if got is not None else None, checkout=got)
            for line in lines:
                data = (line + "\n").encode("utf-8", "backslashreplace")
                if out is not None:
                    out.write(data)
                else:  # pragma: no cover - a captured stdout without a buffer
                    sys.stdout.write(data.decode("utf-8"))
        except PvenumError as err:
            raise got.explain(err, path) if got is not None else err
    if out is not None:
        out.flush()
