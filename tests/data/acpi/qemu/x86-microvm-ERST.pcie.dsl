/*
 * Intel ACPI Component Architecture
 * AML/ASL+ Disassembler version 20260408 (64-bit version)
 * Copyright (c) 2000 - 2026 Intel Corporation
 * 
 *
 * ACPI Data Table [ERST]
 *
 * Format: [HexOffset DecimalOffset ByteLength]  FieldName : FieldValue (in hex)
 */

[000h 0000 004h]                   Signature : "ERST"    [Error Record Serialization Table]
[004h 0004 004h]                Table Length : 00000390
[008h 0008 001h]                    Revision : 01
[009h 0009 001h]                    Checksum : 9D
[00Ah 0010 006h]                      Oem ID : "BOCHS "
[010h 0016 008h]                Oem Table ID : "BXPC    "
[018h 0024 004h]                Oem Revision : 00000001
[01Ch 0028 004h]             Asl Compiler ID : "BXPC"
[020h 0032 004h]       Asl Compiler Revision : 00000001

[024h 0036 004h] Serialization Header Length : 00000030
[028h 0040 004h]                    Reserved : 00000000
[02Ch 0044 004h]     Instruction Entry Count : 0000001B

[030h 0048 001h]                      Action : 00 [Begin Write Operation]
[031h 0049 001h]                 Instruction : 03 [Write Register Value]
[032h 0050 001h]       Flags (decoded below) : 00
                      Preserve Register Bits : 0
[033h 0051 001h]                    Reserved : 00

[034h 0052 00Ch]             Register Region : [Generic Address Structure]
[034h 0052 001h]                    Space ID : 00 [SystemMemory]
[035h 0053 001h]                   Bit Width : 20
[036h 0054 001h]                  Bit Offset : 00
[037h 0055 001h]        Encoded Access Width : 03 [DWord Access:32]
[038h 0056 008h]                     Address : FFFFFFFFFFFFFFFF

[040h 0064 008h]                       Value : 0000000000000000
[048h 0072 008h]                        Mask : 00000000FFFFFFFF

[050h 0080 001h]                      Action : 01 [Begin Read Operation]
[051h 0081 001h]                 Instruction : 03 [Write Register Value]
[052h 0082 001h]       Flags (decoded below) : 00
                      Preserve Register Bits : 0
[053h 0083 001h]                    Reserved : 00

[054h 0084 00Ch]             Register Region : [Generic Address Structure]
[054h 0084 001h]                    Space ID : 00 [SystemMemory]
[055h 0085 001h]                   Bit Width : 20
[056h 0086 001h]                  Bit Offset : 00
[057h 0087 001h]        Encoded Access Width : 03 [DWord Access:32]
[058h 0088 008h]                     Address : FFFFFFFFFFFFFFFF

[060h 0096 008h]                       Value : 0000000000000001
[068h 0104 008h]                        Mask : 00000000FFFFFFFF

[070h 0112 001h]                      Action : 02 [Begin Clear Operation]
[071h 0113 001h]                 Instruction : 03 [Write Register Value]
[072h 0114 001h]       Flags (decoded below) : 00
                      Preserve Register Bits : 0
[073h 0115 001h]                    Reserved : 00

[074h 0116 00Ch]             Register Region : [Generic Address Structure]
[074h 0116 001h]                    Space ID : 00 [SystemMemory]
[075h 0117 001h]                   Bit Width : 20
[076h 0118 001h]                  Bit Offset : 00
[077h 0119 001h]        Encoded Access Width : 03 [DWord Access:32]
[078h 0120 008h]                     Address : FFFFFFFFFFFFFFFF

[080h 0128 008h]                       Value : 0000000000000002
[088h 0136 008h]                        Mask : 00000000FFFFFFFF

[090h 0144 001h]                      Action : 03 [End Operation]
[091h 0145 001h]                 Instruction : 03 [Write Register Value]
[092h 0146 001h]       Flags (decoded below) : 00
                      Preserve Register Bits : 0
[093h 0147 001h]                    Reserved : 00

[094h 0148 00Ch]             Register Region : [Generic Address Structure]
[094h 0148 001h]                    Space ID : 00 [SystemMemory]
[095h 0149 001h]                   Bit Width : 20
[096h 0150 001h]                  Bit Offset : 00
[097h 0151 001h]        Encoded Access Width : 03 [DWord Access:32]
[098h 0152 008h]                     Address : FFFFFFFFFFFFFFFF

