/* SPDX-License-Identifier: MIT */
/* vmxprobe.efi's start (efi.c) and what it learnt from the firmware. */
#ifndef VMXPROBE_KERNEL_EFI_H
#define VMXPROBE_KERNEL_EFI_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/efi.h"

/* kmain's magic after the UEFI entry ("UEFI"): boot_info is filled already. */
#define VP_UEFI_MAGIC   0x49464555u

struct efi_boot {
	enum efi_secure_boot secure_boot;
	char vendor[40];                /* the system table's FirmwareVendor, ASCII */
	uint32_t firmware_revision, uefi_revision;
	uint64_t image_base, image_size;        /* where it runs; the loaded image's size */
	uint64_t loaded_at;                     /* where the firmware loaded it, if moved */
	unsigned ebs_retries;                   /* ExitBootServices() calls with a stale key */
	bool options_binary;                    /* LoadOptions held no text: ignored */
};

extern struct efi_boot efi_boot;

/* The UEFI application's entry point (efi.ld: ENTRY). */
efi_status EFIAPI efi_main(efi_handle image, struct efi_system_table *systab);

#endif
