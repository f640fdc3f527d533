"""The model registry behind :mod:`pvenum.resolver`: names, releases, ``resolve``.

Guest models: pure functions ``Platform -> Derivation``.

``linux`` (upstream Linux), ``systemd`` (``systemd-detect-virt --cvm``), ``virt-what``
(``virt-what-cvm``) and ``proposal`` (the 2026 linux-coco three-state model with enumerated
services). Each model module exposes ``derive(platform) -> Derivation`` and ``MIRRORS``.

A model name may carry a release: ``linux@6.1``, ``linux@6.6``, ``linux@6.12`` (``linux`` is
newest mainline) and ``systemd@257`` (a systemd version).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Iterable

from ..errors import PvenumError
from ..platform import Platform
from .derivation import Derivation

if TYPE_CHECKING:  # pragma: no cover
    from ..kconfig import KernelConfig

MODELS = ("linux", "systemd", "virt-what", "proposal")
_MODULES = {
    "linux": "pvenum.resolver.models.linux",
    "systemd": "pvenum.resolver.models.systemd",
    "virt-what": "pvenum.resolver.models.virt_what",
    "proposal": "pvenum.resolver.models.proposal",
}
# The keyword each versioned model's derive() takes its release by.
_RELEASE_ARG = {"linux": "release", "systemd": "version"}
# The models of a kernel, whose derive() takes the kernel's configuration (``kernel_config``).
_KERNEL_MODELS = frozenset({"linux"})


def split_model(name: str) -> tuple[str, str | None]:
    """``"linux@6.1"`` -> ``("linux", "6.1")``; checks both parts (PvenumError names the problem)."""
    base, sep, release = name.partition("@")
    if base not in _MODULES:
        raise PvenumError(f"unknown model {name!r}; known: {', '.join(MODELS)} "
                          "(and linux@6.1, linux@6.6, linux@6.12, systemd@VERSION)")
    if not sep:
        return base, None
    if base not in _RELEASE_ARG:
        raise PvenumError(f"model {base!r} has no releases to choose from ({name!r})")
    if base == "linux":
        from .models.linux_releases import parse_release

        parse_release(release)
    else:
        from .models.systemd import _behaviour, version_of

        try:
            _behaviour(version_of(release))
        except ValueError as err:
            raise PvenumError(f"{name!r}: {err}") from None
    return base, release


def check_models(names: Iterable[str]) -> tuple[str, ...]:
    """Model names as the CLI takes them (repeatable, comma-separated), checked, in order."""
    out: list[str] = []
    for item in names:
        for name in (n.strip() for n in item.split(",")):
            if name and name not in out:
                split_model(name)
                out.append(name)
    return tuple(out)


_DERIVE: dict = {}  # model name -> (derive(), base, release), checked and imported on first use


def resolve(platform: Platform, model: str = "linux", *, facts: dict | None = None,
            kernel_config: KernelConfig | None = None) -> Derivation:
    """What ``model`` derives from ``platform``. ``facts`` (a dict, empty at first) lets models
    resolved one after another on the same platform share its shared predicates' results;
    it must not outlive the platform unchanged. ``kernel_config`` is the configuration the
    ``linux`` models' kernel was built with (pvenum/kconfig.py); the other models are user space
    and do not read it."""
    known = _DERIVE.get(model)
    if known is None:
        base, release = split_model(model)
        if len(_DERIVE) >= 64:  # systemd@VERSION takes any version: never let names grow it
            _DERIVE.clear()
        known = _DERIVE[model] = (importlib.import_module(_MODULES[base]).derive, base, release)
    derive, base, release = known
    if kernel_config is not None and base in _KERNEL_MODELS:
        d = derive(platform, facts=facts, kernel_config=kernel_config,
                   **({} if release is None else {_RELEASE_ARG[base]: release}))
    elif release is None:
        d = derive(platform, facts=facts)
    else:
        d = derive(platform, facts=facts, **{_RELEASE_ARG[base]: release})
    if platform.problems:  # a bundle that is not one platform (pvenum.bundle): every model says so
        from ..bundle import findings

        d.findings.extend(findings(platform.problems))
    return d


def resolve_all(platform: Platform, models: Iterable[str] | None = None, *,
                kernel_config: KernelConfig | None = None) -> dict[str, Derivation]:
    """Every model (or ``models``) on one platform; they share what shared predicates found."""
    facts: dict = {}
    return {m: resolve(platform, m, facts=facts, kernel_config=kernel_config) for m in (models or MODELS)}
