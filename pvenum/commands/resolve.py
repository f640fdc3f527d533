"""pvenum resolve TARGET — what each guest model derives from a platform, with evidence."""

from __future__ import annotations

import click


def model_option(fn):
    """``--model NAME`` (repeatable, comma-separated): a model, or linux@RELEASE / systemd@VERSION."""

    def check(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> tuple[str, ...]:
        from ..errors import PvenumError
        from ..resolver.registry import check_models

        try:
            return check_models(value)
        except PvenumError as err:
            raise click.BadParameter(str(err)) from None

    return click.option(
        "--model", "models", multiple=True, callback=check, metavar="NAME",
        help="Only these models (repeatable or comma-separated): linux, systemd, virt-what, proposal; "
             "linux@6.1, linux@6.6, linux@6.12 (linux is newest mainline), systemd@VERSION.")(fn)


def kernel_config_option(fn):
    """``--kernel-config FILE``: the configuration the linux models' kernel was built with, read
    (pvenum.kconfig) before any target is: a file that is not one stops the command first."""

    def read(ctx: click.Context, param: click.Parameter, value: str | None):
        if value is None:
            return None
        from ..kconfig import read_kconfig

        return read_kconfig(value)

    return click.option(
        "--kernel-config", "kernel_config", metavar="FILE", callback=read,
        help="The linux models' kernel is built as this .config says (/boot/config-*, /proc/config.gz), "
             "instead of as a bundle's own kernel.config says or with every guest option set.")(fn)


@click.command()
@click.argument("target")
@model_option
@click.option("--json", "as_json", is_flag=True, help="One JSON object (docs/contracts.md).")
@click.option("--explain", is_flag=True, help="Walk each derivation rule by rule: input, bits, source, conclusion.")
@click.option("--strict", is_flag=True, help="Text captures must be only the tool's output: refuse pasted quoting and prose.")
@kernel_config_option
def resolve(target: str, models: tuple[str, ...], as_json: bool, explain: bool, strict: bool,
            kernel_config=None) -> int:
    """Resolve TARGET — a bundled scenario name, a scenario TOML, a bundle directory or a
    single artifact — under each guest model: linux, systemd, virt-what, proposal (or the --model
    list, e.g. linux@6.1,linux). Exit 1 when a bundle is not one platform (a file unreadable,
    copies disagreeing: `pvenum verify`)."""
    from ._resolve import run

    return run(target, models, as_json=as_json, explain=explain, strict=strict, kernel_config=kernel_config)
