/*
 * TSC calibration, from the first source that works:
 *  1. the ACPI PM timer (ACPI 6.5, section 4.8.3.3 "Power Management Timer
 *     (PM_TMR)": 3.579545 MHz, 24 or 32 bits per the FADT's TMR_VAL_EXT);
 *  2. CPUID leaf 15H (the exact crystal ratio; lib/tsc.c);
 *  3. the 8254 PIT's channel 2 (1.193182 MHz), gated through port 0x61, as
 *     Linux's pit_calibrate_tsc() does (newer boards may gate the PIT off);
 *  4. CPUID leaf 16H's base frequency;
 *  5. an assumed 1 GHz, said so in the log.
 * time.source= tries one of them first. SDM Vol. 3B, "Time-Stamp Counter".
 */
#include "kernel/time.h"

#include "arch/x86.h"
#include "lib/tsc.h"

#define PMTMR_HZ        3579545u
#define PIT_HZ          1193182u
#define CALIBRATE_MS    10u
#define FALLBACK_KHZ    1000000u        /* if nothing works: assume 1 GHz */
#define TIMER_SPINS     50000000u       /* bound on polling a timer that may not run */

#define PIT_CH2         0x42
#define PIT_MODE        0x43
#define PIT_GATE        0x61            /* bit 0: gate channel 2; bit 5: OUT2 */

static uint64_t khz = FALLBACK_KHZ;
static const char *source = "none";
static bool forced_failed;

static bool calibrate_pmtimer(const struct fadt_pm_timer *pm)
{
	if (!pm || !pm->present)
		return false;
	uint32_t mask = pm->ext32 ? 0xffffffffu : 0xffffffu;
	uint32_t ticks = PMTMR_HZ / 1000 * CALIBRATE_MS;
	uint32_t start = inl(pm->port) & mask, now = start;
	unsigned spins = 0;

	/* Align to a tick edge, so the measurement starts at a tick. */
	while (((now = inl(pm->port) & mask)) == start)
		if (++spins == TIMER_SPINS)
			return false;
	start = now;
	uint64_t t0 = rdtsc();
	while (((inl(pm->port) - start) & mask) < ticks)
		if (++spins == TIMER_SPINS)
			return false;
	uint64_t t1 = rdtsc();
	khz = (t1 - t0) / CALIBRATE_MS;
	return khz != 0;
}

static bool calibrate_pit(void)
{
	uint32_t count = PIT_HZ / 1000 * CALIBRATE_MS;
	unsigned spins = 0;

	/* Gate high, speaker off; channel 2, lobyte/hibyte, mode 0 (interrupt on
	 * terminal count): OUT2 goes high when the count reaches 0. */
	outb(PIT_GATE, (inb(PIT_GATE) & ~0x02) | 0x01);
	outb(PIT_MODE, 0xb0);
	outb(PIT_CH2, count & 0xff);
	outb(PIT_CH2, count >> 8);
	uint64_t t0 = rdtsc();
	while (!(inb(PIT_GATE) & 0x20))
		if (++spins == TIMER_SPINS)
			return false;
	uint64_t t1 = rdtsc();
	khz = (t1 - t0) / CALIBRATE_MS;
	return khz != 0;
}

static bool from_leaf(uint32_t leaf)
{
	if (cpuid(0).a < leaf)
		return false;
	struct cpuid_regs r = cpuid(leaf);
	uint64_t k = leaf == 0x15 ? tsc_khz_from_leaf15(r.a, r.b, r.c) : tsc_khz_from_leaf16(r.a);
	if (!k)
		return false;
	khz = k;
	return true;
}

static bool try_source(enum time_source s, const struct fadt_pm_timer *pm)
{
	switch (s) {
	case TIME_PMTIMER:
		return calibrate_pmtimer(pm) && (source = "pmtimer");
	case TIME_CPUID:
		return (from_leaf(0x15) && (source = "cpuid15")) ||
		       (from_leaf(0x16) && (source = "cpuid16"));
	case TIME_PIT:
		return calibrate_pit() && (source = "pit");
	case TIME_AUTO:
		break;
	}
	return false;
}

void time_init(const struct fadt_pm_timer *pm, enum time_source forced)
{
	forced_failed = false;
	if (forced != TIME_AUTO) {
		if (try_source(forced, pm))
			return;
		forced_failed = true;
	}
	if (calibrate_pmtimer(pm)) {
		source = "pmtimer";
	} else if (from_leaf(0x15)) {
		source = "cpuid15";
	} else if (calibrate_pit()) {
		source = "pit";
	} else if (from_leaf(0x16)) {
		source = "cpuid16";
	} else {
		khz = FALLBACK_KHZ;
		source = "none";
	}
}

bool time_forced_source_failed(void)
{
	return forced_failed;
}

uint64_t tsc_khz(void)
{
	return khz;
}

const char *time_source(void)
{
	return source;
}

uint64_t tsc_to_us(uint64_t cycles)
{
	return cycles * 1000 / khz;
}

uint64_t time_deadline_us(uint64_t us)
{
	return rdtsc() + us * khz / 1000;
}

bool time_passed(uint64_t deadline)
{
	return (int64_t)(rdtsc() - deadline) >= 0;
}

void udelay(uint64_t us)
{
	uint64_t deadline = time_deadline_us(us);

	while (!time_passed(deadline))
		cpu_relax();
}
