#!/bin/sh
# Copy the committed subset of the kernel DTB corpus from the cache that
# bench/fetch_dtb_corpus.sh fills (Debian 12 linux-image-6.1.0-50-arm64 6.1.176-1).
#   sh bench/fetch_dtb_corpus.sh && sh tests/data/fdt/kernel/make_subset.sh
# Chosen for coverage, 720 KB in all: the median-size board of each vendor directory, the
# largest and smallest blob, blobs with /memreserve/ entries, and two that fdtoverlay
# (libfdt) produced, which carry stale bytes in their padding and a __symbols__ node.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${1:-$HERE/../../../../.cache/dtb-corpus}
FILES="
allwinner/sun50i-h6-pine-h64-model-b.dtb
amd/amd-overdrive-rev-b0.dtb
amlogic/meson-gxl-s905d-libretech-pc.dtb
apm/apm-mustang.dtb
arm/foundation-v8-gicv3-psci.dtb
arm/foundation-v8-gicv3.dtb
arm/fvp-base-revc.dtb
broadcom/bcm2837-rpi-3-b-plus.dtb
cavium/thunder-88xx.dtb
cavium/thunder2-99xx.dtb
freescale/fsl-ls1028a-qds-13bb.dtb
freescale/fsl-ls1028a-qds-65bb.dtb
hisilicon/hi3670-hikey970.dtb
marvell/cn9130-crb-B.dtb
nvidia/tegra210-p2894-0050-a08.dtb
qcom/sc7280-herobrine-crd.dtb
qcom/sm8150-microsoft-surface-duo.dtb
renesas/r8a774a1-hihope-rzg2m-rev2-ex-idk-1110wr.dtb
rockchip/rk3568-rock-3a.dtb
ti/k3-am654-base-board.dtb
xilinx/zynqmp-sm-k26-revA.dtb
"
for f in $FILES; do
  cp "$CACHE/$f" "$HERE/$(echo "$f" | tr / _)"
done
{
  echo "Source: $(cat "$CACHE/SOURCE" 2>/dev/null || echo 'Debian 12 linux-image-6.1.0-50-arm64 6.1.176-1')"
  echo "Path in the package: /usr/lib/linux-image-6.1.0-50-arm64/<vendor>/<board>.dtb (here <vendor>_<board>.dtb)"
  echo "Built by the Linux kernel's dtc (scripts/dtc) from arch/arm64/boot/dts; licences as in each .dts (GPL-2.0 and/or MIT/BSD)."
  echo
  for f in $FILES; do sha256sum "$HERE/$(echo "$f" | tr / _)" | sed "s|$HERE/||"; done
} > "$HERE/PROVENANCE"
