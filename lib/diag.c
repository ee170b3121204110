/* SPDX-License-Identifier: MIT */
/* Diagnostics list: see diag.h. */
#include "lib/diag.h"

#include <stdarg.h>

#include "lib/fmt.h"

void diag_add(struct diag *d, const char *fmt, ...)
{
	va_list ap;

	if (!d)
		return;
	if (d->n < DIAG_MAX) {
		va_start(ap, fmt);
		fmt_vsnprintf(d->msg[d->n], DIAG_LEN, fmt, ap);
		va_end(ap);
	}
	d->n++;
}
