/* SPDX-License-Identifier: MIT */
/* Text console renderer: see textcon.h. */
#include "lib/textcon.h"

#include <stdbool.h>

#include "lib/font8x16.h"

/* The standard 16-colour VGA palette, 0xRRGGBB. */
static const uint32_t palette[16] = {
	0x000000, 0x0000aa, 0x00aa00, 0x00aaaa, 0xaa0000, 0xaa00aa, 0xaa5500, 0xaaaaaa,
	0x555555, 0x5555ff, 0x55ff55, 0x55ffff, 0xff5555, 0xff55ff, 0xffff55, 0xffffff,
};

uint32_t textcon_palette(unsigned index)
{
	return palette[index & 15];
}

static void reset(struct textcon *tc)
{
	tc->cols = tc->rows = tc->cx = tc->cy = 0;
	tc->attr = TEXTCON_DEFAULT_ATTR;
}

/* Where to draw and how many whole cells fit, clamped to the grids' size. */
static void set_geometry(struct textcon *tc, enum textcon_kind kind, void *fb, uint32_t pitch,
			 uint32_t width, uint32_t height, uint32_t cols, uint32_t rows)
{
	tc->kind = kind;
	tc->fb = fb;
	tc->pitch = pitch;
	tc->width = width;
	tc->height = height;
	tc->cols = cols < TEXTCON_MAX_COLS ? cols : TEXTCON_MAX_COLS;
	tc->rows = rows < TEXTCON_MAX_ROWS ? rows : TEXTCON_MAX_ROWS;
}

const char *textcon_init_ega(struct textcon *tc, void *fb, uint32_t cols, uint32_t rows,
			     uint32_t pitch)
{
	reset(tc);
	if (!fb || !cols || !rows || pitch < cols * 2)
		return "EGA text buffer with no cells";
	set_geometry(tc, TEXTCON_EGA, fb, pitch, cols, rows, cols, rows);
	return 0;
}

const char *textcon_init_rgb(struct textcon *tc, void *fb, uint32_t pitch, uint32_t width,
			     uint32_t height, uint32_t bpp, uint8_t rpos, uint8_t rsize,
			     uint8_t gpos, uint8_t gsize, uint8_t bpos, uint8_t bsize)
{
	reset(tc);
	if (bpp != 15 && bpp != 16 && bpp != 24 && bpp != 32)
		return "framebuffer pixel depth is not 15, 16, 24 or 32 bits";
	uint32_t bytespp = (bpp + 7) / 8;
	if (rsize > 8 || gsize > 8 || bsize > 8 || !rsize || !gsize || !bsize ||
	    rpos + rsize > bpp || gpos + gsize > bpp || bpos + bsize > bpp)
		return "framebuffer colour channels are not 1-8 bits inside the pixel";
	if (!fb || width < FONT_WIDTH || height < FONT_HEIGHT || pitch < width * bytespp)
		return "framebuffer too small for one character, or its pitch is too small";
	/* Only whole cells: a partial cell at the right or bottom edge stays unused. */
	set_geometry(tc, TEXTCON_RGB, fb, pitch, width, height, width / FONT_WIDTH,
		     height / FONT_HEIGHT);
	tc->bytespp = bytespp;
	tc->rpos = rpos;
	tc->rsize = rsize;
	tc->gpos = gpos;
	tc->gsize = gsize;
	tc->bpos = bpos;
	tc->bsize = bsize;
	/* Nothing is known to be on the screen: mark every cell as needing a draw. */
	for (uint32_t y = 0; y < tc->rows; y++)
		for (uint32_t x = 0; x < tc->cols; x++)
			tc->shown[y][x] = (struct textcon_cell){ 0xff, 0xff };
	return 0;
}

static uint32_t pixel(const struct textcon *tc, unsigned index)
{
	uint32_t rgb = palette[index & 15];
	uint32_t r = (rgb >> 16) & 0xff, g = (rgb >> 8) & 0xff, b = rgb & 0xff;

	return (r >> (8 - tc->rsize)) << tc->rpos | (g >> (8 - tc->gsize)) << tc->gpos |
	       (b >> (8 - tc->bsize)) << tc->bpos;
}

static void draw_cell(struct textcon *tc, uint32_t cx, uint32_t cy, struct textcon_cell c)
{
	uint32_t fg = pixel(tc, c.attr & 15), bg = pixel(tc, c.attr >> 4);
	const uint8_t *glyph = c.ch >= FONT_FIRST && c.ch <= FONT_LAST ?
			       font8x16[c.ch - FONT_FIRST] : font8x16[0];

	for (uint32_t y = 0; y < FONT_HEIGHT; y++) {
		uint8_t *row = tc->fb + (size_t)(cy * FONT_HEIGHT + y) * tc->pitch +
			       (size_t)cx * FONT_WIDTH * tc->bytespp;
		for (uint32_t x = 0; x < FONT_WIDTH; x++) {
			uint32_t v = (glyph[y] & (0x80 >> x)) ? fg : bg;
			for (uint32_t k = 0; k < tc->bytespp; k++)
				row[x * tc->bytespp + k] = (uint8_t)(v >> (8 * k));
		}
	}
}

