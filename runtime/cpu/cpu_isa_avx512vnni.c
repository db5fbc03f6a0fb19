// SPDX-License-Identifier: MIT
/*
 * x86-64 AVX-512 VNNI (built with -mavx512f -mavx512bw -mavx512dq
 * -mavx512vl -mavx512vnni; VBMI used for LUT where the CPU has it):
 * vpdpbusd multiplies unsigned by signed bytes and sums
 * four products into each int32 lane, exactly. Activations are packed as
 * x + 128 (x ^ 0x80), weights as they are; the extra 128 * sum(w) leaves
 * through the per-channel offset. 8 x 32 tile: 16 zmm accumulators.
 */
#include <immintrin.h>

/* 16 int32 lanes: the row kernels use whole zmm registers. */
#define VL 16
#define CPU_OWN_REQUANT
#define CPU_OWN_BINARY		/* cpu_binary_avx512vnni.c */
#define CPU_TILE_OUT vnni_tile_out
#include "cpu_vec.h"
#include "cpu_vnni_rq16.h"

#define V_MR 8
#define V_NR 32

/*
 * The A tile by gathers: each group of 4 k values of the 8 rows is one
 * masked vpgatherdd (rows past valid read nothing and pack as zeros), then
 * XORed into x + 128. A partial last group goes through the portable code.
 */
static void vnni_pack_a(const struct cpu_isa *isa, const s8 *base, size_t stride,
			u32 valid, u32 k, u32 kg, void *out)
{
	const __m256i flip = _mm256_set1_epi32((int)0x80808080u);
	__m256i idx = _mm256_mullo_epi32(_mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7),
					 _mm256_set1_epi32((int)stride));
	__mmask8 m = (__mmask8)((1u << valid) - 1);
	u32 full = k / 4;
	u8 *o = out;

	u32 g = 0;

	/*
	 * One row (a fully connected layer's): 16 groups a load, each pair
	 * of groups put in place, the other rows zero, by one permutation.
	 */
	for (; valid == 1 && g + 16 <= full; g += 16) {
		__m512i v = _mm512_xor_si512(_mm512_loadu_si512(base + 4 * g),
					     _mm512_set1_epi32((int)0x80808080u));

		/* Dword 0 of the output takes group 2p, dword 8 group 2p + 1. */
		__m512i idx2 = _mm512_setr_epi32(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1);

		for (int p = 0; p < 8; p++, idx2 = _mm512_add_epi32(idx2, _mm512_set1_epi32(2)))
			_mm512_storeu_si512(o + 32 * (g + 2 * p),
					    _mm512_maskz_permutexvar_epi32(0x0101, idx2, v));
	}
	for (; g < full; g++) {
		__m256i v = _mm256_mmask_i32gather_epi32(_mm256_setzero_si256(), m, idx,
							 base + 4 * g, 1);

		v = _mm256_mask_xor_epi32(v, m, v, flip);
		_mm256_storeu_si256((__m256i *)(o + 32 * g), v);
	}
	if (full < kg) {
		/* The last group alone, through the portable packing. */
		u8 t[4 * V_MR * 2];
		const s8 *tail = base + 4 * full;

		cpu_pack_rows(isa, tail, stride, valid, k - 4 * full, 1, t);
		memcpy(o + 32 * full, t, 4 * V_MR);
	}
}

/*
 * The tile with each row's 4 bytes of a group broadcast straight from the
 * image (stored as x + 128), instead of gathered into an A tile first.
 */
