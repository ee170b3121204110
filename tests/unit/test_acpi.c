/* SPDX-License-Identifier: MIT */
/* ACPI checksum, RSDP, RSDT/XSDT walk, MADT walk and FADT PM timer on synthetic tables. */
#include <stdint.h>
#include <stdlib.h>

#include "bytes.h"
#include "check.h"
#include "lib/acpi.h"
#include "physmem.h"

/* Synthetic physical memory: 64 KiB at physical address MEM_BASE. */
#define MEM_BASE        0x10000u
#define MEM_SIZE        0x10000u
static uint8_t mem[MEM_SIZE];

static struct physmem phys = { MEM_BASE, mem, MEM_SIZE };
static const struct phys_map M = { physmem_map, &phys };


/* An SDT at physical pa with body of blen bytes; returns a pointer to it. */
static uint8_t *sdt(uint32_t pa, const char *sig, const void *body, uint32_t blen)
{
	uint8_t *t = mem + (pa - MEM_BASE);

	memset(t, 0, ACPI_SDT_HEADER_LEN);
	memcpy(t, sig, 4);
	put32(t + 4, ACPI_SDT_HEADER_LEN + blen);
	t[8] = 1;
	memcpy(t + 10, "TESTOE", 6);
	if (blen)
		memcpy(t + ACPI_SDT_HEADER_LEN, body, blen);
	fix_checksum(t, ACPI_SDT_HEADER_LEN + blen, 9);
	return t;
}

static void rsdp_make(uint8_t *r, uint8_t rev, uint32_t rsdt, uint64_t xsdt)
{
	memset(r, 0, 36);
	memcpy(r, "RSD PTR ", 8);
	memcpy(r + 9, "BOCHS ", 6);
	r[15] = rev;
	put32(r + 16, rsdt);
	put32(r + 20, 36);
	put64(r + 24, xsdt);
	fix_checksum(r, 20, 8);
	fix_checksum(r, 36, 32);
}

static void test_rsdp_oem(void)
{
	uint8_t r[20] = "RSD PTR \0BOCHS \0";
	char oem[7];

	acpi_rsdp_oem(r, sizeof(r), oem);
	CHECK_STR(oem, "BOCHS ");
	acpi_rsdp_oem(r, 14, oem);              /* too short to hold it */
	CHECK_STR(oem, "");
	acpi_rsdp_oem(0, 36, oem);
	CHECK_STR(oem, "");
}

static void test_checksum_rsdp(void)
{
	uint8_t r[36];
	struct acpi_rsdp out;
	struct diag d = { 0 };

	rsdp_make(r, 2, 0x1000, 0x2000);
	CHECK(acpi_checksum_ok(r, 20));
	CHECK(acpi_checksum_ok(r, 36));
	CHECK(acpi_rsdp_parse(r, 36, &out, &d));
	CHECK_EQ(out.revision, 2);
	CHECK_EQ(out.rsdt, 0x1000);
	CHECK_EQ(out.xsdt, 0x2000);
	CHECK_STR(out.oem, "BOCHS ");
	CHECK_EQ(d.n, 0);

	/* ACPI 1.0: 20 bytes, no XSDT. */
	rsdp_make(r, 0, 0x1000, 0);
	CHECK(acpi_rsdp_parse(r, 20, &out, &d));
	CHECK_EQ(out.xsdt, 0);

	/* Bad first checksum: rejected. */
	rsdp_make(r, 2, 0x1000, 0x2000);
	r[16] ^= 1;
	CHECK(!acpi_rsdp_parse(r, 36, &out, &d));
	CHECK(strstr(d.msg[d.n - 1], "checksum") != 0);

	/* Bad extended checksum: the RSDT is still used. */
	rsdp_make(r, 2, 0x1000, 0x2000);
	r[33] ^= 0xff;
	CHECK(acpi_rsdp_parse(r, 36, &out, &d));
	CHECK_EQ(out.xsdt, 0);
	CHECK_EQ(out.rsdt, 0x1000);

	/* Revision 2 but only 20 bytes given (a truncated tag). */
	rsdp_make(r, 2, 0x1000, 0x2000);
	CHECK(acpi_rsdp_parse(r, 20, &out, &d));
	CHECK_EQ(out.xsdt, 0);

	/* Wrong signature, too short, NULL. */
	rsdp_make(r, 0, 0x1000, 0);
	r[0] = 'X';
	CHECK(!acpi_rsdp_parse(r, 20, &out, &d));
	CHECK(!acpi_rsdp_parse(r, 19, &out, &d));
	CHECK(!acpi_rsdp_parse(0, 36, &out, &d));

	/* Legacy scan: 16-byte aligned, valid checksum only. */
	static uint8_t area[4096];
	memset(area, 0, sizeof(area));
	memcpy(area + 0x100, "RSD PTR ", 8);            /* bad checksum: skipped */
	memcpy(area + 0x208, "RSD PTR ", 8);            /* misaligned: skipped */
	rsdp_make(area + 0x300, 0, 0x1000, 0);
	CHECK_EQ(acpi_scan_rsdp(area, sizeof(area)), 0x300);
	CHECK_EQ(acpi_scan_rsdp(area, 0x300), -1);
	CHECK_EQ(acpi_scan_rsdp(area, 0x313), -1);      /* would run past the end */
}

