/* SPDX-License-Identifier: MIT */
/* Text console on in-memory framebuffers: glyph placement, scrolling, clipping. */
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "lib/font8x16.h"
#include "lib/textcon.h"

static struct textcon tc;

/* 32-bit XRGB framebuffer with a guard area after it, and a 24-bit one. */
#define W 83            /* 10 whole cells and 3 spare columns */
#define H 50            /* 3 whole rows and 2 spare lines */
#define PITCH32 (W * 4 + 12)
static uint8_t fb32[PITCH32 * H + 64];

static uint32_t px32(int x, int y)
{
	uint32_t v;
	memcpy(&v, fb32 + y * PITCH32 + x * 4, 4);
	return v;
}

/* Does cell (cx, cy) show character ch in colours fg/bg (0xRRGGBB)? */
static int cell_is(int cx, int cy, char ch, uint32_t fg, uint32_t bg)
{
	const uint8_t *g = font8x16[(uint8_t)ch - FONT_FIRST];
	for (int y = 0; y < FONT_HEIGHT; y++)
		for (int x = 0; x < FONT_WIDTH; x++) {
			uint32_t want = (g[y] & (0x80 >> x)) ? fg : bg;
			if (px32(cx * 8 + x, cy * 16 + y) != want)
				return 0;
		}
	return 1;
}

static void rgb32(void)
{
	memset(fb32, 0xaa, sizeof(fb32));
	CHECK(textcon_init_rgb(&tc, fb32, PITCH32, W, H, 32, 16, 8, 8, 8, 0, 8) == 0);
	CHECK_EQ(tc.cols, 10);
	CHECK_EQ(tc.rows, 3);
	textcon_clear(&tc);
	uint32_t gray = textcon_palette(TC_LIGHT_GRAY), black = 0;

	/* Glyph placement. */
	textcon_write(&tc, "AB\nC", 4);
	CHECK(cell_is(0, 0, 'A', gray, black));
	CHECK(cell_is(1, 0, 'B', gray, black));
	CHECK(cell_is(0, 1, 'C', gray, black));
	CHECK(cell_is(2, 0, ' ', gray, black));

	/* Clipping: the partial column (x 80-82), the pitch padding and the partial
	 * rows (y 48-49) are never written; nothing past the buffer either. */
	for (int y = 0; y < H; y++)
		for (int x = 80; x < W; x++)
			CHECK(px32(x, y) == 0xaaaaaaaa);
	for (int y = 48; y < H; y++)
		CHECK(px32(0, y) == 0xaaaaaaaa);
	for (int y = 0; y < H; y++)
		CHECK(fb32[y * PITCH32 + W * 4] == 0xaa);
	CHECK(fb32[PITCH32 * H] == 0xaa);

	/* Wrapping at the right edge (the continuation row indented by two), then
	 * scrolling off the top. */
	textcon_clear(&tc);
	textcon_write(&tc, "0123456789wrap", 14);
	CHECK(cell_is(9, 0, '9', gray, black));
	CHECK(cell_is(0, 1, ' ', gray, black));
	CHECK(cell_is(2, 1, 'w', gray, black));
	textcon_write(&tc, "\nline3\nline4", 12);
	CHECK(cell_is(2, 0, 'w', gray, black));         /* row 0 scrolled away */
	CHECK(cell_is(0, 1, 'l', gray, black));
	CHECK(cell_is(4, 1, '3', gray, black));
	CHECK(cell_is(4, 2, '4', gray, black));
	CHECK_EQ(tc.cy, 2);
	/* A word that does not fit moves to the next row whole; one longer than a
	 * row breaks at the edge. */
	textcon_clear(&tc);
	textcon_write(&tc, "abc defghij k", 13);
	CHECK(cell_is(3, 0, ' ', gray, black));
	CHECK(cell_is(2, 1, 'd', gray, black));
	CHECK(cell_is(8, 1, 'j', gray, black));
	CHECK(cell_is(0, 2, ' ', gray, black));         /* "k" does not fit after "defghij " */
	CHECK(cell_is(2, 2, 'k', gray, black));
	textcon_clear(&tc);
	textcon_write(&tc, "ab 0123456789xy", 15);
	CHECK(cell_is(3, 0, '0', gray, black));
	CHECK(cell_is(2, 1, '7', gray, black));
	/* A line that exactly fills the row does not leave a blank line behind. */
	textcon_clear(&tc);
	textcon_write(&tc, "0123456789\nX", 12);
	CHECK(cell_is(0, 1, 'X', gray, black));

	/* Colours: the summary line's attribute. */
	textcon_clear(&tc);
	const char *sum = "vmxprobe: summary cpus=1/1 verdict=PASS";
	textcon_set_attr(&tc, textcon_line_attr(sum, strlen(sum)));
	textcon_write(&tc, "ok", 2);
	CHECK(cell_is(0, 0, 'o', textcon_palette(TC_BLACK), textcon_palette(TC_LIGHT_GREEN)));

	/* Tabs, carriage return, characters outside the font. */
	textcon_clear(&tc);
	textcon_set_attr(&tc, TEXTCON_DEFAULT_ATTR);
	textcon_write(&tc, "a\tb\rc\x01", 6);
	CHECK(cell_is(0, 0, 'c', gray, black));
	CHECK(cell_is(8, 0, 'b', gray, black));
	CHECK(cell_is(1, 0, ' ', gray, black));         /* 0x01 drawn as a blank */
}

