/* SPDX-License-Identifier: MIT */
/* The SVM capability report (lib/svmcap.c), on CPUID values seen on QEMU's TCG
 * (-cpu max) and Bochs's ryzen model. */
#include <string.h>

#include "check.h"
#include "lib/svmcap.h"

static char out[64][160];
static unsigned n;

static void emit(void *ctx, const char *line)
{
	(void)ctx;
	if (n < 64)
		strncpy(out[n++], line, sizeof(out[0]) - 1);
}

static bool has(const char *line)
{
	for (unsigned i = 0; i < n; i++)
		if (!strcmp(out[i], line))
			return true;
	return false;
}

int main(void)
{
	/* QEMU TCG -cpu max: revision 1, 16 ASIDs, NPT, vGIF, SVME address check; VM_CR 0. */
	struct svmcap tcg = { 0x1, 16, 0x10010001, true, 0 };

	n = 0;
	svmcap_raw(&tcg, emit, 0);
	CHECK(has("cpuid.0x8000000a.eax=0x00000001"));
	CHECK(has("cpuid.0x8000000a.edx=0x10010001"));
	CHECK(has("msr.0xc0010114=0x0000000000000000"));
	n = 0;
	svmcap_decode(&tcg, emit, 0);
	CHECK(has("svm.revision=1"));
	CHECK(has("svm.asids=16"));
	CHECK(has("svm.npt=yes"));
	CHECK(has("svm.nrip_save=no"));
	CHECK(has("svm.vgif=yes"));
	CHECK(has("svm.svme_addr_chk=yes"));
	CHECK(has("vm_cr.svmdis=no"));
	CHECK_EQ(n, 2 + 17 + 2);
	n = 0;
	svmcap_table(&tcg, emit, 0);
	CHECK(has("| SVM (CPUID Fn8000_000A)"));
	CHECK(!strncmp(out[3], "|   Nested paging ", 18));
	CHECK(strstr(out[3], " yes") != 0);

	/* Bochs ryzen: VM_CR not implemented; a firmware's SVMDIS and LOCK. */
	struct svmcap bochs = { 0x1, 32768, 0x4cf, false, 0 };
	n = 0;
	svmcap_raw(&bochs, emit, 0);
	CHECK(has("msr.0xc0010114=unreadable"));
	n = 0;
	svmcap_decode(&bochs, emit, 0);
	CHECK(has("svm.nrip_save=yes"));
	CHECK(has("svm.pausefilter=yes"));
	CHECK(!has("vm_cr.svmdis=no"));
	struct svmcap off = { 0x1, 16, 0x1, true, SVM_VM_CR_SVM_DIS_MASK | SVM_VM_CR_SVM_LOCK_MASK };
	n = 0;
	svmcap_decode(&off, emit, 0);
	CHECK(has("vm_cr.svmdis=yes"));
	CHECK(has("vm_cr.lock=yes"));
	return check_report("test_svmcap");
}
