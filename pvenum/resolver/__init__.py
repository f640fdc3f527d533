"""Guest models: pure functions ``Platform -> Derivation``.

``linux`` (upstream Linux), ``systemd`` (``systemd-detect-virt --cvm``), ``virt-what``
(``virt-what-cvm``) and ``proposal`` (the 2026 linux-coco three-state model with enumerated
services). Each model module exposes ``derive(platform) -> Derivation`` and ``MIRRORS``.
"""

from __future__ import annotations

import importlib
from typing import Iterable

from ..errors import PvenumError
from ..platform import Platform
from .derivation import Derivation

MODELS = ("linux", "systemd", "virt-what", "proposal")
_MODULES = {
    "linux": "pvenum.resolver.models.linux",
    "systemd": "pvenum.resolver.models.systemd",
    "virt-what": "pvenum.resolver.models.virt_what",
    "proposal": "pvenum.resolver.models.proposal",
}


def resolve(platform: Platform, model: str = "linux") -> Derivation:
    if model not in _MODULES:
        raise PvenumError(f"unknown model {model!r}; known: {', '.join(MODELS)}")
    mod = importlib.import_module(_MODULES[model])
    d = mod.derive(platform)
    if platform.problems:  # a bundle that is not one platform (pvenum.bundle): every model says so
        from ..bundle import findings

        d.findings.extend(findings(platform.problems))
    return d


def resolve_all(platform: Platform, models: Iterable[str] | None = None) -> dict[str, Derivation]:
    return {m: resolve(platform, m) for m in (models or MODELS)}
