/* SPDX-License-Identifier: MIT */
/* The capability decoder on MSR values captured from Bochs (tests/unit/data/). */
#include <stdio.h>
#include <stdlib.h>

#include "check.h"
#include "lib/vmxcap.h"
#include "vmxcap_data.h"

static int has_line(const char *want)
{
	for (unsigned i = 0; i < vmxcap_nout; i++)
		if (!strcmp(vmxcap_out[i], want))
			return 1;
	return 0;
}

static void decode(const struct vmxcap_msrs *m)
{
	vmxcap_nout = 0;
	vmxcap_decode(m, vmxcap_collect, 0);
}

static void skylake(void)
{
	struct vmxcap_msrs m;

	CHECK_EQ(vmxcap_load("corei7_skylake_x", &m), 18);
	decode(&m);
	CHECK(has_line("basic.revision=0x2b"));
	CHECK(has_line("basic.region-size=4096"));
	CHECK(has_line("basic.memory-type=wb"));
	CHECK(has_line("basic.true-controls=yes"));
	CHECK(has_line("basic.addr-32bit=no"));
	CHECK(has_line("pin.external-interrupt-exiting=yes"));
	CHECK(has_line("pin.process-posted-interrupts=no"));
	/* Default-1 class, clearable only through IA32_VMX_TRUE_PROCBASED_CTLS. */
	CHECK(has_line("proc.cr3-load-exiting=yes-default1"));
	CHECK(has_line("exit.save-debug-controls=yes-default1"));
	CHECK(has_line("proc.monitor-trap-flag=no"));
	CHECK(has_line("proc.activate-secondary-controls=yes"));
	CHECK(has_line("proc2.enable-ept=yes"));
	CHECK(has_line("proc2.unrestricted-guest=yes"));
	CHECK(has_line("proc2.sub-page-write-permissions-for-ept=no"));
	CHECK(has_line("ept.page-walk-length-4=yes"));
	CHECK(has_line("ept.2-mbyte-pages=yes"));
	CHECK(has_line("vpid.invvpid=yes"));
	CHECK(has_line("vmfunc.eptp-switching=yes"));
	/* IA32_VMX_MISC 0x600401e0. */
	CHECK(has_line("misc.preemption-timer-rate=0"));
	CHECK(has_line("misc.store-lma-in-ia32e-mode-guest=yes"));
	CHECK(has_line("misc.activity-wait-for-sipi=yes"));
	CHECK(has_line("misc.cr3-targets=4"));
	CHECK(has_line("misc.msr-list-max=512"));
	CHECK(has_line("misc.vmwrite-any-field=yes"));
	CHECK(has_line("misc.mseg-revision=0x0"));
	CHECK(has_line("cr0.fixed0=0x80000021"));
	CHECK(has_line("cr4.fixed1=0x3727ff"));
	CHECK(has_line("vmcs-enum.max-index=0x1a"));
	/* No tertiary controls: "activate tertiary controls" is not allowed. */
	CHECK(has_line("proc.activate-tertiary-controls=no"));
	CHECK(!vmxcap_msr_exists(&m, 0x12));
	for (unsigned i = 0; i < vmxcap_nout; i++)
		CHECK(strncmp(vmxcap_out[i], "proc3.", 6) != 0);

	/* Raw lines round-trip. */
	vmxcap_nout = 0;
	vmxcap_raw(&m, vmxcap_collect, 0);
	CHECK_EQ(vmxcap_nout, 18);
	CHECK(has_line("msr.0x480=0x00d810000000002b"));

	/* The table: group titles, then rows. */
	vmxcap_nout = 0;
	vmxcap_table(&m, vmxcap_collect, 0);
	CHECK(has_line("| Basic VMX information (IA32_VMX_BASIC)"));
	CHECK(has_line("| Secondary processor-based VM-execution controls"));
	int row = 0;
	for (unsigned i = 0; i < vmxcap_nout; i++)
		if (!strncmp(vmxcap_out[i], "|   Enable EPT ", 15) && strstr(vmxcap_out[i], " yes"))
			row = 1;
	CHECK(row);
}

static void icelake(void)
{
	struct vmxcap_msrs m;

	CHECK_EQ(vmxcap_load("corei7_icelake_u", &m), 18);
	decode(&m);
	/* What differs from the Skylake-X model. */
	CHECK(has_line("basic.revision=0x4"));
	CHECK(has_line("proc.monitor-trap-flag=yes"));
	CHECK(has_line("proc2.sub-page-write-permissions-for-ept=yes"));
	CHECK(has_line("cr4.fixed1=0x772fff"));
}

