/* SPDX-License-Identifier: MIT */
/* MP floating pointer scan, configuration table walk and default configurations. */
#include <stdint.h>
#include <stdlib.h>

#include "bytes.h"
#include "check.h"
#include "lib/mptable.h"


/* A floating pointer as SeaBIOS writes it: length 1, revision 4. */
static void fps_make(uint8_t *p, uint32_t config, uint8_t length, uint8_t rev, uint8_t feature1)
{
	memset(p, 0, 16);
	memcpy(p, "_MP_", 4);
	put32(p + 4, config);
	p[8] = length;
	p[9] = rev;
	p[11] = feature1;
	fix_checksum(p, length ? (size_t)length * 16 : 16, 10);
}

/* A configuration table builder: header, then entries; mt_end() fills length, count, checksum. */
struct mpt {
	uint8_t b[1024];
	uint32_t n;
	uint16_t count;
};

static void mt_begin(struct mpt *m, uint32_t lapic)
{
	memset(m, 0, sizeof(*m));
	memcpy(m->b, "PCMP", 4);
	m->b[6] = 4;
	memcpy(m->b + 8, "BOCHSCPU", 8);
	memcpy(m->b + 16, "0.1         ", 12);
	put32(m->b + 36, lapic);
	m->n = MP_CONFIG_HEADER_LEN;
}

static void mt_cpu(struct mpt *m, uint8_t apic_id, uint8_t flags)
{
	uint8_t *e = m->b + m->n;

	e[0] = 0;
	e[1] = apic_id;
	e[2] = 0x14;            /* local APIC version */
	e[3] = flags;           /* EN = 1, BP = 2 */
	put32(e + 4, 0x663);    /* CPU signature */
	put32(e + 8, 0x0781abfd);
	m->n += 20;
	m->count++;
}

static void mt_raw8(struct mpt *m, uint8_t type, const char *rest)
{
	uint8_t *e = m->b + m->n;

	e[0] = type;
	memcpy(e + 1, rest, 7);
	m->n += 8;
	m->count++;
}

static uint8_t *mt_end(struct mpt *m)
{
	put16(m->b + 4, (uint16_t)m->n);
	put16(m->b + 34, m->count);
	fix_checksum(m->b, m->n, 7);
	return m->b;
}

static struct madt_cpu cpus[16];

static bool walk(const uint8_t *t, size_t avail, struct madt_info *mi, struct diag *d,
		 unsigned cap)
{
	memset(mi, 0x5a, sizeof(*mi));         /* the parser must set every counter */
	mi->cpus = cpus;
	mi->cap = cap;
	memset(d, 0, sizeof(*d));
	return mp_config_parse(t, avail, mi, d);
}

