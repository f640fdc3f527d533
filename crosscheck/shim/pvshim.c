/* Platform input, the MSR device and the per-platform terminator line. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pvshim.h"
#include "pvshim_table.h"

static int msr_fd = -1;
static char *line;
static size_t line_cap;

static _Noreturn void bad_input(const char *what) {
        fprintf(stderr, "pvshim: malformed platform line: %s\n", what);
        exit(2);
}

static uint64_t next_hex(char **p, const char *what) {
        char *end;
        unsigned long long v;

        errno = 0;
        v = strtoull(*p, &end, 16);
        if (end == *p || errno != 0)
                bad_input(what);
        *p = end;
        return v;
}

int pv_next_platform(void) {
        ssize_t n = getline(&line, &line_cap, stdin);
        char *p;

        if (n < 0)
                return 0;
        pv_table.nreads = 0;
        pv_table.msr_opened = 0;
        pv_table.nmsr_reads = 0;
        p = line;
        pv_table.nleaves = (uint32_t) next_hex(&p, "leaf count");
        if (pv_table.nleaves > PV_MAX_LEAVES)
                bad_input("too many leaves");
        for (uint32_t i = 0; i < pv_table.nleaves; i++) {
                struct pv_leaf *e = &pv_table.leaves[i];
                e->leaf = (uint32_t) next_hex(&p, "leaf");
                e->sub = (uint32_t) next_hex(&p, "subleaf");
                e->indexed = (uint32_t) next_hex(&p, "indexed flag");
                for (int r = 0; r < 4; r++)
                        e->regs[r] = (uint32_t) next_hex(&p, "register");
        }
        pv_table.msr_device = (int) next_hex(&p, "msr device flag");
        pv_table.nmsrs = (uint32_t) next_hex(&p, "msr count");
        if (pv_table.nmsrs > PV_MAX_MSRS)
                bad_input("too many MSRs");
        for (uint32_t i = 0; i < pv_table.nmsrs; i++) {
                pv_table.msrs[i].index = next_hex(&p, "msr index");
                pv_table.msrs[i].value = next_hex(&p, "msr value");
        }
        return 1;
}

void pv_end_platform(void) {
        fputs(".", stdout);
        for (uint32_t i = 0; i < pv_table.nreads; i++)
                printf(" %x.%x", pv_table.reads[i].leaf, pv_table.reads[i].sub);
        if (pv_table.msr_opened)
                fputs(" msr:open", stdout);
        for (uint32_t i = 0; i < pv_table.nmsr_reads; i++)
                printf(" msr:%llx", (unsigned long long) pv_table.msr_reads[i]);
        putchar('\n');
        fflush(stdout);
        if (msr_fd >= 0)
                close(msr_fd);  /* the real code leaked it; do not let it pile up */
        msr_fd = -1;
}

int pv_open(const char *path, int flags, ...) {
        mode_t mode = 0;

        PV_MODE_ARG(flags, mode);
        if (strcmp(path, PV_MSR_DEVICE) != 0)
                return open(path, flags, mode);

        pv_table.msr_opened = 1;
        if (!pv_table.msr_device) {
                /* What a process without root (or without the msr driver) gets. */
                errno = EACCES;
                return -1;
        }
        /* A real descriptor, so the caller's close() works; pread() on it is answered below. */
        msr_fd = open("/dev/null", O_RDONLY | (flags & O_CLOEXEC));
        return msr_fd;
}

int pv_close(int fd) {
        if (fd >= 0 && fd == msr_fd)
                msr_fd = -1;
        return close(fd);
}

ssize_t pv_pread(int fd, void *buf, size_t count, off_t offset) {
        if (fd < 0 || fd != msr_fd)
                return pread(fd, buf, count, offset);
        if (pv_table.nmsr_reads < PV_MAX_READS)
                pv_table.msr_reads[pv_table.nmsr_reads++] = (uint64_t) offset;
        if (count % 8 != 0) {
                errno = EINVAL;  /* the msr driver reads whole 8-byte registers */
                return -1;
        }
        for (uint32_t i = 0; i < pv_table.nmsrs; i++)
                if (pv_table.msrs[i].index == (uint64_t) offset) {
                        memcpy(buf, &pv_table.msrs[i].value, 8);
                        return 8;
                }
        errno = EIO;  /* the msr driver's answer for an MSR that faults */
        return -1;
}
