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
 * Depthwise rows with vpmaddwd: two taps at a time, their int16 values
 * interleaved channel by channel (vpunpck{l,h}wd within 128-bit lanes)
 * against weights interleaved alike once per block of 16 channels; the two
 * accumulators hold channels {0-3, 8-11} and {4-7, 12-15} and are put back
 * in order by lane. Fewer than 16 channels: the portable row kernel.
 */
static void avx2_dw_row(const s8 *const *x, const s8 *const *w, u32 taps, u32 npix,
			u32 n, const struct cpu_rq *rq, s8 *out)
{
	__m256i wl[CPU_DW_MAX_TAPS / 2], wh[CPU_DW_MAX_TAPS / 2];
	u32 pairs = (taps + 1) / 2;

	if (n < 16) {
		vec_dw_row(x, w, taps, npix, n, rq, out);
		return;
	}
	for (u32 cb = 0; cb < n; cb += 16) {
		/* The last block ends at n, recomputing a few channels alike. */
		u32 c = cb + 16 > n ? n - 16 : cb;

		for (u32 i = 0; i < pairs; i++) {
			__m256i w0 = widen16(w[2 * i] + c);
			__m256i w1 = 2 * i + 1 < taps ? widen16(w[2 * i + 1] + c) :
				     _mm256_setzero_si256();

			wl[i] = _mm256_unpacklo_epi16(w0, w1);
			wh[i] = _mm256_unpackhi_epi16(w0, w1);
		}
		for (u32 p = 0; p < npix; p++) {
			const s8 *const *xp = x + (size_t)p * taps;
			__m256i al = _mm256_setzero_si256(), ah = al, lo, hi;
			vi v0, v1;

			for (u32 i = 0; i < pairs; i++) {
				/* An odd last tap pairs with itself against zero weights. */
				u32 t1 = 2 * i + 1 < taps ? 2 * i + 1 : 2 * i;
				__m256i x0 = widen16(xp[2 * i] + c), x1 = widen16(xp[t1] + c);

				al = _mm256_add_epi32(al, _mm256_madd_epi16(
						_mm256_unpacklo_epi16(x0, x1), wl[i]));
				ah = _mm256_add_epi32(ah, _mm256_madd_epi16(
						_mm256_unpackhi_epi16(x0, x1), wh[i]));
			}
			lo = _mm256_permute2x128_si256(al, ah, 0x20);
			hi = _mm256_permute2x128_si256(al, ah, 0x31);
			memcpy(&v0, &lo, sizeof(v0));
			memcpy(&v1, &hi, sizeof(v1));
			vec_requant_store(v0, rq, c, out + (size_t)p * n);
			vec_requant_store(v1, rq, c + 8, out + (size_t)p * n);
		}
	}
}

const struct cpu_isa cpu_isa_avx2 = {
	.name = "avx2",
	.level = CPU_ISA_AVX2,
	.mr = X_MR, .nr = X_NR, .ku = 2, .a_size = 2, .b_size = 2, .a_xor = 0,
	.gemm = avx2_gemm,
	.pack_a = avx2_pack_a,
	.requant_row = vec_requant_row,
	.dw_row = avx2_dw_row,
	CPU_VEC_ROW_KERNELS,
	.lut = vec_lut,
};
