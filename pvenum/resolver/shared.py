"""Shared predicates: reads of the platform that more than one guest model (or the cross-channel
checks) calls. Each is named after the upstream function it mirrors and marked with
:func:`shared`, so `pvenum rules` can say which rules — and so which models — a change to it
touches (pvenum/resolver/rulecatalog.py reads who uses what from the code itself).
"""

from __future__ import annotations

import functools
from typing import Any, Callable, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


def once_per_platform(fn: F) -> F:
    """Evaluate ``fn(ctx)`` once per resolve_all() (in ``ctx.facts``), replaying the reads it
    made into each later caller's step, so the evidence is as if it had run again. Not listed
    by `pvenum rules` on its own: :func:`shared` marks the predicates that are."""

    @functools.wraps(fn)
    def replayed(ctx: Any) -> Any:
        facts = ctx.facts
        if facts is None:
            return fn(ctx)
        known = facts.get(replayed)
        if known is not None:
            ctx._reads.extend(known[1])
            return known[0]
        reads = ctx._reads
        start = len(reads)
        result = fn(ctx)
        facts[replayed] = (result, reads[start:])
        return result

    return replayed  # type: ignore[return-value]


def shared(mirrors: str) -> Callable[[F], F]:
    """Mark a predicate several models share; ``mirrors`` cites the upstream function.

    A shared predicate is a function of the platform alone (it reads through ``ctx`` and
    returns a value nobody mutates), so the models resolved together on one platform
    (``resolve_all``) evaluate it once (:func:`once_per_platform`): the first call keeps its
    result and the reads it made in ``ctx.facts``; later calls replay those reads into the
    calling rule's step and return the result."""

    def mark(fn: F) -> F:
        once = once_per_platform(fn)
        once.__shared_mirrors__ = mirrors  # type: ignore[attr-defined]
        return once

    return mark