/* QEMU + SeaBIOS with -smp 4: the floating pointer in the F segment, then the table. */
static void seabios(void)
{
	static uint8_t fseg[0x10000];
	struct mpt m;
	struct mp_fps f;
	struct madt_info mi;
	struct diag d = { 0 };

	mt_begin(&m, 0xfee00000);
	mt_cpu(&m, 0, 3);                       /* BSP */
	mt_cpu(&m, 1, 1);
	mt_cpu(&m, 2, 1);
	mt_cpu(&m, 3, 1);
	mt_raw8(&m, 1, "\0ISA   ");             /* bus 0, ISA */
	mt_raw8(&m, 2, "\4\x11\1\0\0\xc0\xfe"); /* I/O APIC ID 4 at 0xfec00000, usable */
	for (uint8_t irq = 0; irq < 16; irq++) {
		if (irq == 2)
			continue;
		char e[7] = { 0, 0, 0, 0, (char)irq, 4, (char)(irq ? irq : 2) };
		mt_raw8(&m, 3, e);              /* I/O interrupt assignment */
	}
	mt_raw8(&m, 4, "\3\0\0\0\0\xff\0");     /* ExtINT to LINT0 of all CPUs */
	mt_raw8(&m, 4, "\1\0\0\0\0\xff\1");     /* NMI to LINT1 */
	mt_end(&m);
	memcpy(fseg + 0xf5a0, m.b, m.n);
	fps_make(fseg + 0xf590, 0xff5a0, 1, 4, 0);

	long off = mp_scan_fps(fseg, sizeof(fseg));
	CHECK_EQ(off, 0xf590);
	CHECK(mp_fps_parse(fseg + off, sizeof(fseg) - (size_t)off, &f, &d));
	CHECK_EQ(f.config_pa, 0xff5a0);
	CHECK_EQ(f.spec_rev, 4);
	CHECK_EQ(f.default_config, 0);
	CHECK_EQ(d.n, 0);

	const uint8_t *t = fseg + (f.config_pa - 0xf0000);
	CHECK(walk(t, sizeof(fseg) - (f.config_pa - 0xf0000), &mi, &d, 16));
	CHECK(mi.complete);
	CHECK_EQ(mi.lapic_addr, 0xfee00000);
	CHECK(!mi.lapic_override);
	CHECK_EQ(mi.flags, 0);
	CHECK_EQ(mi.stored, 4);
	CHECK_EQ(mi.enabled, 4);
	CHECK_EQ(mi.disabled, 0);
	CHECK_EQ(mi.overflow, 0);
	CHECK_EQ(mi.max_apic_id, 3);
	CHECK_EQ(cpus[3].apic_id, 3);
	CHECK_EQ(cpus[3].uid, 0);
	CHECK_EQ(cpus[3].flags, MADT_ENABLED);
	CHECK(!cpus[3].x2apic_entry);
	CHECK_EQ(d.n, 0);

	/* Exactly the base table's bytes available is enough. */
	CHECK(walk(m.b, m.n, &mi, &d, 16));
	CHECK(mi.complete);
	/* A small cpus[]: the rest are counted as overflow. */
	CHECK(walk(m.b, m.n, &mi, &d, 2));
	CHECK_EQ(mi.stored, 2);
	CHECK_EQ(mi.overflow, 2);
}

static void processors(void)
{
	struct mpt m;
	struct madt_info mi;
	struct diag d;

	/* A disabled processor (EN = 0) is counted, stored without MADT_ENABLED. */
	mt_begin(&m, 0xfee00000);
	mt_cpu(&m, 0, 3);
	mt_cpu(&m, 6, 0);
	mt_cpu(&m, 2, 1);
	CHECK(walk(mt_end(&m), m.n, &mi, &d, 16));
	CHECK_EQ(mi.enabled, 2);
	CHECK_EQ(mi.disabled, 1);
	CHECK_EQ(mi.stored, 3);
	CHECK_EQ(cpus[1].apic_id, 6);
	CHECK_EQ(cpus[1].flags, 0);
	CHECK_EQ(mi.max_apic_id, 2);            /* only enabled CPUs count */
	CHECK(mi.complete);
	CHECK_EQ(d.n, 0);

	/* A repeated APIC ID: reported, the second entry ignored. */
	mt_begin(&m, 0xfee00000);
	mt_cpu(&m, 0, 3);
	mt_cpu(&m, 1, 1);
	mt_cpu(&m, 1, 1);
	CHECK(walk(mt_end(&m), m.n, &mi, &d, 16));
	CHECK_EQ(mi.stored, 2);
	CHECK_EQ(mi.enabled, 2);
	CHECK_EQ(d.n, 1);
	CHECK(strstr(d.msg[0], "APIC ID 1 twice") != 0);
	CHECK(mi.complete);

	/* APIC ID 0xff (the broadcast ID) is ignored, as in the MADT walk. */
	mt_begin(&m, 0xfee00000);
	mt_cpu(&m, 0, 3);
	mt_cpu(&m, 0xff, 1);
	CHECK(walk(mt_end(&m), m.n, &mi, &d, 16));
	CHECK_EQ(mi.stored, 1);
	CHECK_EQ(d.n, 1);
	CHECK(strstr(d.msg[0], "0xff") != 0);

	/* No processor entry at all: usable, but said. */
	mt_begin(&m, 0xfee00000);
	mt_raw8(&m, 1, "\0ISA   ");
	CHECK(walk(mt_end(&m), m.n, &mi, &d, 16));
	CHECK_EQ(mi.enabled, 0);
	CHECK(mi.complete);
	CHECK(strstr(d.msg[0], "no enabled processor") != 0);
}

