/* SPDX-License-Identifier: MIT */
/*
 * .tflite writer: the plain C model of tflite_model.h back into the
 * flatbuffer TensorFlow Lite loads (schema facts from TensorFlow Lite's
 * public schema.fbs). One subgraph; every constant tensor gets its own
 * buffer, 16-byte aligned as the schema asks; operator codes are shared.
 */
#ifndef QACCEL_TFLITE_WRITER_H
#define QACCEL_TFLITE_WRITER_H

#include <stddef.h>
#include <stdint.h>

#include "tflite_model.h"

/*
 * Serialises m into *out (malloc'd, *size bytes). description may be NULL.
 * Returns 0, -EINVAL (with err) for what the writer cannot express, or
 * -ENOMEM.
 */
int tfl_model_write(const struct tfl_model *m, const char *description,
		    uint8_t **out, size_t *size, char *err, size_t errlen);

#endif /* QACCEL_TFLITE_WRITER_H */
