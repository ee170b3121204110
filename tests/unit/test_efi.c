/* SPDX-License-Identifier: MIT */
/* What vmxprobe.efi reads from UEFI, as boot information (lib/efi.c). */
#include "check.h"
#include "lib/efi.h"
#include "lib/string.h"

static struct mb2_info info;

/* A GetMemoryMap() buffer: descriptors of desc_size bytes (OVMF: 48). */
static size_t put(uint8_t *buf, size_t desc_size, unsigned i, uint32_t type, uint64_t start,
		  uint64_t pages)
{
	struct efi_memory_descriptor d = { type, start, 0, pages, 0 };

	memset(buf + i * desc_size, 0xee, desc_size);
	memcpy(buf + i * desc_size, &d, sizeof(d));
	return (i + 1) * desc_size;
}

static void memory_types(void)
{
	CHECK_EQ(efi_memory_type_to_mb2(EFI_CONVENTIONAL_MEMORY), MB2_MEMORY_AVAILABLE);
	CHECK_EQ(efi_memory_type_to_mb2(EFI_LOADER_CODE), MB2_MEMORY_AVAILABLE);
	CHECK_EQ(efi_memory_type_to_mb2(EFI_BOOT_SERVICES_DATA), MB2_MEMORY_AVAILABLE);
	CHECK_EQ(efi_memory_type_to_mb2(EFI_RUNTIME_SERVICES_DATA), MB2_MEMORY_RESERVED);
	CHECK_EQ(efi_memory_type_to_mb2(EFI_ACPI_RECLAIM_MEMORY), MB2_MEMORY_ACPI);
	CHECK_EQ(efi_memory_type_to_mb2(EFI_ACPI_MEMORY_NVS), MB2_MEMORY_NVS);
	CHECK_EQ(efi_memory_type_to_mb2(EFI_UNUSABLE_MEMORY), MB2_MEMORY_BADRAM);
	CHECK_EQ(efi_memory_type_to_mb2(EFI_MEMORY_MAPPED_IO), MB2_MEMORY_RESERVED);
	CHECK_EQ(efi_memory_type_to_mb2(EFI_UNACCEPTED_MEMORY_TYPE), MB2_MEMORY_RESERVED);
	CHECK_EQ(efi_memory_type_to_mb2(0x80000000u), MB2_MEMORY_RESERVED);  /* OEM */
}

/* OVMF's SMM build (q35, 512 MiB), the start of its map: adjacent available
 * kinds merge, the NVS stays apart, the step is desc_size, not the struct. */
static void mmap_convert(void)
{
	uint8_t buf[48 * 8];
	size_t n = 0;

	n = put(buf, 48, 0, EFI_BOOT_SERVICES_CODE, 0, 0x30);
	n = put(buf, 48, 1, EFI_CONVENTIONAL_MEMORY, 0x30000, 0x20);
	n = put(buf, 48, 2, EFI_ACPI_MEMORY_NVS, 0x807000, 1);
	n = put(buf, 48, 3, EFI_LOADER_DATA, 0x808000, 8);
	n = put(buf, 48, 4, EFI_ACPI_MEMORY_NVS, 0x810000, 0xf00);
	n = put(buf, 48, 5, EFI_LOADER_CODE, 0x1710000, 0x100);
	n = put(buf, 48, 6, EFI_RUNTIME_SERVICES_DATA, 0x1810000, 0x10);
	n = put(buf, 48, 7, EFI_ACPI_MEMORY_NVS, 0x1820000, 0);     /* empty: dropped */
	efi_mmap_convert(buf, n, 48, &info);
	CHECK(info.has_mmap);
	CHECK(!info.mmap_truncated);
	CHECK_EQ(info.mmap_count, 6);
	CHECK_EQ(info.mmap[0].addr, 0);
	CHECK_EQ(info.mmap[0].len, 0x50000);
	CHECK_EQ(info.mmap[0].type, MB2_MEMORY_AVAILABLE);
	CHECK_EQ(info.mmap[1].type, MB2_MEMORY_NVS);
	CHECK_EQ(info.mmap[4].addr, 0x1710000);
	CHECK_EQ(info.mmap[4].len, 0x100000);
	CHECK_EQ(info.mmap[5].type, MB2_MEMORY_RESERVED);

	/* A partial last descriptor is not read; a descriptor size below the
	 * structure gives no entries. */
	efi_mmap_convert(buf, 48 * 2 + 20, 48, &info);
	CHECK_EQ(info.mmap_count, 1);
	efi_mmap_convert(buf, n, 16, &info);
	CHECK_EQ(info.mmap_count, 0);
}

