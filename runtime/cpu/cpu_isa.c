// SPDX-License-Identifier: MIT
/*
 * Which instruction-set levels this build has and this CPU runs, asked
 * once at run time (cpuid on x86-64, the auxiliary vector on AArch64).
 */
#include <stdlib.h>
#include <string.h>

#include "cpu.h"

#if defined(__aarch64__)
#include <sys/auxv.h>
#ifndef HWCAP_ASIMDDP
#define HWCAP_ASIMDDP (1UL << 20)
#endif
#endif

static const char *const level_names[CPU_ISA_COUNT] = {
	[CPU_ISA_GENERIC] = "generic",
	[CPU_ISA_AVX2] = "avx2",
	[CPU_ISA_AVX512VNNI] = "avx512vnni",
	[CPU_ISA_NEON] = "neon",
	[CPU_ISA_SDOT] = "sdot",
};

const char *cpu_isa_level_name(enum cpu_isa_level level)
{
	return (unsigned)level < CPU_ISA_COUNT ? level_names[level] : NULL;
}

const struct cpu_isa *cpu_isa_get(enum cpu_isa_level level)
{
	switch (level) {
	case CPU_ISA_GENERIC:
		return &cpu_isa_generic;
#if defined(__x86_64__)
	case CPU_ISA_AVX2:
		__builtin_cpu_init();
		if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
			return &cpu_isa_avx2;
		return NULL;
	case CPU_ISA_AVX512VNNI:
		__builtin_cpu_init();
		if (__builtin_cpu_supports("avx512f") &&
		    __builtin_cpu_supports("avx512bw") &&
		    __builtin_cpu_supports("avx512dq") &&
		    __builtin_cpu_supports("avx512vl") &&
		    __builtin_cpu_supports("avx512vnni"))
			return &cpu_isa_avx512vnni;
		return NULL;
#elif defined(__aarch64__)
	case CPU_ISA_NEON:
		return &cpu_isa_neon;
	case CPU_ISA_SDOT:
		if (getauxval(AT_HWCAP) & HWCAP_ASIMDDP)
			return &cpu_isa_sdot;
		return NULL;
#endif
	default:
		return NULL;
	}
}

const struct cpu_isa *cpu_isa_best(void)
{
	const char *want = getenv("QACCEL_CPU_ISA");
	int level;

	if (want && *want)
		for (level = 0; level < CPU_ISA_COUNT; level++)
			if (!strcmp(want, level_names[level]) && cpu_isa_get(level))
				return cpu_isa_get(level);
	for (level = CPU_ISA_COUNT - 1; level > 0; level--)
		if (cpu_isa_get(level))
			return cpu_isa_get(level);
	return &cpu_isa_generic;
}
