/*
 * Intel ACPI Component Architecture
 * iASL Compiler/Disassembler version 20200925 (64-bit version)
 * Copyright (c) 2000 - 2020 Intel Corporation
 * 
 * Template for [BGRT] ACPI Table (static data table)
 * Format: [ByteLength]  FieldName : HexFieldValue
 */
[0004]                          Signature : "BGRT"    [Boot Graphics Resource Table]
[0004]                       Table Length : 00000038
[0001]                           Revision : 01
[0001]                           Checksum : 0D
[0006]                             Oem ID : "INTEL "
[0008]                       Oem Table ID : "TEMPLATE"
[0004]                       Oem Revision : 00000001
[0004]                    Asl Compiler ID : "INTL"
[0004]              Asl Compiler Revision : 20110623

[0002]                            Version : 0001
[0001]             Status (decoded below) : 00
                                Displayed : 0
                       Orientation Offset : 0
[0001]                         Image Type : 00
[0008]                      Image Address : 0000000000000000
[0004]                      Image OffsetX : 00000000
[0004]                      Image OffsetY : 00000000
