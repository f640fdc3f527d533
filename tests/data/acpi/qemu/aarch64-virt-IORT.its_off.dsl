/*
 * Intel ACPI Component Architecture
 * AML/ASL+ Disassembler version 20260408 (64-bit version)
 * Copyright (c) 2000 - 2026 Intel Corporation
 * 
 *
 * ACPI Data Table [IORT]
 *
 * Format: [HexOffset DecimalOffset ByteLength]  FieldName : FieldValue (in hex)
 */

[000h 0000 004h]                   Signature : "IORT"    [IO Remapping Table]
[004h 0004 004h]                Table Length : 000000AC
[008h 0008 001h]                    Revision : 03
[009h 0009 001h]                    Checksum : 97
[00Ah 0010 006h]                      Oem ID : "BOCHS "
[010h 0016 008h]                Oem Table ID : "BXPC    "
[018h 0024 004h]                Oem Revision : 00000001
[01Ch 0028 004h]             Asl Compiler ID : "BXPC"
[020h 0032 004h]       Asl Compiler Revision : 00000001

[024h 0036 004h]                  Node Count : 00000002
[028h 0040 004h]                 Node Offset : 00000030
[02Ch 0044 004h]                    Reserved : 00000000

[030h 0048 001h]                        Type : 04
[031h 0049 002h]                      Length : 0044
[033h 0051 001h]                    Revision : 04
[034h 0052 004h]                  Identifier : 00000000
[038h 0056 004h]               Mapping Count : 00000000
[03Ch 0060 004h]              Mapping Offset : 00000000

[040h 0064 008h]                Base Address : 0000000009050000
[048h 0072 004h]       Flags (decoded below) : 00000001
                             COHACC Override : 1
                               HTTU Override : 0
                      Proximity Domain Valid : 0
                              DeviceID Valid : 0
[04Ch 0076 004h]                    Reserved : 00000000
[050h 0080 008h]               VATOS Address : 0000000000000000
[058h 0088 004h]                       Model : 00000000
[05Ch 0092 004h]                  Event GSIV : 0000006A
[060h 0096 004h]                    PRI GSIV : 0000006B
[064h 0100 004h]                   GERR GSIV : 0000006D
[068h 0104 004h]                   Sync GSIV : 0000006C
[06Ch 0108 004h]            Proximity Domain : 00000000
[070h 0112 004h]     Device ID Mapping Index : 00000000

[074h 0116 001h]                        Type : 02
[075h 0117 002h]                      Length : 0038
[077h 0119 001h]                    Revision : 03
[078h 0120 004h]                  Identifier : 00000001
[07Ch 0124 004h]               Mapping Count : 00000001
[080h 0128 004h]              Mapping Offset : 00000024

[084h 0132 008h]           Memory Properties : [IORT Memory Access Properties]
[084h 0132 004h]             Cache Coherency : 00000001
[088h 0136 001h]       Hints (decoded below) : 00
                                   Transient : 0
                              Write Allocate : 0
                               Read Allocate : 0
                                    Override : 0
[089h 0137 002h]                    Reserved : 0000
[08Bh 0139 001h] Memory Flags (decoded below) : 03
                                   Coherency : 1
                            Device Attribute : 1
               Ensured Coherency of Accesses : 0
[08Ch 0140 004h]               ATS Attribute : 00000000
[090h 0144 004h]          PCI Segment Number : 00000000
[094h 0148 001h]           Memory Size Limit : 40
[095h 0149 002h]          PASID Capabilities : 0000
[097h 0151 001h]                    Reserved : 00

[098h 0152 004h]                  Input base : 00000000
[09Ch 0156 004h]                    ID Count : 000000FF
[0A0h 0160 004h]                 Output Base : 00000000
[0A4h 0164 004h]            Output Reference : 00000030
[0A8h 0168 004h]       Flags (decoded below) : 00000000
                              Single Mapping : 0

Raw Table Data: Length 172 (0xAC)

    0000: 49 4F 52 54 AC 00 00 00 03 97 42 4F 43 48 53 20  // IORT......BOCHS 
    0010: 42 58 50 43 20 20 20 20 01 00 00 00 42 58 50 43  // BXPC    ....BXPC
    0020: 01 00 00 00 02 00 00 00 30 00 00 00 00 00 00 00  // ........0.......
    0030: 04 44 00 04 00 00 00 00 00 00 00 00 00 00 00 00  // .D..............
    0040: 00 00 05 09 00 00 00 00 01 00 00 00 00 00 00 00  // ................
    0050: 00 00 00 00 00 00 00 00 00 00 00 00 6A 00 00 00  // ............j...
    0060: 6B 00 00 00 6D 00 00 00 6C 00 00 00 00 00 00 00  // k...m...l.......
    0070: 00 00 00 00 02 38 00 03 01 00 00 00 01 00 00 00  // .....8..........
    0080: 24 00 00 00 01 00 00 00 00 00 00 03 00 00 00 00  // $...............
    0090: 00 00 00 00 40 00 00 00 00 00 00 00 FF 00 00 00  // ....@...........
    00A0: 00 00 00 00 30 00 00 00 00 00 00 00              // ....0.......
