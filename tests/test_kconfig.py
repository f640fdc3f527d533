"""pvenum/kconfig.py: reading a kernel's .config as scripts/kconfig/confdata.c writes and reads it
(torvalds/linux v7.2.8: conf_write() writes "CONFIG_X=value" and "# CONFIG_X is not set" under a
"# Linux/SRCARCH VERSION Kernel Configuration" header; conf_read_simple() lets a later line for
the same symbol override an earlier one)."""

from __future__ import annotations

import gzip

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pvenum.errors import LimitError, ParseError, PvenumError
from pvenum.kconfig import MAX_CONFIG_BYTES, parse_kconfig, read_kconfig

# The head of a config as conf_write() lays it out: the header comment block, then options
# (the shape of every /boot/config-* Debian ships; values typed here, not copied from one).
CONFIG = b"""#
# Automatically generated file; DO NOT EDIT.
# Linux/x86 6.1.176 Kernel Configuration
#
CONFIG_CC_VERSION_TEXT="gcc-12 (Debian 12.2.0-14+deb12u1) 12.2.0"
CONFIG_CC_IS_GCC=y
CONFIG_GCC_VERSION=120200
CONFIG_NR_CPUS=8192
CONFIG_PHYSICAL_START=0x1000000

#
# Processor type and features
#
CONFIG_HYPERVISOR_GUEST=y
CONFIG_KVM_GUEST=y
# CONFIG_JAILHOUSE_GUEST is not set
# CONFIG_INTEL_TDX_GUEST is not set
CONFIG_AMD_MEM_ENCRYPT=y
CONFIG_SEV_GUEST=m
CONFIG_LOCALVERSION="a \\"quoted\\" \\\\ name"
"""


def test_values_as_written_and_not_set_as_n():
    cfg = parse_kconfig(CONFIG, "config-6.1.0-50-amd64")
    assert (cfg.arch, cfg.version, cfg.release()) == ("x86", "6.1.176", (6, 1))
    assert cfg.value("KVM_GUEST") == "y" and cfg.is_set("KVM_GUEST")
    assert cfg.value("SEV_GUEST") == "m" and cfg.is_set("SEV_GUEST")  # a module is built: the code exists
    assert cfg.value("INTEL_TDX_GUEST") == "n" and not cfg.is_set("INTEL_TDX_GUEST")
    assert not cfg.is_set("XEN")  # missing from the file: not visible, so n
    assert cfg.value("PHYSICAL_START") == "0x1000000" and cfg.value("NR_CPUS") == "8192"
    assert cfg.value("LOCALVERSION") == '"a \\"quoted\\" \\\\ name"'
    assert cfg.path == "config-6.1.0-50-amd64"


def test_a_later_line_overrides_an_earlier_one():
    # conf_read_simple(): "override: reassigning to symbol" — the last assignment stands.
    cfg = parse_kconfig(b"CONFIG_A=y\n# CONFIG_A is not set\nCONFIG_B=m\nCONFIG_B=y\nCONFIG_C=y\nCONFIG_C=n\n")
    assert (cfg.value("A"), cfg.value("B"), cfg.value("C")) == ("n", "y", "n")
    assert cfg.arch is None and cfg.release() is None  # no header: nothing claimed


def test_crlf_and_blank_lines_are_taken():
    cfg = parse_kconfig(b"# Linux/arm64 7.3.4 Kernel Configuration\r\n\r\nCONFIG_ARM_CCA_GUEST=m\r\n")
    assert (cfg.arch, cfg.version, cfg.value("ARM_CCA_GUEST")) == ("arm64", "7.3.4", "m")


def test_proc_config_gz_is_inflated(tmp_path):
    p = tmp_path / "config.gz"
    p.write_bytes(gzip.compress(CONFIG))
    assert read_kconfig(p).value("SEV_GUEST") == "m"


@pytest.mark.parametrize("data, offset, words", [
    (b"CONFIG_A=y\nthis is prose\n", 11, "line 2: expected CONFIG_NAME=value"),
    (b"CONFIG_A=y\nCONFIG_B=maybe\n", 11, "CONFIG_B: value 'maybe'"),
    (b"CONFIG_A=\"open\n", 0, "value '\"open'"),
    (b"CONFIG_A=y\nCONFIG_B=\0\n", 20, "a NUL byte"),
    (b"CONFIG_A=\xff\n", 9, "not UTF-8"),
    (b"# just a comment\n\n", 0, "no CONFIG_ line"),
    (b"", 0, "no CONFIG_ line"),
])
def test_what_is_not_a_config_is_refused_at_its_offset(data, offset, words):
    with pytest.raises(ParseError) as err:
        parse_kconfig(data, "bad.config")
    assert err.value.offset == offset and words in str(err.value), str(err.value)
    assert str(err.value).startswith("bad.config: kconfig at offset ")


def test_a_config_that_inflates_past_the_limit_stops_there(tmp_path):
    p = tmp_path / "bomb.gz"
    p.write_bytes(gzip.compress(b"#" * (MAX_CONFIG_BYTES + 2)))
    with pytest.raises(LimitError, match="inflates past"):
        read_kconfig(p)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=512))
def test_any_bytes_parse_or_fail_as_pvenum_errors(data):
    try:
        cfg = parse_kconfig(data)
    except PvenumError as err:
        assert "\n" not in str(err)
    else:
        assert all(v != "n" for v in cfg.options.values())
