// SPDX-License-Identifier: MIT
/*
 * SOFTMAX_F32 and MEAN_F32: TFLite's float steps reproduced with integer
 * instructions, a port of runtime/ref/f32.c. A device's own float unit is
 * not used: OpenCL allows flushed subnormals and a 2.5 ulp division, and
 * the reference's bytes must come out on every device.
 */

#define F32_SIGN	0x80000000u
#define F32_INF		0x7f800000u
#define F32_FRAC_MASK	0x007fffffu
#define F32_ONE		0x3f800000u
#define F32_QNAN	0x7fc00000u

inline bool f32_is_nan(uint a)
{
	return (a & ~F32_SIGN) > F32_INF;
}

inline bool f32_is_inf(uint a)
{
	return (a & ~F32_SIGN) == F32_INF;
}

/* sig >> shift, rounded to nearest even; shift >= 0. */
inline ulong f32_shift_rne(ulong sig, int shift)
{
	ulong q, rem, halfway;

	if (shift == 0)
		return sig;
	if (shift > 64)
		return 0;
	if (shift == 64)
		return sig > (1UL << 63) ? 1 : 0;
	q = sig >> shift;
	rem = sig & ((1UL << shift) - 1);
	halfway = 1UL << (shift - 1);
	if (rem > halfway || (rem == halfway && (q & 1)))
		q++;
	return q;
}

/* Rounds sign * sig * 2^exp (sig != 0) to binary32. */
inline uint f32_pack(uint sign, ulong sig, int exp)
{
	int msb = 63 - (int)clz(sig);
	int biased = msb + exp + 127;
	ulong m;

	if (biased >= 1) {
		int shift = msb - 23;

		m = shift > 0 ? f32_shift_rne(sig, shift) : sig << -shift;
		if (m >> 24) {
			m >>= 1;
			biased++;
		}
		if (biased >= 255)
			return sign | F32_INF;
		return sign | ((uint)biased << 23) | ((uint)m & F32_FRAC_MASK);
	}
	if (exp + 149 >= 0)
		m = sig << (exp + 149);
	else
		m = f32_shift_rne(sig, -(exp + 149));
	return sign | (uint)m;
}

inline void f32_unpack(uint a, ulong *sig, int *exp)
{
	uint e = (a >> 23) & 0xff, f = a & F32_FRAC_MASK;

	if (e == 0) {
		*sig = f;
		*exp = -149;
	} else {
		*sig = f | (1u << 23);
		*exp = (int)e - 150;
	}
}

inline uint f32_from_s32(int x)
{
	uint sign = x < 0 ? F32_SIGN : 0;
	ulong mag = x < 0 ? (ulong)(-(long)x) : (ulong)x;

	return mag ? f32_pack(sign, mag, 0) : 0;
}

inline uint f32_add(uint a, uint b)
{
	uint sa = a & F32_SIGN, sb = b & F32_SIGN;
	ulong ma, mb;
	int ea, eb, d;

	if (f32_is_nan(a) || f32_is_nan(b))
		return F32_QNAN;
	if (f32_is_inf(a) || f32_is_inf(b)) {
		if (f32_is_inf(a) && f32_is_inf(b) && sa != sb)
			return F32_QNAN;
		return f32_is_inf(a) ? a : b;
	}
	f32_unpack(a, &ma, &ea);
	f32_unpack(b, &mb, &eb);
	if (!ma && !mb)
		return sa & sb;
	if (!ma)
		return b;
	if (!mb)
		return a;
	ma <<= 39;
	mb <<= 39;
	ea -= 39;
	eb -= 39;
	if (ea < eb) {
		ulong tm = ma;
		int te = ea;
		uint ts = sa;

		ma = mb;
		ea = eb;
		sa = sb;
		mb = tm;
		eb = te;
		sb = ts;
	}
	d = ea - eb;
	if (d > 0)
		mb = d >= 63 ? 1 : (mb >> d) | ((mb & ((1UL << d) - 1)) ? 1 : 0);
	if (sa == sb)
		return f32_pack(sa, ma + mb, ea);
	if (ma == mb)
		return 0;
	if (ma > mb)
		return f32_pack(sa, ma - mb, ea);
	return f32_pack(sb, mb - ma, ea);
}

inline uint f32_mul(uint a, uint b)
{
	uint sign = (a ^ b) & F32_SIGN;
	ulong ma, mb;
	int ea, eb;

	if (f32_is_nan(a) || f32_is_nan(b))
		return F32_QNAN;
	if (f32_is_inf(a) || f32_is_inf(b)) {
		if (!(a & ~F32_SIGN) || !(b & ~F32_SIGN))
			return F32_QNAN;
		return sign | F32_INF;
	}
	f32_unpack(a, &ma, &ea);
	f32_unpack(b, &mb, &eb);
	if (!ma || !mb)
		return sign;
	return f32_pack(sign, ma * mb, ea + eb);
}

