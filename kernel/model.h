/* SPDX-License-Identifier: MIT */
/* The "model:" line (kernel/model.c). */
#ifndef VMXPROBE_KERNEL_MODEL_H
#define VMXPROBE_KERNEL_MODEL_H

void model_report(void);

#endif
