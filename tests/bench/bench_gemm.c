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
#include "tests/bench/bench_time.h"

#if defined(__x86_64__)
#include <immintrin.h>
#elif defined(__aarch64__)
#include <arm_neon.h>
#endif

#define GEMM_DIM 1024u
#define PEAK_ITERS 200000L

#if defined(__x86_64__)
/*
 * Twelve independent instructions per iteration with no dependence between
 * iterations except through the accumulating ones, which have several
 * cycles to spare: the issue rate of the instruction is all that limits.
 * Written in assembly so that no compiler reorders or drops any of it.
 */
#define X12(insn) insn "2\n" insn "3\n" insn "4\n" insn "5\n" insn "6\n" \
	insn "7\n" insn "8\n" insn "9\n" insn "10\n" insn "11\n" insn "12\n" \
	insn "13\n"

__attribute__((target("avx2")))
static void peak_vpmaddwd(long iters, int *sink)
{
	__asm__ volatile("1:\n" X12("vpmaddwd %%ymm1, %%ymm0, %%ymm")
			 "dec %0\n jnz 1b\n" : "+r"(iters) : :
			 "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8",
			 "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "cc");
	sink[0]++;
}

/* What a GEMM tile needs per step: the products, then their accumulation. */
__attribute__((target("avx2")))
static void peak_vpmaddwd_add(long iters, int *sink)
{
#define MA(n) "vpmaddwd %%ymm1, %%ymm0, %%ymm14\n vpaddd %%ymm14, %%ymm" #n \
	", %%ymm" #n "\n vpmaddwd %%ymm1, %%ymm0, %%ymm15\n vpaddd %%ymm15, %%ymm" \
	#n ", %%ymm" #n "\n"
	__asm__ volatile("1:\n" MA(2) MA(3) MA(4) MA(5) MA(6) MA(7)
			 "dec %0\n jnz 1b\n" : "+r"(iters) : :
			 "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm14",
			 "xmm15", "cc");
#undef MA
	sink[0]++;
}

__attribute__((target("avx512f,avx512vnni")))
static void peak_vpdpbusd(long iters, int *sink)
{
	__asm__ volatile("1:\n" X12("vpdpbusd %%zmm1, %%zmm0, %%zmm")
			 "dec %0\n jnz 1b\n" : "+r"(iters) : :
			 "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8",
			 "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "cc");
	sink[0]++;
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

/*
 * Best GOP/s of 31 short runs of a peak loop (ops = iters * 12 * ops_per_insn):
 * on a shared machine the best run is the one least disturbed.
 */
static double peak(void (*fn)(long, int *), double ops_per_insn)
{
	double best = 0;
	int sink[2] = { 0 };

	fn(PEAK_ITERS / 10, sink);
	for (int r = 0; r < 31; r++) {
		double t = now_s(), g;

		fn(PEAK_ITERS, sink);
		g = PEAK_ITERS * 12.0 * ops_per_insn / (now_s() - t) / 1e9;
		best = g > best ? g : best;
	}
	return best;
}

/* Median and best seconds of the 1024^3 FC command at one level, one thread. */
static double gemm_seconds(const struct cpu_isa *isa, int runs, double *best)
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
	*best = t[0];
	cpu_packed_free_all(&packed);
	for (int i = 0; i < 4; i++)
		free(v[i].ptr);
	cpu_engine_fini(&e);
	return med;
}

int main(void)
{
	const double ops = 2.0 * GEMM_DIM * GEMM_DIM * GEMM_DIM;
	double best_peak = 0, vnni_peak = 0;
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
		vnni_peak = peak(peak_vpdpbusd, 128);
		printf("  %-44s %10.1f\n", "vpdpbusd zmm (64 int8 MACs)", vnni_peak);
	}
#elif defined(__aarch64__)
	if (cpu_isa_get(CPU_ISA_SDOT)) {
		best_peak = peak(peak_sdot, 32);
		peak_name = "sdot";
		printf("  %-44s %10.1f\n", "sdot q (16 int8 MACs)", best_peak);
	}
#endif
	printf("\n  %-30s %10s %10s %10s %10s %10s\n", "1024^3 GEMM (FC), 1 thread",
	       "median ms", "best ms", "GOP/s", "peak", "of peak");
	for (int l = 0; l < CPU_ISA_COUNT; l++) {
		const struct cpu_isa *isa = cpu_isa_get(l);
		double s, best, own = best_peak;
		char label[64];

		if (!isa)
			continue;
		s = gemm_seconds(isa, l == CPU_ISA_GENERIC ? 3 : 15, &best);
		if (s <= 0)
			continue;
#if defined(__x86_64__)
		if (l == CPU_ISA_AVX512VNNI)
			own = vnni_peak;
#endif
		snprintf(label, sizeof(label), "level %s", isa->name);
		printf("  %-30s %10.2f %10.2f %10.1f %10.1f %9.0f%%\n", label, s * 1e3,
		       best * 1e3, ops / best / 1e9, own, own > 0 ? 100 * ops / best / 1e9 / own : 0);
	}
	printf("  GOP/s and %% from the best run against the best peak run (the least\n"
	       "  disturbed of each); peak: %s's for the levels built on it,\n"
	       "  vpdpbusd's for avx512vnni. The median shows the spread on a shared machine.\n",
	       peak_name);
	return 0;
}
