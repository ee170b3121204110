/* SPDX-License-Identifier: MIT */
/* links: lib/mb2.c */
/*
 * libFuzzer target for the Multiboot2 walker and the trampoline page picker:
 * the input is the boot information structure the loader hands over. The walk
 * must end in bounds; what it keeps must respect its limits; the page picked
 * from the (untrusted) memory map must be the highest wholly available page.
 */
#include "tests/fuzz/fuzz.h"
#include "lib/mb2.h"

#define LO      0x1000ull       /* kernel/smp.c's range for the AP trampoline */
#define HI      0x100000ull

static struct mb2_info info;

/* The picker's promise, checked the slow way: inside an available entry, no
 * overlap with any other kind. Ends are computed without wrapping. */
static int page_ok(uint64_t pa)
{
	int inside = 0;

	for (unsigned i = 0; i < info.mmap_count; i++) {
		const struct mb2_mmap_entry *e = &info.mmap[i];
		unsigned __int128 end = (unsigned __int128)e->addr + e->len;
		if (pa >= end || e->addr >= pa + 4096)
			continue;
		if (e->type != MB2_MEMORY_AVAILABLE)
			return 0;
		if (e->addr <= pa && pa + 4096 <= end)
			inside = 1;
	}
	return inside;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *copy = fuzz_dup(data, size);   /* malloc: 8-byte aligned, as the spec wants */
	enum mb2_error e = mb2_parse(copy, size, &info);

	FUZZ_ASSERT(e <= MB2_ERR_NO_END && info.error == e);
	FUZZ_ASSERT(strcmp(mb2_error_str(e), "unknown error") != 0);
	FUZZ_ASSERT(info.mmap_count <= MB2_MMAP_MAX);
	FUZZ_ASSERT(memchr(info.cmdline, 0, sizeof(info.cmdline)));
	FUZZ_ASSERT(memchr(info.loader, 0, sizeof(info.loader)));
	FUZZ_ASSERT(info.rsdp_old_len <= MB2_RSDP_MAX && info.rsdp_new_len <= MB2_RSDP_MAX);
	if (e == MB2_OK)
		FUZZ_ASSERT(info.total_size <= size && info.tags >= 1);
	if (e != MB2_ERR_NULL && e != MB2_ERR_MISALIGNED && e != MB2_ERR_TOTAL_SIZE)
		FUZZ_ASSERT(info.error_offset <= info.total_size);
	(void)mb2_is_uefi(&info);
	free(copy);

	/* The tags before a bad one stay usable, so the kernel may pick from them. */
	uint64_t pa = mb2_pick_page(&info, LO, HI);
	if (pa) {
		FUZZ_ASSERT(pa % 4096 == 0 && pa >= LO && pa + 4096 <= HI);
		FUZZ_ASSERT(page_ok(pa));
	}
	for (uint64_t q = (pa ? pa + 4096 : LO); q + 4096 <= HI; q += 4096)
		FUZZ_ASSERT(!page_ok(q));       /* nothing higher was missed */
	return 0;
}
