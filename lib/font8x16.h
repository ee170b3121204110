/* SPDX-License-Identifier: MIT */
/* An 8x16 bitmap font for printable ASCII (0x20-0x7E); one byte per row, MSB left. */
#ifndef VMXPROBE_LIB_FONT8X16_H
#define VMXPROBE_LIB_FONT8X16_H

#include <stdint.h>

#define FONT_WIDTH      8
#define FONT_HEIGHT     16
#define FONT_FIRST      0x20
#define FONT_LAST       0x7e
#define FONT_GLYPHS     (FONT_LAST - FONT_FIRST + 1)

extern const uint8_t font8x16[FONT_GLYPHS][16];

#endif
