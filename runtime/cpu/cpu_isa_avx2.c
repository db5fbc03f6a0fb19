// SPDX-License-Identifier: MIT
/*
 * x86-64 AVX2 (built with -mavx2 -mfma): int8 sign-extended to int16 at
 * packing time, so the GEMM tile is vpmaddwd (pairs of k) plus vpaddd.
 * 6 x 16 tile: 12 accumulators, 2 weight vectors, 1 broadcast, 1 product:
 * all 16 ymm registers, no spills.
 */
#include <immintrin.h>

#include "cpu_vec.h"

#define X_MR 6
#define X_NR 16

/*
 * The A tile row by row: each row's k values sign-extended to int16 (a loop
 * the compiler turns into vpmovsxbw), padded with zeros to kg pairs; rows
 * past valid are zeros. The tile kernel broadcasts pair g of row r from
 * row r's own place, so no transposition is needed.
 */
static void avx2_pack_a(const struct cpu_isa *isa, const s8 *base, size_t stride,
			u32 valid, u32 k, u32 kg, void *out)
{
	s16 *o = out;

	(void)isa;
	for (u32 r = 0; r < X_MR; r++) {
		s16 *dst = o + (size_t)r * kg * 2;
		u32 i = 0;

		if (r < valid) {
			const s8 *row = base + r * stride;

			for (; i < k; i++)
				dst[i] = row[i];
		}
		for (; i < kg * 2; i++)
			dst[i] = 0;
	}
}

static void avx2_gemm(u32 kg, const void *a, const void *b, s32 *c)
{
	const s16 *pa = a, *pb = b;
	/* Row r's pairs are kg apart (avx2_pack_a's layout). */
	const s16 *r0 = pa, *r1 = r0 + 2 * kg, *r2 = r1 + 2 * kg;
	const s16 *r3 = r2 + 2 * kg, *r4 = r3 + 2 * kg, *r5 = r4 + 2 * kg;
	__m256i c00 = _mm256_setzero_si256(), c01 = c00, c10 = c00, c11 = c00;
	__m256i c20 = c00, c21 = c00, c30 = c00, c31 = c00;
	__m256i c40 = c00, c41 = c00, c50 = c00, c51 = c00;

	for (u32 g = 0; g < kg; g++, pb += 2 * X_NR) {
		__m256i b0 = _mm256_loadu_si256((const __m256i *)pb);
		__m256i b1 = _mm256_loadu_si256((const __m256i *)(pb + 16));
		__m256i x;
		int32_t w;

#define ROW(i, lo, hi) \
		memcpy(&w, r##i + 2 * g, 4); \
		x = _mm256_set1_epi32(w); \
		lo = _mm256_add_epi32(lo, _mm256_madd_epi16(x, b0)); \
		hi = _mm256_add_epi32(hi, _mm256_madd_epi16(x, b1))
		ROW(0, c00, c01);
		ROW(1, c10, c11);
		ROW(2, c20, c21);
		ROW(3, c30, c31);
		ROW(4, c40, c41);
		ROW(5, c50, c51);
#undef ROW
	}
#define OUT(r, lo, hi) \
	_mm256_storeu_si256((__m256i *)(c + (r) * X_NR), lo); \
	_mm256_storeu_si256((__m256i *)(c + (r) * X_NR + 8), hi)
	OUT(0, c00, c01);
	OUT(1, c10, c11);
	OUT(2, c20, c21);
	OUT(3, c30, c31);
	OUT(4, c40, c41);
	OUT(5, c50, c51);
#undef OUT
}

/* 16 int8 channels widened to int16. */
static inline __m256i widen16(const s8 *p)
{
	return _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)p));
}

/*
 * The epilogue in 64-bit arithmetic (struct cpu_rq's 64-bit form), for
 * double rounding with every shift negative (cpu_rq's rshift_all): the
 * shift s = 31 + rs is then at least 32, so floor(t / 2^s) is the high
 * dword of t shifted right by s - 32, which vpsravd does; AVX2 has no
 * 64-bit arithmetic shift. vpmuldq multiplies the even int32 lanes: each
 * 8 channels' parameters are kept split into even and odd ones (4 s64
 * lanes each). Documentation/cpu-backend.rst ("Exactness").
 */
