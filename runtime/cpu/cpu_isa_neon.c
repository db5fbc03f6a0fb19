// SPDX-License-Identifier: MIT
/*
 * AArch64 Advanced SIMD without the dot product: int8 sign-extended to
 * int16 at packing time; smlal/smlal2 by lane (one k at a time) into an
 * 8 x 8 tile of 16 int32x4 accumulators.
 */
#include <arm_neon.h>

/* The requantization: sqrdmulh and srshl (cpu_neon_requant.h). */
#define CPU_OWN_REQUANT
#include "cpu_vec.h"
#include "cpu_neon_requant.h"

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

/*
 * LUT with tbl/tbx on the 256-entry table as four 64-byte pieces: an index
 * out of a piece's range leaves the lane alone (tbx), so four lookups at
 * x + 128, minus 0, 64, 128 and 192, pick the one entry.
 */
void cpu_neon_lut(const s8 *in, s8 *out, const s8 *table, size_t n)
{
	const u8 *t = (const u8 *)table;
	uint8x16x4_t t0 = vld1q_u8_x4(t), t1 = vld1q_u8_x4(t + 64);
	uint8x16x4_t t2 = vld1q_u8_x4(t + 128), t3 = vld1q_u8_x4(t + 192);
	const uint8x16_t flip = vdupq_n_u8(0x80), step = vdupq_n_u8(64);
	size_t i = 0;

	for (; i + 16 <= n; i += 16) {
		uint8x16_t u = veorq_u8(vld1q_u8((const u8 *)in + i), flip);
		uint8x16_t r = vqtbl4q_u8(t0, u);

		u = vsubq_u8(u, step);
		r = vqtbx4q_u8(r, t1, u);
		u = vsubq_u8(u, step);
		r = vqtbx4q_u8(r, t2, u);
		u = vsubq_u8(u, step);
		r = vqtbx4q_u8(r, t3, u);
		vst1q_u8((u8 *)out + i, r);
	}
	for (; i < n; i++)
		out[i] = table[in[i] + 128];
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
	.lut = cpu_neon_lut,
};
