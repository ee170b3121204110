/* SPDX-License-Identifier: MIT */
/* The boot CPU's model (lib/cpumodel.c). */
#include <string.h>

#include "check.h"
#include "lib/cpumodel.h"

/* A string as CPUID returns it: four bytes a register, low byte first. */
static void regs_of(uint32_t *regs, const char *s, unsigned n)
{
	char buf[48] = { 0 };
	memcpy(buf, s, strlen(s) < 4 * n ? strlen(s) : 4 * n);
	for (unsigned i = 0; i < n; i++)
		regs[i] = (uint32_t)(uint8_t)buf[4 * i] | (uint32_t)(uint8_t)buf[4 * i + 1] << 8 |
			  (uint32_t)(uint8_t)buf[4 * i + 2] << 16 | (uint32_t)(uint8_t)buf[4 * i + 3] << 24;
}

int main(void)
{
	struct cpu_model m;
	uint32_t vendor[3], brand[12];

	/* Skylake-SP: family 6, model 55H (extended model 5), stepping 4. */
	vendor[0] = 0x756e6547, vendor[1] = 0x49656e69, vendor[2] = 0x6c65746e;
	regs_of(brand, "       Intel(R) Xeon(R) Gold 6130 CPU @ 2.10GHz  ", 12);
	cpu_model_decode(&m, vendor, 0x50654, brand);
	CHECK_STR(m.vendor, "GenuineIntel");
	CHECK_EQ(m.family, 6);
	CHECK_EQ(m.model, 0x55);
	CHECK_EQ(m.stepping, 4);
	CHECK_STR(m.brand, "Intel(R) Xeon(R) Gold 6130 CPU @ 2.10GHz");

	/* AMD family 19H (0FH + 0AH), model 01H; family 6 on AMD takes no extended model. */
	vendor[0] = 0x68747541, vendor[1] = 0x69746e65, vendor[2] = 0x444d4163;
	cpu_model_decode(&m, vendor, 0xa00f11, 0);
	CHECK_STR(m.vendor, "AuthenticAMD");
	CHECK_EQ(m.family, 0x19);
	CHECK_EQ(m.model, 0x01);
	CHECK_EQ(m.stepping, 1);
	CHECK_STR(m.brand, "");
	cpu_model_decode(&m, vendor, 0x10663, 0);
	CHECK_EQ(m.family, 6);
	CHECK_EQ(m.model, 6);

	/* A brand string with a quote, a backslash and a control byte: each '?'. */
	regs_of(brand, "a\"b\\c\x01" "d", 12);
	cpu_model_decode(&m, vendor, 0x10663, brand);
	CHECK_STR(m.brand, "a?b?c?d");
	return check_report("test_cpumodel");
}
