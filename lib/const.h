/* SPDX-License-Identifier: MIT */
/* Constants usable from both C and assembly (the _AC idiom of Linux's const.h). */
#ifndef VMXPROBE_LIB_CONST_H
#define VMXPROBE_LIB_CONST_H

#ifdef __ASSEMBLER__
#define _AC(x, y)       x
#else
#define _AC(x, y)       x##y
#endif
#define BIT(n)          (_AC(1, UL) << (n))

#ifndef __ASSEMBLER__
/* The number of elements of an array (Linux's ARRAY_SIZE()). */
#define ARRAY_SIZE(a)   (sizeof(a) / sizeof((a)[0]))
#endif

#endif
