/* SPDX-License-Identifier: MIT */
/*
 * ACPI discovery. ACPI 6.5, section 5.2.5 "Root System Description Pointer":
 * take the RSDP from the Multiboot2 tags (Multiboot2 spec 3.6.15/3.6.16, the
 * new one first), else scan the first KiB of the EBDA and 0xE0000-0xFFFFF
 * (5.2.5.1 "Finding the RSDP on IA-PC Systems", BIOS only).
 */
#include "kernel/acpi.h"

#include "arch/paging.h"
#include "arch/x86.h"

#include "kernel/bootinfo.h"
#include "kernel/log.h"
#include "lib/fmt.h"

struct madt_cpu acpi_cpus[ACPI_CPUS_MAX];
struct acpi_facts acpi;

static void print_diag(const struct diag *d)
{
	for (unsigned i = 0; i < d->n && i < DIAG_MAX; i++)
		kprintf("acpi: warning: %s\n", d->msg[i]);
	if (d->n > DIAG_MAX)
		kprintf("acpi: %u more warnings not shown\n", d->n - DIAG_MAX);
}

static bool find_rsdp(struct acpi_facts *f, struct diag *d)
{
	const struct mb2_info *b = &boot_info;

	if (b->has_rsdp_new && acpi_rsdp_parse(b->rsdp_new, b->rsdp_new_len, &f->rsdp, d)) {
		f->rsdp_from = "mb2-new";
		return true;
	}
	if (b->has_rsdp_old && acpi_rsdp_parse(b->rsdp_old, b->rsdp_old_len, &f->rsdp, d)) {
		f->rsdp_from = "mb2-old";
		return true;
	}
	if (mb2_is_uefi(b))
		return false;   /* no legacy BIOS areas to scan under UEFI */
	/* The EBDA segment is the word at 0x40E of the BIOS data area. */
	uint64_t ebda = (uint64_t)*(volatile uint16_t *)phys_to_virt(0x40e) << 4;
	long off;
	if (ebda >= 0x80000 && ebda < 0xa0000 &&
	    (off = acpi_scan_rsdp(phys_to_virt(ebda), 1024)) >= 0 &&
	    acpi_rsdp_parse((const uint8_t *)phys_to_virt(ebda) + off, 36, &f->rsdp, d)) {
		f->rsdp_from = "scan";
		return true;
	}
	if ((off = acpi_scan_rsdp(phys_to_virt(0xe0000), 0x20000)) >= 0 &&
	    acpi_rsdp_parse((const uint8_t *)phys_to_virt(0xe0000) + off, 36, &f->rsdp, d)) {
		f->rsdp_from = "scan";
		return true;
	}
	return false;
}

void acpi_init(void)
{
	static struct diag d;
	struct acpi_facts *f = &acpi;
	struct phys_map m = { paging_phys_map, 0 };
	uint32_t len;

	f->have_rsdp = find_rsdp(f, &d);
	f->have_madt = false;
	f->pm.present = false;
	if (f->have_rsdp) {
		f->madt.cpus = acpi_cpus;
		f->madt.cap = ACPI_CPUS_MAX;
		const uint8_t *madt = acpi_find_table(&m, &f->rsdp, "APIC", &len, &d);
		if (madt)
			f->have_madt = madt_parse(madt, len, &f->madt, &d);
		const uint8_t *fadt = acpi_find_table(&m, &f->rsdp, "FACP", &len, &d);
		if (fadt)
			fadt_pm_timer(fadt, len, &f->pm);
	}
	print_diag(&d);
	if (!f->have_rsdp) {
		kprintf("acpi: no usable RSDP\n");
		return;
	}
	char pm[16] = "none";
	if (f->pm.present)
		fmt_snprintf(pm, sizeof(pm), "0x%x/%u", f->pm.port, f->pm.ext32 ? 32 : 24);
	kprintf("acpi: rsdp=%s revision=%u oem=\"%s\" root=%s madt=%s pm_timer=%s\n",
		f->rsdp_from, f->rsdp.revision, f->rsdp.oem, f->rsdp.xsdt ? "xsdt" : "rsdt",
		f->have_madt ? "yes" : "no", pm);
}
