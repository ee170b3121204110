/* SPDX-License-Identifier: MIT */
/* Command-line parser. */
#include "check.h"
#include "lib/options.h"

static struct vp_options parse(const char *s)
{
	struct vp_options o;

	options_defaults(&o);
	options_parse(s, &o);
	return o;
}

/* The warning a bad value gets: what it wants, then the word, cut to OPT_WARN_LEN - 1. */
static void check_bad_value(const char *word, const char *want_text)
{
	char want[OPT_WARN_LEN];
	struct vp_options o = parse(word);

	snprintf(want, sizeof(want), "%s '%s'", want_text, word);
	CHECK_EQ(o.nwarn, 1);
	CHECK_STR(o.warn[0], want);
}

/* Every word each enumerated option takes, and the value it stores. */
static void check_choices(void)
{
	static const struct { const char *word; int exit; } ex[] = {
		{ "exit=auto", EXIT_AUTO }, { "exit=halt", EXIT_HALT }, { "exit=qemu", EXIT_QEMU },
		{ "exit=bochs", EXIT_BOCHS },
	};
	static const struct { const char *word; int selftest; } st[] = {
		{ "selftest=vmxon", SELFTEST_VMXON }, { "selftest=vmx", SELFTEST_VMX },
	};
	static const struct { const char *word; int inject; } in[] = {
		{ "inject=fault", INJECT_FAULT }, { "inject=fault-ap", INJECT_FAULT_AP },
		{ "inject=fault-ap-vmx", INJECT_FAULT_AP_VMX },
		{ "inject=fixup", INJECT_FIXUP }, { "inject=no-sipi", INJECT_NO_SIPI },
		{ "inject=late-ap", INJECT_LATE_AP }, { "inject=apic-id", INJECT_APIC_ID },
		{ "inject=nmi", INJECT_NMI }, { "inject=nmi-wait", INJECT_NMI_WAIT },
		{ "inject=vmx-left-on", INJECT_VMX_LEFT_ON },
		{ "inject=bad-control", INJECT_BAD_CONTROL }, { "inject=bad-host", INJECT_BAD_HOST },
		{ "inject=bad-guest", INJECT_BAD_GUEST },
		{ "inject=bad-control-nocheck", INJECT_BAD_CONTROL_NOCHECK },
		{ "inject=bad-host-nocheck", INJECT_BAD_HOST_NOCHECK },
		{ "inject=bad-guest-nocheck", INJECT_BAD_GUEST_NOCHECK },
	};
	static const struct { const char *word; int time_source; } ts[] = {
		{ "time.source=auto", TIME_AUTO }, { "time.source=pmtimer", TIME_PMTIMER },
		{ "time.source=cpuid", TIME_CPUID }, { "time.source=pit", TIME_PIT },
		{ "time.source=kvmclock", TIME_KVMCLOCK },
	};
	static const struct { const char *word; int vmxcap; } vc[] = {
		{ "vmxcap=bsp", VMXCAP_BSP }, { "vmxcap=all", VMXCAP_ALL }, { "vmxcap=off", VMXCAP_OFF },
	};
	struct vp_options o;

	for (unsigned i = 0; i < sizeof(ex) / sizeof(ex[0]); i++) {
		o = parse(i ? ex[i].word : "exit=qemu exit=auto");   /* not just the default */
		CHECK_EQ(o.exit, ex[i].exit);
		CHECK_EQ(o.nwarn, 0);
	}
	for (unsigned i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		o = parse(in[i].word);
		CHECK_EQ(o.inject, in[i].inject);
		CHECK_EQ(o.selftest, SELFTEST_NONE);
		CHECK_EQ(o.nwarn, 0);
	}
	for (unsigned i = 0; i < sizeof(st) / sizeof(st[0]); i++) {
		o = parse(st[i].word);
		CHECK_EQ(o.selftest, st[i].selftest);
		CHECK_EQ(o.inject, INJECT_NONE);
		CHECK_EQ(o.nwarn, 0);
	}
	for (unsigned i = 0; i < sizeof(ts) / sizeof(ts[0]); i++) {
		o = parse(i ? ts[i].word : "time.source=pit time.source=auto");
		CHECK_EQ(o.time_source, ts[i].time_source);
		CHECK_EQ(o.nwarn, 0);
	}
	for (unsigned i = 0; i < sizeof(vc) / sizeof(vc[0]); i++) {
		o = parse(i ? vc[i].word : "vmxcap=off vmxcap=bsp");
		CHECK_EQ(o.vmxcap, vc[i].vmxcap);
		CHECK_EQ(o.nwarn, 0);
	}
	o = parse("smp.delay=modern smp.delay=sdm");
	CHECK_EQ(o.smp_delay, SMP_DELAY_SDM);
	CHECK_EQ(o.nwarn, 0);
	o = parse("smp.delay=modern screen=off screen=on");
	CHECK_EQ(o.smp_delay, SMP_DELAY_MODERN);
	CHECK(o.screen);
	CHECK_EQ(o.nwarn, 0);
}