[0A0h 0160 008h]                       Value : 0000000000000003
[0A8h 0168 008h]                        Mask : 00000000FFFFFFFF

[0B0h 0176 001h]                      Action : 04 [Set Record Offset]
[0B1h 0177 001h]                 Instruction : 02 [Write Register]
[0B2h 0178 001h]       Flags (decoded below) : 00
                      Preserve Register Bits : 0
[0B3h 0179 001h]                    Reserved : 00

[0B4h 0180 00Ch]             Register Region : [Generic Address Structure]
[0B4h 0180 001h]                    Space ID : 00 [SystemMemory]
[0B5h 0181 001h]                   Bit Width : 20
[0B6h 0182 001h]                  Bit Offset : 00
[0B7h 0183 001h]        Encoded Access Width : 03 [DWord Access:32]
[0B8h 0184 008h]                     Address : 0000000000000007

[0C0h 0192 008h]                       Value : 0000000000000000
[0C8h 0200 008h]                        Mask : 00000000FFFFFFFF

[0D0h 0208 001h]                      Action : 04 [Set Record Offset]
[0D1h 0209 001h]                 Instruction : 03 [Write Register Value]
[0D2h 0210 001h]       Flags (decoded below) : 00
                      Preserve Register Bits : 0
[0D3h 0211 001h]                    Reserved : 00

[0D4h 0212 00Ch]             Register Region : [Generic Address Structure]
[0D4h 0212 001h]                    Space ID : 00 [SystemMemory]
[0D5h 0213 001h]                   Bit Width : 20
[0D6h 0214 001h]                  Bit Offset : 00
[0D7h 0215 001h]        Encoded Access Width : 03 [DWord Access:32]
[0D8h 0216 008h]                     Address : FFFFFFFFFFFFFFFF

[0E0h 0224 008h]                       Value : 0000000000000004
[0E8h 0232 008h]                        Mask : 00000000FFFFFFFF

[0F0h 0240 001h]                      Action : 05 [Execute Operation]
[0F1h 0241 001h]                 Instruction : 03 [Write Register Value]
[0F2h 0242 001h]       Flags (decoded below) : 00
                      Preserve Register Bits : 0
[0F3h 0243 001h]                    Reserved : 00

[0F4h 0244 00Ch]             Register Region : [Generic Address Structure]
[0F4h 0244 001h]                    Space ID : 00 [SystemMemory]
[0F5h 0245 001h]                   Bit Width : 20
[0F6h 0246 001h]                  Bit Offset : 00
[0F7h 0247 001h]        Encoded Access Width : 03 [DWord Access:32]
[0F8h 0248 008h]                     Address : 0000000000000007

[100h 0256 008h]                       Value : 000000000000009C
[108h 0264 008h]                        Mask : 00000000FFFFFFFF

[110h 0272 001h]                      Action : 05 [Execute Operation]
[111h 0273 001h]                 Instruction : 03 [Write Register Value]
[112h 0274 001h]       Flags (decoded below) : 00
                      Preserve Register Bits : 0
[113h 0275 001h]                    Reserved : 00

[114h 0276 00Ch]             Register Region : [Generic Address Structure]
[114h 0276 001h]                    Space ID : 00 [SystemMemory]
[115h 0277 001h]                   Bit Width : 20
[116h 0278 001h]                  Bit Offset : 00
[117h 0279 001h]        Encoded Access Width : 03 [DWord Access:32]
[118h 0280 008h]                     Address : FFFFFFFFFFFFFFFF

[120h 0288 008h]                       Value : 0000000000000005
[128h 0296 008h]                        Mask : 00000000FFFFFFFF

[130h 0304 001h]                      Action : 06 [Check Busy Status]
[131h 0305 001h]                 Instruction : 03 [Write Register Value]
[132h 0306 001h]       Flags (decoded below) : 00
                      Preserve Register Bits : 0
[133h 0307 001h]                    Reserved : 00

[134h 0308 00Ch]             Register Region : [Generic Address Structure]
[134h 0308 001h]                    Space ID : 00 [SystemMemory]
[135h 0309 001h]                   Bit Width : 20
[136h 0310 001h]                  Bit Offset : 00
[137h 0311 001h]        Encoded Access Width : 03 [DWord Access:32]
[138h 0312 008h]                     Address : FFFFFFFFFFFFFFFF

