/*
 * Intel ACPI Component Architecture
 * iASL Compiler/Disassembler version 20200925 (64-bit version)
 * Copyright (c) 2000 - 2020 Intel Corporation
 * 
 * Template for [RSDT] ACPI Table (static data table)
 * Format: [ByteLength]  FieldName : HexFieldValue
 */
[0004]                          Signature : "RSDT"    [Root System Description Table]
[0004]                       Table Length : 00000044
[0001]                           Revision : 01
[0001]                           Checksum : B1
[0006]                             Oem ID : "INTEL "
[0008]                       Oem Table ID : "TEMPLATE"
[0004]                       Oem Revision : 00000001
[0004]                    Asl Compiler ID : "INTL"
[0004]              Asl Compiler Revision : 20100528

[0004]             ACPI Table Address   0 : 00000010
[0004]             ACPI Table Address   1 : 00000020
[0004]             ACPI Table Address   2 : 00000030
[0004]             ACPI Table Address   3 : 00000040
[0004]             ACPI Table Address   4 : 00000050
[0004]             ACPI Table Address   5 : 00000060
[0004]             ACPI Table Address   6 : 00000070
[0004]             ACPI Table Address   7 : 00000080
