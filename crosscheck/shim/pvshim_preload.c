/* pvenum cross-check: a detector as Debian compiled it, run on one platform after another.
 *
 * For when the archive serves the binary packages but not the source. This library is loaded
 * (LD_PRELOAD) into a copy of the shipped program (virt-what-cvm; systemd-detect-virt with its
 * libsystemd-shared) whose every "cpuid" instruction (0f a2) was replaced by "int3; nop" (cc 90),
 * at the offsets objdump decodes as cpuid (crosscheck/harness.py patches and checks the copies).
 * Nothing else of the program changes.
 *
 * - CPUID: the int3 raises SIGTRAP; the handler answers from the platform under test
 *   (pv_cpuid_regs(), the same lookup the compiled-source driver uses), writes EAX/EBX/ECX/EDX as
 *   CPUID does (zero-extended to 64 bits) and steps over the nop.
 * - /dev/cpu/0/msr: every libc function the program could open it with by name resolves to the
 *   definitions below (open, open64, openat, openat64 and their _FORTIFY_SOURCE forms; pread,
 *   pread64; close), which hand that path to the shim (pvshim.c) and everything else to libc's own
 *   functions. fopen()/fopen64() of the device, which the shim cannot answer, stop the run.
 * - Many platforms in one run: before the program's main() starts, the constructor reads one
 *   platform line from stdin (pvshim.h) and forks; the child returns into the program, whose
 *   main() parses its options, prints what it finds and exits; at exit the child prints the
 *   terminator line with what it read. The parent waits, prints "=exit STATUS", then takes the next
 *   line; at the end of input it exits 0, so the program's main() never runs in the parent. A child
 *   killed by a signal, or one the shim could not answer (exit PV_FATAL), stops the run (exit 3):
 *   its answer would not be the program's.
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

/* A child's exit status that means "the shim could not answer": the run stops. */
#define PV_FATAL 125

static void *libc_symbol(const char *name) {
        void *fn = dlsym(RTLD_NEXT, name);
        if (!fn) {
                fprintf(stderr, "pvshim: libc has no %s\n", name);
                _exit(PV_FATAL);
        }
        return fn;
}

int pv_next_open(const char *path, int flags, ...) {
        static int (*real)(const char *, int, ...);
        mode_t mode = 0;

        PV_MODE_ARG(flags, mode);
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
        PV_MODE_ARG(flags, mode);
        return pv_open(path, flags, mode);
}

int open64(const char *path, int flags, ...) {
        mode_t mode = 0;
        PV_MODE_ARG(flags, mode);
        return pv_open(path, flags, mode);
}

int __open_2(const char *path, int flags) {
        return pv_open(path, flags);
}

int __open64_2(const char *path, int flags) {
        return pv_open(path, flags);
}

/* openat() of an absolute path ignores dirfd, so the device path goes to the shim as open() would. */
static int at(int dirfd, const char *path, int flags, mode_t mode) {
        static int (*real)(int, const char *, int, ...);
        if (path[0] == '/' || dirfd == AT_FDCWD)
                return pv_open(path, flags, mode);
        if (!real)
                real = (int (*)(int, const char *, int, ...)) libc_symbol("openat");
        return real(dirfd, path, flags, mode);
}

int openat(int dirfd, const char *path, int flags, ...) {
        mode_t mode = 0;
        PV_MODE_ARG(flags, mode);
        return at(dirfd, path, flags, mode);
}

int openat64(int dirfd, const char *path, int flags, ...) {
        mode_t mode = 0;
        PV_MODE_ARG(flags, mode);
        return at(dirfd, path, flags, mode);
}

int __openat_2(int dirfd, const char *path, int flags) {
        return at(dirfd, path, flags, 0);
}

int __openat64_2(int dirfd, const char *path, int flags) {
        return at(dirfd, path, flags, 0);
}

static FILE *stream(const char *name, const char *path, const char *mode) {
        FILE *(*real)(const char *, const char *);
        if (strcmp(path, PV_MSR_DEVICE) == 0) {
                fprintf(stderr, "pvshim: the program opened " PV_MSR_DEVICE " with %s(), which the shim does not answer\n", name);
                _exit(PV_FATAL);
        }
        real = (FILE * (*)(const char *, const char *)) libc_symbol(name);
        return real(path, mode);
}

FILE *fopen(const char *path, const char *mode) {
        return stream("fopen", path, mode);
}

FILE *fopen64(const char *path, const char *mode) {
        return stream("fopen64", path, mode);
}

ssize_t pread(int fd, void *buf, size_t count, off_t offset) {
        return pv_pread(fd, buf, count, offset);
}

ssize_t pread64(int fd, void *buf, size_t count, off_t offset) {
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
                _exit(PV_FATAL);
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
                if (WIFSIGNALED(status)) {
                        fprintf(stderr, "pvshim: the program was killed by signal %d on a platform\n", WTERMSIG(status));
                        _exit(3);
                }
                if (!WIFEXITED(status) || WEXITSTATUS(status) == PV_FATAL)
                        _exit(3); /* the child said why (the shim could not answer) */
                printf("=exit %d\n", WEXITSTATUS(status));
        }
        fflush(stdout);
        _exit(0);
}
