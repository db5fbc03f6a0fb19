// SPDX-License-Identifier: MIT
/*
 * ADD, SUB and MUL on the AVX-512 VNNI level (built with its flags): the
 * general loop through the long-form requantization (cpu_vnni_rq16.h),
 * and a branch-free one with per-command constants where rounding and
 * shifts allow (Documentation/cpu-backend.rst, "ADD, SUB and MUL").
 */
#include <immintrin.h>
#include <string.h>

#include "cpu.h"
#include "cpu_vnni_rq16.h"

/* One multiplier for every lane (struct cpu_rq's 64-bit form, cpu_gemm.c). */
static void rq16_scalar(struct rq16 *q, s32 mult, s32 shift, u32 rounding)
{
	s32 rs = shift > 0 ? 0 : -shift;
	bool single = rounding == QACCEL_ROUND_SINGLE;
	s64 c = single ? 1LL << (30 - shift) : (1LL << 30) + (rs ? 1LL << (rs + 30) : 0);

	q->m[0] = q->m[1] = _mm512_set1_epi64(mult);
	q->c[0] = q->c[1] = _mm512_set1_epi64(c);
	q->d[0] = q->d[1] = _mm512_set1_epi64(!single && rs ? 1LL << 31 : 0);
	q->s[0] = q->s[1] = _mm512_set1_epi64(single ? 31 - shift : 31 + rs);
	q->ls = _mm512_set1_epi32(shift > 0 ? shift : 0);
	q->shl = shift > 0 && !single;
	q->single = single;
	q->sat = false;
}

/* n int8 at p (every one, or the first repeated when stride is 0) as int32. */
static inline __m512i load16(const s8 *p, u32 stride, __mmask16 k)
{
	return stride ? _mm512_cvtepi8_epi32(_mm_maskz_loadu_epi8(k, p)) :
			_mm512_set1_epi32(*p);
}

/*
 * ADD, SUB and MUL as qaccel_ref_binary computes them, 16 elements at a
 * time through the 64-bit requantization (any multiplier sign: SUB
 * negates the second one): every rounding mode and shift.
 */
static void binary_general(const struct qaccel_cmd_binary *c, const s8 *a, u32 sa,
			const s8 *b, u32 sb, s8 *out, u32 n)
{
	const struct qaccel_qmul *q2 = &c->input2_qmul;
	bool mul = c->hdr.opcode == QACCEL_OP_MUL;
	s32 m2 = c->hdr.opcode == QACCEL_OP_SUB ? -q2->multiplier : q2->multiplier;
	const __m512i z1 = _mm512_set1_epi32(c->input1.zero_point);
	const __m512i z2 = _mm512_set1_epi32(c->input2.zero_point);
	const __m512i zp = _mm512_set1_epi32(c->output.zero_point);
	const __m512i lo = _mm512_set1_epi32(c->clamp.min - c->output.zero_point);
	const __m512i hi = _mm512_set1_epi32(c->clamp.max - c->output.zero_point);
	const __m512i ls = _mm512_set1_epi32((int)c->left_shift);
	struct rq16 r1, r2, ro;

	rq16_scalar(&r1, c->input1_qmul.multiplier, c->input1_qmul.shift, c->rounding);
	rq16_scalar(&r2, m2, q2->shift, c->rounding);
	rq16_scalar(&ro, c->output_qmul.multiplier, c->output_qmul.shift, c->rounding);
	for (u32 i = 0; i < n; i += 16) {
		__mmask16 k = n - i >= 16 ? 0xffff : (__mmask16)((1u << (n - i)) - 1);
		__m512i x = _mm512_sub_epi32(load16(a + i * sa, sa, k), z1);
		__m512i y = _mm512_sub_epi32(load16(b + i * sb, sb, k), z2);
		__m512i v;

		if (mul) {
			v = rq16_mul(_mm512_mullo_epi32(x, y), &ro);
		} else {
			__m512i s1 = rq16_mul(_mm512_sllv_epi32(x, ls), &r1);
			__m512i s2 = rq16_mul(_mm512_sllv_epi32(y, ls), &r2);

			v = rq16_mul(_mm512_add_epi32(s1, s2), &ro);
		}
		v = _mm512_add_epi32(_mm512_min_epi32(_mm512_max_epi32(v, lo), hi), zp);
		_mm_mask_storeu_epi8(out + i, k, _mm512_cvtepi32_epi8(v));
	}
}

/*
 * The fast binary path: each requantization of a command as one constant
 * form on 64-bit lanes, r = (x * m + c - (x * m < t ? d : 0)) >> s, with
 * an input's zero point and the left shifts folded into m, c, t, d and s
 * and the output's zero point into c; an input form that is an exact
 * multiplication (x * g) is just that, its zero point folded into the
 * output's c and t (Documentation/cpu-backend.rst, "ADD, SUB and MUL").
 */
struct bin_rq {
	s64 c, t, d;
	/* 32 bits, so that the compiler keeps vpmuldq (not vpmullq). */
	s32 m;
	u32 s;
};

