/*
 * Intel ACPI Component Architecture
 * AML/ASL+ Disassembler version 20200925 (64-bit version)
 * Copyright (c) 2000 - 2020 Intel Corporation
 * 
 *
 * ACPI Data Table [APIC]
 *
 * Format: [HexOffset DecimalOffset ByteLength]  FieldName : FieldValue
 */

[000h 0000   4]                    Signature : "APIC"    [Multiple APIC Description Table (MADT)]
[004h 0004   4]                 Table Length : 00000048
[008h 0008   1]                     Revision : 06
[009h 0009   1]                     Checksum : 56
[00Ah 0010   6]                       Oem ID : "FIRECK"
[010h 0016   8]                 Oem Table ID : "FCVMMADT"
[018h 0024   4]                 Oem Revision : 00000000
[01Ch 0028   4]              Asl Compiler ID : "FCAT"
[020h 0032   4]        Asl Compiler Revision : 20240119

[024h 0036   4]           Local Apic Address : FEE00000
[028h 0040   4]        Flags (decoded below) : 00000000
                         PC-AT Compatibility : 0

[02Ch 0044   1]                Subtable Type : 01 [I/O APIC]
[02Dh 0045   1]                       Length : 0C
[02Eh 0046   1]                  I/O Apic ID : 00
[02Fh 0047   1]                     Reserved : 00
[030h 0048   4]                      Address : FEC00000
[034h 0052   4]                    Interrupt : 00000000

[038h 0056   1]                Subtable Type : 00 [Processor Local APIC]
[039h 0057   1]                       Length : 08
[03Ah 0058   1]                 Processor ID : 00
[03Bh 0059   1]                Local Apic ID : 00
[03Ch 0060   4]        Flags (decoded below) : 00000001
                           Processor Enabled : 1
                      Runtime Online Capable : 0

[040h 0064   1]                Subtable Type : 00 [Processor Local APIC]
[041h 0065   1]                       Length : 08
[042h 0066   1]                 Processor ID : 01
[043h 0067   1]                Local Apic ID : 01
[044h 0068   4]        Flags (decoded below) : 00000001
                           Processor Enabled : 1
                      Runtime Online Capable : 0

Raw Table Data: Length 72 (0x48)

    0000: 41 50 49 43 48 00 00 00 06 56 46 49 52 45 43 4B  // APICH....VFIRECK
    0010: 46 43 56 4D 4D 41 44 54 00 00 00 00 46 43 41 54  // FCVMMADT....FCAT
    0020: 19 01 24 20 00 00 E0 FE 00 00 00 00 01 0C 00 00  // ..$ ............
    0030: 00 00 C0 FE 00 00 00 00 00 08 00 00 01 00 00 00  // ................
    0040: 00 08 01 01 01 00 00 00                          // ........