inline uint f32_div(uint a, uint b)
{
	uint sign = (a ^ b) & F32_SIGN;
	ulong ma, mb, q;
	int ea, eb;

	if (f32_is_nan(a) || f32_is_nan(b))
		return F32_QNAN;
	if (f32_is_inf(a))
		return f32_is_inf(b) ? F32_QNAN : (sign | F32_INF);
	if (f32_is_inf(b))
		return sign;
	f32_unpack(a, &ma, &ea);
	f32_unpack(b, &mb, &eb);
	if (!mb)
		return ma ? (sign | F32_INF) : F32_QNAN;
	if (!ma)
		return sign;
	while (!(ma & (1u << 23))) {
		ma <<= 1;
		ea--;
	}
	while (!(mb & (1u << 23))) {
		mb <<= 1;
		eb--;
	}
	q = (ma << 40) / mb;
	if ((ma << 40) % mb)
		q |= 1;
	return f32_pack(sign, q, ea - 40 - eb);
}

/* roundf(): halfway cases away from zero. */
inline uint f32_round(uint a)
{
	uint sign = a & F32_SIGN;
	ulong m, n;
	int e;

	if (f32_is_nan(a))
		return F32_QNAN;
	if (((a >> 23) & 0xff) >= 150)
		return a;
	f32_unpack(a, &m, &e);
	if (!m || -e > 24)
		return sign;
	n = m >> -e;
	if (m & (1UL << (-e - 1)))
		n++;
	return n ? f32_pack(sign, n, 0) : sign;
}

inline int f32_to_s32(uint a)
{
	uint e = (a >> 23) & 0xff;
	ulong m;
	int ex;

	if (f32_is_nan(a))
		return 0;
	if (e >= 158)
		return (a & F32_SIGN) ? INT_MIN : INT_MAX;
	f32_unpack(a, &m, &ex);
	if (ex < 0)
		m = -ex >= 64 ? 0 : m >> -ex;
	else
		m <<= ex;
	return (a & F32_SIGN) ? (int)(-(long)m) : (int)m;
}

inline bool f32_lt(uint a, uint b)
{
	bool na = (a & F32_SIGN) != 0, nb = (b & F32_SIGN) != 0;

	if (f32_is_nan(a) || f32_is_nan(b))
		return false;
	if (!((a | b) & ~F32_SIGN))
		return false;
	if (na != nb)
		return na;
	return na ? a > b : a < b;
}

inline uint q_softmax_weight(__global const uint *table, int row_max, char x)
{
	int d = row_max - x;

	return table[d < 0 ? 0 : d];
}

/* One work-item per row; the row's sum is in order, as in binary32 it must be. */
__kernel void q_softmax_f32(__global const char *in, ulong in_off,
			    __global char *out, ulong out_off, uint depth,
			    ulong rows, __global const uint *table, ulong table_off,
			    uint output_scale, int zo)
{
	ulong r = get_global_id(0);
	__global const char *x;
	__global char *y;
	int row_max = -128;
	uint sum = 0, inv, zp = f32_from_s32(zo), i;

	if (r >= rows)
		return;
	x = in + in_off + r * depth;
	y = out + out_off + r * depth;
	table += table_off;
	for (i = 0; i < depth; i++)
		row_max = max(row_max, (int)x[i]);
	for (i = 0; i < depth; i++)
		sum = f32_add(sum, q_softmax_weight(table, row_max, x[i]));
	inv = f32_div(F32_ONE, f32_mul(sum, output_scale));
	for (i = 0; i < depth; i++) {
		uint p = f32_mul(q_softmax_weight(table, row_max, x[i]), inv);
		int v = f32_to_s32(f32_add(f32_round(p), zp));

		y[i] = (char)clamp(v, -128, 127);
	}
}

#define F32_INT8_MIN	0xc3000000u	/* -128.0f */
#define F32_INT8_MAX	0x42fe0000u	/* 127.0f */

/* One work-item per (n, c). */
__kernel void q_mean_f32(__global const char *in, ulong in_off, uint4 id,
			 __global char *out, ulong out_off, int zo,
			 uint scale, uint bias)
{
	ulong g = get_global_id(0);
	uint r;

	if (g >= (ulong)id.s0 * id.s3)
		return;
	r = f32_div(f32_from_s32(q_sum_hw(in + in_off, id, g / id.s3, g % id.s3)), f32_from_s32((int)(id.s1 * id.s2)));
	r = f32_add(f32_mul(r, scale), bias);
	r = f32_add(f32_round(r), f32_from_s32(zo));
	if (f32_lt(F32_INT8_MAX, r))
		r = F32_INT8_MAX;
	if (f32_lt(r, F32_INT8_MIN))
		r = F32_INT8_MIN;
	out[out_off + g] = (char)f32_to_s32(r);
}
