// SPDX-License-Identifier: MIT
/*
 * TFLite's requantization arithmetic in OpenCL C, line for line the same
 * integers as runtime/ref/qaccel_qmath.h and ref_util.h. Signed overflow
 * is avoided (OpenCL C leaves it undefined, as C does): sums that may wrap
 * are done in uint, as the reference does with ref_add_wrap().
 */

#define Q_ROUND_SINGLE	1	/* enum qaccel_rounding */

/* gemmlowp SaturatingRoundingDoublingHighMul. */
inline int q_srdhm(int a, int b)
{
	long ab = (long)a * b;
	long nudge = ab >= 0 ? (1L << 30) : (1 - (1L << 30));

	if (a == b && a == INT_MIN)
		return INT_MAX;
	return (int)((ab + nudge) / (1L << 31));
}

/* gemmlowp RoundingDivideByPOT: ties away from zero; exponent 0..31. */
inline int q_rdbpot(int x, int exponent)
{
	int mask = (int)((1L << exponent) - 1);
	int remainder = x & mask;
	int threshold = (mask >> 1) + (x < 0 ? 1 : 0);

	return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

inline int q_shl_wrap(int x, int shift)
{
	return (int)((uint)x << shift);
}

inline int q_add_wrap(int a, int b)
{
	return (int)((uint)a + (uint)b);
}

/* MultiplyByQuantizedMultiplier; shift in [-31, 30]. */
inline int q_mul_by_qmul(int x, int multiplier, int shift, uint rounding)
{
	if (rounding == Q_ROUND_SINGLE) {
		int total_shift = 31 - shift;
		long round = 1L << (total_shift - 1);
		long r = ((long)x * multiplier + round) >> total_shift;

		return r > INT_MAX ? INT_MAX : (r < INT_MIN ? INT_MIN : (int)r);
	}
	return q_rdbpot(q_srdhm(q_shl_wrap(x, shift > 0 ? shift : 0), multiplier),
			shift > 0 ? 0 : -shift);
}

/* Zero point added in 64 bits (no wrap), then the clamp (ref_output). */
inline char q_output(int v, int zero_point, int lo, int hi)
{
	long r = (long)v + zero_point;

	return (char)(r < lo ? lo : (r > hi ? hi : r));
}

/*
 * The tail of CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED
 * (ref_acc_to_output): bias, per-channel multiplier read from a buffer
 * with its shift forced into range, zero point, clamp. q holds
 * (multiplier, shift) pairs; q_count is 1 or the channel count.
 */
inline char q_acc_to_output(int acc, __global const int *bias, int has_bias,
			    __global const int *q, uint q_count, uint rounding,
			    uint oc, int zero_point, int lo, int hi)
{
	uint k = q_count == 1 ? 0 : oc;

	if (has_bias)
		acc = q_add_wrap(acc, bias[oc]);
	acc = q_mul_by_qmul(acc, q[2 * k], clamp(q[2 * k + 1], -31, 30), rounding);
	return q_output(acc, zero_point, lo, hi);
}

/* Elements of a dense tensor of dims d. */
inline ulong q_elems(uint4 d)
{
	return (ulong)d.s0 * d.s1 * d.s2 * d.s3;
}

/* (n, h, w, c) of element g of a dense NHWC tensor of dims d. */
inline uint4 q_coords(ulong g, uint4 d)
{
	uint4 r;

	r.s3 = g % d.s3;
	g /= d.s3;
	r.s2 = g % d.s2;
	g /= d.s2;
	r.s1 = g % d.s1;
	r.s0 = g / d.s1;
	return r;
}

/* Byte offset of element [n, h, w, c]. */
inline ulong q_offset(uint4 d, uint n, uint h, uint w, uint c)
{
	return (((ulong)n * d.s1 + h) * d.s2 + w) * d.s3 + c;
}

/* Sum of the raw int8 values of channel ch over H x W of image n (no wrap:
 * at most 2^16 values). */
inline int q_sum_hw(__global const char *in, uint4 id, uint n, uint ch)
{
	int sum = 0;

	for (uint y = 0; y < id.s1; y++)
		for (uint x = 0; x < id.s2; x++)
			sum += in[q_offset(id, n, y, x, ch)];
	return sum;
}