[140h 0320 008h]                       Value : 0000000000000006
[148h 0328 008h]                        Mask : 00000000FFFFFFFF

[150h 0336 001h]                      Action : 06 [Check Busy Status]
[151h 0337 001h]                 Instruction : 01 [Read Register Value]
[152h 0338 001h]       Flags (decoded below) : 00
                      Preserve Register Bits : 0
[153h 0339 001h]                    Reserved : 00

[154h 0340 00Ch]             Register Region : [Generic Address Structure]
[154h 0340 001h]                    Space ID : 00 [SystemMemory]
[155h 0341 001h]                   Bit Width : 20
[156h 0342 001h]                  Bit Offset : 00
[157h 0343 001h]        Encoded Access Width : 03 [DWord Access:32]
[158h 0344 008h]                     Address : 0000000000000007

[160h 0352 008h]                       Value : 0000000000000001
[168h 0360 008h]                        Mask : 00000000FFFFFFFF

[170h 0368 001h]                      Action : 07 [Get Command Status]
[171h 0369 001h]                 Instruction : 03 [Write Register Value]
[172h 0370 001h]       Flags (decoded below) : 00
                      Preserve Register Bits : 0
[173h 0371 001h]                    Reserved : 00

[174h 0372 00Ch]             Register Region : [Generic Address Structure]
[174h 0372 001h]                    Space ID : 00 [SystemMemory]
[175h 0373 001h]                   Bit Width : 20
[176h 0374 001h]                  Bit Offset : 00
[177h 0375 001h]        Encoded Access Width : 03 [DWord Access:32]
[178h 0376 008h]                     Address : FFFFFFFFFFFFFFFF

[180h 0384 008h]                       Value : 0000000000000007
[188h 0392 008h]                        Mask : 00000000FFFFFFFF

[190h 0400 001h]                      Action : 07 [Get Command Status]
[191h 0401 001h]                 Instruction : 00 [Read Register]
[192h 0402 001h]       Flags (decoded below) : 00
                      Preserve Register Bits : 0
[193h 0403 001h]                    Reserved : 00

[194h 0404 00Ch]             Register Region : [Generic Address Structure]
[194h 0404 001h]                    Space ID : 00 [SystemMemory]
[195h 0405 001h]                   Bit Width : 20
[196h 0406 001h]                  Bit Offset : 00
[197h 0407 001h]        Encoded Access Width : 03 [DWord Access:32]
[198h 0408 008h]                     Address : 0000000000000007

[1A0h 0416 008h]                       Value : 0000000000000000
[1A8h 0424 008h]                        Mask : 00000000FFFFFFFF

[1B0h 0432 001h]                      Action : 08 [Get Record Identifier]
[1B1h 0433 001h]                 Instruction : 03 [Write Register Value]
[1B2h 0434 001h]       Flags (decoded below) : 00
                      Preserve Register Bits : 0
[1B3h 0435 001h]                    Reserved : 00

[1B4h 0436 00Ch]             Register Region : [Generic Address Structure]
[1B4h 0436 001h]                    Space ID : 00 [SystemMemory]
[1B5h 0437 001h]                   Bit Width : 20
[1B6h 0438 001h]                  Bit Offset : 00
[1B7h 0439 001h]        Encoded Access Width : 03 [DWord Access:32]
[1B8h 0440 008h]                     Address : FFFFFFFFFFFFFFFF

[1C0h 0448 008h]                       Value : 0000000000000008
[1C8h 0456 008h]                        Mask : 00000000FFFFFFFF

[1D0h 0464 001h]                      Action : 08 [Get Record Identifier]
[1D1h 0465 001h]                 Instruction : 00 [Read Register]
[1D2h 0466 001h]       Flags (decoded below) : 00
                      Preserve Register Bits : 0
[1D3h 0467 001h]                    Reserved : 00

[1D4h 0468 00Ch]             Register Region : [Generic Address Structure]
[1D4h 0468 001h]                    Space ID : 00 [SystemMemory]
[1D5h 0469 001h]                   Bit Width : 40
[1D6h 0470 001h]                  Bit Offset : 00
[1D7h 0471 001h]        Encoded Access Width : 04 [QWord Access:64]
[1D8h 0472 008h]                     Address : 0000000000000007

[1E0h 0480 008h]                       Value : 0000000000000000
[1E8h 0488 008h]                        Mask : FFFFFFFFFFFFFFFF

