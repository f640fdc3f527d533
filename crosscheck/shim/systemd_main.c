/* pvenum cross-check driver for systemd's src/basic/confidential-virt.c.
 *
 * The real file is #included below, unchanged, so its static detector
 * detect_confidential_virtualization_impl() can be called once per platform: the public
 * detect_confidential_virtualization() caches its first answer in a thread_local and would
 * repeat it for every later platform. For each platform line on stdin this prints what
 * `systemd-detect-virt --cvm` prints (src/detect-virt/detect-virt.c, ONLY_CVM:
 * puts(confidential_virtualization_to_string(c))), then the terminator line (pvshim.h).
 *
 * Build (crosscheck/harness.py): -I crosscheck/shim/systemd-include -I crosscheck/shim, with the
 * fetched confidential-virt.c, confidential-virt.h and confidential-virt-fundamental.h alone in
 * one directory, also on the include path (after ours).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "pvshim.h"
#include "confidential-virt-fundamental.h"

/* Route the MSR device through the platform under test. <fcntl.h> and <unistd.h> are already
 * included, so these only rename the calls inside confidential-virt.c. */
#define open pv_open
#define pread pv_pread
#define close pv_close

#include "confidential-virt.c"

#undef open
#undef pread
#undef close

int read_full_virtual_file(const char *filename, char **ret_contents, size_t *ret_size) {
        (void) filename, (void) ret_contents, (void) ret_size;
        return -EOPNOTSUPP;
}

int main(void) {
        while (pv_next_platform()) {
                ConfidentialVirtualization c = detect_confidential_virtualization_impl();
                const char *word = confidential_virtualization_to_string(c);

                puts(word ? word : "(invalid)");
                pv_end_platform();
        }
        return 0;
}
