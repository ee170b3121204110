/* SPDX-License-Identifier: MIT */
/*
 * TSC calibration, from the first source that works:
 *  1. kvmclock, under KVM: the rate KVM states (arch/kvmclock.c). Linux under
 *     KVM takes it too (kvmclock_init() makes kvm_get_tsc_khz() the
 *     platform's calibrate_tsc): a timer measured by a vCPU the host may
 *     deschedule is only close, and QEMU's microvm has no timer to measure;
 *  2. the ACPI PM timer (ACPI 6.5, section 4.8.3.3 "Power Management Timer
 *     (PM_TMR)": 3.579545 MHz, 24 or 32 bits per the FADT's TMR_VAL_EXT);
 *  3. CPUID leaf 15H (the exact crystal ratio; lib/tsc.c);
 *  4. the 8254 PIT's channel 2 (1.193182 MHz), gated through port 0x61, as
 *     Linux's pit_calibrate_tsc() does (newer boards may gate the PIT off);
 *  5. CPUID leaf 16H's base frequency;
 *  6. none: a guess, said so in the log.
 * time.source= tries one of them first. SDM Vol. 3B, "Time-Stamp Counter".
 *
 * A timer is trusted only once it is seen to count: the PM timer must change
 * between reads, the PIT's OUT2 must be low right after it is programmed (a
 * missing PIT reads as all ones) and go high later. Every attempt is bounded in
 * time: before calibration the TSC's rate is unknown, so the bound is in TSC
 * cycles at the fastest plausible rate (a few tens of milliseconds on any real
 * CPU), plus a bound on port reads. Where a second source exists, the rate is
 * checked against it and a disagreement is reported.
 */
#include "kernel/time.h"

#include "arch/kvmclock.h"
#include "arch/tsc.h"
#include "arch/x86.h"
#include "kernel/acpi.h"
#include "kernel/bootinfo.h"
#include "kernel/log.h"
#include "lib/tsc.h"

#define PMTMR_HZ        3579545u
#define PIT_HZ          1193182u
/* 1 ms per window: 3579 PM timer ticks (279 ns each) or 1193 PIT ticks, within
 * 0.3% (a tick, and a poll of both timers where they share the window): ample for
 * delays and timeouts, and for the 10% agreement check. The window is the boot's
 * largest fixed cost under an emulator, so the PIT that checks the PM timer counts
 * down beside it in the same window instead of a second one; a vCPU descheduled
 * inside it is caught by that check (cross_check(), which measures both again). */
#define CALIBRATE_MS    1u
/* Attempt bound: 30 ms at 10 GHz (the fastest TSC we allow for); 100 ms at 3 GHz. */
#define ATTEMPT_CYCLES  (30ull * 10000000ull)
/* A PM timer ticks every 279 ns: one that has not changed in this many reads
 * (milliseconds of port reads on any chipset) does not count. */
#define LIVENESS_READS  10000u
#define AGREE_PCT       10u

#define PIT_CH2         0x42
#define PIT_MODE        0x43
#define PIT_GATE        0x61            /* bit 0: gate channel 2; bit 1: speaker; bit 5: OUT2 */

enum src { SRC_KVMCLOCK, SRC_PMTIMER, SRC_CPUID15, SRC_PIT, SRC_CPUID16, SRC_NONE, SRCS };
static const char *const src_name[SRCS] = {
	"kvmclock", "pmtimer", "cpuid15", "pit", "cpuid16", "none",
};

static uint64_t khz = TSC_GUESS_KHZ;
static enum src source = SRC_NONE;
/* The PIT's rate from the PM timer's last window (0: none or used). */
static uint64_t pit_beside_khz;

static bool attempt_over(uint64_t t0)
{
	return rdtsc() - t0 > ATTEMPT_CYCLES;
}

/* The PIT's channel 2 has reached its terminal count: OUT2, read back in port
 * 0x61 bit 5. */
static bool pit_done(void)
{
	return inb(PIT_GATE) & 0x20;
}

/*
 * Start the PIT's channel 2 counting down one window; *t0 is the TSC when it
 * started. False if it did not start (a missing PIT reads as all ones: OUT2
 * high). Gate high, speaker off; channel 2, lobyte/hibyte, mode 0 (interrupt on
 * terminal count): OUT2 goes low when the mode is written and high when the
 * count reaches 0 (Intel 8254 data sheet, "Mode 0").
 */
static bool pit_start(uint64_t *t0)
{
	uint32_t count = PIT_HZ / 1000 * CALIBRATE_MS;

	outb(PIT_GATE, (inb(PIT_GATE) & ~0x02) | 0x01);
	outb(PIT_MODE, 0xb0);
	outb(PIT_CH2, count & 0xff);
	outb(PIT_CH2, count >> 8);
	*t0 = rdtsc();
	return !pit_done();
}

/*
 * The PM timer's window; the PIT counts down the same millisecond beside it,
 * its rate left in *pit (0 when it does not count), so checking one against
 * the other costs no second window.
 */
