/* Kernel command-line parser: see options.h. */
#include "lib/options.h"

#include "lib/fmt.h"

static bool word_is(const char *s, unsigned len, const char *lit)
{
	unsigned i = 0;

	for (; i < len && lit[i]; i++)
		if (s[i] != lit[i])
			return false;
	return i == len && !lit[i];
}

/* Parse an unsigned decimal or 0x-hex number occupying exactly len bytes. */
static bool parse_uint(const char *s, unsigned len, uint32_t *out)
{
	unsigned base = 10, i = 0;
	uint64_t v = 0;

	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	}
	if (i == len)
		return false;
	for (; i < len; i++) {
		char c = s[i];
		unsigned d;
		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (base == 16 && c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else if (base == 16 && c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else
			return false;
		v = v * base + d;
		if (v > 0xffffffffu)
			return false;
	}
	*out = (uint32_t)v;
	return true;
}

bool options_parse_console(const char *v, unsigned len, uint16_t *port, uint32_t *baud)
{
	static const uint16_t com_ports[] = { 0x3f8, 0x2f8, 0x3e8, 0x2e8 };
	unsigned plen = 0;
	uint32_t p, b = UART_CLOCK_BAUD;

	while (plen < len && v[plen] != ',')
		plen++;
	if (plen < len) {
		/* The baud rate must give a whole divisor of the 115200 base rate. */
		if (!parse_uint(v + plen + 1, len - plen - 1, &b) || b == 0 ||
		    b > UART_CLOCK_BAUD || UART_CLOCK_BAUD % b)
			return false;
	}
	if (plen == 5 && word_is(v, 4, "ttyS") && v[4] >= '0' && v[4] <= '3') {
		p = com_ports[v[4] - '0'];
	} else if (plen > 2 && v[0] == '0' && (v[1] == 'x' || v[1] == 'X')) {
		if (!parse_uint(v, plen, &p) || p == 0 || p > 0xfff8)
			return false;
	} else {
		return false;
	}
	*port = (uint16_t)p;
	*baud = b;
	return true;
}

static void warn(struct vp_options *o, const char *what, const char *w, unsigned len)
{
	if (o->nwarn < OPT_WARN_MAX)
		fmt_snprintf(o->warn[o->nwarn], OPT_WARN_LEN, "%s '%.*s'", what, (int)len, w);
	o->nwarn++;
}

void options_defaults(struct vp_options *o)
{
	o->console_port = COM1_PORT;
	o->console_baud = UART_CLOCK_BAUD;
	o->exit = EXIT_AUTO;
	o->selftest = SELFTEST_NONE;
	o->smp_delay = SMP_DELAY_SDM;
	o->screen = true;
	o->vmxcap = VMXCAP_BSP;
	o->reboot_after = -1;
	o->nwarn = 0;
}

static void parse_word(struct vp_options *o, const char *w, unsigned len)
{
	unsigned klen = 0;

	while (klen < len && w[klen] != '=')
		klen++;
	const char *val = w + klen + 1;
	unsigned vlen = klen < len ? len - klen - 1 : 0;
	bool has_val = klen < len;

	if (word_is(w, klen, "console") && has_val) {
		if (!options_parse_console(val, vlen, &o->console_port, &o->console_baud))
			warn(o, "bad console= value (want ttyS0-3 or 0xPORT, optional ,BAUD dividing 115200):",
			     w, len);
	} else if (word_is(w, klen, "exit") && has_val) {
		if (word_is(val, vlen, "auto"))
			o->exit = EXIT_AUTO;
		else if (word_is(val, vlen, "halt"))
			o->exit = EXIT_HALT;
		else if (word_is(val, vlen, "qemu"))
			o->exit = EXIT_QEMU;
		else if (word_is(val, vlen, "bochs"))
			o->exit = EXIT_BOCHS;
		else
			warn(o, "bad exit= value (want auto, halt, qemu or bochs):", w, len);
	} else if (word_is(w, klen, "selftest") && has_val) {
		if (word_is(val, vlen, "fault"))
			o->selftest = SELFTEST_FAULT;
		else if (word_is(val, vlen, "fault-ap"))
			o->selftest = SELFTEST_FAULT_AP;
		else if (word_is(val, vlen, "fixup"))
			o->selftest = SELFTEST_FIXUP;
		else if (word_is(val, vlen, "no-sipi"))
			o->selftest = SELFTEST_NO_SIPI;
		else if (word_is(val, vlen, "vmxon"))
			o->selftest = SELFTEST_VMXON;
		else
			warn(o, "bad selftest= value (want vmxon, fault, fault-ap, fixup or no-sipi):", w, len);
	} else if (word_is(w, klen, "smp.delay") && has_val) {
		if (word_is(val, vlen, "sdm"))
			o->smp_delay = SMP_DELAY_SDM;
		else if (word_is(val, vlen, "modern"))
			o->smp_delay = SMP_DELAY_MODERN;
		else
			warn(o, "bad smp.delay= value (want sdm or modern):", w, len);
	} else if (word_is(w, klen, "vmxcap") && has_val) {
		if (word_is(val, vlen, "off"))
			o->vmxcap = VMXCAP_OFF;
		else if (word_is(val, vlen, "bsp"))
			o->vmxcap = VMXCAP_BSP;
		else if (word_is(val, vlen, "all"))
			o->vmxcap = VMXCAP_ALL;
		else
			warn(o, "bad vmxcap= value (want bsp, all or off):", w, len);
	} else if (word_is(w, klen, "screen") && has_val) {
		if (word_is(val, vlen, "on"))
			o->screen = true;
		else if (word_is(val, vlen, "off"))
			o->screen = false;
		else
			warn(o, "bad screen= value (want on or off):", w, len);
	} else if (word_is(w, klen, "reboot") && has_val) {
		uint32_t secs;
		if (parse_uint(val, vlen, &secs) && secs <= REBOOT_MAX_SECONDS)
			o->reboot_after = (int32_t)secs;
		else
			warn(o, "bad reboot= value (want seconds, 0-86400):", w, len);
	} else {
		warn(o, "unknown option", w, len);
	}
}

void options_parse(const char *cmdline, struct vp_options *o)
{
	const char *p = cmdline;

	if (!p)
		return;
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		const char *w = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		parse_word(o, w, (unsigned)(p - w));
	}
}

const char *exit_mode_str(enum exit_mode m)
{
	switch (m) {
	case EXIT_AUTO:  return "auto";
	case EXIT_HALT:  return "halt";
	case EXIT_QEMU:  return "qemu";
	case EXIT_BOCHS: return "bochs";
	}
	return "?";
}
