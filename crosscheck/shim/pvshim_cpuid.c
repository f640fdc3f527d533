/* The CPUID table and its lookup. Compiled with -mgeneral-regs-only and without builtins: the
 * virt-what trampoline calls pv_cpuid_regs() from the middle of an inline "cpuid" asm statement,
 * where only the four output registers may change. Keep this file free of libc calls. */
#include "pvshim.h"
#include "pvshim_table.h"

struct pv_table pv_table;

static void note_read(uint32_t leaf, uint32_t sub) {
        for (uint32_t i = 0; i < pv_table.nreads; i++)
                if (pv_table.reads[i].leaf == leaf && pv_table.reads[i].sub == sub)
                        return;
        if (pv_table.nreads < PV_MAX_READS) {
                pv_table.reads[pv_table.nreads].leaf = leaf;
                pv_table.reads[pv_table.nreads].sub = sub;
                pv_table.nreads++;
        }
}

static const struct pv_leaf *find(uint32_t leaf, uint32_t sub) {
        for (uint32_t i = 0; i < pv_table.nleaves; i++)
                if (pv_table.leaves[i].leaf == leaf && pv_table.leaves[i].sub == sub)
                        return &pv_table.leaves[i];
        return 0;
}

void pv_cpuid_regs(uint32_t leaf, uint32_t subleaf, uint32_t out[4]) {
        const struct pv_leaf *e = find(leaf, subleaf);
        uint32_t key_sub = subleaf;

        if (!e && subleaf != 0) {
                /* A leaf that ignores ECX answers every subleaf with subleaf 0's values. */
                const struct pv_leaf *z = find(leaf, 0);
                if (z && !z->indexed) {
                        e = z;
                        key_sub = 0;
                }
        }
        if (e && !e->indexed)
                key_sub = 0;
        note_read(leaf, key_sub);
        out[0] = e ? e->regs[0] : 0;
        out[1] = e ? e->regs[1] : 0;
        out[2] = e ? e->regs[2] : 0;
        out[3] = e ? e->regs[3] : 0;
}

void pv_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t *eax, uint32_t *ebx, uint32_t *ecx, uint32_t *edx) {
        uint32_t out[4];

        pv_cpuid_regs(leaf, subleaf, out);
        *eax = out[0];
        *ebx = out[1];
        *ecx = out[2];
        *edx = out[3];
}