static uint64_t calibrate_pmtimer(const struct fadt_pm_timer *pm, uint64_t *pit)
{
	*pit = 0;
	if (!pm->present)
		return 0;
	uint32_t mask = pm->ext32 ? 0xffffffffu : 0xffffffu;
	uint32_t ticks = PMTMR_HZ / 1000 * CALIBRATE_MS;
	uint32_t start = inl(pm->port) & mask, now = start;
	uint64_t t0 = rdtsc();
	unsigned reads = 0;

	/* Does it count at all? Align to a tick edge while finding out. */
	while ((now = inl(pm->port) & mask) == start)
		if (++reads == LIVENESS_READS || attempt_over(t0))
			return 0;
	start = now;
	uint64_t t1 = rdtsc();
	uint64_t p0, pm_end = 0, pit_end = 0;
	bool pit_on = pit_start(&p0);

	/* Until both have ended, or the attempt's bound: the PM timer's result is
	 * kept if only the PIT failed to end. */
	while (!pm_end || (pit_on && !pit_end)) {
		if (!pm_end && ((inl(pm->port) - start) & mask) >= ticks)
			pm_end = rdtsc();
		if (pit_on && !pit_end && pit_done())
			pit_end = rdtsc();
		if (attempt_over(t0))
			break;
	}
	if (pit_end)
		*pit = (pit_end - p0) / CALIBRATE_MS;
	return pm_end ? (pm_end - t1) / CALIBRATE_MS : 0;
}

static uint64_t calibrate_pit(void)
{
	uint64_t t0;

	if (!pit_start(&t0))
		return 0;       /* OUT2 already high: no PIT answers here */
	while (!pit_done())
		if (attempt_over(t0))
			return 0;
	return (rdtsc() - t0) / CALIBRATE_MS;
}

static uint64_t from_leaf(uint32_t leaf)
{
	if (cpuid(0).a < leaf)
		return 0;
	struct cpuid_regs r = cpuid(leaf);
	return leaf == 0x15 ? tsc_khz_from_leaf15(r.a, r.b, r.c) : tsc_khz_from_leaf16(r.a);
}

/* The PIT's rate from the PM timer's last window, once; else a window of its own. */
static uint64_t measure_pit(void)
{
	uint64_t k = pit_beside_khz;

	pit_beside_khz = 0;
	return k ? k : calibrate_pit();
}

/* One source's rate (0: it does not work here). */
static uint64_t measure(enum src s)
{
	switch (s) {
	case SRC_KVMCLOCK: return kvmclock_tsc_khz();
	case SRC_PMTIMER:  return calibrate_pmtimer(&acpi.pm, &pit_beside_khz);
	case SRC_CPUID15:  return from_leaf(0x15);
	case SRC_PIT:      return measure_pit();
	case SRC_CPUID16:  return from_leaf(0x16);
	default:           return 0;
	}
}

/* time.source= names a kind; cpuid covers leaves 15H and 16H. */
static bool wanted(enum src s, enum time_source forced)
{
	switch (forced) {
	case TIME_KVMCLOCK: return s == SRC_KVMCLOCK;
	case TIME_PMTIMER:  return s == SRC_PMTIMER;
	case TIME_CPUID:    return s == SRC_CPUID15 || s == SRC_CPUID16;
	case TIME_PIT:      return s == SRC_PIT;
	case TIME_AUTO:     break;
	}
	return false;
}

/* The first source (in order, the forced kind first) whose rate is known. */
static enum src pick(enum time_source forced, uint64_t *k)
{
	for (int pass = forced == TIME_AUTO; pass < 2; pass++) {
		for (enum src s = 0; s < SRC_NONE; s++) {
			if (pass == 0 && !wanted(s, forced))
				continue;
			if ((*k = measure(s)))
				return s;
		}
		if (pass == 0)
			kprintf("time: the time.source= asked for does not work here: using the next one\n");
	}
	return SRC_NONE;
}

/*
 * Check the rate against the next source that gives one: KVM's stated rate, a
 * timer's measurement or the crystal ratio (cpuid16 is a nominal base
 * frequency, not a measurement of this TSC: it is never used as a check). A
 * disagreement may be a measurement disturbed once (an emulator's vCPU
 * descheduled mid-window): both are measured again, up to CROSS_CHECK_TRIES
 * times in all, and the first agreeing pair wins; a lasting one is reported.
 */
#define CROSS_CHECK_TRIES       3

struct check {
	enum src other;         /* SRC_NONE: no second source here */
	uint64_t other_khz;
	bool agree;
};

static struct check cross_check(void)
{
	struct check c = { SRC_NONE, 0, true };

	for (enum src s = 0; s < SRC_CPUID16 && c.other == SRC_NONE; s++)
		if (s != source && (c.other_khz = measure(s)))
			c.other = s;
	if (c.other == SRC_NONE)
		return c;
	for (unsigned try = 1; !tsc_khz_agree(khz, c.other_khz, AGREE_PCT); try++) {
		if (try == CROSS_CHECK_TRIES) {
			c.agree = false;
			return c;
		}
		uint64_t k = measure(source), o = measure(c.other);
		if (k)
			khz = k;
		if (o)
			c.other_khz = o;
	}
	return c;
}

void time_init(void)
{
	struct check c = { SRC_NONE, 0, true };

	source = pick(options.time_source, &khz);
	if (source == SRC_NONE)
		khz = TSC_GUESS_KHZ;
	else
		c = cross_check();
	tsc_set_khz(khz);
	kprintf("time: tsc_khz=%lu source=%s\n", khz, src_name[source]);
	if (source == SRC_NONE)
		kprintf("time: warning: no timer counts here: tsc_khz=%lu is a guess, so every delay and timeout is an estimate\n",
			khz);
	if (!c.agree)
		kprintf("time: warning: %s gives tsc_khz=%lu but %s gives %lu: the TSC rate is uncertain, and so is every delay and timeout\n",
			src_name[source], khz, src_name[c.other], c.other_khz);
}
