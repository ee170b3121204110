/* SPDX-License-Identifier: MIT */
/*
 * vmxprobe.efi: the UEFI application's entry (efi.ld links the same objects
 * as the ELF kernel into a PE32+). efi_main() asks the firmware for what a
 * Multiboot2 loader would have passed (command line, memory map, RSDP,
 * framebuffer, the EFI system table), plus the Secure Boot state and a page
 * below 1 MiB for the AP trampoline; it leaves boot services and joins the
 * common 64-bit start (boot/entry.S: boot_enter64), so kmain and everything
 * after it run as after GRUB.
 *
 * UEFI Specification 2.10: section 2.1.2 "UEFI Applications" (entry point
 * with the image handle and the system table, Microsoft x64 calling
 * convention, section 2.3.4), section 7.4 "Image Services" (ExitBootServices),
 * section 7.2 "Memory Allocation Services".
 */
#include "kernel/efi.h"

#include "arch/paging.h"
#include "arch/x86.h"
#include "kernel/bootinfo.h"
#include "lib/efi.h"
#include "lib/fmt.h"
#include "lib/processor-flags.h"
#include "lib/string.h"

#define EFI_SYSTEM_TABLE_SIGNATURE      0x5453595320494249ULL  /* "IBI SYST" */
#define FOUR_GIB                        (1ULL << 32)
#define LOW_MEMORY_END                  0x100000
#define EBS_TRIES                       4

struct efi_boot efi_boot;

/* GetMemoryMap()'s buffer: 1,300 descriptors of 48 bytes; OVMF gives about 100. */
static uint8_t mmap_buf[64 * 1024] __attribute__((aligned(8)));

/* boot/entry.S: the stack switch, the image's own relocations, then kmain. */
void boot_enter64(uint32_t magic, uint64_t info) __attribute__((noreturn));
extern char __kernel_start[], __kernel_end[];

static struct efi_system_table *st;

/* A line on the firmware's console (OVMF mirrors it to the serial port),
 * while boot services last; ASCII in, UCS-2 out. */
static void say(const char *s)
{
	efi_char16 buf[160];
	size_t n = 0;

	if (!st || !st->con_out)
		return;
	for (; *s; s++) {
		if (*s == '\n' && n + 1 < sizeof(buf) / sizeof(buf[0]) - 1)
			buf[n++] = '\r';
		if (n == sizeof(buf) / sizeof(buf[0]) - 1) {
			buf[n] = 0;
			st->con_out->output_string(st->con_out, buf);
			n = 0;
		}
		buf[n++] = (efi_char16)(uint8_t)*s;
	}
	buf[n] = 0;
	st->con_out->output_string(st->con_out, buf);
}

static void say_hex(const char *before, uint64_t v, const char *after)
{
	char line[160];

	fmt_snprintf(line, sizeof(line), "%s0x%lx%s", before, v, after);
	say(line);
}

/* A UEFI variable of one byte (SecureBoot, SetupMode): its value, or -1. */
static int byte_variable(const efi_char16 *name)
{
	static const struct efi_guid global = EFI_GLOBAL_VARIABLE;
	uint8_t v = 0;
	uint64_t size = sizeof(v);

	if (st->runtime_services->get_variable(name, &global, 0, &size, &v) != EFI_SUCCESS || size != 1)
		return -1;
	return v;
}

/* Section 4.6 "EFI Configuration Table": the RSDPs, copied (ACPI 6.5 section
 * 5.2.5.3 "Root System Description Pointer (RSDP) Structure": 20 bytes in
 * revision 0, Length bytes after). */
static void find_rsdp(struct mb2_info *b)
{
	static const struct efi_guid acpi20 = EFI_ACPI_20_TABLE_GUID, acpi10 = ACPI_TABLE_GUID;

	for (uint64_t i = 0; i < st->number_of_table_entries; i++) {
		const struct efi_configuration_table *t = &st->configuration_table[i];
		const uint8_t *r = t->vendor_table;

		if (!r)
			continue;
		if (efi_guid_eq(&t->vendor_guid, &acpi20) && !b->has_rsdp_new) {
			uint32_t len = r[15] >= 2 ? (uint32_t)(r[20] | r[21] << 8 | r[22] << 16 | (uint32_t)r[23] << 24) : 20;

			if (len > MB2_RSDP_MAX || len < 20)
				len = len < 20 ? 20 : MB2_RSDP_MAX;
			memcpy(b->rsdp_new, r, len);
			b->rsdp_new_len = len;
			b->has_rsdp_new = true;
		} else if (efi_guid_eq(&t->vendor_guid, &acpi10) && !b->has_rsdp_old) {
			memcpy(b->rsdp_old, r, 20);
			b->rsdp_old_len = 20;
			b->has_rsdp_old = true;
		}
	}
}

