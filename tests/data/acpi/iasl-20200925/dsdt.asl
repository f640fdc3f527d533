/*
 * Intel ACPI Component Architecture
 * iASL Compiler/Disassembler version 20200925 (64-bit version)
 * Copyright (c) 2000 - 2020 Intel Corporation
 * 
 * Template for [DSDT] ACPI Table (AML byte code table)
 */
DefinitionBlock ("", "DSDT", 2, "Intel", "_DSDT_01", 0x00000001)
{
    Method (DS01)
    {
    }
}

