/*
 * Intel ACPI Component Architecture
 * iASL Compiler/Disassembler version 20200925 (64-bit version)
 * Copyright (c) 2000 - 2020 Intel Corporation
 * 
 * Template for [MCFG] ACPI Table (static data table)
 * Format: [ByteLength]  FieldName : HexFieldValue
 */
[0004]                          Signature : "MCFG"    [Memory Mapped Configuration table]
[0004]                       Table Length : 0000003C
[0001]                           Revision : 01
[0001]                           Checksum : 19
[0006]                             Oem ID : "INTEL "
[0008]                       Oem Table ID : "TEMPLATE"
[0004]                       Oem Revision : 00000001
[0004]                    Asl Compiler ID : "INTL"
[0004]              Asl Compiler Revision : 20100528

[0008]                           Reserved : 0000000000000000

[0008]                       Base Address : 0000000000000000
[0002]               Segment Group Number : 0000
[0001]                   Start Bus Number : 00
[0001]                     End Bus Number : 00
[0004]                           Reserved : 00000000