[1F0h 0496 001h]                      Action : 09 [Set Record Identifier]
[1F1h 0497 001h]                 Instruction : 02 [Write Register]
[1F2h 0498 001h]       Flags (decoded below) : 00
                      Preserve Register Bits : 0
[1F3h 0499 001h]                    Reserved : 00

[1F4h 0500 00Ch]             Register Region : [Generic Address Structure]
[1F4h 0500 001h]                    Space ID : 00 [SystemMemory]
[1F5h 0501 001h]                   Bit Width : 40
[1F6h 0502 001h]                  Bit Offset : 00
[1F7h 0503 001h]        Encoded Access Width : 04 [QWord Access:64]
[1F8h 0504 008h]                     Address : 0000000000000007

[200h 0512 008h]                       Value : 0000000000000000
[208h 0520 008h]                        Mask : FFFFFFFFFFFFFFFF

[210h 0528 001h]                      Action : 09 [Set Record Identifier]
[211h 0529 001h]                 Instruction : 03 [Write Register Value]
[212h 0530 001h]       Flags (decoded below) : 00
                      Preserve Register Bits : 0
[213h 0531 001h]                    Reserved : 00

[214h 0532 00Ch]             Register Region : [Generic Address Structure]
[214h 0532 001h]                    Space ID : 00 [SystemMemory]
[215h 0533 001h]                   Bit Width : 20
[216h 0534 001h]                  Bit Offset : 00
[217h 0535 001h]        Encoded Access Width : 03 [DWord Access:32]
[218h 0536 008h]                     Address : FFFFFFFFFFFFFFFF

[220h 0544 008h]                       Value : 0000000000000009
[228h 0552 008h]                        Mask : 00000000FFFFFFFF

[230h 0560 001h]                      Action : 0A [Get Record Count]
[231h 0561 001h]                 Instruction : 03 [Write Register Value]
[232h 0562 001h]       Flags (decoded below) : 00
                      Preserve Register Bits : 0
[233h 0563 001h]                    Reserved : 00

[234h 0564 00Ch]             Register Region : [Generic Address Structure]
[234h 0564 001h]                    Space ID : 00 [SystemMemory]
[235h 0565 001h]                   Bit Width : 20
[236h 0566 001h]                  Bit Offset : 00
[237h 0567 001h]        Encoded Access Width : 03 [DWord Access:32]
[238h 0568 008h]                     Address : FFFFFFFFFFFFFFFF

[240h 0576 008h]                       Value : 000000000000000A
[248h 0584 008h]                        Mask : 00000000FFFFFFFF

[250h 0592 001h]                      Action : 0A [Get Record Count]
[251h 0593 001h]                 Instruction : 00 [Read Register]
[252h 0594 001h]       Flags (decoded below) : 00
                      Preserve Register Bits : 0
[253h 0595 001h]                    Reserved : 00

[254h 0596 00Ch]             Register Region : [Generic Address Structure]
[254h 0596 001h]                    Space ID : 00 [SystemMemory]
[255h 0597 001h]                   Bit Width : 20
[256h 0598 001h]                  Bit Offset : 00
[257h 0599 001h]        Encoded Access Width : 03 [DWord Access:32]
[258h 0600 008h]                     Address : 0000000000000007

[260h 0608 008h]                       Value : 0000000000000000
[268h 0616 008h]                        Mask : 00000000FFFFFFFF

[270h 0624 001h]                      Action : 0B [Begin Dummy Write]
[271h 0625 001h]                 Instruction : 03 [Write Register Value]
[272h 0626 001h]       Flags (decoded below) : 00
                      Preserve Register Bits : 0
[273h 0627 001h]                    Reserved : 00

[274h 0628 00Ch]             Register Region : [Generic Address Structure]
[274h 0628 001h]                    Space ID : 00 [SystemMemory]
[275h 0629 001h]                   Bit Width : 20
[276h 0630 001h]                  Bit Offset : 00
[277h 0631 001h]        Encoded Access Width : 03 [DWord Access:32]
[278h 0632 008h]                     Address : FFFFFFFFFFFFFFFF

[280h 0640 008h]                       Value : 000000000000000B
[288h 0648 008h]                        Mask : 00000000FFFFFFFF

[290h 0656 001h]                      Action : 0D [Get Error Address Range]
[291h 0657 001h]                 Instruction : 03 [Write Register Value]
[292h 0658 001h]       Flags (decoded below) : 00
                      Preserve Register Bits : 0
