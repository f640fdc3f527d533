/*
 * Intel ACPI Component Architecture
 * AML/ASL+ Disassembler version 20260408 (64-bit version)
 * Copyright (c) 2000 - 2026 Intel Corporation
 * 
 *
 * ACPI Data Table [HMAT]
 *
 * Format: [HexOffset DecimalOffset ByteLength]  FieldName : FieldValue (in hex)
 */

[000h 0000 004h]                   Signature : "HMAT"    [Heterogeneous Memory Attributes Table]
[004h 0004 004h]                Table Length : 00000118
[008h 0008 001h]                    Revision : 02
[009h 0009 001h]                    Checksum : 42
[00Ah 0010 006h]                      Oem ID : "BOCHS "
[010h 0016 008h]                Oem Table ID : "BXPC    "
[018h 0024 004h]                Oem Revision : 00000001
[01Ch 0028 004h]             Asl Compiler ID : "BXPC"
[020h 0032 004h]       Asl Compiler Revision : 00000001

[024h 0036 004h]                    Reserved : 00000000

[028h 0040 002h]              Structure Type : 0000 [Memory Proximity Domain Attributes]
[02Ah 0042 002h]                    Reserved : 0000
[02Ch 0044 004h]                      Length : 00000028
[030h 0048 002h]       Flags (decoded below) : 0001
            Processor Proximity Domain Valid : 1
[032h 0050 002h]                   Reserved1 : 0000
[034h 0052 004h] Attached Initiator Proximity Domain : 00000000
[038h 0056 004h]     Memory Proximity Domain : 00000000
[03Ch 0060 004h]                   Reserved2 : 00000000
[040h 0064 008h]                   Reserved3 : 0000000000000000
[048h 0072 008h]                   Reserved4 : 0000000000000000

[050h 0080 002h]              Structure Type : 0000 [Memory Proximity Domain Attributes]
[052h 0082 002h]                    Reserved : 0000
[054h 0084 004h]                      Length : 00000028
[058h 0088 002h]       Flags (decoded below) : 0001
            Processor Proximity Domain Valid : 1
[05Ah 0090 002h]                   Reserved1 : 0000
[05Ch 0092 004h] Attached Initiator Proximity Domain : 00000000
[060h 0096 004h]     Memory Proximity Domain : 00000001
[064h 0100 004h]                   Reserved2 : 00000000
[068h 0104 008h]                   Reserved3 : 0000000000000000
[070h 0112 008h]                   Reserved4 : 0000000000000000

[078h 0120 002h]              Structure Type : 0001 [System Locality Latency and Bandwidth Information]
[07Ah 0122 002h]                    Reserved : 0000
[07Ch 0124 004h]                      Length : 00000030
[080h 0128 001h]       Flags (decoded below) : 00
                            Memory Hierarchy : 0
                   Use Minimum Transfer Size : 0
                    Non-sequential Transfers : 0
[081h 0129 001h]                   Data Type : 00
[082h 0130 001h]       Minimum Transfer Size : 00
[083h 0131 001h]                   Reserved1 : 00
[084h 0132 004h] Initiator Proximity Domains # : 00000001
[088h 0136 004h]  Target Proximity Domains # : 00000002
[08Ch 0140 004h]                   Reserved2 : 00000000
[090h 0144 008h]             Entry Base Unit : 00000000000003E8
[098h 0152 004h] Initiator Proximity Domain List : 00000000
[09Ch 0156 004h] Target Proximity Domain List : 00000000
[0A0h 0160 004h] Target Proximity Domain List : 00000001
[0A4h 0164 002h]                       Entry : 0001
[0A6h 0166 002h]                       Entry : FFFE

[0A8h 0168 002h]              Structure Type : 0001 [System Locality Latency and Bandwidth Information]
[0AAh 0170 002h]                    Reserved : 0000
[0ACh 0172 004h]                      Length : 00000030
[0B0h 0176 001h]       Flags (decoded below) : 00
                            Memory Hierarchy : 0
                   Use Minimum Transfer Size : 0
                    Non-sequential Transfers : 0
