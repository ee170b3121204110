/* SPDX-License-Identifier: MIT */
/* ACPI tables, pure: see acpi.h. Section numbers are ACPI 6.5's. */
#include "lib/acpi.h"

#include "lib/le.h"

static bool sig_is(const uint8_t *p, const char *sig, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (p[i] != (uint8_t)sig[i])
			return false;
	return true;
}

bool acpi_checksum_ok(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t sum = 0;

	while (len--)
		sum = (uint8_t)(sum + *b++);
	return sum == 0;
}

void acpi_rsdp_oem(const uint8_t *p, size_t avail, char oem[7])
{
	for (int i = 0; i < 6; i++)
		oem[i] = p && avail >= 15 ? (char)p[9 + i] : '\0';
	oem[6] = '\0';
}

/* 5.2.5.3 "Root System Description Pointer (RSDP) Structure". */
bool acpi_rsdp_parse(const uint8_t *p, size_t avail, struct acpi_rsdp *out, struct diag *d)
{
	out->revision = 0;
	out->rsdt = 0;
	out->xsdt = 0;
	out->oem[0] = '\0';
	if (!p || avail < 20) {
		diag_add(d, "RSDP shorter than 20 bytes");
		return false;
	}
	if (!sig_is(p, "RSD PTR ", 8)) {
		diag_add(d, "RSDP signature is not \"RSD PTR \"");
		return false;
	}
	if (!acpi_checksum_ok(p, 20)) {
		diag_add(d, "RSDP checksum (first 20 bytes) is bad");
		return false;
	}
	acpi_rsdp_oem(p, avail, out->oem);
	out->revision = p[15];
	out->rsdt = rd32(p + 16);
	if (out->revision >= 2) {
		uint32_t length = avail >= 24 ? rd32(p + 20) : 0;
		if (avail < 36 || length < 36 || length > avail)
			diag_add(d, "RSDP revision %u but length %u (have %zu bytes): no XSDT",
				 out->revision, length, avail);
		else if (!acpi_checksum_ok(p, length))
			diag_add(d, "RSDP extended checksum is bad: using the RSDT");
		else
			out->xsdt = rd64(p + 24);
	}
	return out->rsdt || out->xsdt;
}

long acpi_scan_rsdp(const uint8_t *base, size_t len)
{
	for (size_t off = 0; off + 20 <= len; off += 16)
		if (sig_is(base + off, "RSD PTR ", 8) && acpi_checksum_ok(base + off, 20))
			return (long)off;
	return -1;
}

/*
 * 5.2.6 "System Description Table Header": map it, check its length and
 * checksum. A bad checksum is what ACPICA warns about and, by default
 * (ACPI_CHECKSUM_ABORT is FALSE in its acpica/include/acconfig.h), uses the
 * table anyway: *bad_sum says so and the caller decides.
 */
static const uint8_t *table_get(const struct phys_map *m, uint64_t pa, uint32_t *len,
				bool *bad_sum, struct diag *d)
{
	const uint8_t *h = m->map(m->ctx, pa, ACPI_SDT_HEADER_LEN);

	*bad_sum = false;
	if (!h) {
		diag_add(d, "table at 0x%lx is not reachable", (unsigned long)pa);
		return 0;
	}
	uint32_t l = rd32(h + 4);
	if (l < ACPI_SDT_HEADER_LEN) {
		diag_add(d, "%.4s at 0x%lx: length %u is below the header's 36", (const char *)h,
			 (unsigned long)pa, l);
		return 0;
	}
	const uint8_t *t = m->map(m->ctx, pa, l);
	if (!t) {
		diag_add(d, "%.4s at 0x%lx: length %u runs past reachable memory",
			 (const char *)h, (unsigned long)pa, l);
		return 0;
	}
	*bad_sum = !acpi_checksum_ok(t, l);
	*len = l;
	return t;
}

static void warn_bad_sum(const uint8_t *t, uint64_t pa, struct diag *d)
{
	diag_add(d, "%.4s at 0x%lx: bad checksum: used anyway (as ACPICA does)",
		 (const char *)t, (unsigned long)pa);
}

