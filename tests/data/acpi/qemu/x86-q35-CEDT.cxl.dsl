/*
 * Intel ACPI Component Architecture
 * AML/ASL+ Disassembler version 20260408 (64-bit version)
 * Copyright (c) 2000 - 2026 Intel Corporation
 * 
 *
 * ACPI Data Table [CEDT]
 *
 * Format: [HexOffset DecimalOffset ByteLength]  FieldName : FieldValue (in hex)
 */

[000h 0000 004h]                   Signature : "CEDT"    [CXL Early Discovery Table]
[004h 0004 004h]                Table Length : 000000B8
[008h 0008 001h]                    Revision : 01
[009h 0009 001h]                    Checksum : F1
[00Ah 0010 006h]                      Oem ID : "BOCHS "
[010h 0016 008h]                Oem Table ID : "BXPC    "
[018h 0024 004h]                Oem Revision : 00000001
[01Ch 0028 004h]             Asl Compiler ID : "BXPC"
[020h 0032 004h]       Asl Compiler Revision : 00000001


[024h 0036 001h]               Subtable Type : 00 [CXL Host Bridge Structure]
[025h 0037 001h]                    Reserved : 00
[026h 0038 002h]                      Length : 0020
[028h 0040 004h]      Associated host bridge : 000000DE
[02Ch 0044 004h]       Specification version : 00000001
[030h 0048 004h]                    Reserved : 00000000
[034h 0052 008h]               Register base : 0000000100000000
[03Ch 0060 008h]             Register length : 0000000000010000

[044h 0068 001h]               Subtable Type : 00 [CXL Host Bridge Structure]
[045h 0069 001h]                    Reserved : 00
[046h 0070 002h]                      Length : 0020
[048h 0072 004h]      Associated host bridge : 0000000C
[04Ch 0076 004h]       Specification version : 00000001
[050h 0080 004h]                    Reserved : 00000000
[054h 0084 008h]               Register base : 0000000100010000
[05Ch 0092 008h]             Register length : 0000000000010000

[064h 0100 001h]               Subtable Type : 01 [CXL Fixed Memory Window Structure]
[065h 0101 001h]                    Reserved : 00
[066h 0102 002h]                      Length : 0028
[068h 0104 004h]                    Reserved : 00000000
[06Ch 0108 008h]         Window base address : 0000000110000000
[074h 0116 008h]                 Window size : 0000000100000000
[07Ch 0124 001h]          Interleave Members : 00
[07Dh 0125 001h]       Interleave Arithmetic : 00
[07Eh 0126 002h]                    Reserved : 0000
[080h 0128 004h]                 Granularity : 00000005
[084h 0132 002h]                Restrictions : 000F
[086h 0134 002h]                       QtgId : 0000
[088h 0136 004h]                First Target : 0000000C

[08Ch 0140 001h]               Subtable Type : 01 [CXL Fixed Memory Window Structure]
[08Dh 0141 001h]                    Reserved : 00
[08Eh 0142 002h]                      Length : 002C
[090h 0144 004h]                    Reserved : 00000000
[094h 0148 008h]         Window base address : 0000000210000000
[09Ch 0156 008h]                 Window size : 0000000100000000
[0A4h 0164 001h]          Interleave Members : 01
[0A5h 0165 001h]       Interleave Arithmetic : 00
[0A6h 0166 002h]                    Reserved : 0000
[0A8h 0168 004h]                 Granularity : 00000005
[0ACh 0172 002h]                Restrictions : 000F
[0AEh 0174 002h]                       QtgId : 0000
[0B0h 0176 004h]                First Target : 0000000C
[0B4h 0180 004h]                 Next Target : 000000DE

Raw Table Data: Length 184 (0xB8)

    0000: 43 45 44 54 B8 00 00 00 01 F1 42 4F 43 48 53 20  // CEDT......BOCHS 
    0010: 42 58 50 43 20 20 20 20 01 00 00 00 42 58 50 43  // BXPC    ....BXPC
    0020: 01 00 00 00 00 00 20 00 DE 00 00 00 01 00 00 00  // ...... .........
    0030: 00 00 00 00 00 00 00 00 01 00 00 00 00 00 01 00  // ................
    0040: 00 00 00 00 00 00 20 00 0C 00 00 00 01 00 00 00  // ...... .........
    0050: 00 00 00 00 00 00 01 00 01 00 00 00 00 00 01 00  // ................
    0060: 00 00 00 00 01 00 28 00 00 00 00 00 00 00 00 10  // ......(.........
    0070: 01 00 00 00 00 00 00 00 01 00 00 00 00 00 00 00  // ................
    0080: 05 00 00 00 0F 00 00 00 0C 00 00 00 01 00 2C 00  // ..............,.
    0090: 00 00 00 00 00 00 00 10 02 00 00 00 00 00 00 00  // ................
    00A0: 01 00 00 00 01 00 00 00 05 00 00 00 0F 00 00 00  // ................
    00B0: 0C 00 00 00 DE 00 00 00                          // ........