[293h 0659 001h]                    Reserved : 00

[294h 0660 00Ch]             Register Region : [Generic Address Structure]
[294h 0660 001h]                    Space ID : 00 [SystemMemory]
[295h 0661 001h]                   Bit Width : 20
[296h 0662 001h]                  Bit Offset : 00
[297h 0663 001h]        Encoded Access Width : 03 [DWord Access:32]
[298h 0664 008h]                     Address : FFFFFFFFFFFFFFFF

[2A0h 0672 008h]                       Value : 000000000000000D
[2A8h 0680 008h]                        Mask : 00000000FFFFFFFF

[2B0h 0688 001h]                      Action : 0D [Get Error Address Range]
[2B1h 0689 001h]                 Instruction : 00 [Read Register]
[2B2h 0690 001h]       Flags (decoded below) : 00
                      Preserve Register Bits : 0
[2B3h 0691 001h]                    Reserved : 00

[2B4h 0692 00Ch]             Register Region : [Generic Address Structure]
[2B4h 0692 001h]                    Space ID : 00 [SystemMemory]
[2B5h 0693 001h]                   Bit Width : 40
[2B6h 0694 001h]                  Bit Offset : 00
[2B7h 0695 001h]        Encoded Access Width : 04 [QWord Access:64]
[2B8h 0696 008h]                     Address : 0000000000000007

[2C0h 0704 008h]                       Value : 0000000000000000
[2C8h 0712 008h]                        Mask : FFFFFFFFFFFFFFFF

[2D0h 0720 001h]                      Action : 0E [Get Error Address Length]
[2D1h 0721 001h]                 Instruction : 03 [Write Register Value]
[2D2h 0722 001h]       Flags (decoded below) : 00
                      Preserve Register Bits : 0
[2D3h 0723 001h]                    Reserved : 00

[2D4h 0724 00Ch]             Register Region : [Generic Address Structure]
[2D4h 0724 001h]                    Space ID : 00 [SystemMemory]
[2D5h 0725 001h]                   Bit Width : 20
[2D6h 0726 001h]                  Bit Offset : 00
[2D7h 0727 001h]        Encoded Access Width : 03 [DWord Access:32]
[2D8h 0728 008h]                     Address : FFFFFFFFFFFFFFFF

[2E0h 0736 008h]                       Value : 000000000000000E
[2E8h 0744 008h]                        Mask : 00000000FFFFFFFF

[2F0h 0752 001h]                      Action : 0E [Get Error Address Length]
[2F1h 0753 001h]                 Instruction : 00 [Read Register]
[2F2h 0754 001h]       Flags (decoded below) : 00
                      Preserve Register Bits : 0
[2F3h 0755 001h]                    Reserved : 00

[2F4h 0756 00Ch]             Register Region : [Generic Address Structure]
[2F4h 0756 001h]                    Space ID : 00 [SystemMemory]
[2F5h 0757 001h]                   Bit Width : 40
[2F6h 0758 001h]                  Bit Offset : 00
[2F7h 0759 001h]        Encoded Access Width : 04 [QWord Access:64]
[2F8h 0760 008h]                     Address : 0000000000000007

[300h 0768 008h]                       Value : 0000000000000000
[308h 0776 008h]                        Mask : FFFFFFFFFFFFFFFF

[310h 0784 001h]                      Action : 0F [Get Error Attributes]
[311h 0785 001h]                 Instruction : 03 [Write Register Value]
[312h 0786 001h]       Flags (decoded below) : 00
                      Preserve Register Bits : 0
[313h 0787 001h]                    Reserved : 00

[314h 0788 00Ch]             Register Region : [Generic Address Structure]
[314h 0788 001h]                    Space ID : 00 [SystemMemory]
[315h 0789 001h]                   Bit Width : 20
[316h 0790 001h]                  Bit Offset : 00
[317h 0791 001h]        Encoded Access Width : 03 [DWord Access:32]
[318h 0792 008h]                     Address : FFFFFFFFFFFFFFFF

[320h 0800 008h]                       Value : 000000000000000F
[328h 0808 008h]                        Mask : 00000000FFFFFFFF

[330h 0816 001h]                      Action : 0F [Get Error Attributes]
[331h 0817 001h]                 Instruction : 00 [Read Register]
[332h 0818 001h]       Flags (decoded below) : 00
                      Preserve Register Bits : 0
