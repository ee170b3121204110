/* SPDX-License-Identifier: MIT */
/*
 * The PC's legacy serial ports (ttyS0..ttyS3 in Linux's numbering) and the
 * 16550's base rate. Pure constants, for the UART driver (arch/uart.c), the
 * console= option (lib/options.c) and the 32-bit entry (boot/entry.S).
 */
#ifndef VMXPROBE_LIB_SERIAL_PORTS_H
#define VMXPROBE_LIB_SERIAL_PORTS_H

#define COM1_PORT       0x3f8
#define COM2_PORT       0x2f8
#define COM3_PORT       0x3e8
#define COM4_PORT       0x2e8
#define UART_CLOCK_BAUD 115200  /* 1.8432 MHz / 16: divisor 1 */

#endif
