/* SPDX-License-Identifier: MIT */
/* AMD SVM's pure parts (lib/svm.c): CPUID Fn8000_000A, the enable decision, names. */
#include "check.h"
#include "lib/svm.h"

static void decode(void)
{
	/* QEMU TCG -cpu max: revision 1, 16 ASIDs, NPT and vGIF (edx bits 0, 16). */
	struct svm_caps c = svm_caps_decode(0x00000001, 16, 0x00010001);
	char buf[160];

	CHECK_EQ(c.revision, 1);
	CHECK_EQ(c.nasid, 16);
	CHECK(svm_has(&c, SVM_FEATURE_NPT));
	CHECK(!svm_has(&c, SVM_FEATURE_NRIPS));
	CHECK(svm_has(&c, SVM_FEATURE_VGIF));
	CHECK_STR(svm_features_str(c.features, buf, sizeof(buf)), "npt vgif");
	/* Bochs ryzen: NPT, NRIP save, and more; only the revision's low byte counts. */
	c = svm_caps_decode(0xffffff01, 32768, 0x0000000f);
	CHECK_EQ(c.revision, 1);
	CHECK_STR(svm_features_str(c.features, buf, sizeof(buf)), "npt lbrv svm_lock nrip_save");
	/* Bits without a name: bitN, one or two digits; none: empty. */
	CHECK_STR(svm_features_str((1u << 8) | (1u << 31), buf, sizeof(buf)), "bit8 bit31");
	CHECK_STR(svm_features_str(0, buf, sizeof(buf)), "");
	/* Every bit fits in 160 bytes, and a small buffer is cut, never overrun. */
	svm_features_str(0xffffffff, buf, sizeof(buf));
	CHECK(buf[0] == 'n');
	char small[8];
	CHECK_STR(svm_features_str(0x00010001, small, sizeof(small)), "npt vgi");
}

static void enable(void)
{
	/* VM_CR.SVMDIS (bit 4) set: disabled, whatever EFER says. */
	CHECK_EQ(svm_enable_decide(true, SVM_VM_CR_SVM_DIS_MASK, 0), SVM_DISABLED);
	CHECK_EQ(svm_enable_decide(true, SVM_VM_CR_SVM_DIS_MASK | SVM_VM_CR_SVM_LOCK_MASK, 0),
		 SVM_DISABLED);
	/* LOCK alone does not disable. */
	CHECK_EQ(svm_enable_decide(true, SVM_VM_CR_SVM_LOCK_MASK, 0), SVM_ON);
	/* A VM_CR that cannot be read (Bochs): not implemented, not disabled. */
	CHECK_EQ(svm_enable_decide(false, ~0ULL, 0), SVM_ON);
	/* EFER.SVME already set: someone else's SVM (Linux: -EBUSY). */
	CHECK_EQ(svm_enable_decide(true, 0, EFER_SVME | 0xd01), SVM_BUSY);
	CHECK_EQ(svm_enable_decide(true, 0, 0xd01), SVM_ON);
}

static void names(void)
{
	CHECK_STR(svm_token_str(SVM_ON), "on");
	CHECK_STR(svm_token_str(SVM_NO_SVM), "no-svm");
	CHECK_STR(svm_token_str(SVM_DISABLED), "disabled");
	CHECK_STR(svm_token_str(SVM_EFER_FAIL), "efer-fail");
	CHECK_STR(svm_token_str((enum svm_token)99), "unknown");
	CHECK(svm_token_advice(SVM_ON) == 0);
	for (unsigned t = 1; t < SVM_TOKENS; t++)
		CHECK(svm_token_advice((enum svm_token)t) != 0);
}

int main(void)
{
	decode();
	enable();
	names();
	/* Cross-CPU consistency: each fact apart, and none. */
	struct svm_caps a = svm_caps_decode(1, 16, 0x123c), b = a;       /* NRIPS (bit 3) set */
	CHECK_EQ(svm_caps_differ(&a, &b), 0);
	b.features &= ~(1u << SVM_FEATURE_NRIPS);
	CHECK_EQ(svm_caps_differ(&a, &b), SVM_DIFFER_FEATURES);
	b.nasid = 8;
	CHECK_EQ(svm_caps_differ(&a, &b), SVM_DIFFER_FEATURES | SVM_DIFFER_ASIDS);
	b = a;
	b.revision = 2;
	CHECK_EQ(svm_caps_differ(&a, &b), SVM_DIFFER_REVISION);
	return check_report("test_svm");
}
