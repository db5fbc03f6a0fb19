/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * An independent plain implementation of every integer command, for the
 * unit tests. It shares no code with runtime/ref/ and is written the other
 * way round wherever it can be:
 *  - requantization from its exact rational definition in 128-bit integers
 *    (floor((a * b + 2^30) / 2^31) for the doubling high multiply, rounding
 *    on magnitudes for the divide by a power of two);
 *  - convolutions and pools scatter: each input element is pushed into
 *    every output whose window holds it, into 64-bit sums wrapped to int32
 *    once at the end (the same value modulo 2^32 as a wrapping int32 sum);
 *  - broadcasting through element strides that are 0 along size-1 dims;
 *  - outputs computed into a scratch array first, so aliasing (LUT in
 *    place) cannot change what is read;
 *  - softmax from gemmlowp's definitions with its own helpers.
 * o_check() runs one command through the validator, the engine and this
 * oracle (on a copy of the buffers) and compares every byte of every
 * buffer, so a write outside the output is caught as well.
 */
#ifndef QACCEL_TEST_ORACLE_H
#define QACCEL_TEST_ORACLE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_util.h"

typedef __int128 o_i128;

/* floor(a / b), b > 0. */
static inline o_i128 o_floor_div(o_i128 a, o_i128 b)
{
	o_i128 q = a / b;

	return (a % b != 0 && a < 0) ? q - 1 : q;
}

static inline int32_t o_sat32(o_i128 v)
{
	return v > INT32_MAX ? INT32_MAX : v < INT32_MIN ? INT32_MIN : (int32_t)v;
}

static inline int32_t o_wrap32(int64_t v)
{
	return (int32_t)(uint32_t)(uint64_t)v;
}

/* gemmlowp SaturatingRoundingDoublingHighMul: a * b / 2^31, ties up. */
static inline int32_t o_srdhm(int32_t a, int32_t b)
{
	return o_sat32(o_floor_div((o_i128)a * b + ((o_i128)1 << 30),
				   (o_i128)1 << 31));
}

/* x / 2^e rounded to nearest, ties away from zero; any e >= 0. */
static inline int64_t o_rdbpot64(int64_t x, int e)
{
	o_i128 ax = x < 0 ? -(o_i128)x : x;
	o_i128 r = (2 * ax + ((o_i128)1 << e)) / ((o_i128)2 << e);

	return (int64_t)(x < 0 ? -r : r);
}

static inline int32_t o_rdbpot(int32_t x, int e)
{
	return (int32_t)o_rdbpot64(x, e);
}

/* x * m * 2^(s - 31) with the command's rounding (quantization.rst). */
static inline int32_t o_mulq(int32_t x, int32_t m, int32_t s, uint32_t rounding)
{
	if (rounding == QACCEL_ROUND_SINGLE) {
		/* One rounding: floor(x * m / 2^(31 - s) + 1/2). */
		o_i128 den = (o_i128)1 << (31 - s);

		return o_sat32(o_floor_div(2 * (o_i128)x * m + den, 2 * den));
	}
	/* Double: the left shift wraps in 32 bits, as the ISA defines. */
	int32_t up = o_wrap32((int64_t)x * ((int64_t)1 << (s > 0 ? s : 0)));

	return o_rdbpot(o_srdhm(up, m), s > 0 ? 0 : -s);
}

static inline int8_t o_sat8(int64_t v, int32_t lo, int32_t hi)
{
	return (int8_t)(v < lo ? lo : v > hi ? hi : v);
}

static inline size_t o_idx(const uint32_t *d, size_t n, size_t h, size_t w, size_t c)
{
	return ((n * d[1] + h) * d[2] + w) * d[3] + c;
}

/* acc (exact) + bias, wrapped to int32, rescaled, offset, clamped. */
static inline int8_t o_tail(int64_t acc, const int32_t *bias, size_t oc,
			    const struct qaccel_qmul *q, uint32_t qcount,
			    uint32_t rounding, int32_t zo, const struct qaccel_clamp *cl)
{
	const struct qaccel_qmul *m = &q[qcount == 1 ? 0 : oc];
	int32_t a = o_wrap32(acc + (bias ? bias[oc] : 0));

	return o_sat8((int64_t)o_mulq(a, m->multiplier, m->shift, rounding) + zo,
		      cl->min, cl->max);
}

