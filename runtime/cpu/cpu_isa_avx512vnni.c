// SPDX-License-Identifier: MIT
/*
 * x86-64 AVX-512 VNNI (built with -mavx512f -mavx512bw -mavx512vl
 * -mavx512vnni): vpdpbusd multiplies unsigned by signed bytes and sums
 * four products into each int32 lane, exactly. Activations are packed as
 * x + 128 (x ^ 0x80), weights as they are; the extra 128 * sum(w) leaves
 * through the per-channel offset. 8 x 32 tile: 16 zmm accumulators.
 */
#include <immintrin.h>

#include "cpu_vec.h"

#define V_MR 8
#define V_NR 32

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

const struct cpu_isa cpu_isa_avx512vnni = {
	.name = "avx512vnni",
	.level = CPU_ISA_AVX512VNNI,
	.mr = V_MR, .nr = V_NR, .ku = 4, .a_size = 1, .b_size = 1, .a_xor = 0x80,
	.gemm = vnni_gemm,
	CPU_VEC_ROW_KERNELS,
};
