/* SPDX-License-Identifier: MIT */
/* The topic rules' expectations: see vmx_topics.h. */
#include "lib/vmx_topics.h"

void preemption_timer_bounds(uint32_t value, unsigned rate, uint64_t *min, uint64_t *max)
{
	uint64_t full = (uint64_t)value << rate;

	*min = value ? (uint64_t)(value - 1) << rate : 0;
	*max = full + full / 8 + PREEMPTION_SLACK_CYCLES;
}

bool preemption_timer_broken(uint32_t cpuid1_eax)
{
	static const uint32_t signatures[] = {
		0x000206e6, 0x00020652, 0x00020655, 0x000106e5, 0x000106a0,
		0x000106a1, 0x000106a4, 0x000106a5, 0x000306a8,
	};
	uint32_t eax = cpuid1_eax & ~(0x3u << 14 | 0xfu << 28);

	for (unsigned i = 0; i < sizeof(signatures) / sizeof(signatures[0]); i++)
		if (eax == signatures[i])
			return true;
	return false;
}

bool io_access_exits(const uint8_t *bitmap_a, const uint8_t *bitmap_b, uint16_t port, unsigned size)
{
	if ((uint32_t)port + size > 0x10000)
		return true;                    /* wraps around: FFFFH and 0000H */
	for (unsigned i = 0; i < size; i++) {
		unsigned p = port + i;
		const uint8_t *b = p < 0x8000 ? bitmap_a : bitmap_b;
		if (b[(p & 0x7fff) / 8] & (1u << (p % 8)))
			return true;
	}
	return false;
}

uint64_t io_exit_qualification(uint16_t port, unsigned size, bool in, bool string, bool rep,
			       bool immediate)
{
	return (uint64_t)((size - 1) & 7) | (uint64_t)in << 3 | (uint64_t)string << 4 |
	       (uint64_t)rep << 5 | (uint64_t)immediate << 6 | (uint64_t)port << 16;
}

bool msr_load_entry_allowed(uint64_t q)
{
	uint32_t msr = (uint32_t)q;

	return !(q >> 32) && (msr >> 8) != 0x8 && msr != 0x9e && msr != 0x9b &&
	       msr != 0xc0000100 && msr != 0xc0000101;
}

uint64_t cr_guest_read(uint64_t reg, uint64_t mask, uint64_t shadow)
{
	return (reg & ~mask) | (shadow & mask);
}

bool cr_write_exits(uint64_t value, uint64_t mask, uint64_t shadow)
{
	return ((value ^ shadow) & mask) != 0;
}

uint64_t cr_exit_qualification(unsigned cr, unsigned access_type, unsigned gpr)
{
	return (cr & 0xf) | (access_type & 3) << 4 | (gpr & 0xf) << 8;
}

bool cr3_write_exits(uint64_t value, const uint64_t *targets, unsigned count)
{
	for (unsigned i = 0; i < count; i++)
		if (targets[i] == value)
			return false;
	return true;
}

bool msr_access_exits(const uint8_t *bitmap, uint32_t msr, bool write)
{
	unsigned base = write ? 2048 : 0;

	if (msr <= 0x1fff)
		return bitmap[base + msr / 8] & (1u << (msr % 8));
	if (msr >= 0xc0000000 && msr <= 0xc0001fff)
		return bitmap[base + 1024 + (msr & 0x1fff) / 8] & (1u << (msr % 8));
	return true;
}

uint32_t vtpr_after_mov_cr8(uint64_t source)
{
	return (uint32_t)(source & 0xf) << 4;
}

bool tpr_below_threshold(uint32_t vtpr, uint32_t threshold)
{
	return ((vtpr >> 4) & 0xf) < (threshold & 0xf);
}

uint32_t ack_exit_intr_info(uint8_t vector)
{
	return 1u << 31 | (uint32_t)INTR_TYPE_EXT_INTR << 8 | vector;
}

uint64_t ept_leaf_ad_after(bool write)
{
	return 1ull << 8 | (uint64_t)write << 9;
}

uint64_t ept_violation_qualification(unsigned access, unsigned rwx, bool gla_valid, bool translation)
{
	return (access & 7) | (rwx & 7) << 3 | (uint64_t)gla_valid << 7 | (uint64_t)translation << 8;
}

uint64_t injected_frame_value(unsigned type, uint32_t instruction_len, bool has_error,
			      uint32_t error_code)
{
	uint64_t len = type >= 4 && type <= 6 ? instruction_len : 0;

	return len << 32 | (has_error ? error_code : 0);
}