/* Output coordinate of tap k reading input coordinate i, or -1. */
static inline long o_out_coord(long i, long k, uint32_t pad, uint32_t stride,
			       uint32_t dil, uint32_t out_size)
{
	long num = i + (long)pad - k * (long)dil;

	if (num < 0 || num % (long)stride)
		return -1;
	return num / (long)stride < (long)out_size ? num / (long)stride : -1;
}

/*
 * CONV_2D (dm == 0) and DEPTHWISE_CONV_2D (dm = depth multiplier), by
 * scattering every input element into the outputs its taps reach.
 */
static inline void or_conv(const struct qaccel_tensor *it, const int8_t *in,
			   const uint32_t *fd, const int8_t *filt,
			   const int32_t *bias, const struct qaccel_qmul *q,
			   uint32_t qcount, uint32_t rounding,
			   const struct qaccel_window *win,
			   const struct qaccel_clamp *cl,
			   const struct qaccel_tensor *ot, int8_t *out, uint32_t dm)
{
	const uint32_t *id = it->dims, *od = ot->dims;
	size_t total = t_elems(od), OC = od[3], IC = id[3];
	int64_t *acc = calloc(total ? total : 1, sizeof(*acc));

	for (size_t n = 0; n < id[0]; n++)
	for (size_t iy = 0; iy < id[1]; iy++)
	for (size_t ix = 0; ix < id[2]; ix++) {
		const int8_t *px = in + o_idx(id, n, iy, ix, 0);

		for (size_t ky = 0; ky < fd[1]; ky++) {
			long oy = o_out_coord(iy, ky, win->pad_top, win->stride_h,
					      win->dilation_h, od[1]);

			if (oy < 0)
				continue;
			for (size_t kx = 0; kx < fd[2]; kx++) {
				long ox = o_out_coord(ix, kx, win->pad_left,
						      win->stride_w,
						      win->dilation_w, od[2]);
				int64_t *o;

				if (ox < 0)
					continue;
				o = acc + o_idx(od, n, oy, ox, 0);
				for (size_t ic = 0; ic < IC; ic++) {
					int64_t v = px[ic] - it->zero_point;

					if (dm) {
						for (size_t m = 0; m < dm; m++) {
							size_t oc = ic * dm + m;

							o[oc] += v * filt[(ky * fd[2] + kx) * OC + oc];
						}
						continue;
					}
					for (size_t oc = 0; oc < OC; oc++)
						o[oc] += v * filt[((oc * fd[1] + ky) * fd[2] + kx) * IC + ic];
				}
			}
		}
	}
	for (size_t i = 0; i < total; i++)
		out[i] = o_tail(acc[i], bias, i % OC, q, qcount, rounding,
				ot->zero_point, cl);
	free(acc);
}

/* FULLY_CONNECTED: each input value scattered into every unit's sum. */
static inline void or_fc(const struct qaccel_cmd_fc *c, const int8_t *in,
			 const int8_t *w, const int32_t *bias,
			 const struct qaccel_qmul *q, int8_t *out)
{
	size_t B = c->input.dims[2], K = c->input.dims[3], U = c->filter.dims[2];
	int64_t *acc = calloc(B * U, sizeof(*acc));

	for (size_t b = 0; b < B; b++)
		for (size_t k = 0; k < K; k++) {
			int64_t x = in[b * K + k] - c->input.zero_point;

			for (size_t u = 0; u < U; u++)
				acc[b * U + u] += x * (w[u * K + k] - c->filter.zero_point);
		}
	for (size_t i = 0; i < B * U; i++)
		out[i] = o_tail(acc[i], bias, i % U, q, c->requant.count,
				c->requant.rounding, c->output.zero_point, &c->clamp);
	free(acc);
}

