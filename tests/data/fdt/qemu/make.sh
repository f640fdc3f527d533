#!/bin/sh
# Regenerate the QEMU `virt` devicetrees in this directory (QEMU 7.2 on Debian 12 made them).
#   sh tests/data/fdt/qemu/make.sh
# QEMU dumps the blob it would hand the guest (-machine ...,dumpdtb=FILE) and exits.
# Its libfdt buffer is 1 MiB (totalsize 0x100000, mostly free space), so the blobs are kept
# gzip-compressed (-n: no name or time stamp, so reruns give identical files).
set -eu
cd "$(dirname "$0")"
A64=${QEMU_AARCH64:-qemu-system-aarch64}
A32=${QEMU_ARM:-qemu-system-arm}
"$A64" --version | head -1 > QEMU_VERSION

dump() {  # dump NAME QEMU ARGS...
  name=$1; qemu=$2; shift 2
  machine=$1; shift
  # -seed: /chosen rng-seed and kaslr-seed are random otherwise.
  "$qemu" -machine "$machine,dumpdtb=$name.dtb" -seed 1 -nographic -display none -nodefaults "$@" >/dev/null 2>&1
  gzip -9nf "$name.dtb"
  echo "$name.dtb.gz: $qemu -machine $machine,dumpdtb=$name.dtb -seed 1 $*" >> RECIPES
}

: > RECIPES
dump virt-gicv2          "$A64" virt,gic-version=2 -cpu max
dump virt-gicv3          "$A64" virt,gic-version=3 -cpu max
dump virt-secure         "$A64" virt,secure=on -cpu max
dump virt-virtualization "$A64" virt,virtualization=on,gic-version=3 -cpu max
dump virt-highmem-8g     "$A64" virt,highmem=on,gic-version=3 -cpu max -m 8G
dump virt-smp4           "$A64" virt,gic-version=3 -cpu max -smp 4
dump virt-numa           "$A64" virt,gic-version=3 -cpu max -smp 4 -m 2G \
  -object memory-backend-ram,id=m0,size=1G -object memory-backend-ram,id=m1,size=1G \
  -numa node,nodeid=0,cpus=0-1,memdev=m0 -numa node,nodeid=1,cpus=2-3,memdev=m1
dump arm32-virt          "$A32" virt -cpu cortex-a15