static inline __attribute__((always_inline)) void
gemm_at_cols(u32 kg, const s8 *base, const s32 *rows, const s32 *goff, const void *b,
	     s32 *c, int halves, int nrows)
{
	const s8 *pb = b;
	const s8 *rp[V_MR];
	__m512i acc[V_MR][2];

	for (int r = 0; r < nrows; r++) {
		rp[r] = base + rows[r];
		acc[r][0] = acc[r][1] = _mm512_setzero_si512();
	}
	for (u32 g = 0; g < kg; g++, pb += 4 * V_NR) {
		__m512i b0 = _mm512_loadu_si512(pb);
		__m512i b1 = halves > 1 ? _mm512_loadu_si512(pb + 64) : b0;
		s32 o = goff[g];

		for (int r = 0; r < nrows; r++) {
			int32_t w;
			__m512i x;

			memcpy(&w, rp[r] + o, 4);
			x = _mm512_set1_epi32(w);
			acc[r][0] = _mm512_dpbusd_epi32(acc[r][0], x, b0);
			if (halves > 1)
				acc[r][1] = _mm512_dpbusd_epi32(acc[r][1], x, b1);
		}
	}
	for (int r = 0; r < nrows; r++) {
		_mm512_storeu_si512(c + r * V_NR, acc[r][0]);
		if (halves > 1)
			_mm512_storeu_si512(c + r * V_NR + 16, acc[r][1]);
	}
}

/* A last tile of at most 4 rows computes only those. */
static void vnni_gemm_at(u32 kg, const s8 *base, const s32 *rows, const s32 *goff,
			 const void *b, s32 *c, bool half, u32 valid)
{
	if (valid <= V_MR / 2)
		gemm_at_cols(kg, base, rows, goff, b, c, half ? 1 : 2, V_MR / 2);
	else if (half)
		gemm_at_cols(kg, base, rows, goff, b, c, 1, V_MR);
	else
		gemm_at_cols(kg, base, rows, goff, b, c, 2, V_MR);
}

static void vnni_gemm(u32 kg, const void *a, const void *b, s32 *c)
{
	const u8 *pa = a;
	const s8 *pb = b;
	__m512i acc[V_MR][2];

	for (int r = 0; r < V_MR; r++)
		acc[r][0] = acc[r][1] = _mm512_setzero_si512();
	for (u32 g = 0; g < kg; g++, pa += 4 * V_MR, pb += 4 * V_NR) {
		__m512i b0 = _mm512_loadu_si512(pb);
		__m512i b1 = _mm512_loadu_si512(pb + 64);

		for (int r = 0; r < V_MR; r++) {
			int32_t w;
			__m512i x;

			memcpy(&w, pa + 4 * r, 4);
			x = _mm512_set1_epi32(w);
			acc[r][0] = _mm512_dpbusd_epi32(acc[r][0], x, b0);
			acc[r][1] = _mm512_dpbusd_epi32(acc[r][1], x, b1);
		}
	}
	for (int r = 0; r < V_MR; r++) {
		_mm512_storeu_si512(c + r * V_NR, acc[r][0]);
		_mm512_storeu_si512(c + r * V_NR + 16, acc[r][1]);
	}
}

/* Columns 0-15 only: the upper half of the panel holds no channel. */
static void vnni_gemm_half(u32 kg, const void *a, const void *b, s32 *c)
{
	const u8 *pa = a;
	const s8 *pb = b;
	__m512i acc[V_MR];

	for (int r = 0; r < V_MR; r++)
		acc[r] = _mm512_setzero_si512();
	for (u32 g = 0; g < kg; g++, pa += 4 * V_MR, pb += 4 * V_NR) {
		__m512i b0 = _mm512_loadu_si512(pb);

		for (int r = 0; r < V_MR; r++) {
			int32_t w;

			memcpy(&w, pa + 4 * r, 4);
			acc[r] = _mm512_dpbusd_epi32(acc[r], _mm512_set1_epi32(w), b0);
		}
	}
	for (int r = 0; r < V_MR; r++)
		_mm512_storeu_si512(c + r * V_NR, acc[r]);
}

/*
 * Row 0 only (a fully connected layer on one input row): four
 * accumulator chains over alternate groups instead of eight rows' worth
 * of products.
 */
