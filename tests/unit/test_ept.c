/* SPDX-License-Identifier: MIT */
/* The identity EPT of selftest=vmx (lib/ept.c), typed by the memory map. */
#include <stdint.h>

#include "check.h"
#include "lib/ept.h"
#include "lib/memmap.h"
#include "lib/vmcs.h"

#define KiB             (1ull << 10)
#define MiB             (1ull << 20)
#define GiB             (1ull << 30)
#define AVAIL           MB2_MEMORY_AVAILABLE
#define RES             MB2_MEMORY_RESERVED
#define ACPI            MB2_MEMORY_ACPI
#define NVS             MB2_MEMORY_NVS
#define WB              6
#define UC              0
#define N(a)            (sizeof(a) / sizeof((a)[0]))

static struct ept_tables t;

/* Walk the tables (at physical base pa == &t) for gpa: the leaf entry, or 0;
 * *level 3 for a 1 GiB page, 2 for 2 MiB, 1 for 4 KiB. */
static uint64_t walk(uint64_t pa, uint64_t gpa, unsigned *level)
{
	uint64_t base = (uint64_t)(uintptr_t)&t;
	uint64_t e = t.pml4[(gpa >> 39) & 511];

	*level = 4;
	for (unsigned shift = 30; shift >= 12; shift -= 9) {
		if (!(e & 7))
			return 0;
		const uint64_t *table = (const uint64_t *)(uintptr_t)((e & ~0xfffull) - pa + base);
		e = table[(gpa >> shift) & 511];
		*level = (shift - 12) / 9 + 1;
		if (!(e & 7) || *level == 1 || (e & VMX_EPT_LARGE_PAGE))
			return e;
	}
	return e;
}

/* Every leaf of [0, 4 GiB): identity, read/write/execute, ignore-PAT clear, not
 * misconfigured; write-back exactly where all of it is RAM; a page or 1 GiB
 * leaf that is uncacheable holds no whole page of RAM, unless the pool ran out. */
static void sweep(uint64_t pa, const struct mb2_mmap_entry *map, unsigned n)
{
	unsigned bad = 0, level;
	struct memmap_hole h;

	for (uint64_t gpa = 0; gpa < EPT_IDENTITY_END;) {
		uint64_t e = walk(pa, gpa, &level);
		uint64_t size = 1ull << (12 + 9 * (level - 1));
		unsigned type = (e >> 3) & 7;
		bool ram = memmap_range_available(map, n, gpa, gpa + size, &h);

		if ((e & 7) != 7 || (e & VMX_EPT_IPAT_BIT) || ept_entry_misconfigured(e, level, 52, false) ||
		    (e & 0xffffffffff000ull & ~(size - 1)) != gpa || type != (ram ? WB : UC))
			bad++;
		if (type == UC && level > 1 && !t.pt_short)
			for (uint64_t p = gpa; p < gpa + size; p += 4 * KiB)
				bad += memmap_range_available(map, n, p, p + 4 * KiB, &h);
		gpa += size;
	}
	CHECK_EQ(bad, 0);
}

/* An address, the memory type of its leaf and the leaf's level without 1 GiB
 * pages and with them. */
struct probe {
	uint64_t gpa;
	unsigned type, level_2m, level_1g;
};

static void check_map(const char *name, const struct mb2_mmap_entry *map, unsigned n,
		      const struct probe *p, unsigned np, unsigned pts)
{
	uint64_t pa = (uint64_t)(uintptr_t)&t;
	unsigned level;

	for (int gb = 0; gb < 2; gb++) {
		uint64_t eptp = ept_build(&t, pa, gb, true, map, n);
		CHECK_EQ(eptp, pa | 0x1e);                      /* the EPTP does not depend on the map */
		for (unsigned i = 0; i < np; i++) {
			uint64_t e = walk(pa, p[i].gpa, &level);
			unsigned want = gb ? p[i].level_1g : p[i].level_2m;
			if (((e >> 3) & 7) != p[i].type || level != want)
				printf("  %s, %s pages: 0x%llx\n", name, gb ? "1 GiB" : "2 MiB",
				       (unsigned long long)p[i].gpa);
			CHECK_EQ((e >> 3) & 7, p[i].type);
			CHECK_EQ(level, want);
		}
		CHECK_EQ(t.pt_used, pts);
		CHECK_EQ(t.pt_short, 0);
		sweep(pa, map, n);
		/* The rest as without a map: the misconfigured entry, then nothing. */
		CHECK_EQ(walk(pa, EPT_MISCONFIG_GPA, &level) & 7, VMX_EPT_WRITABLE_MASK);
		CHECK_EQ(walk(pa, EPT_UNMAPPED_GPA, &level) & 7, 0);
	}
}

