/* SPDX-License-Identifier: MIT */
/* What vmxprobe.efi reads from UEFI, as boot information: see efi.h. */
#include "lib/efi.h"

#include "lib/le.h"

/* The __builtin_ forms: the kernel's lib/string.c or the host's libc. */

bool efi_guid_eq(const struct efi_guid *a, const struct efi_guid *b)
{
	return __builtin_memcmp(a, b, sizeof(*a)) == 0;
}

uint32_t efi_memory_type_to_mb2(uint32_t efi_type)
{
	switch (efi_type) {
	case EFI_LOADER_CODE:
	case EFI_LOADER_DATA:
	case EFI_BOOT_SERVICES_CODE:
	case EFI_BOOT_SERVICES_DATA:
	case EFI_CONVENTIONAL_MEMORY:
		return MB2_MEMORY_AVAILABLE;
	case EFI_ACPI_RECLAIM_MEMORY:
		return MB2_MEMORY_ACPI;
	case EFI_ACPI_MEMORY_NVS:
		return MB2_MEMORY_NVS;
	case EFI_UNUSABLE_MEMORY:
		return MB2_MEMORY_BADRAM;
	default:        /* reserved, runtime services, MMIO, PAL code, persistent, unaccepted */
		return MB2_MEMORY_RESERVED;
	}
}

void efi_mmap_convert(const void *map, uint64_t size, uint64_t desc_size, struct mb2_info *info)
{
	const uint8_t *p = map;

	info->has_mmap = true;
	info->mmap_count = 0;
	info->mmap_truncated = false;
	if (desc_size < sizeof(struct efi_memory_descriptor))
		return;
	for (uint64_t off = 0; off + desc_size <= size; off += desc_size) {
		struct efi_memory_descriptor d;

		__builtin_memcpy(&d, p + off, sizeof(d));
		if (!d.number_of_pages || d.number_of_pages > (UINT64_MAX >> 12))
			continue;
		uint64_t len = d.number_of_pages << 12;
		uint32_t type = efi_memory_type_to_mb2(d.type);
		struct mb2_mmap_entry *last = info->mmap_count ? &info->mmap[info->mmap_count - 1] : 0;

		/* GetMemoryMap() lists descriptors in address order on every
		 * firmware seen; merge a run of the same Multiboot2 type. */
		if (last && last->type == type && last->addr + last->len == d.physical_start) {
			last->len += len;
			continue;
		}
		if (info->mmap_count == MB2_MMAP_MAX) {
			info->mmap_truncated = true;
			return;
		}
		info->mmap[info->mmap_count++] = (struct mb2_mmap_entry){ d.physical_start, len, type };
	}
}

static bool ends_with_efi(const char *w, size_t n)
{
	static const char ext[] = ".efi";

	if (n < 4)
		return false;
	for (size_t i = 0; i < 4; i++) {
		char c = w[n - 4 + i];

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != ext[i])
			return false;
	}
	return true;
}

bool efi_cmdline(const void *opts, uint32_t bytes, struct mb2_info *info)
{
	const uint8_t *p = opts;
	char *out = info->cmdline;
	size_t n = 0, max = sizeof(info->cmdline) - 1;

	info->has_cmdline = true;
	info->cmdline_truncated = false;
	out[0] = '\0';
	if (!p)
		return true;
	/* UCS-2 text up to a NUL or the end; anything below a space other than
	 * tab, CR and LF (as whitespace) means binary data, not a command line. */
	for (uint32_t i = 0; i + 1 < bytes; i += 2) {
		uint16_t c = (uint16_t)(p[i] | p[i + 1] << 8);

		if (c == 0)
			break;
		if (c == '\t' || c == '\r' || c == '\n')
			c = ' ';
		else if (c < ' ' || c == 0x7f) {
			out[0] = '\0';
			return false;
		}
		if (n == max) {
			info->cmdline_truncated = true;
			break;
		}
		out[n++] = c < 0x80 ? (char)c : '?';
	}
	out[n] = '\0';

	/* Leading spaces, then the image's own name if it is first. */
	size_t s = 0;
	while (out[s] == ' ')
		s++;
	size_t w = s;
	while (out[w] && out[w] != ' ')
		w++;
	bool has_eq = false;
	for (size_t i = s; i < w; i++)
		has_eq |= out[i] == '=';
	if (!has_eq && ends_with_efi(out + s, w - s))
		s = w;
	while (out[s] == ' ')
		s++;
	__builtin_memmove(out, out + s, n - s + 1);
	/* Trailing spaces too (the Shell leaves one). */
	n -= s;
	while (n && out[n - 1] == ' ')
		out[--n] = '\0';
	return true;
}

/* The position and width of a contiguous mask (0, 0 for none). */
static void mask_field(uint32_t mask, uint8_t *pos, uint8_t *size)
{
	*pos = 0;
	*size = 0;
	if (!mask)
		return;
	while (!(mask & 1)) {
		mask >>= 1;
		(*pos)++;
	}
	while (mask & 1) {
		mask >>= 1;
		(*size)++;
	}
}

