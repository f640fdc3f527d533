/*
 * Intel ACPI Component Architecture
 * iASL Compiler/Disassembler version 20200925 (64-bit version)
 * Copyright (c) 2000 - 2020 Intel Corporation
 * 
 * Template for [SLIT] ACPI Table (static data table)
 * Format: [ByteLength]  FieldName : HexFieldValue
 */
[0004]                          Signature : "SLIT"    [System Locality Information Table]
[0004]                       Table Length : 000001BC
[0001]                           Revision : 01
[0001]                           Checksum : 00
[0006]                             Oem ID : "INTEL "
[0008]                       Oem Table ID : "TEMPLATE"
[0004]                       Oem Revision : 00000001
[0004]                    Asl Compiler ID : "INTL"
[0004]              Asl Compiler Revision : 20110316

[0008]                         Localities : 0000000000000014
[0020]                       Locality   0 : 0A 10 16 17 18 19 1A 1B 1C 1D 1E 1F 20 21 22 23 \
                                            24 25 26 27
[0020]                       Locality   1 : 10 0A 15 16 17 18 19 1A 1B 1C 1D 1E 1F 20 21 22 \
                                            23 24 25 26
[0020]                       Locality   2 : 16 15 0A 10 16 17 18 19 1A 1B 1C 1D 1E 1F 20 21 \
                                            22 23 24 25
[0020]                       Locality   3 : 17 16 10 0A 15 16 17 18 19 1A 1B 1C 1D 1E 1F 20 \
                                            21 22 23 24
[0020]                       Locality   4 : 18 17 16 15 0A 10 16 17 18 19 1A 1B 1C 1D 1E 1F \
                                            20 21 22 23
[0020]                       Locality   5 : 19 18 17 16 10 0A 15 16 17 18 19 1A 1B 1C 1D 1E \
                                            1F 20 21 22
[0020]                       Locality   6 : 1A 19 18 17 16 15 0A 10 16 17 18 19 1A 1B 1C 1D \
                                            1E 1F 20 21
[0020]                       Locality   7 : 1B 1A 19 18 17 16 10 0A 15 16 17 18 19 1A 1B 1C \
                                            1D 1E 1F 20
[0020]                       Locality   8 : 1C 1B 1A 19 18 17 16 15 0A 10 16 17 18 19 1A 1B \
                                            1C 1D 1E 1F
[0020]                       Locality   9 : 1D 1C 1B 1A 19 18 17 16 10 0A 15 16 17 18 19 1A \
                                            1B 1C 1D 1E
[0020]                       Locality  10 : 1E 1D 1C 1B 1A 19 18 17 16 15 0A 10 16 17 18 19 \
                                            1A 1B 1C 1D
[0020]                       Locality  11 : 1F 1E 1D 1C 1B 1A 19 18 17 16 10 0A 15 16 17 18 \
                                            19 1A 1B 1C
[0020]                       Locality  12 : 20 1F 1E 1D 1C 1B 1A 19 18 17 16 15 0A 10 16 17 \
                                            18 19 1A 1B
[0020]                       Locality  13 : 21 20 1F 1E 1D 1C 1B 1A 19 18 17 16 10 0A 15 16 \
                                            17 18 19 1A
[0020]                       Locality  14 : 22 21 20 1F 1E 1D 1C 1B 1A 19 18 17 16 15 0A 10 \
                                            16 17 18 19
[0020]                       Locality  15 : 23 22 21 20 1F 1E 1D 1C 1B 1A 19 18 17 16 10 0A \
                                            15 16 17 18
[0020]                       Locality  16 : 24 23 22 21 20 1F 1E 1D 1C 1B 1A 19 18 17 16 15 \
                                            0A 10 16 17
[0020]                       Locality  17 : 25 24 23 22 21 20 1F 1E 1D 1C 1B 1A 19 18 17 16 \
                                            10 0A 15 16
[0020]                       Locality  18 : 26 25 24 23 22 21 20 1F 1E 1D 1C 1B 1A 19 18 17 \
                                            16 15 0A 10
[0020]                       Locality  19 : 27 26 25 24 23 22 21 20 1F 1E 1D 1C 1B 1A 19 18 \
                                            17 16 10 0A
