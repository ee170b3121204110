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

#define ARRAY_SIZE(a)   (sizeof(a) / sizeof((a)[0]))

/* One of a fixed set of words for an option's value. */
struct choice {
	const char *name;
	int value;
};

static bool choose(const char *v, unsigned len, const struct choice *c, unsigned n, int *out)
{
	for (unsigned i = 0; i < n; i++)
		if (word_is(v, len, c[i].name)) {
			*out = c[i].value;
			return true;
		}
	return false;
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
	o->time_source = TIME_AUTO;
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
	int x;

	if (word_is(w, klen, "console") && has_val) {
		if (!options_parse_console(val, vlen, &o->console_port, &o->console_baud))
			warn(o, "bad console= value (want ttyS0-3 or 0xPORT, optional ,BAUD dividing 115200):",
			     w, len);
	} else if (word_is(w, klen, "exit") && has_val) {
		static const struct choice c[] = {
			{ "auto", EXIT_AUTO }, { "halt", EXIT_HALT }, { "qemu", EXIT_QEMU },
			{ "bochs", EXIT_BOCHS },
		};
		if (!choose(val, vlen, c, ARRAY_SIZE(c), &x))
			warn(o, "bad exit= value (want auto, halt, qemu or bochs):", w, len);
		else
			o->exit = (enum exit_mode)x;
	} else if (word_is(w, klen, "selftest") && has_val) {
		static const struct choice c[] = {
			{ "vmxon", SELFTEST_VMXON }, { "fault", SELFTEST_FAULT },
			{ "fault-ap", SELFTEST_FAULT_AP }, { "fixup", SELFTEST_FIXUP },
			{ "no-sipi", SELFTEST_NO_SIPI }, { "late-ap", SELFTEST_LATE_AP },
			{ "apic-id", SELFTEST_APIC_ID }, { "nmi", SELFTEST_NMI },
			{ "nmi-wait", SELFTEST_NMI_WAIT }, { "vmx-left-on", SELFTEST_VMX_LEFT_ON },
			{ "fault-ap-vmx", SELFTEST_FAULT_AP_VMX },
		};
		if (!choose(val, vlen, c, ARRAY_SIZE(c), &x))
			warn(o, "bad selftest= value (want vmxon, fault, fault-ap, fault-ap-vmx, fixup, "
				"no-sipi, late-ap, apic-id, nmi, nmi-wait or vmx-left-on):", w, len);
		else
			o->selftest = (enum selftest)x;
	} else if (word_is(w, klen, "smp.delay") && has_val) {
		static const struct choice c[] = {
			{ "sdm", SMP_DELAY_SDM }, { "modern", SMP_DELAY_MODERN },
		};
		if (!choose(val, vlen, c, ARRAY_SIZE(c), &x))
			warn(o, "bad smp.delay= value (want sdm or modern):", w, len);
		else
			o->smp_delay = (enum smp_delay)x;
	} else if (word_is(w, klen, "time.source") && has_val) {
		static const struct choice c[] = {
			{ "auto", TIME_AUTO }, { "pmtimer", TIME_PMTIMER }, { "cpuid", TIME_CPUID },
			{ "pit", TIME_PIT },
		};
		if (!choose(val, vlen, c, ARRAY_SIZE(c), &x))
			warn(o, "bad time.source= value (want auto, pmtimer, cpuid or pit):", w, len);
		else
			o->time_source = (enum time_source)x;
	} else if (word_is(w, klen, "vmxcap") && has_val) {
		static const struct choice c[] = {
			{ "bsp", VMXCAP_BSP }, { "all", VMXCAP_ALL }, { "off", VMXCAP_OFF },
		};
		if (!choose(val, vlen, c, ARRAY_SIZE(c), &x))
			warn(o, "bad vmxcap= value (want bsp, all or off):", w, len);
		else
			o->vmxcap = (enum vmxcap_mode)x;
	} else if (word_is(w, klen, "screen") && has_val) {
		static const struct choice c[] = { { "on", 1 }, { "off", 0 } };
		if (!choose(val, vlen, c, ARRAY_SIZE(c), &x))
			warn(o, "bad screen= value (want on or off):", w, len);
		else
			o->screen = x;
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
