/*
 * Intel ACPI Component Architecture
 * AML/ASL+ Disassembler version 20260408 (64-bit version)
 * Copyright (c) 2000 - 2026 Intel Corporation
 * 
 *
 * ACPI Data Table [IVRS]
 *
 * Format: [HexOffset DecimalOffset ByteLength]  FieldName : FieldValue (in hex)
 */

[000h 0000 004h]                   Signature : "IVRS"    [I/O Virtualization Reporting Structure]
[004h 0004 004h]                Table Length : 000000B0
[008h 0008 001h]                    Revision : 01
[009h 0009 001h]                    Checksum : 74
[00Ah 0010 006h]                      Oem ID : "BOCHS "
[010h 0016 008h]                Oem Table ID : "BXPC    "
[018h 0024 004h]                Oem Revision : 00000001
[01Ch 0028 004h]             Asl Compiler ID : "BXPC"
[020h 0032 004h]       Asl Compiler Revision : 00000001

[024h 0036 004h]         Virtualization Info : 00002801
[028h 0040 008h]                    Reserved : 0000000000000000

[030h 0048 001h]               Subtable Type : 10 [Hardware Definition Block (IVHD)]
[031h 0049 001h]       Flags (decoded below) : D1
                                     HtTunEn : 1
                                      PassPW : 0
                                   ResPassPW : 0
                                Isoc Control : 0
                               Iotlb Support : 1
                                    Coherent : 0
                            Prefetch Support : 1
                                 PPR Support : 1
[032h 0050 002h]                      Length : 0038
[034h 0052 002h]                    DeviceId : 0010
[036h 0054 002h]           Capability Offset : 0040
[038h 0056 008h]                Base Address : 00000000FED80000
[040h 0064 002h]           PCI Segment Group : 0000
[042h 0066 002h]         Virtualization Info : 0000
[044h 0068 004h]           Feature Reporting : 00000044

[048h 0072 001h]               Subtable Type : 02 [Device Entry: Select One Device]
[049h 0073 002h]                   Device ID : 0000
[04Bh 0075 001h] Data Setting (decoded below) : 00
                                    INITPass : 0
                                    EIntPass : 0
                                     NMIPass : 0
                                    Reserved : 0
                                 System MGMT : 0
                                  LINT0 Pass : 0
                                  LINT1 Pass : 0

[04Ch 0076 001h]               Subtable Type : 02 [Device Entry: Select One Device]
[04Dh 0077 002h]                   Device ID : 0008
[04Fh 0079 001h] Data Setting (decoded below) : 00
                                    INITPass : 0
                                    EIntPass : 0
                                     NMIPass : 0
                                    Reserved : 0
                                 System MGMT : 0
                                  LINT0 Pass : 0
                                  LINT1 Pass : 0

[050h 0080 001h]               Subtable Type : 02 [Device Entry: Select One Device]
[051h 0081 002h]                   Device ID : 0010
[053h 0083 001h] Data Setting (decoded below) : 00
                                    INITPass : 0
                                    EIntPass : 0
                                     NMIPass : 0
                                    Reserved : 0
                                 System MGMT : 0
                                  LINT0 Pass : 0
                                  LINT1 Pass : 0

[054h 0084 001h]               Subtable Type : 02 [Device Entry: Select One Device]
[055h 0085 002h]                   Device ID : 00F8
[057h 0087 001h] Data Setting (decoded below) : 00
                                    INITPass : 0
                                    EIntPass : 0
                                     NMIPass : 0
                                    Reserved : 0
                                 System MGMT : 0
                                  LINT0 Pass : 0
                                  LINT1 Pass : 0

[058h 0088 001h]               Subtable Type : 02 [Device Entry: Select One Device]
[059h 0089 002h]                   Device ID : 00FA
[05Bh 0091 001h] Data Setting (decoded below) : 00
                                    INITPass : 0
                                    EIntPass : 0
                                     NMIPass : 0
                                    Reserved : 0
                                 System MGMT : 0
                                  LINT0 Pass : 0
                                  LINT1 Pass : 0

[05Ch 0092 001h]               Subtable Type : 02 [Device Entry: Select One Device]
[05Dh 0093 002h]                   Device ID : 00FB
[05Fh 0095 001h] Data Setting (decoded below) : 00
                                    INITPass : 0
                                    EIntPass : 0
                                     NMIPass : 0
                                    Reserved : 0
                                 System MGMT : 0
                                  LINT0 Pass : 0
                                  LINT1 Pass : 0

[060h 0096 001h]               Subtable Type : 48 [Device Entry: Special Device]
[061h 0097 002h]                   Device ID : 0000
[063h 0099 001h] Data Setting (decoded below) : 00
                                    INITPass : 0
                                    EIntPass : 0
                                     NMIPass : 0
                                    Reserved : 0
                                 System MGMT : 0
                                  LINT0 Pass : 0
                                  LINT1 Pass : 0
[064h 0100 001h]                      Handle : 00
[065h 0101 002h]       Source Used Device ID : 00A0
[067h 0103 001h]                     Variety : 01

[068h 0104 001h]               Subtable Type : 11 [Hardware Definition Block (IVHD)]
[069h 0105 001h]       Flags (decoded below) : 11
                                     HtTunEn : 1
                                      PassPW : 0
                                   ResPassPW : 0
                                Isoc Control : 0
                               Iotlb Support : 1
                                    Coherent : 0
                            Prefetch Support : 0
                                 PPR Support : 0