struct bin_fast {
	struct bin_rq q[3];	/* input 1, input 2, output */
	bool lin[2];		/* input i's form is x * q[i].m, nothing else */
	bool swap;		/* input 2's form is the simpler: run it first */
};

/*
 * qaccel_mul_by_qmul((x - z) << ls, mult, shift, DOUBLE) + zp as a bin_rq
 * on raw x, for |x - z| <= xmax; false where the form does not hold:
 * (x - z) << ls (and the qmul's own left shift) could wrap, or s > 54.
 */
static bool bin_rq_fill(struct bin_rq *q, u64 xmax, s32 z, u32 ls, s32 mult, s32 shift,
			s32 zp)
{
	u32 l = ls + (shift > 0 ? (u32)shift : 0), rs = shift > 0 ? 0 : (u32)-shift;

	if (l > 30 || xmax << l > S32_MAX || 31 + rs - l > 54)
		return false;
	q->s = 31 + rs - l;
	q->m = mult;
	q->c = (1LL << (30 - l)) + (rs ? 1LL << (rs + 30 - l) : 0) - (s64)z * mult +
	       zp * (1LL << q->s);
	q->t = (s64)z * mult - (1LL << (30 - l));
	q->d = rs ? 1LL << (31 - l) : 0;
	return true;
}

/* |qaccel_mul_by_qmul(X, mult, shift)| at most, for |X| <= xmax << (ls + shl). */
static u64 bin_rq_bound(u64 xmax, u32 ls, s32 mult, s32 shift)
{
	u32 l = ls + (shift > 0 ? (u32)shift : 0), rs = shift > 0 ? 0 : (u32)-shift;
	u64 m = mult < 0 ? -(u64)mult : (u64)mult;

	return ((xmax << l) * m >> (31 + rs)) + 1;
}

static u64 abs64(s64 v)
{
	return v < 0 ? -(u64)v : (u64)v;
}

/*
 * An input's form, and the bounds of its result: *raw for what the loop
 * adds (x * g for a linear form), *res for the reference's value.
 */
static bool bin_input(struct bin_rq *q, bool *lin, s64 *k, u64 *raw, u64 *res,
		      s32 z, u32 ls, s32 mult, s32 shift)
{
	u64 xmax = 128 + (u64)(z < 0 ? -z : z);
	s64 full;

	if (!bin_rq_fill(q, xmax, z, ls, mult, shift, 0))
		return false;
	/*
	 * m 2^l a multiple of 2^S: the rounding constant, below 2^S, never
	 * reaches the next multiple (nor does it with the -2^31 term), so
	 * the result is (x - z) g with g = m 2^l / 2^S.
	 */
	full = (s64)mult * (1LL << (31 + (shift > 0 ? 0 : -shift) - q->s));
	*lin = !(full & ((1LL << (31 + (shift > 0 ? 0 : -shift))) - 1));
	*res = bin_rq_bound(xmax, ls, mult, shift);
	*raw = *res;
	if (*lin) {
		q->m = (s32)(full >> (31 + (shift > 0 ? 0 : -shift)));
		*k -= (s64)z * q->m;
		*raw = 128 * abs64(q->m);
	}
	return true;
}

/*
 * The forms for the fast path, or false. ADD/SUB: the sum of the two
 * scaled inputs must fit int32 (the reference would wrap it), and so must
 * what the loop sums (linear forms leave their zero point out). Output:
 * a negative shift, so that s >= 32 (the odd lanes' results come from the
 * high dwords) and |result| <= 2^30 + 1 (narrowing with saturation is
 * exact); and no 64-bit sum of the form can overflow.
 */
static bool bin_fast_fill(const struct qaccel_cmd_binary *c, struct bin_fast *f)
{
	const struct qaccel_qmul *q1 = &c->input1_qmul, *q2 = &c->input2_qmul;
	const struct qaccel_qmul *qo = &c->output_qmul;
	s32 z1 = c->input1.zero_point, z2 = c->input2.zero_point;
	u64 raw, res, r1, s1, r2, s2;
	s64 k = 0;

	if (c->rounding != QACCEL_ROUND_DOUBLE || qo->shift >= 0)
		return false;
	f->lin[0] = f->lin[1] = f->swap = false;
	if (c->hdr.opcode == QACCEL_OP_MUL) {
		raw = res = (128 + abs64(z1)) * (128 + abs64(z2));
	} else {
		s32 m2 = c->hdr.opcode == QACCEL_OP_SUB ? -q2->multiplier : q2->multiplier;

		if (!bin_input(&f->q[0], &f->lin[0], &k, &r1, &s1, z1, c->left_shift,
			       q1->multiplier, q1->shift) ||
		    !bin_input(&f->q[1], &f->lin[1], &k, &r2, &s2, z2, c->left_shift, m2,
			       q2->shift))
			return false;
		raw = r1 + r2;
		res = s1 + s2;
		f->swap = f->lin[1] && !f->lin[0];
	}
	if (raw > S32_MAX || res > S32_MAX ||
	    !bin_rq_fill(&f->q[2], res, 0, 0, qo->multiplier, qo->shift, c->output.zero_point))
		return false;
	/* The loop's product is (sum - k) m: k m moves into c and t. */
	f->q[2].c += k * qo->multiplier;
	f->q[2].t -= k * qo->multiplier;
	return raw * (u64)qo->multiplier + abs64(f->q[2].c) + (1ULL << 31) < 1ULL << 62 &&
	       abs64(f->q[2].t) < 1ULL << 62;
}