struct rq8 {
	__m256i m[2], c[2], t[2];	/* [0]: channels 0, 2, 4, 6; [1]: 1, 3, 5, 7 */
	__m256i sh;			/* s - 32, in channel order */
	__m256i off, zp;		/* the long form's; the short form has none */
};

/*
 * The short form's parameters of channels o..o+7 (o a multiple of 8):
 * half of a group of 16 in struct cpu_rq's f, 4 contiguous s64 a parity.
 * c already holds off * m and the zero point times 2^s; t is the
 * threshold of the product acc * m below which 2^31 is taken off.
 */
static inline void rq8_load_short(struct rq8 *q, const struct cpu_rq *rq, u32 o)
{
	u32 ch = rq->base + o;
	const s64 *f = rq->f + (size_t)ch / 16 * 64 + ch % 16 / 8 * 4;
	__m256i se, so;

	for (int h = 0; h < 2; h++) {
		q->m[h] = _mm256_loadu_si256((const __m256i *)(f + 8 * h));
		q->c[h] = _mm256_loadu_si256((const __m256i *)(f + 16 + 8 * h));
		q->t[h] = _mm256_loadu_si256((const __m256i *)(f + 32 + 8 * h));
	}
	/* f's shifts: s for even channels, s - 32 for odd ones (padding: 32). */
	se = _mm256_sub_epi64(_mm256_loadu_si256((const __m256i *)(f + 48)), _mm256_set1_epi64x(32));
	so = _mm256_loadu_si256((const __m256i *)(f + 56));
	q->sh = _mm256_blend_epi32(se, _mm256_slli_epi64(so, 32), 0xaa);
	q->off = q->zp = _mm256_setzero_si256();
}

/*
 * The long form's of channels o..o+cnt-1 (cnt <= 8; the missing ones
 * repeat channel o): acc + off first, the 64-bit c, the threshold -2^30
 * with d = 2^31 (rs >= 1), s - 32 = rs - 1, the zero point added after.
 * vpmuldq reads the low dword of each lane: the even channels' multipliers
 * are where the int32 array puts them, the odd ones one dword down.
 */
static inline void rq8_load_long(struct rq8 *q, const struct cpu_rq *rq, u32 o, u32 cnt)
{
	s32 off[8], mult[8], rs[8];
	s64 c[8];
	const s32 *po = rq->off + o, *pm = rq->mult + o, *pr = rq->rshift + o;
	const s64 *pc = rq->c64 + o;
	__m256i m, lo, hi;

	if (cnt < 8) {
		for (u32 i = 0; i < 8; i++) {
			u32 j = i < cnt ? i : 0;

			off[i] = po[j];
			mult[i] = pm[j];
			rs[i] = pr[j];
			c[i] = pc[j];
		}
		po = off;
		pm = mult;
		pr = rs;
		pc = c;
	}
	m = _mm256_loadu_si256((const __m256i *)pm);
	q->m[0] = m;
	q->m[1] = _mm256_srli_epi64(m, 32);
	/* Channels 0-3 and 4-7 to even (0, 2, 4, 6) and odd lanes. */
	lo = _mm256_loadu_si256((const __m256i *)pc);
	hi = _mm256_loadu_si256((const __m256i *)(pc + 4));
	q->c[0] = _mm256_permute4x64_epi64(_mm256_unpacklo_epi64(lo, hi), 0xd8);
	q->c[1] = _mm256_permute4x64_epi64(_mm256_unpackhi_epi64(lo, hi), 0xd8);
	q->t[0] = q->t[1] = _mm256_set1_epi64x(-(1LL << 30));
	q->off = _mm256_loadu_si256((const __m256i *)po);
	q->sh = _mm256_sub_epi32(_mm256_loadu_si256((const __m256i *)pr), _mm256_set1_epi32(1));
	q->zp = _mm256_set1_epi32(rq->zero_point);
}

/*
 * vpmuldq; opaque (asm) where the multiplier is a broadcast: clang, seeing
 * it sign-extended, rewrote the product as three vpmuludq and their
 * corrections, even behind an empty asm. Elsewhere the intrinsic, which
 * it schedules better (3% on the 96x96 model).
 */
static inline __attribute__((always_inline)) __m256i mul_even(__m256i x, __m256i m, bool opq)
{
	__m256i p;

	if (!opq)
		return _mm256_mul_epi32(x, m);
	__asm__("vpmuldq %2, %1, %0" : "=x"(p) : "x"(x), "xm"(m));
	return p;
}

