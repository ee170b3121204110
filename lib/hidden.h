/* SPDX-License-Identifier: MIT */
/*
 * Included first in every kernel object (the Makefile's -include): every
 * symbol, declared or defined, has hidden visibility (GCC manual, "Visibility
 * Pragmas"). With -fpie, GCC takes the address of a symbol it cannot prove
 * local through the GOT (R_X86_64_REX_GOTPCRELX); the ELF link relaxes that,
 * but the PE link of vmxprobe.efi (efi.ld) would not. Hidden, every address is
 * RIP-relative. As Linux's include/linux/hidden.h for its EFI stub.
 */
#pragma GCC visibility push(hidden)
