/*
 * libFuzzer target for the MADT walker (and the RSDP parser on the same bytes):
 * any input must end the walk, in bounds, without undefined behaviour.
 * Built and run by `make fuzz` (clang -fsanitize=fuzzer,address,undefined).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/acpi.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct madt_cpu cpus[8];
	struct madt_info mi = { .cpus = cpus, .cap = 8 };
	struct diag d = { 0 };
	struct acpi_rsdp r;

	/* An exact-size heap copy, so ASan sees any read past the table. */
	uint8_t *copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	madt_parse(copy, (uint32_t)size, &mi, &d);
	if (mi.stored > mi.cap || mi.enabled < mi.overflow)
		abort();
	acpi_rsdp_parse(copy, size, &r, &d);
	acpi_scan_rsdp(copy, size);
	free(copy);
	return 0;
}
