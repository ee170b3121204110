/* SPDX-License-Identifier: MIT */
/* Local APIC facts: see apic.h. */
#include "lib/apic.h"

uint64_t apic_base_addr(uint64_t msr, unsigned phys_bits)
{
	uint64_t top = phys_bits >= 64 ? ~0ull : (1ull << phys_bits) - 1;

	return msr & top & ~0xfffull;
}

unsigned topology_logical_per_package(void (*leaf)(void *ctx, unsigned subleaf, uint32_t *ebx,
						  uint32_t *ecx),
				      void *ctx)
{
	unsigned count = 0;

	/* Level numbers are at most 255 (ECX[7:0]): a bound for a leaf that never ends. */
	for (unsigned sub = 0; sub < 256; sub++) {
		uint32_t ebx = 0, ecx = 0;
		leaf(ctx, sub, &ebx, &ecx);
		if (((ecx >> 8) & 0xff) == 0)
			break;
		count = ebx & 0xffff;
	}
	return count;
}
