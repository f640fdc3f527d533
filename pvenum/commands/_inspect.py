"""What `pvenum inspect` does, without click: the command (inspect.py) and the CLI's fast path
for `pvenum inspect PATH...` (pvenum/cli.py) both run it."""

from __future__ import annotations

import sys

from . import warn_not_read


def run(paths: tuple[str, ...], *, as_json: bool = False, bits: bool = False, fmt: str | None = None,
        disasm: bool = False, as_dts: bool = False, strict: bool = False) -> None:
    from ..errors import UsageError
    from ..formats import load_path

    empty: list[str] = []

    if as_json:
        import json

        out = sys.stdout
        for path in paths:
            n = 0
            for n, art in enumerate(load_path(path, fmt=fmt, strict=strict, refused=warn_not_read), 1):
                obj = art.to_json()
                if disasm and hasattr(art, "disassemble"):
                    obj["disassembly"] = _disassembly(art)
                out.write(json.dumps(obj, sort_keys=False) + "\n")
            if not n:
                empty.append(path)
    else:
        from ..report.plain import plain_width

        con = None
        width = plain_width()
        for path in paths:
            n = 0
            for n, art in enumerate(load_path(path, fmt=fmt, strict=strict, refused=warn_not_read), 1):
                text = None
                if width is not None and not as_dts and not disasm and hasattr(art, "render_text"):
                    text = art.render_text(bits=bits, width=width)  # the same text, without rich
                if text is not None:
                    sys.stdout.write(text)
                    continue
                if con is None:
                    from ..report.console import console

                    con = console()
                if as_dts and hasattr(art, "to_dts"):
                    con.print(art.to_dts(), markup=False, highlight=False, soft_wrap=True)
                    continue
                con.print(art.render(bits=bits))
                if disasm and hasattr(art, "disassemble"):
                    con.print(_disassembly(art), markup=False, highlight=False, soft_wrap=True)
            if not n:
                empty.append(path)
    if empty:  # a directory holding nothing pvenum reads: say so, never a silent success
        raise UsageError("found nothing pvenum reads here (see `pvenum inspect --help` for the formats)",
                         path=empty[0])


def _disassembly(art) -> str:
    """``art.disassemble()``; its error names the file and the table (an acpidump holds many)."""
    from ..errors import PvenumError

    try:
        return art.disassemble()
    except PvenumError as err:
        if err.path is None:
            err.message = f"{art.label}: {err.message}"
        raise err.with_path(art.path) from None
