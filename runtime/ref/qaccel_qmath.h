/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * TFLite's integer requantization arithmetic, in one place.
 *
 * Every helper is defined for every input: where TFLite's C++ would overflow
 * (undefined behaviour there) these wrap or saturate as documented in
 * Documentation/quantization.rst, and agree with TFLite wherever TFLite is
 * defined.
 */
#ifndef QACCEL_QMATH_H
#define QACCEL_QMATH_H

#include "qaccel_ref_types.h"
#include "../../uapi/qaccel_cmd.h"

/* gemmlowp SaturatingRoundingDoublingHighMul: round(a * b / 2^31), saturating. */
static inline s32 qaccel_srdhm(s32 a, s32 b)
{
	s64 ab = (s64)a * b;
	s64 nudge = ab >= 0 ? (1LL << 30) : (1 - (1LL << 30));

	if (a == b && a == S32_MIN)
		return S32_MAX;
	/* C division truncates toward zero, as gemmlowp relies on. */
	return (s32)((ab + nudge) / (1LL << 31));
}

/* gemmlowp RoundingDivideByPOT: x / 2^exponent, ties away from zero; 0..31. */
static inline s32 qaccel_rdbpot(s32 x, int exponent)
{
	s32 mask = (s32)((1LL << exponent) - 1);
	s32 remainder = x & mask;
	s32 threshold = (mask >> 1) + (x < 0 ? 1 : 0);

	return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

/* x * 2^shift in 32 bits, wrapping like two's complement hardware would. */
static inline s32 qaccel_shl_wrap(s32 x, int shift)
{
	return (s32)((u32)x << shift);
}

/*
 * TFLite MultiplyByQuantizedMultiplier: x * multiplier * 2^(shift - 31).
 * multiplier >= 0, shift in [-31, 30] (the validator guarantees both).
 */
static inline s32 qaccel_mul_by_qmul(s32 x, s32 multiplier, s32 shift,
				     u32 rounding)
{
	if (rounding == QACCEL_ROUND_SINGLE) {
		int total_shift = 31 - shift;
		s64 round = 1LL << (total_shift - 1);
		s64 r = ((s64)x * multiplier + round) >> total_shift;

		if (r > S32_MAX)
			return S32_MAX;
		if (r < S32_MIN)
			return S32_MIN;
		return (s32)r;
	}
	return qaccel_rdbpot(qaccel_srdhm(qaccel_shl_wrap(x, shift > 0 ? shift : 0),
					  multiplier),
			     shift > 0 ? 0 : -shift);
}

static inline s32 qaccel_clamp_s32(s32 x, s32 lo, s32 hi)
{
	return x < lo ? lo : (x > hi ? hi : x);
}

#endif /* QACCEL_QMATH_H */