static const uint8_t *find_in_root(const struct phys_map *m, uint64_t root, bool xsdt,
				   const char sig[4], uint32_t *len, struct diag *d)
{
	uint32_t rlen, blen = 0;
	bool bad;
	const uint8_t *r = table_get(m, root, &rlen, &bad, d), *bad_copy = 0;
	uint64_t bad_pa = 0;

	if (!r)
		return 0;
	if (!sig_is(r, xsdt ? "XSDT" : "RSDT", 4)) {
		diag_add(d, "root table at 0x%lx has signature %.4s, not %s",
			 (unsigned long)root, (const char *)r, xsdt ? "XSDT" : "RSDT");
		return 0;
	}
	if (bad)
		warn_bad_sum(r, root, d);
	/* 5.2.7 RSDT: 32-bit entries; 5.2.8 XSDT: 64-bit entries, after the header. */
	unsigned esize = xsdt ? 8 : 4;
	for (uint32_t off = ACPI_SDT_HEADER_LEN; off + esize <= rlen; off += esize) {
		uint64_t pa = xsdt ? rd64(r + off) : rd32(r + off);
		uint32_t l;
		if (!pa)
			continue;
		const uint8_t *h = m->map(m->ctx, pa, 4);
		if (!h || !sig_is(h, sig, 4))
			continue;
		const uint8_t *t = table_get(m, pa, &l, &bad, d);
		if (t && !bad) {
			*len = l;
			return t;
		}
		if (t && !bad_copy) {   /* keep looking: firmware may list a good copy later */
			bad_copy = t;
			bad_pa = pa;
			blen = l;
		}
	}
	if (bad_copy) {
		warn_bad_sum(bad_copy, bad_pa, d);
		*len = blen;
	}
	return bad_copy;
}

const uint8_t *acpi_find_table(const struct phys_map *m, const struct acpi_rsdp *r,
			       const char sig[4], uint32_t *len, struct diag *d)
{
	const uint8_t *t = 0;

	if (r->xsdt)
		t = find_in_root(m, r->xsdt, true, sig, len, d);
	if (!t && r->rsdt)
		t = find_in_root(m, r->rsdt, false, sig, len, d);
	return t;
}

static bool madt_has(const struct madt_info *mi, uint32_t apic_id)
{
	for (unsigned i = 0; i < mi->stored; i++)
		if (mi->cpus[i].apic_id == apic_id)
			return true;
	return false;
}

void cpu_list_add(struct madt_info *mi, uint32_t apic_id, uint32_t uid, uint32_t flags,
		  bool x2, struct diag *d)
{
	/* 5.2.12.2 / 5.2.12.12: Enabled=0 means present but not usable now (Online
	 * Capable says it may be brought online later): counted, never started. */
	bool enabled = flags & MADT_ENABLED;

	if (madt_has(mi, apic_id)) {
		diag_add(d, "the CPU list names APIC ID %u twice: the second entry is ignored", apic_id);
		return;
	}
	if (enabled)
		mi->enabled++;
	else
		mi->disabled++;
	if (mi->stored == mi->cap) {
		if (enabled)
			mi->overflow++;
		return;
	}
	struct madt_cpu *c = &mi->cpus[mi->stored++];
	c->apic_id = apic_id;
	c->uid = uid;
	c->flags = flags;
	c->x2apic_entry = x2;
	if (enabled && apic_id > mi->max_apic_id)
		mi->max_apic_id = apic_id;
}

/*
 * Linux's acpi_check_lapic() (arch/x86/kernel/acpi/boot.c): does the MADT hold
 * a usable type 0 entry (ID not 0xff; Enabled, or Online Capable)? Then, as
 * acpi_parse_x2apic() does after ACPI 6.5 section 5.2.12.12 ("when MADT provides
 * both valid LAPIC and x2APIC entries, the APIC ID in x2APIC must be equal or
 * greater than 0xff"), x2APIC entries with smaller IDs are ignored.
 */
static bool madt_has_lapic_cpus(const uint8_t *madt, uint32_t len)
{
	for (uint32_t off = 44; len - off >= 2;) {
		uint8_t type = madt[off], elen = madt[off + 1];
		if (elen < 2 || elen > len - off)
			break;
		if (type == MADT_TYPE_LAPIC && elen >= 8 && madt[off + 3] != 0xff &&
		    (rd32(madt + off + 4) & (MADT_ENABLED | MADT_ONLINE_CAPABLE)))
			return true;
		off += elen;
	}
	return false;
}

/* One MADT entry (its length already checked against the table): the CPUs and
 * the local APIC address override; other types are not needed here. */
