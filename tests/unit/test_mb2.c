/* SPDX-License-Identifier: MIT */
/* Multiboot2 walker on synthetic boot information, well-formed and malformed. */
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "lib/mb2.h"

/* A boot-information builder: 8-byte aligned, tags padded as the spec says. */
struct builder {
	uint64_t words[1024];
	uint32_t len;
};

static uint8_t *bytes(struct builder *b)
{
	return (uint8_t *)b->words;
}

static void put32(struct builder *b, uint32_t off, uint32_t v)
{
	memcpy(bytes(b) + off, &v, 4);
}

static void begin(struct builder *b)
{
	memset(b, 0, sizeof(*b));
	b->len = 8;
}

static void tag(struct builder *b, uint32_t type, const void *body, uint32_t blen)
{
	put32(b, b->len, type);
	put32(b, b->len + 4, 8 + blen);
	if (blen)
		memcpy(bytes(b) + b->len + 8, body, blen);
	b->len += (8 + blen + 7) & ~7u;
}

static void end(struct builder *b)
{
	tag(b, MB2_TAG_END, 0, 0);
	put32(b, 0, b->len);
}

static void mmap_tag(struct builder *b, unsigned n, uint32_t esize)
{
	uint8_t body[8 + 64 * 32] = { 0 };
	uint32_t hdr[2] = { esize, 0 };

	memcpy(body, hdr, 8);
	for (unsigned i = 0; i < n; i++) {
		uint64_t addr = 0x100000ull * i, len = 0x1000;
		uint32_t type = MB2_MEMORY_AVAILABLE + (i % 2);
		memcpy(body + 8 + i * esize, &addr, 8);
		memcpy(body + 8 + i * esize + 8, &len, 8);
		memcpy(body + 8 + i * esize + 16, &type, 4);
	}
	tag(b, MB2_TAG_MMAP, body, 8 + n * esize);
}

static struct mb2_info info;

static void well_formed(void)
{
	struct builder b;
	uint8_t rsdp_old[20] = "RSD PTR ";
	uint8_t rsdp_new[36] = "RSD PTR ";
	uint64_t systab = 0x7f000000;

	memcpy(rsdp_old + 9, "BOCHS ", 6);
	memcpy(rsdp_new + 9, "OVMF  ", 6);
	begin(&b);
	tag(&b, MB2_TAG_CMDLINE, "console=ttyS1 exit=qemu", 24);
	tag(&b, MB2_TAG_LOADER_NAME, "GRUB 2.06", 10);
	mmap_tag(&b, 5, 24);
	tag(&b, 99, "unknown tags are skipped", 24);
	tag(&b, MB2_TAG_ACPI_OLD, rsdp_old, 20);
	tag(&b, MB2_TAG_ACPI_NEW, rsdp_new, 36);
	tag(&b, MB2_TAG_EFI64, &systab, 8);
	tag(&b, MB2_TAG_EFI_BS, 0, 0);
	end(&b);

	CHECK_EQ(mb2_parse(b.words, sizeof(b.words), &info), MB2_OK);
	CHECK_EQ(info.tags, 9);
	CHECK_STR(info.cmdline, "console=ttyS1 exit=qemu");
	CHECK(!info.cmdline_truncated);
	CHECK_STR(info.loader, "GRUB 2.06");
	CHECK_EQ(info.mmap_count, 5);
	CHECK_EQ(info.mmap[4].addr, 0x400000);
	CHECK_EQ(info.mmap[4].len, 0x1000);
	CHECK_EQ(info.mmap[1].type, MB2_MEMORY_RESERVED);
	CHECK(info.has_rsdp_old && info.rsdp_old_len == 20);
	CHECK(info.has_rsdp_new && info.rsdp_new_len == 36);
	CHECK(memcmp(info.rsdp_new + 9, "OVMF  ", 6) == 0);
	CHECK(info.has_efi64 && info.efi_systab == systab);
	CHECK(info.efi_bs_active);
	CHECK(mb2_is_uefi(&info));
	CHECK(!info.has_fb);

	/* The copy is independent of the loader's memory. */
	memset(b.words, 0xee, sizeof(b.words));
	CHECK_STR(info.cmdline, "console=ttyS1 exit=qemu");
}