/* The exact warnings (the boot tests match them too). */
static void check_warnings(void)
{
	check_bad_value("exit=sometimes", "bad exit= value (want auto, halt, qemu or bochs):");
	check_bad_value("smp.delay=fast", "bad smp.delay= value (want sdm or modern):");
	check_bad_value("time.source=hpet",
			"bad time.source= value (want auto, pmtimer, cpuid, pit or kvmclock):");
	check_bad_value("vmxcap=some", "bad vmxcap= value (want bsp, all or off):");
	check_bad_value("screen=maybe", "bad screen= value (want on or off):");
	check_bad_value("reboot=soon", "bad reboot= value (want seconds, 0-86400):");
	check_bad_value("console=ttyS9", "bad console= value (want ttyS0-3 or 0xPORT, optional "
			",BAUD dividing 115200):");
	/* A control byte in a word is quoted as \xNN, as the version line's cmdline is. */
	struct vp_options q = parse("exit=\x1b[2Jgone screen=\x07 \xff=1");
	CHECK_EQ(q.nwarn, 3);
	CHECK_STR(q.warn[0], "bad exit= value (want auto, halt, qemu or bochs): 'exit=\\x1b[2Jgone'");
	CHECK_STR(q.warn[1], "bad screen= value (want on or off): 'screen=\\x07'");
	CHECK(strstr(q.warn[2], "'\\xff=1'") != 0);
	/* selftest= lists only what a user chooses; the tests' values are inject='s. */
	check_bad_value("selftest=nothing", "bad selftest= value (want vmxon, vmx or svm):");
	check_bad_value("selftest=fault", "bad selftest= value (want vmxon, vmx or svm):");
	/* The longest list still fits a warning, with the word after it. */
	check_bad_value("inject=nothing", "bad inject= value (want fault, fault-ap, "
			"fault-ap-vmx, fixup, no-sipi, late-ap, apic-id, nmi, nmi-wait, vmx-left-on, "
			"bad-control, bad-host, bad-guest, bad-control-nocheck, bad-host-nocheck "
			"or bad-guest-nocheck):");
	struct vp_options o = parse("inject=nothing");
	CHECK(strstr(o.warn[0], "bad-guest-nocheck): 'inject=nothing'") != 0);
	/* guest=on|off, on by default. */
	CHECK(parse("").guest);
	CHECK(!parse("guest=off").guest);
	CHECK(parse("guest=off guest=on").guest);
	check_bad_value("guest=maybe", "bad guest= value (want on or off):");
	/* ready=on|off, on by default; vmxcap=off leaves it on. */
	CHECK(parse("").ready);
	CHECK(parse("vmxcap=off").ready);
	CHECK(!parse("ready=off").ready);
	check_bad_value("ready=no", "bad ready= value (want on or off):");

	/* A value matches a whole choice: not a prefix of one, not one with more after it. */
	check_bad_value("exit=aut", "bad exit= value (want auto, halt, qemu or bochs):");
	check_bad_value("exit=autox", "bad exit= value (want auto, halt, qemu or bochs):");
	check_bad_value("exit=AUTO", "bad exit= value (want auto, halt, qemu or bochs):");
	check_bad_value("screen=", "bad screen= value (want on or off):");
	check_bad_value("exit=auto=1", "bad exit= value (want auto, halt, qemu or bochs):");

	/* Keys match whole too; a bare known key is unknown; a word with no key likewise. */
	static const char *const unknown[] = {
		"exitt=auto", "exi=auto", "Exit=auto", "smp=sdm", "smp.delay", "screen", "selftest",
		"=auto", "=",
	};
	for (unsigned i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		char want[OPT_WARN_LEN];

		o = parse(unknown[i]);
		snprintf(want, sizeof(want), "unknown option '%s'", unknown[i]);
		CHECK_EQ(o.nwarn, 1);
		CHECK_STR(o.warn[0], want);
	}
}

