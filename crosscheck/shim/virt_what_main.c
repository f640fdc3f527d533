/* pvenum cross-check driver for virt-what's virt-what-cvm.c.
 *
 * The real file is #included below, unchanged, with its main() renamed; for each platform line on
 * stdin this calls its cpu_sig() (what virt-what-cvm's main() does after option parsing), which
 * puts() one fact per line, then prints the terminator line (pvshim.h).
 *
 * virt-what-cvm.c executes CPUID through its own inline asm ("cpuid"), not <cpuid.h>. The
 * assembler macro below replaces that instruction with a call to pv_cpuid_trampoline
 * (pvshim_trampoline.S), which answers from the platform under test. This file is compiled with
 * -mno-red-zone (the call pushes below the stack pointer) and -fno-toplevel-reorder (the macro
 * must precede the functions in the assembly output).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "pvshim.h"

__asm__(".macro cpuid\n\tcall pv_cpuid_trampoline\n.endm\n");

#define open pv_open
#define pread pv_pread
#define close pv_close
#define main virt_what_cvm_main

#include "virt-what-cvm.c"

#undef open
#undef pread
#undef close
#undef main

int main(void) {
        while (pv_next_platform()) {
                cpu_sig();
                fflush(stdout);
                pv_end_platform();
        }
        return 0;
}
