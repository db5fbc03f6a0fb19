/* SPDX-License-Identifier: MIT */
/*
 * Quantization error, measured the way it will be met: the int8 model is
 * built with every layer's output exposed, run through libqaccel's
 * reference backend on each calibration sample, and each dequantized layer
 * output is compared with the float model's on the same sample.
 */
#ifndef QACCEL_QUANT_SQNR_H
#define QACCEL_QUANT_SQNR_H

#include <stdbool.h>
#include <stddef.h>

#include "calib.h"
#include "quant_plan.h"

/* Per float tensor: signal and noise energy; SQNR 10 log10(signal / noise). */
struct sqnr_acc {
	double signal, noise;
	bool measured;
};

/* Called after each sample with (arg, done, total); may be NULL. */
typedef void (*sqnr_progress_fn)(const void *arg, size_t done, size_t total);

/* acc has one entry per float tensor. */
int sqnr_measure(const struct qp_plan *p, bool per_tensor, struct float_net *fn,
		 const struct calib_set *cs, struct sqnr_acc *acc,
		 sqnr_progress_fn progress, const void *arg, char *err, size_t errlen);
/* In dB; +inf when there is no noise. */
double sqnr_db(const struct sqnr_acc *a);

#endif /* QACCEL_QUANT_SQNR_H */
