"""One derived value remembered on the object it was derived for.

A model's index (the first ACPI table per signature, CPU 0's hypervisor bases, ...) is read many
times per resolve; it is rebuilt when the list or dict it was made from is replaced or changes
length (a model is edited by replacing or appending, never by overwriting an entry in place).
"""

from __future__ import annotations

from typing import Any, Callable, Sized, TypeVar

S = TypeVar("S", bound=Sized)
T = TypeVar("T")


def kept(owner: Any, slot: str, source: S, build: Callable[[S], T]) -> T:
    """``build(source)``, remembered in ``owner.__dict__[slot]`` while ``source`` is the same
    object of the same length."""
    memo = owner.__dict__.get(slot)
    if memo is None or memo[0] is not source or memo[1] != len(source):
        memo = owner.__dict__[slot] = (source, len(source), build(source))
    return memo[2]
