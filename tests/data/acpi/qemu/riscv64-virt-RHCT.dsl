/*
 * Intel ACPI Component Architecture
 * AML/ASL+ Disassembler version 20260408 (64-bit version)
 * Copyright (c) 2000 - 2026 Intel Corporation
 * 
 *
 * ACPI Data Table [RHCT]
 *
 * Format: [HexOffset DecimalOffset ByteLength]  FieldName : FieldValue (in hex)
 */

[000h 0000 004h]                   Signature : "RHCT"    [RISC-V Hart Capabilities Table]
[004h 0004 004h]                Table Length : 000001A0
[008h 0008 001h]                    Revision : 01
[009h 0009 001h]                    Checksum : DB
[00Ah 0010 006h]                      Oem ID : "BOCHS "
[010h 0016 008h]                Oem Table ID : "BXPC    "
[018h 0024 004h]                Oem Revision : 00000001
[01Ch 0028 004h]             Asl Compiler ID : "BXPC"
[020h 0032 004h]       Asl Compiler Revision : 00000001

[024h 0036 004h]                       Flags : 00000000
[028h 0040 008h]        Timer Base Frequency : 0000000000989680
[030h 0048 004h]             Number of nodes : 00000004
[034h 0052 004h]    Offset to the node array : 00000038

[038h 0056 002h]               Subtable Type : 0000 [RISC-V ISA string structure]
[03Ah 0058 002h]                      Length : 013E
[03Ch 0060 002h]                    Revision : 0001
[03Eh 0062 002h]           ISA string length : 0135
[040h 0064 135h]                  ISA string : "rv64imafdcb_zic64b_zicbom_zicbop_zicboz_ziccamoa_ziccif_zicclsm_ziccrse_zicntr_zicsr_zifencei_zihintpause_zihpm_zmmul_za64rs_zaamo_zalrsc_zfhmin_zca_zcd_zba_zbb_zbs_zkt_sdtrig_shcounterenw_shgatpa_shtvala_shvsatpa_shvstvala_shvstvecd_ssccptr_sscounterenw_ssstrict_sstvala_sstvecd_ssu64xl_svade_svinval_svpbmt"
[075h 0117 101h]            Optional Padding : 69 66 5F 7A 69 63 63 6C 73 6D 5F 7A 69 63 63 72 /* if_zicclsm_ziccr */\
/* 085h 0133  16 */                            73 65 5F 7A 69 63 6E 74 72 5F 7A 69 63 73 72 5F /* se_zicntr_zicsr_ */\
/* 095h 0149  16 */                            7A 69 66 65 6E 63 65 69 5F 7A 69 68 69 6E 74 70 /* zifencei_zihintp */\
/* 0A5h 0165  16 */                            61 75 73 65 5F 7A 69 68 70 6D 5F 7A 6D 6D 75 6C /* ause_zihpm_zmmul */\
/* 0B5h 0181  16 */                            5F 7A 61 36 34 72 73 5F 7A 61 61 6D 6F 5F 7A 61 /* _za64rs_zaamo_za */\
/* 0C5h 0197  16 */                            6C 72 73 63 5F 7A 66 68 6D 69 6E 5F 7A 63 61 5F /* lrsc_zfhmin_zca_ */\
/* 0D5h 0213  16 */                            7A 63 64 5F 7A 62 61 5F 7A 62 62 5F 7A 62 73 5F /* zcd_zba_zbb_zbs_ */\
/* 0E5h 0229  16 */                            7A 6B 74 5F 73 64 74 72 69 67 5F 73 68 63 6F 75 /* zkt_sdtrig_shcou */\
/* 0F5h 0245  16 */                            6E 74 65 72 65 6E 77 5F 73 68 67 61 74 70 61 5F /* nterenw_shgatpa_ */\
/* 105h 0261  16 */                            73 68 74 76 61 6C 61 5F 73 68 76 73 61 74 70 61 /* shtvala_shvsatpa */\
/* 115h 0277  16 */                            5F 73 68 76 73 74 76 61 6C 61 5F 73 68 76 73 74 /* _shvstvala_shvst */\
/* 125h 0293  16 */                            76 65 63 64 5F 73 73 63 63 70 74 72 5F 73 73 63 /* vecd_ssccptr_ssc */\
/* 135h 0309  16 */                            6F 75 6E 74 65 72 65 6E 77 5F 73 73 73 74 72 69 /* ounterenw_ssstri */\
/* 145h 0325  16 */                            63 74 5F 73 73 74 76 61 6C 61 5F 73 73 74 76 65 /* ct_sstvala_sstve */\
/* 155h 0341  16 */                            63 64 5F 73 73 75 36 34 78 6C 5F 73 76 61 64 65 /* cd_ssu64xl_svade */\
/* 165h 0357  16 */                            5F 73 76 69 6E 76 61 6C 5F 73 76 70 62 6D 74 00 /* _svinval_svpbmt. */\
/* 175h 0373   1 */                            00                                              /* . */\