/* (p + c - (p < t ? 2^31 : 0)) on 4 lanes, p = x * m (x's even dwords). */
static inline __attribute__((always_inline)) __m256i rq8_half(__m256i x, const struct rq8 *q,
							     int h, bool opq)
{
	__m256i p = mul_even(x, q->m[h], opq);
	__m256i lt = _mm256_cmpgt_epi64(q->t[h], p);

	return _mm256_sub_epi64(_mm256_add_epi64(p, q->c[h]),
				_mm256_and_si256(lt, _mm256_set1_epi64x(1LL << 31)));
}

/*
 * 8 accumulators to 8 results plus the zero point, int32: the high dwords
 * of the even and the odd sums (floor(t / 2^32)), shifted by s - 32.
 */
static inline __attribute__((always_inline)) __m256i
rq8_apply_x(__m256i acc, const struct rq8 *q, bool lng, bool opq)
{
	__m256i x = lng ? _mm256_add_epi32(acc, q->off) : acc;
	__m256i e = rq8_half(x, q, 0, opq), o = rq8_half(_mm256_srli_epi64(x, 32), q, 1, opq);
	__m256i r = _mm256_srav_epi32(_mm256_blend_epi32(_mm256_srli_epi64(e, 32), o, 0xaa),
				      q->sh);

	return lng ? _mm256_add_epi32(r, q->zp) : r;
}

static inline __m256i rq8_apply(__m256i acc, const struct rq8 *q, bool lng)
{
	return rq8_apply_x(acc, q, lng, false);
}

/*
 * Four vectors of 8 results to 32 bytes, a's 8 then b's, c's and d's:
 * saturating packs work within 128-bit lanes, vpermd puts the dwords back
 * in order. |r| <= 2^30 + 1 before the zero point: saturating to int8
 * loses nothing the clamp keeps.
 */