static void vnni_gemm_row1(u32 kg, const void *a, const void *b, s32 *c)
{
	const u8 *pa = a;
	const s8 *pb = b;
	__m512i a0 = _mm512_setzero_si512(), a1 = a0, b0 = a0, b1 = a0;
	u32 g = 0;

	for (; g + 1 < kg; g += 2, pa += 8 * V_MR, pb += 8 * V_NR) {
		int32_t w0, w1;

		memcpy(&w0, pa, 4);
		memcpy(&w1, pa + 4 * V_MR, 4);
		a0 = _mm512_dpbusd_epi32(a0, _mm512_set1_epi32(w0), _mm512_loadu_si512(pb));
		a1 = _mm512_dpbusd_epi32(a1, _mm512_set1_epi32(w0), _mm512_loadu_si512(pb + 64));
		b0 = _mm512_dpbusd_epi32(b0, _mm512_set1_epi32(w1),
					 _mm512_loadu_si512(pb + 4 * V_NR));
		b1 = _mm512_dpbusd_epi32(b1, _mm512_set1_epi32(w1),
					 _mm512_loadu_si512(pb + 4 * V_NR + 64));
	}
	if (g < kg) {
		int32_t w0;

		memcpy(&w0, pa, 4);
		a0 = _mm512_dpbusd_epi32(a0, _mm512_set1_epi32(w0), _mm512_loadu_si512(pb));
		a1 = _mm512_dpbusd_epi32(a1, _mm512_set1_epi32(w0), _mm512_loadu_si512(pb + 64));
	}
	_mm512_storeu_si512(c, _mm512_add_epi32(a0, b0));
	_mm512_storeu_si512(c + 16, _mm512_add_epi32(a1, b1));
}

static inline void vec_requant_store(vi v, const struct cpu_rq *rq, u32 o, s8 *out)
{
	struct rq16 q;
	__m512i x;

	memcpy(&x, &v, sizeof(x));
	rq16_load(&q, rq, o, 0xffff);
	rq16_store(x, &q, out + o);
}

/* The whole row in 16-lane steps; the tail through masks, not scalars. */
static void vnni_requant_row(const s32 *acc, u32 n, const struct cpu_rq *rq, s8 *out)
{
	for (u32 i = 0; i < n; i += 16) {
		__mmask16 k = n - i >= 16 ? 0xffff : (__mmask16)((1u << (n - i)) - 1);
		struct rq16 q;

		rq16_load(&q, rq, i, k);
		rq16_store(_mm512_maskz_loadu_epi32(k, acc + i), &q, out + i);
	}
}

/*
 * The tile's epilogue (also the depthwise one): per group of 16 columns
 * the parameters are loaded and split once, then every row is requantized.
 */
static_assert(2 * VL == V_NR, "depthwise blocks are tiles of V_NR columns");

/*
 * At most 8 columns (narrow layers): two rows share a register, the
 * parameters twice over, instead of half-empty registers.
 */
static void tile_out_narrow(const s32 *tile, u32 rows, u32 cols, const struct cpu_rq *rq,
			    s8 *out, size_t ldo)
{
	s32 off[16], ls[16];
	s64 m[16], c[16], d[16], sh[16];
	struct cpu_rq r2 = *rq;
	__mmask16 lo = (__mmask16)((1u << cols) - 1);
	struct rq16 q;
	u32 r = 0;

	for (u32 i = 0; i < 16; i++) {
		u32 j = i % 8 < cols ? i % 8 : 0;

		off[i] = rq->off[j];
		ls[i] = rq->lshift[j];
		m[i] = rq->m64[j];
		c[i] = rq->c64[j];
		d[i] = rq->d64[j];
		sh[i] = rq->s64[j];
	}
	r2.off = off;
	r2.lshift = ls;
	r2.m64 = m;
	r2.c64 = c;
	r2.d64 = d;
	r2.s64 = sh;
	rq16_load(&q, &r2, 0, 0xffff);
	for (; r + 1 < rows; r += 2) {
		__m512i a = _mm512_inserti64x4(
			_mm512_castsi256_si512(_mm256_loadu_si256((const __m256i *)(tile + r * V_NR))),
			_mm256_loadu_si256((const __m256i *)(tile + (r + 1) * V_NR)), 1);
		__m128i b = rq16_apply(a, &q);

		_mm_mask_storeu_epi8(out + r * ldo, lo, b);
		_mm_mask_storeu_epi8(out + (r + 1) * ldo, lo, _mm_unpackhi_epi64(b, b));
	}
	if (r < rows) {
		__m128i b = rq16_apply(_mm512_castsi256_si512(
			_mm256_loadu_si256((const __m256i *)(tile + r * V_NR))), &q);

		_mm_mask_storeu_epi8(out + r * ldo, lo, b);
	}
}

