/* SPDX-License-Identifier: MIT */
/*
 * The parts of UEFI (UEFI Specification 2.10) that vmxprobe.efi uses: the
 * tables and protocols it reads (their layouts, named as in the spec) and the
 * pure conversions of what it finds into the Multiboot2-shaped boot
 * information the rest of the kernel reads (lib/mb2.h). No firmware call is
 * made from here: kernel/efi.c makes them.
 */
#ifndef VMXPROBE_LIB_EFI_H
#define VMXPROBE_LIB_EFI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/mb2.h"

/* Section 2.3.4 "x64 Platforms", "Calling convention": the Microsoft x64 ABI. */
#define EFIAPI __attribute__((ms_abi))

typedef uint64_t efi_status;
typedef void *efi_handle;
typedef uint16_t efi_char16;

/* Appendix D "Status Codes": errors have the top bit set. */
#define EFI_SUCCESS             0
#define EFI_ERR(n)              ((1ULL << 63) | (n))
#define EFI_LOAD_ERROR          EFI_ERR(1)
#define EFI_INVALID_PARAMETER   EFI_ERR(2)
#define EFI_UNSUPPORTED         EFI_ERR(3)
#define EFI_BUFFER_TOO_SMALL    EFI_ERR(5)
#define EFI_OUT_OF_RESOURCES    EFI_ERR(9)
#define EFI_NOT_FOUND           EFI_ERR(14)

struct efi_guid {
	uint32_t d1;
	uint16_t d2, d3;
	uint8_t d4[8];
};

bool efi_guid_eq(const struct efi_guid *a, const struct efi_guid *b);

/* Section 9.1 EFI_LOADED_IMAGE_PROTOCOL_GUID. */
#define EFI_LOADED_IMAGE_PROTOCOL_GUID \
	{ 0x5b1b31a1, 0x9562, 0x11d2, { 0x8e, 0x3f, 0x00, 0xa0, 0xc9, 0x69, 0x72, 0x3b } }
/* Section 12.9 EFI_GRAPHICS_OUTPUT_PROTOCOL_GUID. */
#define EFI_GRAPHICS_OUTPUT_PROTOCOL_GUID \
	{ 0x9042a9de, 0x23dc, 0x4a38, { 0x96, 0xfb, 0x7a, 0xde, 0xd0, 0x80, 0x51, 0x6a } }
/* Section 4.6 "EFI Configuration Table": ACPI 2.0+ and ACPI 1.0 RSDPs. */
#define EFI_ACPI_20_TABLE_GUID \
	{ 0x8868e871, 0xe4f1, 0x11d3, { 0xbc, 0x22, 0x00, 0x80, 0xc7, 0x3c, 0x88, 0x81 } }
#define ACPI_TABLE_GUID \
	{ 0xeb9d2d30, 0x2d88, 0x11d3, { 0x9a, 0x16, 0x00, 0x90, 0x27, 0x3f, 0xc1, 0x4d } }
/* Section 3.3 "Globally Defined Variables": SecureBoot, SetupMode. */
#define EFI_GLOBAL_VARIABLE \
	{ 0x8be4df61, 0x93ca, 0x11d2, { 0xaa, 0x0d, 0x00, 0xe0, 0x98, 0x03, 0x2b, 0x8c } }
/* shim's SHIM_LOCK_GUID (shim's include/guid.h): shim installs its protocol under it. */
#define SHIM_LOCK_GUID \
	{ 0x605dab50, 0xe046, 0x4300, { 0xab, 0xb6, 0x3d, 0xd8, 0x10, 0xdd, 0x8b, 0x23 } }

/* Section 4.2 "EFI Table Header". */
struct efi_table_header {
	uint64_t signature;
	uint32_t revision, header_size, crc32, reserved;
};

/* Section 12.4 "Simple Text Output Protocol" (the two members used). */
struct efi_simple_text_output {
	void *reset;
	efi_status (EFIAPI *output_string)(struct efi_simple_text_output *self, const efi_char16 *s);
};

