/* SPDX-License-Identifier: MIT */
/* MultiProcessor Specification tables, pure: see mptable.h. Section numbers are MP 1.4's. */
#include "lib/mptable.h"

#include "lib/le.h"

/* 4.3 "Base MP Configuration Table Entries", Table 4-3: entry types and lengths. */
#define MP_PROCESSOR            0       /* 20 bytes */
#define MP_BUS                  1       /* 8 bytes */
#define MP_IOAPIC               2       /* 8 bytes */
#define MP_INTSRC               3       /* 8 bytes: I/O interrupt assignment */
#define MP_LINTSRC              4       /* 8 bytes: local interrupt assignment */

/* 4.3.1 "Processor Entries": CPU flags. */
#define MP_CPU_ENABLED          0x1     /* EN: "If zero, this processor is unusable" */
#define MP_CPU_BOOTPROCESSOR    0x2     /* BP */

static bool sig_is(const uint8_t *p, const char *sig)
{
	for (unsigned i = 0; i < 4; i++)
		if (p[i] != (uint8_t)sig[i])
			return false;
	return true;
}

static bool sum_ok(const uint8_t *p, size_t len)
{
	uint8_t sum = 0;

	while (len--)
		sum = (uint8_t)(sum + *p++);
	return sum == 0;
}

/*
 * 4.1 "MP Floating Pointer Structure": signature "_MP_" at 0, the configuration
 * table's address at 4, the length in 16-byte units at 8 (1 for this version),
 * the spec revision at 9 (1: MP 1.1, 4: MP 1.4), the checksum at 10 ("all
 * bytes specified by the length field, including CHECKSUM and reserved bytes,
 * must add up to zero"), feature byte 1 at 11.
 */
enum fps_fault { FPS_OK, FPS_SHORT, FPS_SIG, FPS_LENGTH, FPS_CHECKSUM, FPS_REV };

static enum fps_fault fps_check(const uint8_t *p, size_t avail)
{
	if (avail < MP_FPS_LEN)
		return FPS_SHORT;
	if (!sig_is(p, "_MP_"))
		return FPS_SIG;
	if (p[8] == 0 || (size_t)p[8] * 16 > avail)
		return FPS_LENGTH;
	if (!sum_ok(p, (size_t)p[8] * 16))
		return FPS_CHECKSUM;
	/* Linux's smp_scan_config() takes only revisions 1 and 4. */
	if (p[9] != 1 && p[9] != 4)
		return FPS_REV;
	return FPS_OK;
}

long mp_scan_fps(const uint8_t *base, size_t len)
{
	/* As Linux's smp_scan_config(): an invalid candidate is skipped and the
	 * scan goes on at the next 16-byte boundary. */
	for (size_t off = 0; len >= MP_FPS_LEN && off <= len - MP_FPS_LEN; off += 16)
		if (fps_check(base + off, len - off) == FPS_OK)
			return (long)off;
	return -1;
}

bool mp_fps_parse(const uint8_t *p, size_t avail, struct mp_fps *out, struct diag *d)
{
	out->config_pa = 0;
	out->spec_rev = 0;
	out->default_config = 0;
	if (!p)
		avail = 0;
	switch (fps_check(p, avail)) {
	case FPS_OK:
		break;
	case FPS_SHORT:
		diag_add(d, "MP floating pointer shorter than 16 bytes (have %zu)", avail);
		return false;
	case FPS_SIG:
		diag_add(d, "MP floating pointer signature is not \"_MP_\"");
		return false;
	case FPS_LENGTH:
		diag_add(d, "MP floating pointer length %u x 16 bytes: not 1..%zu", p[8], avail / 16);
		return false;
	case FPS_CHECKSUM:
		diag_add(d, "MP floating pointer checksum is bad");
		return false;
	case FPS_REV:
		diag_add(d, "MP floating pointer revision %u is not 1 or 4", p[9]);
		return false;
	}
	out->config_pa = rd32(p + 4);
	out->spec_rev = p[9];
	out->default_config = p[11];
	if (!out->default_config && !out->config_pa) {
		/* Linux's default_get_smp_config() BUG()s here: neither table nor default. */
		diag_add(d, "MP floating pointer has no configuration table and no default configuration");
		return false;
	}
	/* 5, Table 5-1: default configurations 1 to 7. Linux treats others as type 1
	 * (construct_ioapic_table(): "Unknown standard configuration"); the CPUs are
	 * the same two in every default configuration. */
	if (out->default_config > 7)
		diag_add(d, "MP default configuration %u is unknown: taken as two CPUs",
			 out->default_config);
	return true;
}

