"""DSDT, SSDT and OSDT — definition blocks: the header, then AML byte code kept as bytes.

ACPI 6.5 §5.2.11.1 (DSDT), §5.2.11.2 (SSDT); OSDT is ACPICA's override SSDT. pvenum does not
interpret AML; ``iasl -d`` (pvenum.acpi.iasl) disassembles it.
"""

from __future__ import annotations

from .body import FixedBody
from .common import Record
from .kinds import SdtKind

AML_BODY = Record("DefinitionBlock", cite="ACPI 6.5 §5.2.11; ACPI 6.5 §20 (AML)")


def _aml(signature: str, title: str) -> SdtKind:
    body = FixedBody(AML_BODY, rest="AmlCode", rest_doc="AML byte code of the definition block")
    return SdtKind(signature, body, title=title, cite="ACPI 6.5 §5.2.11; AML: ACPI 6.5 §20")


DSDT = _aml("DSDT", "Differentiated System Description Table")
SSDT = _aml("SSDT", "Secondary System Description Table")
OSDT = _aml("OSDT", "Override System Description Table")
