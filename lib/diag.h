/* SPDX-License-Identifier: MIT */
/*
 * Diagnostics collected by pure code (parsers, walkers) for the kernel to print:
 * a bounded list of messages plus a count of all of them.
 */
#ifndef VMXPROBE_LIB_DIAG_H
#define VMXPROBE_LIB_DIAG_H

#define DIAG_MAX        16
#define DIAG_LEN        128

struct diag {
	unsigned n;                     /* may exceed DIAG_MAX: only the first are kept */
	char msg[DIAG_MAX][DIAG_LEN];
};

void diag_add(struct diag *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
