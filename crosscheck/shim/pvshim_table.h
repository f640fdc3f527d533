/* The current platform, shared by pvshim.c and pvshim_cpuid.c. */
#pragma once

#include <stdint.h>

#define PV_MAX_LEAVES 4096
#define PV_MAX_MSRS 256
#define PV_MAX_READS 256

struct pv_leaf {
        uint32_t leaf, sub, indexed;
        uint32_t regs[4];
};

struct pv_msr {
        uint64_t index, value;
};

struct pv_read {
        uint32_t leaf, sub;
};

struct pv_table {
        uint32_t nleaves;
        struct pv_leaf leaves[PV_MAX_LEAVES];
        int msr_device;
        uint32_t nmsrs;
        struct pv_msr msrs[PV_MAX_MSRS];
        uint32_t nreads;
        struct pv_read reads[PV_MAX_READS];
        int msr_opened;
        uint32_t nmsr_reads;
        uint64_t msr_reads[PV_MAX_READS];
};

extern struct pv_table pv_table;
