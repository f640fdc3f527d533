/* pvenum cross-check: the few pieces of systemd's src/basic and src/fundamental infrastructure
 * that confidential-virt.c (v257 .. main) uses, written from scratch. Every systemd header the
 * file includes is a one-line stub in this directory that includes this one; this directory is
 * first on the include path and the real confidential-virt*.h sit next to the .c file. */
#pragma once

#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <threads.h>
#include <unistd.h>

#ifndef thread_local
#define thread_local _Thread_local
#endif

#define _const_ __attribute__((__const__))
#define _pure_ __attribute__((__pure__))
#define _unused_ __attribute__((__unused__))
#define _cleanup_(f) __attribute__((__cleanup__(f)))
#define ELEMENTSOF(x) (sizeof(x) / sizeof((x)[0]))

/* errno-list.h: the largest errno value systemd's enums must hold. */
#define ERRNO_MAX 4095

/* errno-util.h */
#define SYNTHETIC_ERRNO(num) (num)
#define ERRNO_VALUE(val) ((val) < 0 ? -(val) : (val))
#define RET_NERRNO(expr) ({ int _r = (expr); _r < 0 ? -errno : _r; })

/* log.h: debug logging is off; log_*_errno() still returns -|error| as systemd's does. */
#define log_debug(...) ({ 0; })
#define log_debug_errno(error, ...) ({ int _e = (error); -ERRNO_VALUE(_e); })

/* string-util.h / string-util-fundamental.h */
static inline const char *strna(const char *s) { return s ?: "n/a"; }
static inline const char *yes_no(bool b) { return b ? "yes" : "no"; }

/* utf8.h: only used to decide what to log. */
static inline const char *utf8_is_valid(const char *s) { return s; }

/* alloc-util.h / fd-util.h */
static inline void freep(void *p) { free(*(void **) p); }
#define _cleanup_free_ _cleanup_(freep)
static inline void closep(int *fd) {
        if (*fd >= 0)
                close(*fd);
}
#define _cleanup_close_ _cleanup_(closep)

/* fileio.h: only reached on s390x. */
int read_full_virtual_file(const char *filename, char **ret_contents, size_t *ret_size);

/* string-table.h */
#define DECLARE_STRING_TABLE_LOOKUP(name, type)                                 \
        const char *name##_to_string(type i) _const_;                           \
        type name##_from_string(const char *s) _pure_

#define DEFINE_STRING_TABLE_LOOKUP(name, type)                                  \
        const char *name##_to_string(type i) {                                  \
                if (i < 0 || (size_t) i >= ELEMENTSOF(name##_table))            \
                        return NULL;                                            \
                return name##_table[i];                                         \
        }                                                                       \
        type name##_from_string(const char *s) {                                \
                if (!s)                                                         \
                        return (type) -EINVAL;                                  \
                for (size_t i = 0; i < ELEMENTSOF(name##_table); i++)           \
                        if (name##_table[i] && strcmp(name##_table[i], s) == 0) \
                                return (type) i;                                \
                return (type) -EINVAL;                                          \
        }
