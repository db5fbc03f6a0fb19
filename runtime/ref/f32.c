// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Integer-only IEEE 754 binary32 arithmetic; see f32.h.
 *
 * Operands are unpacked to (sign, sig, exp) meaning sig * 2^exp exactly;
 * results are computed exactly or with a sticky bit and then rounded once
 * by f32_pack().
 */
#include "f32.h"

#define F32_SIGN	0x80000000u
#define F32_INF		0x7f800000u
#define F32_FRAC_MASK	0x007fffffu

static bool f32_is_nan(u32 a)
{
	return (a & ~F32_SIGN) > F32_INF;
}

static bool f32_is_inf(u32 a)
{
	return (a & ~F32_SIGN) == F32_INF;
}

static int f32_msb64(u64 x)
{
	int n = 63;

	while (!(x >> n))
		n--;
	return n;
}

/* sig >> shift, rounded to nearest even; shift >= 0. */
static u64 f32_shift_rne(u64 sig, int shift)
{
	u64 q, rem, half;

	if (shift == 0)
		return sig;
	if (shift > 64)
		return 0;
	if (shift == 64)
		return sig > (1ULL << 63) ? 1 : 0;
	q = sig >> shift;
	rem = sig & ((1ULL << shift) - 1);
	half = 1ULL << (shift - 1);
	if (rem > half || (rem == half && (q & 1)))
		q++;
	return q;
}

/* Rounds sign * sig * 2^exp (sig != 0) to binary32. */
static u32 f32_pack(u32 sign, u64 sig, int exp)
{
	int msb = f32_msb64(sig);
	int biased = msb + exp + 127;
	u64 m;

	if (biased >= 1) {
		int shift = msb - 23;

		if (shift > 0)
			m = f32_shift_rne(sig, shift);
		else
			m = sig << -shift;
		if (m >> 24) {
			m >>= 1;
			biased++;
		}
		if (biased >= 255)
			return sign | F32_INF;
		return sign | ((u32)biased << 23) | ((u32)m & F32_FRAC_MASK);
	}
	/* Subnormal: count in units of 2^-149; may round up to the least normal. */
	if (exp + 149 >= 0)
		m = sig << (exp + 149);
	else
		m = f32_shift_rne(sig, -(exp + 149));
	return sign | (u32)m;
}

/* Finite a to sig * 2^exp; sig is 0 for zeros. */
static void f32_unpack(u32 a, u64 *sig, int *exp)
{
	u32 e = (a >> 23) & 0xff;
	u32 f = a & F32_FRAC_MASK;

	if (e == 0) {
		*sig = f;
		*exp = -149;
	} else {
		*sig = f | (1u << 23);
		*exp = (int)e - 150;
	}
}

/**
 * qaccel_f32_from_s32() - convert an int32 to binary32
 * @x: value
 *
 * Return: the nearest binary32, ties to even.
 */
u32 qaccel_f32_from_s32(s32 x)
{
	u32 sign = x < 0 ? F32_SIGN : 0;
	u64 mag = x < 0 ? (u64)(-(s64)x) : (u64)x;

	if (!mag)
		return 0;
	return f32_pack(sign, mag, 0);
}

/**
 * qaccel_f32_add() - binary32 addition
 * @a: bit pattern
 * @b: bit pattern
 *
 * Return: a + b rounded to nearest even.
 */