/* MADT body: local APIC address and flags, then entries. */
struct madt_builder {
	uint8_t b[2048];
	uint32_t n;
};

static void mb_begin(struct madt_builder *m, uint32_t lapic)
{
	memset(m, 0, sizeof(*m));
	put32(m->b, lapic);
	put32(m->b + 4, 1);             /* PCAT_COMPAT */
	m->n = 8;
}

static void mb_lapic(struct madt_builder *m, uint8_t uid, uint8_t id, uint32_t flags)
{
	uint8_t *e = m->b + m->n;
	e[0] = 0;
	e[1] = 8;
	e[2] = uid;
	e[3] = id;
	put32(e + 4, flags);
	m->n += 8;
}

static void mb_x2apic(struct madt_builder *m, uint32_t id, uint32_t flags, uint32_t uid)
{
	uint8_t *e = m->b + m->n;
	e[0] = 9;
	e[1] = 16;
	put32(e + 4, id);
	put32(e + 8, flags);
	put32(e + 12, uid);
	m->n += 16;
}

static void mb_raw(struct madt_builder *m, uint8_t type, uint8_t len)
{
	m->b[m->n] = type;
	m->b[m->n + 1] = len;
	m->n += len ? len : 2;
}

static struct madt_cpu cpus[64];

static bool walk(struct madt_builder *m, struct madt_info *mi, struct diag *d, unsigned cap)
{
	uint8_t *t = sdt(0x18000, "APIC", m->b, m->n);

	memset(mi, 0, sizeof(*mi));
	mi->cpus = cpus;
	mi->cap = cap;
	memset(d, 0, sizeof(*d));
	return madt_parse(t, ACPI_SDT_HEADER_LEN + m->n, mi, d);
}

