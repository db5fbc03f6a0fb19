// SPDX-License-Identifier: MIT
/*
 * make bench: the int8 GEMM micro-benchmark. First the machine's int8 peak
 * on one core, measured with a loop of independent multiply-accumulate
 * instructions (vpmaddwd and vpdpbusd on x86-64, sdot on AArch64), then a
 * 1024 x 1024 x 1024 int8 GEMM (a FULLY_CONNECTED command of 1024 rows,
 * requantization included, weights packed beforehand as a model's are) on
 * one thread at every instruction-set level this CPU has. GOP/s counts a
 * multiply-add as two operations.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "runtime/cpu/cpu.h"

#if defined(__x86_64__)
#include <immintrin.h>
#elif defined(__aarch64__)
#include <arm_neon.h>
#endif

#define GEMM_DIM 1024u
#define PEAK_ITERS 2000000L

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

#if defined(__x86_64__)
/*
 * 12 independent chains: enough to cover the instruction's latency at two
 * per cycle. The result is stored so that nothing is optimised away.
 */
#define PEAK_CHAINS(T, ZERO, OP) \
	T a0 = ZERO, a1 = ZERO, a2 = ZERO, a3 = ZERO, a4 = ZERO, a5 = ZERO; \
	T a6 = ZERO, a7 = ZERO, a8 = ZERO, a9 = ZERO, a10 = ZERO, a11 = ZERO; \
	for (long i = 0; i < iters; i++) { \
		OP(a0); OP(a1); OP(a2); OP(a3); OP(a4); OP(a5); \
		OP(a6); OP(a7); OP(a8); OP(a9); OP(a10); OP(a11); \
		__asm__ volatile("" : "+x"(a0), "+x"(a1), "+x"(a2), "+x"(a3)); \
	} \
	memcpy(sink, &a0, 4); sink[1] += a1[0] + a2[0] + a3[0] + a4[0] + a5[0] + \
		a6[0] + a7[0] + a8[0] + a9[0] + a10[0] + a11[0]

__attribute__((target("avx2")))
static void peak_vpmaddwd(long iters, int *sink)
{
	__m256i b = _mm256_set1_epi16(3);
#define MADD(a) a = _mm256_madd_epi16(a, b)
	PEAK_CHAINS(__m256i, _mm256_set1_epi16(1), MADD);
#undef MADD
}

__attribute__((target("avx2")))
static void peak_vpmaddwd_add(long iters, int *sink)
{
	__m256i b = _mm256_set1_epi16(3), x = _mm256_set1_epi16(2);
#define MADDADD(a) a = _mm256_add_epi32(a, _mm256_madd_epi16(x, b))
	PEAK_CHAINS(__m256i, _mm256_setzero_si256(), MADDADD);
#undef MADDADD
}

__attribute__((target("avx512f,avx512bw,avx512vnni")))
static void peak_vpdpbusd(long iters, int *sink)
{
	__m512i b = _mm512_set1_epi8(3), x = _mm512_set1_epi8(2);
#define DP(a) a = _mm512_dpbusd_epi32(a, x, b)
	PEAK_CHAINS(__m512i, _mm512_setzero_si512(), DP);
#undef DP
}
#endif

#if defined(__aarch64__)
__attribute__((target("arch=armv8.2-a+dotprod")))
static void peak_sdot(long iters, int *sink)
{
	int8x16_t b = vdupq_n_s8(3), x = vdupq_n_s8(2);
	int32x4_t a[12];

	for (int j = 0; j < 12; j++)
		a[j] = vdupq_n_s32(0);
	for (long i = 0; i < iters; i++)
		for (int j = 0; j < 12; j++)
			a[j] = vdotq_s32(a[j], x, b);
	for (int j = 0; j < 12; j++)
		sink[0] += vgetq_lane_s32(a[j], 0);
}
#endif

/* Median GOP/s of a peak loop; ops per call = iters * 12 * ops_per_insn. */
static double peak(void (*fn)(long, int *), double ops_per_insn)
{
	double g[5];
	int sink[2] = { 0 };

	fn(PEAK_ITERS / 10, sink);
	for (int r = 0; r < 5; r++) {
		double t = now_s();

		fn(PEAK_ITERS, sink);
		g[r] = PEAK_ITERS * 12.0 * ops_per_insn / (now_s() - t) / 1e9;
	}
	qsort(g, 5, sizeof(g[0]), cmp_double);
	return g[2];
}

