"""The ``pvenum`` command line.

Each subcommand lives in ``pvenum/commands/<name>.py`` and is imported only when it runs, so
``pvenum --version`` imports nothing but this file and ``pvenum inspect x.dtb`` only the DTB
channel. The exit-code contract is written once, here (:data:`EXIT_CODES`,
:func:`exit_status`), and holds for every command: a command returns 0 or 1 (differences,
validation problems, unmet expectations); everything else is decided from what was raised.
"""

from __future__ import annotations

import os
import sys

from . import __version__

TYPE_CHECKING = False  # typing is not imported at run time (see pvenum/__init__.py)
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any, Callable

# name -> (module, attribute, one-line help). The help text lives here so `pvenum --help`
# lists commands without importing them.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "inspect": ("pvenum.commands.inspect", "inspect", "Decode artifacts (format detected from content)."),
    "resolve": ("pvenum.commands.resolve", "resolve", "What each guest model derives from a platform."),
    "snapshot": ("pvenum.commands.snapshot", "snapshot", "Capture this machine into a bundle directory."),
    "convert": ("pvenum.commands.convert", "convert", "Write a CPUID dump in another format."),
    "validate": ("pvenum.commands.validate", "validate", "Check DTBs and ACPI tables; exit 1 on problems."),
    "audit": ("pvenum.commands.audit", "audit", "Resolve a fleet of bundles/artifacts, each distinct capture once (JSON Lines, summary)."),
    "main": ("pvenum.commands.main", "main", "The main job (also `pvenum` alone): the catalog matrix, or PATHs' matrix."),
    "compare-encodings": ("pvenum.commands.compare_encodings", "compare_encodings",
                          "One services record in its CPUID, DT and ACPI encodings, side by side."),
    "build": ("pvenum.commands.build", "build", "Write every blob a scenario implies, reproducibly."),
    "scenarios": ("pvenum.commands.scenarios", "scenarios", "List the bundled scenario catalog."),
    "scenario": ("pvenum.commands.scenarios", "scenario", "Scenario files: `scenario new PATH`."),
    "diff": ("pvenum.commands.diff", "diff", "Compare two artifacts or platforms: named fields and derivations."),
    "verify": ("pvenum.commands.verify", "verify", "Check a bundle: copies of each channel agree, manifest matches; exit 1 if not."),
    "check": ("pvenum.commands.check", "check", "Compare stated [expect] tables with derivations; exit 1 on a mismatch."),
    "textconv": ("pvenum.commands.textconv", "textconv", "Stable line-oriented text of any artifact (git diff textconv)."),
    "rules": ("pvenum.commands.rules", "rules", "Each rule and shared predicate: the models using it, its upstream source."),
}


def _fast_path(args: list[str], stored_answers: bool = False) -> "Callable[[], Any] | None":
    """The bare forms that run without click, whose import alone is most of their start-up:
    `pvenum resolve TARGET` and, when stdout is not a terminal, `pvenum inspect PATH...` (every
    PATH readable; click.Path(exists=True) words the usage error otherwise). With no option,
    click would parse nothing, so the command's own body says exactly what the command says.
    Anything else (None) goes through click. ``stored_answers``: a catalog scenario's resolve
    is answered from, and stored to, the per-user cache (pvenum/scenario/answers.py)."""
    operands = args[1:]
    if not operands or any(not a or a.startswith("-") for a in operands):
        return None
    if args[0] == "resolve" and len(operands) == 1:
        if stored_answers:
            from .scenario import answers

            return lambda: answers.run(operands[0], _run_resolve)
        return lambda: _run_resolve(operands[0])
    if args[0] == "inspect" and all(os.path.exists(a) and os.access(a, os.R_OK) for a in operands):
        from .report.plain import plain_width

        if plain_width() is not None:
            from .commands._inspect import run as run_inspect

            return lambda: run_inspect(tuple(operands))
    return None


def _run_resolve(target: str) -> int:
    from .commands._resolve import run

    return run(target)