/* Element strides of a tensor: 0 along its size-1 dims (broadcast). */
static inline void o_bstrides(const uint32_t *d, size_t *s)
{
	size_t run = 1;

	for (int k = 3; k >= 0; k--) {
		s[k] = d[k] == 1 ? 0 : run;
		run *= d[k];
	}
}

/* ADD, SUB, MUL with broadcasting, walking the output with an odometer. */
static inline void or_binary(const struct qaccel_cmd_binary *c, const int8_t *a,
			     const int8_t *b, int8_t *out)
{
	const uint32_t *od = c->output.dims;
	size_t sa[4], sb[4], k[4] = { 0 }, total = t_elems(od);
	int8_t *tmp = malloc(total);

	o_bstrides(c->input1.dims, sa);
	o_bstrides(c->input2.dims, sb);
	for (size_t i = 0; i < total; i++) {
		int64_t x = a[k[0] * sa[0] + k[1] * sa[1] + k[2] * sa[2] + k[3] * sa[3]];
		int64_t y = b[k[0] * sb[0] + k[1] * sb[1] + k[2] * sb[2] + k[3] * sb[3]];
		int32_t v;

		x -= c->input1.zero_point;
		y -= c->input2.zero_point;
		if (c->hdr.opcode == QACCEL_OP_MUL) {
			v = o_mulq((int32_t)(x * y), c->output_qmul.multiplier,
				   c->output_qmul.shift, c->rounding);
		} else {
			int32_t m2 = c->input2_qmul.multiplier;
			int32_t p, r;

			if (c->hdr.opcode == QACCEL_OP_SUB)
				m2 = -m2;
			p = o_mulq((int32_t)(x * ((int64_t)1 << c->left_shift)), c->input1_qmul.multiplier,
				   c->input1_qmul.shift, c->rounding);
			r = o_mulq((int32_t)(y * ((int64_t)1 << c->left_shift)), m2,
				   c->input2_qmul.shift, c->rounding);
			v = o_mulq(o_wrap32((int64_t)p + r), c->output_qmul.multiplier,
				   c->output_qmul.shift, c->rounding);
		}
		tmp[i] = o_sat8((int64_t)v + c->output.zero_point, c->clamp.min,
				c->clamp.max);
		for (int d = 3; d >= 0 && ++k[d] == od[d]; d--)
			k[d] = 0;
	}
	memcpy(out, tmp, total);
	free(tmp);
}

/* Pools by scattering each input into every window that holds it. */
static inline void or_pool(const struct qaccel_cmd_pool2d *c, const int8_t *in,
			   int8_t *out)
{
	const uint32_t *id = c->input.dims, *od = c->output.dims;
	const struct qaccel_window *w = &c->win;
	size_t total = t_elems(od);
	int64_t *sum = calloc(total, sizeof(*sum));
	int64_t *cnt = calloc(total, sizeof(*cnt));
	int64_t *best = calloc(total, sizeof(*best));

	for (size_t n = 0; n < id[0]; n++)
	for (size_t iy = 0; iy < id[1]; iy++)
	for (size_t oy = 0; oy < od[1]; oy++) {
		/* Window rows: [oy * stride - pad, + filter_h). */
		if (iy + w->pad_top < oy * w->stride_h ||
		    iy + w->pad_top >= oy * w->stride_h + c->filter_h)
			continue;
		for (size_t ix = 0; ix < id[2]; ix++)
		for (size_t ox = 0; ox < od[2]; ox++) {
			if (ix + w->pad_left < ox * w->stride_w ||
			    ix + w->pad_left >= ox * w->stride_w + c->filter_w)
				continue;
			for (size_t ch = 0; ch < id[3]; ch++) {
				size_t o = o_idx(od, n, oy, ox, ch);
				int64_t v = in[o_idx(id, n, iy, ix, ch)];

				if (!cnt[o] || v > best[o])
					best[o] = v;
				sum[o] += v;
				cnt[o]++;
			}
		}
	}
	for (size_t o = 0; o < total; o++) {
		int64_t r;

		if (c->hdr.opcode == QACCEL_OP_MAX_POOL_2D) {
			r = cnt[o] ? best[o] : -128;
		} else if (!cnt[o]) {
			r = 0;
		} else {
			/* Nearest to sum / cnt, ties away from zero. */
			int64_t as = sum[o] < 0 ? -sum[o] : sum[o];
			int64_t qq = (2 * as + cnt[o]) / (2 * cnt[o]);

			r = sum[o] < 0 ? -qq : qq;
		}
		out[o] = o_sat8(r, c->clamp.min, c->clamp.max);
	}
	free(sum);
	free(cnt);
	free(best);
}