static inline __m256i pack4(__m256i a, __m256i b, __m256i c, __m256i d, __m256i lo,
			    __m256i hi, bool clamp)
{
	__m256i v = _mm256_packs_epi16(_mm256_packs_epi32(a, b), _mm256_packs_epi32(c, d));

	if (clamp)
		v = _mm256_min_epi8(_mm256_max_epi8(v, lo), hi);
	return _mm256_permutevar8x32_epi32(v, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
}

/*
 * 8 columns (or fewer, the first cols) of a tile from column 0 of tile and
 * out: four rows a step, 8 bytes each. A wider tile goes through it one
 * group of 8 channels at a time, which keeps one group's parameters in
 * registers instead of two groups' spilled.
 */
static inline __attribute__((always_inline)) void
out8(const s32 *tile, u32 rows, u32 cols, const struct rq8 *q, const struct cpu_rq *rq,
     s8 *out, size_t ldo, bool lng)
{
	const __m256i lo = _mm256_set1_epi8((char)rq->min), hi = _mm256_set1_epi8((char)rq->max);
	bool clamp = rq->min != S8_MIN || rq->max != S8_MAX;

	/* Whole steps of four rows with 8 columns: pointers, no row checks. */
	for (; cols == 8 && rows >= 4; rows -= 4, tile += 4 * X_NR, out += 4 * ldo) {
		__m256i v = pack4(rq8_apply(_mm256_loadu_si256((const __m256i *)tile), q, lng),
				  rq8_apply(_mm256_loadu_si256((const __m256i *)(tile + X_NR)),
					    q, lng),
				  rq8_apply(_mm256_loadu_si256((const __m256i *)(tile + 2 * X_NR)),
					    q, lng),
				  rq8_apply(_mm256_loadu_si256((const __m256i *)(tile + 3 * X_NR)),
					    q, lng),
				  lo, hi, clamp);
		__m128i v0 = _mm256_castsi256_si128(v), v1 = _mm256_extracti128_si256(v, 1);

		/* movq stores (gcc's storeh_pd is an aligned double store). */
		_mm_storel_epi64((__m128i *)out, v0);
		_mm_storel_epi64((__m128i *)(out + ldo), _mm_unpackhi_epi64(v0, v0));
		_mm_storel_epi64((__m128i *)(out + 2 * ldo), v1);
		_mm_storel_epi64((__m128i *)(out + 3 * ldo), _mm_unpackhi_epi64(v1, v1));
	}
	/* The rest (fewer columns, or the last rows): the last result repeated. */
	for (u32 r = 0; r < rows; r += 4) {
		u32 nr = rows - r < 4 ? rows - r : 4;
		__m256i x[4];
		u8 b[32];

		for (u32 i = 0; i < 4; i++)
			x[i] = i < nr ? rq8_apply(_mm256_loadu_si256((const __m256i *)(
					tile + (r + i) * X_NR)), q, lng) : x[nr - 1];
		_mm256_storeu_si256((__m256i *)b, pack4(x[0], x[1], x[2], x[3], lo, hi, clamp));
		for (u32 i = 0; i < nr; i++) {
			if (cols == 8)	/* a move, not a call */
				memcpy(out + (r + i) * ldo, b + 8 * i, 8);
			else
				memcpy(out + (r + i) * ldo, b + 8 * i, cols);
		}
	}
}

static void tile_out_short(const s32 *tile, u32 rows, u32 cols, const struct cpu_rq *rq,
			   s8 *out, size_t ldo)
{
	struct rq8 q0, q1;

	rq8_load_short(&q0, rq, 0);
	out8(tile, rows, cols < 8 ? cols : 8, &q0, rq, out, ldo, false);
	if (cols <= 8)
		return;
	rq8_load_short(&q1, rq, 8);
	out8(tile + 8, rows, cols - 8, &q1, rq, out + 8, ldo, false);
}

static void tile_out_long(const s32 *tile, u32 rows, u32 cols, const struct cpu_rq *rq,
			  s8 *out, size_t ldo)
{
	struct rq8 q0, q1;

	rq8_load_long(&q0, rq, 0, cols < 8 ? cols : 8);
	out8(tile, rows, cols < 8 ? cols : 8, &q0, rq, out, ldo, true);
	if (cols <= 8)
		return;
	rq8_load_long(&q1, rq, 8, cols - 8);
	out8(tile + 8, rows, cols - 8, &q1, rq, out + 8, ldo, true);
}

/*
 * A tile of rows X_NR int32 apart (a GEMM's, or depthwise pixels'): the
 * short form where it holds and the channels start a half group of f,
 * the long form for other double rounding with negative shifts, the
 * portable requantization for the rest (single rounding, left shifts).
 */
static void avx2_tile_out(const s32 *tile, u32 rows, u32 cols, const struct cpu_rq *rq,
			  s8 *out, size_t ldo)
{
	if (rq->rounding == QACCEL_ROUND_SINGLE || !rq->rshift_all) {
		for (u32 r = 0; r < rows; r++)
			vec_requant_row(tile + r * X_NR, cols, rq, out + r * ldo);
		return;
	}
	if (rq->fast && rq->base % 8 == 0)
		tile_out_short(tile, rows, cols, rq, out, ldo);
	else
		tile_out_long(tile, rows, cols, rq, out, ldo);
}

/*
 * A row (the mean's, or any level user's): 8 channels a step in the long
 * form, each step's parameters loaded as they come; the rest scalar.
 */
static void avx2_requant_row(const s32 *acc, u32 n, const struct cpu_rq *rq, s8 *out)
{
	const __m256i lo = _mm256_set1_epi8((char)rq->min), hi = _mm256_set1_epi8((char)rq->max);
	u32 i = 0;

	if (rq->rounding == QACCEL_ROUND_SINGLE || !rq->rshift_all) {
		vec_requant_row(acc, n, rq, out);
		return;
	}
	for (; i + 8 <= n; i += 8) {
		struct rq8 q;
		__m256i r;

		rq8_load_long(&q, rq, i, 8);
		r = rq8_apply(_mm256_loadu_si256((const __m256i *)(acc + i)), &q, true);
		r = pack4(r, r, r, r, lo, hi, true);
		_mm_storel_epi64((__m128i *)(out + i), _mm256_castsi256_si128(r));
	}
	for (; i < n; i++)
		out[i] = scalar_requant(acc[i], rq, i);
}

/*
 * Depthwise rows with vpmaddwd: two taps at a time, their int16 values
 * interleaved channel by channel (vpunpck{l,h}wd within 128-bit lanes)
 * against weights interleaved alike once per block of 16 channels; the two
 * accumulators hold channels {0-3, 8-11} and {4-7, 12-15} and are put back
 * in order by lane, into a tile of up to DW_PIX pixels that goes through
 * the tile epilogue (its parameters loaded once per tile, not per pixel).
 * Fewer than 16 channels: the portable row kernel.
 */
#define DW_PIX 32

static void avx2_dw_row(const s8 *const *x, const s8 *const *w, u32 taps, u32 npix,
			u32 n, const struct cpu_rq *rq, s8 *out)
{
	__m256i wl[CPU_DW_MAX_TAPS / 2], wh[CPU_DW_MAX_TAPS / 2];
	s32 tile[DW_PIX * X_NR];
	u32 pairs = (taps + 1) / 2;

	if (n < 16) {
		vec_dw_row(x, w, taps, npix, n, rq, out);
		return;
	}
	for (u32 cb = 0; cb < n; cb += 16) {
		/* The last block ends at n, recomputing a few channels alike. */
		u32 c = cb + 16 > n ? n - 16 : cb;
		struct cpu_rq rc = cpu_rq_at(rq, c);

		for (u32 i = 0; i < pairs; i++) {
			__m256i w0 = widen16(w[2 * i] + c);
			__m256i w1 = 2 * i + 1 < taps ? widen16(w[2 * i + 1] + c) :
				     _mm256_setzero_si256();

			wl[i] = _mm256_unpacklo_epi16(w0, w1);
			wh[i] = _mm256_unpackhi_epi16(w0, w1);
		}
		for (u32 p = 0; p < npix; p++) {
			const s8 *const *xp = x + (size_t)p * taps;
			__m256i al = _mm256_setzero_si256(), ah = al;
			s32 *t = tile + p % DW_PIX * X_NR;

			for (u32 i = 0; i < pairs; i++) {
				/* An odd last tap pairs with itself against zero weights. */
				u32 t1 = 2 * i + 1 < taps ? 2 * i + 1 : 2 * i;
				__m256i x0 = widen16(xp[2 * i] + c), x1 = widen16(xp[t1] + c);

				al = _mm256_add_epi32(al, _mm256_madd_epi16(
						_mm256_unpacklo_epi16(x0, x1), wl[i]));
				ah = _mm256_add_epi32(ah, _mm256_madd_epi16(
						_mm256_unpackhi_epi16(x0, x1), wh[i]));
			}
			_mm256_storeu_si256((__m256i *)t, _mm256_permute2x128_si256(al, ah, 0x20));
			_mm256_storeu_si256((__m256i *)(t + 8),
					    _mm256_permute2x128_si256(al, ah, 0x31));
			if (p % DW_PIX == DW_PIX - 1 || p == npix - 1) {
				u32 p0 = p - p % DW_PIX;

				avx2_tile_out(tile, p - p0 + 1, 16, &rc, out + (size_t)p0 * n + c, n);
			}
		}
	}
}

/*
 * One multiplier and shift for every lane (ADD/SUB/MUL), in the long
 * form without offset or zero point. Shift 0 is gemmlowp's doubling high
 * multiply alone, floor((p + 2^30) / 2^31): the high dword of 2 (p +
 * 2^30), which fits (|p| < 2^62). Returns 0 when neither applies (a
 * positive shift, one below -31, or a multiplier of INT32_MIN, whose
 * product with INT32_MIN the reference saturates), 31 for shift 0, else 32.
 */
static int rq8_scalar(struct rq8 *q, s32 mult, s32 shift)
{
	s32 rs = -shift;

	if (shift > 0 || shift < -31 || mult == S32_MIN)
		return 0;
	q->m[0] = q->m[1] = _mm256_set1_epi64x(mult);
	q->c[0] = q->c[1] = _mm256_set1_epi64x((1LL << 30) + (rs ? 1LL << (rs + 30) : 0));
	q->t[0] = q->t[1] = _mm256_set1_epi64x(-(1LL << 30));
	q->sh = _mm256_set1_epi32(rs - 1);
	q->off = q->zp = _mm256_setzero_si256();
	return rs ? 32 : 31;
}

/* qaccel_srdhm() of 8 lanes by q's multiplier (rq8_scalar()'s 31). */
static inline __m256i rq8_srdhm(__m256i x, const struct rq8 *q)
{
	__m256i e = _mm256_add_epi64(mul_even(x, q->m[0], true), q->c[0]);
	__m256i o = _mm256_add_epi64(mul_even(_mm256_srli_epi64(x, 32), q->m[1], true),
				     q->c[1]);

	return _mm256_blend_epi32(_mm256_srli_epi64(e, 31), _mm256_slli_epi64(o, 1), 0xaa);
}

/* qaccel_mul_by_qmul() of 8 lanes by an rq8_scalar() of kind k. */
static inline __m256i rq8_mul(__m256i x, const struct rq8 *q, int k)
{
	return k == 31 ? rq8_srdhm(x, q) : rq8_apply_x(x, q, false, true);
}

/* 8 int8 at p (or the first repeated when stride is 0) as int32. */
static inline __m256i load8(const s8 *p, u32 stride)
{
	return stride ? _mm256_cvtepi8_epi32(_mm_loadl_epi64((const __m128i *)p)) :
			_mm256_set1_epi32(*p);
}

/*
 * ADD, SUB and MUL as qaccel_ref_binary computes them, 8 elements a step
 * through the tile epilogue's arithmetic where double rounding and shifts
 * allow it (TFLite's: inputs' multipliers of at most one half, shift 0 or
 * below, and a negative output shift); otherwise, and for the last
 * elements, the portable kernel.
 */
static void avx2_binary(const struct qaccel_cmd_binary *c, const s8 *a, u32 sa,
			const s8 *b, u32 sb, s8 *out, u32 n)
{
	bool mul = c->hdr.opcode == QACCEL_OP_MUL;
	s32 m2 = c->hdr.opcode == QACCEL_OP_SUB ? -c->input2_qmul.multiplier :
		 c->input2_qmul.multiplier;
	const __m256i z1 = _mm256_set1_epi32(c->input1.zero_point);
	const __m256i z2 = _mm256_set1_epi32(c->input2.zero_point);
	const __m256i zp = _mm256_set1_epi32(c->output.zero_point);
	const __m256i lo = _mm256_set1_epi8((char)c->clamp.min);
	const __m256i hi = _mm256_set1_epi8((char)c->clamp.max);
	const __m128i ls = _mm_cvtsi32_si128((int)c->left_shift);
	struct rq8 r1, r2, ro;
	int k1 = 0, k2 = 0, ko = 0;
	u32 i = 0;

	if (c->rounding == QACCEL_ROUND_DOUBLE) {
		ko = rq8_scalar(&ro, c->output_qmul.multiplier, c->output_qmul.shift);
		k1 = mul ? 32 : rq8_scalar(&r1, c->input1_qmul.multiplier, c->input1_qmul.shift);
		k2 = mul ? 32 : rq8_scalar(&r2, m2, c->input2_qmul.shift);
	}
	/* The output's shift negative: its results fit in +-(2^30 + 1). */
	for (; ko == 32 && k1 && k2 && i + 8 <= n; i += 8) {
		__m256i x = _mm256_sub_epi32(load8(a + i * sa, sa), z1);
		__m256i y = _mm256_sub_epi32(load8(b + i * sb, sb), z2);
		__m256i v;

		if (mul) {
			v = rq8_apply_x(_mm256_mullo_epi32(x, y), &ro, false, true);
		} else {
			__m256i s1 = rq8_mul(_mm256_sll_epi32(x, ls), &r1, k1);
			__m256i s2 = rq8_mul(_mm256_sll_epi32(y, ls), &r2, k2);

			v = rq8_apply_x(_mm256_add_epi32(s1, s2), &ro, false, true);
		}
		/* + zp, saturating packs, the clamp on bytes. */
		v = _mm256_add_epi32(v, zp);
		v = pack4(v, v, v, v, lo, hi, true);
		_mm_storel_epi64((__m128i *)(out + i), _mm256_castsi256_si128(v));
	}
	if (i < n)
		vec_binary(c, a + i * sa, sa, b + i * sb, sb, out + i, n - i);
}

const struct cpu_isa cpu_isa_avx2 = {
	.name = "avx2",
	.level = CPU_ISA_AVX2,
	.mr = X_MR, .nr = X_NR, .ku = 2, .a_size = 2, .b_size = 2, .a_xor = 0,
	.gemm = avx2_gemm,
	.pack_a = avx2_pack_a,
	.requant_row = avx2_requant_row,
	.tile_out = avx2_tile_out,
	.dw_row = avx2_dw_row,
	.max_row = vec_max_row,
	.sum_row = vec_sum_row,
	.binary = avx2_binary,
	.lut = vec_lut,
};
