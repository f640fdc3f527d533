/*
 * Intel ACPI Component Architecture
 * AML/ASL+ Disassembler version 20200925 (64-bit version)
 * Copyright (c) 2000 - 2020 Intel Corporation
 * 
 *
 * ACPI Data Table [MCFG]
 *
 * Format: [HexOffset DecimalOffset ByteLength]  FieldName : FieldValue
 */

[000h 0000   4]                    Signature : "MCFG"    [Memory Mapped Configuration table]
[004h 0004   4]                 Table Length : 0000003C
[008h 0008   1]                     Revision : 01
[009h 0009   1]                     Checksum : 7F
[00Ah 0010   6]                       Oem ID : "FIRECK"
[010h 0016   8]                 Oem Table ID : "FCMVMCFG"
[018h 0024   4]                 Oem Revision : 00000000
[01Ch 0028   4]              Asl Compiler ID : "FCAT"
[020h 0032   4]        Asl Compiler Revision : 20240119

[024h 0036   8]                     Reserved : 0000000000000000

[02Ch 0044   8]                 Base Address : 00000000EEC00000
[034h 0052   2]         Segment Group Number : 0000
[036h 0054   1]             Start Bus Number : 00
[037h 0055   1]               End Bus Number : 00
[038h 0056   4]                     Reserved : 00000000

Raw Table Data: Length 60 (0x3C)

    0000: 4D 43 46 47 3C 00 00 00 01 7F 46 49 52 45 43 4B  // MCFG<.....FIRECK
    0010: 46 43 4D 56 4D 43 46 47 00 00 00 00 46 43 41 54  // FCMVMCFG....FCAT
    0020: 19 01 24 20 00 00 00 00 00 00 00 00 00 00 C0 EE  // ..$ ............
    0030: 00 00 00 00 00 00 00 00 00 00 00 00              // ............