static void mmap_truncated(void)
{
	static uint8_t buf[40 * (MB2_MMAP_MAX + 2)];
	size_t n = 0;

	/* Alternating types, so nothing merges. */
	for (unsigned i = 0; i < MB2_MMAP_MAX + 2; i++)
		n = put(buf, 40, i, i % 2 ? EFI_ACPI_MEMORY_NVS : EFI_CONVENTIONAL_MEMORY,
			(uint64_t)i << 12, 1);
	efi_mmap_convert(buf, n, 40, &info);
	CHECK_EQ(info.mmap_count, MB2_MMAP_MAX);
	CHECK(info.mmap_truncated);
}

/* UCS-2 little-endian of an ASCII string, with or without its NUL. */
static uint32_t ucs2(uint8_t *out, const char *s, bool nul)
{
	uint32_t n = 0;

	for (; *s; s++) {
		out[n++] = (uint8_t)*s;
		out[n++] = 0;
	}
	if (nul) {
		out[n++] = 0;
		out[n++] = 0;
	}
	return n;
}

static void cmdline(void)
{
	uint8_t b[4096];

	/* The UEFI Shell: the image's name first, any case. */
	CHECK(efi_cmdline(b, ucs2(b, "fs0:\\EFI\\BOOT\\VMXPROBE.EFI exit=halt  smp=2 ", true), &info));
	CHECK_STR(info.cmdline, "exit=halt  smp=2");
	CHECK(info.has_cmdline);
	/* A boot entry's options: no name; no NUL at the end. */
	CHECK(efi_cmdline(b, ucs2(b, "console=ttyS1", false), &info));
	CHECK_STR(info.cmdline, "console=ttyS1");
	/* Only the name, or nothing. */
	CHECK(efi_cmdline(b, ucs2(b, "vmxprobe.efi", true), &info));
	CHECK_STR(info.cmdline, "");
	CHECK(efi_cmdline(0, 0, &info));
	CHECK_STR(info.cmdline, "");
	/* A word ending in .efi that is not first stays. */
	CHECK(efi_cmdline(b, ucs2(b, "x=a.efi", true), &info));
	CHECK_STR(info.cmdline, "x=a.efi");
	/* Tabs and newlines are spaces; text stops at the NUL. */
	uint32_t n = ucs2(b, "a=1\tb=2\r\n", true);
	n += ucs2(b + n, "hidden", true);
	CHECK(efi_cmdline(b, n, &info));
	CHECK_STR(info.cmdline, "a=1 b=2");
	/* Beyond ASCII: '?'. An odd last byte is ignored. */
	b[0] = 0xe9; b[1] = 0x00; b[2] = 'x'; b[3] = 0; b[4] = 'y';
	CHECK(efi_cmdline(b, 5, &info));
	CHECK_STR(info.cmdline, "?x");
	/* Binary data (a boot manager's OptionalData): no command line. */
	static const uint8_t bin[] = { 0x01, 0x00, 0x00, 0x00, 0x2a, 0x00 };
	CHECK(!efi_cmdline(bin, sizeof(bin), &info));
	CHECK_STR(info.cmdline, "");
	/* Longer than the buffer: cut, and said so. */
	char longer[MB2_CMDLINE_MAX + 10];
	memset(longer, 'a', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	CHECK(efi_cmdline(b, ucs2(b, longer, true), &info));
	CHECK(info.cmdline_truncated);
	CHECK_EQ(strlen(info.cmdline), MB2_CMDLINE_MAX - 1);
}

static void gop(void)
{
	struct mb2_framebuffer fb;
	struct efi_gop_mode_info mi = { 0, 1280, 800, EFI_PIXEL_BGR_RESERVED_8BPC, 0, 0, 0, 0, 1280 };

	CHECK(efi_gop_framebuffer(&mi, 0x80000000, &fb));
	CHECK_EQ(fb.addr, 0x80000000);
	CHECK_EQ(fb.pitch, 5120);
	CHECK_EQ(fb.bpp, 32);
	CHECK_EQ(fb.type, MB2_FB_RGB);
	CHECK_EQ(fb.red_pos, 16);
	CHECK_EQ(fb.blue_pos, 0);
	/* Pixels per scan line beyond the width: the pitch follows it. */
	mi.pixels_per_scan_line = 1344;
	mi.pixel_format = EFI_PIXEL_RGB_RESERVED_8BPC;
	CHECK(efi_gop_framebuffer(&mi, 0x80000000, &fb));
	CHECK_EQ(fb.pitch, 1344 * 4);
	CHECK_EQ(fb.red_pos, 0);
	CHECK_EQ(fb.blue_pos, 16);
	/* Bit masks: 5-6-5 in the low bits. */
	mi.pixel_format = EFI_PIXEL_BIT_MASK;
	mi.red_mask = 0xf800;
	mi.green_mask = 0x07e0;
	mi.blue_mask = 0x001f;
	CHECK(efi_gop_framebuffer(&mi, 0x80000000, &fb));
	CHECK_EQ(fb.red_pos, 11);
	CHECK_EQ(fb.red_size, 5);
	CHECK_EQ(fb.green_size, 6);
	CHECK_EQ(fb.blue_pos, 0);
	mi.green_mask = 0;
	CHECK(!efi_gop_framebuffer(&mi, 0x80000000, &fb));
	/* BLT only, or no base: none. */
	mi.pixel_format = EFI_PIXEL_BLT_ONLY;
	CHECK(!efi_gop_framebuffer(&mi, 0x80000000, &fb));
	mi.pixel_format = EFI_PIXEL_RGB_RESERVED_8BPC;
	CHECK(!efi_gop_framebuffer(&mi, 0, &fb));
}

static void secure_boot(void)
{
	CHECK_STR(efi_secure_boot_str(efi_secure_boot_state(1, 0)), "on");
	CHECK_STR(efi_secure_boot_str(efi_secure_boot_state(0, 0)), "off");
	CHECK_STR(efi_secure_boot_str(efi_secure_boot_state(0, 1)), "setup");
	CHECK_STR(efi_secure_boot_str(efi_secure_boot_state(1, 1)), "setup");
	CHECK_STR(efi_secure_boot_str(efi_secure_boot_state(-1, -1)), "off");
	CHECK_STR(efi_secure_boot_str(efi_secure_boot_state(7, 0)), "unknown");
}

static void guids(void)
{
	static const struct efi_guid a = EFI_ACPI_20_TABLE_GUID, b = EFI_ACPI_20_TABLE_GUID,
				     c = ACPI_TABLE_GUID;

	CHECK(efi_guid_eq(&a, &b));
	CHECK(!efi_guid_eq(&a, &c));
	CHECK_EQ(sizeof(struct efi_guid), 16);
}

/* The layouts the firmware hands over (UEFI 2.10 sections 4.3, 4.4, 9.1, 12.9). */
static void layouts(void)
{
	CHECK_EQ(offsetof(struct efi_system_table, con_out), 64);
	CHECK_EQ(offsetof(struct efi_system_table, runtime_services), 88);
	CHECK_EQ(offsetof(struct efi_system_table, boot_services), 96);
	CHECK_EQ(offsetof(struct efi_system_table, configuration_table), 112);
	CHECK_EQ(offsetof(struct efi_boot_services, allocate_pages), 40);
	CHECK_EQ(offsetof(struct efi_boot_services, get_memory_map), 56);
	CHECK_EQ(offsetof(struct efi_boot_services, handle_protocol), 152);
	CHECK_EQ(offsetof(struct efi_boot_services, exit_boot_services), 232);
	CHECK_EQ(offsetof(struct efi_boot_services, set_watchdog_timer), 256);
	CHECK_EQ(offsetof(struct efi_boot_services, locate_protocol), 320);
	CHECK_EQ(offsetof(struct efi_runtime_services, get_variable), 72);
	CHECK_EQ(offsetof(struct efi_loaded_image, load_options_size), 48);
	CHECK_EQ(offsetof(struct efi_loaded_image, load_options), 56);
	CHECK_EQ(offsetof(struct efi_loaded_image, image_size), 72);
	CHECK_EQ(offsetof(struct efi_memory_descriptor, physical_start), 8);
	CHECK_EQ(offsetof(struct efi_memory_descriptor, number_of_pages), 24);
	CHECK_EQ(sizeof(struct efi_memory_descriptor), 40);
	CHECK_EQ(offsetof(struct efi_gop_mode_info, pixels_per_scan_line), 32);
	CHECK_EQ(offsetof(struct efi_gop_mode, frame_buffer_base), 24);
}

static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void put32(uint8_t *p, uint32_t v) { put16(p, (uint16_t)v); put16(p + 2, (uint16_t)(v >> 16)); }

/* A PE32+ image as loaded (headers at 0), with a base relocation table at RVA
 * 0x200 of one block for page 0x100: entries e[0..n). */
static void pe_image(uint8_t *img, size_t size, const uint16_t *e, unsigned n)
{
	memset(img, 0, size);
	img[0] = 'M';
	img[1] = 'Z';
	put32(img + 0x3c, 0x40);                        /* e_lfanew */
	memcpy(img + 0x40, "PE\0\0", 4);
	uint8_t *opt = img + 0x40 + 24;
	put16(opt, 0x20b);                              /* PE32+ */
	put32(opt + 108, 16);                           /* NumberOfRvaAndSizes */
	put32(opt + 112 + 8 * 5, 0x200);                /* base relocation table */
	put32(opt + 112 + 8 * 5 + 4, 8 + 2 * n);
	put32(img + 0x200, 0x100);                      /* page RVA */
	put32(img + 0x204, 8 + 2 * n);                  /* block size */
	for (unsigned i = 0; i < n; i++)
		put16(img + 0x208 + 2 * i, e[i]);
}

static uint64_t get64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}