def _build_group():  # type: ignore[no-untyped-def]
    import importlib

    import click

    class LazyGroup(click.Group):
        def list_commands(self, ctx: click.Context) -> list[str]:
            return sorted(COMMANDS)

        def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
            if name not in COMMANDS:
                return None
            module, attr, _ = COMMANDS[name]
            return getattr(importlib.import_module(module), attr)

        def invoke(self, ctx: click.Context):  # type: ignore[no-untyped-def]
            try:
                return super().invoke(ctx)
            except BrokenPipeError:
                raise ClosedStdout() from None

        def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
            rows = [(name, COMMANDS[name][2]) for name in sorted(COMMANDS)]
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    @click.group(
        cls=LazyGroup,
        invoke_without_command=True,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    @click.version_option(__version__, "-V", "--version", prog_name="pvenum")
    @click.option("--json", "as_json", is_flag=True, help="With no command: the matrix as JSON.")
    @click.option("--markdown", is_flag=True, help="With no command: the matrix as Markdown.")
    @click.pass_context
    def group(ctx: click.Context, as_json: bool, markdown: bool) -> None:
        """pvenum: how a virtual platform describes itself to a guest (x86 CPUID, Arm
        devicetree, ACPI) and which confidential-VM mode and services each guest derives.

        With no command: resolve the bundled scenario catalog and print the matrix.
        """
        if ctx.invoked_subcommand is None:
            ctx.invoke(group.get_command(ctx, "main"), as_json=as_json, markdown=markdown)  # type: ignore[union-attr]

    return group


# The exit-code contract (README "Exit codes"; tests/test_exit_codes.py walks it over every command).
EXIT_CODES: dict[int, str] = {
    0: "success (also: the reader closed stdout early, as `| head` does)",
    1: "differences, validation problems or unmet expectations found",
    2: "usage: unknown option, option value or name, nonexistent path, nothing usable given",
    3: "unreadable or malformed input, or an output pvenum refuses to write",
}


class ClosedStdout(Exception):
    """stdout was closed by its reader; raised past click, which would turn EPIPE into exit 1."""


class _ClosedStdout:
    """sys.stdout of a process started without one: a command that prints fails with one line
    and exit 3 at its first write; one that prints nothing (build -o DIR) runs as usual."""

    encoding = "utf-8"
    errors = "strict"

    def write(self, text: str) -> int:
        from .errors import PvenumError

        raise PvenumError("stdout is closed: nothing can be printed")

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


# What only a write fails with: a full disk or quota, a file grown past its limit (stdout
# redirected to /dev/full, a full filesystem; a temporary file names itself).
_WRITE_ERRNOS = ("ENOSPC", "EDQUOT", "EFBIG")


def exit_status(exc: BaseException) -> int:
    """The exit status for what a command raised, printing its one line on stderr."""
    import errno

    import click

    from .errors import EXIT_ERROR, EXIT_USAGE, NotFound, PvenumError

    if isinstance(exc, (ClosedStdout, BrokenPipeError)):
        # `pvenum inspect ... | head`: stop quietly, like other Unix tools; nothing more is
        # flushed to the closed pipe at exit.
        try:
            sys.stdout = open(os.devnull, "w")
        except OSError:
            pass
        return 0
    if isinstance(exc, OSError) and exc.errno in {getattr(errno, n, None) for n in _WRITE_ERRNOS} - {None}:
        # One line as every error's (PvenumError: the file name's control characters escaped).
        what = "cannot write" if exc.filename else "cannot write the output"
        exc = PvenumError(f"{what}: {exc.strerror or exc}", path=None if exc.filename is None else str(exc.filename))
    if isinstance(exc, OSError) and exc.errno == errno.ENAMETOOLONG:
        # Python's Path.exists()/is_dir() raise it (3.11: pathlib._ignore_error) where commands
        # check their arguments: a name no file can have is a nonexistent path.
        exc = NotFound("no such file (name too long)", path=str(exc.filename))
    if isinstance(exc, PvenumError):
        sys.stderr.write(f"pvenum: error: {exc}\n")
        return exc.exit_code
    if isinstance(exc, click.exceptions.UsageError):  # unknown option, bad option value
        exc.show()
        return EXIT_USAGE
    if isinstance(exc, click.exceptions.FileError):  # click could not open a file argument
        sys.stderr.write(f"pvenum: error: {exc.ui_filename}: {exc.message}\n")
        return EXIT_ERROR
    if isinstance(exc, click.exceptions.ClickException):
        exc.show()
        return EXIT_USAGE
    if isinstance(exc, (KeyboardInterrupt, click.exceptions.Abort)):
        sys.stderr.write("pvenum: interrupted\n")
        return 130
    if isinstance(exc, SystemExit):  # click's own exits (--help, --version)
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else EXIT_USAGE)
        return code
    if os.environ.get("PVENUM_DEBUG"):
        raise exc
    msg = " ".join(str(exc).split())
    sys.stderr.write(f"pvenum: error: internal error ({type(exc).__name__}: {msg}); "
                     "please report it with the input (PVENUM_DEBUG=1 shows the traceback)\n")
    return EXIT_ERROR


def main(argv: list[str] | None = None, *, stored_answers: bool = False) -> int:
    """``stored_answers``: only for the ``pvenum`` program (:func:`entry`); code calling main()
    in-process may have changed what a stored answer would hide."""
    args = sys.argv[1:] if argv is None else list(argv)
    if sys.stdout is None:  # started with stdout closed (`>&-`): Python leaves None
        sys.stdout = _ClosedStdout()  # type: ignore[assignment]
    if sys.stderr is None:  # started with stderr closed: errors go nowhere, the exit status stays
        sys.stderr = open(os.devnull, "w")
    try:
        if args in (["--version"], ["-V"]):  # what click's version_option prints, without click
            sys.stdout.write(f"pvenum {__version__}\n")
            rv = 0
        elif (fast := _fast_path(args, stored_answers)) is not None:
            rv = fast()
        else:
            rv = _build_group().main(args=args, prog_name="pvenum", standalone_mode=False)
    except BaseException as exc:  # noqa: BLE001 - the contract is "never a traceback"
        return exit_status(exc)
    try:
        sys.stdout.flush()  # a closed pipe or a full disk shows here for output still buffered
    except OSError as exc:
        return exit_status(exc)
    # A command finishing without raising returns its status: 1 when it found differences,
    # problems or unmet expectations (validate, diff --exit-code), else 0.
    return rv if isinstance(rv, int) else 0


def entry() -> None:
    """The ``pvenum`` program (console script, ``python -m pvenum``): :func:`main`, then exit."""
    status = main(stored_answers=True)
    # What is left is freed by the process's exit. Frozen, it is not walked again by the
    # interpreter's final garbage collections — several ms of a short command such as
    # `pvenum resolve NAME`. Only here at the process's end, never in main(), which tests call
    # in-process (gc.freeze() would keep their garbage from ever being collected).
    import gc

    gc.freeze()
    raise SystemExit(status)


if __name__ == "__main__":  # pragma: no cover
    entry()
