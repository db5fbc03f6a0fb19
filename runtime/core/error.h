/* SPDX-License-Identifier: MIT */
/* Per-thread last-error message behind qaccel_last_error(). */
#ifndef QACCEL_ERROR_H
#define QACCEL_ERROR_H

#include <stdarg.h>

/* Records a message and returns err (a negative errno) for chaining. */
int qaccel_set_error(int err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void qaccel_clear_error(void);

#endif /* QACCEL_ERROR_H */