[176h 0374 002h]               Subtable Type : 0001 [RISC-V CMO node structure]
[178h 0376 002h]                      Length : 000A
[17Ah 0378 002h]                    Revision : 0001
[17Ch 0380 001h]                    Reserved : 00
[17Dh 0381 001h]             CBOM Block Size : 06
[17Eh 0382 001h]             CBOP Block Size : 00
[17Fh 0383 001h]             CBOZ Block Size : 06

[180h 0384 002h]               Subtable Type : 0002 [RISC-V MMU node structure]
[182h 0386 002h]                      Length : 0008
[184h 0388 002h]                    Revision : 0001
[186h 0390 001h]                    Reserved : 00
[187h 0391 001h]                    MMU Type : 00

[188h 0392 002h]               Subtable Type : FFFF [RISC-V Hart Info structure]
[18Ah 0394 002h]                      Length : 0018
[18Ch 0396 002h]                    Revision : 0001
[18Eh 0398 002h]           Number of offsets : 0003
[190h 0400 004h]               Processor UID : 00000000
[194h 0404 004h]                       Nodes : 00000038
[198h 0408 004h]                       Nodes : 00000176
[19Ch 0412 004h]                       Nodes : 00000180

Raw Table Data: Length 416 (0x1A0)

    0000: 52 48 43 54 A0 01 00 00 01 DB 42 4F 43 48 53 20  // RHCT......BOCHS 
    0010: 42 58 50 43 20 20 20 20 01 00 00 00 42 58 50 43  // BXPC    ....BXPC
    0020: 01 00 00 00 00 00 00 00 80 96 98 00 00 00 00 00  // ................
    0030: 04 00 00 00 38 00 00 00 00 00 3E 01 01 00 35 01  // ....8.....>...5.
    0040: 72 76 36 34 69 6D 61 66 64 63 62 5F 7A 69 63 36  // rv64imafdcb_zic6
    0050: 34 62 5F 7A 69 63 62 6F 6D 5F 7A 69 63 62 6F 70  // 4b_zicbom_zicbop
    0060: 5F 7A 69 63 62 6F 7A 5F 7A 69 63 63 61 6D 6F 61  // _zicboz_ziccamoa
    0070: 5F 7A 69 63 63 69 66 5F 7A 69 63 63 6C 73 6D 5F  // _ziccif_zicclsm_
    0080: 7A 69 63 63 72 73 65 5F 7A 69 63 6E 74 72 5F 7A  // ziccrse_zicntr_z
    0090: 69 63 73 72 5F 7A 69 66 65 6E 63 65 69 5F 7A 69  // icsr_zifencei_zi
    00A0: 68 69 6E 74 70 61 75 73 65 5F 7A 69 68 70 6D 5F  // hintpause_zihpm_
    00B0: 7A 6D 6D 75 6C 5F 7A 61 36 34 72 73 5F 7A 61 61  // zmmul_za64rs_zaa
    00C0: 6D 6F 5F 7A 61 6C 72 73 63 5F 7A 66 68 6D 69 6E  // mo_zalrsc_zfhmin
    00D0: 5F 7A 63 61 5F 7A 63 64 5F 7A 62 61 5F 7A 62 62  // _zca_zcd_zba_zbb
    00E0: 5F 7A 62 73 5F 7A 6B 74 5F 73 64 74 72 69 67 5F  // _zbs_zkt_sdtrig_
    00F0: 73 68 63 6F 75 6E 74 65 72 65 6E 77 5F 73 68 67  // shcounterenw_shg
    0100: 61 74 70 61 5F 73 68 74 76 61 6C 61 5F 73 68 76  // atpa_shtvala_shv
    0110: 73 61 74 70 61 5F 73 68 76 73 74 76 61 6C 61 5F  // satpa_shvstvala_
    0120: 73 68 76 73 74 76 65 63 64 5F 73 73 63 63 70 74  // shvstvecd_ssccpt
    0130: 72 5F 73 73 63 6F 75 6E 74 65 72 65 6E 77 5F 73  // r_sscounterenw_s
    0140: 73 73 74 72 69 63 74 5F 73 73 74 76 61 6C 61 5F  // sstrict_sstvala_
    0150: 73 73 74 76 65 63 64 5F 73 73 75 36 34 78 6C 5F  // sstvecd_ssu64xl_
    0160: 73 76 61 64 65 5F 73 76 69 6E 76 61 6C 5F 73 76  // svade_svinval_sv
    0170: 70 62 6D 74 00 00 01 00 0A 00 01 00 00 06 00 06  // pbmt............
    0180: 02 00 08 00 01 00 00 00 FF FF 18 00 01 00 03 00  // ................
    0190: 00 00 00 00 38 00 00 00 76 01 00 00 80 01 00 00  // ....8...v.......
