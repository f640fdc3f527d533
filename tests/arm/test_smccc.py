"""SMCCC answers: the realm_config layout, the builders, and platform.toml [smccc]."""

from __future__ import annotations

import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pvenum.arm import layouts as L
from pvenum.arm import smccc as S
from pvenum.errors import ParseError, ScenarioError
from pvenum.platform_toml import parse_platform_toml

# -- struct realm_config ---------------------------------------------------------------------------


def test_realm_config_layout_parity_with_a_struct_oracle():
    # Independent oracle: the offsets of TF-RMM's struct rsi_realm_config (RMM 1.1) and Linux's
    # struct realm_config written as one struct format; distinct values in every field.
    fmt = "<QB7xQI4xQ472x64s3520x"
    assert struct.calcsize(fmt) == L.REALM_CONFIG_SIZE == 0x1000
    rpv = bytes(range(64))
    data = struct.pack(fmt, 48, 1, 2, 0x90080000, 3, rpv)
    fields = L.parse_realm_config(data)
    assert (fields["ipa_bits"], fields["hash_algo"], fields["num_aux_planes"], fields["gicv3_vtr"],
            fields["ats_plane"], fields["rpv"]) == (48, 1, 2, 0x90080000, 3, rpv)
    assert L.build_realm_config({k: fields[k] for k in L.REALM_CONFIG_FIELDS}) == data
    for name, off in L.OFFSETS.items():
        assert off == {"ipa_bits": 0, "hash_algo": 8, "num_aux_planes": 0x10, "gicv3_vtr": 0x18, "ats_plane": 0x20,
                       "rpv": 0x200}[name]


def test_linux_reads_the_granule_as_its_own_struct():
    # Linux: union { struct { unsigned long ipa_bits; unsigned long hash_algo; }; u8 pad[0x200]; };
    #        union { u8 rpv[64]; u8 pad2[0xe00]; };  (arch/arm64/include/asm/rsi_smc.h)
    data = S.realm_config(33, "sha512", rpv=b"\xaa" * 64)
    ipa_bits, hash_algo = struct.unpack_from("<QQ", data, 0)
    assert (ipa_bits, hash_algo) == (33, 1)  # u8 algorithm + zero reserved bytes = Linux's u64
    assert data[0x200:0x240] == b"\xaa" * 64 and not any(data[0x240:])
    assert len(data) == 0x1000


def test_realm_config_round_trips_reserved_bytes_and_refuses_short_input():
    data = bytearray(S.realm_config(48))
    data[0x30] = 0x5A  # a reserved byte
    assert L.build_realm_config(L.parse_realm_config(bytes(data))) == bytes(data)
    with pytest.raises(ParseError):
        L.parse_realm_config(bytes(100))


def test_leading_parse_is_the_granules_first_fields():
    # The resolver parses only what arm64_rsi_init() reads: the same fields, the same values.
    assert L.REALM_CONFIG.subcons[:len(L.LEADING_FIELDS)] == list(L.LEADING_FIELDS)
    data = S.realm_config(41, "sha512", rpv=b"\x01" * 64, gicv3_vtr=7)
    full = L.parse_realm_config(data)
    assert L.parse_realm_config(data, leading=True) == {"ipa_bits": 41, "hash_algo": 1}
    assert all(full[k] == v for k, v in L.parse_realm_config(data, leading=True).items())


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 2**64 - 1), st.integers(0, 255), st.binary(max_size=64), st.integers(0, 2**32 - 1))
def test_realm_config_build_parse_identity(ipa, algo, rpv, vtr):
    data = S.realm_config(ipa, algo, rpv=rpv, gicv3_vtr=vtr)
    got = L.parse_realm_config(data)
    assert (got["ipa_bits"], got["hash_algo"], got["gicv3_vtr"]) == (ipa, algo, vtr)
    assert got["rpv"] == rpv + bytes(64 - len(rpv))


# -- builders --------------------------------------------------------------------------------------


def test_vendor_uids_are_the_published_uuids():
    # smccc_res_to_uuid() packs x0 as bytes 0-3 little-endian (include/linux/arm-smccc.h).
    assert S.uuid_regs("28b46fb6-2ec5-11e9-a9ca-4b564d003a74") == S.UID_KVM
    assert S.uuid_regs("58ba324d-6447-24cd-756c-ef8e24705916") == S.UID_HYPERV
    assert S.uuid_regs("c1d58fcd-a453-5fdb-9265-ce36673d5f14") == S.UID_GUNYAH
    assert S.regs_uuid(S.UID_KVM) == "28b46fb6-2ec5-11e9-a9ca-4b564d003a74"
    # The literal register values in include/linux/arm-smccc.h (ARM_SMCCC_VENDOR_HYP_UID_KVM_REG_*).
    assert S.UID_KVM == (0xB66FB428, 0xE911C52E, 0x564BCAA9, 0x743A004D)
    assert S.vendor_uid("hyperv") == (0x4D32BA58, 0xCD244764, 0x8EEF6C75, 0x16597024)
    with pytest.raises(ScenarioError, match="no vendor hypervisor UID"):
        S.vendor_uid("vmware")


