#!/bin/sh
# Regenerate the committed ACPI fixtures. Needs acpica-tools (iasl, acpidump, acpixtract).
#
# iasl-<version>/: `iasl -T SIG` templates, compiled with `iasl SIG.asl`, and `iasl -d` of the
#   result (SIG.dsl), so tests compare pvenum's decode with iasl's even where iasl is absent.
# firecracker/: the tables of a Firecracker guest (the machine these fixtures were made on):
#   `acpidump > acpidump.txt`, then `acpixtract -a acpidump.txt` (*.dat) and `iasl -d *.dat`.
set -eu
cd "$(dirname "$0")"
ver=$(iasl -v | sed -n 's/.*version \([0-9]\{8\}\).*/\1/p' | head -1)
out="iasl-$ver"
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for sig in APIC FACP FACS RSDP RSDT XSDT MCFG SRAT SLIT HPET SPCR WAET BGRT DSDT S3PT; do
  (cd "$tmp" && iasl -T "$sig" >/dev/null 2>&1)
done
for asl in "$tmp"/*.asl; do
  stem=$(basename "$asl" .asl)
  cp "$asl" "$out/$stem.asl"
  (cd "$tmp" && iasl "$stem.asl" >/dev/null)
  cp "$tmp/$stem.aml" "$out/$stem.aml"
  # iasl cannot disassemble a standalone RSDP; its template text is the reference instead.
  if (cd "$tmp" && iasl -d "$stem.aml" >/dev/null 2>&1); then
    sed '/^ \* Disassembly of /d' "$tmp/$stem.dsl" > "$out/$stem.dsl"
  fi
done
if [ -r /sys/firmware/acpi/tables/FACP ] && [ "${1:-}" = "--machine" ]; then
  rm -rf firecracker && mkdir firecracker
  acpidump > firecracker/acpidump.txt
  (cd firecracker && acpixtract -a acpidump.txt >/dev/null)
  for dat in firecracker/*.dat; do
    cp "$dat" "$tmp/t.aml"
    (cd "$tmp" && iasl -d t.aml >/dev/null 2>&1) && sed '/^ \* Disassembly of /d' "$tmp/t.dsl" > "${dat%.dat}.dsl"
  done
fi
echo "fixtures rebuilt with iasl $ver"
