/* SPDX-License-Identifier: MIT */
/* Multiboot2 boot-information walker: see mb2.h. */
#include "lib/mb2.h"

#include "lib/le.h"

void mb2_info_clear(struct mb2_info *info)
{
	uint8_t *d = (uint8_t *)info;

	for (size_t n = sizeof(*info); n--; )
		*d++ = 0;
}

/* Copy a string field of at most n bytes (it need not be NUL-terminated). */
static bool copy_str(char *dst, size_t cap, const uint8_t *src, size_t n)
{
	size_t i = 0;

	while (i < n && src[i] && i + 1 < cap) {
		dst[i] = (char)src[i];
		i++;
	}
	dst[i] = '\0';
	return i < n && src[i] != '\0';  /* truncated */
}

static uint32_t copy_bytes(uint8_t *dst, size_t cap, const uint8_t *src, size_t n)
{
	uint32_t i;

	for (i = 0; i < n && i < cap; i++)
		dst[i] = src[i];
	return i;
}

/* Section 3.6.8 "Memory map": entry_size (multiple of 8, >= 24), entry_version, entries. */
static bool parse_mmap(struct mb2_info *info, const uint8_t *t, uint32_t size)
{
	if (size < 16)
		return false;
	uint32_t esize = rd32(t + 8);
	if (esize < 24 || esize % 8)
		return false;
	info->has_mmap = true;
	/* esize <= size - off, not off + esize <= size: a huge entry_size must not wrap. */
	for (uint32_t off = 16; esize <= size - off; off += esize) {
		if (info->mmap_count == MB2_MMAP_MAX) {
			info->mmap_truncated = true;
			break;
		}
		struct mb2_mmap_entry *e = &info->mmap[info->mmap_count++];
		e->addr = rd64(t + off);
		e->len = rd64(t + off + 8);
		e->type = rd32(t + off + 16);
	}
	return true;
}

/* Section 3.6.12 "Framebuffer info". */
static bool parse_fb(struct mb2_info *info, const uint8_t *t, uint32_t size)
{
	if (size < 31)
		return false;
	struct mb2_framebuffer *fb = &info->fb;
	fb->addr = rd64(t + 8);
	fb->pitch = rd32(t + 16);
	fb->width = rd32(t + 20);
	fb->height = rd32(t + 24);
	fb->bpp = t[28];
	fb->type = t[29];
	if (fb->type == 1 && size >= 38) {      /* direct RGB colour */
		fb->red_pos = t[32];
		fb->red_size = t[33];
		fb->green_pos = t[34];
		fb->green_size = t[35];
		fb->blue_pos = t[36];
		fb->blue_size = t[37];
	}
	info->has_fb = true;
	return true;
}

static bool parse_tag(struct mb2_info *info, uint32_t type, const uint8_t *t, uint32_t size)
{
	const uint8_t *body = t + 8;
	uint32_t blen = size - 8;

	switch (type) {
	case MB2_TAG_CMDLINE:
		info->has_cmdline = true;
		info->cmdline_truncated = copy_str(info->cmdline, sizeof(info->cmdline), body, blen);
		return true;
	case MB2_TAG_LOADER_NAME:
		info->has_loader = true;
		copy_str(info->loader, sizeof(info->loader), body, blen);
		return true;
	case MB2_TAG_BASIC_MEMINFO:
		if (blen < 8)
			return false;
		info->has_meminfo = true;
		info->mem_lower_kb = rd32(body);
		info->mem_upper_kb = rd32(body + 4);
		return true;
	case MB2_TAG_MMAP:
		return parse_mmap(info, t, size);
	case MB2_TAG_FRAMEBUFFER:
		return parse_fb(info, t, size);
	case MB2_TAG_EFI32:
		if (blen < 4)
			return false;
		info->has_efi32 = true;
		info->efi_systab = rd32(body);
		return true;
	case MB2_TAG_EFI64:
		if (blen < 8)
			return false;
		info->has_efi64 = true;
		info->efi_systab = rd64(body);
		return true;
	case MB2_TAG_ACPI_OLD:
		info->has_rsdp_old = true;
		info->rsdp_old_len = copy_bytes(info->rsdp_old, sizeof(info->rsdp_old), body, blen);
		return true;
	case MB2_TAG_ACPI_NEW:
		info->has_rsdp_new = true;
		info->rsdp_new_len = copy_bytes(info->rsdp_new, sizeof(info->rsdp_new), body, blen);
		return true;
	case MB2_TAG_EFI_MMAP:
		info->has_efi_mmap = true;
		return true;
	case MB2_TAG_EFI_BS:
		info->efi_bs_active = true;
		return true;
	default:
		return true;    /* section 3.6: unknown tags must be ignored */
	}
}

