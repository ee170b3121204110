/* SPDX-License-Identifier: MIT */
/*
 * MP table discovery. MultiProcessor Specification 1.4, chapter 4 "MP
 * Configuration Table": "a. In the first kilobyte of Extended BIOS Data Area
 * (EBDA), or b. Within the last kilobyte of system base memory ... if the EBDA
 * segment is undefined, or c. In the BIOS ROM address space between 0F0000h and
 * 0FFFFFh." The parsing is pure (lib/mptable.c). Legacy BIOS areas only: under
 * UEFI there is nothing to scan (GRUB passes no MPS configuration table).
 */
#include "kernel/mptable.h"

#include "arch/x86.h"
#include "kernel/bootinfo.h"
#include "kernel/log.h"
#include "lib/mptable.h"

#define BDA_EBDA_SEGMENT        0x40e   /* BIOS data area: EBDA segment (word) */
#define BDA_BASE_MEMORY_KIB     0x413   /* BIOS data area: base memory in KiB (word) */
#define BIOS_ROM_START          0xf0000
#define BIOS_ROM_LEN            0x10000
#define MP_TABLE_MAX_LEN        0x10000 /* the base table length is a 16-bit field */

static long scan(uint64_t start, size_t len, uint64_t *found)
{
	long off = mp_scan_fps(phys_to_virt(start), len);

	if (off >= 0)
		*found = start + (uint64_t)off;
	return off;
}

static bool find_fps(uint64_t *pa)
{
	uint64_t ebda = (uint64_t)*(volatile uint16_t *)phys_to_virt(BDA_EBDA_SEGMENT) << 4;
	uint64_t base_kib = *(volatile uint16_t *)phys_to_virt(BDA_BASE_MEMORY_KIB);

	if (ebda >= 0x80000 && ebda < 0xa0000 && scan(ebda, 1024, pa) >= 0)
		return true;
	if (base_kib >= 512 && base_kib <= 640 && scan(base_kib * 1024 - 1024, 1024, pa) >= 0)
		return true;
	return scan(BIOS_ROM_START, BIOS_ROM_LEN, pa) >= 0;
}

static void print_diag(const struct diag *d)
{
	for (unsigned i = 0; i < d->n && i < DIAG_MAX; i++)
		kprintf("smp: mptable warning: %s\n", d->msg[i]);
	if (d->n > DIAG_MAX)
		kprintf("smp: mptable: %u more warnings not shown\n", d->n - DIAG_MAX);
}

bool mptable_find(struct madt_info *mi)
{
	static struct diag d;
	struct mp_fps fps;
	uint64_t pa;
	bool ok = false;

	if (mb2_is_uefi(&boot_info) || !find_fps(&pa))
		return false;
	/* The floating pointer lies below 1 MiB, all of it mapped: let its own
	 * length field (in 16-byte units) decide how much of it there is. */
	if (!mp_fps_parse(phys_to_virt(pa), 0x100000 - pa, &fps, &d)) {
		print_diag(&d);
		return false;
	}
	if (fps.default_config) {
		mp_default_cpus(mi, &d);
		kprintf("smp: mptable at 0x%lx: default configuration %u (two CPUs, MP spec 1.%u chapter 5)\n",
			pa, fps.default_config, fps.spec_rev);
		ok = true;
	} else if (fps.config_pa) {
		uint64_t avail = (1ULL << 32) - fps.config_pa;
		ok = mp_config_parse(phys_to_virt(fps.config_pa),
				     avail < MP_TABLE_MAX_LEN ? avail : MP_TABLE_MAX_LEN, mi, &d);
		if (ok)
			kprintf("smp: mptable at 0x%lx: configuration table at 0x%x (MP spec 1.%u)\n",
				pa, fps.config_pa, fps.spec_rev);
	}
	print_diag(&d);
	return ok;
}
