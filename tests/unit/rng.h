/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Seeded xorshift64 generator for the unit tests. Each test calls
 * t_seed_init() with its own default seed; QACCEL_TEST_SEED=<n> in the
 * environment replaces it, so a failure printed with its seed can be
 * replayed exactly. The harness forks per test, so the state is per test.
 */
#ifndef QACCEL_TEST_RNG_H
#define QACCEL_TEST_RNG_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t t_seed;
static uint64_t t_rng_state;

static inline void t_seed_init(uint64_t def)
{
	const char *e = getenv("QACCEL_TEST_SEED");

	t_seed = e && *e ? strtoull(e, NULL, 0) : def;
	/* Never the all-zero state, which xorshift cannot leave. */
	t_rng_state = t_seed * 0x9e3779b97f4a7c15ull + 0x2545f4914f6cdd1dull;
	if (!t_rng_state)
		t_rng_state = 1;
}

static inline uint64_t t_rand64(void)
{
	t_rng_state ^= t_rng_state << 13;
	t_rng_state ^= t_rng_state >> 7;
	t_rng_state ^= t_rng_state << 17;
	return t_rng_state * 0x2545f4914f6cdd1dull;
}

static inline uint32_t t_rand(void)
{
	return (uint32_t)(t_rand64() >> 32);
}

/* Uniform in [lo, hi], any int32 bounds. */
static inline int32_t t_range(int32_t lo, int32_t hi)
{
	uint64_t span = (uint64_t)((int64_t)hi - lo) + 1;

	return (int32_t)(lo + (int64_t)(t_rand64() % span));
}

/* True with probability 1 / n. */
static inline int t_one_in(uint32_t n)
{
	return t_rand() % n == 0;
}

/* A small size, biased towards 1 and to odd values. */
static inline uint32_t t_dim(uint32_t max)
{
	return t_one_in(4) ? 1 : (uint32_t)t_range(1, (int32_t)max);
}

/* An int32 with a random magnitude (any bit length), either sign. */
static inline int32_t t_any32(void)
{
	return (int32_t)t_rand() >> t_range(0, 31);
}

#endif /* QACCEL_TEST_RNG_H */
