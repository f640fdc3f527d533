/*
 * Intel ACPI Component Architecture
 * AML/ASL+ Disassembler version 20260408 (64-bit version)
 * Copyright (c) 2000 - 2026 Intel Corporation
 * 
 *
 * ACPI Data Table [SLIC]
 *
 * Format: [HexOffset DecimalOffset ByteLength]  FieldName : FieldValue (in hex)
 */

[000h 0000 004h]                   Signature : "SLIC"    [Software Licensing Description Table]
[004h 0004 004h]                Table Length : 00000024
[008h 0008 001h]                    Revision : 01
[009h 0009 001h]                    Checksum : 49
[00Ah 0010 006h]                      Oem ID : "CRASH "
[010h 0016 008h]                Oem Table ID : "ME"
[018h 0024 004h]                Oem Revision : 00000488
[01Ch 0028 004h]             Asl Compiler ID : "qemu"
[020h 0032 004h]       Asl Compiler Revision : 00000000

/**** ACPI table terminates in the middle of a data structure! (dump table)
CurrentOffset: 24, TableLength: 24 ***/
Raw Table Data: Length 36 (0x24)

    0000: 53 4C 49 43 24 00 00 00 01 49 43 52 41 53 48 20  // SLIC$....ICRASH 
    0010: 4D 45 00 00 00 00 00 00 88 04 00 00 71 65 6D 75  // ME..........qemu
    0020: 00 00 00 00                                      // ....
