/* SPDX-License-Identifier: MIT */
/*
 * Calibration data: float32 samples of one model input, from a .npy with a
 * batch axis ([N] + input shape, or [N] + input shape without its leading
 * 1) or from a folder of .npy files (each one sample or a batch), taken in
 * file-name order.
 */
#ifndef QACCEL_QUANT_CALIB_H
#define QACCEL_QUANT_CALIB_H

#include <stddef.h>

#include "runtime/model/tflite_model.h"

struct calib_set {
	size_t count;		/* samples */
	size_t elems;		/* floats per sample */
	float *data;		/* count * elems */
};

/*
 * Loads at most max_samples (0: all) samples for input. Errors name the
 * file and say what does not match: its type, its shape against the
 * input's, an empty set, non-finite values.
 */
int calib_load(const char *path, const struct tfl_tensor *input,
	       size_t max_samples, struct calib_set *cs, char *err, size_t errlen);
void calib_free(struct calib_set *cs);

#endif /* QACCEL_QUANT_CALIB_H */
