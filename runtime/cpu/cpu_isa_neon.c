// SPDX-License-Identifier: MIT
/*
 * AArch64 Advanced SIMD without the dot product: int8 sign-extended to
 * int16 at packing time; smlal/smlal2 by lane (one k at a time) into an
 * 8 x 8 tile of 16 int32x4 accumulators.
 */
#include <arm_neon.h>

#include "cpu_vec.h"

#define N_MR 8
#define N_NR 8

static void neon_gemm(u32 kg, const void *a, const void *b, s32 *c)
{
	const s16 *pa = a, *pb = b;
	int32x4_t acc[N_MR][2];

	for (int r = 0; r < N_MR; r++)
		acc[r][0] = acc[r][1] = vdupq_n_s32(0);
	for (u32 k = 0; k < kg; k++, pa += N_MR, pb += N_NR) {
		int16x8_t x = vld1q_s16(pa), w = vld1q_s16(pb);
		int16x4_t wl = vget_low_s16(w);

#define ROW(r) \
		acc[r][0] = vmlal_laneq_s16(acc[r][0], wl, x, r); \
		acc[r][1] = vmlal_high_laneq_s16(acc[r][1], w, x, r)
		ROW(0); ROW(1); ROW(2); ROW(3); ROW(4); ROW(5); ROW(6); ROW(7);
#undef ROW
	}
	for (int r = 0; r < N_MR; r++) {
		vst1q_s32(c + r * N_NR, acc[r][0]);
		vst1q_s32(c + r * N_NR + 4, acc[r][1]);
	}
}

const struct cpu_isa cpu_isa_neon = {
	.name = "neon",
	.level = CPU_ISA_NEON,
	.mr = N_MR, .nr = N_NR, .ku = 1, .a_size = 2, .b_size = 2, .a_xor = 0,
	.gemm = neon_gemm,
	.pack_a = cpu_pack_rows,
	.requant_row = vec_requant_row,
	.dw_row = vec_dw_row,
	CPU_VEC_ROW_KERNELS,
};
