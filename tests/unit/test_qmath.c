// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Requantization arithmetic (runtime/ref/qaccel_qmath.h) against its exact
 * rational definition (tests/unit/oracle.h): rounding ties of both signs,
 * INT32_MIN * INT32_MIN saturation, shifts at both ends, multipliers 0 and
 * 2^31 - 1, single against double rounding.
 */
#include "kselftest_harness.h"
#include "cmd_util.h"
#include "oracle.h"
#include "runtime/ref/qaccel_qmath.h"

TEST(srdhm_hand_checked)
{
	/* 2^30 is 0.5 in Q0.31: 7 * 0.5 = 3.5 rounds up to 4, -3.5 to -3. */
	ASSERT_EQ(qaccel_srdhm(7, 1 << 30), 4);
	ASSERT_EQ(qaccel_srdhm(-7, 1 << 30), -3);
	ASSERT_EQ(qaccel_srdhm(INT32_MIN, INT32_MIN), INT32_MAX);
	ASSERT_EQ(qaccel_srdhm(INT32_MAX, INT32_MAX), INT32_MAX - 1);
	ASSERT_EQ(qaccel_srdhm(INT32_MIN, INT32_MAX), -INT32_MAX);
	ASSERT_EQ(qaccel_srdhm(12345, 0), 0);
}

TEST(rdbpot_hand_checked)
{
	/* Halfway cases go away from zero: 5/2 = 3, -5/2 = -3, 6/4 = 2. */
	ASSERT_EQ(qaccel_rdbpot(5, 1), 3);
	ASSERT_EQ(qaccel_rdbpot(-5, 1), -3);
	ASSERT_EQ(qaccel_rdbpot(-6, 2), -2);
	ASSERT_EQ(qaccel_rdbpot(6, 2), 2);
	ASSERT_EQ(qaccel_rdbpot(7, 0), 7);
	ASSERT_EQ(qaccel_rdbpot(INT32_MIN, 31), -1);
	ASSERT_EQ(qaccel_rdbpot(INT32_MAX, 31), 1);
	ASSERT_EQ(qaccel_rdbpot((1 << 30) - 1, 31), 0);
}

TEST(mulq_hand_checked)
{
	/* 100 * 0.75: m = 0.75 * 2^31, shift 0. */
	ASSERT_EQ(qaccel_mul_by_qmul(100, 1610612736, 0, QACCEL_ROUND_DOUBLE), 75);
	/* 3 * 0.5 * 2^-1 = 0.75 -> 1; single rounding gives 1 too. */
	ASSERT_EQ(qaccel_mul_by_qmul(3, 1 << 30, -1, QACCEL_ROUND_DOUBLE), 1);
	ASSERT_EQ(qaccel_mul_by_qmul(3, 1 << 30, -1, QACCEL_ROUND_SINGLE), 1);
	/*
	 * The modes differ: x = -3, m = 0.5, shift -1: exact -0.75.
	 * Double: srdhm(-3, 0.5) = -1.5 -> -1 (half up), then -1/2 -> -1
	 * (away from zero). Single: floor(-0.75 + 0.5) = -1 as well; use
	 * x = -1, shift -1: exact -0.25; double: srdhm = -0.5 -> 0, 0/2 = 0;
	 * single: floor(-0.25 + 0.5) = 0. And x = 5, m = 0.75, shift -2:
	 * exact 0.9375; double: srdhm = 3.75 -> 4, 4/4 = 1; single: 1.
	 * x = 6, m = 0.5, shift -2 gives 0.75 exactly in both: 1.
	 * A real disagreement: x = 3, m = 0.5, shift -2: exact 0.375.
	 * Double: srdhm 1.5 -> 2, then 2/4 = 0.5 -> 1. Single: floor(0.875) = 0.
	 */
	ASSERT_EQ(qaccel_mul_by_qmul(3, 1 << 30, -2, QACCEL_ROUND_DOUBLE), 1);
	ASSERT_EQ(qaccel_mul_by_qmul(3, 1 << 30, -2, QACCEL_ROUND_SINGLE), 0);
	/* Shift ends: 30 (left) and -31 (right). */
	ASSERT_EQ(qaccel_mul_by_qmul(1, 1 << 30, 30, QACCEL_ROUND_DOUBLE), 1 << 29);
	ASSERT_EQ(qaccel_mul_by_qmul(1, 1 << 30, 30, QACCEL_ROUND_SINGLE), 1 << 29);
	ASSERT_EQ(qaccel_mul_by_qmul(INT32_MAX, INT32_MAX, -31, QACCEL_ROUND_DOUBLE), 1);
	ASSERT_EQ(qaccel_mul_by_qmul(INT32_MAX, INT32_MAX, -31, QACCEL_ROUND_SINGLE), 1);
	ASSERT_EQ(qaccel_mul_by_qmul(INT32_MIN, 0, 5, QACCEL_ROUND_DOUBLE), 0);
}

TEST(mulq_random_against_exact_definition)
{
	t_seed_init(1);
	for (int i = 0; i < 2000000; i++) {
		int32_t x = (int32_t)(t_rand() ^ (t_rand() << 21)) >> t_range(0, 31);
		int32_t m = (t_rand() & 7) == 0 ? t_range(0, 3) :
			    (int32_t)(t_rand() & 0x7fffffff);
		int32_t s = t_range(-31, 30);
		uint32_t r = t_rand() & 1;

		if (r == QACCEL_ROUND_SINGLE && s > 0 &&
		    (((int64_t)x * m) >> (31 - s)) != (int32_t)(((int64_t)x * m) >> (31 - s)))
			continue;	/* out of int32: saturation checked below */
		if (qaccel_mul_by_qmul(x, m, s, r) != o_mulq(x, m, s, r)) {
			printf("# seed %llu: x=%d m=%d s=%d r=%u got %d want %d\n",
			       (unsigned long long)t_seed, x, m, s, r,
			       qaccel_mul_by_qmul(x, m, s, r), o_mulq(x, m, s, r));
			ASSERT_TRUE(0);
		}
	}
	ASSERT_EQ(qaccel_mul_by_qmul(INT32_MAX, INT32_MAX, 30, QACCEL_ROUND_SINGLE),
		  INT32_MAX);
	ASSERT_EQ(qaccel_mul_by_qmul(INT32_MIN, INT32_MAX, 30, QACCEL_ROUND_SINGLE),
		  INT32_MIN);
}

TEST(ties_both_signs)
{
	/* Every exact tie of srdhm and rdbpot for small values, both signs. */
	for (int32_t k = -1000; k <= 1000; k++) {
		ASSERT_EQ(qaccel_srdhm(2 * k + 1, 1 << 30), o_srdhm(2 * k + 1, 1 << 30));
		for (int e = 1; e < 8; e++)
			ASSERT_EQ(qaccel_rdbpot(k * (1 << e) + (1 << (e - 1)), e),
				  o_rdbpot(k * (1 << e) + (1 << (e - 1)), e));
	}
}

TEST_HARNESS_MAIN