static void framebuffer_and_bios(void)
{
	struct builder b;
	uint8_t fb[30] = { 0 };
	uint64_t addr = 0x80000000;
	uint32_t pitch = 3200, w = 800, h = 600;

	memcpy(fb, &addr, 8);
	memcpy(fb + 8, &pitch, 4);
	memcpy(fb + 12, &w, 4);
	memcpy(fb + 16, &h, 4);
	fb[20] = 32;
	fb[21] = 1;
	fb[24] = 16; fb[25] = 8; fb[26] = 8; fb[27] = 8; fb[28] = 0; fb[29] = 8;
	begin(&b);
	tag(&b, MB2_TAG_FRAMEBUFFER, fb, 30);
	end(&b);
	CHECK_EQ(mb2_parse(b.words, sizeof(b.words), &info), MB2_OK);
	CHECK(info.has_fb);
	CHECK_EQ(info.fb.addr, addr);
	CHECK_EQ(info.fb.width, 800);
	CHECK_EQ(info.fb.bpp, 32);
	CHECK_EQ(info.fb.red_pos, 16);
	CHECK_EQ(info.fb.blue_size, 8);
	CHECK(!mb2_is_uefi(&info));
	CHECK(!info.has_cmdline);
	CHECK_STR(info.cmdline, "");
}

