/*
 * Intel ACPI Component Architecture
 * AML/ASL+ Disassembler version 20260408 (64-bit version)
 * Copyright (c) 2000 - 2026 Intel Corporation
 * 
 *
 * ACPI Data Table [PPTT]
 *
 * Format: [HexOffset DecimalOffset ByteLength]  FieldName : FieldValue (in hex)
 */

[000h 0000 004h]                   Signature : "PPTT"    [Processor Properties Topology Table]
[004h 0004 004h]                Table Length : 00000164
[008h 0008 001h]                    Revision : 02
[009h 0009 001h]                    Checksum : 97
[00Ah 0010 006h]                      Oem ID : "BOCHS "
[010h 0016 008h]                Oem Table ID : "BXPC    "
[018h 0024 004h]                Oem Revision : 00000001
[01Ch 0028 004h]             Asl Compiler ID : "BXPC"
[020h 0032 004h]       Asl Compiler Revision : 00000001


[024h 0036 001h]               Subtable Type : 00 [Processor Hierarchy Node]
[025h 0037 001h]                      Length : 14
[026h 0038 002h]                    Reserved : 0000
[028h 0040 004h]       Flags (decoded below) : 00000011
                            Physical package : 1
                     ACPI Processor ID valid : 0
                       Processor is a thread : 0
                              Node is a leaf : 0
                    Identical Implementation : 1
[02Ch 0044 004h]                      Parent : 00000000
[030h 0048 004h]           ACPI Processor ID : 00000000
[034h 0052 004h]     Private Resource Number : 00000000

[038h 0056 001h]               Subtable Type : 00 [Processor Hierarchy Node]
[039h 0057 001h]                      Length : 14
[03Ah 0058 002h]                    Reserved : 0000
[03Ch 0060 004h]       Flags (decoded below) : 00000011
                            Physical package : 1
                     ACPI Processor ID valid : 0
                       Processor is a thread : 0
                              Node is a leaf : 0
                    Identical Implementation : 1
[040h 0064 004h]                      Parent : 00000024
[044h 0068 004h]           ACPI Processor ID : 00000000
[048h 0072 004h]     Private Resource Number : 00000000

[04Ch 0076 001h]               Subtable Type : 00 [Processor Hierarchy Node]
[04Dh 0077 001h]                      Length : 14
[04Eh 0078 002h]                    Reserved : 0000
[050h 0080 004h]       Flags (decoded below) : 00000010
                            Physical package : 0
                     ACPI Processor ID valid : 0
                       Processor is a thread : 0
                              Node is a leaf : 0
                    Identical Implementation : 1
[054h 0084 004h]                      Parent : 00000038
[058h 0088 004h]           ACPI Processor ID : 00000000
[05Ch 0092 004h]     Private Resource Number : 00000000

[060h 0096 001h]               Subtable Type : 00 [Processor Hierarchy Node]
[061h 0097 001h]                      Length : 14
[062h 0098 002h]                    Reserved : 0000
[064h 0100 004h]       Flags (decoded below) : 00000010
                            Physical package : 0
                     ACPI Processor ID valid : 0
                       Processor is a thread : 0
                              Node is a leaf : 0
                    Identical Implementation : 1
[068h 0104 004h]                      Parent : 0000004C
[06Ch 0108 004h]           ACPI Processor ID : 00000000
[070h 0112 004h]     Private Resource Number : 00000000

[074h 0116 001h]               Subtable Type : 00 [Processor Hierarchy Node]
[075h 0117 001h]                      Length : 14
[076h 0118 002h]                    Reserved : 0000
[078h 0120 004h]       Flags (decoded below) : 0000000E
                            Physical package : 0
                     ACPI Processor ID valid : 1
                       Processor is a thread : 1
                              Node is a leaf : 1
                    Identical Implementation : 0
[07Ch 0124 004h]                      Parent : 00000060
[080h 0128 004h]           ACPI Processor ID : 00000000
[084h 0132 004h]     Private Resource Number : 00000000

[088h 0136 001h]               Subtable Type : 00 [Processor Hierarchy Node]
[089h 0137 001h]                      Length : 14
[08Ah 0138 002h]                    Reserved : 0000
[08Ch 0140 004h]       Flags (decoded below) : 0000000E
                            Physical package : 0
                     ACPI Processor ID valid : 1
                       Processor is a thread : 1
                              Node is a leaf : 1
                    Identical Implementation : 0
