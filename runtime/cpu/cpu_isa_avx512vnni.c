// SPDX-License-Identifier: MIT
/*
 * x86-64 AVX-512 VNNI (built with -mavx512f -mavx512bw -mavx512vl
 * -mavx512vnni): vpdpbusd multiplies unsigned by signed bytes and sums
 * four products into each int32 lane, exactly. Activations are packed as
 * x + 128 (x ^ 0x80), weights as they are; the extra 128 * sum(w) leaves
 * through the per-channel offset. 8 x 32 tile: 16 zmm accumulators.
 */
#include <immintrin.h>

/* 16 int32 lanes: the row kernels use whole zmm registers. */
#define VL 16
#define CPU_OWN_REQUANT
#define CPU_TILE_OUT vnni_tile_out
#include "cpu_vec.h"

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

	for (u32 g = 0; g < full; g++) {
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

/*
 * Requantization of 8 lanes in 64-bit arithmetic (struct cpu_rq's 64-bit
 * form): the product stays whole, both roundings become one add and one
 * arithmetic shift, and the clamp happens before any narrowing.
 */
static inline __m512i rq64(__m512i p, __m512i m, __m512i c, __m512i d, __m512i s)
{
	const __m512i neg = _mm512_set1_epi64(-(1LL << 30));

	p = _mm512_mul_epi32(p, m);
	c = _mm512_mask_sub_epi64(c, _mm512_cmplt_epi64_mask(p, neg), c, d);
	return _mm512_srav_epi64(_mm512_add_epi64(p, c), s);
}

static inline void requant8(__m256i x32, const struct cpu_rq *rq, u32 o, s8 *out,
			    __mmask8 k)
{
	__m512i r = rq64(_mm512_cvtepi32_epi64(x32), _mm512_maskz_loadu_epi64(k, rq->m64 + o),
			 _mm512_maskz_loadu_epi64(k, rq->c64 + o),
			 _mm512_maskz_loadu_epi64(k, rq->d64 + o),
			 _mm512_maskz_loadu_epi64(k, rq->s64 + o));

	/* clamp(r + zp, min, max) without overflow: clamp r first. */
	r = _mm512_max_epi64(r, _mm512_set1_epi64((s64)rq->min - rq->zero_point));
	r = _mm512_min_epi64(r, _mm512_set1_epi64((s64)rq->max - rq->zero_point));
	r = _mm512_add_epi64(r, _mm512_set1_epi64(rq->zero_point));
	_mm512_mask_cvtepi64_storeu_epi8(out + o, k, r);
}

/* Lanes in k of channels o..o+15: offset, left shift, then requant8 twice. */
static inline void requant16(__m512i acc, const struct cpu_rq *rq, u32 o, s8 *out,
			     __mmask16 k)
{
	__m512i v = _mm512_add_epi32(acc, _mm512_maskz_loadu_epi32(k, rq->off + o));

	if (rq->lshift_any)
		v = _mm512_sllv_epi32(v, _mm512_maskz_loadu_epi32(k, rq->lshift + o));
	requant8(_mm512_castsi512_si256(v), rq, o, out, (__mmask8)k);
	requant8(_mm512_extracti64x4_epi64(v, 1), rq, o + 8, out, (__mmask8)(k >> 8));
}

static inline void vec_requant_store(vi v, const struct cpu_rq *rq, u32 o, s8 *out)
{
	__m512i x;

	memcpy(&x, &v, sizeof(x));
	requant16(x, rq, o, out, 0xffff);
}

/* The whole row in 16-lane steps; the tail through masks, not scalars. */
static void vnni_requant_row(const s32 *acc, u32 n, const struct cpu_rq *rq, s8 *out)
{
	for (u32 i = 0; i < n; i += 16) {
		__mmask16 k = n - i >= 16 ? 0xffff : (__mmask16)((1u << (n - i)) - 1);

		requant16(_mm512_maskz_loadu_epi32(k, acc + i), rq, i, out, k);
	}
}

/*
 * The tile's epilogue: per group of 8 columns the parameters are loaded
 * once, then each row is requantized as requant8() does.
 */
static_assert(2 * VL == V_NR, "depthwise blocks are tiles of V_NR columns");

static void vnni_tile_out(const s32 *tile, u32 rows, u32 cols, const struct cpu_rq *rq,
			  s8 *out, size_t ldo)
{
	const __m512i lo = _mm512_set1_epi64((s64)rq->min - rq->zero_point);
	const __m512i hi = _mm512_set1_epi64((s64)rq->max - rq->zero_point);
	const __m512i zp = _mm512_set1_epi64(rq->zero_point);

	for (u32 g = 0; g < cols; g += 8) {
		__mmask8 k = cols - g >= 8 ? 0xff : (__mmask8)((1u << (cols - g)) - 1);
		__m512i m = _mm512_maskz_loadu_epi64(k, rq->m64 + g);
		__m512i c = _mm512_maskz_loadu_epi64(k, rq->c64 + g);
		__m512i d = _mm512_maskz_loadu_epi64(k, rq->d64 + g);
		__m512i s = _mm512_maskz_loadu_epi64(k, rq->s64 + g);
		__m256i off = _mm256_maskz_loadu_epi32(k, rq->off + g);
		__m256i ls = _mm256_maskz_loadu_epi32(k, rq->lshift + g);

		for (u32 r = 0; r < rows; r++) {
			__m256i x = _mm256_add_epi32(_mm256_loadu_si256((const __m256i *)
							(tile + r * V_NR + g)), off);
			__m512i t;

			if (rq->lshift_any)
				x = _mm256_sllv_epi32(x, ls);
			t = rq64(_mm512_cvtepi32_epi64(x), m, c, d, s);
			t = _mm512_add_epi64(_mm512_min_epi64(_mm512_max_epi64(t, lo), hi), zp);
			_mm512_mask_cvtepi64_storeu_epi8(out + r * ldo + g, k, t);
		}
	}
}

/* 32 int8 channels widened to int16. */
static inline __m512i widen32(const s8 *p)
{
	return _mm512_cvtepi8_epi16(_mm256_loadu_si256((const __m256i *)p));
}

/*
 * Depthwise rows with vpdpwssd: two taps at a time, their int16 values
 * interleaved channel by channel (vpunpck{l,h}wd, within 128-bit lanes),
 * against weights interleaved the same way once per block of 32 channels.
 * The two accumulators then hold channels {8k..8k+3} and {8k+4..8k+7} of
 * each lane k; one permutation puts them back in order.
 */
static void vnni_dw_row(const s8 *const *x, const s8 *const *w, u32 taps, u32 npix,
			u32 n, const struct cpu_rq *rq, s8 *out)
{
	const __m512i idx0 = _mm512_setr_epi32(0, 1, 2, 3, 16, 17, 18, 19,
					       4, 5, 6, 7, 20, 21, 22, 23);
	const __m512i idx1 = _mm512_setr_epi32(8, 9, 10, 11, 24, 25, 26, 27,
					       12, 13, 14, 15, 28, 29, 30, 31);
	__m512i wl[CPU_DW_MAX_TAPS / 2], wh[CPU_DW_MAX_TAPS / 2];
	s32 tile[CPU_DW_PIX_BLOCK][V_NR];
	u32 pairs = (taps + 1) / 2;

	if (n < V_NR) {
		vec_dw_row(x, w, taps, npix, n, rq, out);
		return;
	}
	for (u32 cb = 0; cb < n; cb += V_NR) {
		/* The last block ends at n, recomputing a few channels alike. */
		u32 c = cb + V_NR > n ? n - V_NR : cb;
		struct cpu_rq rc = cpu_rq_at(rq, c);

		for (u32 i = 0; i < pairs; i++) {
			__m512i w0 = widen32(w[2 * i] + c);
			__m512i w1 = 2 * i + 1 < taps ? widen32(w[2 * i + 1] + c) :
				     _mm512_setzero_si512();

			wl[i] = _mm512_unpacklo_epi16(w0, w1);
			wh[i] = _mm512_unpackhi_epi16(w0, w1);
		}
		for (u32 p = 0; p < npix; p++) {
			const s8 *const *xp = x + (size_t)p * taps;
			__m512i al = _mm512_setzero_si512(), ah = al;
			s32 *row = tile[p % CPU_DW_PIX_BLOCK];

			for (u32 i = 0; i < pairs; i++) {
				__m512i x0 = widen32(xp[2 * i] + c);
				/* An odd last tap pairs with itself against zero weights. */
				__m512i x1 = widen32(xp[2 * i + 1 < taps ? 2 * i + 1 : 2 * i] + c);

				al = _mm512_dpwssd_epi32(al, _mm512_unpacklo_epi16(x0, x1), wl[i]);
				ah = _mm512_dpwssd_epi32(ah, _mm512_unpackhi_epi16(x0, x1), wh[i]);
			}
			_mm512_storeu_si512(row, _mm512_permutex2var_epi32(al, idx0, ah));
			_mm512_storeu_si512(row + 16, _mm512_permutex2var_epi32(al, idx1, ah));
			if (p % CPU_DW_PIX_BLOCK == CPU_DW_PIX_BLOCK - 1 || p == npix - 1) {
				u32 p0 = p - p % CPU_DW_PIX_BLOCK;

				vnni_tile_out(tile[0], p - p0 + 1, V_NR, &rc,
					      out + (size_t)p0 * n + c, n);
			}
		}
	}
}

const struct cpu_isa cpu_isa_avx512vnni = {
	.name = "avx512vnni",
	.level = CPU_ISA_AVX512VNNI,
	.mr = V_MR, .nr = V_NR, .ku = 4, .a_size = 1, .b_size = 1, .a_xor = 0x80,
	.pack_a = vnni_pack_a,
	.gemm = vnni_gemm,
	.requant_row = vnni_requant_row,
	.tile_out = vnni_tile_out,
	CPU_VEC_ROW_KERNELS,
	.dw_row = vnni_dw_row,
};
