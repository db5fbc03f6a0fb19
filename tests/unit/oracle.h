/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * An independent plain implementation of every command, for the unit tests.
 * It shares no code with runtime/ref/: requantization is written from its
 * exact rational definition with 128-bit integers, convolutions go through
 * an explicit im2col patch and a dot product, broadcasting through strides,
 * so a mistake in one is unlikely to be repeated in the other.
 */
#ifndef QACCEL_TEST_ORACLE_H
#define QACCEL_TEST_ORACLE_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "uapi/qaccel_cmd.h"

typedef __int128 i128;

static inline int64_t o_floor_div(i128 a, i128 b)	/* b > 0 */
{
	i128 q = a / b;

	if ((a % b) != 0 && a < 0)
		q--;
	return (int64_t)q;
}

/* floor(a * b / 2^31 + 1/2), saturating: gemmlowp's doubling high mul. */
static inline int32_t o_srdhm(int32_t a, int32_t b)
{
	int64_t r = o_floor_div((i128)a * b + ((i128)1 << 30), (i128)1 << 31);

	return r > INT32_MAX ? INT32_MAX : (int32_t)r;
}

/* x / 2^e rounded to nearest, halfway cases away from zero. */
static inline int32_t o_rdbpot(int32_t x, int e)
{
	int64_t ax = x < 0 ? -(int64_t)x : x;
	int64_t r = e ? (ax + ((int64_t)1 << (e - 1))) >> e : ax;

	return (int32_t)(x < 0 ? -r : r);
}

static inline int32_t o_mulq(int32_t x, int32_t m, int32_t s, uint32_t rounding)
{
	if (rounding == QACCEL_ROUND_SINGLE) {
		int64_t r = o_floor_div((i128)x * m + ((i128)1 << (30 - s)),
					(i128)1 << (31 - s));

		return r > INT32_MAX ? INT32_MAX : r < INT32_MIN ? INT32_MIN : (int32_t)r;
	}
	/* Left shift wraps in 32 bits, as the ISA defines. */
	int32_t shifted = (int32_t)(uint32_t)((uint64_t)(uint32_t)x << (s > 0 ? s : 0));

	return o_rdbpot(o_srdhm(shifted, m), s > 0 ? 0 : -s);
}

static inline int8_t o_sat8(int64_t v, int32_t lo, int32_t hi)
{
	return (int8_t)(v < lo ? lo : v > hi ? hi : v);
}

static inline size_t o_idx(const uint32_t *d, size_t n, size_t h, size_t w, size_t c)
{
	return ((n * d[1] + h) * d[2] + w) * d[3] + c;
}

/* CONV_2D and DEPTHWISE_CONV_2D through an im2col patch. */
static inline void o_conv(const int8_t *in, const uint32_t *id, int32_t zi,
		   const int8_t *filt, const uint32_t *fd, const int32_t *bias,
		   const struct qaccel_qmul *q, uint32_t qcount, uint32_t rounding,
		   const struct qaccel_window *win, const struct qaccel_clamp *cl,
		   int8_t *out, const uint32_t *od, int32_t zo, int depthwise,
		   uint32_t dm)
{
	uint32_t kh = fd[1], kw = fd[2];
	size_t depth = depthwise ? 1 : id[3];
	int64_t *patch = malloc(sizeof(int64_t) * kh * kw * id[3]);

	for (size_t n = 0; n < od[0]; n++)
	for (size_t oy = 0; oy < od[1]; oy++)
	for (size_t ox = 0; ox < od[2]; ox++) {
		/* Patch of offset inputs; out-of-bounds taps are 0 after offset. */
		size_t p = 0;

		for (size_t ky = 0; ky < kh; ky++)
		for (size_t kx = 0; kx < kw; kx++)
		for (size_t c = 0; c < id[3]; c++) {
			long y = (long)(oy * win->stride_h + ky * win->dilation_h) - (long)win->pad_top;
			long x = (long)(ox * win->stride_w + kx * win->dilation_w) - (long)win->pad_left;
			int inside = y >= 0 && x >= 0 && y < (long)id[1] && x < (long)id[2];

			patch[p++] = inside ? in[o_idx(id, n, y, x, c)] - zi : 0;
		}
		for (size_t oc = 0; oc < od[3]; oc++) {
			int64_t acc = bias ? bias[oc] : 0;

			for (size_t t = 0; t < (size_t)kh * kw; t++) {
				if (depthwise) {
					size_t ic = oc / dm;

					acc += (int64_t)filt[t * od[3] + oc] * patch[t * id[3] + ic];
				} else {
					for (size_t c = 0; c < depth; c++)
						acc += (int64_t)filt[(oc * kh * kw + t) * depth + c] *
						       patch[t * depth + c];
				}
			}
			const struct qaccel_qmul *m = &q[qcount == 1 ? 0 : oc];
			int64_t v = (int64_t)o_mulq((int32_t)acc, m->multiplier, m->shift, rounding) + zo;

			out[o_idx(od, n, oy, ox, oc)] = o_sat8(v, cl->min, cl->max);
		}
	}
	free(patch);
}

static inline void o_fc(const int8_t *in, int32_t zi, const int8_t *w, int32_t zf,
		 const int32_t *bias, const struct qaccel_qmul *q, uint32_t qcount,
		 uint32_t rounding, const struct qaccel_clamp *cl, int8_t *out,
		 int32_t zo, size_t batches, size_t depth, size_t units)
{
	/* Column-major walk over the transposed weights. */
	int64_t *acc = calloc(batches * units, sizeof(int64_t));

	for (size_t k = 0; k < depth; k++)
		for (size_t u = 0; u < units; u++)
			for (size_t b = 0; b < batches; b++)
				acc[b * units + u] += (int64_t)(w[u * depth + k] - zf) *
						      (in[b * depth + k] - zi);
	for (size_t b = 0; b < batches; b++)
		for (size_t u = 0; u < units; u++) {
			const struct qaccel_qmul *m = &q[qcount == 1 ? 0 : u];
			int64_t a = acc[b * units + u] + (bias ? bias[u] : 0);

			out[b * units + u] = o_sat8((int64_t)o_mulq((int32_t)a, m->multiplier,
								     m->shift, rounding) + zo,
						    cl->min, cl->max);
		}
	free(acc);
}