/*
 * Full 32-column tiles whose shifts are all negative (cpu_rq's
 * rshift_all): two rows at a time, the four results + zp narrowed by two
 * saturating packs and put back in order by one permutation, instead of a
 * vpmovsdb per 16 outputs; the clamp runs on 64 bytes. Returns the rows
 * done (an odd last row is left to the caller).
 */
static u32 tile_out_pairs(const s32 *tile, u32 rows, const struct cpu_rq *rq, s8 *out,
			  size_t ldo)
{
	const __m512i order = _mm512_setr_epi32(0, 4, 8, 12, 1, 5, 9, 13,
						2, 6, 10, 14, 3, 7, 11, 15);
	const __m512i lo = _mm512_set1_epi8((char)rq->min), hi = _mm512_set1_epi8((char)rq->max);
	bool full = rq->min == S8_MIN && rq->max == S8_MAX;
	struct rq16 q0, q1;
	u32 r = 0;

	rq16_load(&q0, rq, 0, 0xffff);
	rq16_load(&q1, rq, 16, 0xffff);
	for (; r + 1 < rows; r += 2) {
		const s32 *t = tile + r * V_NR;
		__m512i a0 = rq16_mul(_mm512_add_epi32(_mm512_loadu_si512(t), q0.off), &q0);
		__m512i a1 = rq16_mul(_mm512_add_epi32(_mm512_loadu_si512(t + 16), q1.off), &q1);
		__m512i b0 = rq16_mul(_mm512_add_epi32(_mm512_loadu_si512(t + V_NR), q0.off), &q0);
		__m512i b1 = rq16_mul(_mm512_add_epi32(_mm512_loadu_si512(t + V_NR + 16), q1.off),
				      &q1);
		/* Lane l: a0, a1, b0, b1's dwords l, 4 bytes each. */
		__m512i v = _mm512_packs_epi16(
			_mm512_packs_epi32(_mm512_add_epi32(a0, q0.zp), _mm512_add_epi32(a1, q0.zp)),
			_mm512_packs_epi32(_mm512_add_epi32(b0, q0.zp), _mm512_add_epi32(b1, q0.zp)));

		if (!full)
			v = _mm512_min_epi8(_mm512_max_epi8(v, lo), hi);
		v = _mm512_permutexvar_epi32(order, v);
		_mm256_storeu_si256((__m256i *)(out + r * ldo), _mm512_castsi512_si256(v));
		_mm256_storeu_si256((__m256i *)(out + (r + 1) * ldo),
				    _mm512_extracti64x4_epi64(v, 1));
	}
	return r;
}

/*
 * The short form (struct cpu_rq's f): 16 accumulators, their even lanes
 * in ev's and their odd ones in od's even dwords, to results plus the zero
 * point. The even products' results are the low dwords of their lanes,
 * the odd ones' the high dwords (their shifts are 32 less): one blend
 * puts them together.
 */
struct rqf {
	__m512i m[2], c[2], t[2], s[2];
};

static inline void rqf_load(struct rqf *q, const s64 *f)
{
	for (int h = 0; h < 2; h++) {
		q->m[h] = _mm512_load_si512(f + 8 * h);
		q->c[h] = _mm512_load_si512(f + 16 + 8 * h);
		q->t[h] = _mm512_load_si512(f + 32 + 8 * h);
		q->s[h] = _mm512_load_si512(f + 48 + 8 * h);
	}
}

static inline __m512i rqf_half(__m512i x, const struct rqf *q, int h)
{
	__m512i p = _mm512_mul_epi32(x, q->m[h]);
	__m512i t = _mm512_add_epi64(p, q->c[h]);

	t = _mm512_mask_sub_epi64(t, _mm512_cmplt_epi64_mask(p, q->t[h]), t,
				  _mm512_set1_epi64(1LL << 31));
	return _mm512_srav_epi64(t, q->s[h]);
}

