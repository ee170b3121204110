/* SPDX-License-Identifier: MIT */
/* links: lib/acpi.c lib/diag.c lib/fmt.c */
/*
 * libFuzzer target for the MADT walker (and the RSDP parser on the same bytes):
 * any input must end the walk, in bounds, without undefined behaviour.
 * Built and run by `make fuzz` (tests/fuzz/run.sh).
 */
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct madt_cpu cpus[8];
	struct madt_info mi = { .cpus = cpus, .cap = 8 };
	struct diag d = { 0 };
	struct acpi_rsdp r;

	if (size > UINT32_MAX)
		return 0;
	uint8_t *copy = fuzz_dup(data, size);
	if (madt_parse(copy, (uint32_t)size, &mi, &d))
		fuzz_check_cpus(&mi);
	acpi_rsdp_parse(copy, size, &r, &d);
	long off = acpi_scan_rsdp(copy, size);
	FUZZ_ASSERT(off == -1 || (off >= 0 && off % 16 == 0 && (size_t)off + 20 <= size));
	free(copy);
	return 0;
}