[333h 0819 001h]                    Reserved : 00

[334h 0820 00Ch]             Register Region : [Generic Address Structure]
[334h 0820 001h]                    Space ID : 00 [SystemMemory]
[335h 0821 001h]                   Bit Width : 20
[336h 0822 001h]                  Bit Offset : 00
[337h 0823 001h]        Encoded Access Width : 03 [DWord Access:32]
[338h 0824 008h]                     Address : 0000000000000007

[340h 0832 008h]                       Value : 0000000000000000
[348h 0840 008h]                        Mask : 00000000FFFFFFFF

[350h 0848 001h]                      Action : 10 [Execute Timings]
[351h 0849 001h]                 Instruction : 03 [Write Register Value]
[352h 0850 001h]       Flags (decoded below) : 00
                      Preserve Register Bits : 0
[353h 0851 001h]                    Reserved : 00

[354h 0852 00Ch]             Register Region : [Generic Address Structure]
[354h 0852 001h]                    Space ID : 00 [SystemMemory]
[355h 0853 001h]                   Bit Width : 20
[356h 0854 001h]                  Bit Offset : 00
[357h 0855 001h]        Encoded Access Width : 03 [DWord Access:32]
[358h 0856 008h]                     Address : FFFFFFFFFFFFFFFF

[360h 0864 008h]                       Value : 0000000000000010
[368h 0872 008h]                        Mask : 00000000FFFFFFFF

[370h 0880 001h]                      Action : 10 [Execute Timings]
[371h 0881 001h]                 Instruction : 00 [Read Register]
[372h 0882 001h]       Flags (decoded below) : 00
                      Preserve Register Bits : 0
[373h 0883 001h]                    Reserved : 00

[374h 0884 00Ch]             Register Region : [Generic Address Structure]
[374h 0884 001h]                    Space ID : 00 [SystemMemory]
[375h 0885 001h]                   Bit Width : 40
[376h 0886 001h]                  Bit Offset : 00
[377h 0887 001h]        Encoded Access Width : 04 [QWord Access:64]
[378h 0888 008h]                     Address : 0000000000000007

[380h 0896 008h]                       Value : 0000000000000000
[388h 0904 008h]                        Mask : FFFFFFFFFFFFFFFF