static void malformed(void)
{
	struct builder b;

	CHECK_EQ(mb2_parse(0, 4096, &info), MB2_ERR_NULL);
	CHECK_EQ(mb2_parse(bytes(&b) + 4, 4096, &info), MB2_ERR_MISALIGNED);

	/* total_size below the header, above the readable limit, and zero. */
	begin(&b);
	end(&b);
	put32(&b, 0, 4);
	CHECK_EQ(mb2_parse(b.words, sizeof(b.words), &info), MB2_ERR_TOTAL_SIZE);
	put32(&b, 0, 0);
	CHECK_EQ(mb2_parse(b.words, sizeof(b.words), &info), MB2_ERR_TOTAL_SIZE);
	put32(&b, 0, 16);
	CHECK_EQ(mb2_parse(b.words, 15, &info), MB2_ERR_TOTAL_SIZE);
	CHECK_EQ(mb2_parse(b.words, 4, &info), MB2_ERR_TOTAL_SIZE);

	/* Only the fixed header: no tags, no end tag. */
	put32(&b, 0, 8);
	CHECK_EQ(mb2_parse(b.words, sizeof(b.words), &info), MB2_ERR_NO_END);

	/* A zero-size tag must not loop forever. */
	begin(&b);
	tag(&b, MB2_TAG_CMDLINE, "ok", 3);
	put32(&b, b.len, 99);
	put32(&b, b.len + 4, 0);
	b.len += 8;
	end(&b);
	CHECK_EQ(mb2_parse(b.words, sizeof(b.words), &info), MB2_ERR_TAG_SIZE);
	CHECK_EQ(info.error_offset, 24);
	CHECK_STR(info.cmdline, "ok");          /* tags before the bad one are kept */

	/* A tag whose size runs past total_size (oversized tag). */
	begin(&b);
	tag(&b, MB2_TAG_LOADER_NAME, "GRUB", 5);
	put32(&b, b.len, MB2_TAG_CMDLINE);
	put32(&b, b.len + 4, 0x7fffffff);
	b.len += 16;
	end(&b);
	CHECK_EQ(mb2_parse(b.words, sizeof(b.words), &info), MB2_ERR_TAG_OVERRUN);
	CHECK_STR(info.loader, "GRUB");
	CHECK_EQ(info.error_size, 0x7fffffff);

	/* total_size smaller than a tag: the cmdline tag is cut by total_size. */
	begin(&b);
	tag(&b, MB2_TAG_CMDLINE, "a fairly long command line", 27);
	end(&b);
	put32(&b, 0, 20);
	CHECK_EQ(mb2_parse(b.words, sizeof(b.words), &info), MB2_ERR_TAG_OVERRUN);
	CHECK(!info.has_cmdline);

	/* total_size ends inside a tag header. */
	put32(&b, 0, 12);
	CHECK_EQ(mb2_parse(b.words, sizeof(b.words), &info), MB2_ERR_TAG_TRUNCATED);

	/* Truncated: the structure ends before the end tag. */
	begin(&b);
	tag(&b, MB2_TAG_CMDLINE, "x", 2);
	put32(&b, 0, b.len);
	CHECK_EQ(mb2_parse(b.words, sizeof(b.words), &info), MB2_ERR_NO_END);

	/* The last tag's padding would run past total_size. */
	begin(&b);
	tag(&b, MB2_TAG_CMDLINE, "x", 2);       /* size 10, padded to 16 */
	put32(&b, 0, 8 + 10);
	CHECK_EQ(mb2_parse(b.words, sizeof(b.words), &info), MB2_ERR_NO_END);

	/* Known tags too short for their fields. */
	begin(&b);
	tag(&b, MB2_TAG_BASIC_MEMINFO, "abc", 3);
	end(&b);
	CHECK_EQ(mb2_parse(b.words, sizeof(b.words), &info), MB2_ERR_TAG_SHORT);
	begin(&b);
	tag(&b, MB2_TAG_EFI64, "abc", 3);
	end(&b);
	CHECK_EQ(mb2_parse(b.words, sizeof(b.words), &info), MB2_ERR_TAG_SHORT);
	begin(&b);
	mmap_tag(&b, 2, 20);                    /* entry_size below 24 */
	end(&b);
	CHECK_EQ(mb2_parse(b.words, sizeof(b.words), &info), MB2_ERR_TAG_SHORT);

	CHECK_STR(mb2_error_str(MB2_ERR_TAG_OVERRUN), "tag runs past total_size");

	/* An entry_size so large that offset + entry_size wraps around 2^32: no
	 * entry may be read (it used to read one past the tag, here the end tag). */
	uint32_t wrap[16] = { 32, 0, MB2_TAG_MMAP, 16, 0xfffffff0u, 0, MB2_TAG_END, 8 };
	CHECK_EQ(mb2_parse(wrap, sizeof(wrap), &info), MB2_OK);
	CHECK(info.has_mmap);
	CHECK_EQ(info.mmap_count, 0);
	/* The same tag last in an exact-size buffer: ASan sees any read past it. */
	uint32_t *heap = malloc(24);
	memcpy(heap, wrap, 24);
	heap[0] = 24;
	CHECK_EQ(mb2_parse(heap, 24, &info), MB2_ERR_NO_END);
	CHECK_EQ(info.mmap_count, 0);
	free(heap);
}

static void limits(void)
{
	struct builder b;
	char longcmd[2000];

	/* A command line longer than the buffer is cut and flagged; an unterminated
	 * string is read only up to the tag's end. */
	memset(longcmd, 'c', sizeof(longcmd));
	begin(&b);
	tag(&b, MB2_TAG_CMDLINE, longcmd, sizeof(longcmd));
	tag(&b, MB2_TAG_LOADER_NAME, "NOTERM", 6);
	end(&b);
	CHECK_EQ(mb2_parse(b.words, sizeof(b.words), &info), MB2_OK);
	CHECK(info.cmdline_truncated);
	CHECK_EQ(strlen(info.cmdline), MB2_CMDLINE_MAX - 1);
	CHECK_STR(info.loader, "NOTERM");

	/* More memory-map entries than are kept, and a larger entry size. */
	begin(&b);
	mmap_tag(&b, 40, 32);
	end(&b);
	CHECK_EQ(mb2_parse(b.words, sizeof(b.words), &info), MB2_OK);
	CHECK_EQ(info.mmap_count, 40);
	CHECK_EQ(info.mmap[39].addr, 39 * 0x100000ull);

	/* An oversized RSDP tag: only the 36 bytes we keep are copied. */
	uint8_t big[64];
	memset(big, 0x42, sizeof(big));
	begin(&b);
	tag(&b, MB2_TAG_ACPI_NEW, big, sizeof(big));
	end(&b);
	CHECK_EQ(mb2_parse(b.words, sizeof(b.words), &info), MB2_OK);
	CHECK_EQ(info.rsdp_new_len, MB2_RSDP_MAX);
}

