/* pvenum cross-check: Debian's compiled virt-what-cvm, run on one platform after another.
 *
 * For when the archive serves the binary package but not its source. This library is loaded
 * into a copy of the shipped program (LD_PRELOAD) whose every "cpuid" instruction (0f a2) was
 * replaced by "int3; nop" (cc 90), at the offsets objdump decodes as cpuid (crosscheck/harness.py
 * patches and checks the copy). Nothing else of the program changes.
 *
 * - CPUID: the int3 raises SIGTRAP; the handler answers from the platform under test
 *   (pv_cpuid_regs(), the same lookup the compiled-source driver uses), writes EAX/EBX/ECX/EDX as
 *   CPUID does (zero-extended to 64 bits) and steps over the nop.
 * - /dev/cpu/0/msr: the program's open()/pread()/close() resolve to the definitions below, which
 *   hand that path to the shim (pvshim.c) and everything else to libc's own functions.
 * - Many platforms in one run: before the program's main() starts, the constructor reads one
 *   platform line from stdin (pvshim.h) and forks; the child returns into the program, whose
 *   main() parses no options and prints what it finds, and exits; at exit the child prints the
 *   terminator line with what it read. The parent waits, then takes the next line; at the end of
 *   input it exits 0, so the program's main() never runs in the parent. A child killed by a signal
 *   or exiting with a status other than 0 stops the run (exit 3), since then the answers would
 *   not be the program's.
 *
 * pvshim.c is compiled for this library with open/pread/close renamed to pv_next_* (-D), so its
 * pass-through calls reach libc's functions, found here with dlsym(RTLD_NEXT).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

#include "pvshim.h"

static void *libc_symbol(const char *name) {
        void *fn = dlsym(RTLD_NEXT, name);
        if (!fn) {
                fprintf(stderr, "pvshim: libc has no %s\n", name);
                _exit(3);
        }
        return fn;
}

int pv_next_open(const char *path, int flags, ...) {
        static int (*real)(const char *, int, ...);
        mode_t mode = 0;

        if (flags & (O_CREAT | O_TMPFILE)) {
                va_list ap;
                va_start(ap, flags);
                mode = va_arg(ap, mode_t);
                va_end(ap);
        }
        if (!real)
                real = (int (*)(const char *, int, ...)) libc_symbol("open");
        return real(path, flags, mode);
}

ssize_t pv_next_pread(int fd, void *buf, size_t count, off_t offset) {
        static ssize_t (*real)(int, void *, size_t, off_t);
        if (!real)
                real = (ssize_t (*)(int, void *, size_t, off_t)) libc_symbol("pread");
        return real(fd, buf, count, offset);
}

int pv_next_close(int fd) {
        static int (*real)(int);
        if (!real)
                real = (int (*)(int)) libc_symbol("close");
        return real(fd);
}

/* What the program calls. */
int open(const char *path, int flags, ...) {
        mode_t mode = 0;

        if (flags & (O_CREAT | O_TMPFILE)) {
                va_list ap;
                va_start(ap, flags);
                mode = va_arg(ap, mode_t);
                va_end(ap);
        }
        return pv_open(path, flags, mode);
}

ssize_t pread(int fd, void *buf, size_t count, off_t offset) {
        return pv_pread(fd, buf, count, offset);
}

int close(int fd) {
        return pv_close(fd);
}

static void on_trap(int sig, siginfo_t *info, void *context) {
        ucontext_t *uc = context;
        greg_t *g = uc->uc_mcontext.gregs;
        const uint8_t *rip = (const uint8_t *) g[REG_RIP];
        uint32_t out[4];

        (void) sig;
        (void) info;
        /* Only a patched cpuid traps: "int3" just executed, "nop" next. */
        if (rip[-1] != 0xcc || rip[0] != 0x90) {
                static const char msg[] = "pvshim: SIGTRAP outside a patched cpuid\n";
                (void) !write(2, msg, sizeof msg - 1);
                _exit(3);
        }
        pv_cpuid_regs((uint32_t) g[REG_RAX], (uint32_t) g[REG_RCX], out);
        g[REG_RAX] = out[0];
        g[REG_RBX] = out[1];
        g[REG_RCX] = out[2];
        g[REG_RDX] = out[3];
        g[REG_RIP] += 1;
}

__attribute__((constructor)) static void pv_preload_start(void) {
        struct sigaction sa;

        memset(&sa, 0, sizeof sa);
        sa.sa_sigaction = on_trap;
        sa.sa_flags = SA_SIGINFO;
        sigemptyset(&sa.sa_mask);
        if (sigaction(SIGTRAP, &sa, NULL) != 0) {
                perror("pvshim: sigaction");
                _exit(3);
        }
        while (pv_next_platform()) {
                pid_t pid;
                int status;

                fflush(stdout);
                pid = fork();
                if (pid < 0) {
                        perror("pvshim: fork");
                        _exit(3);
                }
                if (pid == 0) {
                        atexit(pv_end_platform);
                        return; /* into the program's main() */
                }
                if (waitpid(pid, &status, 0) != pid) {
                        perror("pvshim: waitpid");
                        _exit(3);
                }
                if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
                        fprintf(stderr, "pvshim: the program %s %d on a platform\n",
                                WIFEXITED(status) ? "exited" : "was killed by signal",
                                WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
                        _exit(3);
                }
        }
        fflush(stdout);
        _exit(0);
}
