// SPDX-License-Identifier: MIT
/* Float convolutions, depthwise convolutions, fully connected and pools. */
#include <float.h>

#include "fkernels.h"

int fk_window_init(struct fk_window *w, int in, int filter, int stride,
		   int dilation, bool same)
{
	int eff, total;

	/* Bounded so that the arithmetic below cannot overflow. */
	if (in <= 0 || filter <= 0 || stride <= 0 || dilation <= 0 ||
	    in > (1 << 24) || filter > (1 << 12) || stride > (1 << 12) || dilation > (1 << 12))
		return -1;
	eff = (filter - 1) * dilation + 1;
	w->in = in;
	w->filter = filter;
	w->stride = stride;
	w->dilation = dilation;
	if (same) {
		w->out = (in + stride - 1) / stride;
		total = (w->out - 1) * stride + eff - in;
		w->pad_before = total > 0 ? total / 2 : 0;
	} else {
		if (eff > in)
			return -1;
		w->out = (in - eff) / stride + 1;
		w->pad_before = 0;
	}
	return 0;
}

float fk_activate(float x, int act)
{
	switch (act) {
	case FK_ACT_RELU:
		return x < 0.0f ? 0.0f : x;
	case FK_ACT_RELU_N1_TO_1:
		return x < -1.0f ? -1.0f : x > 1.0f ? 1.0f : x;
	case FK_ACT_RELU6:
		return x < 0.0f ? 0.0f : x > 6.0f ? 6.0f : x;
	default:
		return x;
	}
}

/* Input coordinate of output o, tap k; outside [0, in) means padding. */
static int tap(const struct fk_window *w, int o, int k)
{
	return o * w->stride - w->pad_before + k * w->dilation;
}

/* The taps [*k0, *k1) of output o that land inside the input. */
static void tap_range(const struct fk_window *w, int o, int *k0, int *k1)
{
	int base = tap(w, o, 0), last;

	*k0 = base >= 0 ? 0 : (-base + w->dilation - 1) / w->dilation;
	last = base > w->in - 1 ? -1 : (w->in - 1 - base) / w->dilation;
	*k1 = last + 1 < w->filter ? last + 1 : w->filter;
}

/*
 * One output value of a convolution: depthwise (mult > 0, output channel o
 * reads input channel o / mult through filter [1,KH,KW,OC]) or regular
 * (mult == 0, filter [OC,KH,KW,IC]).
 */
static double conv_point(const float *in, int b, int oy, int ox, int ic,
			 const struct fk_window *wy, const struct fk_window *wx,
			 const float *filter, int oc, int mult, int o)
{
	double acc = 0.0;
	int ky0, ky1, kx0, kx1;

	tap_range(wy, oy, &ky0, &ky1);
	tap_range(wx, ox, &kx0, &kx1);
	for (int ky = ky0; ky < ky1; ky++)
		for (int kx = kx0; kx < kx1; kx++) {
			const float *ip = in + (((size_t)b * wy->in + tap(wy, oy, ky)) * wx->in +
						tap(wx, ox, kx)) * ic;
			const float *fp;

			if (mult) {
				acc += (double)ip[o / mult] *
				       filter[((size_t)ky * wx->filter + kx) * oc + o];
				continue;
			}
			fp = filter + (((size_t)o * wy->filter + ky) * wx->filter + kx) * ic;
			for (int c = 0; c < ic; c++)
				acc += (double)ip[c] * fp[c];
		}
	return acc;
}

static void conv_all(const float *in, int n, int ic, const struct fk_window *wy,
		     const struct fk_window *wx, const float *filter, int oc, int mult,
		     const float *bias, int act, float *out)
{
	for (int b = 0; b < n; b++)
		for (int oy = 0; oy < wy->out; oy++)
			for (int ox = 0; ox < wx->out; ox++)
				for (int o = 0; o < oc; o++) {
					double acc = conv_point(in, b, oy, ox, ic, wy, wx, filter,
								oc, mult, o);

					*out++ = fk_activate((float)(acc + (bias ? bias[o] : 0.0)), act);
				}
}

void fk_conv2d(const float *in, int n, int ic, const struct fk_window *wy,
	       const struct fk_window *wx, const float *filter, int oc,
	       const float *bias, int act, float *out)
{
	conv_all(in, n, ic, wy, wx, filter, oc, 0, bias, act, out);
}

void fk_depthwise_conv2d(const float *in, int n, int ic, int mult,
			 const struct fk_window *wy, const struct fk_window *wx,
			 const float *filter, const float *bias, int act, float *out)
{
	conv_all(in, n, ic, wy, wx, filter, ic * mult, mult, bias, act, out);
}

void fk_fully_connected(const float *in, int rows, int depth, const float *w,
			int units, const float *bias, int act, float *out)
{
	for (int r = 0; r < rows; r++)
		for (int u = 0; u < units; u++) {
			double acc = bias ? bias[u] : 0.0;

			for (int k = 0; k < depth; k++)
				acc += (double)in[(size_t)r * depth + k] * w[(size_t)u * depth + k];
			*out++ = fk_activate((float)acc, act);
		}
}

void fk_pool2d(const float *in, int n, int c, const struct fk_window *wy,
	       const struct fk_window *wx, bool max, int act, float *out)
{
	int count;

	for (int b = 0; b < n; b++)
		for (int oy = 0; oy < wy->out; oy++)
			for (int ox = 0; ox < wx->out; ox++)
				for (int ch = 0; ch < c; ch++) {
					double sum = 0.0;
					float best = -FLT_MAX;
					int ky0, ky1, kx0, kx1;

					tap_range(wy, oy, &ky0, &ky1);
					tap_range(wx, ox, &kx0, &kx1);
					for (int ky = ky0; ky < ky1; ky++)
						for (int kx = kx0; kx < kx1; kx++) {
							float v = in[(((size_t)b * wy->in + tap(wy, oy, ky)) *
								      wx->in + tap(wx, ox, kx)) * c + ch];

							sum += v;
							best = v > best ? v : best;
						}
					count = (ky1 - ky0) * (kx1 - kx0);
					*out++ = fk_activate(max ? best : count > 0 ? (float)(sum / count) : 0.0f,
							     act);
				}
}
