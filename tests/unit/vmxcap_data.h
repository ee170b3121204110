/* SPDX-License-Identifier: MIT */
/* Captured IA32_VMX_* MSRs of Bochs CPU models (tests/unit/data/vmxcap-*.txt). */
#ifndef VMXPROBE_TESTS_VMXCAP_DATA_H
#define VMXPROBE_TESTS_VMXCAP_DATA_H

#include <stdio.h>
#include <string.h>

#include "lib/vmxcap.h"

#ifndef TEST_DATA_DIR
#define TEST_DATA_DIR "tests/unit/data"
#endif

/* Read the "vmxcap: msr.0x4XX=0x..." lines of a model's capture; how many. */
static unsigned vmxcap_load(const char *model, struct vmxcap_msrs *m)
{
	char path[256], line[256];
	unsigned n = 0;

	memset(m, 0, sizeof(*m));
	snprintf(path, sizeof(path), "%s/vmxcap-%s.txt", TEST_DATA_DIR, model);
	FILE *f = fopen(path, "r");
	if (!f) {
		printf("  cannot open %s\n", path);
		return 0;
	}
	while (fgets(line, sizeof(line), f)) {
		unsigned msr;
		unsigned long long v;
		if (sscanf(line, "vmxcap: msr.0x%x=0x%llx", &msr, &v) == 2 &&
		    msr >= VMXCAP_FIRST_MSR && msr - VMXCAP_FIRST_MSR < VMXCAP_MSRS) {
			m->present[msr - VMXCAP_FIRST_MSR] = true;
			m->value[msr - VMXCAP_FIRST_MSR] = v;
			n++;
		}
	}
	fclose(f);
	return n;
}

/* The lines a decoder call emits (vmxcap_decode(m, vmxcap_collect, 0), ...),
 * without the "vmxcap: " prefix; set vmxcap_nout to 0 to start again. */
static char vmxcap_out[512][160];
static unsigned vmxcap_nout;

static inline void vmxcap_collect(void *ctx, const char *line)
{
	(void)ctx;
	if (vmxcap_nout < 512)
		snprintf(vmxcap_out[vmxcap_nout++], sizeof(vmxcap_out[0]), "%s", line);
}

#endif
