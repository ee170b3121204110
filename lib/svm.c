/* SPDX-License-Identifier: MIT */
/* AMD SVM, pure parts: see svm.h. */
#include "lib/svm.h"

struct svm_caps svm_caps_decode(uint32_t eax, uint32_t ebx, uint32_t edx)
{
	struct svm_caps c = { (uint8_t)eax, ebx, edx };

	return c;
}

/* Linux's /proc/cpuinfo names of the Fn8000_000A EDX bits (asm/cpufeatures.h,
 * word 15: the name in quotes where it has one, else the macro's in lower case). */
static const char *const feature_names[32] = {
	[SVM_FEATURE_NPT] = "npt",
	[SVM_FEATURE_LBRV] = "lbrv",
	[SVM_FEATURE_SVML] = "svm_lock",
	[SVM_FEATURE_NRIPS] = "nrip_save",
	[SVM_FEATURE_TSCRATEMSR] = "tsc_scale",
	[SVM_FEATURE_VMCBCLEAN] = "vmcb_clean",
	[SVM_FEATURE_FLUSHBYASID] = "flushbyasid",
	[SVM_FEATURE_DECODEASSISTS] = "decodeassists",
	[SVM_FEATURE_PAUSEFILTER] = "pausefilter",
	[SVM_FEATURE_PFTHRESHOLD] = "pfthreshold",
	[SVM_FEATURE_AVIC] = "avic",
	[SVM_FEATURE_V_VMSAVE_VMLOAD] = "v_vmsave_vmload",
	[SVM_FEATURE_VGIF] = "vgif",
	[SVM_FEATURE_X2AVIC] = "x2avic",
	[SVM_FEATURE_V_SPEC_CTRL] = "v_spec_ctrl",
	[SVM_FEATURE_VNMI] = "vnmi",
	[SVM_FEATURE_SVME_ADDR_CHK] = "svme_addr_chk",
};

static unsigned put(char *buf, unsigned size, unsigned n, const char *s)
{
	while (*s && n + 1 < size)
		buf[n++] = *s++;
	buf[n] = '\0';
	return n;
}

const char *svm_features_str(uint32_t features, char *buf, unsigned size)
{
	unsigned n = 0;

	if (!size)
		return buf;
	buf[0] = '\0';
	for (unsigned bit = 0; bit < 32; bit++) {
		if (!((features >> bit) & 1))
			continue;
		if (n)
			n = put(buf, size, n, " ");
		if (feature_names[bit]) {
			n = put(buf, size, n, feature_names[bit]);
		} else {
			char name[6] = "bit";   /* "bitN", N in one or two digits */
			unsigned k = 3;

			if (bit >= 10)
				name[k++] = (char)('0' + bit / 10);
			name[k++] = (char)('0' + bit % 10);
			name[k] = '\0';
			n = put(buf, size, n, name);
		}
	}
	return buf;
}

static const char *const token_names[SVM_TOKENS] = {
	[SVM_ON] = "on",
	[SVM_NO_SVM] = "no-svm",
	[SVM_DISABLED] = "disabled",
	[SVM_BUSY] = "busy",
	[SVM_EFER_FAIL] = "efer-fail",
	[SVM_FAULT] = "fault",
	[SVM_ALLOC_FAILED] = "alloc-failed",
};

const char *svm_token_str(enum svm_token t)
{
	return (unsigned)t < SVM_TOKENS ? token_names[t] : "unknown";
}

const char *svm_token_advice(enum svm_token t)
{
	switch (t) {
	case SVM_ON:
		return 0;
	case SVM_NO_SVM:
		return "this CPU has no SVM: in a VM, give the guest SVM (KVM on an AMD host: kvm_amd "
		       "nested=1, the default, and QEMU -cpu host)";
	case SVM_DISABLED:
		return "SVM is disabled in the firmware (VM_CR.SVMDIS): enable \"SVM Mode\" or \"AMD-V\" "
		       "in the firmware setup, then power the machine off and on";
	case SVM_BUSY:
		return "EFER.SVME was already set: another hypervisor's SVM is on this CPU; "
		       "run vmxprobe on the bare machine";
	case SVM_EFER_FAIL:
		return "the CPU says SVM but EFER.SVME did not stick: the hypervisor below does not "
		       "really offer SVM; send a report";
	case SVM_FAULT:
		return "an SVM MSR access faulted where the APM allows none: send a report with the log";
	case SVM_ALLOC_FAILED:
		return "the host save area pool is exhausted: rebuild with a larger MAX_CPUS";
	}
	return 0;
}

enum svm_token svm_enable_decide(bool vm_cr_readable, uint64_t vm_cr, uint64_t efer)
{
	if (vm_cr_readable && (vm_cr & SVM_VM_CR_SVM_DIS_MASK))
		return SVM_DISABLED;
	if (efer & EFER_SVME)
		return SVM_BUSY;
	return SVM_ON;
}

unsigned svm_caps_differ(const struct svm_caps *mine, const struct svm_caps *cpu0)
{
	return (mine->revision != cpu0->revision ? SVM_DIFFER_REVISION : 0) |
	       (mine->nasid != cpu0->nasid ? SVM_DIFFER_ASIDS : 0) |
	       (mine->features != cpu0->features ? SVM_DIFFER_FEATURES : 0);
}
