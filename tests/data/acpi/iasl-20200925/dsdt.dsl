/*
 * Intel ACPI Component Architecture
 * AML/ASL+ Disassembler version 20200925 (64-bit version)
 * Copyright (c) 2000 - 2020 Intel Corporation
 * 
 * Disassembling to symbolic ASL+ operators
 *
 *
 * Original Table Header:
 *     Signature        "DSDT"
 *     Length           0x0000002B (43)
 *     Revision         0x02
 *     Checksum         0xA2
 *     OEM ID           "Intel"
 *     OEM Table ID     "_DSDT_01"
 *     OEM Revision     0x00000001 (1)
 *     Compiler ID      "INTL"
 *     Compiler Version 0x20200925 (538970405)
 */
DefinitionBlock ("", "DSDT", 2, "Intel", "_DSDT_01", 0x00000001)
{
    Method (DS01, 0, NotSerialized)
    {
    }
}