static inline void or_mean(const struct qaccel_cmd_mean *c, const int8_t *in,
			   int8_t *out)
{
	const uint32_t *id = c->input.dims;
	size_t plane = (size_t)id[1] * id[2], C = id[3];
	int64_t *s = calloc((size_t)id[0] * C, sizeof(*s));

	for (size_t i = 0; i < t_elems(id); i++)
		s[(i / (plane * C)) * C + i % C] += in[i] - c->input.zero_point;
	for (size_t o = 0; o < (size_t)id[0] * C; o++) {
		int64_t v = o_mulq((int32_t)s[o], c->qmul.multiplier,
				   c->qmul.shift, c->rounding);

		if (c->divisor) {
			int64_t d = c->divisor, av = v < 0 ? -v : v;
			int64_t q = (2 * av + d) / (2 * d);

			v = v < 0 ? -q : q;
		}
		out[o] = o_sat8(v + c->output.zero_point, c->clamp.min, c->clamp.max);
	}
	free(s);
}

static inline void or_requantize(const struct qaccel_cmd_requantize *c,
				 const int8_t *in, int8_t *out)
{
	size_t total = t_elems(c->input.dims);
	int8_t *tmp = malloc(total);

	for (size_t i = 0; i < total; i++)
		tmp[i] = o_sat8((int64_t)o_mulq(in[i] - c->input.zero_point,
						c->qmul.multiplier, c->qmul.shift,
						c->rounding) + c->output.zero_point,
				-128, 127);
	memcpy(out, tmp, total);
	free(tmp);
}

static inline void or_lut(const struct qaccel_cmd_lut *c, const int8_t *in,
			  const int8_t *table, int8_t *out)
{
	size_t total = t_elems(c->input.dims);
	int8_t *tmp = malloc(total);

	for (size_t i = 0; i < total; i++)
		tmp[i] = table[(uint8_t)(in[i] ^ 0x80)];	/* x + 128 */
	memcpy(out, tmp, total);
	free(tmp);
}

/* PAD: fill with the pad value, then place every input element. */
static inline void or_pad(const struct qaccel_cmd_pad *c, const int8_t *in,
			  int8_t *out)
{
	const uint32_t *id = c->input.dims, *od = c->output.dims;
	size_t total = t_elems(od), k[4] = { 0 };
	int8_t *tmp = malloc(total);

	memset(tmp, (int8_t)c->pad_value, total);
	for (size_t i = 0; i < t_elems(id); i++) {
		tmp[o_idx(od, k[0] + c->before[0], k[1] + c->before[1],
			  k[2] + c->before[2], k[3] + c->before[3])] = in[i];
		for (int d = 3; d >= 0 && ++k[d] == id[d]; d--)
			k[d] = 0;
	}
	memcpy(out, tmp, total);
	free(tmp);
}

/* COPY: element i of the 4-D index space, decomposed from a linear count. */
static inline void or_copy(const struct qaccel_cmd_copy *c, const uint8_t *src,
			   uint8_t *dst)
{
	size_t total = t_elems(c->dims);

	for (size_t i = 0; i < total; i++) {
		size_t r = i, so = 0, dof = 0;

		for (int d = 3; d >= 0; d--) {
			so += (r % c->dims[d]) * c->src_strides[d];
			dof += (r % c->dims[d]) * c->dst_strides[d];
			r /= c->dims[d];
		}
		dst[dof] = src[so];
	}
}

/* x * 2^e saturated to int32, e >= 0. */
static inline int32_t o_sat_shl(int32_t x, int e)
{
	return o_sat32((o_i128)x << e);
}