/* Median seconds of the 1024^3 FC command at one level, one thread. */
static double gemm_seconds(const struct cpu_isa *isa, int runs)
{
	const u32 n = GEMM_DIM;
	struct qaccel_cmd_fc c = { 0 };
	struct qaccel_buf_view v[4];
	struct cpu_packed *packed = NULL, **none = NULL;
	struct cpu_packed **caches[4] = { none, &packed, none, none };
	struct qaccel_qmul q = { 1 << 30, -12 };
	struct cpu_engine e;
	double t[32], med;

	if (cpu_engine_init(&e, isa, 1))
		return 0;
	for (int i = 0; i < 4; i++) {
		v[i].size = i == 3 ? sizeof(q) : (u64)n * n;
		v[i].ptr = aligned_alloc(64, v[i].size);
		for (u64 k = 0; k < v[i].size; k++)
			v[i].ptr[k] = (u8)(k * 2654435761u >> 13);
	}
	memcpy(v[3].ptr, &q, sizeof(q));
	c.hdr = (struct qaccel_cmd_header){ QACCEL_OP_FULLY_CONNECTED, sizeof(c) };
	c.input = (struct qaccel_tensor){ { 0, 0 }, { 1, 1, n, n }, 3, 0 };
	c.filter = (struct qaccel_tensor){ { 1, 0 }, { 1, 1, n, n }, 0, 0 };
	c.output = (struct qaccel_tensor){ { 2, 0 }, { 1, 1, n, n }, -5, 0 };
	c.bias.buf = QACCEL_NO_BUFFER;
	c.requant = (struct qaccel_requant){ { 3, 0 }, 1, QACCEL_ROUND_DOUBLE };
	c.clamp = (struct qaccel_clamp){ -128, 127 };
	cpu_exec_cmd(&e, &c.hdr, v, caches);	/* packs the weights once */
	if (runs > 32)
		runs = 32;
	for (int r = 0; r < runs; r++) {
		double s = now_s();

		cpu_exec_cmd(&e, &c.hdr, v, caches);
		t[r] = now_s() - s;
	}
	qsort(t, (size_t)runs, sizeof(t[0]), cmp_double);
	med = t[runs / 2];
	cpu_packed_free_all(&packed);
	for (int i = 0; i < 4; i++)
		free(v[i].ptr);
	cpu_engine_fini(&e);
	return med;
}

int main(void)
{
	const double ops = 2.0 * GEMM_DIM * GEMM_DIM * GEMM_DIM;
	double best_peak = 0;
	const char *peak_name = "none measured";

	printf("\nint8 GEMM, one core (GOP/s; a multiply-add counts as 2 operations)\n");
	printf("  %-44s %10s\n", "measured peak loop", "GOP/s");
#if defined(__x86_64__)
	__builtin_cpu_init();
	if (__builtin_cpu_supports("avx2")) {
		double p = peak(peak_vpmaddwd, 32), pa = peak(peak_vpmaddwd_add, 32);

		printf("  %-44s %10.1f\n", "vpmaddwd ymm (16 int16 MACs)", p);
		printf("  %-44s %10.1f\n", "vpmaddwd + vpaddd ymm (as a GEMM needs them)", pa);
		best_peak = p;
		peak_name = "vpmaddwd";
	}
	if (cpu_isa_get(CPU_ISA_AVX512VNNI)) {
		double p = peak(peak_vpdpbusd, 128);

		printf("  %-44s %10.1f\n", "vpdpbusd zmm (64 int8 MACs)", p);
	}
#elif defined(__aarch64__)
	if (cpu_isa_get(CPU_ISA_SDOT)) {
		best_peak = peak(peak_sdot, 32);
		peak_name = "sdot";
		printf("  %-44s %10.1f\n", "sdot q (16 int8 MACs)", best_peak);
	}
#endif
	printf("  %-44s %10s %10s %12s\n", "1024x1024x1024 GEMM (FC command), 1 thread",
	       "ms", "GOP/s", "% of peak");
	for (int l = 0; l < CPU_ISA_COUNT; l++) {
		const struct cpu_isa *isa = cpu_isa_get(l);
		double s, own;
		char label[64];

		if (!isa)
			continue;
		s = gemm_seconds(isa, l == CPU_ISA_GENERIC ? 3 : 11);
		if (s <= 0)
			continue;
		own = best_peak;
#if defined(__x86_64__)
		if (l == CPU_ISA_AVX512VNNI)
			own = peak(peak_vpdpbusd, 128);
#endif
		snprintf(label, sizeof(label), "  level %s", isa->name);
		printf("  %-44s %10.2f %10.1f %11.0f%%\n", label, s * 1e3, ops / s / 1e9,
		       own > 0 ? 100 * ops / s / 1e9 / own : 0);
	}
	printf("  (%% of the peak of the level's own instruction: %s, vpdpbusd for avx512vnni)\n",
	       peak_name);
	return 0;
}
