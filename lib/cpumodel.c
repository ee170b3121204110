/* SPDX-License-Identifier: MIT */
/* The boot CPU's model: see cpumodel.h. */
#include "lib/cpumodel.h"

/* Only printable ASCII, and no quote or backslash (the line quotes the
 * strings); a NUL ends the string. */
static void bytes(char *out, const uint32_t *regs, unsigned n)
{
	unsigned k = 0;

	for (unsigned i = 0; i < 4 * n; i++) {
		char c = (char)(regs[i / 4] >> (8 * (i % 4)));
		if (!c)
			break;
		out[k++] = c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? c : '?';
	}
	out[k] = 0;
}

void cpu_model_decode(struct cpu_model *m, const uint32_t vendor_regs[3], uint32_t signature,
		      const uint32_t *brand_regs)
{
	bytes(m->vendor, vendor_regs, 3);
	m->signature = signature;
	unsigned family = (signature >> 8) & 0xf, model = (signature >> 4) & 0xf;
	bool intel = vendor_regs[0] == 0x756e6547;      /* "Genu" */
	m->family = family == 0xf ? family + ((signature >> 20) & 0xff) : family;
	m->model = family == 0xf || (intel && family == 6) ? (((signature >> 16) & 0xf) << 4) | model :
		   model;
	m->stepping = signature & 0xf;
	m->brand[0] = 0;
	if (!brand_regs)
		return;
	char raw[49];
	bytes(raw, brand_regs, 12);
	unsigned start = 0, end = 0;
	while (raw[start] == ' ')
		start++;
	for (unsigned i = start; raw[i]; i++)
		m->brand[end++] = raw[i];
	while (end && m->brand[end - 1] == ' ')
		end--;
	m->brand[end] = 0;
}
