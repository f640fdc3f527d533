/* pvenum cross-check shim: the platform a real guest detector is run against.
 *
 * The real detector code (systemd's confidential-virt.c, virt-what's virt-what-cvm.c) is compiled
 * unchanged; its CPUID instructions and its reads of /dev/cpu/0/msr are answered from one platform
 * at a time, read from stdin, one platform per line:
 *
 *     NLEAVES {LEAF SUBLEAF INDEXED EAX EBX ECX EDX}*NLEAVES MSRDEV NMSRS {INDEX VALUE}*NMSRS
 *
 * all numbers in hex without 0x. INDEXED says whether the leaf depends on ECX (pvenum's
 * CpuidDump.is_indexed); a query for a subleaf the table does not list falls back to subleaf 0
 * for leaves that ignore ECX, exactly as CpuidDump.get() does, and anything else reads as zeros.
 * MSRDEV 0 means /dev/cpu/0/msr cannot be opened (no msr driver or no root); 1 means it opens and
 * pread() answers the listed MSRs and fails with EIO for any other.
 *
 * After each platform the driver prints the real code's output lines and then one terminator
 * line ". READS" listing what the real code read ("LEAF.SUB" in hex, "msr:INDEX", "msr:open").
 */
#pragma once

#include <stdint.h>
#include <sys/types.h>

/* Reads the next platform; 1 when one was read, 0 at end of input. Exits 2 on malformed input. */
int pv_next_platform(void);
/* Prints the terminator line for the current platform and flushes stdout. */
void pv_end_platform(void);

/* CPUID answered from the current platform (C callers). */
void pv_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t *eax, uint32_t *ebx, uint32_t *ecx, uint32_t *edx);
/* Same, for the assembly trampoline: out[0..3] = eax, ebx, ecx, edx. Uses no libc and no vector
 * registers, so the trampoline can stand in for a bare "cpuid" instruction. */
void pv_cpuid_regs(uint32_t leaf, uint32_t subleaf, uint32_t out[4]);

/* The platform's MSR device, as the detectors open it. */
#define PV_MSR_DEVICE "/dev/cpu/0/msr"

/* The mode argument open() and openat() take after the flags, when the flags create a file. */
#define PV_MODE_ARG(flags, mode)                       \
        do {                                            \
                if ((flags) & (O_CREAT | O_TMPFILE)) {  \
                        va_list ap_;                    \
                        va_start(ap_, flags);           \
                        (mode) = va_arg(ap_, mode_t);   \
                        va_end(ap_);                    \
                }                                       \
        } while (0)

/* open()/pread()/close() stand-ins: "/dev/cpu/0/msr" is the platform's MSR device, anything else passes
 * through to the real calls. */
int pv_open(const char *path, int flags, ...);
ssize_t pv_pread(int fd, void *buf, size_t count, off_t offset);
int pv_close(int fd);