[090h 0144 004h]                      Parent : 00000060
[094h 0148 004h]           ACPI Processor ID : 00000001
[098h 0152 004h]     Private Resource Number : 00000000

[09Ch 0156 001h]               Subtable Type : 00 [Processor Hierarchy Node]
[09Dh 0157 001h]                      Length : 14
[09Eh 0158 002h]                    Reserved : 0000
[0A0h 0160 004h]       Flags (decoded below) : 00000010
                            Physical package : 0
                     ACPI Processor ID valid : 0
                       Processor is a thread : 0
                              Node is a leaf : 0
                    Identical Implementation : 1
[0A4h 0164 004h]                      Parent : 0000004C
[0A8h 0168 004h]           ACPI Processor ID : 00000001
[0ACh 0172 004h]     Private Resource Number : 00000000

[0B0h 0176 001h]               Subtable Type : 00 [Processor Hierarchy Node]
[0B1h 0177 001h]                      Length : 14
[0B2h 0178 002h]                    Reserved : 0000
[0B4h 0180 004h]       Flags (decoded below) : 0000000E
                            Physical package : 0
                     ACPI Processor ID valid : 1
                       Processor is a thread : 1
                              Node is a leaf : 1
                    Identical Implementation : 0
[0B8h 0184 004h]                      Parent : 0000009C
[0BCh 0188 004h]           ACPI Processor ID : 00000002
[0C0h 0192 004h]     Private Resource Number : 00000000

[0C4h 0196 001h]               Subtable Type : 00 [Processor Hierarchy Node]
[0C5h 0197 001h]                      Length : 14
[0C6h 0198 002h]                    Reserved : 0000
[0C8h 0200 004h]       Flags (decoded below) : 0000000E
                            Physical package : 0
                     ACPI Processor ID valid : 1
                       Processor is a thread : 1
                              Node is a leaf : 1
                    Identical Implementation : 0
[0CCh 0204 004h]                      Parent : 0000009C
[0D0h 0208 004h]           ACPI Processor ID : 00000003
[0D4h 0212 004h]     Private Resource Number : 00000000

[0D8h 0216 001h]               Subtable Type : 00 [Processor Hierarchy Node]
[0D9h 0217 001h]                      Length : 14
[0DAh 0218 002h]                    Reserved : 0000
[0DCh 0220 004h]       Flags (decoded below) : 00000010
                            Physical package : 0
                     ACPI Processor ID valid : 0
                       Processor is a thread : 0
                              Node is a leaf : 0
                    Identical Implementation : 1
[0E0h 0224 004h]                      Parent : 00000038
[0E4h 0228 004h]           ACPI Processor ID : 00000001
[0E8h 0232 004h]     Private Resource Number : 00000000

[0ECh 0236 001h]               Subtable Type : 00 [Processor Hierarchy Node]
[0EDh 0237 001h]                      Length : 14
[0EEh 0238 002h]                    Reserved : 0000
[0F0h 0240 004h]       Flags (decoded below) : 00000010
                            Physical package : 0
                     ACPI Processor ID valid : 0
                       Processor is a thread : 0
                              Node is a leaf : 0
                    Identical Implementation : 1
[0F4h 0244 004h]                      Parent : 000000D8
[0F8h 0248 004h]           ACPI Processor ID : 00000000
[0FCh 0252 004h]     Private Resource Number : 00000000

[100h 0256 001h]               Subtable Type : 00 [Processor Hierarchy Node]
[101h 0257 001h]                      Length : 14
[102h 0258 002h]                    Reserved : 0000
[104h 0260 004h]       Flags (decoded below) : 0000000E
                            Physical package : 0
                     ACPI Processor ID valid : 1
                       Processor is a thread : 1
                              Node is a leaf : 1
                    Identical Implementation : 0
[108h 0264 004h]                      Parent : 000000EC
[10Ch 0268 004h]           ACPI Processor ID : 00000004
[110h 0272 004h]     Private Resource Number : 00000000

[114h 0276 001h]               Subtable Type : 00 [Processor Hierarchy Node]
[115h 0277 001h]                      Length : 14
[116h 0278 002h]                    Reserved : 0000
[118h 0280 004h]       Flags (decoded below) : 0000000E
                            Physical package : 0
                     ACPI Processor ID valid : 1
                       Processor is a thread : 1
                              Node is a leaf : 1
                    Identical Implementation : 0
[11Ch 0284 004h]                      Parent : 000000EC
[120h 0288 004h]           ACPI Processor ID : 00000005
[124h 0292 004h]     Private Resource Number : 00000000