/* Element strides of a tensor for broadcasting: 0 along size-1 dimensions. */
static inline void o_bstrides(const uint32_t *d, size_t *s)
{
	s[3] = d[3] == 1 ? 0 : 1;
	s[2] = d[2] == 1 ? 0 : d[3];
	s[1] = d[1] == 1 ? 0 : (size_t)d[2] * d[3];
	s[0] = d[0] == 1 ? 0 : (size_t)d[1] * d[2] * d[3];
}

static inline void o_binary(const struct qaccel_cmd_binary *c, const int8_t *a,
		     const int8_t *b, int8_t *out)
{
	const uint32_t *od = c->output.dims;
	size_t sa[4], sb[4], total = (size_t)od[0] * od[1] * od[2] * od[3];

	o_bstrides(c->input1.dims, sa);
	o_bstrides(c->input2.dims, sb);
	for (size_t i = 0; i < total; i++) {
		size_t r = i, k[4];

		k[3] = r % od[3]; r /= od[3];
		k[2] = r % od[2]; r /= od[2];
		k[1] = r % od[1]; r /= od[1];
		k[0] = r;
		int32_t x = a[k[0] * sa[0] + k[1] * sa[1] + k[2] * sa[2] + k[3] * sa[3]] -
			    c->input1.zero_point;
		int32_t y = b[k[0] * sb[0] + k[1] * sb[1] + k[2] * sb[2] + k[3] * sb[3]] -
			    c->input2.zero_point;
		int32_t v;

		if (c->hdr.opcode == QACCEL_OP_MUL) {
			v = o_mulq(x * y, c->output_qmul.multiplier, c->output_qmul.shift,
				   c->rounding);
		} else {
			int32_t m2 = c->hdr.opcode == QACCEL_OP_SUB ?
				     -c->input2_qmul.multiplier : c->input2_qmul.multiplier;
			int32_t p = o_mulq(x * (1 << c->left_shift), c->input1_qmul.multiplier,
					   c->input1_qmul.shift, c->rounding);
			int32_t q = o_mulq(y * (1 << c->left_shift), m2, c->input2_qmul.shift,
					   c->rounding);

			v = o_mulq(p + q, c->output_qmul.multiplier, c->output_qmul.shift,
				   c->rounding);
		}
		out[i] = o_sat8((int64_t)v + c->output.zero_point, c->clamp.min, c->clamp.max);
	}
}

static inline void o_pool(const struct qaccel_cmd_pool2d *c, const int8_t *in, int8_t *out)
{
	const uint32_t *id = c->input.dims, *od = c->output.dims;
	int is_max = c->hdr.opcode == QACCEL_OP_MAX_POOL_2D;

	for (size_t n = 0; n < od[0]; n++)
	for (size_t oy = 0; oy < od[1]; oy++)
	for (size_t ox = 0; ox < od[2]; ox++)
	for (size_t ch = 0; ch < od[3]; ch++) {
		int64_t best = -1000, sum = 0, cnt = 0;

		for (long y = (long)(oy * c->win.stride_h) - (long)c->win.pad_top;
		     y < (long)(oy * c->win.stride_h) - (long)c->win.pad_top + (long)c->filter_h; y++)
			for (long x = (long)(ox * c->win.stride_w) - (long)c->win.pad_left;
			     x < (long)(ox * c->win.stride_w) - (long)c->win.pad_left + (long)c->filter_w; x++) {
				if (y < 0 || x < 0 || y >= (long)id[1] || x >= (long)id[2])
					continue;
				int64_t v = in[o_idx(id, n, y, x, ch)];

				best = v > best ? v : best;
				sum += v;
				cnt++;
			}
		int64_t r;

		if (is_max) {
			r = best;
		} else if (!cnt) {
			r = 0;
		} else {
			/* Round half away from zero on the exact quotient. */
			int64_t as = sum < 0 ? -sum : sum;
			int64_t q = (2 * as + cnt) / (2 * cnt);

			r = sum < 0 ? -q : q;
		}
		out[o_idx(od, n, oy, ox, ch)] = o_sat8(r, c->clamp.min, c->clamp.max);
	}
}

static inline void o_mean(const struct qaccel_cmd_mean *c, const int8_t *in, int8_t *out)
{
	const uint32_t *id = c->input.dims;

	for (size_t n = 0; n < id[0]; n++)
		for (size_t ch = 0; ch < id[3]; ch++) {
			int64_t s = 0;

			for (size_t i = 0; i < (size_t)id[1] * id[2]; i++)
				s += in[(n * id[1] * id[2] + i) * id[3] + ch] - c->input.zero_point;
			int64_t v = o_mulq((int32_t)s, c->qmul.multiplier, c->qmul.shift, c->rounding);

			if (c->divisor) {
				int64_t d = c->divisor, av = v < 0 ? -v : v;
				int64_t q = (2 * av + d) / (2 * d);

				v = v < 0 ? -q : q;
			}
			out[n * id[3] + ch] = o_sat8(v + c->output.zero_point, c->clamp.min,
						     c->clamp.max);
		}
}

#endif /* QACCEL_TEST_ORACLE_H */
