#!/bin/sh
# Compile the .dts sources here with dtc (1.6.1 on Debian 12 made the committed .dtb files).
#   sh tests/data/fdt/dts/make.sh
# Variants of values.dts exercise the header versions dtc writes (1, 2, 3, 16; 17 is the
# default), padding (-p), alignment (-a) and a boot CPU (-b).
set -eu
cd "$(dirname "$0")"
DTC=${DTC:-dtc}
"$DTC" --version > DTC_VERSION
for src in *.dts; do
  "$DTC" -q -I dts -O dtb -o "${src%.dts}.dtb" "$src"
done
for v in 1 2 3 16; do
  "$DTC" -q -I dts -O dtb -V "$v" -o "values-v$v.dtb" values.dts
done
"$DTC" -q -I dts -O dtb -p 256 -b 3 -o values-pad256-boot3.dtb values.dts
"$DTC" -q -I dts -O dtb -a 4096 -o values-align4096.dtb values.dts
