// SPDX-License-Identifier: MIT
/*
 * The portable level: a plain C GEMM tile and the vector-extension row
 * kernels at the target's baseline (SSE2 on x86-64, NEON on AArch64).
 * Every machine has it; tests compare the others with it and with ref.
 */
#include "cpu_vec.h"

#define G_MR 4
#define G_NR 8
#define G_KU 4

static void generic_gemm(u32 kg, const void *a, const void *b, s32 *c)
{
	const s8 *pa = a, *pb = b;
	s32 acc[G_MR][G_NR] = { { 0 } };

	for (u32 g = 0; g < kg; g++, pa += G_MR * G_KU, pb += G_NR * G_KU)
		for (u32 r = 0; r < G_MR; r++)
			for (u32 j = 0; j < G_NR; j++) {
				s32 s = 0;

				for (u32 u = 0; u < G_KU; u++)
					s += pa[r * G_KU + u] * pb[j * G_KU + u];
				acc[r][j] = (s32)((u32)acc[r][j] + (u32)s);
			}
	memcpy(c, acc, sizeof(acc));
}

const struct cpu_isa cpu_isa_generic = {
	.name = "generic",
	.level = CPU_ISA_GENERIC,
	.mr = G_MR, .nr = G_NR, .ku = G_KU, .a_size = 1, .b_size = 1, .a_xor = 0,
	.gemm = generic_gemm,
	.pack_a = cpu_pack_rows,
	.pack_a_at = cpu_pack_at,
	.requant_row = vec_requant_row,
	.dw_row = vec_dw_row,
	CPU_VEC_ROW_KERNELS,
	.lut = vec_lut,
};