static inline __m512i rqf_apply(__m512i ev, __m512i od, const struct rqf *q)
{
	return _mm512_mask_blend_epi32(0xaaaa, rqf_half(ev, q, 0), rqf_half(od, q, 1));
}

/* 16 accumulators of a tile row from p: the odd ones read one lane on. */
static inline __m512i rqf_row(const s32 *p, const struct rqf *q)
{
	return rqf_apply(_mm512_loadu_si512(p), _mm512_maskz_loadu_epi32(0x7fff, p + 1), q);
}

/* The activation clamp on bytes, or none when it is the whole int8 range. */
struct clamp8 {
	__m512i lo, hi;
	bool any;
};

static inline struct clamp8 clamp8_of(const struct cpu_rq *rq)
{
	return (struct clamp8){ _mm512_set1_epi8((char)rq->min), _mm512_set1_epi8((char)rq->max),
				rq->min != S8_MIN || rq->max != S8_MAX };
}

/* Byte lanes l, 16 + l, 32 + l, 48 + l of four packed results, in order. */
static inline __m512i pack4(__m512i a, __m512i b, __m512i c, __m512i d,
			    const struct clamp8 *cl)
{
	const __m512i order = _mm512_setr_epi32(0, 4, 8, 12, 1, 5, 9, 13,
						2, 6, 10, 14, 3, 7, 11, 15);
	__m512i v = _mm512_packs_epi16(_mm512_packs_epi32(a, b), _mm512_packs_epi32(c, d));

	if (cl->any)
		v = _mm512_min_epi8(_mm512_max_epi8(v, cl->lo), cl->hi);
	return _mm512_permutexvar_epi32(order, v);
}

/* 17 to 32 columns: two rows a step, a row being two groups of 16. */
static void fast_out32(const s32 *tile, u32 rows, u32 cols, const struct rqf *q0,
		       const struct rqf *q1, const struct cpu_rq *rq, s8 *out, size_t ldo)
{
	__mmask32 k = cols == 32 ? ~0u : (1u << cols) - 1;
	const struct clamp8 cl = clamp8_of(rq);

	for (u32 r = 0; r < rows; r += 2) {
		const s32 *a = tile + r * V_NR, *b = r + 1 < rows ? a + V_NR : a;
		__m512i v = pack4(rqf_row(a, q0), rqf_row(a + 16, q1), rqf_row(b, q0),
				  rqf_row(b + 16, q1), &cl);

		_mm256_mask_storeu_epi8(out + r * ldo, k, _mm512_castsi512_si256(v));
		if (r + 1 < rows)
			_mm256_mask_storeu_epi8(out + (r + 1) * ldo, k,
						_mm512_extracti64x4_epi64(v, 1));
	}
}

/* 9 to 16 columns: four rows a step. */
static void fast_out16(const s32 *tile, u32 rows, u32 cols, const struct rqf *q,
		       const struct cpu_rq *rq, s8 *out, size_t ldo)
{
	__mmask16 k = (__mmask16)((1u << cols) - 1);
	const struct clamp8 cl = clamp8_of(rq);

	for (u32 r = 0; r < rows; r += 4) {
		const s32 *p[4];
		__m128i x[4];
		__m512i v;

		for (u32 i = 0; i < 4; i++)
			p[i] = tile + (r + i < rows ? r + i : rows - 1) * V_NR;
		v = pack4(rqf_row(p[0], q), rqf_row(p[1], q), rqf_row(p[2], q),
			  rqf_row(p[3], q), &cl);
		x[0] = _mm512_castsi512_si128(v);
		x[1] = _mm512_extracti32x4_epi32(v, 1);
		x[2] = _mm512_extracti32x4_epi32(v, 2);
		x[3] = _mm512_extracti32x4_epi32(v, 3);
		for (u32 i = 0; i < 4 && r + i < rows; i++)
			_mm_mask_storeu_epi8(out + (r + i) * ldo, k, x[i]);
	}
}

