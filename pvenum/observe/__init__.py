"""What a running Linux kernel concluded about its platform, read from its own output.

``read(text)`` takes a console log or dmesg plus the report lines of the kernelcheck init or
`pvenum snapshot` (kernel.log) and returns an :class:`Observation` in the vocabulary of a
derivation (mode, isolation, hypervisor, memory_acceptance, services, kernel release), each
item with the line or file it came from. ``compare(observation, derivation)`` says where a
model's derivation agrees with the kernel.
"""

from __future__ import annotations

from .compare import Agreement, compare
from .model import OUTCOMES, Observation
from .reader import conclude, read, scan

__all__ = ["Agreement", "Observation", "OUTCOMES", "compare", "conclude", "read", "scan"]