/* Section 7.2 "Memory Allocation Services": EFI_ALLOCATE_TYPE, EFI_MEMORY_TYPE. */
enum efi_allocate_type { EFI_ALLOCATE_ANY_PAGES, EFI_ALLOCATE_MAX_ADDRESS, EFI_ALLOCATE_ADDRESS };
enum efi_memory_type {
	EFI_RESERVED_MEMORY_TYPE, EFI_LOADER_CODE, EFI_LOADER_DATA, EFI_BOOT_SERVICES_CODE,
	EFI_BOOT_SERVICES_DATA, EFI_RUNTIME_SERVICES_CODE, EFI_RUNTIME_SERVICES_DATA,
	EFI_CONVENTIONAL_MEMORY, EFI_UNUSABLE_MEMORY, EFI_ACPI_RECLAIM_MEMORY,
	EFI_ACPI_MEMORY_NVS, EFI_MEMORY_MAPPED_IO, EFI_MEMORY_MAPPED_IO_PORT_SPACE,
	EFI_PAL_CODE, EFI_PERSISTENT_MEMORY, EFI_UNACCEPTED_MEMORY_TYPE,
};

/* GetMemoryMap(): the descriptor (DescriptorSize may be larger: step by it). */
struct efi_memory_descriptor {
	uint32_t type;
	uint64_t physical_start, virtual_start, number_of_pages, attribute;
};

/* Section 4.4 "EFI Boot Services Table": every member in order, the ones not
 * called left as void *. */
struct efi_boot_services {
	struct efi_table_header hdr;
	void *raise_tpl, *restore_tpl;
	efi_status (EFIAPI *allocate_pages)(enum efi_allocate_type type, enum efi_memory_type mt,
					    uint64_t pages, uint64_t *memory);
	void *free_pages;
	efi_status (EFIAPI *get_memory_map)(uint64_t *size, void *map, uint64_t *key,
					    uint64_t *desc_size, uint32_t *desc_version);
	void *allocate_pool, *free_pool;
	void *create_event, *set_timer, *wait_for_event, *signal_event, *close_event, *check_event;
	void *install_protocol_interface, *reinstall_protocol_interface,
	     *uninstall_protocol_interface;
	efi_status (EFIAPI *handle_protocol)(efi_handle h, const struct efi_guid *guid, void **iface);
	void *reserved, *register_protocol_notify, *locate_handle, *locate_device_path,
	     *install_configuration_table;
	void *load_image, *start_image, *exit, *unload_image;
	efi_status (EFIAPI *exit_boot_services)(efi_handle image, uint64_t map_key);
	void *get_next_monotonic_count, *stall;
	efi_status (EFIAPI *set_watchdog_timer)(uint64_t timeout, uint64_t code, uint64_t size,
						const efi_char16 *data);
	void *connect_controller, *disconnect_controller;
	void *open_protocol, *close_protocol, *open_protocol_information;
	void *protocols_per_handle, *locate_handle_buffer;
	efi_status (EFIAPI *locate_protocol)(const struct efi_guid *guid, void *registration,
					     void **iface);
};

/* Section 8.1 "EFI Runtime Services Table" (up to GetVariable). */
struct efi_runtime_services {
	struct efi_table_header hdr;
	void *get_time, *set_time, *get_wakeup_time, *set_wakeup_time;
	void *set_virtual_address_map, *convert_pointer;
	efi_status (EFIAPI *get_variable)(const efi_char16 *name, const struct efi_guid *vendor,
					  uint32_t *attributes, uint64_t *size, void *data);
};

/* Section 4.6 "EFI Configuration Table". */
struct efi_configuration_table {
	struct efi_guid vendor_guid;
	void *vendor_table;
};

/* Section 4.3 "EFI System Table". */
struct efi_system_table {
	struct efi_table_header hdr;
	const efi_char16 *firmware_vendor;
	uint32_t firmware_revision;
	efi_handle console_in_handle;
	void *con_in;
	efi_handle console_out_handle;
	struct efi_simple_text_output *con_out;
	efi_handle standard_error_handle;
	void *std_err;
	struct efi_runtime_services *runtime_services;
	struct efi_boot_services *boot_services;
	uint64_t number_of_table_entries;
	struct efi_configuration_table *configuration_table;
};