int main(void)
{
	struct vp_options o = parse("");
	CHECK_EQ(o.console_port, 0x3f8);
	CHECK_EQ(o.console_baud, 115200);
	CHECK_EQ(o.exit, EXIT_AUTO);
	CHECK_EQ(o.selftest, SELFTEST_NONE);
	CHECK_EQ(o.smp_delay, SMP_DELAY_SDM);
	CHECK_EQ(o.nwarn, 0);

	o = parse("  console=ttyS1   exit=qemu\tinject=fault smp.delay=modern ");
	CHECK_EQ(o.console_port, 0x2f8);
	CHECK_EQ(o.exit, EXIT_QEMU);
	CHECK_EQ(o.inject, INJECT_FAULT);
	CHECK_EQ(o.smp_delay, SMP_DELAY_MODERN);
	CHECK_EQ(o.nwarn, 0);

	/* selftest=svm and the rules it is told to skip. */
	o = parse("selftest=svm selftest.skip=lme-pe,npf-reserved");
	CHECK_EQ(o.selftest, SELFTEST_SVM);
	CHECK_EQ(o.nwarn, 0);
	CHECK(options_skips_rule(&o, "lme-pe"));
	CHECK(options_skips_rule(&o, "npf-reserved"));
	CHECK(!options_skips_rule(&o, "lme"));
	CHECK(!options_skips_rule(&o, "npf-reserved-x"));
	CHECK(!options_skips_rule(&o, ""));
	o = parse("selftest.skip=");
	CHECK_EQ(o.nwarn, 1);
	CHECK(!options_skips_rule(&o, "lme-pe"));
	o = parse("");
	CHECK(!options_skips_rule(&o, "lme-pe"));

	/* Both together: the rules with a fault made on purpose. */
	o = parse("selftest=vmx inject=bad-control");
	CHECK_EQ(o.selftest, SELFTEST_VMX);
	CHECK_EQ(o.inject, INJECT_BAD_CONTROL);
	CHECK_EQ(o.nwarn, 0);
	o = parse("selftest=vmxon");
	CHECK_EQ(o.selftest, SELFTEST_VMXON);
	CHECK_EQ(o.vmxcap, VMXCAP_BSP);
	o = parse("time.source=pit");
	CHECK_EQ(o.time_source, TIME_PIT);
	o = parse("time.source=cpuid time.source=hpet");
	CHECK_EQ(o.time_source, TIME_CPUID);
	CHECK_EQ(o.nwarn, 1);
	o = parse("vmxcap=all");
	CHECK_EQ(o.vmxcap, VMXCAP_ALL);
	o = parse("vmxcap=off vmxcap=some");
	CHECK_EQ(o.vmxcap, VMXCAP_OFF);
	CHECK_EQ(o.nwarn, 1);

	o = parse("screen=off reboot=30");
	CHECK(!o.screen);
	CHECK_EQ(o.reboot_after, 30);
	o = parse("screen=on reboot=0");
	CHECK(o.screen);
	CHECK_EQ(o.reboot_after, 0);
	o = parse("screen=maybe reboot=-1 reboot=86401 reboot=soon");
	CHECK(o.screen);
	CHECK_EQ(o.reboot_after, -1);
	CHECK_EQ(o.nwarn, 4);

	o = parse("console=ttyS3,9600");
	CHECK_EQ(o.console_port, 0x2e8);
	CHECK_EQ(o.console_baud, 9600);
	o = parse("console=0x3e8,57600 exit=bochs");
	CHECK_EQ(o.console_port, 0x3e8);
	CHECK_EQ(o.console_baud, 57600);
	CHECK_EQ(o.exit, EXIT_BOCHS);
	o = parse("exit=halt exit=auto");       /* the last word wins */
	CHECK_EQ(o.exit, EXIT_AUTO);

	/* Bad values keep the default and warn with the word. */
	o = parse("console=ttyS4 console=ttyS0,7 console=0x console=0x10000 console=ttyS1,");
	CHECK_EQ(o.console_port, 0x3f8);
	CHECK_EQ(o.console_baud, 115200);
	CHECK_EQ(o.nwarn, 5);
	CHECK(strstr(o.warn[0], "'console=ttyS4'") != 0);
	CHECK(strstr(o.warn[1], "'console=ttyS0,7'") != 0);

	o = parse("exit= exit=qemuu selftest=nothing smp.delay=fast");
	CHECK_EQ(o.exit, EXIT_AUTO);
	CHECK_EQ(o.nwarn, 4);

	/* Unknown words, bare keys, and keys that merely start like a known one. */
	o = parse("quiet consolex=ttyS1 console exit");
	CHECK_EQ(o.nwarn, 4);
	CHECK_STR(o.warn[0], "unknown option 'quiet'");
	CHECK_STR(o.warn[1], "unknown option 'consolex=ttyS1'");
	CHECK_EQ(o.console_port, 0x3f8);

	/* More warnings than are kept: counted, not overflowed. */
	o = parse("a b c d e f g h i j k");
	CHECK_EQ(o.nwarn, 11);
	CHECK_STR(o.warn[OPT_WARN_MAX - 1], "unknown option 'h'");

	/* A very long word is cut in the warning, not overflowing it. */
	char longw[400];
	memset(longw, 'z', sizeof(longw) - 1);
	longw[sizeof(longw) - 1] = 0;
	o = parse(longw);
	CHECK_EQ(o.nwarn, 1);
	CHECK(strlen(o.warn[0]) == OPT_WARN_LEN - 1);

	options_parse(0, &o);   /* no command line at all */

	uint16_t port = 1;
	uint32_t baud = 2;
	CHECK(!options_parse_console("ttyS", 4, &port, &baud));
	CHECK(port == 1 && baud == 2);
	CHECK(options_parse_console("ttyS0,115200", 12, &port, &baud));
	CHECK(port == 0x3f8 && baud == 115200);
	CHECK(!options_parse_console("ttyS0,230400", 12, &port, &baud));
	CHECK(!options_parse_console("0x3f8,0", 7, &port, &baud));
	CHECK(!options_parse_console("0xffffffffff", 12, &port, &baud));

	check_choices();
	check_warnings();

	CHECK_STR(exit_mode_str(EXIT_AUTO), "auto");
	CHECK_STR(exit_mode_str(EXIT_HALT), "halt");
	CHECK_STR(exit_mode_str(EXIT_QEMU), "qemu");
	CHECK_STR(exit_mode_str(EXIT_BOCHS), "bochs");
	CHECK_STR(exit_mode_str((enum exit_mode)(EXIT_BOCHS + 1)), "?");
	return check_report("options");
}