static void rgb_formats(void)
{
	/* 24 bpp (GRUB's VBE mode in QEMU): blue, green, red bytes. */
	static uint8_t fb24[800 * 3 * 32];
	CHECK(textcon_init_rgb(&tc, fb24, 800 * 3, 800, 32, 24, 16, 8, 8, 8, 0, 8) == 0);
	textcon_clear(&tc);
	textcon_set_attr(&tc, TEXTCON_ATTR(TC_WHITE, TC_BLUE));
	textcon_write(&tc, " ", 1);
	CHECK(fb24[0] == 0xaa && fb24[1] == 0x00 && fb24[2] == 0x00);   /* blue background */

	/* 16 bpp RGB565: white is 0xffff. */
	static uint8_t fb16[16 * 2 * 16];
	CHECK(textcon_init_rgb(&tc, fb16, 32, 16, 16, 16, 11, 5, 5, 6, 0, 5) == 0);
	CHECK_EQ(tc.cols, 2);
	textcon_clear(&tc);
	textcon_set_attr(&tc, TEXTCON_ATTR(TC_WHITE, TC_WHITE));
	textcon_write(&tc, "x", 1);
	CHECK(fb16[0] == 0xff && fb16[1] == 0xff);

	/* Refused: odd depths, bad channels, too small, a short pitch. */
	CHECK(textcon_init_rgb(&tc, fb16, 32, 16, 16, 8, 0, 3, 3, 3, 6, 2) != 0);
	CHECK_EQ(tc.cols, 0);
	textcon_write(&tc, "ignored", 7);           /* unusable console: a no-op */
	CHECK(textcon_init_rgb(&tc, fb16, 32, 16, 16, 32, 16, 9, 8, 8, 0, 8) != 0);
	CHECK(textcon_init_rgb(&tc, fb16, 32, 16, 16, 32, 30, 8, 8, 8, 0, 8) != 0);
	CHECK(textcon_init_rgb(&tc, fb16, 32, 7, 16, 16, 11, 5, 5, 6, 0, 5) != 0);
	CHECK(textcon_init_rgb(&tc, fb16, 30, 16, 16, 16, 11, 5, 5, 6, 0, 5) != 0);
	CHECK(textcon_init_rgb(&tc, 0, 32, 16, 16, 16, 11, 5, 5, 6, 0, 5) != 0);

	/* A 4K screen: clipped to the grid's limits, not overflowing it. */
	CHECK(textcon_init_rgb(&tc, fb16, 8000 * 4, 8000, 4000, 32, 16, 8, 8, 8, 0, 8) == 0);
	CHECK_EQ(tc.cols, TEXTCON_MAX_COLS);
	CHECK_EQ(tc.rows, TEXTCON_MAX_ROWS);
}

