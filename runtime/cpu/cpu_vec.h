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

/*
 * int32 lanes per vector: 8 (32 bytes) unless the including file asks for
 * 16 (AVX-512). The index lists below pick halves of a vector.
 */
#ifndef VL
#define VL 8
#endif
#if VL == 16
#define IDX_LO 0, 1, 2, 3, 4, 5, 6, 7
#define IDX_HI 8, 9, 10, 11, 12, 13, 14, 15
#define IDX_ALL IDX_LO, IDX_HI
#define IDX_HLO IDX_ALL
#define IDX_HHI 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
#elif VL == 8
#define IDX_LO 0, 1, 2, 3
#define IDX_HI 4, 5, 6, 7
#define IDX_ALL IDX_LO, IDX_HI
#define IDX_HLO IDX_ALL
#define IDX_HHI 8, 9, 10, 11, 12, 13, 14, 15
#else
#error "VL must be 8 or 16"
#endif

typedef s32 vi __attribute__((vector_size(4 * VL)));
typedef u32 vu __attribute__((vector_size(4 * VL)));
typedef s64 vq __attribute__((vector_size(4 * VL)));	/* VL / 2 lanes */
typedef s32 vih __attribute__((vector_size(2 * VL)));	/* VL / 2 lanes */
typedef s8 vbl __attribute__((vector_size(VL)));
typedef s16 vh __attribute__((vector_size(4 * VL)));	/* 2 * VL lanes */
typedef s8 vb2 __attribute__((vector_size(2 * VL)));	/* 2 * VL lanes */
typedef s8 vb32 __attribute__((vector_size(32)));