Raw Table Data: Length 912 (0x390)

    0000: 45 52 53 54 90 03 00 00 01 9D 42 4F 43 48 53 20  // ERST......BOCHS 
    0010: 42 58 50 43 20 20 20 20 01 00 00 00 42 58 50 43  // BXPC    ....BXPC
    0020: 01 00 00 00 30 00 00 00 00 00 00 00 1B 00 00 00  // ....0...........
    0030: 00 03 00 00 00 20 00 03 FF FF FF FF FF FF FF FF  // ..... ..........
    0040: 00 00 00 00 00 00 00 00 FF FF FF FF 00 00 00 00  // ................
    0050: 01 03 00 00 00 20 00 03 FF FF FF FF FF FF FF FF  // ..... ..........
    0060: 01 00 00 00 00 00 00 00 FF FF FF FF 00 00 00 00  // ................
    0070: 02 03 00 00 00 20 00 03 FF FF FF FF FF FF FF FF  // ..... ..........
    0080: 02 00 00 00 00 00 00 00 FF FF FF FF 00 00 00 00  // ................
    0090: 03 03 00 00 00 20 00 03 FF FF FF FF FF FF FF FF  // ..... ..........
    00A0: 03 00 00 00 00 00 00 00 FF FF FF FF 00 00 00 00  // ................
    00B0: 04 02 00 00 00 20 00 03 07 00 00 00 00 00 00 00  // ..... ..........
    00C0: 00 00 00 00 00 00 00 00 FF FF FF FF 00 00 00 00  // ................
    00D0: 04 03 00 00 00 20 00 03 FF FF FF FF FF FF FF FF  // ..... ..........
    00E0: 04 00 00 00 00 00 00 00 FF FF FF FF 00 00 00 00  // ................
    00F0: 05 03 00 00 00 20 00 03 07 00 00 00 00 00 00 00  // ..... ..........
    0100: 9C 00 00 00 00 00 00 00 FF FF FF FF 00 00 00 00  // ................
    0110: 05 03 00 00 00 20 00 03 FF FF FF FF FF FF FF FF  // ..... ..........
    0120: 05 00 00 00 00 00 00 00 FF FF FF FF 00 00 00 00  // ................
    0130: 06 03 00 00 00 20 00 03 FF FF FF FF FF FF FF FF  // ..... ..........
    0140: 06 00 00 00 00 00 00 00 FF FF FF FF 00 00 00 00  // ................
    0150: 06 01 00 00 00 20 00 03 07 00 00 00 00 00 00 00  // ..... ..........
    0160: 01 00 00 00 00 00 00 00 FF FF FF FF 00 00 00 00  // ................
    0170: 07 03 00 00 00 20 00 03 FF FF FF FF FF FF FF FF  // ..... ..........
    0180: 07 00 00 00 00 00 00 00 FF FF FF FF 00 00 00 00  // ................
    0190: 07 00 00 00 00 20 00 03 07 00 00 00 00 00 00 00  // ..... ..........
    01A0: 00 00 00 00 00 00 00 00 FF FF FF FF 00 00 00 00  // ................
    01B0: 08 03 00 00 00 20 00 03 FF FF FF FF FF FF FF FF  // ..... ..........
    01C0: 08 00 00 00 00 00 00 00 FF FF FF FF 00 00 00 00  // ................
    01D0: 08 00 00 00 00 40 00 04 07 00 00 00 00 00 00 00  // .....@..........
    01E0: 00 00 00 00 00 00 00 00 FF FF FF FF FF FF FF FF  // ................
    01F0: 09 02 00 00 00 40 00 04 07 00 00 00 00 00 00 00  // .....@..........
    0200: 00 00 00 00 00 00 00 00 FF FF FF FF FF FF FF FF  // ................
    0210: 09 03 00 00 00 20 00 03 FF FF FF FF FF FF FF FF  // ..... ..........
    0220: 09 00 00 00 00 00 00 00 FF FF FF FF 00 00 00 00  // ................
    0230: 0A 03 00 00 00 20 00 03 FF FF FF FF FF FF FF FF  // ..... ..........
    0240: 0A 00 00 00 00 00 00 00 FF FF FF FF 00 00 00 00  // ................
    0250: 0A 00 00 00 00 20 00 03 07 00 00 00 00 00 00 00  // ..... ..........
    0260: 00 00 00 00 00 00 00 00 FF FF FF FF 00 00 00 00  // ................
    0270: 0B 03 00 00 00 20 00 03 FF FF FF FF FF FF FF FF  // ..... ..........
    0280: 0B 00 00 00 00 00 00 00 FF FF FF FF 00 00 00 00  // ................
    0290: 0D 03 00 00 00 20 00 03 FF FF FF FF FF FF FF FF  // ..... ..........
    02A0: 0D 00 00 00 00 00 00 00 FF FF FF FF 00 00 00 00  // ................
    02B0: 0D 00 00 00 00 40 00 04 07 00 00 00 00 00 00 00  // .....@..........
    02C0: 00 00 00 00 00 00 00 00 FF FF FF FF FF FF FF FF  // ................
    02D0: 0E 03 00 00 00 20 00 03 FF FF FF FF FF FF FF FF  // ..... ..........
    02E0: 0E 00 00 00 00 00 00 00 FF FF FF FF 00 00 00 00  // ................
    02F0: 0E 00 00 00 00 40 00 04 07 00 00 00 00 00 00 00  // .....@..........
    0300: 00 00 00 00 00 00 00 00 FF FF FF FF FF FF FF FF  // ................
    0310: 0F 03 00 00 00 20 00 03 FF FF FF FF FF FF FF FF  // ..... ..........
    0320: 0F 00 00 00 00 00 00 00 FF FF FF FF 00 00 00 00  // ................
    0330: 0F 00 00 00 00 20 00 03 07 00 00 00 00 00 00 00  // ..... ..........
    0340: 00 00 00 00 00 00 00 00 FF FF FF FF 00 00 00 00  // ................
    0350: 10 03 00 00 00 20 00 03 FF FF FF FF FF FF FF FF  // ..... ..........
    0360: 10 00 00 00 00 00 00 00 FF FF FF FF 00 00 00 00  // ................
    0370: 10 00 00 00 00 40 00 04 07 00 00 00 00 00 00 00  // .....@..........
    0380: 00 00 00 00 00 00 00 00 FF FF FF FF FF FF FF FF  // ................