static void test_madt(void)
{
	struct madt_builder m;
	struct madt_info mi;
	struct diag d;

	/* Type 0 and type 9 entries, one disabled, one online capable, an override. */
	mb_begin(&m, 0xfee00000);
	mb_lapic(&m, 0, 0, MADT_ENABLED);
	mb_lapic(&m, 1, 1, MADT_ENABLED);
	mb_lapic(&m, 2, 2, 0);                          /* present, not enabled */
	mb_lapic(&m, 3, 3, MADT_ONLINE_CAPABLE);        /* hot-pluggable, not enabled */
	mb_raw(&m, 1, 12);                              /* an I/O APIC: skipped */
	mb_x2apic(&m, 300, MADT_ENABLED, 4);
	mb_x2apic(&m, 1, MADT_ENABLED, 5);              /* below 255 next to type 0: ignored */
	CHECK(walk(&m, &mi, &d, 64));
	CHECK(mi.complete);
	CHECK_EQ(mi.lapic_addr, 0xfee00000);
	CHECK(!mi.lapic_override);
	CHECK_EQ(mi.stored, 5);
	CHECK_EQ(mi.enabled, 3);
	CHECK_EQ(mi.disabled, 2);
	CHECK_EQ(mi.overflow, 0);
	CHECK_EQ(mi.max_apic_id, 300);
	CHECK_EQ(cpus[4].apic_id, 300);
	CHECK(cpus[4].x2apic_entry);
	CHECK_EQ(cpus[4].uid, 4);
	CHECK_EQ(cpus[3].flags, MADT_ONLINE_CAPABLE);
	CHECK_EQ(d.n, 1);
	CHECK(strstr(d.msg[0], "1 x2APIC entries with IDs below 255") != 0);

	/* A repeated APIC ID: the second entry is reported and ignored. */
	mb_begin(&m, 0xfee00000);
	mb_lapic(&m, 0, 0, MADT_ENABLED);
	mb_lapic(&m, 1, 0, MADT_ENABLED);
	CHECK(walk(&m, &mi, &d, 64));
	CHECK_EQ(mi.stored, 1);
	CHECK(strstr(d.msg[0], "twice") != 0);

	/* x2APIC entries alone (no usable type 0 entry): small IDs are CPUs too.
	 * A type 0 entry that is neither enabled nor online capable does not count. */
	mb_begin(&m, 0xfee00000);
	mb_lapic(&m, 5, 5, 0);
	mb_x2apic(&m, 0, MADT_ENABLED, 0);
	mb_x2apic(&m, 1, MADT_ENABLED, 1);
	CHECK(walk(&m, &mi, &d, 64));
	CHECK_EQ(mi.enabled, 2);
	CHECK_EQ(mi.disabled, 1);
	CHECK_EQ(d.n, 0);
	/* ... but an online-capable type 0 entry does (Linux's acpi_check_lapic()). */
	mb_begin(&m, 0xfee00000);
	mb_lapic(&m, 5, 5, MADT_ONLINE_CAPABLE);
	mb_x2apic(&m, 0, MADT_ENABLED, 0);
	mb_x2apic(&m, 256, MADT_ENABLED, 1);
	CHECK(walk(&m, &mi, &d, 64));
	CHECK_EQ(mi.enabled, 1);
	CHECK_EQ(mi.max_apic_id, 256);

	/* Local APIC address override (type 5). */
	mb_begin(&m, 0xfee00000);
	uint8_t *e = m.b + m.n;
	mb_raw(&m, 5, 12);
	put64(e + 4, 0x1fee00000ull);
	mb_lapic(&m, 0, 0, MADT_ENABLED);
	CHECK(walk(&m, &mi, &d, 64));
	CHECK(mi.lapic_override);
	CHECK_EQ(mi.lapic_addr, 0x1fee00000ull);

	/* A zero-length entry must stop the walk, not loop forever. */
	mb_begin(&m, 0xfee00000);
	mb_lapic(&m, 0, 0, MADT_ENABLED);
	mb_raw(&m, 0, 0);
	mb_lapic(&m, 1, 1, MADT_ENABLED);
	CHECK(walk(&m, &mi, &d, 64));
	CHECK_EQ(mi.enabled, 1);
	CHECK(!mi.complete);
	CHECK(strstr(d.msg[0], "length 0: walk stopped") != 0);
	/* Length 1 likewise. */
	mb_begin(&m, 0xfee00000);
	mb_raw(&m, 0, 1);
	m.n = 8 + 2;
	CHECK(walk(&m, &mi, &d, 64));
	CHECK_EQ(mi.stored, 0);
	CHECK_EQ(d.n, 1);

	/* An entry running past the table's end (truncated table). */
	mb_begin(&m, 0xfee00000);
	mb_lapic(&m, 0, 0, MADT_ENABLED);
	mb_lapic(&m, 1, 1, MADT_ENABLED);
	m.n -= 3;
	CHECK(walk(&m, &mi, &d, 64));
	CHECK_EQ(mi.enabled, 1);
	CHECK(!mi.complete);
	CHECK(strstr(d.msg[0], "runs past the table") != 0);
	/* One byte left: not even an entry header. */
	mb_begin(&m, 0xfee00000);
	mb_lapic(&m, 0, 0, MADT_ENABLED);
	m.n += 1;
	CHECK(walk(&m, &mi, &d, 64));
	CHECK_EQ(mi.enabled, 1);
	CHECK(!mi.complete);
	CHECK_EQ(d.n, 1);

	/* Short known entries and reserved IDs are reported and skipped. */
	mb_begin(&m, 0xfee00000);
	mb_raw(&m, 0, 6);
	mb_raw(&m, 9, 12);
	mb_raw(&m, 5, 8);
	mb_lapic(&m, 7, 0xff, MADT_ENABLED);
	mb_x2apic(&m, 0xffffffff, MADT_ENABLED, 8);
	mb_lapic(&m, 0, 0, MADT_ENABLED);
	CHECK(walk(&m, &mi, &d, 64));
	CHECK_EQ(mi.enabled, 1);
	CHECK_EQ(d.n, 5);

	/* More CPUs than the caller's array: counted, not stored. */
	mb_begin(&m, 0xfee00000);
	for (unsigned i = 0; i < 10; i++)
		mb_lapic(&m, (uint8_t)i, (uint8_t)i, MADT_ENABLED);
	CHECK(walk(&m, &mi, &d, 4));
	CHECK_EQ(mi.stored, 4);
	CHECK_EQ(mi.enabled, 10);
	CHECK_EQ(mi.overflow, 6);

	/* Too short for the fixed part. */
	memset(&mi, 0, sizeof(mi));
	memset(&d, 0, sizeof(d));
	mi.cpus = cpus;
	mi.cap = 64;
	CHECK(!madt_parse(mem, 40, &mi, &d));
	CHECK(!madt_parse(0, 100, &mi, &d));
}

