/* SPDX-License-Identifier: MIT */
/* Boot information: see bootinfo.h. */
#include "kernel/bootinfo.h"

#include "arch/paging.h"
#include "kernel/efi.h"
#include "kernel/log.h"
#include "kernel/reloc.h"
#include "kernel/run.h"
#include "lib/acpi.h"
#include "lib/fmt.h"
#include "lib/memmap.h"
#include "lib/pvh.h"

/* The identity map covers 4 GiB; never read the structure past it, nor past 1 MiB. */
#define MB2_READ_LIMIT  (1UL << 20)
#define IDENTITY_LIMIT  (1ULL << 32)

struct mb2_info boot_info;
struct vp_options options;
static const char *pvh_why;     /* what the PVH start info lacked, or NULL */

void bootinfo_init(uint32_t magic, uint64_t mbi_addr)
{
	size_t limit = MB2_READ_LIMIT;

	options_defaults(&options);
	/* vmxprobe.efi (kernel/efi.c) filled boot_info from the firmware. */
	if (magic == VP_UEFI_MAGIC) {
		options_parse(boot_info.cmdline, &options);
		return;
	}
	/* PVH direct boot (boot/entry.S: pvh_start): the hvm_start_info at EBX,
	 * read into the same structure, before low memory is reused. */
	if (magic == XEN_HVM_START_MAGIC_VALUE) {
		const struct phys_map map = { paging_phys_map, 0 };

		if (!pvh_parse(&map, mbi_addr, &boot_info, &pvh_why))
			boot_info.is_pvh = true;        /* still say how we started */
		options_parse(boot_info.cmdline, &options);
		return;
	}
	/* boot/entry.S halts on a wrong magic; this is a second line of defence. */
	if (magic != MB2_BOOTLOADER_MAGIC || mbi_addr == 0 || mbi_addr >= IDENTITY_LIMIT) {
		mb2_parse(0, 0, &boot_info);
		return;
	}
	if (IDENTITY_LIMIT - mbi_addr < limit)
		limit = (size_t)(IDENTITY_LIMIT - mbi_addr);
	/* Multiboot2 spec 3.6 "Boot information format": copied now, before anything
	 * may reuse low memory (GRUB EFI puts the structure at 0x12000). */
	mb2_parse((const void *)(uintptr_t)mbi_addr, limit, &boot_info);
	options_parse(boot_info.cmdline, &options);
}

const char *bootinfo_firmware(void)
{
	if (boot_info.is_pvh)
		return "pvh";
	return mb2_is_uefi(&boot_info) ? "uefi" : "bios";
}

void bootinfo_acpi_oem(char oem[7])
{
	/* The new RSDP tag first, as ACPI discovery does (kernel/acpi.c). */
	if (boot_info.has_rsdp_new && boot_info.rsdp_new_len >= 15)
		acpi_rsdp_oem(boot_info.rsdp_new, boot_info.rsdp_new_len, oem);
	else if (boot_info.has_rsdp_old)
		acpi_rsdp_oem(boot_info.rsdp_old, boot_info.rsdp_old_len, oem);
	else
		acpi_rsdp_oem(0, 0, oem);
}

/* linker.ld: the first byte of the image and the end of the pools. */
extern char __kernel_start[], __kernel_end[];

/*
 * Multiboot2 spec, "Memory map": type 1 is available RAM; everything else
 * (reserved, ACPI reclaimable, ACPI NVS, bad) belongs to the firmware or the
 * hardware. A loader is to place the kernel in available RAM, but GRUB loads a
 * kernel at its fixed link address whatever the map says there (under OVMF's
 * SMM builds, on ACPI NVS), so the kernel checks: writing on firmware memory may
 * break the firmware's runtime services or SMM, and nothing after it could be
 * trusted.
 */