static void bad_tables(void)
{
	struct mpt m;
	struct madt_info mi;
	struct diag d;

	/* Bad signature. */
	mt_begin(&m, 0xfee00000);
	mt_cpu(&m, 0, 3);
	mt_end(&m);
	m.b[0] = 'X';
	fix_checksum(m.b, m.n, 7);
	CHECK(!walk(m.b, m.n, &mi, &d, 16));
	CHECK(strstr(d.msg[0], "PCMP") != 0);
	CHECK_EQ(mi.stored, 0);
	CHECK(!mi.complete);

	/* Bad checksum: the table is not used at all (Linux's smp_check_mpc()). */
	mt_begin(&m, 0xfee00000);
	mt_cpu(&m, 0, 3);
	mt_cpu(&m, 1, 1);
	mt_end(&m);
	m.b[7] ^= 1;
	CHECK(!walk(m.b, m.n, &mi, &d, 16));
	CHECK(strstr(d.msg[0], "checksum") != 0);
	CHECK_EQ(mi.stored, 0);
	CHECK_EQ(mi.enabled, 0);
	CHECK(!mi.complete);

	/* Revision other than 1 or 4, and a null local APIC address. */
	mt_begin(&m, 0xfee00000);
	mt_cpu(&m, 0, 3);
	m.b[6] = 2;
	CHECK(!walk(mt_end(&m), m.n, &mi, &d, 16));
	CHECK(strstr(d.msg[0], "revision 2") != 0);
	mt_begin(&m, 0);
	mt_cpu(&m, 0, 3);
	CHECK(!walk(mt_end(&m), m.n, &mi, &d, 16));
	CHECK(strstr(d.msg[0], "local APIC address is 0") != 0);
	m.b[6] = 1;             /* MP 1.1 is accepted */
	put32(m.b + 36, 0xfee00000);
	CHECK(walk(mt_end(&m), m.n, &mi, &d, 16));

	/* Truncated: the length says more bytes than are readable. */
	mt_begin(&m, 0xfee00000);
	mt_cpu(&m, 0, 3);
	mt_cpu(&m, 1, 1);
	mt_end(&m);
	uint8_t *copy = malloc(m.n - 1);        /* exact size: ASan sees any over-read */
	memcpy(copy, m.b, m.n - 1);
	CHECK(!walk(copy, m.n - 1, &mi, &d, 16));
	CHECK(strstr(d.msg[0], "length 84 is outside 44..83") != 0);
	free(copy);
	/* Shorter than the header, NULL, a length below the header. */
	CHECK(!walk(m.b, 43, &mi, &d, 16));
	CHECK(strstr(d.msg[0], "44-byte header") != 0);
	CHECK(!walk(0, 100, &mi, &d, 16));
	put16(m.b + 4, 40);
	CHECK(!walk(m.b, m.n, &mi, &d, 16));
	CHECK(strstr(d.msg[0], "outside 44") != 0);

	/* A count larger than the entries that fit: the ones that fit are kept. */
	mt_begin(&m, 0xfee00000);
	mt_cpu(&m, 0, 3);
	mt_cpu(&m, 1, 1);
	m.count = 5;
	mt_end(&m);
	copy = malloc(m.n);
	memcpy(copy, m.b, m.n);
	CHECK(walk(copy, m.n, &mi, &d, 16));
	CHECK_EQ(mi.enabled, 2);
	CHECK(!mi.complete);
	CHECK(strstr(d.msg[0], "count 5 but only 2 entries fit") != 0);
	free(copy);

	/* The last entry cut by the length: stops there, nothing read past it. */
	mt_begin(&m, 0xfee00000);
	mt_cpu(&m, 0, 3);
	mt_cpu(&m, 1, 1);
	m.n -= 6;
	mt_end(&m);
	copy = malloc(m.n);
	memcpy(copy, m.b, m.n);
	CHECK(walk(copy, m.n, &mi, &d, 16));
	CHECK_EQ(mi.enabled, 1);
	CHECK(!mi.complete);
	CHECK(strstr(d.msg[0], "entry 1 at offset 64 (type 0) runs past length 78") != 0);
	free(copy);

	/* An unknown entry type: its length is unknown, so the walk stops. */
	mt_begin(&m, 0xfee00000);
	mt_cpu(&m, 0, 3);
	mt_raw8(&m, 0x80, "1234567");
	mt_cpu(&m, 1, 1);
	CHECK(walk(mt_end(&m), m.n, &mi, &d, 16));
	CHECK_EQ(mi.enabled, 1);
	CHECK(!mi.complete);
	CHECK(strstr(d.msg[0], "unknown type 128: walk stopped") != 0);

	/* Count 0 with entries present: nothing walked, and that is complete. */
	mt_begin(&m, 0xfee00000);
	mt_cpu(&m, 0, 3);
	m.count = 0;
	CHECK(walk(mt_end(&m), m.n, &mi, &d, 16));
	CHECK_EQ(mi.enabled, 0);
	CHECK(mi.complete);

	/* The largest count with no entries must end at once. */
	mt_begin(&m, 0xfee00000);
	m.count = 0xffff;
	CHECK(walk(mt_end(&m), m.n, &mi, &d, 16));
	CHECK(!mi.complete);
	CHECK(strstr(d.msg[0], "count 65535 but only 0") != 0);
}