/* gemmlowp exp_on_negative_values: a <= 0 in Q5.26, result Q0.31. */
static inline int32_t o_exp_q5(int32_t a)
{
	static const int32_t exp_neg_pow2[7] = {	/* exp(-2^k), k = -2..4 */
		1672461947, 1302514674, 790015084, 290630308, 39332535, 720401, 242,
	};
	const int64_t quarter = (int64_t)1 << 24;
	int64_t r = ((int64_t)a % quarter + quarter) % quarter;	/* a mod 1/4 */
	/* exp on [-1/4, 0): Taylor around -1/8 in x = a' + 1/8 (Q0.31). */
	int32_t x = o_sat_shl((int32_t)(r - quarter), 5) + (1 << 28);
	int32_t x2 = o_srdhm(x, x), x3 = o_srdhm(x2, x), x4 = o_srdhm(x2, x2);
	int32_t poly = o_rdbpot(o_srdhm(o_rdbpot(x4, 2) + x3, 715827883) + x2, 1);
	int32_t res = 1895147668 + o_srdhm(1895147668, x + poly);
	/* The rest, a non-negative multiple of 1/4, one bit at a time. */
	int64_t rest = (r - quarter) - (int64_t)a;

	if (a == 0)
		return INT32_MAX;
	for (int k = 0; k < 7; k++)
		if (rest & ((int64_t)1 << (24 + k)))
			res = o_srdhm(res, exp_neg_pow2[k]);
	return res;
}

/* gemmlowp one_over_one_plus_x_for_x_in_0_1: xq in [0, 1) Q0.31. */
static inline int32_t o_recip_1px(int32_t xq)
{
	int64_t hs = (int64_t)xq + INT32_MAX;	/* >= 0 here */
	int32_t half = (int32_t)((hs >> 1) + (hs & 1));	/* rounding half sum */
	int32_t est = 1515870810 + o_srdhm(half, -1010580540);	/* 48/17 - 32/17 d */

	for (int k = 0; k < 3; k++)	/* Newton: x += x (1 - d x), in Q2.29 */
		est += o_sat_shl(o_srdhm(est, (1 << 29) - o_srdhm(half, est)), 2);
	return o_sat_shl(est, 1);
}

/*
 * Fixed-point SOFTMAX (gemmlowp / TFLite Micro int8). Rows must sum to
 * less than 2^31 in Q12.19, i.e. C below 4096, where TFLite is defined.
 */
static inline void or_softmax(const struct qaccel_cmd_softmax *c, const int8_t *in,
			      int8_t *out)
{
	size_t depth = c->input.dims[3], total = t_elems(c->input.dims);
	int32_t *e = malloc(depth * sizeof(*e));
	int8_t *tmp = malloc(total);

	for (size_t r = 0; r < total / depth; r++) {
		const int8_t *x = in + r * depth;
		int32_t mx = -128;
		int64_t sum = 0;

		for (size_t i = 0; i < depth; i++)
			mx = x[i] > mx ? x[i] : mx;
		for (size_t i = 0; i < depth; i++) {
			int32_t d = x[i] - mx;

			e[i] = -1;	/* below diff_min: no weight */
			if (d < c->diff_min)
				continue;
			e[i] = o_exp_q5(o_mulq(d, c->input_beta_multiplier,
					       c->input_beta_left_shift, c->rounding));
			sum += o_rdbpot(e[i], 12);	/* Q0.31 -> Q12.19 */
		}
		/* sum = 2^over * (1 + f), f in [0, 1): scale = 1 / (1 + f). */
		int over = 0;

		while ((sum >> over) >= ((int64_t)1 << 20))
			over++;
		int32_t f = (int32_t)(((sum << (31 - 19)) >> over) - ((int64_t)1 << 31));
		int32_t scale = o_recip_1px(f);

		for (size_t i = 0; i < depth; i++) {
			int64_t v = -128;

			if (e[i] >= 0)
				v = o_rdbpot64(o_srdhm(scale, e[i]), over + 23) - 128;
			tmp[r * depth + i] = o_sat8(v, -128, 127);
		}
	}
	memcpy(out, tmp, total);
	free(tmp);
	free(e);
}

