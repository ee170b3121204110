/* SPDX-License-Identifier: MIT */
/* links: lib/options.c lib/fmt.c */
/*
 * libFuzzer target for the command-line parser: options_parse on a
 * NUL-terminated copy of the input, options_parse_console on an exact copy
 * (it takes a length, not a string). Whatever the words, every field must hold
 * a value the kernel can use.
 */
#include "tests/fuzz/fuzz.h"
#include "lib/options.h"

static void check(const struct vp_options *o)
{
	FUZZ_ASSERT(o->console_port && o->console_port <= 0xfff8);
	FUZZ_ASSERT(o->console_baud && o->console_baud <= UART_CLOCK_BAUD &&
		    UART_CLOCK_BAUD % o->console_baud == 0);
	FUZZ_ASSERT(o->exit <= EXIT_BOCHS);     /* (the selftest list keeps growing) */
	FUZZ_ASSERT(o->vmxcap <= VMXCAP_ALL && o->time_source <= TIME_PIT);
	FUZZ_ASSERT(o->smp_delay <= SMP_DELAY_MODERN);
	FUZZ_ASSERT(o->reboot_after >= -1 && o->reboot_after <= REBOOT_MAX_SECONDS);
	for (unsigned i = 0; i < o->nwarn && i < OPT_WARN_MAX; i++)
		FUZZ_ASSERT(memchr(o->warn[i], 0, OPT_WARN_LEN));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vp_options o;

	if (size > 65536)
		return 0;
	char *s = malloc(size + 1);
	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	options_defaults(&o);
	options_parse(s, &o);
	check(&o);
	free(s);

	uint8_t *v = fuzz_dup(data, size);
	uint16_t port = 0x3f8;
	uint32_t baud = UART_CLOCK_BAUD;
	if (options_parse_console((const char *)v, (unsigned)size, &port, &baud))
		FUZZ_ASSERT(port && port <= 0xfff8 && baud && UART_CLOCK_BAUD % baud == 0);
	free(v);
	return 0;
}