static void madt_entry(struct madt_info *mi, const uint8_t *e, uint32_t off, bool has_lapic_cpus,
		       unsigned *x2_ignored, struct diag *d)
{
	uint8_t elen = e[1];

	switch (e[0]) {
	case MADT_TYPE_LAPIC:           /* 5.2.12.2 "Processor Local APIC Structure" */
		if (elen < 8)
			diag_add(d, "MADT local APIC entry at offset %u too short (%u)", off, elen);
		else if (e[3] == 0xff)
			diag_add(d, "MADT local APIC entry at offset %u has APIC ID 0xff: ignored", off);
		else
			cpu_list_add(mi, e[3], e[2], rd32(e + 4), false, d);
		break;
	case MADT_TYPE_LAPIC_ADDR_OVERRIDE:     /* 5.2.12.8 */
		if (elen < 12) {
			diag_add(d, "MADT APIC address override at offset %u too short (%u)", off, elen);
		} else {
			mi->lapic_addr = rd64(e + 4);
			mi->lapic_override = true;
		}
		break;
	case MADT_TYPE_X2APIC:          /* 5.2.12.12 "Processor Local x2APIC Structure" */
		if (elen < 16)
			diag_add(d, "MADT x2APIC entry at offset %u too short (%u)", off, elen);
		else if (rd32(e + 4) == 0xffffffff)
			diag_add(d, "MADT x2APIC entry at offset %u has ID 0xffffffff: ignored", off);
		else if (has_lapic_cpus && rd32(e + 4) < 0xff)
			(*x2_ignored)++;
		else
			cpu_list_add(mi, rd32(e + 4), rd32(e + 12), rd32(e + 8), true, d);
		break;
	default:
		break;
	}
}

bool madt_parse(const uint8_t *madt, uint32_t len, struct madt_info *mi, struct diag *d)
{
	mi->stored = mi->enabled = mi->disabled = mi->overflow = 0;
	mi->max_apic_id = 0;
	mi->lapic_override = false;
	mi->complete = false;
	mi->lapic_addr = 0;
	mi->flags = 0;
	if (!madt || len < 44) {
		diag_add(d, "MADT shorter than its 44-byte fixed part");
		return false;
	}
	mi->lapic_addr = rd32(madt + 36);
	mi->flags = rd32(madt + 40);
	bool has_lapic_cpus = madt_has_lapic_cpus(madt, len);
	unsigned x2_ignored = 0;
	uint32_t off = 44;
	while (off < len) {
		if (len - off < 2) {
			diag_add(d, "MADT entry at offset %u: header cut by the table's end", off);
			break;
		}
		uint8_t type = madt[off], elen = madt[off + 1];
		if (elen < 2) {
			/* A zero length would never advance: stop the walk here. */
			diag_add(d, "MADT entry at offset %u (type %u) has length %u: walk stopped",
				 off, type, elen);
			break;
		}
		if (elen > len - off) {
			diag_add(d, "MADT entry at offset %u (type %u, length %u) runs past the table: walk stopped",
				 off, type, elen);
			break;
		}
		madt_entry(mi, madt + off, off, has_lapic_cpus, &x2_ignored, d);
		off += elen;
	}
	mi->complete = off >= len;
	if (x2_ignored)
		diag_add(d, "MADT: %u x2APIC entries with IDs below 255 next to local APIC entries: ignored (ACPI 6.5 5.2.12.12, as Linux does)",
			 x2_ignored);
	return true;
}

void fadt_pm_timer(const uint8_t *fadt, uint32_t len, struct fadt_pm_timer *t)
{
	t->present = false;
	t->port = 0;
	t->ext32 = false;
	if (!fadt || len < 116)
		return;
	/* PM_TMR_BLK at offset 76, Flags at 112 (TMR_VAL_EXT is bit 8). */
	uint32_t port = rd32(fadt + 76);
	t->ext32 = (rd32(fadt + 112) >> 8) & 1;
	/* X_PM_TMR_BLK (Generic Address Structure, 5.2.3.2) at 208; space 1 = system I/O. */
	if (len >= 220 && fadt[208] == 1 && rd64(fadt + 212))
		port = (uint32_t)rd64(fadt + 212);
	if (port && port <= 0xfffc) {
		t->present = true;
		t->port = (uint16_t)port;
	}
}
