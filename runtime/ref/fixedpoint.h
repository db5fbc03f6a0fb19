/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * gemmlowp's fixed-point arithmetic on raw int32 values, as TFLite's
 * fixed-point softmax uses it. A "Qi" value has i integer bits and 31 - i
 * fractional bits; products of Qa and Qb are Q(a+b) through the saturating
 * rounding doubling high multiply.
 */
#ifndef QACCEL_FIXEDPOINT_H
#define QACCEL_FIXEDPOINT_H

#include "qaccel_qmath.h"

static inline s32 fp_add(s32 a, s32 b)
{
	return (s32)((u32)a + (u32)b);
}

static inline s32 fp_sub(s32 a, s32 b)
{
	return (s32)((u32)a - (u32)b);
}

/* x * 2^e with saturation, e > 0 (gemmlowp SaturatingRoundingMultiplyByPOT). */
static inline s32 fp_sat_shl(s32 x, int e)
{
	s32 threshold = (s32)((1U << (31 - e)) - 1);

	if (x > threshold)
		return S32_MAX;
	if (x < -threshold)
		return S32_MIN;
	return qaccel_shl_wrap(x, e);
}

/* x / 2^e rounded half away from zero, for any 0 <= e <= 62. */
static inline s64 fp_rdbpot64(s64 x, int e)
{
	s64 mask = (s64)((1ULL << e) - 1);
	s64 remainder = x & mask;
	s64 threshold = (mask >> 1) + (x < 0 ? 1 : 0);

	return (x >> e) + (remainder > threshold ? 1 : 0);
}

/* exp(a) for a in [-1/4, 0), Q0 in and out. */
static inline s32 fp_exp_quarter(s32 a)
{
	const s32 exp_minus_one_eighth = 1895147668;
	const s32 one_third = 715827883;
	s32 x = fp_add(a, 1 << 28);	/* a + 1/8 */
	s32 x2 = qaccel_srdhm(x, x);
	s32 x3 = qaccel_srdhm(x2, x);
	s32 x4 = qaccel_srdhm(x2, x2);
	s32 x4_over_4 = qaccel_rdbpot(x4, 2);
	s32 poly = qaccel_rdbpot(fp_add(qaccel_srdhm(fp_add(x4_over_4, x3),
						     one_third), x2), 1);

	return fp_add(exp_minus_one_eighth,
		      qaccel_srdhm(exp_minus_one_eighth, fp_add(x, poly)));
}

/* exp(a) for a <= 0 given in Q5, result in Q0 (gemmlowp, 5 integer bits). */
static inline s32 fp_exp_on_negative_q5(s32 a)
{
	static const s32 barrel[7] = {
		1672461947, 1302514674, 790015084, 290630308, 39332535,
		720401, 242,
	};
	const s32 quarter = 1 << 24;
	s32 a_mod = fp_sub(a & (quarter - 1), quarter);
	s32 result = fp_exp_quarter(fp_sat_shl(a_mod, 5));
	s32 remainder = fp_sub(a_mod, a);
	int k;

	/* Multiply in exp(-2^k) for every bit k of -a above a quarter. */
	for (k = 0; k < 7; k++)
		if (remainder & (1 << (26 - 2 + k)))
			result = qaccel_srdhm(result, barrel[k]);
	if (a == 0)
		result = S32_MAX;
	return result;
}

/* 1 / (1 + a) for a in [0, 1), Q0 in and out (Newton-Raphson, 3 steps). */
static inline s32 fp_one_over_one_plus_x(s32 a)
{
	s64 sum = (s64)a + S32_MAX;
	s32 half_den = (s32)((sum + (sum >= 0 ? 1 : -1)) / 2);
	s32 x = fp_add(1515870810, qaccel_srdhm(half_den, -1010580540));
	int i;

	for (i = 0; i < 3; i++) {
		s32 hd_x = qaccel_srdhm(half_den, x);
		s32 one_minus = fp_sub(1 << 29, hd_x);

		x = fp_add(x, fp_sat_shl(qaccel_srdhm(x, one_minus), 2));
	}
	return fp_sat_shl(x, 1);
}

static inline int fp_clz32(u32 x)
{
	int n = 0;

	if (!x)
		return 32;
	while (!(x & 0x80000000U)) {
		x <<= 1;
		n++;
	}
	return n;
}

#endif /* QACCEL_FIXEDPOINT_H */
