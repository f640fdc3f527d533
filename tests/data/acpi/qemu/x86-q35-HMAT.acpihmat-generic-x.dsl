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
[004h 0004 004h]                Table Length : 00000168
[008h 0008 001h]                    Revision : 02
[009h 0009 001h]                    Checksum : 4F
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
[058h 0088 002h]       Flags (decoded below) : 0000
            Processor Proximity Domain Valid : 0
[05Ah 0090 002h]                   Reserved1 : 0000
[05Ch 0092 004h] Attached Initiator Proximity Domain : 00000080
[060h 0096 004h]     Memory Proximity Domain : 00000004
[064h 0100 004h]                   Reserved2 : 00000000
[068h 0104 008h]                   Reserved3 : 0000000000000000
[070h 0112 008h]                   Reserved4 : 0000000000000000

[078h 0120 002h]              Structure Type : 0001 [System Locality Latency and Bandwidth Information]
[07Ah 0122 002h]                    Reserved : 0000
[07Ch 0124 004h]                      Length : 00000078
[080h 0128 001h]       Flags (decoded below) : 00
                            Memory Hierarchy : 0
                   Use Minimum Transfer Size : 0
                    Non-sequential Transfers : 0
[081h 0129 001h]                   Data Type : 00
[082h 0130 001h]       Minimum Transfer Size : 00
[083h 0131 001h]                   Reserved1 : 00
[084h 0132 004h] Initiator Proximity Domains # : 00000004
[088h 0136 004h]  Target Proximity Domains # : 00000006
[08Ch 0140 004h]                   Reserved2 : 00000000
[090h 0144 008h]             Entry Base Unit : 0000000000002710
[098h 0152 004h] Initiator Proximity Domain List : 00000000
[09Ch 0156 004h] Initiator Proximity Domain List : 00000001
[0A0h 0160 004h] Initiator Proximity Domain List : 00000003
[0A4h 0164 004h] Initiator Proximity Domain List : 00000005
[0A8h 0168 004h] Target Proximity Domain List : 00000000
[0ACh 0172 004h] Target Proximity Domain List : 00000001
[0B0h 0176 004h] Target Proximity Domain List : 00000002
[0B4h 0180 004h] Target Proximity Domain List : 00000003
[0B8h 0184 004h] Target Proximity Domain List : 00000004
[0BCh 0188 004h] Target Proximity Domain List : 00000005
[0C0h 0192 002h]                       Entry : 0001
[0C2h 0194 002h]                       Entry : 0000
[0C4h 0196 002h]                       Entry : 000A
[0C6h 0198 002h]                       Entry : 0000
[0C8h 0200 002h]                       Entry : 000A
[0CAh 0202 002h]                       Entry : 0014
[0CCh 0204 002h]                       Entry : 0032
[0CEh 0206 002h]                       Entry : 0000
[0D0h 0208 002h]                       Entry : 0005
[0D2h 0210 002h]                       Entry : 0000
[0D4h 0212 002h]                       Entry : 0005
[0D6h 0214 002h]                       Entry : 0032
[0D8h 0216 002h]                       Entry : 0002
[0DAh 0218 002h]                       Entry : 0000
[0DCh 0220 002h]                       Entry : 0008
[0DEh 0222 002h]                       Entry : 0000
[0E0h 0224 002h]                       Entry : 0008
[0E2h 0226 002h]                       Entry : 0002
[0E4h 0228 002h]                       Entry : 0002
[0E6h 0230 002h]                       Entry : 0000
[0E8h 0232 002h]                       Entry : 0008
[0EAh 0234 002h]                       Entry : 0000
[0ECh 0236 002h]                       Entry : 0008
[0EEh 0238 002h]                       Entry : 0001

[0F0h 0240 002h]              Structure Type : 0001 [System Locality Latency and Bandwidth Information]
[0F2h 0242 002h]                    Reserved : 0000
[0F4h 0244 004h]                      Length : 00000078
[0F8h 0248 001h]       Flags (decoded below) : 00
                            Memory Hierarchy : 0
                   Use Minimum Transfer Size : 0
                    Non-sequential Transfers : 0
