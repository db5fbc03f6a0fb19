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

	for (int ky = 0; ky < wy->filter; ky++) {
		int y = tap(wy, oy, ky);

		if (y < 0 || y >= wy->in)
			continue;
		for (int kx = 0; kx < wx->filter; kx++) {
			int x = tap(wx, ox, kx);
			const float *ip = in + (((size_t)b * wy->in + y) * wx->in + x) * ic;
			const float *fp;

			if (x < 0 || x >= wx->in)
				continue;
			if (mult) {
				acc += (double)ip[o / mult] *
				       filter[((size_t)ky * wx->filter + kx) * oc + o];
				continue;
			}
			fp = filter + (((size_t)o * wy->filter + ky) * wx->filter + kx) * ic;
			for (int c = 0; c < ic; c++)
				acc += (double)ip[c] * fp[c];
		}
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
	for (int b = 0; b < n; b++)
		for (int oy = 0; oy < wy->out; oy++)
			for (int ox = 0; ox < wx->out; ox++)
				for (int ch = 0; ch < c; ch++) {
					double sum = 0.0;
					float best = -FLT_MAX;
					int count = 0;

					for (int ky = 0; ky < wy->filter; ky++) {
						int y = tap(wy, oy, ky);

						if (y < 0 || y >= wy->in)
							continue;
						for (int kx = 0; kx < wx->filter; kx++) {
							int x = tap(wx, ox, kx);
							float v;

							if (x < 0 || x >= wx->in)
								continue;
							v = in[(((size_t)b * wy->in + y) * wx->in + x) * c + ch];
							sum += v;
							best = v > best ? v : best;
							count++;
						}
					}
					*out++ = fk_activate(max ? best : count ? (float)(sum / count) : 0.0f, act);
				}
}
