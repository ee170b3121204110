/* SPDX-License-Identifier: MIT */
/* The guest's result tokens, advice and the exit-reason names (lib/guest.c). */
#include "check.h"
#include "lib/guest.h"

int main(void)
{
	static const char *const tokens[GUEST_TOKENS] = {
		"ok", "not-run", "rejected", "launch-fail-invalid", "launch-fail-valid",
		"entry-fail", "unexpected-exit", "fault", "alloc-failed",
	};
	for (unsigned t = 0; t < GUEST_TOKENS; t++) {
		CHECK_STR(guest_token_str((enum guest_token)t), tokens[t]);
		/* Every result but ok says what to do. */
		CHECK((guest_token_advice((enum guest_token)t) == 0) == (t == GUEST_OK));
	}
	CHECK_STR(vmx_exit_reason_str(10), "CPUID");
	CHECK_STR(vmx_exit_reason_str(12), "HLT");
	CHECK_STR(vmx_exit_reason_str(18), "VMCALL");
	CHECK_STR(vmx_exit_reason_str(33), "VM-entry failure due to invalid guest state");
	CHECK_STR(vmx_exit_reason_str(52), "VMX-preemption timer expired");
	/* Bit 31 (entry failure) and the other high bits are not part of the basic reason. */
	CHECK_STR(vmx_exit_reason_str(0x80000021u), "VM-entry failure due to invalid guest state");
	CHECK_STR(vmx_exit_reason_str(35), "see the SDM's basic exit reasons");
	CHECK_STR(vmx_exit_reason_str(999), "see the SDM's basic exit reasons");
	return check_report("guest");
}
