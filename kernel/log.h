/* SPDX-License-Identifier: MIT */
/*
 * The console log. kprintf() formats a whole line into a buffer and writes it
 * under one lock, so lines from several CPUs never interleave.
 */
#ifndef VMXPROBE_KERNEL_LOG_H
#define VMXPROBE_KERNEL_LOG_H

#include <stdbool.h>
#include <stdint.h>

/* Use the UART at port/baud; false (and the old console kept) if none answers there. */
bool log_use_uart(uint16_t port, uint32_t baud);
uint16_t log_uart_port(void);

struct textcon;
/* Mirror every line on a text console too (the screen). */
void log_use_screen(struct textcon *tc);

/* Per-CPU blocks are reachable: the lock may record its owner. */
void log_percpu_ready(void);

/* The longest line kprintf() prints, newline included; a longer one is cut.
 * The longest today are a conformance rule's SKIP: lines (its SDM quote and
 * the reason), up to about 520 characters. 1 KiB on the stack (4 KiB on a
 * fault's IST stack) leaves room. */
#define LOG_LINE_MAX    1024

void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Wait (bounded) until the console has sent everything. */
void log_flush(void);

/* From the fault path: drop the log lock if this CPU holds it. */
void log_break_lock_if_held(void);

#endif