static void find_framebuffer(struct mb2_info *b)
{
	static const struct efi_guid gop_guid = EFI_GRAPHICS_OUTPUT_PROTOCOL_GUID;
	struct efi_gop *gop = 0;

	if (st->boot_services->locate_protocol(&gop_guid, 0, (void **)&gop) != EFI_SUCCESS ||
	    !gop || !gop->mode || !gop->mode->info)
		return;
	b->has_fb = efi_gop_framebuffer(gop->mode->info, gop->mode->frame_buffer_base, &b->fb);
}

static void copy_vendor(void)
{
	const efi_char16 *v = st->firmware_vendor;
	size_t n = 0;

	for (; v && *v && n < sizeof(efi_boot.vendor) - 1; v++)
		efi_boot.vendor[n++] = *v >= ' ' && *v < 0x7f ? (char)*v : '?';
	efi_boot.vendor[n] = '\0';
}

/*
 * GetMemoryMap() then ExitBootServices() with its key; a key gone stale (the
 * firmware changed the map in between, section 7.4: EFI_INVALID_PARAMETER)
 * means ask again, as Linux's efi_exit_boot_services() does. Nothing may
 * allocate or print between the two calls.
 */
static efi_status exit_boot_services(efi_handle image, uint64_t *map_size, uint64_t *desc_size)
{
	efi_status s = EFI_LOAD_ERROR;

	for (int i = 0; i < EBS_TRIES; i++) {
		uint64_t key = 0;
		uint32_t version = 0;

		*map_size = sizeof(mmap_buf);
		s = st->boot_services->get_memory_map(map_size, mmap_buf, &key, desc_size, &version);
		if (s != EFI_SUCCESS)
			return s;
		s = st->boot_services->exit_boot_services(image, key);
		if (s != EFI_INVALID_PARAMETER)
			return s;
		efi_boot.ebs_retries++;
	}
	return s;
}

/*
 * The kernel's own page tables map the first 4 GiB, and the AP trampoline's
 * mailbox holds 32-bit addresses of the boot GDT and page tables
 * (arch/trampoline.h): the image must lie below 4 GiB. A loader that put it
 * higher (AllocateAnyPages may, on a machine with memory above 4 GiB) gets it
 * moved: a copy below 4 GiB (AllocatePages, AllocateMaxAddress), its .reloc
 * applied again for the move (lib/efi.c: efi_pe_relocate), and the rest of
 * the start runs in the copy. Nothing but `st` has been written in the image
 * before the copy, and `st` is set again there.
 */
static efi_status efi_start(efi_handle image, struct efi_system_table *systab);

static efi_status move_below_4g(efi_handle image, uint64_t start, uint64_t size)
{
	uint64_t to = FOUR_GIB - 1;
	efi_status s = st->boot_services->allocate_pages(EFI_ALLOCATE_MAX_ADDRESS, EFI_LOADER_CODE,
							 (size + 4095) / 4096, &to);

	if (s != EFI_SUCCESS) {
		say_hex("vmxprobe: fatal: the firmware loaded vmxprobe.efi at ", start,
			", above 4 GiB, and has no room for it below 4 GiB; it runs below 4 GiB only\n");
		return s;
	}
	efi_boot.loaded_at = start;     /* the copy inherits it: efi_start() says so */
	__builtin_memcpy((void *)(uintptr_t)to, (const void *)(uintptr_t)start, size);
	if (efi_pe_relocate((uint8_t *)(uintptr_t)to, size, to - start) < 0) {
		say("vmxprobe: fatal: vmxprobe.efi's own relocation table is malformed\n");
		return EFI_LOAD_ERROR;
	}
	efi_status (*moved)(efi_handle, struct efi_system_table *) =
		(void *)((uintptr_t)efi_start - start + to);
	return moved(image, st);
}

