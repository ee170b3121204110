/* SPDX-License-Identifier: MIT */
/* links: lib/mptable.c lib/acpi.c lib/diag.c lib/fmt.c */
/*
 * libFuzzer target for the MP table parser. Input: one control byte, then
 * memory as if at physical MP_BASE (the BIOS ROM segment). Control bit 0 asks
 * the harness to fix the checksums first, so the fuzzer gets past them to the
 * entry walk; with it clear, the checksum checks themselves are fuzzed.
 * Every function runs: the scan, the floating pointer, the table it points at
 * (and a table at offset 0), the default configuration.
 */
#include "tests/fuzz/fuzz.h"
#include "lib/mptable.h"

#define MP_BASE         0xf0000u
#define FIX_CHECKSUMS   0x01

static struct madt_cpu cpus[8];

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static void fix(uint8_t *m, size_t n)
{
	for (size_t off = 0; off + 16 <= n; off += 16) {
		uint8_t *p = m + off;
		size_t flen = (size_t)p[8] * 16;
		if (memcmp(p, "_MP_", 4) || !flen || flen > n - off)
			continue;
		fix_checksum(p, flen, 10);
		uint32_t pa = fuzz_rd32(p + 4);
		if (pa >= MP_BASE && pa - MP_BASE + 44 <= n) {
			uint8_t *t = m + (pa - MP_BASE);
			if (rd16(t + 4) >= 8 && rd16(t + 4) <= n - (pa - MP_BASE))
				fix_checksum(t, rd16(t + 4), 7);
		}
	}
	if (n >= 44 && rd16(m + 4) >= 8 && rd16(m + 4) <= n)
		fix_checksum(m, rd16(m + 4), 7);
}

/* Parse the table at t (avail bytes), check what came out, and parse it again
 * from an exact copy of its base table length: the result must be the same. */
static void config(const uint8_t *t, size_t avail)
{
	struct madt_info mi = { .cpus = cpus, .cap = 8 }, mi2 = mi;
	struct diag d = { 0 };
	static struct madt_cpu cpus2[8];

	uint8_t *copy = fuzz_dup(t, avail);
	bool ok = mp_config_parse(copy, avail, &mi, &d);
	free(copy);
	fuzz_check_cpus(&mi);
	if (!ok) {
		FUZZ_ASSERT(!mi.stored && !mi.enabled && !mi.disabled && !mi.complete);
		return;
	}
	FUZZ_ASSERT(mi.lapic_addr != 0);
	size_t len = rd16(t + 4);
	copy = fuzz_dup(t, len);
	mi2.cpus = cpus2;
	FUZZ_ASSERT(mp_config_parse(copy, len, &mi2, &d));
	free(copy);
	FUZZ_ASSERT(mi2.stored == mi.stored && mi2.enabled == mi.enabled &&
		    mi2.disabled == mi.disabled && mi2.complete == mi.complete &&
		    !memcmp(cpus, cpus2, mi.stored * sizeof(cpus[0])));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag d = { 0 };
	struct mp_fps f;

	if (size < 1)
		return 0;
	size_t n = size - 1;
	uint8_t *m = fuzz_dup(data + 1, n);
	if (data[0] & FIX_CHECKSUMS)
		fix(m, n);

	long off = mp_scan_fps(m, n);
	FUZZ_ASSERT(off == -1 || (off >= 0 && off % 16 == 0 && (size_t)off + 16 <= n));
	/* The scan and the parser agree on what a valid floating pointer is. */
	bool at0 = mp_fps_parse(m, n, &f, &d);
	if (at0)
		FUZZ_ASSERT(off == 0);
	if (off >= 0) {
		const uint8_t *p = m + off;
		bool none = !fuzz_rd32(p + 4) && !p[11];
		FUZZ_ASSERT(mp_fps_parse(p, n - (size_t)off, &f, &d) == !none);
		if (!none && f.default_config) {
			struct madt_info mi = { .cpus = cpus, .cap = 1 + (data[0] >> 7) };
			mp_default_cpus(&mi, &d);
			fuzz_check_cpus(&mi);
			FUZZ_ASSERT(mi.complete && mi.enabled == 2 && mi.stored == mi.cap);
		} else if (!none && f.config_pa >= MP_BASE && f.config_pa - MP_BASE < n) {
			config(m + (f.config_pa - MP_BASE), n - (f.config_pa - MP_BASE));
		}
	}
	config(m, n);
	free(m);
	return 0;
}
