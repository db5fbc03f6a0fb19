// SPDX-License-Identifier: MIT
/*
 * AArch64 with the dot-product extension (built with
 * -march=armv8.2-a+dotprod): sdot by lane sums four int8 products into each
 * int32 lane, exactly. 8 x 8 tile, 16 int32x4 accumulators; a 16-byte load
 * holds 4 k values of 4 rows (activations) or of 4 columns (weights).
 */
#include <arm_neon.h>

/* The requantization: sqrdmulh and srshl (cpu_neon_requant.h). */
#define CPU_OWN_REQUANT
#include "cpu_vec.h"
#include "cpu_neon_requant.h"

#define S_MR 8
#define S_NR 8

static void sdot_gemm(u32 kg, const void *a, const void *b, s32 *c)
{
	const s8 *pa = a, *pb = b;
	int32x4_t acc[S_MR][2];

	for (int r = 0; r < S_MR; r++)
		acc[r][0] = acc[r][1] = vdupq_n_s32(0);
	for (u32 g = 0; g < kg; g++, pa += 4 * S_MR, pb += 4 * S_NR) {
		int8x16_t x0 = vld1q_s8(pa), x1 = vld1q_s8(pa + 16);
		int8x16_t w0 = vld1q_s8(pb), w1 = vld1q_s8(pb + 16);

#define ROW(r, x, l) \
		acc[r][0] = vdotq_laneq_s32(acc[r][0], w0, x, l); \
		acc[r][1] = vdotq_laneq_s32(acc[r][1], w1, x, l)
		ROW(0, x0, 0); ROW(1, x0, 1); ROW(2, x0, 2); ROW(3, x0, 3);
		ROW(4, x1, 0); ROW(5, x1, 1); ROW(6, x1, 2); ROW(7, x1, 3);
#undef ROW
	}
	for (int r = 0; r < S_MR; r++) {
		vst1q_s32(c + r * S_NR, acc[r][0]);
		vst1q_s32(c + r * S_NR + 4, acc[r][1]);
	}
}

const struct cpu_isa cpu_isa_sdot = {
	.name = "sdot",
	.level = CPU_ISA_SDOT,
	.mr = S_MR, .nr = S_NR, .ku = 4, .a_size = 1, .b_size = 1, .a_xor = 0,
	.gemm = sdot_gemm,
	.pack_a = cpu_pack_rows,
	.pack_a_at = cpu_pack_at,
	.requant_row = vec_requant_row,
	.dw_row = vec_dw_row,
	CPU_VEC_ROW_KERNELS,
	.lut = cpu_neon_lut,	/* cpu_isa_neon.c */
};