[0F9h 0249 001h]                   Data Type : 03
[0FAh 0250 001h]       Minimum Transfer Size : 00
[0FBh 0251 001h]                   Reserved1 : 00
[0FCh 0252 004h] Initiator Proximity Domains # : 00000004
[100h 0256 004h]  Target Proximity Domains # : 00000006
[104h 0260 004h]                   Reserved2 : 00000000
[108h 0264 008h]             Entry Base Unit : 0000000000000004
[110h 0272 004h] Initiator Proximity Domain List : 00000000
[114h 0276 004h] Initiator Proximity Domain List : 00000001
[118h 0280 004h] Initiator Proximity Domain List : 00000003
[11Ch 0284 004h] Initiator Proximity Domain List : 00000005
[120h 0288 004h] Target Proximity Domain List : 00000000
[124h 0292 004h] Target Proximity Domain List : 00000001
[128h 0296 004h] Target Proximity Domain List : 00000002
[12Ch 0300 004h] Target Proximity Domain List : 00000003
[130h 0304 004h] Target Proximity Domain List : 00000004
[134h 0308 004h] Target Proximity Domain List : 00000005
[138h 0312 002h]                       Entry : 00C8
[13Ah 0314 002h]                       Entry : 0000
[13Ch 0316 002h]                       Entry : 0032
[13Eh 0318 002h]                       Entry : 0000
[140h 0320 002h]                       Entry : 0032
[142h 0322 002h]                       Entry : 0064
[144h 0324 002h]                       Entry : 0019
[146h 0326 002h]                       Entry : 0000
[148h 0328 002h]                       Entry : 0064
[14Ah 0330 002h]                       Entry : 0000
[14Ch 0332 002h]                       Entry : 00C8
[14Eh 0334 002h]                       Entry : 0019
[150h 0336 002h]                       Entry : 0064
[152h 0338 002h]                       Entry : 0000
[154h 0340 002h]                       Entry : 0032
[156h 0342 002h]                       Entry : 0000
[158h 0344 002h]                       Entry : 0032
[15Ah 0346 002h]                       Entry : 0064
[15Ch 0348 002h]                       Entry : 0064
[15Eh 0350 002h]                       Entry : 0000
[160h 0352 002h]                       Entry : 0032
[162h 0354 002h]                       Entry : 0000
[164h 0356 002h]                       Entry : 0032
[166h 0358 002h]                       Entry : 00C8

Raw Table Data: Length 360 (0x168)

    0000: 48 4D 41 54 68 01 00 00 02 4F 42 4F 43 48 53 20  // HMATh....OBOCHS 
    0010: 42 58 50 43 20 20 20 20 01 00 00 00 42 58 50 43  // BXPC    ....BXPC
    0020: 01 00 00 00 00 00 00 00 00 00 00 00 28 00 00 00  // ............(...
    0030: 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00  // ................
    0040: 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00  // ................
    0050: 00 00 00 00 28 00 00 00 00 00 00 00 80 00 00 00  // ....(...........
    0060: 04 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00  // ................
    0070: 00 00 00 00 00 00 00 00 01 00 00 00 78 00 00 00  // ............x...
    0080: 00 00 00 00 04 00 00 00 06 00 00 00 00 00 00 00  // ................
    0090: 10 27 00 00 00 00 00 00 00 00 00 00 01 00 00 00  // .'..............
    00A0: 03 00 00 00 05 00 00 00 00 00 00 00 01 00 00 00  // ................
    00B0: 02 00 00 00 03 00 00 00 04 00 00 00 05 00 00 00  // ................
    00C0: 01 00 00 00 0A 00 00 00 0A 00 14 00 32 00 00 00  // ............2...
    00D0: 05 00 00 00 05 00 32 00 02 00 00 00 08 00 00 00  // ......2.........
    00E0: 08 00 02 00 02 00 00 00 08 00 00 00 08 00 01 00  // ................
    00F0: 01 00 00 00 78 00 00 00 00 03 00 00 04 00 00 00  // ....x...........
    0100: 06 00 00 00 00 00 00 00 04 00 00 00 00 00 00 00  // ................
    0110: 00 00 00 00 01 00 00 00 03 00 00 00 05 00 00 00  // ................
    0120: 00 00 00 00 01 00 00 00 02 00 00 00 03 00 00 00  // ................
    0130: 04 00 00 00 05 00 00 00 C8 00 00 00 32 00 00 00  // ............2...
    0140: 32 00 64 00 19 00 00 00 64 00 00 00 C8 00 19 00  // 2.d.....d.......
    0150: 64 00 00 00 32 00 00 00 32 00 64 00 64 00 00 00  // d...2...2.d.d...
    0160: 32 00 00 00 32 00 C8 00                          // 2...2...