/* Two rows of at most 8 columns in one register, the first then the second. */
static inline __m512i rqf_rows8(const s32 *a, const s32 *b, const struct rqf *q)
{
	__m512i ev = _mm512_inserti64x4(_mm512_castsi256_si512(_mm256_loadu_si256((const void *)a)),
					_mm256_loadu_si256((const void *)b), 1);
	__m512i od = _mm512_inserti64x4(
		_mm512_castsi256_si512(_mm256_loadu_si256((const void *)(a + 1))),
		_mm256_loadu_si256((const void *)(b + 1)), 1);

	return rqf_apply(ev, od, q);
}

/*
 * At most 8 columns: eight rows a step, two to a register, channels 0-7's
 * parameters in both halves. pack4 leaves row i's bytes at 8 i; they go
 * out through a buffer (a store, then a load and a store per row) rather
 * than lane extractions, which would compete with the arithmetic.
 */
static void fast_out8(const s32 *tile, u32 rows, u32 cols, const struct rqf *q16,
		      const struct cpu_rq *rq, s8 *out, size_t ldo)
{
	const struct clamp8 cl = clamp8_of(rq);
	__mmask16 k = (__mmask16)((1u << cols) - 1);
	u8 buf[64] __attribute__((aligned(64)));
	struct rqf q;

	for (int h = 0; h < 2; h++) {
		q.m[h] = _mm512_shuffle_i64x2(q16->m[h], q16->m[h], 0x44);
		q.c[h] = _mm512_shuffle_i64x2(q16->c[h], q16->c[h], 0x44);
		q.t[h] = _mm512_shuffle_i64x2(q16->t[h], q16->t[h], 0x44);
		q.s[h] = _mm512_shuffle_i64x2(q16->s[h], q16->s[h], 0x44);
		/*
		 * Opaque to clang, which would otherwise multiply the shuffled
		 * values by a sign extension and the three-uop vpmullq.
		 */
		__asm__("" : "+v"(q.m[h]));
	}
	for (u32 r = 0; r < rows; r += 8) {
		const s32 *p[8];

		for (u32 i = 0; i < 8; i++)
			p[i] = tile + (r + i < rows ? r + i : rows - 1) * V_NR;
		/*
		 * pack4 takes register j's lanes 4l..4l+3 to 128-bit lane l,
		 * dword j, then reorders: register j's two rows (2j in lanes
		 * 0-7, 2j + 1 in 8-15) end at bytes 16j and 16j + 8.
		 */
		_mm512_store_si512(buf, pack4(rqf_rows8(p[0], p[1], &q), rqf_rows8(p[2], p[3], &q),
					      rqf_rows8(p[4], p[5], &q), rqf_rows8(p[6], p[7], &q),
					      &cl));
		for (u32 i = 0; i < 8 && r + i < rows; i++) {
			if (cols == 8)
				memcpy(out + (r + i) * ldo, buf + 8 * i, 8);
			else
				_mm_mask_storeu_epi8(out + (r + i) * ldo, k,
						     _mm_loadl_epi64((const void *)(buf + 8 * i)));
		}
	}
}

static void vnni_tile_out(const s32 *tile, u32 rows, u32 cols, const struct cpu_rq *rq,
			  s8 *out, size_t ldo)
{
	if (rq->fast && rq->base % 16 == 0) {
		const s64 *f = rq->f + (size_t)rq->base / 16 * 64;
		struct rqf q0, q1;

		rqf_load(&q0, f);
		if (cols > 16) {
			rqf_load(&q1, f + 64);
			fast_out32(tile, rows, cols, &q0, &q1, rq, out, ldo);
		} else if (cols > 8) {
			fast_out16(tile, rows, cols, &q0, rq, out, ldo);
		} else {
			fast_out8(tile, rows, cols, &q0, rq, out, ldo);
		}
		return;
	}
	if (cols <= 8 && rows > 1) {
		tile_out_narrow(tile, rows, cols, rq, out, ldo);
		return;
	}
	if (cols == V_NR && rq->rshift_all && rows > 1) {
		u32 done = tile_out_pairs(tile, rows, rq, out, ldo);

		tile += done * V_NR;
		out += done * ldo;
		rows -= done;
	}
	for (u32 g = 0; g < cols; g += 16) {
		__mmask16 k = cols - g >= 16 ? 0xffff : (__mmask16)((1u << (cols - g)) - 1);
		struct rq16 q;

		rq16_load(&q, rq, g, k);
		for (u32 r = 0; r < rows; r++)
			rq16_store(_mm512_loadu_si512(tile + r * V_NR + g), &q, out + r * ldo + g);
	}
}

