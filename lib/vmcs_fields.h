/* SPDX-License-Identifier: MIT */
/*
 * The field list (lib/vmcs_fields.c), pure: the (encoding, value) pairs of a
 * struct vmcs_config to VMWRITE. Intel SDM Vol. 3D, appendix B "Field
 * Encoding in VMCS". Include lib/vmcs_config.h for the structures.
 */
#ifndef VMXPROBE_LIB_VMCS_FIELDS_H
#define VMXPROBE_LIB_VMCS_FIELDS_H

#include <stdint.h>

#include "lib/vmxcap.h"

/* In lib/vmcs_config.h, which includes this header. */
struct vmcs_config;

/* Every (field encoding, value) pair of c, for VMWRITE, in encoding order of
 * class: controls, host state, guest state. */
typedef void (*vmcs_field_fn)(void *ctx, uint32_t field, uint64_t value);
void vmcs_config_fields(const struct vmcs_config *c, const struct vmxcap_msrs *m,
			vmcs_field_fn fn, void *ctx);

#endif