static enum mb2_error fail(struct mb2_info *info, enum mb2_error e, uint32_t off,
			   uint32_t type, uint32_t size)
{
	info->error = e;
	info->error_offset = off;
	info->error_type = type;
	info->error_size = size;
	return e;
}

enum mb2_error mb2_parse(const void *mbi, size_t limit, struct mb2_info *info)
{
	const uint8_t *base = mbi;

	mb2_info_clear(info);
	if (!base)
		return fail(info, MB2_ERR_NULL, 0, 0, 0);
	if ((uintptr_t)base & 7)
		return fail(info, MB2_ERR_MISALIGNED, 0, 0, 0);
	if (limit < 8)
		return fail(info, MB2_ERR_TOTAL_SIZE, 0, 0, 0);
	/* Section 3.6.1: total_size (u32), reserved (u32), then tags from offset 8. */
	uint32_t total = rd32(base);
	info->total_size = total;
	if (total < 8 || total > limit)
		return fail(info, MB2_ERR_TOTAL_SIZE, 0, 0, total);

	uint32_t off = 8;
	for (;;) {
		if (off > total - 8)
			return fail(info, off == total ? MB2_ERR_NO_END : MB2_ERR_TAG_TRUNCATED,
				    off, 0, 0);
		const uint8_t *t = base + off;
		uint32_t type = rd32(t), size = rd32(t + 4);
		if (size < 8)
			return fail(info, MB2_ERR_TAG_SIZE, off, type, size);
		if (size > total - off)
			return fail(info, MB2_ERR_TAG_OVERRUN, off, type, size);
		info->tags++;
		if (type == MB2_TAG_END)
			return MB2_OK;
		if (!parse_tag(info, type, t, size))
			return fail(info, MB2_ERR_TAG_SHORT, off, type, size);
		/* Section 3.6.2: tags are padded to start at 8-byte alignment. */
		uint32_t next = (size + 7) & ~7u;
		if (next > total - off)
			return fail(info, MB2_ERR_NO_END, off, type, size);
		off += next;
	}
}

const char *mb2_error_str(enum mb2_error e)
{
	switch (e) {
	case MB2_OK:                return "ok";
	case MB2_ERR_NULL:          return "no boot information";
	case MB2_ERR_MISALIGNED:    return "boot information not 8-byte aligned";
	case MB2_ERR_TOTAL_SIZE:    return "total_size out of range";
	case MB2_ERR_TAG_TRUNCATED: return "tag header runs past total_size";
	case MB2_ERR_TAG_SIZE:      return "tag size below 8";
	case MB2_ERR_TAG_OVERRUN:   return "tag runs past total_size";
	case MB2_ERR_TAG_SHORT:     return "tag too short for its fields";
	case MB2_ERR_NO_END:        return "no end tag";
	}
	return "unknown error";
}

bool mb2_is_uefi(const struct mb2_info *info)
{
	return info->has_efi32 || info->has_efi64 || info->has_efi_mmap;
}

static bool page_free(const struct mb2_info *b, uint64_t pa)
{
	bool inside = false;

	for (unsigned i = 0; i < b->mmap_count; i++) {
		const struct mb2_mmap_entry *e = &b->mmap[i];
		uint64_t end = e->addr + e->len;
		if (end < e->addr)
			end = UINT64_MAX;       /* wraps: treat as reaching the top */
		if (pa + 4096 <= e->addr || pa >= end)
			continue;               /* no overlap */
		if (e->type != MB2_MEMORY_AVAILABLE)
			return false;           /* overlaps something in use */
		if (e->addr <= pa && pa + 4096 <= end)
			inside = true;
	}
	return inside;
}

uint64_t mb2_pick_page(const struct mb2_info *b, uint64_t lo, uint64_t hi)
{
	lo = (lo + 4095) & ~4095ull;
	hi &= ~4095ull;
	for (uint64_t pa = hi; pa >= lo + 4096; pa -= 4096)
		if (page_free(b, pa - 4096))
			return pa - 4096;
	return 0;
}