/*
 * Runs one command with the oracle on the buffers of b (in place).
 * Returns 0, or -1 for an opcode the oracle does not model.
 */
static inline int or_exec(const struct qaccel_cmd_header *h, struct t_bufs *b)
{
	switch (h->opcode) {
	case QACCEL_OP_CONV_2D:
	case QACCEL_OP_DEPTHWISE_CONV_2D: {
		/* conv2d and dwconv2d share their first fields. */
		const struct qaccel_cmd_conv2d *c = (const void *)h;
		uint32_t dm = 0;

		if (h->opcode == QACCEL_OP_DEPTHWISE_CONV_2D)
			dm = ((const struct qaccel_cmd_dwconv2d *)h)->depth_multiplier;
		or_conv(&c->input, t_data(b, &c->input), c->filter.dims,
			t_data(b, &c->filter),
			c->bias.buf == QACCEL_NO_BUFFER ? NULL : t_ptr(b, &c->bias),
			t_ptr(b, &c->requant.params), c->requant.count,
			c->requant.rounding, &c->win, &c->clamp, &c->output,
			t_data(b, &c->output), dm);
		return 0;
	}
	case QACCEL_OP_FULLY_CONNECTED: {
		const struct qaccel_cmd_fc *c = (const void *)h;

		or_fc(c, t_data(b, &c->input), t_data(b, &c->filter),
		      c->bias.buf == QACCEL_NO_BUFFER ? NULL : t_ptr(b, &c->bias),
		      t_ptr(b, &c->requant.params), t_data(b, &c->output));
		return 0;
	}
	case QACCEL_OP_ADD:
	case QACCEL_OP_SUB:
	case QACCEL_OP_MUL: {
		const struct qaccel_cmd_binary *c = (const void *)h;

		or_binary(c, t_data(b, &c->input1), t_data(b, &c->input2),
			  t_data(b, &c->output));
		return 0;
	}
	case QACCEL_OP_MAX_POOL_2D:
	case QACCEL_OP_AVERAGE_POOL_2D: {
		const struct qaccel_cmd_pool2d *c = (const void *)h;

		or_pool(c, t_data(b, &c->input), t_data(b, &c->output));
		return 0;
	}
	case QACCEL_OP_LUT: {
		const struct qaccel_cmd_lut *c = (const void *)h;

		or_lut(c, t_data(b, &c->input), t_ptr(b, &c->table),
		       t_data(b, &c->output));
		return 0;
	}
	case QACCEL_OP_SOFTMAX: {
		const struct qaccel_cmd_softmax *c = (const void *)h;

		or_softmax(c, t_data(b, &c->input), t_data(b, &c->output));
		return 0;
	}
	case QACCEL_OP_COPY: {
		const struct qaccel_cmd_copy *c = (const void *)h;

		or_copy(c, t_ptr(b, &c->src), t_ptr(b, &c->dst));
		return 0;
	}
	case QACCEL_OP_PAD: {
		const struct qaccel_cmd_pad *c = (const void *)h;

		or_pad(c, t_data(b, &c->input), t_data(b, &c->output));
		return 0;
	}
	case QACCEL_OP_MEAN: {
		const struct qaccel_cmd_mean *c = (const void *)h;

		or_mean(c, t_data(b, &c->input), t_data(b, &c->output));
		return 0;
	}
	case QACCEL_OP_REQUANTIZE: {
		const struct qaccel_cmd_requantize *c = (const void *)h;

		or_requantize(c, t_data(b, &c->input), t_data(b, &c->output));
		return 0;
	}
	default:
		return -1;
	}
}

/*
 * Validates cmd (it must be accepted), runs it on b with the engine and on
 * a copy of b with the oracle, and compares every byte of every buffer.
 * Returns 0 when they agree; otherwise prints the seed, what (the case's
 * parameters) and the first differing byte with both values, and returns
 * non-zero. b keeps the engine's results.
 */