static void test_root_walk(void)
{
	struct diag d = { 0 };
	struct acpi_rsdp r = { 2, 0, 0, "" };
	uint32_t len = 0;
	uint8_t body[16];

	memset(mem, 0, sizeof(mem));
	uint8_t madt_body[8 + 8] = { 0 };
	madt_body[8] = 0;
	madt_body[9] = 8;
	madt_body[12] = 1;      /* flags: enabled */
	sdt(0x11000, "APIC", madt_body, sizeof(madt_body));
	sdt(0x12000, "FACP", 0, 0);
	/* RSDT lists FACP and APIC; XSDT lists APIC only. */
	put32(body, 0x12000);
	put32(body + 4, 0x11000);
	sdt(0x10000, "RSDT", body, 8);
	put64(body, 0x11000);
	sdt(0x10800, "XSDT", body, 8);

	r.rsdt = 0x10000;
	r.xsdt = 0x10800;
	const uint8_t *t = acpi_find_table(&M, &r, "APIC", &len, &d);
	CHECK(t == mem + 0x1000);
	CHECK_EQ(len, ACPI_SDT_HEADER_LEN + 16);
	/* Not in the XSDT: found through the RSDT. */
	t = acpi_find_table(&M, &r, "FACP", &len, &d);
	CHECK(t == mem + 0x2000);
	CHECK(acpi_find_table(&M, &r, "HPET", &len, &d) == 0);
	CHECK_EQ(d.n, 0);

	/* A table with a bad checksum: reported, and used anyway (ACPICA's default). */
	mem[0x1000 + 20] ^= 0x55;
	CHECK(acpi_find_table(&M, &r, "APIC", &len, &d) == mem + 0x1000);
	CHECK_EQ(len, ACPI_SDT_HEADER_LEN + 16);
	CHECK(d.n == 1 && strstr(d.msg[0], "APIC at 0x11000: bad checksum: used anyway") != 0);
	/* ... unless the root lists a good copy too: that one is used, silently. */
	memset(&d, 0, sizeof(d));
	sdt(0x13000, "APIC", madt_body, sizeof(madt_body));
	put64(body, 0x11000);
	put64(body + 8, 0x13000);
	sdt(0x10800, "XSDT", body, 16);
	CHECK(acpi_find_table(&M, &r, "APIC", &len, &d) == mem + 0x3000);
	CHECK_EQ(d.n, 0);
	mem[0x1000 + 20] ^= 0x55;
	put64(body, 0x11000);
	sdt(0x10800, "XSDT", body, 8);

	/* A root table with a bad checksum: reported, and used. */
	memset(&d, 0, sizeof(d));
	mem[0x0800 + 20] ^= 1;
	CHECK(acpi_find_table(&M, &r, "APIC", &len, &d) == mem + 0x1000);
	CHECK(d.n == 1 && strstr(d.msg[0], "XSDT at 0x10800: bad checksum: used anyway") != 0);
	mem[0x0800 + 20] ^= 1;

	/* A table whose length runs past reachable memory (truncated). */
	memset(&d, 0, sizeof(d));
	put32(mem + 0x1000 + 4, 0x20000);
	CHECK(acpi_find_table(&M, &r, "APIC", &len, &d) == 0);
	CHECK(strstr(d.msg[0], "runs past") != 0);
	/* A length below the header. */
	memset(&d, 0, sizeof(d));
	put32(mem + 0x1000 + 4, 20);
	CHECK(acpi_find_table(&M, &r, "APIC", &len, &d) == 0);
	CHECK(strstr(d.msg[0], "below the header") != 0);
	sdt(0x11000, "APIC", madt_body, sizeof(madt_body));

	/* A root entry pointing at unreachable memory; a root with the wrong signature. */
	memset(&d, 0, sizeof(d));
	put64(body, 0xdead0000ull);
	put64(body + 8, 0x11000);
	sdt(0x10800, "XSDT", body, 16);
	CHECK(acpi_find_table(&M, &r, "APIC", &len, &d) == mem + 0x1000);
	r.xsdt = 0x12000;       /* the FACP, not an XSDT */
	CHECK(acpi_find_table(&M, &r, "APIC", &len, &d) == mem + 0x1000);
	CHECK(strstr(d.msg[d.n - 1], "not XSDT") != 0);
	r.xsdt = 0;
	r.rsdt = 0x90000000;
	CHECK(acpi_find_table(&M, &r, "APIC", &len, &d) == 0);
}

