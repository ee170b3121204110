/* SPDX-License-Identifier: MIT */
/*
 * 16550 UART. Register map and bits: the PC16550D data sheet (National
 * Semiconductor), "Register Description"; the same names as Linux's
 * include/uapi/linux/serial_reg.h.
 */
#include "arch/uart.h"

#include "arch/x86.h"
#include "lib/serial-ports.h"

#define UART_TX         0       /* transmit holding register (DLAB=0) */
#define UART_DLL        0       /* divisor latch low (DLAB=1) */
#define UART_IER        1       /* interrupt enable (DLAB=0) */
#define UART_DLM        1       /* divisor latch high (DLAB=1) */
#define UART_FCR        2
#define  UART_FCR_ENABLE_FIFO   0x01
#define  UART_FCR_CLEAR_RCVR    0x02
#define  UART_FCR_CLEAR_XMIT    0x04
#define  UART_FCR_TRIGGER_14    0xc0
#define UART_IIR        2       /* interrupt identification (read) */
#define  UART_IIR_FIFO_MASK             0xc0
#define  UART_IIR_FIFO_ENABLED_16550A   0xc0
#define UART_LCR        3
#define  UART_LCR_DLAB          0x80
#define  UART_LCR_WLEN8         0x03    /* 8 data bits, 1 stop bit, no parity */
#define UART_MCR        4
#define  UART_MCR_DTR           0x01
#define  UART_MCR_RTS           0x02
#define  UART_MCR_OUT2          0x08
#define UART_LSR        5
#define  UART_LSR_THRE          0x20
#define  UART_LSR_TEMT          0x40    /* transmitter empty: FIFO and shift register */
#define UART_SCR        7

#define UART_FIFO_BYTES 16      /* a 16550A's transmit FIFO */

/* Bound on the THRE poll: ~100 ms of port reads on real hardware, far more
 * than the 87 us one character takes at 115200 baud. */
#define UART_THRE_SPINS 100000

bool uart_init(struct uart *u, uint16_t port, uint32_t baud)
{
	u->port = port;
	u->timeouts = 0;
	u->present = false;

	/* No device answers: the bus floats to 0xff. A 16550 keeps what is written
	 * to its scratch register. */
	if (inb(port + UART_LSR) == 0xff)
		return false;
	outb(port + UART_SCR, 0x5a);
	if (inb(port + UART_SCR) != 0x5a)
		return false;
	outb(port + UART_SCR, 0xa5);
	if (inb(port + UART_SCR) != 0xa5)
		return false;

	uint16_t divisor = (uint16_t)(UART_CLOCK_BAUD / (baud ? baud : UART_CLOCK_BAUD));
	outb(port + UART_IER, 0);
	outb(port + UART_LCR, UART_LCR_DLAB);
	outb(port + UART_DLL, divisor & 0xff);
	outb(port + UART_DLM, divisor >> 8);
	outb(port + UART_LCR, UART_LCR_WLEN8);
	outb(port + UART_FCR, UART_FCR_ENABLE_FIFO | UART_FCR_CLEAR_RCVR |
			      UART_FCR_CLEAR_XMIT | UART_FCR_TRIGGER_14);
	outb(port + UART_MCR, UART_MCR_DTR | UART_MCR_RTS | UART_MCR_OUT2);
	/* IIR bits 7:6 read 11b once the FIFOs are enabled on a 16550A (an 8250,
	 * 16450 or the FIFO-less 16550 reads otherwise): "FIFO Control Register"
	 * and "Interrupt Identification Register"; Linux's autoconfig() tells the
	 * types apart the same way. With a FIFO, THRE set means the whole 16-byte
	 * transmit FIFO is empty ("Line Status Register", bit 5). */
	bool fifo = (inb(port + UART_IIR) & UART_IIR_FIFO_MASK) == UART_IIR_FIFO_ENABLED_16550A;
	u->tx_loadsz = fifo ? UART_FIFO_BYTES : 1;
	u->room = 0;
	u->present = true;
	return true;
}

/* Wait (bounded) for THRE; false when it did not come. */
static bool wait_thre(struct uart *u)
{
	for (unsigned spins = 0; !(inb(u->port + UART_LSR) & UART_LSR_THRE); spins++) {
		if (spins == UART_THRE_SPINS) {
			if (++u->timeouts >= 3)
				u->present = false;     /* stuck: stop waiting on it */
			return false;
		}
		cpu_relax();
	}
	u->timeouts = 0;
	return true;
}

/*
 * THRE is polled only when the bytes written since it was last seen set could
 * fill the FIFO: up to tx_loadsz bytes per poll, as Linux's
 * serial8250_console_fifo_write() does (one byte after a THRE timeout). Each
 * batch goes out with one REP OUTSB: an emulator or hypervisor pays per port
 * access, and under KVM per exit.
 */
void uart_write(struct uart *u, const char *s, unsigned long n)
{
	unsigned long i = 0;
	bool cr_sent = false;   /* a line feed is sent as CR LF */

	while (i < n && u->present) {
		char batch[UART_FIFO_BYTES];
		unsigned len = 0;

		if (!u->room)
			u->room = wait_thre(u) ? u->tx_loadsz : 1;
		while (len < u->room && i < n) {
			if (s[i] == '\n' && !cr_sent) {
				batch[len++] = '\r';
				cr_sent = true;
			} else {
				batch[len++] = s[i++];
				cr_sent = false;
			}
		}
		u->room -= len;
		outsb(u->port + UART_TX, batch, len);
	}
}

void uart_flush(struct uart *u)
{
	for (unsigned spins = 0; u->present && spins < UART_THRE_SPINS; spins++) {
		if (inb(u->port + UART_LSR) & UART_LSR_TEMT)
			return;
		cpu_relax();
	}
}