static void ega_put(struct textcon *tc, uint32_t x, uint32_t y, struct textcon_cell c)
{
	uint8_t *p = tc->fb + (size_t)y * tc->pitch + (size_t)x * 2;

	p[0] = c.ch;
	p[1] = c.attr;
}

static void set_cell(struct textcon *tc, uint32_t x, uint32_t y, struct textcon_cell c)
{
	tc->want[y][x] = c;
	if (tc->kind == TEXTCON_EGA)
		ega_put(tc, x, y, c);
}

/* Framebuffer: draw every cell whose wanted content differs from what is shown. */
static void flush(struct textcon *tc)
{
	if (tc->kind != TEXTCON_RGB)
		return;
	for (uint32_t y = 0; y < tc->rows; y++)
		for (uint32_t x = 0; x < tc->cols; x++) {
			struct textcon_cell w = tc->want[y][x], s = tc->shown[y][x];
			if (w.ch != s.ch || w.attr != s.attr) {
				draw_cell(tc, x, y, w);
				tc->shown[y][x] = w;
			}
		}
}

static void blank_row(struct textcon *tc, uint32_t y)
{
	for (uint32_t x = 0; x < tc->cols; x++)
		set_cell(tc, x, y, (struct textcon_cell){ ' ', tc->attr });
}

void textcon_clear(struct textcon *tc)
{
	for (uint32_t y = 0; y < tc->rows; y++)
		blank_row(tc, y);
	tc->cx = tc->cy = 0;
	flush(tc);
}

void textcon_set_attr(struct textcon *tc, uint8_t attr)
{
	tc->attr = attr;
}

static void scroll(struct textcon *tc)
{
	for (uint32_t y = 1; y < tc->rows; y++)
		for (uint32_t x = 0; x < tc->cols; x++)
			set_cell(tc, x, y - 1, tc->want[y][x]);
	blank_row(tc, tc->rows - 1);
}

static void newline(struct textcon *tc)
{
	tc->cx = 0;
	if (tc->cy + 1 < tc->rows)
		tc->cy++;
	else
		scroll(tc);
}

/* A row that continues a line too long for the screen starts this far in. */
#define WRAP_INDENT     2

static void wrap(struct textcon *tc)
{
	newline(tc);
	while (tc->cx < WRAP_INDENT && tc->cx < tc->cols)
		set_cell(tc, tc->cx++, tc->cy, (struct textcon_cell){ ' ', tc->attr });
}

static size_t word_len(const char *s, size_t n)
{
	size_t w = 0;

	while (w < n && s[w] != ' ' && s[w] != '\n' && s[w] != '\r' && s[w] != '\t')
		w++;
	return w;
}

void textcon_write(struct textcon *tc, const char *s, size_t n)
{
	if (!tc->cols || !tc->rows)
		return;
	for (size_t i = 0; i < n; i++) {
		uint8_t c = (uint8_t)s[i];
		if (c == '\n') {
			newline(tc);
		} else if (c == '\r') {
			tc->cx = 0;
		} else if (c == '\t') {
			do
				textcon_write(tc, " ", 1);
			while (tc->cx % 8);
		} else {
			/* Wrap before a word that does not fit but would on a fresh row
			 * (the summary's verdict=... stays whole); else at the edge. */
			if (c != ' ' && (i == 0 || s[i - 1] == ' ')) {
				size_t w = word_len(s + i, n - i);
				if (tc->cx > WRAP_INDENT && tc->cx + w > tc->cols &&
				    w + WRAP_INDENT <= tc->cols)
					wrap(tc);
			}
			if (tc->cx == tc->cols)
				wrap(tc);
			set_cell(tc, tc->cx++, tc->cy, (struct textcon_cell){ c, tc->attr });
		}
	}
	flush(tc);
}

static bool starts(const char *line, size_t n, const char *p)
{
	size_t i = 0;

	for (; p[i]; i++)
		if (i >= n || line[i] != p[i])
			return false;
	return true;
}

static bool contains(const char *line, size_t n, const char *p)
{
	for (size_t i = 0; i < n; i++)
		if (starts(line + i, n - i, p))
			return true;
	return false;
}

uint8_t textcon_line_attr(const char *line, size_t n)
{
	if (starts(line, n, "vmxprobe: summary")) {
		if (contains(line, n, "verdict=PASS"))
			return TEXTCON_ATTR(TC_BLACK, TC_LIGHT_GREEN);
		if (contains(line, n, "verdict=SKIP"))
			return TEXTCON_ATTR(TC_BLACK, TC_YELLOW);
		return TEXTCON_ATTR(TC_WHITE, TC_RED);
	}
	if (starts(line, n, "fault:") || starts(line, n, "vmxprobe: fatal"))
		return TEXTCON_ATTR(TC_LIGHT_RED, TC_BLACK);
	if (starts(line, n, "vmx: advice"))
		return TEXTCON_ATTR(TC_YELLOW, TC_BLACK);
	return TEXTCON_DEFAULT_ATTR;
}
