/* SPDX-License-Identifier: MIT */
/* The kernel's range against the memory map (lib/memmap.c). */
#include "check.h"
#include "lib/memmap.h"

#define MiB (1ull << 20)
#define AVAIL MB2_MEMORY_AVAILABLE
#define NVS MB2_MEMORY_NVS

static struct memmap_hole h;

static bool ok(const struct mb2_mmap_entry *m, unsigned n, uint64_t s, uint64_t e)
{
	h = (struct memmap_hole){ 1, 2, 99 };
	return memmap_range_available(m, n, s, e, &h);
}

/* OVMF's SMM build, as GRUB passed it (QEMU q35, 512 MiB): NVS over 16 MiB. */
static void ovmf_smm(void)
{
	static const struct mb2_mmap_entry m[] = {
		{ 0x100000, 0x707000, AVAIL }, { 0x807000, 0x1000, NVS },
		{ 0x808000, 0x8000, AVAIL }, { 0x810000, 0xf00000, NVS },
		{ 0x1710000, 0x1cddc000, AVAIL },
	};
	/* The fixed-address kernel: 16 MiB to 43 MiB. */
	CHECK(!ok(m, 5, 16 * MiB, 43 * MiB));
	CHECK_EQ(h.start, 16 * MiB);
	CHECK_EQ(h.end, 0x1710000);
	CHECK_EQ(h.type, NVS);
	CHECK_STR(memmap_type_str(h.type), "nvs");
	/* Placed after the NVS range: fine. */
	CHECK(ok(m, 5, 0x1710000, 0x1710000 + 27 * MiB));
}

static void edges(void)
{
	static const struct mb2_mmap_entry m[] = {
		{ 1 * MiB, 15 * MiB, AVAIL },          /* [1, 16) MiB */
		{ 16 * MiB, 1 * MiB, NVS },            /* [16, 17) */
		{ 17 * MiB, 100 * MiB, AVAIL },        /* [17, 117) */
	};
	/* Overlap at each edge of the NVS entry, by one byte. */
	CHECK(!ok(m, 3, 8 * MiB, 16 * MiB + 1));
	CHECK_EQ(h.start, 16 * MiB);
	CHECK_EQ(h.end, 16 * MiB + 1);              /* cut to the range checked */
	CHECK_EQ(h.type, NVS);
	CHECK(!ok(m, 3, 17 * MiB - 1, 20 * MiB));
	CHECK_EQ(h.start, 17 * MiB - 1);
	CHECK_EQ(h.end, 17 * MiB);
	/* Adjacent on either side: fine. */
	CHECK(ok(m, 3, 8 * MiB, 16 * MiB));
	CHECK(ok(m, 3, 17 * MiB, 20 * MiB));
	/* Inside the NVS entry, and around it. */
	CHECK(!ok(m, 3, 16 * MiB + 4096, 16 * MiB + 8192));
	CHECK_EQ(h.start, 16 * MiB + 4096);
	CHECK(!ok(m, 3, 15 * MiB, 18 * MiB));
	CHECK_EQ(h.start, 16 * MiB);
	CHECK_EQ(h.end, 17 * MiB);
	/* None: an empty range; a range in one entry. */
	CHECK(ok(m, 3, 20 * MiB, 20 * MiB));
	CHECK(ok(m, 3, 2 * MiB, 3 * MiB));
	/* Beyond the last entry: not listed (type 0), up to the range's end. */
	CHECK(!ok(m, 3, 100 * MiB, 200 * MiB));
	CHECK_EQ(h.start, 117 * MiB);
	CHECK_EQ(h.end, 200 * MiB);
	CHECK_EQ(h.type, 0);
	/* Below the first entry: not listed, up to where the first entry starts. */
	CHECK(!ok(m, 3, 0, 2 * MiB));
	CHECK_EQ(h.start, 0);
	CHECK_EQ(h.end, 1 * MiB);
	CHECK_EQ(h.type, 0);
	/* No map at all. */
	CHECK(!ok(m, 0, 1 * MiB, 2 * MiB));
	CHECK_EQ(h.type, 0);
}

static void split_and_overlapping(void)
{
	/* Available RAM in several adjacent entries, out of order: one stretch. */
	static const struct mb2_mmap_entry split[] = {
		{ 20 * MiB, 10 * MiB, AVAIL }, { 10 * MiB, 10 * MiB, AVAIL }, { 30 * MiB, 0, NVS },
	};
	CHECK(ok(split, 3, 12 * MiB, 29 * MiB));
	/* An entry of length 0 covers nothing. */
	CHECK(ok(split, 3, 29 * MiB, 30 * MiB));
	/* Entries that overlap: a reserved entry inside an available one wins. */
	static const struct mb2_mmap_entry over[] = {
		{ 0, 64 * MiB, AVAIL }, { 32 * MiB, 4096, MB2_MEMORY_RESERVED },
	};
	CHECK(ok(over, 2, 16 * MiB, 32 * MiB));
	CHECK(!ok(over, 2, 16 * MiB, 48 * MiB));
	CHECK_EQ(h.start, 32 * MiB);
	CHECK_EQ(h.end, 32 * MiB + 4096);
	CHECK_STR(memmap_type_str(h.type), "reserved");
	/* A length that wraps past 2^64 ends there. */
	static const struct mb2_mmap_entry wrap[] = { { 1 * MiB, UINT64_MAX, AVAIL } };
	CHECK(ok(wrap, 1, 2 * MiB, UINT64_MAX));
	CHECK_STR(memmap_type_str(MB2_MEMORY_ACPI), "acpi");
	CHECK_STR(memmap_type_str(MB2_MEMORY_BADRAM), "bad");
	CHECK_STR(memmap_type_str(77), "other");
}

int main(void)
{
	ovmf_smm();
	edges();
	split_and_overlapping();
	return check_report("test_memmap");
}