/* Section 9.1 "EFI Loaded Image Protocol". */
struct efi_loaded_image {
	uint32_t revision;
	efi_handle parent_handle;
	struct efi_system_table *system_table;
	efi_handle device_handle;
	void *file_path;
	void *reserved;
	uint32_t load_options_size;
	void *load_options;
	void *image_base;
	uint64_t image_size;
	enum efi_memory_type image_code_type, image_data_type;
	void *unload;
};

/* Section 12.9 "Graphics Output Protocol": EFI_GRAPHICS_PIXEL_FORMAT and the mode. */
enum efi_pixel_format {
	EFI_PIXEL_RGB_RESERVED_8BPC, EFI_PIXEL_BGR_RESERVED_8BPC, EFI_PIXEL_BIT_MASK,
	EFI_PIXEL_BLT_ONLY,
};
struct efi_gop_mode_info {
	uint32_t version, horizontal_resolution, vertical_resolution;
	enum efi_pixel_format pixel_format;
	uint32_t red_mask, green_mask, blue_mask, reserved_mask;
	uint32_t pixels_per_scan_line;
};
struct efi_gop_mode {
	uint32_t max_mode, mode;
	struct efi_gop_mode_info *info;
	uint64_t size_of_info;
	uint64_t frame_buffer_base, frame_buffer_size;
};
struct efi_gop {
	void *query_mode, *set_mode, *blt;
	struct efi_gop_mode *mode;
};

/*
 * The UEFI memory type as a Multiboot2 memory map type, as ACPI 6.5 section
 * 15.4 "UEFI Assumptions and Limitations" maps UEFI types to E820 ones (table
 * "UEFI Memory Types and mapping to ACPI address range types"): after
 * ExitBootServices the loader's and boot services' memory is free RAM, the
 * runtime services', MMIO and reserved memory are the firmware's.
 */
uint32_t efi_memory_type_to_mb2(uint32_t efi_type);

/*
 * Convert GetMemoryMap()'s descriptors (size bytes, desc_size each) into
 * info->mmap, adjacent entries of the same type merged; sets has_mmap,
 * mmap_count and mmap_truncated. Descriptors shorter than the structure above
 * (desc_size too small) give no entries.
 */
void efi_mmap_convert(const void *map, uint64_t size, uint64_t desc_size, struct mb2_info *info);

/*
 * The image's LoadOptions (UCS-2, bytes long, possibly not NUL-terminated) as
 * the kernel command line in info->cmdline. The UEFI Shell and GRUB's
 * chainloader pass the image's own name first (Shell: "vmxprobe.efi
 * exit=halt"): a first word ending in ".efi" (any case), with no '=' (an
 * option), is dropped. Options
 * that are not printable text (a boot entry's binary OptionalData) give an
 * empty command line and return false; characters beyond ASCII become '?'.
 */
bool efi_cmdline(const void *opts, uint32_t bytes, struct mb2_info *info);

/* The GOP mode as a Multiboot2-style framebuffer; false for a BLT-only mode. */
bool efi_gop_framebuffer(const struct efi_gop_mode_info *mi, uint64_t base,
			 struct mb2_framebuffer *fb);

/*
 * Apply a PE image's base relocations (PE/COFF specification, "The .reloc
 * Section (Image Only)": blocks of a page RVA and a block size, then 16-bit
 * entries of type << 12 | offset; IMAGE_REL_BASED_DIR64 (10) adds delta to the
 * 64-bit value there, IMAGE_REL_BASED_ABSOLUTE (0) pads) to the image loaded at
 * `image`, size bytes, headers included, for a move by delta. Returns the
 * number of DIR64 entries applied, or -1 when the headers or the table are
 * malformed or an entry points outside the image (nothing is then promised
 * about what was applied before it).
 */
long efi_pe_relocate(uint8_t *image, uint64_t size, uint64_t delta);

/* Secure Boot state from the SecureBoot and SetupMode variables (-1: absent). */
enum efi_secure_boot { EFI_SB_UNKNOWN, EFI_SB_OFF, EFI_SB_ON, EFI_SB_SETUP };
enum efi_secure_boot efi_secure_boot_state(int secure_boot, int setup_mode);
const char *efi_secure_boot_str(enum efi_secure_boot s);

#endif
