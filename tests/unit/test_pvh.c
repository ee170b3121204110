/* SPDX-License-Identifier: MIT */
/* The PVH start info reader (lib/pvh.c) on synthetic memory. */
#include <stdint.h>
#include <string.h>

#include "bytes.h"
#include "check.h"
#include "lib/pvh.h"
#include "physmem.h"

#define MEM_BASE        0x1000u
#define MEM_SIZE        0x4000u
static uint8_t mem[MEM_SIZE];

static struct physmem phys = { MEM_BASE, mem, MEM_SIZE };
static const struct phys_map M = { physmem_map, &phys };
static struct mb2_info b;

/* start info at 0x1000, command line at 0x2000, memory map at 0x1200, RSDP at 0x1400. */
static void make(uint32_t version, const char *cmd, uint32_t entries, uint8_t rsdp_rev)
{
	memset(mem, 0, sizeof(mem));
	put32(mem, XEN_HVM_START_MAGIC_VALUE);
	put32(mem + 4, version);
	put64(mem + 24, cmd ? 0x2000 : 0);
	put64(mem + 32, 0x1400);
	put64(mem + 40, 0x1200);
	put32(mem + 48, entries);
	if (cmd)
		memcpy(mem + 0x1000, cmd, strlen(cmd) + 1);
	for (uint32_t i = 0; i < entries && i < 8; i++) {
		put64(mem + 0x200 + i * 24, i * 0x100000ull);
		put64(mem + 0x208 + i * 24, 0x9fc00);
		put32(mem + 0x210 + i * 24, i == 1 ? 2 : 1);
	}
	memcpy(mem + 0x400, "RSD PTR ", 8);
	mem[0x400 + 15] = rsdp_rev;
}

int main(void)
{
	const char *why;

	make(1, "vmxcap=all console=ttyS1", 3, 0);
	CHECK(pvh_parse(&M, 0x1000, &b, &why));
	CHECK(why == 0);
	CHECK(b.is_pvh);
	CHECK_STR(b.loader, "PVH");
	CHECK_STR(b.cmdline, "vmxcap=all console=ttyS1");
	CHECK(!b.cmdline_truncated);
	CHECK_EQ(b.mmap_count, 3);
	CHECK_EQ(b.mmap[1].addr, 0x100000);
	CHECK_EQ(b.mmap[1].type, 2);
	CHECK_EQ(b.mmap[2].len, 0x9fc00);
	CHECK(b.has_rsdp_old && !b.has_rsdp_new);
	/* An empty range is dropped, not reported as 0..2^64-1. */
	make(1, "", 3, 0);
	put64(mem + 0x208 + 24, 0);
	CHECK(pvh_parse(&M, 0x1000, &b, &why));
	CHECK_EQ(b.mmap_count, 2);
	CHECK_EQ(b.mmap[1].addr, 0x200000);
	make(1, "vmxcap=all console=ttyS1", 3, 0);
	CHECK(pvh_parse(&M, 0x1000, &b, &why));
	CHECK_EQ(b.rsdp_old_len, 20);
	CHECK(!memcmp(b.rsdp_old, "RSD PTR ", 8));
	/* An ACPI 2.0 RSDP goes to the new tag's place, 36 bytes. */
	make(1, "", 1, 2);
	CHECK(pvh_parse(&M, 0x1000, &b, &why));
	CHECK(b.has_rsdp_new && b.rsdp_new_len == 36);
	CHECK_STR(b.cmdline, "");
	/* No command line. */
	make(1, 0, 1, 0);
	CHECK(pvh_parse(&M, 0x1000, &b, &why));
	CHECK(!b.has_cmdline);
	/* A command line longer than kept: cut, and said so. */
	char longcmd[1500];
	memset(longcmd, 'a', sizeof(longcmd) - 1);
	longcmd[sizeof(longcmd) - 1] = 0;
	make(1, longcmd, 1, 0);
	CHECK(pvh_parse(&M, 0x1000, &b, &why));
	CHECK(b.cmdline_truncated);
	CHECK_EQ(strlen(b.cmdline), MB2_CMDLINE_MAX - 1);
	/* Version 0: no memory map, said so. */
	make(0, "x", 3, 0);
	CHECK(pvh_parse(&M, 0x1000, &b, &why));
	CHECK(why && strstr(why, "version 0"));
	CHECK_EQ(b.mmap_count, 0);
	/* An absurd or unreachable memory map: dropped, said so, the rest kept. */
	make(1, "x", 0x20000, 0);
	CHECK(pvh_parse(&M, 0x1000, &b, &why));
	CHECK(why && strstr(why, "memory map"));
	CHECK_EQ(b.mmap_count, 0);
	CHECK_STR(b.cmdline, "x");
	make(1, "x", 700, 0);                   /* 0x1200 + 700 * 24 runs past 0x5000 */
	CHECK(pvh_parse(&M, 0x1000, &b, &why));
	CHECK(why != 0);
	/* Wrong magic, no structure. */
	make(1, "x", 1, 0);
	put32(mem, 0x12345678);
	CHECK(!pvh_parse(&M, 0x1000, &b, &why));
	CHECK(strstr(why, "magic"));
	CHECK(!pvh_parse(&M, 0, &b, &why));
	CHECK(!pvh_parse(&M, 0x900000, &b, &why));
	return check_report("pvh");
}