/*
 * LUT with vpermi2b (AVX-512 VBMI, where the CPU has it): x's low 7 bits
 * index 128 table bytes in two registers; the sign of x picks which half
 * of the table (entries x + 128).
 */
__attribute__((target("avx512vbmi")))
static void vbmi_lut(const s8 *in, s8 *out, const s8 *table, size_t n)
{
	__m512i t0 = _mm512_loadu_si512(table), t1 = _mm512_loadu_si512(table + 64);
	__m512i t2 = _mm512_loadu_si512(table + 128), t3 = _mm512_loadu_si512(table + 192);

	for (size_t i = 0; i < n; i += 64) {
		__mmask64 k = n - i >= 64 ? ~0ULL : (1ULL << (n - i)) - 1;
		__m512i x = _mm512_maskz_loadu_epi8(k, in + i);
		__m512i neg = _mm512_permutex2var_epi8(t0, x, t1);
		__m512i pos = _mm512_permutex2var_epi8(t2, x, t3);

		_mm512_mask_storeu_epi8(out + i, k,
					_mm512_mask_blend_epi8(_mm512_movepi8_mask(x), pos, neg));
	}
}

static void vnni_lut(const s8 *in, s8 *out, const s8 *table, size_t n)
{
	if (__builtin_cpu_supports("avx512vbmi"))
		vbmi_lut(in, out, table, n);
	else
		vec_lut(in, out, table, n);
}

/*
 * cpu_isa's pack_b4: 16 rows' group g in one gather (one dword from each
 * row), two per group of the 32-channel panel; rows past the filter's
 * last are masked off (not read, and their lanes stay zero).
 */
static void vnni_pack_b4(const s8 *src, size_t k, u32 rows, u32 groups, u8 *dst)
{
	const __m512i idx = _mm512_mullo_epi32(_mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
								 10, 11, 12, 13, 14, 15),
					       _mm512_set1_epi32((int)k));
	__mmask16 m0 = rows >= 16 ? 0xffff : (__mmask16)((1u << rows) - 1);
	__mmask16 m1 = rows >= 32 ? 0xffff : rows > 16 ? (__mmask16)((1u << (rows - 16)) - 1) : 0;
	const __m512i z = _mm512_setzero_si512();

	for (u32 g = 0; g < groups; g++, dst += 4 * V_NR) {
		_mm512_storeu_si512(dst, _mm512_mask_i32gather_epi32(z, m0, idx, src + 4 * g, 1));
		if (m1)
			_mm512_storeu_si512(dst + 64, _mm512_mask_i32gather_epi32(
						      z, m1, idx, src + 16 * k + 4 * g, 1));
	}
}

const struct cpu_isa cpu_isa_avx512vnni = {
	.name = "avx512vnni",
	.level = CPU_ISA_AVX512VNNI,
	.mr = V_MR, .nr = V_NR, .ku = 4, .a_size = 1, .b_size = 1, .a_xor = 0x80,
	.pack_a = vnni_pack_a,
	.pack_b4 = vnni_pack_b4,
	.gemm_at = vnni_gemm_at,
	.gemm = vnni_gemm,
	.gemm_half = vnni_gemm_half,
	.gemm_row1 = vnni_gemm_row1,
	.requant_row = vnni_requant_row,
	.tile_out = vnni_tile_out,
	CPU_VEC_ROW_KERNELS,
	.binary = cpu_vnni_binary,
	.dw_pack_size = cpu_vnni_dw_pack_size,
	.dw_pack = cpu_vnni_dw_pack,
	.dw_scratch = cpu_vnni_dw_scratch,
	.dw_rows = cpu_vnni_dw_rows,
	.lut = vnni_lut,
};
