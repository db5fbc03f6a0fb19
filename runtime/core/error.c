// SPDX-License-Identifier: MIT
#include <stdio.h>

#include "error.h"
#include "qaccel.h"

static _Thread_local char last_error[512];

int qaccel_set_error(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_error, sizeof(last_error), fmt, ap);
	va_end(ap);
	return err;
}

void qaccel_clear_error(void)
{
	last_error[0] = '\0';
}

const char *qaccel_last_error(void)
{
	return last_error;
}
