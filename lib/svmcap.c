/* SPDX-License-Identifier: MIT */
/* The SVM capability report: see svmcap.h. */
#include "lib/svmcap.h"

#include "lib/fmt.h"

/* Fn8000_000A EDX: Linux's /proc/cpuinfo name and the APM's description. */
static const struct { unsigned bit; const char *name, *text; } features[] = {
	{ SVM_FEATURE_NPT, "npt", "Nested paging" },
	{ SVM_FEATURE_LBRV, "lbrv", "LBR virtualization" },
	{ SVM_FEATURE_SVML, "svm_lock", "SVM lock (VM_CR.LOCK, SVM_KEY)" },
	{ SVM_FEATURE_NRIPS, "nrip_save", "NRIP save" },
	{ SVM_FEATURE_TSCRATEMSR, "tsc_scale", "TSC rate control" },
	{ SVM_FEATURE_VMCBCLEAN, "vmcb_clean", "VMCB clean bits" },
	{ SVM_FEATURE_FLUSHBYASID, "flushbyasid", "Flush by ASID" },
	{ SVM_FEATURE_DECODEASSISTS, "decodeassists", "Decode assists" },
	{ SVM_FEATURE_PAUSEFILTER, "pausefilter", "Pause intercept filter" },
	{ SVM_FEATURE_PFTHRESHOLD, "pfthreshold", "Pause filter threshold" },
	{ SVM_FEATURE_AVIC, "avic", "AVIC" },
	{ SVM_FEATURE_V_VMSAVE_VMLOAD, "v_vmsave_vmload", "Virtualized VMSAVE and VMLOAD" },
	{ SVM_FEATURE_VGIF, "vgif", "Virtualized GIF" },
	{ SVM_FEATURE_X2AVIC, "x2avic", "x2AVIC" },
	{ SVM_FEATURE_V_SPEC_CTRL, "v_spec_ctrl", "Virtual SPEC_CTRL" },
	{ SVM_FEATURE_VNMI, "vnmi", "Virtual NMI" },
	{ SVM_FEATURE_SVME_ADDR_CHK, "svme_addr_chk", "SVME address check" },
};
#define N_FEATURES (sizeof(features) / sizeof(features[0]))

static void line(svmcap_emit_fn emit, void *ctx, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void line(svmcap_emit_fn emit, void *ctx, const char *fmt, ...)
{
	char buf[160];
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	emit(ctx, buf);
}

void svmcap_raw(const struct svmcap *c, svmcap_emit_fn emit, void *ctx)
{
	line(emit, ctx, "cpuid.0x8000000a.eax=0x%08x", c->eax);
	line(emit, ctx, "cpuid.0x8000000a.ebx=0x%08x", c->ebx);
	line(emit, ctx, "cpuid.0x8000000a.edx=0x%08x", c->edx);
	if (c->has_vm_cr)
		line(emit, ctx, "msr.0x%x=0x%016lx", MSR_VM_CR, c->vm_cr);
	else
		line(emit, ctx, "msr.0x%x=unreadable", MSR_VM_CR);
}

void svmcap_decode(const struct svmcap *c, svmcap_emit_fn emit, void *ctx)
{
	struct svm_caps k = svm_caps_decode(c->eax, c->ebx, c->edx);

	line(emit, ctx, "svm.revision=%u", k.revision);
	line(emit, ctx, "svm.asids=%u", k.nasid);
	for (unsigned i = 0; i < N_FEATURES; i++)
		line(emit, ctx, "svm.%s=%s", features[i].name,
		     svm_has(&k, features[i].bit) ? "yes" : "no");
	if (c->has_vm_cr) {
		line(emit, ctx, "vm_cr.svmdis=%s", c->vm_cr & SVM_VM_CR_SVM_DIS_MASK ? "yes" : "no");
		line(emit, ctx, "vm_cr.lock=%s", c->vm_cr & SVM_VM_CR_SVM_LOCK_MASK ? "yes" : "no");
	}
}

void svmcap_table(const struct svmcap *c, svmcap_emit_fn emit, void *ctx)
{
	struct svm_caps k = svm_caps_decode(c->eax, c->ebx, c->edx);

	line(emit, ctx, "| SVM (CPUID Fn8000_000A)");
	line(emit, ctx, "|   %-50s %u", "Revision", k.revision);
	line(emit, ctx, "|   %-50s %u", "Number of ASIDs", k.nasid);
	for (unsigned i = 0; i < N_FEATURES; i++)
		line(emit, ctx, "|   %-50s %s", features[i].text,
		     svm_has(&k, features[i].bit) ? "yes" : "no");
	if (c->has_vm_cr) {
		line(emit, ctx, "| VM_CR (MSR C001_0114h)");
		line(emit, ctx, "|   %-50s %s", "SVMDIS: SVM disabled",
		     c->vm_cr & SVM_VM_CR_SVM_DIS_MASK ? "yes" : "no");
		line(emit, ctx, "|   %-50s %s", "LOCK: SVMDIS locked",
		     c->vm_cr & SVM_VM_CR_SVM_LOCK_MASK ? "yes" : "no");
	}
}