/* All of [0, 4 GiB) RAM: the tables of before the map, 1 GiB or 2 MiB pages,
 * write-back. */
static void all_ram(void)
{
	static const struct mb2_mmap_entry m[] = { { 0, 4 * GiB, AVAIL } };
	uint64_t pa = (uint64_t)(uintptr_t)&t;
	unsigned level;

	for (int gb = 0; gb < 2; gb++) {
		uint64_t eptp = ept_build(&t, pa, gb, true, m, N(m));
		/* EPTP: the PML4's address, page-walk length 4 (3 in bits 5:3), WB (6). */
		CHECK_EQ(eptp & ~0xfffull, pa);
		CHECK_EQ(eptp & 0x38, 0x18);
		CHECK_EQ(eptp & 7, 6);
		CHECK_EQ(eptp & 0x40, 0);                       /* no accessed/dirty flags */
		/* Identity over [0, 4 GiB): each probe maps to itself, RWX, write-back. */
		static const uint64_t probes[] = { 0, 0x1000000, 0x7fe00000, 0xfee00000, 0xffffffff };
		for (unsigned i = 0; i < N(probes); i++) {
			uint64_t e = walk(pa, probes[i], &level);
			uint64_t size = gb ? 1ull << 30 : 2ull << 20;
			CHECK_EQ(level, gb ? 3u : 2u);
			CHECK_EQ(e & 0xff, 0xb7);               /* RWX, WB, ignore-PAT 0, a page */
			CHECK_EQ(e & ~0xfffull & ~(size - 1), probes[i] & ~(size - 1));
		}
		CHECK_EQ(t.pt_used, 0);
		/* The misconfigured entry: present, write-only. */
		uint64_t mis = walk(pa, EPT_MISCONFIG_GPA, &level);
		CHECK_EQ(level, 2);
		CHECK_EQ(mis & 7, VMX_EPT_WRITABLE_MASK);
		/* Not present from there on. */
		CHECK_EQ(walk(pa, EPT_MISCONFIG_GPA + (2ull << 20), &level) & 7, 0);
		CHECK_EQ(walk(pa, EPT_UNMAPPED_GPA, &level) & 7, 0);
		CHECK_EQ(walk(pa, 511ull << 30, &level) & 7, 0);
	}
	/* Uncacheable EPTP when write-back is not advertised. */
	CHECK_EQ(ept_build(&t, pa, false, false, m, N(m)) & 7, 0);
}

/* SeaBIOS (QEMU pc, 4 GiB: 3 GiB below 4 GiB): low RAM to the EBDA, the
 * BIOS area reserved, RAM from 1 MiB to just below 3 GiB, the PCI hole unlisted,
 * the BIOS flash reserved. Split: the first 2 MiB and the top of low RAM. */
static void seabios(void)
{
	static const struct mb2_mmap_entry m[] = {
		{ 0, 0x9fc00, AVAIL }, { 0x9fc00, 0x400, RES }, { 0xf0000, 0x10000, RES },
		{ 0x100000, 0xbfedf000, AVAIL }, { 0xbffdf000, 0x21000, RES },
		{ 0xfeffc000, 0x4000, RES }, { 0xfffc0000, 0x40000, RES },
		{ 0x100000000, 1 * GiB, AVAIL },
	};
	static const struct probe p[] = {
		{ 0, WB, 1, 1 }, { 0x9e000, WB, 1, 1 },
		{ 0x9f000, UC, 1, 1 },                          /* its last 1 KiB reserved */
		{ 0xa0000, UC, 1, 1 }, { 0xc0000, UC, 1, 1 },   /* VGA, option ROMs: unlisted */
		{ 0xf0000, UC, 1, 1 }, { 0x100000, WB, 1, 1 }, { 0x1ff000, WB, 1, 1 },
		{ 0x200000, WB, 2, 2 }, { 0x1000000, WB, 2, 2 }, /* the kernel's link address */
		{ 0x40000000, WB, 2, 3 }, { 0x7fffffff, WB, 2, 3 }, /* the second GiB: all RAM */
		{ 0x80000000, WB, 2, 2 }, { 0xbfe00000, WB, 1, 1 }, { 0xbffde000, WB, 1, 1 },
		{ 0xbffdf000, UC, 1, 1 }, { 0xbffff000, UC, 1, 1 },
		{ 0xc0000000, UC, 2, 3 },                       /* the PCI hole */
		{ 0xfec00000, UC, 2, 3 }, { 0xfee00000, UC, 2, 3 }, /* I/O APIC, local APIC */
		{ 0xfeffc000, UC, 2, 3 }, { 0xffffffff, UC, 2, 3 },
	};
	check_map("SeaBIOS", m, N(m), p, N(p), 2);
}