[128h 0296 001h]               Subtable Type : 00 [Processor Hierarchy Node]
[129h 0297 001h]                      Length : 14
[12Ah 0298 002h]                    Reserved : 0000
[12Ch 0300 004h]       Flags (decoded below) : 00000010
                            Physical package : 0
                     ACPI Processor ID valid : 0
                       Processor is a thread : 0
                              Node is a leaf : 0
                    Identical Implementation : 1
[130h 0304 004h]                      Parent : 000000D8
[134h 0308 004h]           ACPI Processor ID : 00000001
[138h 0312 004h]     Private Resource Number : 00000000

[13Ch 0316 001h]               Subtable Type : 00 [Processor Hierarchy Node]
[13Dh 0317 001h]                      Length : 14
[13Eh 0318 002h]                    Reserved : 0000
[140h 0320 004h]       Flags (decoded below) : 0000000E
                            Physical package : 0
                     ACPI Processor ID valid : 1
                       Processor is a thread : 1
                              Node is a leaf : 1
                    Identical Implementation : 0
[144h 0324 004h]                      Parent : 00000128
[148h 0328 004h]           ACPI Processor ID : 00000006
[14Ch 0332 004h]     Private Resource Number : 00000000

[150h 0336 001h]               Subtable Type : 00 [Processor Hierarchy Node]
[151h 0337 001h]                      Length : 14
[152h 0338 002h]                    Reserved : 0000
[154h 0340 004h]       Flags (decoded below) : 0000000E
                            Physical package : 0
                     ACPI Processor ID valid : 1
                       Processor is a thread : 1
                              Node is a leaf : 1
                    Identical Implementation : 0
[158h 0344 004h]                      Parent : 00000128
[15Ch 0348 004h]           ACPI Processor ID : 00000007
[160h 0352 004h]     Private Resource Number : 00000000

Raw Table Data: Length 356 (0x164)

    0000: 50 50 54 54 64 01 00 00 02 97 42 4F 43 48 53 20  // PPTTd.....BOCHS 
    0010: 42 58 50 43 20 20 20 20 01 00 00 00 42 58 50 43  // BXPC    ....BXPC
    0020: 01 00 00 00 00 14 00 00 11 00 00 00 00 00 00 00  // ................
    0030: 00 00 00 00 00 00 00 00 00 14 00 00 11 00 00 00  // ................
    0040: 24 00 00 00 00 00 00 00 00 00 00 00 00 14 00 00  // $...............
    0050: 10 00 00 00 38 00 00 00 00 00 00 00 00 00 00 00  // ....8...........
    0060: 00 14 00 00 10 00 00 00 4C 00 00 00 00 00 00 00  // ........L.......
    0070: 00 00 00 00 00 14 00 00 0E 00 00 00 60 00 00 00  // ............`...
    0080: 00 00 00 00 00 00 00 00 00 14 00 00 0E 00 00 00  // ................
    0090: 60 00 00 00 01 00 00 00 00 00 00 00 00 14 00 00  // `...............
    00A0: 10 00 00 00 4C 00 00 00 01 00 00 00 00 00 00 00  // ....L...........
    00B0: 00 14 00 00 0E 00 00 00 9C 00 00 00 02 00 00 00  // ................
    00C0: 00 00 00 00 00 14 00 00 0E 00 00 00 9C 00 00 00  // ................
    00D0: 03 00 00 00 00 00 00 00 00 14 00 00 10 00 00 00  // ................
    00E0: 38 00 00 00 01 00 00 00 00 00 00 00 00 14 00 00  // 8...............
    00F0: 10 00 00 00 D8 00 00 00 00 00 00 00 00 00 00 00  // ................
    0100: 00 14 00 00 0E 00 00 00 EC 00 00 00 04 00 00 00  // ................
    0110: 00 00 00 00 00 14 00 00 0E 00 00 00 EC 00 00 00  // ................
    0120: 05 00 00 00 00 00 00 00 00 14 00 00 10 00 00 00  // ................
    0130: D8 00 00 00 01 00 00 00 00 00 00 00 00 14 00 00  // ................
    0140: 0E 00 00 00 28 01 00 00 06 00 00 00 00 00 00 00  // ....(...........
    0150: 00 14 00 00 0E 00 00 00 28 01 00 00 07 00 00 00  // ........(.......
    0160: 00 00 00 00                                      // ....
