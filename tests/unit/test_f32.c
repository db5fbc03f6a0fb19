// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * The engine's integer-only binary32 arithmetic against this machine's FPU
 * (IEEE 754, round to nearest even, subnormals enabled): special values,
 * boundaries, and millions of random operand pairs from a seeded generator.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "runtime/ref/f32.h"

static uint32_t bits(float f)
{
	uint32_t u;

	memcpy(&u, &f, 4);
	return u;
}

static float val(uint32_t u)
{
	float f;

	memcpy(&f, &u, 4);
	return f;
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint32_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 16);
}

/* Random patterns biased toward interesting exponents and low/high fractions. */
static uint32_t rnd_f32(void)
{
	uint32_t u = rnd();

	switch (rnd() % 8) {
	case 0:	/* subnormal */
		return (u & 0x807fffffu);
	case 1:	/* near 1 */
		return (u & 0x807fffffu) | (((rnd() % 8) + 123u) << 23);
	case 2:	/* few fraction bits */
		return (u & 0xff800000u) | ((rnd() & 7) << (rnd() % 21));
	default:
		return u;
	}
}

static const uint32_t specials[] = {
	0x00000000, 0x80000000, 0x00000001, 0x80000001, 0x007fffff, 0x00800000,
	0x3f800000, 0xbf800000, 0x3f000000, 0x3fc00000, 0x40200000, 0x7f7fffff,
	0xff7fffff, 0x7f800000, 0xff800000, 0x7fc00000, 0x4b000000, 0x4affffff,
	0x4b7fffff, 0x3effffff, 0x3f000001, 0x3b800000, 0x33800000, 0x4effffff,
	0x4f000000, 0xcf000000, 0xcf000001,
};

#define NSPEC (sizeof(specials) / sizeof(specials[0]))

static int same(uint32_t got, float want)
{
	if (isnan(want))
		return got == QACCEL_F32_QNAN;
	return got == bits(want);
}

static int check2(uint32_t a, uint32_t b)
{
	volatile float fa = val(a), fb = val(b);

	if (!same(qaccel_f32_add(a, b), fa + fb)) {
		printf("# add %08x %08x: got %08x want %08x\n", a, b,
		       qaccel_f32_add(a, b), bits(fa + fb));
		return 0;
	}
	if (!same(qaccel_f32_mul(a, b), fa * fb)) {
		printf("# mul %08x %08x: got %08x want %08x\n", a, b,
		       qaccel_f32_mul(a, b), bits(fa * fb));
		return 0;
	}
	if (!same(qaccel_f32_div(a, b), fa / fb)) {
		printf("# div %08x %08x: got %08x want %08x\n", a, b,
		       qaccel_f32_div(a, b), bits(fa / fb));
		return 0;
	}
	if (qaccel_f32_lt(a, b) != (fa < fb)) {
		printf("# lt %08x %08x\n", a, b);
		return 0;
	}
	return 1;
}

static int check1(uint32_t a)
{
	volatile float fa = val(a);

	if (!same(qaccel_f32_round(a), roundf(fa))) {
		printf("# round %08x: got %08x want %08x\n", a,
		       qaccel_f32_round(a), bits(roundf(fa)));
		return 0;
	}
	if (!isnan(fa) && fa > -2147483648.0f && fa < 2147483648.0f &&
	    qaccel_f32_to_s32(a) != (int32_t)fa) {
		printf("# to_s32 %08x: got %d want %d\n", a,
		       qaccel_f32_to_s32(a), (int32_t)fa);
		return 0;
	}
	return 1;
}

TEST(special_values)
{
	for (size_t i = 0; i < NSPEC; i++) {
		ASSERT_TRUE(check1(specials[i]));
		ASSERT_TRUE(check1(specials[i] ^ 0x80000000u));
		for (size_t j = 0; j < NSPEC; j++)
			ASSERT_TRUE(check2(specials[i], specials[j]));
	}
}

TEST(random_pairs)
{
	for (int i = 0; i < 2000000; i++)
		ASSERT_TRUE(check2(rnd_f32(), rnd_f32()));
}

TEST(close_operands)
{
	/* Cancellation: b within a few ulps or exponents of -a. */
	for (int i = 0; i < 500000; i++) {
		uint32_t a = rnd_f32();
		uint32_t b = (a ^ 0x80000000u) + (rnd() % 64) - 32;

		if (rnd() & 1)
			b -= (rnd() % 3) << 23;
		ASSERT_TRUE(check2(a, b));
	}
}

TEST(round_and_truncate)
{
	for (int i = 0; i < 1000000; i++)
		ASSERT_TRUE(check1(rnd_f32()));
	for (int32_t k = -70000; k <= 70000; k++) {
		/* Every half-integer and its neighbours in the int8 range and past. */
		float h = (float)k + 0.5f;

		ASSERT_TRUE(check1(bits(h)));
		ASSERT_TRUE(check1(bits(h) + 1));
		ASSERT_TRUE(check1(bits(h) - 1));
	}
}

TEST(from_s32)
{
	static const int32_t edges[] = { 0, 1, -1, 16777215, 16777216,
		16777217, 16777219, -16777217, INT32_MAX, INT32_MIN, 2147483520,
		2147483583, 2147483584 };

	for (size_t i = 0; i < sizeof(edges) / sizeof(edges[0]); i++)
		ASSERT_EQ(qaccel_f32_from_s32(edges[i]), bits((float)edges[i]));
	for (int i = 0; i < 1000000; i++) {
		int32_t x = (int32_t)rnd() >> (rnd() % 31);

		ASSERT_EQ(qaccel_f32_from_s32(x), bits((float)x));
	}
}

TEST_HARNESS_MAIN