/* OVMF (QEMU q35, 2 GiB) as GRUB hands it on: ACPI NVS in low RAM at 8 MiB, the
 * runtime services' code and data (reserved), ACPI tables and NVS at the top
 * of low RAM, MMCONFIG and the flash reserved. */
static void ovmf(void)
{
	static const struct mb2_mmap_entry m[] = {
		{ 0, 0xa0000, AVAIL }, { 0x100000, 0x700000, AVAIL },
		{ 0x800000, 0x8000, NVS }, { 0x808000, 0x3000, AVAIL }, { 0x80b000, 0x1000, NVS },
		{ 0x80c000, 0x4000, AVAIL }, { 0x810000, 0xf0000, NVS },
		{ 0x900000, 0x7e3f4000, AVAIL }, { 0x7ecf4000, 0x80000, RES },
		{ 0x7ed74000, 0x8000, AVAIL }, { 0x7ed7c000, 0x100000, RES },
		{ 0x7ee7c000, 0xb02000, AVAIL }, { 0x7f97e000, 0x200000, RES },
		{ 0x7fb7e000, 0xa000, ACPI }, { 0x7fb88000, 0x84000, NVS },
		{ 0x7fc0c000, 0x36c000, AVAIL }, { 0x7ff78000, 0x88000, NVS },
		{ 0xb0000000, 0x10000000, RES }, { 0xfed1c000, 0x4000, RES },
		{ 0xffc00000, 0x400000, RES }, { 0x100000000, 1 * GiB, AVAIL },
	};
	static const struct probe p[] = {
		{ 0x9f000, WB, 1, 1 }, { 0xa0000, UC, 1, 1 },
		{ 0x800000, UC, 1, 1 }, { 0x807000, UC, 1, 1 }, { 0x808000, WB, 1, 1 },
		{ 0x80a000, WB, 1, 1 }, { 0x80b000, UC, 1, 1 }, { 0x80c000, WB, 1, 1 },
		{ 0x80f000, WB, 1, 1 }, { 0x810000, UC, 1, 1 }, { 0x8ff000, UC, 1, 1 },
		{ 0x900000, WB, 1, 1 }, { 0x9ff000, WB, 1, 1 },
		{ 0xa00000, WB, 2, 2 }, { 0x1000000, WB, 2, 2 }, { 0x40000000, WB, 2, 2 },
		{ 0x7ecf3000, WB, 1, 1 }, { 0x7ecf4000, UC, 1, 1 }, { 0x7ed74000, WB, 1, 1 },
		{ 0x7ed7c000, UC, 1, 1 }, { 0x7ee7b000, UC, 1, 1 }, { 0x7ee7c000, WB, 1, 1 },
		{ 0x7f000000, WB, 2, 2 }, { 0x7f97d000, WB, 1, 1 }, { 0x7f97e000, UC, 1, 1 },
		/* Reserved, ACPI and NVS with no RAM between: one 2 MiB page. */
		{ 0x7fa00000, UC, 2, 2 }, { 0x7fb7e000, UC, 2, 2 }, { 0x7fb88000, UC, 2, 2 },
		{ 0x7fc0b000, UC, 1, 1 }, { 0x7fc0c000, WB, 1, 1 }, { 0x7ff77000, WB, 1, 1 },
		{ 0x7ff78000, UC, 1, 1 },
		{ 0x80000000, UC, 2, 3 }, { 0xb0000000, UC, 2, 3 }, { 0xfed1c000, UC, 2, 3 },
		{ 0xfee00000, UC, 2, 3 }, { 0xffc00000, UC, 2, 3 },
	};
	/* Split: [0, 2), [8, 10) MiB; at the top of low RAM 0x7ec, 0x7ee, 0x7f8,
	 * 0x7fc and 0x7fe (in units of 1 MiB). */
	check_map("OVMF", m, N(m), p, N(p), 7);
}