static void floating_pointer(void)
{
	static uint8_t area[1024];
	struct mp_fps f;
	struct diag d = { 0 };

	/* The scan takes 16-byte boundaries only, and a valid structure only. */
	memset(area, 0, sizeof(area));
	fps_make(area + 0x108, 0x9fc00, 1, 4, 0);       /* misaligned: skipped */
	CHECK_EQ(mp_scan_fps(area, sizeof(area)), -1);
	fps_make(area + 0x200, 0x9fc00, 1, 4, 0);
	area[0x20c] ^= 1;                               /* bad checksum: skipped */
	fps_make(area + 0x300, 0x9fc00, 1, 4, 0);
	CHECK_EQ(mp_scan_fps(area, sizeof(area)), 0x300);
	CHECK_EQ(mp_scan_fps(area, 0x30f), -1);         /* would end past the area */
	CHECK_EQ(mp_scan_fps(area, 0x310), 0x300);
	CHECK_EQ(mp_scan_fps(area, 15), -1);
	CHECK_EQ(mp_scan_fps(area, 0), -1);

	/* Bad checksum and bad signature in the parser. */
	CHECK(!mp_fps_parse(area + 0x200, 16, &f, &d));
	CHECK(strstr(d.msg[d.n - 1], "checksum") != 0);
	CHECK(!mp_fps_parse(area + 0x108 + 1, 16, &f, &d));
	CHECK(strstr(d.msg[d.n - 1], "_MP_") != 0);
	CHECK(!mp_fps_parse(area + 0x300, 15, &f, &d));
	CHECK(!mp_fps_parse(0, 16, &f, &d));

	/* Length 0: never valid (it would checksum nothing). */
	memset(area, 0, sizeof(area));
	fps_make(area + 0x40, 0x9fc00, 0, 4, 0);
	CHECK_EQ(mp_scan_fps(area, sizeof(area)), -1);
	CHECK(!mp_fps_parse(area + 0x40, 16, &f, &d));
	CHECK(strstr(d.msg[d.n - 1], "length 0") != 0);

	/* Length 255 (4080 bytes): past the area, rejected without reading past it. */
	fps_make(area + 0x40, 0x9fc00, 1, 4, 0);
	area[0x48] = 255;
	area[0x4a] = (uint8_t)(area[0x4a] - 254);       /* the 16 bytes still sum to 0 */
	uint8_t *copy = malloc(sizeof(area) - 0x40);
	memcpy(copy, area + 0x40, sizeof(area) - 0x40);
	CHECK_EQ(mp_scan_fps(copy, sizeof(area) - 0x40), -1);
	CHECK(!mp_fps_parse(copy, sizeof(area) - 0x40, &f, &d));
	CHECK(strstr(d.msg[d.n - 1], "length 255") != 0);
	free(copy);

	/* Length 2: 32 bytes checksummed, all of them. */
	memset(area, 0, sizeof(area));
	fps_make(area + 0x40, 0x9fc00, 2, 4, 0);
	CHECK_EQ(mp_scan_fps(area, sizeof(area)), 0x40);
	CHECK_EQ(mp_scan_fps(area, 0x40 + 31), -1);     /* the second paragraph is cut */
	area[0x40 + 20] = 1;                            /* in the second paragraph */
	CHECK_EQ(mp_scan_fps(area, sizeof(area)), -1);

	/* Revision other than 1 or 4 (Linux's smp_scan_config()), MP 1.1 accepted. */
	fps_make(area + 0x40, 0x9fc00, 1, 2, 0);
	CHECK_EQ(mp_scan_fps(area, sizeof(area)), -1);
	CHECK(!mp_fps_parse(area + 0x40, 16, &f, &d));
	CHECK(strstr(d.msg[d.n - 1], "revision 2") != 0);
	fps_make(area + 0x40, 0x9fc00, 1, 1, 0);
	CHECK(mp_fps_parse(area + 0x40, 16, &f, &d));
	CHECK_EQ(f.spec_rev, 1);

	/* Neither a table nor a default configuration. */
	fps_make(area + 0x40, 0, 1, 4, 0);
	CHECK(!mp_fps_parse(area + 0x40, 16, &f, &d));
	CHECK(strstr(d.msg[d.n - 1], "no configuration table") != 0);
}

