/* SPDX-License-Identifier: MIT */
/*
 * Row kernels written once with the compiler's vector extensions (GCC and
 * Clang) and included by each instruction-set file, which the build
 * compiles with that level's flags: the same source becomes SSE2, AVX2,
 * AVX-512 or NEON code. Every helper is exact: it computes what
 * runtime/ref/qaccel_qmath.h computes, lane by lane, for every input.
 */
#ifndef QACCEL_CPU_VEC_H
#define QACCEL_CPU_VEC_H

#include <string.h>

#include "cpu.h"
#include "runtime/ref/qaccel_qmath.h"

#define VL 8	/* int32 lanes per vector */

typedef s32 vi __attribute__((vector_size(32)));
typedef u32 vu __attribute__((vector_size(32)));
typedef s64 vq __attribute__((vector_size(32)));
typedef s32 vi4 __attribute__((vector_size(16)));
typedef s8 vb8 __attribute__((vector_size(8)));
typedef s16 vh16 __attribute__((vector_size(32)));
typedef s8 vb16 __attribute__((vector_size(16)));
typedef s8 vb32 __attribute__((vector_size(32)));

static inline vi vld(const s32 *p)
{
	vi v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline vi vdup(s32 x)
{
	return (vi){ x, x, x, x, x, x, x, x };
}

static inline vi vadd_wrap(vi a, vi b)
{
	return (vi)((vu)a + (vu)b);
}

static inline vi vshl_wrap(vi a, vi s)
{
	return (vi)((vu)a << (vu)s);
}

static inline vi vmin(vi a, vi b)
{
	vi m = a < b;

	return (a & m) | (b & ~m);
}

static inline vi vmax(vi a, vi b)
{
	vi m = a > b;

	return (a & m) | (b & ~m);
}

/* Four 64-bit products of lanes lo..lo+3 (lo 0 or 4). */
static inline vq vmul_wide(vi a, vi b, int hi)
{
	vi4 a4 = hi ? __builtin_shufflevector(a, a, 4, 5, 6, 7) :
		      __builtin_shufflevector(a, a, 0, 1, 2, 3);
	vi4 b4 = hi ? __builtin_shufflevector(b, b, 4, 5, 6, 7) :
		      __builtin_shufflevector(b, b, 0, 1, 2, 3);

	return __builtin_convertvector(a4, vq) * __builtin_convertvector(b4, vq);
}

static inline vi vjoin(vq lo, vq hi)
{
	vi4 l = __builtin_convertvector(lo, vi4), h = __builtin_convertvector(hi, vi4);

	return __builtin_shufflevector(l, h, 0, 1, 2, 3, 4, 5, 6, 7);
}

/* qaccel_srdhm per lane; never both S32_MIN (one side is a multiplier). */
static inline vq vsrdhm_half(vq p)
{
	vq neg = p >> 63;
	vq t = p + ((vq){ 1, 1, 1, 1 } << 30) + (neg & (1 - ((vq){ 1, 1, 1, 1 } << 31)));

	/* Divide by 2^31 truncating toward zero, as C division does. */
	return (t + ((t >> 63) & (((vq){ 1, 1, 1, 1 } << 31) - 1))) >> 31;
}

static inline vi vsrdhm(vi a, vi b)
{
	return vjoin(vsrdhm_half(vmul_wide(a, b, 0)), vsrdhm_half(vmul_wide(a, b, 1)));
}

/* qaccel_rdbpot per lane, exponents 0..31. */
static inline vi vrdbpot(vi x, vi e)
{
	vi mask = (vi)(((vu)vdup(1) << (vu)e) - 1);
	vi rem = x & mask;
	vi thr = (vi)((vu)mask >> 1) - (x < 0);

	return (x >> e) - (rem > thr);
}

/* Single rounding: (x * m + 2^(t-1)) >> t, saturated, t = 31 - shift. */
static inline vq vsingle_half(vq p, vq t)
{
	vq one = { 1, 1, 1, 1 };
	vq r = (p + (one << (t - 1))) >> t;
	vq hi = r > (vq){ S32_MAX, S32_MAX, S32_MAX, S32_MAX };
	vq lo = r < (vq){ S32_MIN, S32_MIN, S32_MIN, S32_MIN };

	r = (r & ~hi) | ((vq){ S32_MAX, S32_MAX, S32_MAX, S32_MAX } & hi);
	return (r & ~lo) | ((vq){ S32_MIN, S32_MIN, S32_MIN, S32_MIN } & lo);
}

/* qaccel_mul_by_qmul per lane, shift given as its left and right parts. */
static inline vi vmulq(vi x, vi m, vi ls, vi rs, u32 rounding)
{
	if (rounding == QACCEL_ROUND_SINGLE) {
		vi t = vdup(31) - ls + rs;
		vi4 tl = __builtin_shufflevector(t, t, 0, 1, 2, 3);
		vi4 th = __builtin_shufflevector(t, t, 4, 5, 6, 7);

		return vjoin(vsingle_half(vmul_wide(x, m, 0), __builtin_convertvector(tl, vq)),
			     vsingle_half(vmul_wide(x, m, 1), __builtin_convertvector(th, vq)));
	}
	return vrdbpot(vsrdhm(vshl_wrap(x, ls), m), rs);
}

/* Adds the zero point without overflow, clamps, narrows, stores 8 bytes. */
static inline void vstore_out(s8 *out, vi v, s32 zp, s32 lo, s32 hi)
{
	vb8 b;

	v = vmax(vmin(v, vdup(1 << 16)), vdup(-(1 << 16)));
	v = vmax(vmin(v + vdup(zp), vdup(hi)), vdup(lo));
	b = __builtin_convertvector(v, vb8);
	memcpy(out, &b, sizeof(b));
}

static inline s8 scalar_out(s32 v, s32 zp, s32 lo, s32 hi)
{
	s64 r = (s64)v + zp;

	return (s8)(r < lo ? lo : (r > hi ? hi : r));
}

static void vec_requant_row(const s32 *acc, u32 n, const struct cpu_rq *rq, s8 *out)
{
	u32 i = 0;

	for (; i + VL <= n; i += VL) {
		vi v = vadd_wrap(vld(acc + i), vld(rq->off + i));

		v = vmulq(v, vld(rq->mult + i), vld(rq->lshift + i),
			  vld(rq->rshift + i), rq->rounding);
		vstore_out(out + i, v, rq->zero_point, rq->min, rq->max);
	}
	for (; i < n; i++) {
		s32 v = (s32)((u32)acc[i] + (u32)rq->off[i]);

		v = qaccel_mul_by_qmul(v, rq->mult[i], rq->lshift[i] - rq->rshift[i],
				       rq->rounding);
		out[i] = scalar_out(v, rq->zero_point, rq->min, rq->max);
	}
}

/* 16 int8 lanes widened to int16. */
static inline vh16 vwiden16(const s8 *p)
{
	vb16 b;

	memcpy(&b, p, sizeof(b));
	return __builtin_convertvector(b, vh16);
}

/*
 * One depthwise output pixel over n channels (depth multiplier 1): the
 * sum over taps t of w[t][c] * (x[t][c] - zi), then requantization. Each
 * product fits int16 (|w| <= 128, |x - zi| <= 255), so it is formed in
 * 16-bit lanes and widened once.
 */
static void vec_dw_pixel(const s8 *const *x, const s8 *const *w, u32 taps,
			 u32 n, s32 zi, const struct cpu_rq *rq, s8 *out)
{
	u32 c = 0;

	for (; c + 16 <= n; c += 16) {
		vi a0 = vdup(0), a1 = vdup(0);
		vh16 z = (vh16){ 0 } + (s16)zi;

		for (u32 t = 0; t < taps; t++) {
			vh16 p = vwiden16(w[t] + c) * (vwiden16(x[t] + c) - z);

			a0 += __builtin_convertvector(__builtin_shufflevector(p, p,
					0, 1, 2, 3, 4, 5, 6, 7), vi);
			a1 += __builtin_convertvector(__builtin_shufflevector(p, p,
					8, 9, 10, 11, 12, 13, 14, 15), vi);
		}
		for (int h = 0; h < 2; h++) {
			u32 o = c + 8 * h;
			vi v = vadd_wrap(h ? a1 : a0, vld(rq->off + o));

			v = vmulq(v, vld(rq->mult + o), vld(rq->lshift + o),
				  vld(rq->rshift + o), rq->rounding);
			vstore_out(out + o, v, rq->zero_point, rq->min, rq->max);
		}
	}
	for (; c < n; c++) {
		s32 acc = 0;

		for (u32 t = 0; t < taps; t++)
			acc += w[t][c] * (x[t][c] - zi);
		acc = (s32)((u32)acc + (u32)rq->off[c]);
		acc = qaccel_mul_by_qmul(acc, rq->mult[c], rq->lshift[c] - rq->rshift[c],
					 rq->rounding);
		out[c] = scalar_out(acc, rq->zero_point, rq->min, rq->max);
	}
}

/* acc[c] = max(acc[c], x[c]). */
static void vec_max_row(s8 *acc, const s8 *x, u32 n)
{
	u32 c = 0;

	for (; c + 32 <= n; c += 32) {
		vb32 a, b, m;

		memcpy(&a, acc + c, 32);
		memcpy(&b, x + c, 32);
		m = a > b;
		a = (a & m) | (b & ~m);
		memcpy(acc + c, &a, 32);
	}
	for (; c < n; c++)
		acc[c] = x[c] > acc[c] ? x[c] : acc[c];
}

/* acc[c] += x[c]. */
static void vec_sum_row(s32 *acc, const s8 *x, u32 n)
{
	u32 c = 0;

	for (; c + 16 <= n; c += 16) {
		vh16 v = vwiden16(x + c);
		vi a0 = vld(acc + c), a1 = vld(acc + c + 8);

		a0 += __builtin_convertvector(__builtin_shufflevector(v, v,
				0, 1, 2, 3, 4, 5, 6, 7), vi);
		a1 += __builtin_convertvector(__builtin_shufflevector(v, v,
				8, 9, 10, 11, 12, 13, 14, 15), vi);
		memcpy(acc + c, &a0, 32);
		memcpy(acc + c + 8, &a1, 32);
	}
	for (; c < n; c++)
		acc[c] += x[c];
}

static inline vi vload8(const s8 *p, u32 stride)
{
	vb8 b;

	if (!stride)
		return vdup(*p);
	memcpy(&b, p, sizeof(b));
	return __builtin_convertvector(b, vi);
}

/*
 * ADD, SUB or MUL over n outputs; input a advances by sa (0 or 1) per
 * element, b by sb, as qaccel_ref_binary computes them.
 */
static void vec_binary(const struct qaccel_cmd_binary *c, const s8 *a, u32 sa,
		       const s8 *b, u32 sb, s8 *out, u32 n)
{
	const struct qaccel_qmul *q1 = &c->input1_qmul, *q2 = &c->input2_qmul;
	const struct qaccel_qmul *qo = &c->output_qmul;
	bool mul = c->hdr.opcode == QACCEL_OP_MUL;
	s32 m2 = c->hdr.opcode == QACCEL_OP_SUB ? -q2->multiplier : q2->multiplier;
	s32 z1 = c->input1.zero_point, z2 = c->input2.zero_point;
	u32 r = c->rounding, i = 0;
	vi vm1 = vdup(q1->multiplier), vm2 = vdup(m2), vmo = vdup(qo->multiplier);
	vi l1 = vdup(q1->shift > 0 ? q1->shift : 0), r1 = vdup(q1->shift > 0 ? 0 : -q1->shift);
	vi l2 = vdup(q2->shift > 0 ? q2->shift : 0), r2 = vdup(q2->shift > 0 ? 0 : -q2->shift);
	vi lo = vdup(qo->shift > 0 ? qo->shift : 0), ro = vdup(qo->shift > 0 ? 0 : -qo->shift);
	vi ls = vdup((s32)c->left_shift);

	for (; i + VL <= n; i += VL) {
		vi x = vload8(a + i * sa, sa) - vdup(z1);
		vi y = vload8(b + i * sb, sb) - vdup(z2);
		vi v;

		if (mul) {
			v = vmulq(x * y, vmo, lo, ro, r);
		} else {
			vi s1 = vmulq(vshl_wrap(x, ls), vm1, l1, r1, r);
			vi s2 = vmulq(vshl_wrap(y, ls), vm2, l2, r2, r);

			v = vmulq(vadd_wrap(s1, s2), vmo, lo, ro, r);
		}
		vstore_out(out + i, v, c->output.zero_point, c->clamp.min, c->clamp.max);
	}
	for (; i < n; i++) {
		s32 x = a[i * sa] - z1, y = b[i * sb] - z2, v;

		if (mul) {
			v = qaccel_mul_by_qmul(x * y, qo->multiplier, qo->shift, r);
		} else {
			s32 s1 = qaccel_mul_by_qmul(qaccel_shl_wrap(x, (int)c->left_shift),
						    q1->multiplier, q1->shift, r);
			s32 s2 = qaccel_mul_by_qmul(qaccel_shl_wrap(y, (int)c->left_shift),
						    m2, q2->shift, r);

			v = qaccel_mul_by_qmul((s32)((u32)s1 + (u32)s2), qo->multiplier,
					       qo->shift, r);
		}
		out[i] = scalar_out(v, c->output.zero_point, c->clamp.min, c->clamp.max);
	}
}

static void vec_lut(const s8 *in, s8 *out, const s8 *table, size_t n)
{
	const s8 *t = table + 128;

	for (size_t i = 0; i < n; i++)
		out[i] = t[in[i]];
}

/* The row kernels of a struct cpu_isa, as this file builds them. */
#define CPU_VEC_ROW_KERNELS \
	.requant_row = vec_requant_row, \
	.dw_pixel = vec_dw_pixel, \
	.max_row = vec_max_row, \
	.sum_row = vec_sum_row, \
	.binary = vec_binary, \
	.lut = vec_lut

#endif /* QACCEL_CPU_VEC_H */