/* Random garbage after a valid header: the walk must end, in bounds (ASan checks). */
static void garbage(void)
{
	srand(1);
	for (int round = 0; round < 20000; round++) {
		uint32_t n = 8 + (uint32_t)(rand() % 256);
		uint64_t *buf = malloc((n + 7) & ~7u);
		uint8_t *p = (uint8_t *)buf;
		for (uint32_t i = 0; i < n; i++)
			p[i] = (uint8_t)rand();
		uint32_t total = (uint32_t)(rand() % (n + 8));
		if (round % 3)
			memcpy(p, &total, 4);
		for (uint32_t i = 8; i + 8 <= n; i += 8) {
			uint32_t type = (uint32_t)(rand() % 20), size = (uint32_t)(rand() % 64);
			if (rand() % 2) {
				memcpy(p + i, &type, 4);
				memcpy(p + i + 4, &size, 4);
			}
		}
		enum mb2_error e = mb2_parse(buf, n, &info);
		CHECK(e <= MB2_ERR_NO_END);
		free(buf);
	}
}

/* The trampoline page: highest free page below 1 MiB, never in a used range. */
static void pick_page(void)
{
	struct mb2_info m;

	memset(&m, 0, sizeof(m));
	CHECK_EQ(mb2_pick_page(&m, 0x1000, 0x100000), 0);       /* no memory map */
	m.mmap_count = 3;
	m.mmap[0] = (struct mb2_mmap_entry){ 0, 0x9fc00, MB2_MEMORY_AVAILABLE };
	m.mmap[1] = (struct mb2_mmap_entry){ 0x9fc00, 0x400, MB2_MEMORY_RESERVED };
	m.mmap[2] = (struct mb2_mmap_entry){ 0x100000, 0x1000000, MB2_MEMORY_AVAILABLE };
	CHECK_EQ(mb2_pick_page(&m, 0x1000, 0x100000), 0x9e000);
	/* A reserved range overlapping an available one (buggy maps exist). */
	m.mmap_count = 4;
	m.mmap[3] = (struct mb2_mmap_entry){ 0x9d800, 0x100, MB2_MEMORY_NVS };
	CHECK_EQ(mb2_pick_page(&m, 0x1000, 0x100000), 0x9e000);
	m.mmap[3] = (struct mb2_mmap_entry){ 0x9e800, 0x100, MB2_MEMORY_NVS };
	CHECK_EQ(mb2_pick_page(&m, 0x1000, 0x100000), 0x9d000);
	/* Page 0 is never chosen; nothing free at all. */
	m.mmap_count = 1;
	m.mmap[0] = (struct mb2_mmap_entry){ 0, 0x1000, MB2_MEMORY_AVAILABLE };
	CHECK_EQ(mb2_pick_page(&m, 0x1000, 0x100000), 0);
	m.mmap[0] = (struct mb2_mmap_entry){ 0, 0x100000, MB2_MEMORY_RESERVED };
	CHECK_EQ(mb2_pick_page(&m, 0x1000, 0x100000), 0);
	/* An entry whose end wraps around 2^64. */
	m.mmap[0] = (struct mb2_mmap_entry){ 0x10000, UINT64_MAX, MB2_MEMORY_AVAILABLE };
	CHECK_EQ(mb2_pick_page(&m, 0x1000, 0x100000), 0xff000);
}

int main(void)
{
	pick_page();
	well_formed();
	framebuffer_and_bios();
	malformed();
	limits();
	garbage();
	return check_report("mb2");
}