[06Ah 0106 002h]                      Length : 0048
[06Ch 0108 002h]                    DeviceId : 0010
[06Eh 0110 002h]           Capability Offset : 0040
[070h 0112 008h]                Base Address : 00000000FED80000
[078h 0120 002h]           PCI Segment Group : 0000
[07Ah 0122 002h]         Virtualization Info : 0000
[07Ch 0124 004h]                  Attributes : 00000000
[080h 0128 008h]                   EFR Image : 00000000000029D3
[088h 0136 008h]                    Reserved : 0000000000000000

[090h 0144 001h]               Subtable Type : 02 [Device Entry: Select One Device]
[091h 0145 002h]                   Device ID : 0000
[093h 0147 001h] Data Setting (decoded below) : 00
                                    INITPass : 0
                                    EIntPass : 0
                                     NMIPass : 0
                                    Reserved : 0
                                 System MGMT : 0
                                  LINT0 Pass : 0
                                  LINT1 Pass : 0

[094h 0148 001h]               Subtable Type : 02 [Device Entry: Select One Device]
[095h 0149 002h]                   Device ID : 0008
[097h 0151 001h] Data Setting (decoded below) : 00
                                    INITPass : 0
                                    EIntPass : 0
                                     NMIPass : 0
                                    Reserved : 0
                                 System MGMT : 0
                                  LINT0 Pass : 0
                                  LINT1 Pass : 0

[098h 0152 001h]               Subtable Type : 02 [Device Entry: Select One Device]
[099h 0153 002h]                   Device ID : 0010
[09Bh 0155 001h] Data Setting (decoded below) : 00
                                    INITPass : 0
                                    EIntPass : 0
                                     NMIPass : 0
                                    Reserved : 0
                                 System MGMT : 0
                                  LINT0 Pass : 0
                                  LINT1 Pass : 0

[09Ch 0156 001h]               Subtable Type : 02 [Device Entry: Select One Device]
[09Dh 0157 002h]                   Device ID : 00F8
[09Fh 0159 001h] Data Setting (decoded below) : 00
                                    INITPass : 0
                                    EIntPass : 0
                                     NMIPass : 0
                                    Reserved : 0
                                 System MGMT : 0
                                  LINT0 Pass : 0
                                  LINT1 Pass : 0

[0A0h 0160 001h]               Subtable Type : 02 [Device Entry: Select One Device]
[0A1h 0161 002h]                   Device ID : 00FA
[0A3h 0163 001h] Data Setting (decoded below) : 00
                                    INITPass : 0
                                    EIntPass : 0
                                     NMIPass : 0
                                    Reserved : 0
                                 System MGMT : 0
                                  LINT0 Pass : 0
                                  LINT1 Pass : 0

[0A4h 0164 001h]               Subtable Type : 02 [Device Entry: Select One Device]
[0A5h 0165 002h]                   Device ID : 00FB
[0A7h 0167 001h] Data Setting (decoded below) : 00
                                    INITPass : 0
                                    EIntPass : 0
                                     NMIPass : 0
                                    Reserved : 0
                                 System MGMT : 0
                                  LINT0 Pass : 0
                                  LINT1 Pass : 0

[0A8h 0168 001h]               Subtable Type : 48 [Device Entry: Special Device]
[0A9h 0169 002h]                   Device ID : 0000
[0ABh 0171 001h] Data Setting (decoded below) : 00
                                    INITPass : 0
                                    EIntPass : 0
                                     NMIPass : 0
                                    Reserved : 0
                                 System MGMT : 0
                                  LINT0 Pass : 0
                                  LINT1 Pass : 0
[0ACh 0172 001h]                      Handle : 00
[0ADh 0173 002h]       Source Used Device ID : 00A0
[0AFh 0175 001h]                     Variety : 01

Raw Table Data: Length 176 (0xB0)

    0000: 49 56 52 53 B0 00 00 00 01 74 42 4F 43 48 53 20  // IVRS.....tBOCHS 
    0010: 42 58 50 43 20 20 20 20 01 00 00 00 42 58 50 43  // BXPC    ....BXPC
    0020: 01 00 00 00 01 28 00 00 00 00 00 00 00 00 00 00  // .....(..........
    0030: 10 D1 38 00 10 00 40 00 00 00 D8 FE 00 00 00 00  // ..8...@.........
    0040: 00 00 00 00 44 00 00 00 02 00 00 00 02 08 00 00  // ....D...........
    0050: 02 10 00 00 02 F8 00 00 02 FA 00 00 02 FB 00 00  // ................
    0060: 48 00 00 00 00 A0 00 01 11 11 48 00 10 00 40 00  // H.........H...@.
    0070: 00 00 D8 FE 00 00 00 00 00 00 00 00 00 00 00 00  // ................
    0080: D3 29 00 00 00 00 00 00 00 00 00 00 00 00 00 00  // .)..............
    0090: 02 00 00 00 02 08 00 00 02 10 00 00 02 F8 00 00  // ................
    00A0: 02 FA 00 00 02 FB 00 00 48 00 00 00 00 A0 00 01  // ........H.......
