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

#include "cpu.h"

/*
 * Sum of a row, as unsigned bytes x + 128 less 128 k: zero-extending
 * vectorizes into fewer instructions than sign-extending on plain x86-64.
 */
static s32 row_sum(const s8 *row, u32 k)
{
	u32 s = 0;

	for (u32 i = 0; i < k; i++)
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
	for (u32 p = 0, j = 0; p < panels; p++)
		for (u32 c = 0; c < nr && j < n; c++, j++) {
			const s8 *row = w + (size_t)j * k;
			u8 *col = out + pb * p + c * ku * es;

			for (u32 r = 0; r < runs; r++)
				pack_run(isa, row + (size_t)r * run, run, r * runp, col, gs);
			wsum[j] = row_sum(row, k);
		}
}
