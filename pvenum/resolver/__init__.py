"""Guest models: pure functions ``Platform -> Derivation``.

``linux`` (upstream Linux), ``systemd`` (``systemd-detect-virt --cvm``), ``virt-what``
(``virt-what-cvm``) and ``proposal`` (the 2026 linux-coco three-state model with enumerated
services). Each model module exposes ``derive(platform) -> Derivation`` and ``MIRRORS``.

A model name may carry a release: ``linux@6.1``, ``linux@6.6``, ``linux@6.12`` (``linux`` is
newest mainline) and ``systemd@257`` (a systemd version).

A lazy facade (PEP 562): a name loads its defining submodule on first read, so importing one
submodule never runs the others and no import cycle closes through this package.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy_facade

if TYPE_CHECKING:  # pragma: no cover
    from .registry import MODELS, check_models, resolve, resolve_all, split_model

__all__ = ["MODELS", "check_models", "resolve", "resolve_all", "split_model"]
__getattr__, __dir__ = lazy_facade(__name__, {"registry": __all__})
