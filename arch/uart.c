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
	u->tx_loadsz = fifo ? 16 : 1;
	u->room = 0;
	u->present = true;
	return true;
}

/*
 * One byte. THRE is polled only when the bytes written since it was last seen
 * set could fill the FIFO: up to tx_loadsz bytes per poll, as Linux's
 * serial8250_console_fifo_write() does. That halves the port accesses per
 * byte, each of which an emulator pays for.
 */
static void uart_putc(struct uart *u, char ch)
{
	unsigned spins = 0;

	if (u->room) {
		u->room--;
		outb(u->port + UART_TX, (uint8_t)ch);
		return;
	}
	while (!(inb(u->port + UART_LSR) & UART_LSR_THRE)) {
		if (++spins == UART_THRE_SPINS) {
			if (++u->timeouts >= 3)
				u->present = false;     /* stuck: stop waiting on it */
			break;
		}
		cpu_relax();
	}
	if (spins < UART_THRE_SPINS) {
		u->timeouts = 0;
		u->room = u->tx_loadsz - 1;
	}
	outb(u->port + UART_TX, (uint8_t)ch);
}

void uart_write(struct uart *u, const char *s, unsigned long n)
{
	for (unsigned long i = 0; i < n && u->present; i++) {
		if (s[i] == '\n')
			uart_putc(u, '\r');
		uart_putc(u, s[i]);
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