[0B1h 0177 001h]                   Data Type : 03
[0B2h 0178 001h]       Minimum Transfer Size : 00
[0B3h 0179 001h]                   Reserved1 : 00
[0B4h 0180 004h] Initiator Proximity Domains # : 00000001
[0B8h 0184 004h]  Target Proximity Domains # : 00000002
[0BCh 0188 004h]                   Reserved2 : 00000000
[0C0h 0192 008h]             Entry Base Unit : 0000000000000001
[0C8h 0200 004h] Initiator Proximity Domain List : 00000000
[0CCh 0204 004h] Target Proximity Domain List : 00000000
[0D0h 0208 004h] Target Proximity Domain List : 00000001
[0D4h 0212 002h]                       Entry : FFFE
[0D6h 0214 002h]                       Entry : 7FFF

[0D8h 0216 002h]              Structure Type : 0002 [Memory Side Cache Information]
[0DAh 0218 002h]                    Reserved : 0000
[0DCh 0220 004h]                      Length : 00000020
[0E0h 0224 004h]     Memory Proximity Domain : 00000000
[0E4h 0228 004h]                   Reserved1 : 00000000
[0E8h 0232 008h]      Memory Side Cache Size : 0000000000002800
[0F0h 0240 004h] Cache Attributes (decoded below) : 00081111
                          Total Cache Levels : 1
                                 Cache Level : 1
                         Cache Associativity : 1
                                Write Policy : 1
                             Cache Line Size : 0008
[0F4h 0244 002h]                Address Mode : 0000
[0F6h 0246 002h]             SMBIOS Handle # : 0000

[0F8h 0248 002h]              Structure Type : 0002 [Memory Side Cache Information]
[0FAh 0250 002h]                    Reserved : 0000
[0FCh 0252 004h]                      Length : 00000020
[100h 0256 004h]     Memory Proximity Domain : 00000001
[104h 0260 004h]                   Reserved1 : 00000000
[108h 0264 008h]      Memory Side Cache Size : 0000000000002800
[110h 0272 004h] Cache Attributes (decoded below) : 00081111
                          Total Cache Levels : 1
                                 Cache Level : 1
                         Cache Associativity : 1
                                Write Policy : 1
                             Cache Line Size : 0008
[114h 0276 002h]                Address Mode : 0000
[116h 0278 002h]             SMBIOS Handle # : 0000

Raw Table Data: Length 280 (0x118)

    0000: 48 4D 41 54 18 01 00 00 02 42 42 4F 43 48 53 20  // HMAT.....BBOCHS 
    0010: 42 58 50 43 20 20 20 20 01 00 00 00 42 58 50 43  // BXPC    ....BXPC
    0020: 01 00 00 00 00 00 00 00 00 00 00 00 28 00 00 00  // ............(...
    0030: 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00  // ................
    0040: 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00  // ................
    0050: 00 00 00 00 28 00 00 00 01 00 00 00 00 00 00 00  // ....(...........
    0060: 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00  // ................
    0070: 00 00 00 00 00 00 00 00 01 00 00 00 30 00 00 00  // ............0...
    0080: 00 00 00 00 01 00 00 00 02 00 00 00 00 00 00 00  // ................
    0090: E8 03 00 00 00 00 00 00 00 00 00 00 00 00 00 00  // ................
    00A0: 01 00 00 00 01 00 FE FF 01 00 00 00 30 00 00 00  // ............0...
    00B0: 00 03 00 00 01 00 00 00 02 00 00 00 00 00 00 00  // ................
    00C0: 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00  // ................
    00D0: 01 00 00 00 FE FF FF 7F 02 00 00 00 20 00 00 00  // ............ ...
    00E0: 00 00 00 00 00 00 00 00 00 28 00 00 00 00 00 00  // .........(......
    00F0: 11 11 08 00 00 00 00 00 02 00 00 00 20 00 00 00  // ............ ...
    0100: 01 00 00 00 00 00 00 00 00 28 00 00 00 00 00 00  // .........(......
    0110: 11 11 08 00 00 00 00 00                          // ........
