#!/bin/sh
# Install the external tools pvenum's tests cross-check against, when we can.
# Root on Debian/Ubuntu: apt-get install what is missing. Otherwise say what is missing.
set -u
need=""
lean=""  # installed with --no-install-recommends
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
# Debian's kernels boot under QEMU TCG: all of them in make kernelcheck, one arm64 and one x86
# scenario in make test (tests/test_kernelcheck.py). The arm64 firmware stub (kernelcheck/stub/el3.S)
# that answers a scenario's SMCCC is assembled with binutils for aarch64. QEMU without its
# recommends (qemu-system-gui would bring a desktop toolkit): "lean" below.
if [ "${1:-}" = "test" ] || [ "${1:-}" = "kernelcheck" ]; then
  command -v qemu-system-x86_64 >/dev/null 2>&1 || lean="$lean qemu-system-x86"
  command -v qemu-system-aarch64 >/dev/null 2>&1 || lean="$lean qemu-system-arm"
  command -v aarch64-linux-gnu-as >/dev/null 2>&1 || lean="$lean binutils-aarch64-linux-gnu"
fi
# systemd-detect-virt's aarch64 branch runs as Debian's arm64 binary under qemu-user (crosscheck/aarch64.py),
# in make test and make crosscheck.
if [ "${1:-}" = "test" ]; then
  command -v qemu-aarch64 >/dev/null 2>&1 || lean="$lean qemu-user"
fi
# make kernelcheck also compiles the x86 CPUID dumper and builds a patched QEMU.
if [ "${1:-}" = "kernelcheck" ]; then
  command -v gcc >/dev/null 2>&1 || need="$need gcc"
  command -v dpkg-deb >/dev/null 2>&1 || need="$need dpkg"
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
[ -z "$need$lean" ] && exit 0
apt_install() {  # apt_install [--no-install-recommends] PKG...
  opts=""
  if [ "${1:-}" = "--no-install-recommends" ]; then opts="$1"; shift; fi
  [ "$#" -eq 0 ] && return 0
  echo "sysdeps: apt-get install -y${opts:+ $opts} $*"
  apt-get install -y -q $opts "$@" >/dev/null 2>&1 || {
    apt-get update -q >/dev/null 2>&1
    # One at a time, so one package the archive lacks does not keep the others out.
    for pkg in "$@"; do
      apt-get install -y -q $opts "$pkg" >/dev/null 2>&1 || echo "sysdeps: apt-get install $pkg failed; tests that need it are skipped with the reason"
    done
  }
}
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt_install $need
  apt_install --no-install-recommends $lean
else
  echo "sysdeps: not root (or no apt-get), so not installing:$need$lean"
  echo "sysdeps: tests that need them are skipped with the reason; as root run: apt-get install -y$need$lean"
fi
exit 0
