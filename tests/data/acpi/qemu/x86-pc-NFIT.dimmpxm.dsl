/*
 * Intel ACPI Component Architecture
 * AML/ASL+ Disassembler version 20260408 (64-bit version)
 * Copyright (c) 2000 - 2026 Intel Corporation
 * 
 *
 * ACPI Data Table [NFIT]
 *
 * Format: [HexOffset DecimalOffset ByteLength]  FieldName : FieldValue (in hex)
 */

[000h 0000 004h]                   Signature : "NFIT"    [NVDIMM Firmware Interface Table]
[004h 0004 004h]                Table Length : 000000F0
[008h 0008 001h]                    Revision : 01
[009h 0009 001h]                    Checksum : D5
[00Ah 0010 006h]                      Oem ID : "BOCHS "
[010h 0016 008h]                Oem Table ID : "BXPC    "
[018h 0024 004h]                Oem Revision : 00000001
[01Ch 0028 004h]             Asl Compiler ID : "BXPC"
[020h 0032 004h]       Asl Compiler Revision : 00000001

[024h 0036 004h]                    Reserved : 00000000

[028h 0040 002h]               Subtable Type : 0000 [System Physical Address Range]
[02Ah 0042 002h]                      Length : 0038

[02Ch 0044 002h]                 Range Index : 0004
[02Eh 0046 002h]       Flags (decoded below) : 0003
                   Add/Online Operation Only : 1
                      Proximity Domain Valid : 1
                       Location Cookie Valid : 0
[030h 0048 004h]                    Reserved : 00000000
[034h 0052 004h]            Proximity Domain : 00000002
[038h 0056 010h]            Region Type GUID : 66F0D379-B4F3-4074-AC43-0D3318B78CDB
[048h 0072 008h]          Address Range Base : 0000000108000000
[050h 0080 008h]        Address Range Length : 0000000008000000
[058h 0088 008h]        Memory Map Attribute : 0000000000008008
[060h 0096 008h]             Location Cookie : 0000000200300001

[060h 0096 002h]               Subtable Type : 0001 [Memory Range Map]
[062h 0098 002h]                      Length : 0030

[064h 0100 004h]               Device Handle : 00000002
[068h 0104 002h]                 Physical Id : 0000
[06Ah 0106 002h]                   Region Id : 0000
[06Ch 0108 002h]                 Range Index : 0004
[06Eh 0110 002h]        Control Region Index : 0005
[070h 0112 008h]                 Region Size : 0000000008000000
[078h 0120 008h]               Region Offset : 0000000000000000
[080h 0128 008h]         Address Region Base : 0000000000000000
[088h 0136 002h]            Interleave Index : 0000
[08Ah 0138 002h]             Interleave Ways : 0001
[08Ch 0140 002h]                       Flags : 0000
                       Save to device failed : 0
                  Restore from device failed : 0
                       Platform flush failed : 0
                            Device not armed : 0
                      Health events observed : 0
                       Health events enabled : 0
                              Mapping failed : 0
[08Eh 0142 002h]                    Reserved : 0000

[090h 0144 002h]               Subtable Type : 0004 [NVDIMM Control Region]
[092h 0146 002h]                      Length : 0050

[094h 0148 002h]                Region Index : 0005
[096h 0150 002h]                   Vendor Id : 8086
[098h 0152 002h]                   Device Id : 0001
[09Ah 0154 002h]                 Revision Id : 0001
[09Ch 0156 002h]         Subsystem Vendor Id : 0000
[09Eh 0158 002h]         Subsystem Device Id : 0000
[0A0h 0160 002h]       Subsystem Revision Id : 0000
[0A2h 0162 001h]                Valid Fields : 00
[0A3h 0163 001h]      Manufacturing Location : 00
[0A4h 0164 002h]          Manufacturing Date : 0000
[0A6h 0166 002h]                    Reserved : 0000
[0A8h 0168 004h]               Serial Number : 00123457
[0ACh 0172 002h]                        Code : 0301
[0AEh 0174 002h]                Window Count : 0000
[0B0h 0176 008h]                 Window Size : 0000000000000000
[0B8h 0184 008h]              Command Offset : 0000000000000000
[0C0h 0192 008h]                Command Size : 0000000000000000
[0C8h 0200 008h]               Status Offset : 0000000000000000
[0D0h 0208 008h]                 Status Size : 0000000000000000
[0D8h 0216 002h]                       Flags : 0000
                            Windows buffered : 0
[0DAh 0218 006h]                   Reserved1 : 000000000000

[0E0h 0224 002h]               Subtable Type : 0007 [Platform Capabilities]
[0E2h 0226 002h]                      Length : 0010

[0E4h 0228 001h]          Highest Capability : 01
[0E5h 0229 003h]                    Reserved : 000000
[0E8h 0232 004h] Capabilities (decoded below) : 00000003
                       Cache Flush to NVDIMM : 1
                      Memory Flush to NVDIMM : 1
                            Memory Mirroring : 0
[0ECh 0236 004h]                    Reserved : 00000000

Raw Table Data: Length 240 (0xF0)

    0000: 4E 46 49 54 F0 00 00 00 01 D5 42 4F 43 48 53 20  // NFIT......BOCHS 
    0010: 42 58 50 43 20 20 20 20 01 00 00 00 42 58 50 43  // BXPC    ....BXPC
    0020: 01 00 00 00 00 00 00 00 00 00 38 00 04 00 03 00  // ..........8.....
    0030: 00 00 00 00 02 00 00 00 79 D3 F0 66 F3 B4 74 40  // ........y..f..t@
    0040: AC 43 0D 33 18 B7 8C DB 00 00 00 08 01 00 00 00  // .C.3............
    0050: 00 00 00 08 00 00 00 00 08 80 00 00 00 00 00 00  // ................
    0060: 01 00 30 00 02 00 00 00 00 00 00 00 04 00 05 00  // ..0.............
    0070: 00 00 00 08 00 00 00 00 00 00 00 00 00 00 00 00  // ................
    0080: 00 00 00 00 00 00 00 00 00 00 01 00 00 00 00 00  // ................
    0090: 04 00 50 00 05 00 86 80 01 00 01 00 00 00 00 00  // ..P.............
    00A0: 00 00 00 00 00 00 00 00 57 34 12 00 01 03 00 00  // ........W4......
    00B0: 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00  // ................
    00C0: 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00  // ................
    00D0: 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00  // ................
    00E0: 07 00 10 00 01 00 00 00 03 00 00 00 00 00 00 00  // ................
