/* SPDX-License-Identifier: MIT */
/*
 * Calibration observers: what one float tensor took over the calibration
 * set, and the range each calibration method makes of it. A first pass
 * records the extremes; methods other than minmax then fill a histogram
 * over [min, max] in a second pass and choose a clipping range from it.
 */
#ifndef QACCEL_QUANT_OBSERVER_H
#define QACCEL_QUANT_OBSERVER_H

#include <stddef.h>
#include <stdint.h>

#define OBS_BINS 2048

enum obs_method { OBS_MINMAX, OBS_PERCENTILE, OBS_MSE, OBS_ENTROPY };

struct observer {
	double min, max;	/* extremes seen (min > max: nothing yet) */
	uint64_t count;
	uint64_t *hist;		/* OBS_BINS bins over [hist_lo, hist_hi], or NULL */
	uint64_t zeros;		/* exact zeros, kept out of the bins */
	double hist_lo, hist_hi;
};

void obs_init(struct observer *o);
void obs_free(struct observer *o);
void obs_minmax(struct observer *o, const float *x, size_t n);
/* Fixes the histogram's span at the extremes seen; -ENOMEM on failure. */
int obs_hist_begin(struct observer *o);
void obs_hist_add(struct observer *o, const float *x, size_t n);

/*
 * The range to quantize to, always holding 0 (int8 must represent zero
 * exactly). percentile is P for OBS_PERCENTILE (e.g. 99.99): the lowest
 * and highest (100 - P) percent are clipped.
 */
void obs_range(const struct observer *o, enum obs_method m, double percentile,
	       double *lo, double *hi);

/* Parses "minmax", "percentile:P", "mse" or "entropy"; -EINVAL otherwise. */
int obs_parse_method(const char *s, enum obs_method *m, double *percentile);
const char *obs_method_name(enum obs_method m);

#endif /* QACCEL_QUANT_OBSERVER_H */
