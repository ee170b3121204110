/* SPDX-License-Identifier: MIT */
/* links: lib/pvh.c lib/mb2.c */
/*
 * libFuzzer target for the PVH start info reader: the input is physical memory
 * from 0x1000 up, with the hvm_start_info at 0x1000 and the command line,
 * memory map and RSDP wherever its (untrusted) addresses point. Every read must
 * stay inside the input (the map callback refuses the rest), and what is kept
 * must respect the boot information's limits.
 */
#include "tests/fuzz/fuzz.h"
#include "tests/unit/physmem.h"
#include "lib/pvh.h"

#define BASE    0x1000ull

static struct mb2_info info;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *copy = fuzz_dup(data, size);
	struct physmem phys = { BASE, copy, size };
	const struct phys_map m = { physmem_map, &phys };
	const char *why;

	bool ok = pvh_parse(&m, BASE, &info, &why);
	FUZZ_ASSERT(ok == info.is_pvh);
	FUZZ_ASSERT(ok || why);
	FUZZ_ASSERT(info.mmap_count <= MB2_MMAP_MAX);
	for (unsigned i = 0; i < info.mmap_count; i++)
		FUZZ_ASSERT(info.mmap[i].len != 0);
	FUZZ_ASSERT(memchr(info.cmdline, 0, sizeof(info.cmdline)));
	FUZZ_ASSERT(memchr(info.loader, 0, sizeof(info.loader)));
	FUZZ_ASSERT(info.rsdp_old_len <= MB2_RSDP_MAX && info.rsdp_new_len <= MB2_RSDP_MAX);
	FUZZ_ASSERT(!(info.has_rsdp_old && info.has_rsdp_new));
	free(copy);
	return 0;
}