void bootinfo_check_image(void)
{
	const struct mb2_info *b = &boot_info;
	uint64_t start = (uintptr_t)__kernel_start, end = (uintptr_t)__kernel_end;
	struct memmap_hole h;

	/* Where the loader put the image (linker.ld: it runs anywhere below 4 GiB). */
	if (efi_boot.loaded_at)
		kprintf("boot: kernel 0x%lx-0x%lx (vmxprobe.efi, moved below 4 GiB from 0x%lx)\n",
			start, end - 1, efi_boot.loaded_at);
	else if (efi_boot.uefi_revision)
		kprintf("boot: kernel 0x%lx-0x%lx (vmxprobe.efi, placed by the firmware)\n",
			start, end - 1);
	else
		kprintf("boot: kernel 0x%lx-0x%lx (linked at 0x%x)\n", start, end - 1, KERNEL_LINK_ADDR);

	if (!b->mmap_count) {
		kprintf("boot: no memory map: the kernel's range 0x%lx-0x%lx is not checked\n",
			start, end - 1);
		return;
	}
	if (memmap_range_available(b->mmap, b->mmap_count, start, end, &h))
		return;
	if (h.type == 0 && b->mmap_truncated) {
		kprintf("boot: the memory map was cut short: the kernel's range from 0x%lx is not checked\n",
			h.start);
		return;
	}
	kprintf("boot: fatal: the kernel lies on %s memory at 0x%lx-0x%lx (the kernel: 0x%lx-0x%lx): "
		"the loader put it where the firmware keeps memory; stopping\n",
		h.type ? memmap_type_str(h.type) : "unlisted", h.start, h.end - 1, start, end - 1);
	run_stop_before_cpus();
}

void bootinfo_report(void)
{
	const struct mb2_info *b = &boot_info;

	if (pvh_why)
		kprintf("boot: PVH start info: %s\n", pvh_why);
	if (efi_boot.vendor[0] || efi_boot.uefi_revision) {
		char vendor[sizeof(efi_boot.vendor) + 8];

		fmt_quote(vendor, sizeof(vendor), efi_boot.vendor);
		kprintf("boot: uefi secure_boot=%s vendor=\"%s\" firmware_revision=0x%x uefi=%u.%02u "
			"image=0x%lx-0x%lx trampoline=0x%lx\n",
			efi_secure_boot_str(efi_boot.secure_boot), vendor, efi_boot.firmware_revision,
			efi_boot.uefi_revision >> 16, efi_boot.uefi_revision & 0xffff,
			efi_boot.image_base, efi_boot.image_base + efi_boot.image_size - 1,
			boot_info.low_page);
		if (efi_boot.options_binary)
			kprintf("boot: uefi: the load options hold no text (a boot entry's data): no command line\n");
		if (efi_boot.ebs_retries)
			kprintf("boot: uefi: ExitBootServices retried %u times (the memory map changed)\n",
				efi_boot.ebs_retries);
	}
	if (b->error != MB2_OK)
		kprintf("boot: malformed Multiboot2 information: %s (offset=%u type=%u size=%u total_size=%u); "
			"using the %u tags before it\n",
			mb2_error_str(b->error), b->error_offset, b->error_type, b->error_size,
			b->total_size, b->tags);
	if (b->cmdline_truncated)
		kprintf("boot: command line longer than %u bytes: truncated\n", MB2_CMDLINE_MAX - 1);
	kprintf("boot: tags=%u mmap_entries=%u%s rsdp=%s efi=%s framebuffer=%s\n", b->tags,
		b->mmap_count, b->mmap_truncated ? "(truncated)" : "",
		b->has_rsdp_new ? "v2" : b->has_rsdp_old ? "v1" : "none",
		b->has_efi64 ? "64" : b->has_efi32 ? "32" : "none", b->has_fb ? "yes" : "no");
	for (unsigned i = 0; i < b->mmap_count; i++)
		kprintf("boot: mmap 0x%016lx-0x%016lx %s\n", b->mmap[i].addr,
			b->mmap[i].addr + b->mmap[i].len - 1, memmap_type_str(b->mmap[i].type));
	if (b->has_fb)
		kprintf("boot: framebuffer addr=0x%lx %ux%ux%u type=%u pitch=%u\n", b->fb.addr,
			b->fb.width, b->fb.height, b->fb.bpp, b->fb.type, b->fb.pitch);
	for (unsigned i = 0; i < options.nwarn && i < OPT_WARN_MAX; i++)
		kprintf("options: ignoring %s\n", options.warn[i]);
	if (options.nwarn > OPT_WARN_MAX)
		kprintf("options: %u more warnings not shown\n", options.nwarn - OPT_WARN_MAX);
}