bool efi_gop_framebuffer(const struct efi_gop_mode_info *mi, uint64_t base,
			 struct mb2_framebuffer *fb)
{
	__builtin_memset(fb, 0, sizeof(*fb));
	if (!base || !mi->horizontal_resolution || !mi->vertical_resolution)
		return false;
	switch (mi->pixel_format) {
	case EFI_PIXEL_RGB_RESERVED_8BPC:       /* byte 0 red, 1 green, 2 blue */
		mask_field(0x0000ff, &fb->red_pos, &fb->red_size);
		mask_field(0x00ff00, &fb->green_pos, &fb->green_size);
		mask_field(0xff0000, &fb->blue_pos, &fb->blue_size);
		break;
	case EFI_PIXEL_BGR_RESERVED_8BPC:       /* byte 0 blue, 1 green, 2 red */
		mask_field(0xff0000, &fb->red_pos, &fb->red_size);
		mask_field(0x00ff00, &fb->green_pos, &fb->green_size);
		mask_field(0x0000ff, &fb->blue_pos, &fb->blue_size);
		break;
	case EFI_PIXEL_BIT_MASK:
		mask_field(mi->red_mask, &fb->red_pos, &fb->red_size);
		mask_field(mi->green_mask, &fb->green_pos, &fb->green_size);
		mask_field(mi->blue_mask, &fb->blue_pos, &fb->blue_size);
		if (!fb->red_size || !fb->green_size || !fb->blue_size)
			return false;
		break;
	default:                                /* BLT only: no framebuffer to write */
		return false;
	}
	/* Section 12.9: every pixel format with a framebuffer has 32-bit pixels. */
	fb->addr = base;
	fb->bpp = 32;
	fb->type = MB2_FB_RGB;
	fb->width = mi->horizontal_resolution;
	fb->height = mi->vertical_resolution;
	fb->pitch = mi->pixels_per_scan_line * 4;
	return true;
}

#define PE_DOS_LFANEW           0x3c
#define PE_OPT_MAGIC_PE32PLUS   0x20b
#define PE_OPT_NUMRVA           108     /* NumberOfRvaAndSizes, PE32+ */
#define PE_OPT_DIRS             112     /* the data directories, PE32+ */
#define PE_DIR_BASERELOC        5
#define IMAGE_REL_BASED_ABSOLUTE 0
#define IMAGE_REL_BASED_DIR64   10

long efi_pe_relocate(uint8_t *image, uint64_t size, uint64_t delta)
{
	/* "MS-DOS Stub", "Signature", "COFF File Header", "Optional Header
	 * Data Directories (Image Only)": PE32+, base relocation table (5). */
	if (size < 0x40 || image[0] != 'M' || image[1] != 'Z')
		return -1;
	uint64_t pe = rd32(image + PE_DOS_LFANEW), opt = pe + 24;
	if (pe > size || size - pe < 24 + PE_OPT_DIRS + 8 * (PE_DIR_BASERELOC + 1) ||
	    rd32(image + pe) != 0x00004550 || rd16(image + opt) != PE_OPT_MAGIC_PE32PLUS ||
	    rd32(image + opt + PE_OPT_NUMRVA) <= PE_DIR_BASERELOC)
		return -1;
	uint64_t rva = rd32(image + opt + PE_OPT_DIRS + 8 * PE_DIR_BASERELOC);
	uint64_t len = rd32(image + opt + PE_OPT_DIRS + 8 * PE_DIR_BASERELOC + 4);
	if (rva > size || len > size - rva)
		return -1;
	long applied = 0;
	for (uint64_t off = 0; off < len;) {
		if (len - off < 8)
			return -1;
		uint64_t page = rd32(image + rva + off), block = rd32(image + rva + off + 4);
		if (block < 8 || block > len - off || block % 2)
			return -1;
		for (uint64_t e = 8; e < block; e += 2) {
			uint16_t entry = rd16(image + rva + off + e);
			uint64_t at = page + (entry & 0xfff);

			if (entry >> 12 == IMAGE_REL_BASED_ABSOLUTE)
				continue;
			if (entry >> 12 != IMAGE_REL_BASED_DIR64 || at > size || size - at < 8)
				return -1;
			uint64_t v = rd64(image + at) + delta;
			__builtin_memcpy(image + at, &v, 8);
			applied++;
		}
		off += block;
	}
	return applied;
}

enum efi_secure_boot efi_secure_boot_state(int secure_boot, int setup_mode)
{
	/* Section 32.3 "Firmware/OS Key Exchange", "Secure Boot Mode": in setup
	 * mode (no Platform Key) nothing is enforced, whatever SecureBoot says. */
	if (setup_mode == 1)
		return EFI_SB_SETUP;
	if (secure_boot == 1)
		return EFI_SB_ON;
	if (secure_boot == 0 || secure_boot == -1)
		return EFI_SB_OFF;     /* absent: firmware without Secure Boot */
	return EFI_SB_UNKNOWN;
}

const char *efi_secure_boot_str(enum efi_secure_boot s)
{
	switch (s) {
	case EFI_SB_OFF:
		return "off";
	case EFI_SB_ON:
		return "on";
	case EFI_SB_SETUP:
		return "setup";
	default:
		return "unknown";
	}
}
