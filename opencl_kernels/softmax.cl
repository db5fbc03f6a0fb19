// SPDX-License-Identifier: MIT
/*
 * SOFTMAX: TFLite's fixed-point int8 softmax, gemmlowp's arithmetic as
 * runtime/ref/fixedpoint.h and softmax.c have it. One work-item per row:
 * the row's sum is sequential in the reference, and wraps the same way
 * here.
 */

#define Q_SOFTMAX_ACC_INT_BITS	12

/* x * 2^e saturating, e > 0. */
inline int q_fp_sat_shl(int x, int e)
{
	int threshold = (int)((1u << (31 - e)) - 1);

	if (x > threshold)
		return INT_MAX;
	if (x < -threshold)
		return INT_MIN;
	return q_shl_wrap(x, e);
}

inline long q_fp_rdbpot64(long x, int e)
{
	long mask = (long)((1UL << e) - 1);
	long remainder = x & mask;
	long threshold = (mask >> 1) + (x < 0 ? 1 : 0);

	return (x >> e) + (remainder > threshold ? 1 : 0);
}

/* exp(a) for a in [-1/4, 0), Q0. */
inline int q_fp_exp_quarter(int a)
{
	const int exp_minus_one_eighth = 1895147668;
	const int one_third = 715827883;
	int x = q_add_wrap(a, 1 << 28);
	int x2 = q_srdhm(x, x);
	int x3 = q_srdhm(x2, x);
	int x4 = q_srdhm(x2, x2);
	int x4_over_4 = q_rdbpot(x4, 2);
	int poly = q_rdbpot(q_add_wrap(q_srdhm(q_add_wrap(x4_over_4, x3),
					       one_third), x2), 1);

	return q_add_wrap(exp_minus_one_eighth,
			  q_srdhm(exp_minus_one_eighth, q_add_wrap(x, poly)));
}

/* exp(a) for a <= 0 in Q5, result in Q0. */
inline int q_fp_exp_on_negative_q5(int a)
{
	const int barrel[7] = {
		1672461947, 1302514674, 790015084, 290630308, 39332535,
		720401, 242,
	};
	const int quarter = 1 << 24;
	int a_mod = (int)((uint)(a & (quarter - 1)) - (uint)quarter);
	int result = q_fp_exp_quarter(q_fp_sat_shl(a_mod, 5));
	int remainder = (int)((uint)a_mod - (uint)a);

	for (int k = 0; k < 7; k++)
		if (remainder & (1 << (24 + k)))
			result = q_srdhm(result, barrel[k]);
	return a == 0 ? INT_MAX : result;
}

/* 1 / (1 + a) for a in [0, 1), Q0. */
inline int q_fp_one_over_one_plus_x(int a)
{
	long sum = (long)a + INT_MAX;
	int half_den = (int)((sum + (sum >= 0 ? 1 : -1)) / 2);
	int x = q_add_wrap(1515870810, q_srdhm(half_den, -1010580540));

	for (int i = 0; i < 3; i++) {
		int hd_x = q_srdhm(half_den, x);
		int one_minus = (int)((uint)(1 << 29) - (uint)hd_x);

		x = q_add_wrap(x, q_fp_sat_shl(q_srdhm(x, one_minus), 2));
	}
	return q_fp_sat_shl(x, 1);
}

inline int q_softmax_exp(int diff, int beta_mul, int beta_shift, uint rounding)
{
	return q_fp_exp_on_negative_q5(q_mul_by_qmul(diff, beta_mul, beta_shift,
						     rounding));
}

/* p: (input_beta_multiplier, input_beta_left_shift, diff_min, -). */
__kernel void q_softmax(__global const char *in, ulong in_off,
			__global char *out, ulong out_off, uint depth,
			ulong rows, int4 p, uint rounding)
{
	ulong r = get_global_id(0);
	__global const char *x;
	__global char *y;
	int row_max = -128, sum = 0, scale, headroom, bits_over_unit;
	uint i;

	if (r >= rows)
		return;
	x = in + in_off + r * depth;
	y = out + out_off + r * depth;
	for (i = 0; i < depth; i++)
		row_max = max(row_max, (int)x[i]);
	for (i = 0; i < depth; i++) {
		int diff = x[i] - row_max;

		if (diff >= p.s2)
			sum = q_add_wrap(sum, q_rdbpot(q_softmax_exp(diff, p.s0, p.s1,
								     rounding),
						       Q_SOFTMAX_ACC_INT_BITS));
	}
	headroom = min((int)clz((uint)sum), 31);
	bits_over_unit = Q_SOFTMAX_ACC_INT_BITS - headroom;
	scale = q_fp_one_over_one_plus_x((int)(((uint)sum << headroom) - (1u << 31)));
	for (i = 0; i < depth; i++) {
		int diff = x[i] - row_max;
		long v = -128;

		if (diff >= p.s2)
			v = q_fp_rdbpot64(q_srdhm(scale, q_softmax_exp(diff, p.s0, p.s1,
								    rounding)),
					  bits_over_unit + 31 - 8) - 128;
		y[i] = (char)(v > 127 ? 127 : (v < -128 ? -128 : v));
	}
}
