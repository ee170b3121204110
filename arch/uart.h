/* SPDX-License-Identifier: MIT */
/* 16550 UART driver. */
#ifndef VMXPROBE_ARCH_UART_H
#define VMXPROBE_ARCH_UART_H

#include <stdbool.h>
#include <stdint.h>

struct uart {
	uint16_t port;
	bool present;
	unsigned timeouts;      /* consecutive THRE timeouts; at 3 the UART is given up */
	unsigned tx_loadsz;     /* bytes to write after one THRE: 16 with a working FIFO, else 1 */
	unsigned room;          /* bytes that may still be written before THRE is polled again */
};

/* Probe and program the UART at `port`: baud (dividing 115200), 8N1, FIFO on. */
bool uart_init(struct uart *u, uint16_t port, uint32_t baud);
void uart_write(struct uart *u, const char *s, unsigned long n);
/* Wait (bounded) until every byte has left the transmitter. */
void uart_flush(struct uart *u);

#endif