efi_status EFIAPI efi_main(efi_handle image, struct efi_system_table *systab)
{
	static const struct efi_guid loaded_image_guid = EFI_LOADED_IMAGE_PROTOCOL_GUID;
	struct efi_loaded_image *li = 0;

	st = systab;
	if (!st || st->hdr.signature != EFI_SYSTEM_TABLE_SIGNATURE || !st->boot_services)
		return EFI_INVALID_PARAMETER;
	uint64_t start = (uintptr_t)__kernel_start, end = (uintptr_t)__kernel_end;
	if (end > FOUR_GIB) {
		if (st->boot_services->handle_protocol(image, &loaded_image_guid, (void **)&li) != EFI_SUCCESS ||
		    !li || (uintptr_t)li->image_base != start || li->image_size < end - start) {
			say_hex("vmxprobe: fatal: the firmware loaded vmxprobe.efi at ", start,
				", above 4 GiB, and does not say how large it is; it runs below 4 GiB only\n");
			return EFI_LOAD_ERROR;
		}
		return move_below_4g(image, start, li->image_size);
	}
	return efi_start(image, systab);
}

static efi_status efi_start(efi_handle image, struct efi_system_table *systab)
{
	static const struct efi_guid loaded_image_guid = EFI_LOADED_IMAGE_PROTOCOL_GUID;
	static const struct efi_guid shim_lock_guid = SHIM_LOCK_GUID;
	struct mb2_info *b = &boot_info;
	struct efi_loaded_image *li = 0;
	void *shim = 0;

	st = systab;
	uint64_t start = (uintptr_t)__kernel_start;
	if (efi_boot.loaded_at) {
		say_hex("vmxprobe.efi: loaded at ", efi_boot.loaded_at, ", above 4 GiB;");
		say_hex(" moved to ", start, "; leaving boot services\n");
	} else {
		say_hex("vmxprobe.efi: loaded at ", start, "; leaving boot services\n");
	}
	/* Paging is 4-level: with CR4.LA57 set, the firmware's 5-level tables
	 * could not be replaced by ours without leaving long mode. */
	if (read_cr4() & X86_CR4_LA57) {
		say("vmxprobe: fatal: the firmware runs with 5-level paging (CR4.LA57); vmxprobe.efi needs 4-level paging\n");
		return EFI_UNSUPPORTED;
	}

	/* Section 9.1: LoadOptions is the command line. */
	if (st->boot_services->handle_protocol(image, &loaded_image_guid, (void **)&li) == EFI_SUCCESS && li) {
		if (!efi_cmdline(li->load_options, li->load_options_size, b))
			efi_boot.options_binary = true;
		efi_boot.image_base = start;    /* where it runs: moved, not where loaded */
		efi_boot.image_size = li->image_size;
	}
	/* shim (the Secure Boot first stage) installs its SHIM_LOCK protocol
	 * before it starts the next stage: that names the loader. */
	bool via_shim = st->boot_services->locate_protocol(&shim_lock_guid, 0, &shim) == EFI_SUCCESS;
	fmt_snprintf(b->loader, sizeof(b->loader), "%s", via_shim ? "shim" : "UEFI");
	b->has_loader = true;

	b->has_efi64 = true;
	b->efi_systab = (uintptr_t)st;
	find_rsdp(b);
	find_framebuffer(b);
	copy_vendor();
	efi_boot.firmware_revision = st->firmware_revision;
	efi_boot.uefi_revision = st->hdr.revision;
	efi_boot.secure_boot = efi_secure_boot_state(byte_variable(u"SecureBoot"),
						     byte_variable(u"SetupMode"));

	/* A page below 1 MiB for the AP trampoline (the SIPI vector names it:
	 * SDM Vol. 3A, "MP Initialization Protocol Algorithm for MP Systems"),
	 * taken while the firmware still hands out memory; not page 0. */
	uint64_t low = LOW_MEMORY_END - 1;
	if (st->boot_services->allocate_pages(EFI_ALLOCATE_MAX_ADDRESS, EFI_LOADER_DATA, 1, &low) == EFI_SUCCESS) {
		if (low == 0) {
			low = LOW_MEMORY_END - 1;
			if (st->boot_services->allocate_pages(EFI_ALLOCATE_MAX_ADDRESS, EFI_LOADER_DATA, 1, &low) != EFI_SUCCESS)
				low = 0;
		}
		b->low_page = low;
	}

	uint64_t map_size = 0, desc_size = 0;
	efi_status s = exit_boot_services(image, &map_size, &desc_size);
	if (s != EFI_SUCCESS) {
		say_hex("vmxprobe: fatal: ExitBootServices failed: status ", s, "\n");
		return s;
	}

	/* Boot services are gone: no firmware call from here on. */
	irq_disable();
	efi_mmap_convert(mmap_buf, map_size, desc_size, b);
	paging_load_boot_tables();
	boot_enter64(VP_UEFI_MAGIC, 0);
}