static inline int o_check(const void *cmd, uint32_t size, struct t_bufs *b,
			  const char *what)
{
	const struct qaccel_cmd_header *h = cmd;
	struct qaccel_validate_error err = { 0 };
	struct t_bufs want;
	int ret;

	ret = t_validate_one(cmd, size, b, &err);
	if (ret) {
		printf("# seed %llu: %s: validator refused (%d, %s)\n",
		       (unsigned long long)t_seed, what, ret,
		       err.reason ? err.reason : "?");
		return ret;
	}
	t_bufs_clone(&want, b);
	if (or_exec(h, &want)) {
		printf("# %s: opcode %u not modelled\n", what, h->opcode);
		t_bufs_free(&want);
		return -1;
	}
	qaccel_exec_cmd(h, b->v);
	for (uint32_t i = 0; i < b->n && !ret; i++) {
		size_t d = t_first_diff((int8_t *)b->v[i].ptr,
					(int8_t *)want.v[i].ptr, b->sizes[i]);

		if (d == b->sizes[i])
			continue;
		printf("# seed %llu (QACCEL_TEST_SEED=%llu to replay): %s\n"
		       "#   buffer %u byte %zu: engine %d, oracle %d\n",
		       (unsigned long long)t_seed, (unsigned long long)t_seed,
		       what, i, d, (int8_t)b->v[i].ptr[d], (int8_t)want.v[i].ptr[d]);
		ret = 1;
	}
	t_bufs_free(&want);
	return ret;
}

/*
 * o_check(), then the n bytes at out against values worked out by hand:
 * the engine and the oracle must both give them.
 */
static inline int o_check_expect(const void *cmd, uint32_t size, struct t_bufs *b,
				 const int8_t *out, const int8_t *want, size_t n,
				 const char *what)
{
	int ret = o_check(cmd, size, b, what);
	size_t d = t_first_diff(out, want, n);

	if (d < n) {
		printf("# %s: element %zu is %d, worked out by hand %d\n",
		       what, d, out[d], want[d]);
		ret = 1;
	}
	return ret;
}

/*
 * The raw-pointer entry points that tests/unit/test_kernels.c uses; they
 * forward to the oracle above.
 */
static inline void o_conv(const int8_t *in, const uint32_t *id, int32_t zi,
			  const int8_t *filt, const uint32_t *fd, const int32_t *bias,
			  const struct qaccel_qmul *q, uint32_t qcount, uint32_t rounding,
			  const struct qaccel_window *win, const struct qaccel_clamp *cl,
			  int8_t *out, const uint32_t *od, int32_t zo, int depthwise,
			  uint32_t dm)
{
	struct qaccel_tensor it = { .zero_point = zi }, ot = { .zero_point = zo };

	memcpy(it.dims, id, sizeof(it.dims));
	memcpy(ot.dims, od, sizeof(ot.dims));
	or_conv(&it, in, fd, filt, bias, q, qcount, rounding, win, cl, &ot, out,
		depthwise ? dm : 0);
}

static inline void o_fc(const int8_t *in, int32_t zi, const int8_t *w, int32_t zf,
			const int32_t *bias, const struct qaccel_qmul *q, uint32_t qcount,
			uint32_t rounding, const struct qaccel_clamp *cl, int8_t *out,
			int32_t zo, size_t batches, size_t depth, size_t units)
{
	struct qaccel_cmd_fc c = {
		.input = { .dims = { 1, 1, batches, depth }, .zero_point = zi },
		.filter = { .dims = { 1, 1, units, depth }, .zero_point = zf },
		.output = { .dims = { 1, 1, batches, units }, .zero_point = zo },
		.requant = { .count = qcount, .rounding = rounding },
		.clamp = *cl,
	};

	or_fc(&c, in, w, bias, q, out);
}

static inline void o_binary(const struct qaccel_cmd_binary *c, const int8_t *a,
			    const int8_t *b, int8_t *out)
{
	or_binary(c, a, b, out);
}

static inline void o_pool(const struct qaccel_cmd_pool2d *c, const int8_t *in,
			  int8_t *out)
{
	or_pool(c, in, out);
}

static inline void o_mean(const struct qaccel_cmd_mean *c, const int8_t *in,
			  int8_t *out)
{
	or_mean(c, in, out);
}

#endif /* QACCEL_TEST_ORACLE_H */