static void test_fadt(void)
{
	uint8_t f[244];
	struct fadt_pm_timer t;

	memset(f, 0, sizeof(f));
	put32(f + 76, 0x608);
	fadt_pm_timer(f, 116, &t);
	CHECK(t.present && t.port == 0x608 && !t.ext32);
	put32(f + 112, 1u << 8);
	fadt_pm_timer(f, 116, &t);
	CHECK(t.ext32);
	/* X_PM_TMR_BLK in system I/O space wins. */
	f[208] = 1;
	put64(f + 212, 0xb008);
	fadt_pm_timer(f, sizeof(f), &t);
	CHECK_EQ(t.port, 0xb008);
	/* ... but not when the table is too short to hold it. */
	fadt_pm_timer(f, 200, &t);
	CHECK_EQ(t.port, 0x608);
	/* In memory space: ignored, PM_TMR_BLK used. */
	f[208] = 0;
	fadt_pm_timer(f, sizeof(f), &t);
	CHECK_EQ(t.port, 0x608);
	/* No timer, or a table too short. */
	put32(f + 76, 0);
	fadt_pm_timer(f, sizeof(f), &t);
	CHECK(!t.present);
	fadt_pm_timer(f, 100, &t);
	CHECK(!t.present);
}

int main(void)
{
	test_rsdp_oem();
	test_checksum_rsdp();
	test_madt();
	test_root_walk();
	test_fadt();
	return check_report("acpi");
}