def test_version_and_status_builders():
    assert S.smccc_version(1, 2) == (0x10002, 0, 0, 0)
    assert S.psci_version(1, 1) == (0x10001, 0, 0, 0)
    assert S.rsi_version(1, 0) == (0, 0x10000, 0x10000, 0)
    assert S.rsi_version(2, 0, higher=(2, 1), status=S.RSI_ERROR_INPUT) == (1, 0x20000, 0x20001, 0)
    assert S.rsi_version(status=S.SMCCC_RET_NOT_SUPPORTED)[0] == 2**64 - 1
    assert S.kvm_features(S.KVM_FUNC_PTP) == (0b11, 0, 0, 0)
    assert S.kvm_features(S.KVM_FUNC_MEM_SHARE, 100) == (0b1001, 0, 0, 1 << 4)
    assert S.rsi_features(1) == (0, 1, 0, 0)
    assert S.not_supported()[0] == S.SMCCC_RET_NOT_SUPPORTED
    # SMC_RSI_FID(n) = FAST | SMC64 | OWNER_STANDARD | n (arch/arm64/include/asm/rsi_smc.h).
    fid = lambda n: 1 << 31 | 1 << 30 | 4 << 24 | n  # noqa: E731
    assert (S.RSI_VERSION, S.RSI_REALM_CONFIG, S.RSI_IPA_STATE_SET, S.RSI_HOST_CALL) == (
        fid(0x190), fid(0x196), fid(0x197), fid(0x199))
    # ARM_SMCCC_VENDOR_HYP_KVM_*: FAST | SMC64 | OWNER_VENDOR_HYP (6) | n
    assert S.KVM_HYP_MEMINFO == 1 << 31 | 1 << 30 | 6 << 24 | 2


# -- platform.toml --------------------------------------------------------------------------------

CONTRACT_EXAMPLE = b"""arch = "arm64"
[smccc]                               # answers to SMCCC calls: function id -> [x0, x1, x2, x3]
"0xc4000190" = [0, 0x10000, 0x10000, 0]                         # RSI_VERSION: success, v1.0
"0x8600ff01" = [0xb66fb428, 0xe911c52e, 0x564bcaa9, 0x743a004d] # vendor hyp UID: KVM
# SMCCC error returns are written signed: -1 is NOT_SUPPORTED (x0 = 0xffff_ffff_ffff_ffff)
"""


def test_design_md_example_parses():
    doc = parse_platform_toml(CONTRACT_EXAMPLE)
    assert doc.arch == "arm64"
    assert doc.smccc.call(S.RSI_VERSION) == (0, 0x10000, 0x10000, 0)
    assert doc.smccc.call(S.VENDOR_HYP_CALL_UID) == S.UID_KVM
    assert doc.smccc.call(S.RSI_REALM_CONFIG)[0] == S.SMCCC_RET_NOT_SUPPORTED  # unstated
    assert doc.smccc.realm_config() is None


def test_realm_config_table_builds_the_granule_and_implies_success():
    doc = parse_platform_toml(b'arch = "arm64"\n[smccc.realm_config]\nipa_bits = 40\nhash_algo = "sha512"\n'
                              b'rpv = "hex:0011"\n')
    answers = doc.smccc
    assert answers.call(S.RSI_REALM_CONFIG) == (0, 0, 0, 0)
    cfg = answers.realm_config()
    assert (cfg["ipa_bits"], cfg["hash_algo"], cfg["rpv"][:3]) == (40, 1, b"\x00\x11\x00")
    assert answers.memory[S.RSI_REALM_CONFIG] == S.realm_config(40, 1, rpv=b"\x00\x11")
    # An explicit failing answer is kept.
    doc = parse_platform_toml(b'[smccc]\n"0xc4000196" = [-1]\n[smccc.realm_config]\nipa_bits = 40\n')
    assert doc.smccc.call(S.RSI_REALM_CONFIG)[0] == S.SMCCC_RET_NOT_SUPPORTED


def test_platform_toml_round_trip_through_the_writer():
    from pvenum.build import platform_toml
    from pvenum.platform import Platform

    answers = S.SmcccAnswers({S.RSI_VERSION: S.rsi_version(), S.RSI_REALM_CONFIG: (0, 0, 0, 0),
                              S.VENDOR_HYP_CALL_UID: S.UID_KVM, 0x84000000: S.not_supported()},
                             memory={S.RSI_REALM_CONFIG: S.realm_config(52, "sha256", rpv=b"\x01\x02", num_aux_planes=3)})
    text = platform_toml(Platform(arch="arm64", smccc=answers))
    assert "[smccc.realm_config]\nipa_bits = 52\nhash_algo = \"sha256\"\nnum_aux_planes = 3\nrpv = \"hex:0102\"" in text
    assert '"0x84000000" = [-1, 0x0, 0x0, 0x0]' in text
    assert parse_platform_toml(text.encode()).smccc == answers
    assert "smccc 0xc4000196 realm_config.ipa_bits = 52" in list(answers.textconv())


@pytest.mark.parametrize("body,key", [
    ('[smccc.realm_config]\nipa_width = 48\n', "smccc.realm_config.ipa_width"),
    ('[smccc.realm_config]\nipa_bits = -1\n', "smccc.realm_config.ipa_bits"),
    ('[smccc.realm_config]\nhash_algo = "md5"\n', "smccc.realm_config.hash_algo"),
    ('[smccc.realm_config]\nrpv = "00ff"\n', "smccc.realm_config.rpv"),
    ('[smccc.realm_config]\nrpv = "hex:' + "00" * 65 + '"\n', "smccc.realm_config.rpv"),
    ('[smccc.host_call]\nimm = 1\n', "smccc.host_call"),
    ('[smccc]\n"rsi" = [0]\n', "smccc.rsi"),
    ('[smccc]\n"0xc4000190" = [0, 1, 2, 3, 4]\n', "smccc.0xc4000190"),
])
def test_bad_smccc_tables_name_the_key(body, key):
    with pytest.raises(ScenarioError) as err:
        parse_platform_toml(body.encode(), "p.toml")
    assert err.value.key == key and "p.toml" in str(err.value)
