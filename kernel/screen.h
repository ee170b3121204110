/* SPDX-License-Identifier: MIT */
/* The screen console: mirrors the log on the framebuffer GRUB passed. */
#ifndef VMXPROBE_KERNEL_SCREEN_H
#define VMXPROBE_KERNEL_SCREEN_H

/* Set up the screen from the Multiboot2 framebuffer tag (unless screen=off) and
 * hand it to the log. Problems are kept for screen_report(). */
void screen_init(void);

/* Print what screen_init() chose, or why there is no screen console. */
void screen_report(void);

#endif
