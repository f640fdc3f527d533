/* pvenum cross-check: stands in for GCC's <cpuid.h>. systemd's confidential-virt.c reads CPUID
 * only through __cpuid_count(); here it is answered from the platform under test. */
#pragma once

#include "pvshim.h"

#define __cpuid_count(level, count, a, b, c, d) \
        pv_cpuid((uint32_t) (level), (uint32_t) (count), &(a), &(b), &(c), &(d))
#define __cpuid(level, a, b, c, d) \
        pv_cpuid((uint32_t) (level), 0, &(a), &(b), &(c), &(d))

static inline unsigned int __get_cpuid_max(unsigned int ext, unsigned int *sig) {
        uint32_t a, b, c, d;
        pv_cpuid(ext, 0, &a, &b, &c, &d);
        if (sig)
                *sig = b;
        return a;
}

static inline int __get_cpuid_count(unsigned int leaf, unsigned int subleaf,
                                    unsigned int *a, unsigned int *b, unsigned int *c, unsigned int *d) {
        if (__get_cpuid_max(leaf & 0x80000000u, 0) < leaf)
                return 0;
        pv_cpuid(leaf, subleaf, a, b, c, d);
        return 1;
}

static inline int __get_cpuid(unsigned int leaf, unsigned int *a, unsigned int *b, unsigned int *c, unsigned int *d) {
        return __get_cpuid_count(leaf, 0, a, b, c, d);
}
