/* SPDX-License-Identifier: MIT */
/* links: lib/acpi.c lib/diag.c lib/fmt.c */
/*
 * libFuzzer target for the ACPI walk from the RSDP: acpi_rsdp_parse,
 * acpi_scan_rsdp, acpi_find_table through the RSDT/XSDT, then madt_parse and
 * fadt_pm_timer on what was found. Input: one control byte, then physical
 * memory at ACPI_BASE (the map function reaches nothing else); the RSDP is at
 * its start. Control bit 0 asks the harness to fix the checksums of the RSDP,
 * the root tables and the tables they list, so the fuzzer gets past them.
 */
#include "tests/fuzz/fuzz.h"
#include "tests/unit/physmem.h"

#define ACPI_BASE       0x10000u
#define FIX_CHECKSUMS   0x01

struct mem {
	uint8_t *p;
	size_t n;
};

/* Physical memory is the buffer at ACPI_BASE (so address 0 is never reached);
 * as the kernel's map, NULL for length 0. */
static const void *map(void *ctx, uint64_t pa, uint32_t len)
{
	const struct mem *m = ctx;
	struct physmem phys = { ACPI_BASE, m->p, m->n };

	return len ? physmem_map(&phys, pa, len) : 0;
}

static uint8_t *table_at(struct mem *m, uint64_t pa, uint32_t *len)
{
	uint8_t *h = (uint8_t *)map(m, pa, ACPI_SDT_HEADER_LEN);

	if (!h)
		return 0;
	*len = fuzz_rd32(h + 4);
	if (*len < ACPI_SDT_HEADER_LEN || !map(m, pa, *len))
		return 0;
	return h;
}

static void fix_root(struct mem *m, uint64_t pa, unsigned esize)
{
	uint32_t rlen, len;
	uint8_t *r = table_at(m, pa, &rlen);

	if (!r)
		return;
	for (uint32_t off = ACPI_SDT_HEADER_LEN; off + esize <= rlen; off += esize) {
		uint64_t e = fuzz_rd32(r + off);
		if (esize == 8)
			e |= (uint64_t)fuzz_rd32(r + off + 4) << 32;
		uint8_t *t = table_at(m, e, &len);
		if (t)
			fix_checksum(t, len, 9);
	}
	fix_checksum(r, rlen, 9);
}

static void fix(struct mem *m)
{
	uint8_t *p = m->p;

	if (m->n < 20 || memcmp(p, "RSD PTR ", 8))
		return;
	fix_root(m, fuzz_rd32(p + 16), 4);
	if (p[15] >= 2 && m->n >= 36) {
		fix_root(m, fuzz_rd32(p + 24) | (uint64_t)fuzz_rd32(p + 28) << 32, 8);
		uint32_t len = fuzz_rd32(p + 20);
		if (len >= 36 && len <= m->n)
			fix_checksum(p, len, 32);
	}
	fix_checksum(p, 20, 8);
}

static void find(const struct phys_map *am, const struct mem *m, const struct acpi_rsdp *r,
		 const char *sig)
{
	struct diag d = { 0 };
	uint32_t len = 0;
	const uint8_t *t = acpi_find_table(am, r, sig, &len, &d);

	if (!t)
		return;
	FUZZ_ASSERT(t >= m->p && len >= ACPI_SDT_HEADER_LEN && len <= m->n &&
		    (size_t)(t - m->p) <= m->n - len);
	FUZZ_ASSERT(!memcmp(t, sig, 4));        /* a bad checksum may be used anyway */

	/* The table alone, exact size: the walkers must stay inside its length. */
	uint8_t *copy = fuzz_dup(t, len);
	if (!memcmp(sig, "APIC", 4)) {
		static struct madt_cpu cpus[8];
		struct madt_info mi = { .cpus = cpus, .cap = 8 };
		if (madt_parse(copy, len, &mi, &d))
			fuzz_check_cpus(&mi);
	} else if (!memcmp(sig, "FACP", 4)) {
		struct fadt_pm_timer pm;
		fadt_pm_timer(copy, len, &pm);
		FUZZ_ASSERT(!pm.present || (pm.port && pm.port <= 0xfffc));
	}
	free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag d = { 0 };
	struct acpi_rsdp r;

	if (size < 1 || size > UINT32_MAX)
		return 0;
	struct mem m = { fuzz_dup(data + 1, size - 1), size - 1 };
	struct phys_map am = { map, &m };
	if (data[0] & FIX_CHECKSUMS)
		fix(&m);

	long off = acpi_scan_rsdp(m.p, m.n);
	FUZZ_ASSERT(off == -1 || (off >= 0 && off % 16 == 0 && (size_t)off + 20 <= m.n));
	memset(&r, 0x5a, sizeof(r));            /* the parser must set every field */
	bool ok = acpi_rsdp_parse(m.p, m.n, &r, &d);
	FUZZ_ASSERT(ok == (r.rsdt || r.xsdt) && memchr(r.oem, 0, sizeof(r.oem)));
	if (ok) {
		FUZZ_ASSERT(off == 0);
		find(&am, &m, &r, "APIC");
		find(&am, &m, &r, "FACP");
		find(&am, &m, &r, "HPET");
	}
	/* The FADT decoder on the whole buffer too. */
	struct fadt_pm_timer pm;
	fadt_pm_timer(m.p, (uint32_t)m.n, &pm);
	free(m.p);
	return 0;
}
