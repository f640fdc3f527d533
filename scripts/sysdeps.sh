#!/bin/sh
# Install the external tools pvenum's tests cross-check against, when we can.
# Root on Debian/Ubuntu: apt-get install what is missing. Otherwise say what is missing.
set -u
need=""
command -v iasl >/dev/null 2>&1 || need="$need acpica-tools"
command -v dtc >/dev/null 2>&1 || need="$need device-tree-compiler"
command -v cpuid >/dev/null 2>&1 || need="$need cpuid"
# pylibfdt (a test reference) builds from source: it needs swig and Python headers.
if [ "${1:-}" = "test" ]; then
  command -v swig >/dev/null 2>&1 || need="$need swig"
  command -v gcc >/dev/null 2>&1 || need="$need gcc"
  # The diff exports (HTML/SVG) are opened once in a real headless browser (tests/diff).
  # Large (~350 MB installed): PVENUM_NO_BROWSER=1 skips it, and the test says so.
  if [ -z "${PVENUM_NO_BROWSER:-}" ] && ! command -v chromium >/dev/null 2>&1; then
    need="$need chromium"
  fi
fi
# make kernelcheck boots Debian's kernels under QEMU TCG (and compiles the x86 CPUID dumper).
if [ "${1:-}" = "kernelcheck" ]; then
  command -v qemu-system-x86_64 >/dev/null 2>&1 || need="$need qemu-system-x86"
  command -v qemu-system-aarch64 >/dev/null 2>&1 || need="$need qemu-system-arm"
  command -v gcc >/dev/null 2>&1 || need="$need gcc"
  command -v dpkg-deb >/dev/null 2>&1 || need="$need dpkg"
  # the arm64 firmware stub (kernelcheck/stub/el3.S) is assembled with binutils for aarch64
  command -v aarch64-linux-gnu-as >/dev/null 2>&1 || need="$need binutils-aarch64-linux-gnu"
  # the patched qemu-system-x86_64 (kernelcheck/qemubuild.py) is built from Debian's qemu source
  command -v ninja >/dev/null 2>&1 || need="$need ninja-build"
  command -v pkg-config >/dev/null 2>&1 || need="$need pkg-config"
  command -v patch >/dev/null 2>&1 || need="$need patch"
  [ -f /usr/share/seabios/bios-256k.bin ] || need="$need seabios"
  for dev in glib-2.0:libglib2.0-dev zlib:zlib1g-dev; do
    pkg-config --exists "${dev%%:*}" 2>/dev/null || need="$need ${dev#*:}"
  done
  [ -f /usr/include/libfdt.h ] || need="$need libfdt-dev"
  python3 -c "import venv, ensurepip" 2>/dev/null || need="$need python3-venv"
fi
[ -z "$need" ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "sysdeps: apt-get install -y$need"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q $need >/dev/null 2>&1 || {
    apt-get update -q >/dev/null 2>&1
    # One at a time, so one package the archive lacks does not keep the others out.
    for pkg in $need; do
      apt-get install -y -q "$pkg" >/dev/null 2>&1 || echo "sysdeps: apt-get install $pkg failed; tests that need it are skipped with the reason"
    done
  }
else
  echo "sysdeps: not root (or no apt-get), so not installing:$need"
  echo "sysdeps: tests that need them are skipped with the reason; as root run: apt-get install -y$need"
fi
exit 0