/* Only cells that change are drawn: a pixel poked after drawing stays as it is
 * when the cell's content is unchanged. */
static void redraw_only_changes(void)
{
	CHECK(textcon_init_rgb(&tc, fb32, PITCH32, W, H, 32, 16, 8, 8, 8, 0, 8) == 0);
	textcon_clear(&tc);
	textcon_write(&tc, "same\nsame\nsame", 14);
	memset(fb32, 0x11, 4);                  /* pixel (0,0), inside cell (0,0) */
	textcon_write(&tc, "\nsame", 5);        /* scroll: every row still says "same" */
	CHECK(px32(0, 0) == 0x11111111);
	textcon_write(&tc, "\nnext", 5);
	CHECK(cell_is(0, 2, 'n', textcon_palette(TC_LIGHT_GRAY), 0));
}

static void ega(void)
{
	static uint8_t vga[80 * 2 * 25];
	memset(vga, 0, sizeof(vga));
	CHECK(textcon_init_ega(&tc, vga, 80, 25, 160) == 0);
	textcon_clear(&tc);
	CHECK(vga[0] == ' ' && vga[1] == TEXTCON_DEFAULT_ATTR);
	for (int i = 0; i < 30; i++) {
		char line[16];
		int n = snprintf(line, sizeof(line), "line %d\n", i);
		textcon_write(&tc, line, (size_t)n);
	}
	/* 30 lines on 25 rows: row 0 shows line 6, row 23 line 29, row 24 is empty. */
	CHECK(memcmp(&vga[0], "l\x07i\x07n\x07" "e\x07 \x07" "6\x07", 12) == 0);
	CHECK(vga[23 * 160 + 10] == '2' && vga[23 * 160 + 12] == '9');
	CHECK(vga[24 * 160] == ' ');
	const char *f = "fault: cpu=0";
	textcon_set_attr(&tc, textcon_line_attr(f, strlen(f)));
	textcon_write(&tc, "F", 1);
	CHECK(vga[24 * 160] == 'F' && vga[24 * 160 + 1] == TEXTCON_ATTR(TC_LIGHT_RED, TC_BLACK));
	CHECK(textcon_init_ega(&tc, vga, 80, 25, 100) != 0);     /* pitch too small */
}

static void line_attrs(void)
{
	const char *l;
	l = "vmxprobe: summary cpus=2/2 on=0 verdict=FAIL";
	CHECK_EQ(textcon_line_attr(l, strlen(l)), TEXTCON_ATTR(TC_WHITE, TC_RED));
	l = "vmxprobe: summary cpus=2/2 on=0 verdict=SKIP";
	CHECK_EQ(textcon_line_attr(l, strlen(l)), TEXTCON_ATTR(TC_BLACK, TC_YELLOW));
	l = "vmxprobe: summary cpus=2/2 on=2 verdict=PASS";
	CHECK_EQ(textcon_line_attr(l, strlen(l)), TEXTCON_ATTR(TC_BLACK, TC_LIGHT_GREEN));
	l = "vmx: cpu=0 apic=0 result=on";
	CHECK_EQ(textcon_line_attr(l, strlen(l)), TEXTCON_DEFAULT_ATTR);
	CHECK_EQ(textcon_line_attr("vmxprobe: summary", 8), TEXTCON_DEFAULT_ATTR);   /* cut short */
	CHECK_EQ(textcon_line_attr("", 0), TEXTCON_DEFAULT_ATTR);
}

int main(void)
{
	rgb32();
	rgb_formats();
	redraw_only_changes();
	ega();
	line_attrs();
	return check_report("textcon");
}
