/* SPDX-License-Identifier: MIT */
/* Kernel command-line parser: see options.h. */
#include "lib/options.h"

#include "lib/const.h"
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
	static const uint16_t com_ports[] = { COM1_PORT, COM2_PORT, COM3_PORT, COM4_PORT };
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

/* One of a fixed set of words for an option's value; a list ends with { 0, 0 }. */
struct choice {
	const char *name;
	int value;
};

static const struct choice exit_choices[] = {
	{ "auto", EXIT_AUTO }, { "halt", EXIT_HALT }, { "qemu", EXIT_QEMU }, { "bochs", EXIT_BOCHS },
	{ 0, 0 },
};
/* In the order the warning lists them (matching does not depend on the order). */
static const struct choice selftest_choices[] = {
	{ "vmxon", SELFTEST_VMXON }, { "vmx", SELFTEST_VMX }, { "svm", SELFTEST_SVM },
	{ 0, 0 },
};
static const struct choice inject_choices[] = {
	{ "fault", INJECT_FAULT }, { "fault-ap", INJECT_FAULT_AP },
	{ "fault-ap-vmx", INJECT_FAULT_AP_VMX }, { "fixup", INJECT_FIXUP },
	{ "no-sipi", INJECT_NO_SIPI }, { "late-ap", INJECT_LATE_AP },
	{ "apic-id", INJECT_APIC_ID }, { "nmi", INJECT_NMI }, { "nmi-wait", INJECT_NMI_WAIT },
	{ "vmx-left-on", INJECT_VMX_LEFT_ON }, { "bad-control", INJECT_BAD_CONTROL },
	{ "bad-host", INJECT_BAD_HOST }, { "bad-guest", INJECT_BAD_GUEST },
	{ "bad-control-nocheck", INJECT_BAD_CONTROL_NOCHECK },
	{ "bad-host-nocheck", INJECT_BAD_HOST_NOCHECK },
	{ "bad-guest-nocheck", INJECT_BAD_GUEST_NOCHECK },
	{ 0, 0 },
};
static const struct choice smp_delay_choices[] = {
	{ "sdm", SMP_DELAY_SDM }, { "modern", SMP_DELAY_MODERN },
	{ 0, 0 },
};
static const struct choice time_source_choices[] = {
	{ "auto", TIME_AUTO }, { "pmtimer", TIME_PMTIMER }, { "cpuid", TIME_CPUID }, { "pit", TIME_PIT },
	{ "kvmclock", TIME_KVMCLOCK },
	{ 0, 0 },
};
static const struct choice vmxcap_choices[] = {
	{ "bsp", VMXCAP_BSP }, { "all", VMXCAP_ALL }, { "off", VMXCAP_OFF },
	{ 0, 0 },
};
static const struct choice on_off_choices[] = {
	{ "on", true }, { "off", false },
	{ 0, 0 },
};

/* The fields have enum types of their own: one setter each stores a chosen value. */
#define SETTER(field, type) \
	static void set_##field(struct vp_options *o, int v) { o->field = (type)v; }
SETTER(exit, enum exit_mode)
SETTER(selftest, enum selftest)
SETTER(inject, enum inject)
SETTER(smp_delay, enum smp_delay)
SETTER(time_source, enum time_source)
SETTER(vmxcap, enum vmxcap_mode)
SETTER(screen, bool)
SETTER(guest, bool)
SETTER(ready, bool)
#undef SETTER

/* The enumerated options: key=<one of the choices>; anything else is warned about. */
static const struct enum_option {
	const char *key;
	const struct choice *choices;
	void (*set)(struct vp_options *o, int value);
} enum_options[] = {
	{ "exit",        exit_choices,        set_exit },
	{ "selftest",    selftest_choices,    set_selftest },
	{ "inject",      inject_choices,      set_inject },
	{ "smp.delay",   smp_delay_choices,   set_smp_delay },
	{ "time.source", time_source_choices, set_time_source },
	{ "vmxcap",      vmxcap_choices,      set_vmxcap },
	{ "screen",      on_off_choices,      set_screen },
	{ "guest",       on_off_choices,      set_guest },
	{ "ready",       on_off_choices,      set_ready },
};

static bool choose(const char *v, unsigned len, const struct choice *c, int *out)
{
	for (; c->name; c++)
		if (word_is(v, len, c->name)) {
			*out = c->value;
			return true;
		}
	return false;
}

/* Append s to the NUL-terminated buf of OPT_WARN_LEN bytes, cutting what does not fit. */
static void append(char *buf, const char *s)
{
	unsigned n = 0;

	while (buf[n])
		n++;
	while (*s && n < OPT_WARN_LEN - 1)
		buf[n++] = *s++;
	buf[n] = '\0';
}