static void defaults(void)
{
	static uint8_t area[16];
	struct mp_fps f;
	struct madt_info mi;
	struct diag d = { 0 };

	/* Default configuration 5 (ISA + PCI, integrated APIC): no table. */
	fps_make(area, 0, 1, 4, 5);
	CHECK(mp_fps_parse(area, sizeof(area), &f, &d));
	CHECK_EQ(f.default_config, 5);
	CHECK_EQ(f.config_pa, 0);
	CHECK_EQ(d.n, 0);

	memset(&mi, 0x5a, sizeof(mi));
	mi.cpus = cpus;
	mi.cap = 16;
	mp_default_cpus(&mi, &d);
	CHECK(mi.complete);
	CHECK_EQ(mi.lapic_addr, 0xfee00000);
	CHECK_EQ(mi.stored, 2);
	CHECK_EQ(mi.enabled, 2);
	CHECK_EQ(mi.disabled, 0);
	CHECK_EQ(mi.overflow, 0);
	CHECK_EQ(mi.max_apic_id, 1);
	CHECK_EQ(cpus[0].apic_id, 0);
	CHECK_EQ(cpus[1].apic_id, 1);
	CHECK_EQ(cpus[1].flags, MADT_ENABLED);
	CHECK_EQ(d.n, 0);

	/* An undefined default configuration: still two CPUs, with a word said. */
	fps_make(area, 0, 1, 4, 9);
	CHECK(mp_fps_parse(area, sizeof(area), &f, &d));
	CHECK_EQ(d.n, 1);
	CHECK(strstr(d.msg[0], "configuration 9 is unknown") != 0);
}

int main(void)
{
	seabios();
	processors();
	bad_tables();
	floating_pointer();
	defaults();
	return check_report("mptable");
}
