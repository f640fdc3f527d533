#!/bin/sh
# Fetch the full DTB corpus: every .dtb that Debian 12's arm64 kernel package ships
# (576 blobs, 27 MB), into .cache/dtb-corpus/ (or $1). The benchmark and the slow corpus
# test use it when it is there; tests/data/fdt/kernel/ holds a committed subset.
#   sh bench/fetch_dtb_corpus.sh [DEST]
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DEST=${1:-$ROOT/.cache/dtb-corpus}
# Pinned so every machine benchmarks the same blobs. When the Debian mirror drops this
# build, set PVENUM_KERNEL_DEB to another linux-image-*-arm64 .deb URL (no checksum check).
DEB_URL=${PVENUM_KERNEL_DEB:-https://deb.debian.org/debian/pool/main/l/linux-signed-arm64/linux-image-6.1.0-50-arm64_6.1.176-1_arm64.deb}
DEB_SHA256=914f75b57a8e165d85fb910c3e2dcc7000a05a9fea3f42f90b26e8dd590d5f06

if [ -f "$DEST/.complete" ]; then
  echo "fetch_dtb_corpus: $DEST already holds $(find "$DEST" -name '*.dtb' | wc -l) blobs"
  exit 0
fi
command -v dpkg-deb >/dev/null 2>&1 || { echo "fetch_dtb_corpus: needs dpkg-deb (Debian's dpkg)" >&2; exit 1; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT INT TERM
DEB="$TMP/kernel.deb"
echo "fetch_dtb_corpus: downloading $DEB_URL"
if command -v curl >/dev/null 2>&1; then
  curl -fsSL --retry 3 -o "$DEB" "$DEB_URL"
else
  wget -q -O "$DEB" "$DEB_URL"
fi
if [ -z "${PVENUM_KERNEL_DEB:-}" ]; then
  echo "$DEB_SHA256  $DEB" | sha256sum -c --quiet -
fi
dpkg-deb -x "$DEB" "$TMP/x"
mkdir -p "$DEST"
# Keep the vendor/board.dtb layout; a .gitignore inside DEST keeps it out of any git tree
# (only DEST's own: a DEST given as $1 may sit in a directory that is not ours).
SRC=$(find "$TMP/x/usr/lib" -maxdepth 1 -type d -name 'linux-image-*' | head -1)
( cd "$SRC" && find . -name '*.dtb' -print | while read -r f; do
    mkdir -p "$DEST/$(dirname "$f")"; cp "$f" "$DEST/$f"; done )
printf '*\n' > "$DEST/.gitignore"
echo "$DEB_URL" > "$DEST/SOURCE"
touch "$DEST/.complete"
echo "fetch_dtb_corpus: $(find "$DEST" -name '*.dtb' | wc -l) blobs in $DEST"