struct bin_vq {
	__m512i m, c, t, d, s;
};

static inline struct bin_vq bin_vq_of(const struct bin_rq *q, u32 s)
{
	return (struct bin_vq){ _mm512_set1_epi64(q->m), _mm512_set1_epi64(q->c),
				_mm512_set1_epi64(q->t), _mm512_set1_epi64(q->d),
				_mm512_set1_epi64(s) };
}

/* One form on the low dwords of 8 lanes (vpmuldq reads them signed). */
static inline __m512i bin_apply(__m512i x, const struct bin_vq *q, bool lin)
{
	__m512i p = _mm512_mul_epi32(x, q->m), r;

	/*
	 * Only p's low dwords reach the output form, which clang sees: it
	 * would then make the vpmuldq a vpmullq (3 uops). An empty asm
	 * hides that.
	 */
	if (lin) {
		__asm__("" : "+v"(p));
		return p;
	}
	r = _mm512_add_epi64(p, q->c);
	r = _mm512_mask_sub_epi64(r, _mm512_cmplt_epi64_mask(p, q->t), r, q->d);
	return _mm512_srav_epi64(r, q->s);
}

/*
 * 16 elements a step, no branch: the even elements in the low dwords of
 * the 64-bit lanes, the odd ones shifted down from the high dwords; the
 * output form shifts the odd lanes 32 less, so that their results are
 * high dwords, and one blend joins the two. mul, lin1, lin2 are constants
 * in each caller: one loop each.
 */
static inline __attribute__((always_inline)) void
binary_fast(const struct qaccel_cmd_binary *c, const struct bin_fast *f, const s8 *a, u32 sa,
	    const s8 *b, u32 sb, s8 *out, u32 n, bool mul, bool lin1, bool lin2)
{
	const struct bin_rq *q1 = &f->q[f->swap], *q2 = &f->q[!f->swap];
	const struct bin_vq v1 = bin_vq_of(q1, q1->s), v2 = bin_vq_of(q2, q2->s);
	const struct bin_vq ve = bin_vq_of(&f->q[2], f->q[2].s);
	const struct bin_vq vo = bin_vq_of(&f->q[2], f->q[2].s - 32);
	const __m512i z1 = _mm512_set1_epi32(c->input1.zero_point);
	const __m512i z2 = _mm512_set1_epi32(c->input2.zero_point);
	const __m128i lo = _mm_set1_epi8((char)c->clamp.min), hi = _mm_set1_epi8((char)c->clamp.max);

	for (u32 i = 0; i < n; i += 16) {
		__mmask16 k = n - i >= 16 ? 0xffff : (__mmask16)((1u << (n - i)) - 1);
		__m512i x = load16(a + i * sa, sa, k), y = load16(b + i * sb, sb, k), e, o;
		__m128i r;

		if (mul) {
			e = _mm512_mullo_epi32(_mm512_sub_epi32(x, z1), _mm512_sub_epi32(y, z2));
			o = _mm512_srli_epi64(e, 32);
		} else {
			e = _mm512_add_epi64(bin_apply(x, &v1, lin1), bin_apply(y, &v2, lin2));
			o = _mm512_add_epi64(bin_apply(_mm512_srli_epi64(x, 32), &v1, lin1),
					     bin_apply(_mm512_srli_epi64(y, 32), &v2, lin2));
		}
		r = _mm512_cvtsepi32_epi8(_mm512_mask_blend_epi32(0xaaaa, bin_apply(e, &ve, false),
								  bin_apply(o, &vo, false)));
		_mm_mask_storeu_epi8(out + i, k, _mm_min_epi8(_mm_max_epi8(r, lo), hi));
	}
}

/* For the tests: whether c takes the branch-free path. */
bool cpu_vnni_binary_fast(const struct qaccel_cmd_binary *c)
{
	struct bin_fast f;

	return bin_fast_fill(c, &f);
}

void cpu_vnni_binary(const struct qaccel_cmd_binary *c, const s8 *a, u32 sa,
		     const s8 *b, u32 sb, s8 *out, u32 n)
{
	struct bin_fast f;

	if (!bin_fast_fill(c, &f)) {
		binary_general(c, a, sa, b, sb, out, n);
		return;
	}
	if (f.swap) {
		const s8 *t = a;
		u32 st = sa;

		a = b;
		b = t;
		sa = sb;
		sb = st;
	}
	if (c->hdr.opcode == QACCEL_OP_MUL)
		binary_fast(c, &f, a, sa, b, sb, out, n, true, false, false);
	else if (f.lin[0] && f.lin[1])
		binary_fast(c, &f, a, sa, b, sb, out, n, false, true, true);
	else if (f.lin[0] || f.lin[1])
		binary_fast(c, &f, a, sa, b, sb, out, n, false, true, false);
	else
		binary_fast(c, &f, a, sa, b, sb, out, n, false, false, false);
}