static inline vi vld(const s32 *p)
{
	vi v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline vi vdup(s32 x)
{
	return (vi){ 0 } + x;
}

static inline vq vqdup(s64 x)
{
	return (vq){ 0 } + x;
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

/* 64-bit products of the low (hi = 0) or high half of the lanes. */
static inline vq vmul_wide(vi a, vi b, int hi)
{
	vih a2 = hi ? __builtin_shufflevector(a, a, IDX_HI) :
		      __builtin_shufflevector(a, a, IDX_LO);
	vih b2 = hi ? __builtin_shufflevector(b, b, IDX_HI) :
		      __builtin_shufflevector(b, b, IDX_LO);

	return __builtin_convertvector(a2, vq) * __builtin_convertvector(b2, vq);
}

static inline vi vjoin(vq lo, vq hi)
{
	vih l = __builtin_convertvector(lo, vih), h = __builtin_convertvector(hi, vih);

	return __builtin_shufflevector(l, h, IDX_ALL);
}

/*
 * qaccel_srdhm per lane from the 64-bit product p (never both S32_MIN: one
 * side is a multiplier). gemmlowp adds 2^30 or 1 - 2^30 by sign and
 * truncates toward zero; for p < 0 that is -floor((-p + 2^30 - 1) / 2^31),
 * which equals floor((p + 2^30) / 2^31): one add and one arithmetic shift
 * for every p.
 */
static inline vq vsrdhm_half(vq p)
{
	return (p + vqdup(1LL << 30)) >> 31;
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
	vq r = (p + (vqdup(1) << (t - 1))) >> t;
	vq hi = r > vqdup(S32_MAX), lo = r < vqdup(S32_MIN);

	r = (r & ~hi) | (vqdup(S32_MAX) & hi);
	return (r & ~lo) | (vqdup(S32_MIN) & lo);
}

/* qaccel_mul_by_qmul per lane, shift given as its left and right parts. */
static inline vi vmulq(vi x, vi m, vi ls, vi rs, u32 rounding)
{
	if (rounding == QACCEL_ROUND_SINGLE) {
		vi t = vdup(31) - ls + rs;
		vih tl = __builtin_shufflevector(t, t, IDX_LO);
		vih th = __builtin_shufflevector(t, t, IDX_HI);

		return vjoin(vsingle_half(vmul_wide(x, m, 0), __builtin_convertvector(tl, vq)),
			     vsingle_half(vmul_wide(x, m, 1), __builtin_convertvector(th, vq)));
	}
	return vrdbpot(vsrdhm(vshl_wrap(x, ls), m), rs);
}

/* Adds the zero point without overflow, clamps, narrows, stores VL bytes. */
static inline void vstore_out(s8 *out, vi v, s32 zp, s32 lo, s32 hi)
{
	vbl b;

	v = vmax(vmin(v, vdup(1 << 16)), vdup(-(1 << 16)));
	v = vmax(vmin(v + vdup(zp), vdup(hi)), vdup(lo));
	b = __builtin_convertvector(v, vbl);
	memcpy(out, &b, sizeof(b));
}

static inline s8 scalar_out(s32 v, s32 zp, s32 lo, s32 hi)
{
	s64 r = (s64)v + zp;

	return (s8)(r < lo ? lo : (r > hi ? hi : r));
}

/*
 * Requantizes VL accumulators of channels o.. and stores VL int8. A level
 * with faster exact arithmetic defines CPU_OWN_REQUANT and its own
 * vec_requant_store() after including this file.
 */
#ifdef CPU_OWN_REQUANT
static inline void vec_requant_store(vi v, const struct cpu_rq *rq, u32 o, s8 *out);
#endif
#ifdef CPU_TILE_OUT
/* Depthwise pixels requantized together by the level's tile epilogue. */
#define CPU_DW_PIX_BLOCK 32
static void CPU_TILE_OUT(const s32 *tile, u32 rows, u32 cols, const struct cpu_rq *rq,
			 s8 *out, size_t ldo);
#endif
#ifdef CPU_OWN_REQUANT
#else
static inline void vec_requant_store(vi v, const struct cpu_rq *rq, u32 o, s8 *out)
{
	v = vadd_wrap(v, vld(rq->off + o));
	v = vmulq(v, vld(rq->mult + o), vld(rq->lshift + o), vld(rq->rshift + o),
		  rq->rounding);
	vstore_out(out + o, v, rq->zero_point, rq->min, rq->max);
}
#endif

static inline s8 scalar_requant(s32 acc, const struct cpu_rq *rq, u32 i)
{
	s32 v = (s32)((u32)acc + (u32)rq->off[i]);

	v = qaccel_mul_by_qmul(v, rq->mult[i], rq->lshift[i] - rq->rshift[i], rq->rounding);
	return scalar_out(v, rq->zero_point, rq->min, rq->max);
}

static inline void vec_requant_row(const s32 *acc, u32 n, const struct cpu_rq *rq,
				   s8 *out)
{
	u32 i = 0;

	for (; i + VL <= n; i += VL)
		vec_requant_store(vld(acc + i), rq, i, out);
	for (; i < n; i++)
		out[i] = scalar_requant(acc[i], rq, i);
}

/* 2 * VL int8 lanes widened to int16. */
static inline vh vwiden(const s8 *p)
{
	vb2 b;

	memcpy(&b, p, sizeof(b));
	return __builtin_convertvector(b, vh);
}

static inline vi vh_lo(vh p)
{
	return __builtin_convertvector(__builtin_shufflevector(p, p, IDX_HLO), vi);
}

static inline vi vh_hi(vh p)
{
	return __builtin_convertvector(__builtin_shufflevector(p, p, IDX_HHI), vi);
}

/*
 * One row of depthwise output pixels over n channels (depth multiplier 1):
 * pixel p is the sum over taps t of w[t][c] * x[p * taps + t][c], then
 * requantization, whose offset already holds bias - zi * sum_t w[t][c]
 * (the reference's sum of w * (x - zi), modulo 2^32 like it). Taps in the
 * padding point at a row of zi: w * zi, removed by that offset, as the
 * reference skips them. Each product fits int16 (|w|, |x| <= 128), so it
 * is formed in 16-bit lanes and widened once. A block of channels keeps
 * its widened weights across the row.
 */
static inline void vec_dw_row(const s8 *const *x, const s8 *const *w, u32 taps,
			      u32 npix, u32 n, const struct cpu_rq *rq, s8 *out)
{
	vh wv[CPU_DW_MAX_TAPS];

	/*
	 * Blocks of 2 * VL channels; the last one is moved back to end at n,
	 * recomputing a few channels with the same result rather than
	 * leaving a scalar tail. Fewer channels than a block: scalar.
	 */
	for (u32 cb = 0; n >= 2 * VL && cb < n; cb += 2 * VL) {
		u32 c = cb + 2 * VL > n ? n - 2 * VL : cb;
#ifdef CPU_TILE_OUT
		struct cpu_rq rc = cpu_rq_at(rq, c);
		s32 tile[CPU_DW_PIX_BLOCK][2 * VL];
#endif

		for (u32 t = 0; t < taps; t++)
			wv[t] = vwiden(w[t] + c);
		for (u32 p = 0; p < npix; p++) {
			const s8 *const *xp = x + (size_t)p * taps;
			vi a0 = vdup(0), a1 = vdup(0);

			for (u32 t = 0; t < taps; t++) {
				vh prod = wv[t] * vwiden(xp[t] + c);

				a0 += vh_lo(prod);
				a1 += vh_hi(prod);
			}
#ifdef CPU_TILE_OUT
			/* Blocks of pixels through the level's tile epilogue. */
			memcpy(tile[p % CPU_DW_PIX_BLOCK], &a0, sizeof(a0));
			memcpy(tile[p % CPU_DW_PIX_BLOCK] + VL, &a1, sizeof(a1));
			if (p % CPU_DW_PIX_BLOCK == CPU_DW_PIX_BLOCK - 1 || p == npix - 1) {
				u32 p0 = p - p % CPU_DW_PIX_BLOCK;

				CPU_TILE_OUT(tile[0], p - p0 + 1, 2 * VL, &rc,
					     out + (size_t)p0 * n + c, n);
			}
#else
			vec_requant_store(a0, rq, c, out + (size_t)p * n);
			vec_requant_store(a1, rq, c + VL, out + (size_t)p * n);
#endif
		}
	}
	for (u32 c = 0; n < 2 * VL && c < n; c++)
		for (u32 p = 0; p < npix; p++) {
			const s8 *const *xp = x + (size_t)p * taps;
			s32 acc = 0;

			for (u32 t = 0; t < taps; t++)
				acc += w[t][c] * xp[t][c];
			out[(size_t)p * n + c] = scalar_requant(acc, rq, c);
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

	for (; c + 2 * VL <= n; c += 2 * VL) {
		vh v = vwiden(x + c);
		vi a0 = vld(acc + c) + vh_lo(v), a1 = vld(acc + c + VL) + vh_hi(v);

		memcpy(acc + c, &a0, sizeof(a0));
		memcpy(acc + c + VL, &a1, sizeof(a1));
	}
	for (; c < n; c++)
		acc[c] += x[c];
}

static inline vi vloadb(const s8 *p, u32 stride)
{
	vbl b;

	if (!stride)
		return vdup(*p);
	memcpy(&b, p, sizeof(b));
	return __builtin_convertvector(b, vi);
}

#ifndef CPU_OWN_BINARY
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
		vi x = vloadb(a + i * sa, sa) - vdup(z1);
		vi y = vloadb(b + i * sb, sb) - vdup(z2);
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
#endif

static inline void vec_lut(const s8 *in, s8 *out, const s8 *table, size_t n)
{
	const s8 *t = table + 128;

	for (size_t i = 0; i < n; i++)
		out[i] = t[in[i]];
}

/* The row kernels of a struct cpu_isa (but requant_row, dw_row and lut). */
/* A level with its own ADD/SUB/MUL defines CPU_OWN_BINARY and sets .binary. */
#ifdef CPU_OWN_BINARY
#define CPU_VEC_ROW_KERNELS \
	.max_row = vec_max_row, \
	.sum_row = vec_sum_row
#else
#define CPU_VEC_ROW_KERNELS \
	.max_row = vec_max_row, \
	.sum_row = vec_sum_row, \
	.binary = vec_binary
#endif

#endif /* QACCEL_CPU_VEC_H */
