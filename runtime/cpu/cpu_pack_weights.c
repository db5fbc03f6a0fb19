// SPDX-License-Identifier: MIT
/*
 * Weights [n][k] into a level's B panels ([n / nr][kg][nr][ku] elements of
 * b_size bytes, struct cpu_isa) and their per-channel sums, once per
 * filter at load time (or per submit for unsealed buffers). One row at a
 * time: a row's groups of ku values are ku contiguous bytes apart in the
 * source and land nr * ku elements apart in its panel, so each group is
 * one small copy at a running offset; nothing is divided per element.
 */
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "cpu.h"

/*
 * Sum of a row: as unsigned bytes x + 128, 16 at a time with psadbw where
 * there is SSE2 (the compiler's own vectorization of the plain loop
 * widens 4 bytes at a time), less 128 k.
 */
static s32 row_sum(const s8 *row, u32 k)
{
	u32 s = 0, i = 0;

#if defined(__SSE2__)
	const __m128i bias = _mm_set1_epi8((char)0x80), zero = _mm_setzero_si128();
	__m128i acc = zero;

	for (; i + 16 <= k; i += 16) {
		__m128i v = _mm_xor_si128(_mm_loadu_si128((const __m128i *)(row + i)), bias);

		acc = _mm_add_epi64(acc, _mm_sad_epu8(v, zero));
	}
	s = (u32)_mm_cvtsi128_si32(acc) + (u32)_mm_cvtsi128_si32(_mm_unpackhi_epi64(acc, acc));
#endif
	for (; i < k; i++)
		s += (u8)(row[i] ^ 0x80);
	return (s32)(s - 128 * k);
}

/*
 * len values of src to packed k positions kq.. of one channel's column:
 * col is the channel's first element in its panel, gs the bytes between
 * groups. Positions before the first whole group, and after the last,
 * go one by one.
 */
static void pack_run(const struct cpu_isa *isa, const s8 *src, u32 len, u32 kq,
		     u8 *col, size_t gs)
{
	u32 ku = isa->ku, u = kq % ku, i = 0;
	u8 *dst = col + (size_t)(kq / ku) * gs;

	/* A run that starts inside a group (not for the callers' runp). */
	for (; u && u < ku && i < len; u++, i++) {
		if (isa->b_size == 2)
			((s16 *)dst)[u] = src[i];
		else
			dst[u] = (u8)src[i];
	}
	if (u)
		dst += gs;
	if (isa->b_size == 1 && ku == 4) {
		for (; i + 4 <= len; i += 4, dst += gs)
			memcpy(dst, src + i, 4);
	} else if (isa->b_size == 2 && ku == 2) {
		for (; i + 2 <= len; i += 2, dst += gs) {
			s16 v[2] = { src[i], src[i + 1] };

			memcpy(dst, v, sizeof(v));
		}
	} else if (isa->b_size == 2 && ku == 1) {
		for (; i < len; i++, dst += gs) {
			s16 v = src[i];

			memcpy(dst, &v, sizeof(v));
		}
	} else {
		for (; i + ku <= len; i += ku, dst += gs)
			for (u32 t = 0; t < ku; t++) {
				if (isa->b_size == 2)
					((s16 *)dst)[t] = src[i + t];
				else
					dst[t] = (u8)src[i + t];
			}
	}
	/* The last, partial group; the rest of it stays zero. */
	for (u32 t = 0; i < len; i++, t++) {
		if (isa->b_size == 2)
			((s16 *)dst)[t] = src[i];
		else
			dst[t] = (u8)src[i];
	}
}

/**
 * cpu_pack_weights() - a filter into the level's panels, and its sums
 * @isa: the level (nr, ku, b_size)
 * @w: weights, n rows of k
 * @n: output channels
 * @k: values per channel
 * @run: every run of run values of a row (run divides k)...
 * @runp: ...starts a multiple of runp on in the packed k, zeros between
 *	  (an image's padded window rows, cpu_conv_image.c); run = runp = k
 *	  packs k as it is
 * @out: n / nr panels (rounded up) of kg = ceil(k / run * runp / ku) groups
 * @wsum: n sums of weights
 */
void cpu_pack_weights(const struct cpu_isa *isa, const s8 *w, u32 n, u32 k, u32 run,
		      u32 runp, u8 *out, s32 *wsum)
{
	u32 nr = isa->nr, ku = isa->ku, runs = k / run;
	u32 kg = (runs * runp + ku - 1) / ku, panels = (n + nr - 1) / nr;
	size_t es = isa->b_size, gs = (size_t)nr * ku * es, pb = gs * kg;

	memset(out, 0, pb * panels);
	if (isa->pack_b4 && es == 1 && ku == 4 && runp % 4 == 0) {
		for (u32 p = 0; p < panels; p++) {
			u32 rows = n - p * nr < nr ? n - p * nr : nr;
			const s8 *src = w + (size_t)p * nr * k;

			for (u32 r = 0; r < runs; r++) {
				u8 *dst = out + pb * p + (size_t)r * runp / 4 * gs;

				isa->pack_b4(src + (size_t)r * run, k, rows, run / 4, dst);
				/* A run's partial last group, row by row. */
				for (u32 c = 0; c < rows && run % 4; c++)
					pack_run(isa, src + (size_t)c * k + (size_t)r * run + run / 4 * 4,
						 run % 4, 0, dst + run / 4 * gs + 4 * c, gs);
			}
			for (u32 c = 0; c < rows; c++)
				wsum[p * nr + c] = row_sum(src + (size_t)c * k, k);
		}
		return;
	}
	for (u32 p = 0, j = 0; p < panels; p++)
		for (u32 c = 0; c < nr && j < n; c++, j++) {
			const s8 *row = w + (size_t)j * k;
			u8 *col = out + pb * p + c * ku * es;

			for (u32 r = 0; r < runs; r++)
				pack_run(isa, row + (size_t)r * run, run, r * runp, col, gs);
			wsum[j] = row_sum(row, k);
		}
}