/* No map: nothing is RAM, all of [0, 4 GiB) uncacheable (the guest still runs). */
static void empty(void)
{
	static const struct probe p[] = {
		{ 0, UC, 2, 3 }, { 0x1000000, UC, 2, 3 }, { 0x40000000, UC, 2, 3 },
		{ 0xbffdf000, UC, 2, 3 }, { 0xfee00000, UC, 2, 3 }, { 0xffffffff, UC, 2, 3 },
	};
	check_map("empty", 0, 0, p, N(p), 0);
}

/* Entries that overlap (lib/memmap.c: the stricter type wins), out of order. */
static void overlapping(void)
{
	static const struct mb2_mmap_entry m[] = {
		{ 48 * MiB, 32 * MiB, AVAIL },                  /* over the next one's end */
		{ 0, 64 * MiB, AVAIL },
		{ 0x1003000, 0x1000, RES },                     /* one page inside RAM */
		{ 32 * MiB - 4 * KiB, 8 * KiB, ACPI },          /* across a 2 MiB boundary */
		{ 0x48000000, 16 * MiB, AVAIL },                /* RAM inside reserved */
		{ 0x40000000, 1 * GiB, RES },
		{ 0xfec00000, 0x1400000, RES },                 /* reserved inside RAM, to 4 GiB */
		{ 0xc0000000, UINT64_MAX, AVAIL },              /* a length past 2^64 ends there */
	};
	static const struct probe p[] = {
		{ 0x1002000, WB, 1, 1 }, { 0x1003000, UC, 1, 1 }, { 0x1004000, WB, 1, 1 },
		{ 0x1ffe000, WB, 1, 1 }, { 0x1fff000, UC, 1, 1 }, { 0x2000000, UC, 1, 1 },
		{ 0x2001000, WB, 1, 1 },
		{ 0x3000000, WB, 2, 2 }, { 0x4000000, WB, 2, 2 }, { 0x4fff000, WB, 2, 2 },
		{ 0x5000000, UC, 2, 2 },                        /* after the RAM: unlisted */
		{ 0x40000000, UC, 2, 3 }, { 0x48000000, UC, 2, 3 },
		{ 0xc0000000, WB, 2, 2 }, { 0xfea00000, WB, 2, 2 }, { 0xfec00000, UC, 2, 2 },
		{ 0xfee00000, UC, 2, 2 }, { 0xffffffff, UC, 2, 2 },
	};
	check_map("overlapping", m, N(m), p, N(p), 3);
}

/* More regions of mixed types than the pool has tables: the first EPT_PT_POOL
 * are split, the others are one uncacheable 2 MiB page each, and counted. */
static void pool_used_up(void)
{
	enum { MORE = 8, REGIONS = EPT_PT_POOL + MORE };
	static struct mb2_mmap_entry m[1 + REGIONS];
	uint64_t pa = (uint64_t)(uintptr_t)&t;
	unsigned level;

	m[0] = (struct mb2_mmap_entry){ 0, 4 * GiB, AVAIL };
	for (unsigned k = 0; k < REGIONS; k++)
		m[1 + k] = (struct mb2_mmap_entry){ 64 * MiB + k * 2 * MiB, 4 * KiB, RES };
	for (int gb = 0; gb < 2; gb++) {
		ept_build(&t, pa, gb, true, m, N(m));
		CHECK_EQ(t.pt_used, EPT_PT_POOL);
		CHECK_EQ(t.pt_short, MORE);
		for (unsigned k = 0; k < REGIONS; k++) {
			uint64_t region = 64 * MiB + k * 2 * MiB;
			uint64_t e = walk(pa, region, &level);
			CHECK_EQ((e >> 3) & 7, UC);
			e = walk(pa, region + 4 * KiB, &level);
			CHECK_EQ((e >> 3) & 7, k < EPT_PT_POOL ? WB : UC);
			CHECK_EQ(level, k < EPT_PT_POOL ? 1u : 2u);
		}
		CHECK_EQ((walk(pa, 0, &level) >> 3) & 7, WB);
		CHECK_EQ(level, 2);
		CHECK_EQ((walk(pa, 3 * GiB, &level) >> 3) & 7, WB);
		CHECK_EQ(level, gb ? 3u : 2u);
		sweep(pa, m, N(m));
	}
}

int main(void)
{
	all_ram();
	seabios();
	ovmf();
	empty();
	overlapping();
	pool_used_up();
	return check_report("ept");
}