static void synthetic(void)
{
	struct vmxcap_msrs m;

	/* Without TRUE controls (IA32_VMX_BASIC[55] = 0) a default-1 bit is fixed. */
	memset(&m, 0, sizeof(m));
	m.present[0] = true;
	m.value[0] = 0x12;
	m.present[1] = true;
	m.value[1] = 0x0000007f00000016ull;
	decode(&m);
	CHECK(has_line("pin.external-interrupt-exiting=yes"));      /* bit 0: 0 in allowed-0 */
	CHECK(has_line("pin.nmi-exiting=yes"));
	CHECK(has_line("basic.true-controls=no"));
	m.value[1] = 0x0000007f00000019ull;                        /* bits 0, 3, 4 must be 1 */
	decode(&m);
	CHECK(has_line("pin.external-interrupt-exiting=default1"));
	CHECK(has_line("pin.nmi-exiting=default1"));
	CHECK(has_line("pin.virtual-nmis=yes"));
	CHECK(has_line("pin.process-posted-interrupts=no"));    /* bit 39 clear */
	m.value[1] = 0;
	decode(&m);
	CHECK(has_line("pin.virtual-nmis=no"));

	/* Existence rules. */
	memset(&m, 0, sizeof(m));
	CHECK(vmxcap_msr_exists(&m, 0));
	CHECK(vmxcap_msr_exists(&m, 0xa));
	CHECK(!vmxcap_msr_exists(&m, 0xb));
	m.present[2] = true;
	m.value[2] = 1ull << 63;                                    /* secondary controls */
	CHECK(vmxcap_msr_exists(&m, 0xb));
	CHECK(!vmxcap_msr_exists(&m, 0xc));
	m.present[0xb] = true;
	m.value[0xb] = 1ull << (32 + 5);                            /* VPID */
	CHECK(vmxcap_msr_exists(&m, 0xc));
	CHECK(!vmxcap_msr_exists(&m, 0x11));
	m.value[2] |= 1ull << (32 + 17);                            /* tertiary */
	CHECK(vmxcap_msr_exists(&m, 0x12));
	CHECK(!vmxcap_msr_exists(&m, 0xd));
	m.present[0] = true;
	m.value[0] = 1ull << 55;
	CHECK(vmxcap_msr_exists(&m, 0xd) && vmxcap_msr_exists(&m, 0x10));
	CHECK(!vmxcap_msr_exists(&m, 0x13));

	/* Tertiary controls: 64-bit allowed-1. */
	m.present[0x12] = true;
	m.value[0x12] = 1u << 4;
	decode(&m);
	CHECK(has_line("proc3.ipi-virtualization=yes"));
	CHECK(has_line("proc3.enable-hlat=no"));

	/* Slugs. */
	char s[32];
	vmxcap_slug(s, sizeof(s), "Load IA32_PERF_GLOBAL_CTRL");
	CHECK_STR(s, "load-ia32-perf-global-ctrl");
	vmxcap_slug(s, sizeof(s), "  EPT-violation #VE ");
	CHECK_STR(s, "ept-violation-ve");
	vmxcap_slug(s, 6, "abcdefgh");
	CHECK_STR(s, "abcde");
	vmxcap_slug(s, 5, "ab cd");
	CHECK_STR(s, "ab-c");
}

/* Cross-CPU comparison: the same model twice agrees; Skylake-X and Ice Lake
 * differ (in the revision, the controls, CR4 FIXED1); an MSR read on one CPU
 * only is a difference too. */
static unsigned diffs, last_msr;
static void on_diff(void *ctx, unsigned msr, bool ap, uint64_t a, bool bp, uint64_t b)
{
	(void)ctx; (void)a; (void)b;
	diffs++;
	last_msr = msr;
	CHECK(ap != bp || a != b);
}

static void compare(void)
{
	struct vmxcap_msrs sky, sky2, ice;

	CHECK(vmxcap_load("corei7_skylake_x", &sky) > 0);
	CHECK(vmxcap_load("corei7_skylake_x", &sky2) > 0);
	CHECK(vmxcap_load("corei7_icelake_u", &ice) > 0);
	diffs = 0;
	CHECK_EQ(vmxcap_compare(&sky, &sky2, on_diff, 0), 0);
	CHECK_EQ(diffs, 0);
	unsigned n = vmxcap_compare(&sky, &ice, on_diff, 0);
	CHECK(n > 0);
	CHECK_EQ(diffs, n);
	CHECK(vmxcap_get(&sky, MSR_IA32_VMX_CR4_FIXED1) != vmxcap_get(&ice, MSR_IA32_VMX_CR4_FIXED1));
	sky2.present[VMXCAP_INDEX(MSR_IA32_VMX_VMFUNC)] = false;
	diffs = 0;
	CHECK_EQ(vmxcap_compare(&sky, &sky2, on_diff, 0), 1);
	CHECK_EQ(last_msr, MSR_IA32_VMX_VMFUNC);
	CHECK(!vmxcap_has(&sky2, MSR_IA32_VMX_VMFUNC));
	CHECK_EQ(vmxcap_get(&sky2, MSR_IA32_VMX_VMFUNC), 0);
	CHECK_EQ(vmxcap_compare(&sky, &sky2, 0, 0), 1);    /* no callback: just the count */
}

int main(void)
{
	skylake();
	icelake();
	compare();
	synthetic();
	return check_report("vmxcap");
}
