"""decode.set_names: the declared flags set in a value, then the bits no field declares."""

from pvenum.cpuid.decode import set_names
from pvenum.cpuid.leaves import Field


def test_overlapping_fields_leave_no_bit_reported_as_other():
    # Two declarations sharing bit 1 (a two-bit field and one of its bits): summing the masks
    # (0b11 + 0b10 = 0b101) had reported bit 1 as "other bits 0x2" and hidden bit 2.
    fields = (Field("eax", 0, 1, "LOW_TWO"), Field("eax", 1, 1, "BIT1"))
    assert set_names(fields, 0b010) == ["LOW_TWO", "BIT1"]
    assert set_names(fields, 0b110) == ["LOW_TWO", "BIT1", "other bits 0x4"]
