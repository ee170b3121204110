/* SPDX-License-Identifier: MIT */
/*
 * Screen console. Multiboot2 specification 2.0, section 3.6.12 "Framebuffer
 * info": type 0 indexed colour, 1 direct RGB colour, 2 EGA text (address,
 * pitch, width and height in characters). GRUB passes EGA text at 0xB8000 when
 * it boots by BIOS in text mode, a VBE or GOP framebuffer otherwise (the
 * framebuffer request tag in boot/header.S and `insmod all_video` in grub.cfg).
 */
#include "kernel/screen.h"

#include "arch/paging.h"
#include "arch/x86.h"
#include "kernel/bootinfo.h"
#include "kernel/log.h"
#include "lib/textcon.h"

static struct textcon screen;
static const char *problem;
static const char *kind = "none";

void screen_init(void)
{
	const struct mb2_framebuffer *fb = &boot_info.fb;

	if (!options.screen) {
		problem = "screen=off";
		return;
	}
	if (!boot_info.has_fb) {
		problem = "the boot loader passed no framebuffer";
		return;
	}
	uint64_t size = (uint64_t)fb->pitch * fb->height;
	if (fb->type == MB2_FB_EGA_TEXT) {
		if (!paging_map_identity(fb->addr, size)) {
			problem = "EGA text buffer outside what can be mapped";
			return;
		}
		problem = textcon_init_ega(&screen, phys_to_virt(fb->addr), fb->width, fb->height,
					   fb->pitch);
		kind = "ega-text";
	} else if (fb->type == MB2_FB_RGB) {
		/* A framebuffer above 4 GiB gets its own identity mapping. */
		if (!paging_map_identity(fb->addr, size)) {
			problem = "framebuffer beyond 512 GiB, or more than the mapping reserve: not mapped";
			return;
		}
		problem = textcon_init_rgb(&screen, phys_to_virt(fb->addr), fb->pitch, fb->width,
					   fb->height, fb->bpp, fb->red_pos, fb->red_size,
					   fb->green_pos, fb->green_size, fb->blue_pos,
					   fb->blue_size);
		kind = "framebuffer";
	} else {
		problem = "indexed-colour framebuffer: not supported";
		return;
	}
	if (problem)
		return;
	textcon_clear(&screen);
	log_use_screen(&screen);
}

void screen_report(void)
{
	const struct mb2_framebuffer *fb = &boot_info.fb;

	if (problem)
		kprintf("screen: off: %s\n", problem);
	else
		kprintf("screen: %s addr=0x%lx %ux%u cells=%ux%u\n", kind, fb->addr, fb->width,
			fb->height, screen.cols, screen.rows);
}
