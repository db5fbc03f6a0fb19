// SPDX-License-Identifier: MIT
/*
 * Observers and the four calibration methods. Every method works on the
 * same histogram and returns [lo, hi] holding 0; the candidates of mse and
 * entropy shrink the observed range toward 0 by a common factor, which
 * keeps the position of zero (and so the zero point) as observed.
 */
#include "observer.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Candidate shrink factors tried by mse and entropy: 1.00, 0.99, ... */
#define OBS_CANDIDATES 90
#define OBS_CANDIDATE_STEP 0.01

void obs_init(struct observer *o)
{
	memset(o, 0, sizeof(*o));
	o->min = INFINITY;
	o->max = -INFINITY;
}

void obs_free(struct observer *o)
{
	free(o->hist);
	o->hist = NULL;
}

void obs_minmax(struct observer *o, const float *x, size_t n)
{
	double lo = o->min, hi = o->max;

	for (size_t i = 0; i < n; i++) {
		if (x[i] < lo)
			lo = x[i];
		if (x[i] > hi)
			hi = x[i];
	}
	o->min = lo;
	o->max = hi;
	o->count += n;
}

int obs_hist_begin(struct observer *o)
{
	if (!o->hist) {
		o->hist = calloc(OBS_BINS, sizeof(*o->hist));
		if (!o->hist)
			return -ENOMEM;
	}
	o->zeros = 0;
	o->hist_lo = o->count ? fmin(o->min, 0.0) : 0.0;
	o->hist_hi = o->count ? fmax(o->max, 0.0) : 0.0;
	return 0;
}

void obs_hist_add(struct observer *o, const float *x, size_t n)
{
	double span = o->hist_hi - o->hist_lo, k;

	if (!o->hist || span <= 0.0)
		return;
	k = OBS_BINS / span;
	for (size_t i = 0; i < n; i++) {
		double b = (x[i] - o->hist_lo) * k;
		int bin;

		/*
		 * Zero is exact in every candidate range, so exact zeros (half
		 * of a ReLU's output) cost nothing: in a bin they would count as
		 * the bin's centre and pull mse and entropy toward tiny ranges.
		 */
		if (x[i] == 0.0f) {
			o->zeros++;
			continue;
		}
		bin = b <= 0.0 ? 0 : b >= OBS_BINS - 1 ? OBS_BINS - 1 : (int)b;
		o->hist[bin]++;
	}
}

static double bin_center(const struct observer *o, int i)
{
	return o->hist_lo + (i + 0.5) * (o->hist_hi - o->hist_lo) / OBS_BINS;
}

static void percentile_range(const struct observer *o, double p, double *lo,
			     double *hi)
{
	uint64_t total = o->zeros, acc = 0, cut;
	double w = (o->hist_hi - o->hist_lo) / OBS_BINS;
	int a = 0, b = OBS_BINS - 1;

	for (int i = 0; i < OBS_BINS; i++)
		total += o->hist[i];
	cut = (uint64_t)((100.0 - p) / 100.0 * (double)total);
	/* Lowest bin whose cumulative count passes the cut, from each end. */
	for (acc = 0; a < OBS_BINS - 1 && acc + o->hist[a] <= cut; a++)
		acc += o->hist[a];
	for (acc = 0; b > 0 && acc + o->hist[b] <= cut; b--)
		acc += o->hist[b];
	*lo = o->hist_lo + a * w;
	*hi = o->hist_lo + (b + 1) * w;
}

/* Squared error of quantizing the histogram to int8 over [lo, hi]. */
static double mse_of(const struct observer *o, double lo, double hi)
{
	double s = (hi - lo) / 255.0, zp = round(-128.0 - lo / s), err = 0.0;

	for (int i = 0; i < OBS_BINS; i++) {
		double v, q;

		if (!o->hist[i])
			continue;
		v = bin_center(o, i);
		q = fmin(fmax(round(v / s) + zp, -128.0), 127.0);
		err += (v - (q - zp) * s) * (v - (q - zp) * s) * (double)o->hist[i];
	}
	return err;
}

