"""decode.set_names: the declared flags set in a value, then the bits no field declares."""

from pvenum.cpuid.decode import msr_summary, set_names
from pvenum.cpuid.leaves import Field
from pvenum.cpuid.model import MSR_AMD64_RMP_BASE, MSR_AMD64_RMP_END


def test_overlapping_fields_leave_no_bit_reported_as_other():
    # Two declarations sharing bit 1 (a two-bit field and one of its bits): summing the masks
    # (0b11 + 0b10 = 0b101) had reported bit 1 as "other bits 0x2" and hidden bit 2.
    fields = (Field("eax", 0, 1, "LOW_TWO"), Field("eax", 1, 1, "BIT1"))
    assert set_names(fields, 0b010) == ["LOW_TWO=2", "BIT1"]
    assert set_names(fields, 0b110) == ["LOW_TWO=2", "BIT1", "other bits 0x4"]


def test_a_wider_field_shows_its_value():
    # RMP_BASE (MSR_AMD64_RMP_BASE 0xc0010132, arch/x86/include/asm/msr-index.h): the address
    # snp_probe_rmptable_info() takes is its bits 51:13 (RMP_ADDR_MASK, GENMASK_ULL(51, 13),
    # arch/x86/virt/svm/sev.c). 0x12345000 holds 0x12344000 there (0x91a2 in 8 KiB units) and
    # bit 12 outside it.
    assert msr_summary(MSR_AMD64_RMP_BASE, 0x12345000) == "RMP_BASE (MSR_AMD64_RMP_BASE): RMP_ADDR=0x91a2 other bits 0x1000"
    assert msr_summary(MSR_AMD64_RMP_END, 0) == "RMP_END (MSR_AMD64_RMP_END): no flag set"