/*
 * "bad exit= value (want auto, halt, qemu or bochs):". Only the first OPT_WARN_LEN - 1
 * bytes of a warning are kept, so a longer text is cut here with no loss.
 */
static void want_text(char buf[OPT_WARN_LEN], const struct enum_option *e)
{
	buf[0] = '\0';
	append(buf, "bad ");
	append(buf, e->key);
	append(buf, "= value (want ");
	for (const struct choice *c = e->choices; c->name; c++) {
		if (c != e->choices)
			append(buf, c[1].name ? ", " : " or ");
		append(buf, c->name);
	}
	append(buf, "):");
}

/*
 * The word is quoted as the version line quotes the command line (fmt_quote():
 * control and non-ASCII bytes as \xNN), so an options: line never carries a raw
 * control byte to the terminal or the log.
 */
static void warn(struct vp_options *o, const char *what, const char *w, unsigned len)
{
	char word[OPT_WARN_LEN], quoted[OPT_WARN_LEN];

	if (o->nwarn < OPT_WARN_MAX) {
		if (len > sizeof(word) - 1)
			len = sizeof(word) - 1;
		for (unsigned i = 0; i < len; i++)
			word[i] = w[i];
		word[len] = '\0';
		fmt_quote(quoted, sizeof(quoted), word);
		fmt_snprintf(o->warn[o->nwarn], OPT_WARN_LEN, "%s '%s'", what, quoted);
	}
	o->nwarn++;
}

void options_defaults(struct vp_options *o)
{
	o->console_port = COM1_PORT;
	o->console_baud = UART_CLOCK_BAUD;
	o->exit = EXIT_AUTO;
	o->selftest = SELFTEST_NONE;
	o->inject = INJECT_NONE;
	o->smp_delay = SMP_DELAY_SDM;
	o->time_source = TIME_AUTO;
	o->screen = true;
	o->guest = true;
	o->ready = true;
	o->vmxcap = VMXCAP_BSP;
	o->reboot_after = -1;
	o->selftest_skip[0] = '\0';
	o->nwarn = 0;
}

static void parse_word(struct vp_options *o, const char *w, unsigned len)
{
	unsigned klen = 0;

	while (klen < len && w[klen] != '=')
		klen++;
	const char *val = w + klen + 1;
	unsigned vlen = klen < len ? len - klen - 1 : 0;

	if (klen == len) {
		warn(o, "unknown option", w, len);      /* a bare key: none is known */
		return;
	}
	if (word_is(w, klen, "console")) {
		if (!options_parse_console(val, vlen, &o->console_port, &o->console_baud))
			warn(o, "bad console= value (want ttyS0-3 or 0xPORT, optional ,BAUD dividing 115200):",
			     w, len);
		return;
	}
	if (word_is(w, klen, "selftest.skip")) {
		/* Kept as written (rule ids, comma-separated); the rules look themselves
		 * up in it (options_skips_rule()). */
		if (vlen == 0 || vlen >= OPT_SKIP_LEN)
			warn(o, "bad selftest.skip= value (want rule ids, comma-separated, under 256 bytes):",
			     w, len);
		else {
			for (unsigned i = 0; i < vlen; i++)
				o->selftest_skip[i] = val[i];
			o->selftest_skip[vlen] = '\0';
		}
		return;
	}
	if (word_is(w, klen, "reboot")) {
		uint32_t secs;
		if (parse_uint(val, vlen, &secs) && secs <= REBOOT_MAX_SECONDS)
			o->reboot_after = (int32_t)secs;
		else
			warn(o, "bad reboot= value (want seconds, 0-86400):", w, len);
		return;
	}
	for (unsigned i = 0; i < ARRAY_SIZE(enum_options); i++) {
		const struct enum_option *e = &enum_options[i];
		int x;

		if (!word_is(w, klen, e->key))
			continue;
		if (choose(val, vlen, e->choices, &x)) {
			e->set(o, x);
		} else {
			char want[OPT_WARN_LEN];
			want_text(want, e);
			warn(o, want, w, len);
		}
		return;
	}
	warn(o, "unknown option", w, len);
}

bool options_skips_rule(const struct vp_options *o, const char *id)
{
	const char *s = o->selftest_skip;

	while (*s) {
		unsigned n = 0;
		while (s[n] && s[n] != ',')
			n++;
		if (word_is(s, n, id))
			return true;
		s += n + (s[n] == ',');
	}
	return false;
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
	for (const struct choice *c = exit_choices; c->name; c++)
		if (c->value == (int)m)
			return c->name;
	return "?";
}
