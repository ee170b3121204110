/* SPDX-License-Identifier: MIT */
/*
 * Multiboot2 boot-information walker (Multiboot2 specification 2.0, section 3.6
 * "Boot information format"). mb2_parse() copies everything later stages need
 * into a struct mb2_info, so the loader's structure (which GRUB EFI puts in low
 * memory) may be overwritten afterwards. Every read is checked against both
 * total_size and the caller's limit; a malformed tag stops the walk with an error
 * that says where, and the tags before it stay usable.
 */
#ifndef VMXPROBE_LIB_MB2_H
#define VMXPROBE_LIB_MB2_H

/* Section 3.2 "Machine state": EAX holds this when a Multiboot2 loader starts us
 * (boot/entry.S checks it, from assembly: the constants here are usable there). */
#ifdef __ASSEMBLER__
#define MB2_BOOTLOADER_MAGIC    0x36d76289
#else
#define MB2_BOOTLOADER_MAGIC    0x36d76289u
#endif

/* Section 3.6 tag types. */
#define MB2_TAG_END             0
#define MB2_TAG_CMDLINE         1
#define MB2_TAG_LOADER_NAME     2
#define MB2_TAG_BASIC_MEMINFO   4
#define MB2_TAG_MMAP            6
#define MB2_TAG_FRAMEBUFFER     8
#define MB2_TAG_EFI32           11
#define MB2_TAG_EFI64           12
#define MB2_TAG_ACPI_OLD        14
#define MB2_TAG_ACPI_NEW        15
#define MB2_TAG_EFI_MMAP        17
#define MB2_TAG_EFI_BS          18

/* Section 3.6.8 memory map entry types. */
#define MB2_MEMORY_AVAILABLE    1
#define MB2_MEMORY_RESERVED     2
#define MB2_MEMORY_ACPI         3
#define MB2_MEMORY_NVS          4
#define MB2_MEMORY_BADRAM       5

/* Section 3.6.12 "Framebuffer info": framebuffer_type. */
#define MB2_FB_INDEXED          0
#define MB2_FB_RGB              1
#define MB2_FB_EGA_TEXT         2

#define MB2_CMDLINE_MAX         1024
#define MB2_LOADER_MAX          128
#define MB2_MMAP_MAX            256
#define MB2_RSDP_MAX            36      /* ACPI 2.0+ RSDP length */

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mb2_mmap_entry {
	uint64_t addr;
	uint64_t len;
	uint32_t type;
};

struct mb2_framebuffer {
	uint64_t addr;
	uint32_t pitch, width, height;
	uint8_t bpp, type;
	uint8_t red_pos, red_size, green_pos, green_size, blue_pos, blue_size;
};

enum mb2_error {
	MB2_OK = 0,
	MB2_ERR_NULL,           /* no structure at all */
	MB2_ERR_MISALIGNED,     /* not 8-byte aligned */
	MB2_ERR_TOTAL_SIZE,     /* total_size below the 8-byte header or above the limit */
	MB2_ERR_TAG_TRUNCATED,  /* a tag header runs past total_size */
	MB2_ERR_TAG_SIZE,       /* a tag's size is below 8 */
	MB2_ERR_TAG_OVERRUN,    /* a tag's size runs past total_size */
	MB2_ERR_TAG_SHORT,      /* a known tag is too short for its fixed fields */
	MB2_ERR_NO_END,         /* total_size reached without an end tag */
};

struct mb2_info {
	bool is_pvh;                    /* filled from a PVH start info (lib/pvh.c), not Multiboot2 */
	uint32_t total_size;
	unsigned tags;                  /* tags walked, end tag included */

	bool has_cmdline, cmdline_truncated;
	char cmdline[MB2_CMDLINE_MAX];
	bool has_loader;
	char loader[MB2_LOADER_MAX];

	bool has_meminfo;
	uint32_t mem_lower_kb, mem_upper_kb;

	bool has_mmap, mmap_truncated;
	unsigned mmap_count;
	struct mb2_mmap_entry mmap[MB2_MMAP_MAX];

	bool has_fb;
	struct mb2_framebuffer fb;

	bool has_rsdp_old, has_rsdp_new;
	uint8_t rsdp_old[MB2_RSDP_MAX], rsdp_new[MB2_RSDP_MAX];
	uint32_t rsdp_old_len, rsdp_new_len;

	bool has_efi32, has_efi64, has_efi_mmap, efi_bs_active;
	uint64_t efi_systab;

	/* A 4 KiB page below 1 MiB the loader set aside for the AP trampoline
	 * (vmxprobe.efi: AllocatePages), or 0: the kernel picks one from the map. */
	uint64_t low_page;

	/* Where the walk stopped, for the error message. */
	enum mb2_error error;
	uint32_t error_offset, error_type, error_size;
};

/*
 * Walk the structure at mbi, reading at most limit bytes of it. Returns
 * info->error; on error the tags before the bad one are kept.
 */
enum mb2_error mb2_parse(const void *mbi, size_t limit, struct mb2_info *info);

/* All fields zero: no tag seen (mb2_parse() and pvh_parse() start from it). */
void mb2_info_clear(struct mb2_info *info);

const char *mb2_error_str(enum mb2_error e);

/* true when the loader said the firmware is UEFI (EFI system table or memory map tags). */
bool mb2_is_uefi(const struct mb2_info *info);

/*
 * The highest 4 KiB page in [lo, hi) that lies wholly inside an "available"
 * memory-map entry and overlaps no other kind of entry; 0 if there is none.
 * (For the AP trampoline, which must sit below 1 MiB.)
 */
uint64_t mb2_pick_page(const struct mb2_info *info, uint64_t lo, uint64_t hi);

#endif /* __ASSEMBLER__ */

#endif
