/* SPDX-License-Identifier: MIT */
/* The compiler's entry point: .tflite bytes in, a program out. */
#ifndef QACCEL_COMPILE_H
#define QACCEL_COMPILE_H

#include <stddef.h>

#include "program.h"

/*
 * Returns 0, or a negative errno with a message in err naming the operator
 * or tensor at fault (-ENOTSUP for what qaccel does not support, -EINVAL for
 * a malformed model).
 */
int qc_compile_tflite(const void *data, size_t size, struct qc_program *out,
		      char *err, size_t errlen);

#endif /* QACCEL_COMPILE_H */
