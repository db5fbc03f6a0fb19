/* SPDX-License-Identifier: MIT */
/*
 * The AVX-512 VNNI level's long-form requantization of 16 lanes, shared by
 * its tile epilogue (cpu_isa_avx512vnni.c) and ADD/SUB/MUL
 * (cpu_binary_avx512vnni.c). Built with the level's flags only.
 */
#ifndef QACCEL_CPU_VNNI_RQ16_H
#define QACCEL_CPU_VNNI_RQ16_H

#include <immintrin.h>
#include <string.h>

#include "cpu.h"

/*
 * Requantization of 16 channels at a time, exact, in 64-bit arithmetic on
 * the whole product (struct cpu_rq's 64-bit form): vpmuldq multiplies the
 * even int32 lanes, so the parameters are split once into even and odd
 * channels, and each half needs one add and one arithmetic shift for
 * either rounding mode. The results are put back together in 32-bit lanes
 * (double rounding always fits; single rounding is saturated first, as
 * the reference does), then clamped and narrowed.
 */
struct rq16 {
	__m512i m[2], c[2], d[2], s[2];	/* [0]: even channels, [1]: odd */
	__m512i off, ls, lo, hi, zp;	/* 32-bit lanes */
	__m128i lo8, hi8;		/* the clamp, in bytes */
	__mmask16 k;
	bool shl, single;
	bool sat;			/* cpu_rq's rshift_all: narrow with saturation */
	bool full;			/* the clamp is [-128, 127] */
};

static inline __m512i load64_split(const s64 *p, __mmask16 k, int odd)
{
	const __m512i even_idx = _mm512_setr_epi64(0, 2, 4, 6, 8, 10, 12, 14);
	const __m512i odd_idx = _mm512_setr_epi64(1, 3, 5, 7, 9, 11, 13, 15);
	__m512i a = _mm512_maskz_loadu_epi64((__mmask8)k, p);
	__m512i b = _mm512_maskz_loadu_epi64((__mmask8)(k >> 8), p + 8);

	return _mm512_permutex2var_epi64(a, odd ? odd_idx : even_idx, b);
}

/* The parameters of channels o..o+15 (those in k). */
static inline void rq16_load(struct rq16 *q, const struct cpu_rq *rq, u32 o, __mmask16 k)
{
	for (int h = 0; h < 2; h++) {
		q->m[h] = load64_split(rq->m64 + o, k, h);
		q->c[h] = load64_split(rq->c64 + o, k, h);
		q->d[h] = load64_split(rq->d64 + o, k, h);
		q->s[h] = load64_split(rq->s64 + o, k, h);
	}
	q->off = _mm512_maskz_loadu_epi32(k, rq->off + o);
	q->ls = _mm512_maskz_loadu_epi32(k, rq->lshift + o);
	q->lo = _mm512_set1_epi32(rq->min - rq->zero_point);
	q->hi = _mm512_set1_epi32(rq->max - rq->zero_point);
	q->zp = _mm512_set1_epi32(rq->zero_point);
	q->k = k;
	q->shl = rq->lshift_any;
	q->single = rq->rounding == QACCEL_ROUND_SINGLE;
	q->lo8 = _mm_set1_epi8((char)rq->min);
	q->hi8 = _mm_set1_epi8((char)rq->max);
	q->sat = rq->rshift_all;
	q->full = rq->min == S8_MIN && rq->max == S8_MAX;
}

/* (p + c - (p < -2^30 ? d : 0)) >> s on one half, p = x * m. */
static inline __m512i rq_half(__m512i x, const struct rq16 *q, int h)
{
	const __m512i neg = _mm512_set1_epi64(-(1LL << 30));
	__m512i p = _mm512_mul_epi32(x, q->m[h]);
	__m512i t = _mm512_add_epi64(p, q->c[h]);
	__m512i r = _mm512_srav_epi64(_mm512_mask_sub_epi64(t, _mm512_cmplt_epi64_mask(p, neg),
							    t, q->d[h]), q->s[h]);

	if (q->single) {
		r = _mm512_max_epi64(r, _mm512_set1_epi64(S32_MIN));
		r = _mm512_min_epi64(r, _mm512_set1_epi64(S32_MAX));
	}
	return r;
}

/* qaccel_mul_by_qmul() of 16 int32 lanes, each with its channel's parameters. */
static inline __m512i rq16_mul(__m512i x, const struct rq16 *q)
{
	if (q->shl)
		x = _mm512_sllv_epi32(x, q->ls);
	/* The low halves of the even and the odd results, interleaved. */
	return _mm512_permutex2var_epi32(rq_half(x, q, 0),
					 _mm512_setr_epi32(0, 16, 2, 18, 4, 20, 6, 22, 8, 24,
							   10, 26, 12, 28, 14, 30),
					 rq_half(_mm512_srli_epi64(x, 32), q, 1));
}

/* 16 accumulators to 16 int8 in a register. */
static inline __m128i rq16_apply(__m512i acc, const struct rq16 *q)
{
	__m512i r = rq16_mul(_mm512_add_epi32(acc, q->off), q);

	/*
	 * |r| <= 2^30 + 1 here: r + zp is exact, saturating to int8 loses
	 * nothing the clamp keeps, and the clamp runs on 16 bytes.
	 */
	if (q->sat) {
		__m128i b = _mm512_cvtsepi32_epi8(_mm512_add_epi32(r, q->zp));

		return q->full ? b : _mm_min_epi8(_mm_max_epi8(b, q->lo8), q->hi8);
	}
	/* clamp(r + zp, min, max) as clamp(r, min - zp, max - zp) + zp. */
	r = _mm512_add_epi32(_mm512_min_epi32(_mm512_max_epi32(r, q->lo), q->hi), q->zp);
	/* r is in int8 range now: narrowing in a register, then a store. */
	return _mm512_cvtepi32_epi8(r);
}

static inline void rq16_store(__m512i acc, const struct rq16 *q, s8 *out)
{
	__m128i b = rq16_apply(acc, q);

	if (q->k == 0xffff)
		_mm_storeu_si128((__m128i *)out, b);
	else
		_mm_mask_storeu_epi8(out, q->k, b);
}

#endif /* QACCEL_CPU_VNNI_RQ16_H */
