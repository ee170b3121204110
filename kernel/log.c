/* SPDX-License-Identifier: MIT */
/* Console log: see log.h. */
#include "kernel/log.h"

#include <stdarg.h>

#include "arch/uart.h"
#include "arch/x86.h"
#include "kernel/percpu.h"
#include "lib/fmt.h"
#include "lib/textcon.h"

/* Bound on waiting for the lock: far longer than any line takes to print.
 * A holder that never lets go (it faulted) is then ignored rather than waited on. */
#define LOG_LOCK_SPINS  200000000UL

static struct uart console_uart;
static struct textcon *mirror;        /* the screen console, when there is one */
static bool percpu_ready;
static uint32_t lock_owner;     /* 0: free; else the owner's CPU index + 1 */

bool log_use_uart(uint16_t port, uint32_t baud)
{
	struct uart u;

	if (!uart_init(&u, port, baud))
		return false;
	console_uart = u;
	return true;
}

void log_use_screen(struct textcon *tc)
{
	mirror = tc;
}

uint16_t log_uart_port(void)
{
	return console_uart.present ? console_uart.port : 0;
}

void log_percpu_ready(void)
{
	percpu_ready = true;
}

static uint32_t my_lock_id(void)
{
	return percpu_ready ? this_cpu()->index + 1 : 1;
}

static bool lock(void)
{
	uint32_t me = my_lock_id();

	for (unsigned long spins = 0; spins < LOG_LOCK_SPINS; spins++) {
		uint32_t expected = 0;
		if (__atomic_compare_exchange_n(&lock_owner, &expected, me, false,
						__ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
			return true;
		cpu_relax();
	}
	return false;
}

static void unlock(void)
{
	__atomic_store_n(&lock_owner, 0, __ATOMIC_RELEASE);
}

void log_flush(void)
{
	uart_flush(&console_uart);
}

void log_break_lock_if_held(void)
{
	if (__atomic_load_n(&lock_owner, __ATOMIC_RELAXED) == my_lock_id())
		unlock();
}

void kprintf(const char *fmt, ...)
{
	char line[LOG_LINE_MAX];
	va_list ap;

	va_start(ap, fmt);
	size_t n = fmt_vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n >= sizeof(line)) {        /* truncated: keep the line ending */
		n = sizeof(line) - 1;
		line[n - 1] = '\n';
	}
	bool locked = lock();
	uart_write(&console_uart, line, n);
	if (mirror) {
		textcon_set_attr(mirror, textcon_line_attr(line, n));
		textcon_write(mirror, line, n);
	}
	if (locked)
		unlock();
}
