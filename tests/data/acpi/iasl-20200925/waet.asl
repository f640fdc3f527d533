/*
 * Intel ACPI Component Architecture
 * iASL Compiler/Disassembler version 20200925 (64-bit version)
 * Copyright (c) 2000 - 2020 Intel Corporation
 * 
 * Template for [WAET] ACPI Table (static data table)
 * Format: [ByteLength]  FieldName : HexFieldValue
 */
[0004]                          Signature : "WAET"    [Windows ACPI Emulated Devices Table]
[0004]                       Table Length : 00000028
[0001]                           Revision : 01
[0001]                           Checksum : 19
[0006]                             Oem ID : "INTEL "
[0008]                       Oem Table ID : "TEMPLATE"
[0004]                       Oem Revision : 00000001
[0004]                    Asl Compiler ID : "INTL"
[0004]              Asl Compiler Revision : 20100528

[0004]              Flags (decoded below) : 00000000
                     RTC needs no INT ack : 0
                  PM timer, one read only : 0