/*
 * KL divergence between the histogram clipped to bins [a, b), outliers
 * folded into the edge bins (what int8 will represent), and the unclipped
 * slice quantized to 255 levels, each level's mass spread evenly over its
 * non-empty bins (TensorRT's calibration). Clipping shows where an edge
 * bin holds folded mass the levels do not: those terms are large.
 */
static double kl_of(const struct observer *o, int a, int b)
{
	int n = b - a;
	double *p = malloc(sizeof(double) * (size_t)n), pt = 0.0, qt = 0.0, kl = 0.0;

	if (!p)
		return INFINITY;
	for (int i = 0; i < n; i++)
		p[i] = (double)o->hist[a + i];
	for (int i = 0; i < a; i++)
		p[0] += (double)o->hist[i];
	for (int i = b; i < OBS_BINS; i++)
		p[n - 1] += (double)o->hist[i];
	for (int i = 0; i < n; i++) {
		pt += p[i];
		qt += (double)o->hist[a + i];
	}
	if (pt <= 0.0 || qt <= 0.0) {
		free(p);
		return INFINITY;
	}
	for (int lvl = 0; lvl < 255; lvl++) {
		int s = (int)((long)lvl * n / 255), e = (int)((long)(lvl + 1) * n / 255);
		double mass = 0.0;
		int nonzero = 0;

		for (int i = s; i < e; i++) {
			mass += (double)o->hist[a + i];
			nonzero += o->hist[a + i] > 0;
		}
		for (int i = s; i < e; i++) {
			double pn = p[i] / pt, qn;

			if (p[i] <= 0.0)
				continue;
			qn = o->hist[a + i] ? mass / nonzero / qt : 0.0;
			/* Mass the quantized slice lacks: a heavy, finite penalty. */
			kl += pn * log(pn / (qn > 0.0 ? qn : 1e-12));
		}
	}
	free(p);
	return kl;
}

void obs_range(const struct observer *o, enum obs_method m, double percentile,
	       double *lo, double *hi)
{
	double best = INFINITY, f_best = 1.0;

	*lo = o->count ? fmin(o->min, 0.0) : 0.0;
	*hi = o->count ? fmax(o->max, 0.0) : 0.0;
	if (m == OBS_MINMAX || !o->hist || o->hist_hi - o->hist_lo <= 0.0)
		return;
	if (m == OBS_PERCENTILE) {
		percentile_range(o, percentile, lo, hi);
		*lo = fmin(fmax(*lo, o->hist_lo), 0.0);
		*hi = fmax(fmin(*hi, o->hist_hi), 0.0);
		return;
	}
	for (int k = 0; k < OBS_CANDIDATES; k++) {
		double f = 1.0 - k * OBS_CANDIDATE_STEP, cost;

		if (m == OBS_MSE) {
			cost = mse_of(o, *lo * f, *hi * f);
		} else {
			/* Bins of the shrunk range: those around zero's bin. */
			double zero = -o->hist_lo / (o->hist_hi - o->hist_lo) * OBS_BINS;
			int a = (int)floor(zero - zero * f), b = (int)ceil(zero + (OBS_BINS - zero) * f);

			if (b > OBS_BINS)
				b = OBS_BINS;
			if (b - a < 255)
				break;
			cost = kl_of(o, a, b);
		}
		if (cost < best) {
			best = cost;
			f_best = f;
		}
	}
	*lo *= f_best;
	*hi *= f_best;
}

int obs_parse_method(const char *s, enum obs_method *m, double *percentile)
{
	char *end;

	*percentile = 0.0;
	if (!strcmp(s, "minmax"))
		*m = OBS_MINMAX;
	else if (!strcmp(s, "mse"))
		*m = OBS_MSE;
	else if (!strcmp(s, "entropy"))
		*m = OBS_ENTROPY;
	else if (!strncmp(s, "percentile:", 11)) {
		*m = OBS_PERCENTILE;
		*percentile = strtod(s + 11, &end);
		if (end == s + 11 || *end || !(*percentile > 50.0 && *percentile <= 100.0))
			return -EINVAL;
	} else {
		return -EINVAL;
	}
	return 0;
}

const char *obs_method_name(enum obs_method m)
{
	static const char *const names[] = { "minmax", "percentile", "mse", "entropy" };

	return (unsigned)m < 4 ? names[m] : "?";
}