static void pe_relocate(void)
{
	static uint8_t img[0x400];
	uint64_t a = 0x10001000, b = 0x10002008;

	/* Two DIR64 entries and an ABSOLUTE pad: each pointer moves by delta. */
	static const uint16_t good[] = { 0xa010, 0xa018, 0x0000 };
	pe_image(img, sizeof(img), good, 3);
	memcpy(img + 0x110, &a, 8);
	memcpy(img + 0x118, &b, 8);
	CHECK_EQ(efi_pe_relocate(img, sizeof(img), 0x7000000 - 0x10000000), 2);
	CHECK_EQ(get64(img + 0x110), 0x7001000);
	CHECK_EQ(get64(img + 0x118), 0x7002008);
	/* A move up: the same table, the other way. */
	CHECK_EQ(efi_pe_relocate(img, sizeof(img), 0x10000000 - 0x7000000), 2);
	CHECK_EQ(get64(img + 0x110), a);

	/* Malformed: an entry past the image, a type other than DIR64 (HIGHLOW), a
	 * block shorter than its header, no MZ, a table outside the image. */
	static const uint16_t outside[] = { 0xaffc };
	pe_image(img, 0x300, outside, 1);
	put32(img + 0x200, 0x300);
	CHECK_EQ(efi_pe_relocate(img, 0x300, 1), -1);
	static const uint16_t highlow[] = { 0x3010 };
	pe_image(img, sizeof(img), highlow, 1);
	CHECK_EQ(efi_pe_relocate(img, sizeof(img), 1), -1);
	pe_image(img, sizeof(img), good, 3);
	put32(img + 0x204, 4);
	CHECK_EQ(efi_pe_relocate(img, sizeof(img), 1), -1);
	pe_image(img, sizeof(img), good, 3);
	img[0] = 'X';
	CHECK_EQ(efi_pe_relocate(img, sizeof(img), 1), -1);
	pe_image(img, sizeof(img), good, 3);
	put32(img + 0x40 + 24 + 112 + 8 * 5, 0x3fc);
	CHECK_EQ(efi_pe_relocate(img, sizeof(img), 1), -1);
	CHECK_EQ(efi_pe_relocate(img, 0x20, 1), -1);
	/* No table at all (size 0): nothing to do. */
	pe_image(img, sizeof(img), good, 0);
	put32(img + 0x40 + 24 + 112 + 8 * 5 + 4, 0);
	CHECK_EQ(efi_pe_relocate(img, sizeof(img), 1), 0);
}

int main(void)
{
	pe_relocate();
	memory_types();
	mmap_convert();
	mmap_truncated();
	cmdline();
	gop();
	secure_boot();
	guids();
	layouts();
	return check_report("test_efi");
}
