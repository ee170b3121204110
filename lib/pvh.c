/* SPDX-License-Identifier: MIT */
/* The PVH start info: see pvh.h. */
#include "lib/pvh.h"

#include "lib/le.h"

static void copy_str(char *dst, unsigned size, const char *src)
{
	unsigned i = 0;

	for (; src[i] && i + 1 < size; i++)
		dst[i] = src[i];
	dst[i] = '\0';
}

/* The command line: a NUL-terminated string; read up to MB2_CMDLINE_MAX bytes. */
static void cmdline(const struct phys_map *m, uint64_t pa, struct mb2_info *b)
{
	const uint8_t *s;

	if (!pa || !(s = m->map(m->ctx, pa, 1)))
		return;
	b->has_cmdline = true;
	unsigned n = 0;
	for (; n < MB2_CMDLINE_MAX - 1; n++) {
		const uint8_t *c = m->map(m->ctx, pa + n, 1);
		if (!c || !*c)
			break;
		b->cmdline[n] = (char)*c;
	}
	b->cmdline[n] = '\0';
	const uint8_t *c = m->map(m->ctx, pa + n, 1);
	b->cmdline_truncated = n == MB2_CMDLINE_MAX - 1 && c && *c;
}

static bool memmap(const struct phys_map *m, uint64_t pa, uint32_t n, struct mb2_info *b)
{
	if (!pa || !n)
		return true;
	if (n > 0x10000)
		return false;           /* absurd: no firmware has that many ranges */
	const uint8_t *e = m->map(m->ctx, pa, n * PVH_MEMMAP_ENTRY_LEN);
	if (!e)
		return false;
	b->has_mmap = true;
	for (uint32_t i = 0; i < n; i++, e += PVH_MEMMAP_ENTRY_LEN) {
		/* An empty range says nothing (QEMU's microvm hands one over);
		 * Linux's e820__update_table() drops them too. */
		if (rd64(e + 8) == 0)
			continue;
		if (b->mmap_count == MB2_MMAP_MAX) {
			b->mmap_truncated = true;
			break;
		}
		struct mb2_mmap_entry *d = &b->mmap[b->mmap_count++];
		d->addr = rd64(e);
		d->len = rd64(e + 8);
		d->type = rd32(e + 16);
	}
	return true;
}

/* ACPI 6.5 5.2.5.3: 20 bytes in revision 0, 36 from revision 2. */
static void rsdp(const struct phys_map *m, uint64_t pa, struct mb2_info *b)
{
	const uint8_t *r = pa ? m->map(m->ctx, pa, 20) : 0;

	if (!r)
		return;
	bool v2 = r[15] >= 2 && m->map(m->ctx, pa, MB2_RSDP_MAX);
	uint32_t len = v2 ? MB2_RSDP_MAX : 20;
	uint8_t *dst = v2 ? b->rsdp_new : b->rsdp_old;
	for (uint32_t i = 0; i < len; i++)
		dst[i] = r[i];
	if (v2) {
		b->has_rsdp_new = true;
		b->rsdp_new_len = len;
	} else {
		b->has_rsdp_old = true;
		b->rsdp_old_len = len;
	}
}

bool pvh_parse(const struct phys_map *m, uint64_t start_pa, struct mb2_info *b, const char **why)
{
	const uint8_t *s = start_pa ? m->map(m->ctx, start_pa, PVH_START_INFO_LEN) : 0;

	mb2_info_clear(b);
	*why = 0;
	if (!s) {
		*why = "no hvm_start_info (EBX is 0 or out of reach)";
		return false;
	}
	if (rd32(s) != XEN_HVM_START_MAGIC_VALUE) {
		*why = "hvm_start_info magic is not 336EC578H";
		return false;
	}
	b->is_pvh = true;
	b->has_loader = true;
	copy_str(b->loader, MB2_LOADER_MAX, "PVH");
	cmdline(m, rd64(s + 24), b);
	rsdp(m, rd64(s + 32), b);
	/* Version 1 adds the memory map; without it there is no safe low page. */
	if (rd32(s + 4) >= 1 && !memmap(m, rd64(s + 40), rd32(s + 48), b))
		*why = "hvm_start_info memory map is out of reach or absurd: ignored";
	else if (rd32(s + 4) < 1)
		*why = "hvm_start_info version 0: no memory map";
	return true;
}
