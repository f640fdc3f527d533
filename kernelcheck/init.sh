#!/bin/busybox sh
# pvenum kernelcheck init: report what the booted kernel concluded, then power off.
# Every report line starts with "pvenum-observe: " so pvenum/observe reads it from the console.
/bin/busybox --install -s /bin
mkdir -p /proc /sys /dev
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t configfs configfs /sys/kernel/config 2>/dev/null
P="pvenum-observe:"
echo "$P begin"
echo "$P uname-r $(uname -r)"
echo "$P uname-m $(uname -m)"
grep -m1 -E '^(flags|Features)' /proc/cpuinfo | sed "s/^/$P cpuinfo /"
for p in /dev/sev-guest /dev/tdx_guest /dev/tpm0 /dev/tpmrm0 /sys/kernel/config/tsm/report \
         /sys/devices/platform/arm-cca-dev /sys/firmware/acpi/tables/data/CCEL /sys/hypervisor/type; do
    if [ -e "$p" ]; then echo "$P present $p"; else echo "$P absent $p"; fi
done
[ -r /proc/device-tree/psci/method ] && echo "$P file /proc/device-tree/psci/method $(tr -d '\000' < /proc/device-tree/psci/method)"
echo "$P modules $(wc -l < /proc/modules)"
[ -r /sys/hypervisor/type ] && echo "$P file /sys/hypervisor/type $(cat /sys/hypervisor/type)"
[ -e /sys/class/tpm/tpm0/device/driver ] && echo "$P tpm0-driver $(basename "$(readlink /sys/class/tpm/tpm0/device/driver)")"
# The ACPI tables the x86 model reads, as one hex line each (the guest's own, to resolve them).
for t in APIC FACP CCEL; do
    [ -r /sys/firmware/acpi/tables/$t ] && echo "$P acpi $t $(od -An -v -tx1 /sys/firmware/acpi/tables/$t | tr -d ' \n')"
done
[ -x /bin/cpuid-dump ] && /bin/cpuid-dump | sed "s/^/$P cpuid /"
echo "$P end"
poweroff -f
