/* SPDX-License-Identifier: MIT */
/*
 * A text console, pure: renders lines into an EGA text buffer or a linear RGB
 * framebuffer (with font8x16), scrolls, and clips to whole character cells.
 * The kernel points it at the screen; host tests at an in-memory framebuffer.
 *
 * For a framebuffer it keeps two grids of cells, what should be shown and what
 * is shown, and draws only the cells that differ: scrolling a log whose lines
 * share their prefixes redraws a fraction of the screen, and the framebuffer is
 * never read back (reads from video memory are slow).
 */
#ifndef VMXPROBE_LIB_TEXTCON_H
#define VMXPROBE_LIB_TEXTCON_H

#include <stddef.h>
#include <stdint.h>

#define TEXTCON_MAX_COLS        480     /* 3840 pixels / 8 */
#define TEXTCON_MAX_ROWS        135     /* 2160 pixels / 16 */

/* Attributes: VGA style, foreground in bits 3:0, background in bits 7:4. */
#define TEXTCON_ATTR(fg, bg)    ((uint8_t)((fg) | (bg) << 4))
enum textcon_color {
	TC_BLACK, TC_BLUE, TC_GREEN, TC_CYAN, TC_RED, TC_MAGENTA, TC_BROWN, TC_LIGHT_GRAY,
	TC_DARK_GRAY, TC_LIGHT_BLUE, TC_LIGHT_GREEN, TC_LIGHT_CYAN, TC_LIGHT_RED,
	TC_LIGHT_MAGENTA, TC_YELLOW, TC_WHITE,
};
#define TEXTCON_DEFAULT_ATTR    TEXTCON_ATTR(TC_LIGHT_GRAY, TC_BLACK)

enum textcon_kind { TEXTCON_EGA, TEXTCON_RGB };

struct textcon_cell {
	uint8_t ch, attr;
};

struct textcon {
	enum textcon_kind kind;
	uint8_t *fb;
	uint32_t pitch;                 /* bytes per scan line (EGA: per text row) */
	uint32_t width, height;         /* pixels (EGA: characters) */
	uint32_t bytespp;
	uint8_t rpos, rsize, gpos, gsize, bpos, bsize;
	uint32_t cols, rows;            /* whole cells that fit */
	uint32_t cx, cy;                /* cursor */
	uint8_t attr;
	struct textcon_cell want[TEXTCON_MAX_ROWS][TEXTCON_MAX_COLS];
	struct textcon_cell shown[TEXTCON_MAX_ROWS][TEXTCON_MAX_COLS];
};

/* An EGA/VGA text buffer of cols x rows cells (2 bytes each), pitch bytes per row. */
const char *textcon_init_ega(struct textcon *tc, void *fb, uint32_t cols, uint32_t rows,
			     uint32_t pitch);

/*
 * A direct-colour framebuffer: bpp 15, 16, 24 or 32, each channel's bit position
 * and size. Returns NULL on success, else why it cannot be used (the console is
 * then unusable: cols = rows = 0).
 */
const char *textcon_init_rgb(struct textcon *tc, void *fb, uint32_t pitch, uint32_t width,
			     uint32_t height, uint32_t bpp, uint8_t rpos, uint8_t rsize,
			     uint8_t gpos, uint8_t gsize, uint8_t bpos, uint8_t bsize);

/* Clear the screen to the current attribute, cursor home. */
void textcon_clear(struct textcon *tc);

void textcon_set_attr(struct textcon *tc, uint8_t attr);

/* Write text: '\n' ends a line, '\r' returns, '\t' to the next multiple of 8;
 * lines longer than the screen wrap; the last row scrolls up. Draws at the end. */
void textcon_write(struct textcon *tc, const char *s, size_t n);

/* The attribute a log line deserves: the summary in its verdict's colour
 * (PASS green, FAIL red, SKIP yellow), fault: lines red, the rest default. */
uint8_t textcon_line_attr(const char *line, size_t n);

/* The 24-bit RGB colour of a VGA palette index (0-15). */
uint32_t textcon_palette(unsigned index);

#endif