u32 qaccel_f32_add(u32 a, u32 b)
{
	u32 sa = a & F32_SIGN, sb = b & F32_SIGN;
	u64 ma, mb;
	int ea, eb, d;

	if (f32_is_nan(a) || f32_is_nan(b))
		return QACCEL_F32_QNAN;
	if (f32_is_inf(a) || f32_is_inf(b)) {
		if (f32_is_inf(a) && f32_is_inf(b) && sa != sb)
			return QACCEL_F32_QNAN;
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
	/* 39 guard bits below the 24-bit significands, then align with sticky. */
	ma <<= 39;
	mb <<= 39;
	ea -= 39;
	eb -= 39;
	if (ea < eb) {
		u64 tm = ma;
		int te = ea;
		u32 ts = sa;

		ma = mb;
		ea = eb;
		sa = sb;
		mb = tm;
		eb = te;
		sb = ts;
	}
	d = ea - eb;
	if (d > 0) {
		if (d >= 63)
			mb = 1;
		else
			mb = (mb >> d) | ((mb & ((1ULL << d) - 1)) ? 1 : 0);
	}
	if (sa == sb)
		return f32_pack(sa, ma + mb, ea);
	if (ma == mb)
		return 0;
	if (ma > mb)
		return f32_pack(sa, ma - mb, ea);
	return f32_pack(sb, mb - ma, ea);
}

/**
 * qaccel_f32_mul() - binary32 multiplication
 * @a: bit pattern
 * @b: bit pattern
 *
 * Return: a * b rounded to nearest even.
 */
u32 qaccel_f32_mul(u32 a, u32 b)
{
	u32 sign = (a ^ b) & F32_SIGN;
	u64 ma, mb;
	int ea, eb;

	if (f32_is_nan(a) || f32_is_nan(b))
		return QACCEL_F32_QNAN;
	if (f32_is_inf(a) || f32_is_inf(b)) {
		if (!(a & ~F32_SIGN) || !(b & ~F32_SIGN))
			return QACCEL_F32_QNAN;
		return sign | F32_INF;
	}
	f32_unpack(a, &ma, &ea);
	f32_unpack(b, &mb, &eb);
	if (!ma || !mb)
		return sign;
	return f32_pack(sign, ma * mb, ea + eb);
}

/**
 * qaccel_f32_div() - binary32 division
 * @a: dividend bit pattern
 * @b: divisor bit pattern
 *
 * Return: a / b rounded to nearest even.
 */
u32 qaccel_f32_div(u32 a, u32 b)
{
	u32 sign = (a ^ b) & F32_SIGN;
	u64 ma, mb, q;
	int ea, eb;

	if (f32_is_nan(a) || f32_is_nan(b))
		return QACCEL_F32_QNAN;
	if (f32_is_inf(a))
		return f32_is_inf(b) ? QACCEL_F32_QNAN : (sign | F32_INF);
	if (f32_is_inf(b))
		return sign;
	f32_unpack(a, &ma, &ea);
	f32_unpack(b, &mb, &eb);
	if (!mb)
		return ma ? (sign | F32_INF) : QACCEL_F32_QNAN;
	if (!ma)
		return sign;
	/* Normalise both to 24 significant bits so the quotient has 40 or 41. */
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

/**
 * qaccel_f32_round() - round to an integral value, halfway cases away from 0
 * @a: bit pattern
 *
 * Return: the rounded value, with a's sign.
 */
u32 qaccel_f32_round(u32 a)
{
	u32 sign = a & F32_SIGN;
	u64 m, n;
	int e;

	if (f32_is_nan(a))
		return QACCEL_F32_QNAN;
	if (((a >> 23) & 0xff) >= 150)
		return a;	/* already integral, or infinite */
	f32_unpack(a, &m, &e);
	if (!m || -e > 24)
		return sign;	/* |a| < 0.5 */
	n = m >> -e;
	if (m & (1ULL << (-e - 1)))
		n++;
	if (!n)
		return sign;
	return f32_pack(sign, n, 0);
}

/**
 * qaccel_f32_to_s32() - truncate to int32
 * @a: bit pattern
 *
 * Return: a truncated toward zero; 0 for NaN, saturated when out of range.
 */
s32 qaccel_f32_to_s32(u32 a)
{
	u32 e = (a >> 23) & 0xff;
	u64 m;
	int ex;

	if (f32_is_nan(a))
		return 0;
	if (e >= 158)	/* |a| >= 2^31 */
		return (a & F32_SIGN) ? S32_MIN : S32_MAX;
	f32_unpack(a, &m, &ex);
	if (ex < 0)
		m = -ex >= 64 ? 0 : m >> -ex;
	else
		m <<= ex;
	return (a & F32_SIGN) ? (s32)(-(s64)m) : (s32)m;
}

/**
 * qaccel_f32_lt() - ordered less-than
 * @a: bit pattern
 * @b: bit pattern
 *
 * Return: true if a < b; false if either is NaN.
 */
bool qaccel_f32_lt(u32 a, u32 b)
{
	bool na = a & F32_SIGN, nb = b & F32_SIGN;

	if (f32_is_nan(a) || f32_is_nan(b))
		return false;
	if (!((a | b) & ~F32_SIGN))
		return false;	/* +0 == -0 */
	if (na != nb)
		return na;
	return na ? a > b : a < b;
}