/* The counters as madt_parse() starts them. */
static void mi_reset(struct madt_info *mi)
{
	mi->stored = mi->enabled = mi->disabled = mi->overflow = 0;
	mi->max_apic_id = 0;
	mi->lapic_addr = 0;
	mi->lapic_override = false;
	mi->flags = 0;
	mi->complete = false;
}

/* 4.3, Table 4-3: the length of each entry type; 0 for the others ("All other
 * type codes are reserved"). */
static unsigned entry_len(uint8_t type)
{
	switch (type) {
	case MP_PROCESSOR:
		return 20;
	case MP_BUS:
	case MP_IOAPIC:
	case MP_INTSRC:
	case MP_LINTSRC:
		return 8;
	default:
		return 0;
	}
}

/*
 * 4.2 "MP Configuration Table Header": signature "PCMP" at 0, base table length
 * (u16) at 4, revision at 6, checksum at 7 (over the base table), entry count
 * (u16) at 34, local APIC address at 36; entries from offset 44. The extended
 * table after the base table is not used.
 */
bool mp_config_parse(const uint8_t *t, size_t avail, struct madt_info *mi, struct diag *d)
{
	mi_reset(mi);
	if (!t || avail < MP_CONFIG_HEADER_LEN) {
		diag_add(d, "MP table shorter than its 44-byte header");
		return false;
	}
	if (!sig_is(t, "PCMP")) {
		diag_add(d, "MP table signature is not \"PCMP\"");
		return false;
	}
	uint32_t len = rd16(t + 4);
	if (len < MP_CONFIG_HEADER_LEN || len > avail) {
		diag_add(d, "MP table length %u is outside 44..%zu", len, avail);
		return false;
	}
	/*
	 * Linux's smp_check_mpc() rejects a table whose checksum, revision (1 or 4)
	 * or local APIC address (0) is bad, and smp_read_mpc() then registers no
	 * CPU from it ("BIOS bug, MP table errors detected!"). The same here.
	 */
	if (!sum_ok(t, len)) {
		diag_add(d, "MP table checksum is bad: table not used");
		return false;
	}
	if (t[6] != 1 && t[6] != 4) {
		diag_add(d, "MP table revision %u is not 1 or 4: table not used", t[6]);
		return false;
	}
	uint32_t lapic = rd32(t + 36);
	if (!lapic) {
		diag_add(d, "MP table local APIC address is 0: table not used");
		return false;
	}
	mi->lapic_addr = lapic;

	unsigned count = rd16(t + 34), i;
	uint32_t off = MP_CONFIG_HEADER_LEN;
	for (i = 0; i < count; i++) {
		if (off >= len) {
			diag_add(d, "MP table entry count %u but only %u entries fit in length %u",
				 count, i, len);
			break;
		}
		const uint8_t *e = t + off;
		unsigned elen = entry_len(e[0]);
		if (!elen) {
			/* Its length is unknown, so nothing after it can be found. Linux's
			 * smp_read_mpc() stops there too and keeps what it has. */
			diag_add(d, "MP table entry %u at offset %u has unknown type %u: walk stopped",
				 i, off, e[0]);
			break;
		}
		if (elen > len - off) {
			diag_add(d, "MP table entry %u at offset %u (type %u) runs past length %u: walk stopped",
				 i, off, e[0], len);
			break;
		}
		/* 4.3.1 "Processor Entries": local APIC ID at 1, CPU flags at 3. */
		if (e[0] == MP_PROCESSOR) {
			if (e[1] == 0xff)
				diag_add(d, "MP processor entry at offset %u has APIC ID 0xff: ignored", off);
			else
				cpu_list_add(mi, e[1], 0, e[3] & MP_CPU_ENABLED ? MADT_ENABLED : 0,
					     false, d);
		}
		off += elen;
	}
	mi->complete = i == count;
	if (!mi->enabled)
		diag_add(d, "MP table lists no enabled processor");
	return true;
}

/*
 * 5 "Default Configurations": "1. The system supports two processors. ...
 * 3. The local APICs are located at base memory address 0FEE0_0000h. 4. The
 * local APIC IDs are assigned consecutively by hardware starting from zero."
 * So IDs 0 and 1, as Linux's construct_default_ISA_mptable() ("2 CPUs").
 */
void mp_default_cpus(struct madt_info *mi, struct diag *d)
{
	mi_reset(mi);
	mi->lapic_addr = MP_DEFAULT_LAPIC_ADDR;
	cpu_list_add(mi, 0, 0, MADT_ENABLED, false, d);
	cpu_list_add(mi, 1, 0, MADT_ENABLED, false, d);
	mi->complete = true;
}
