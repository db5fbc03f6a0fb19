// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * ADD, SUB and MUL (TFLite's int8 Add, Sub as Add with the second
 * multiplier negated, Mul): hand-worked cases, SUB's tie rounding, every
 * broadcasting combination of the four dimensions, random parameters
 * against tests/unit/oracle.h.
 */
#include "kselftest_harness.h"
#include "oracle.h"

static void bin_cmd(struct t_bufs *b, struct qaccel_cmd_binary *c, uint32_t op,
		    const uint32_t *d1, const uint32_t *d2, const uint32_t *od,
		    int32_t z1, int32_t z2, int32_t zo)
{
	memset(c, 0, sizeof(*c));
	c->hdr.opcode = op;
	c->hdr.size = sizeof(*c);
	t_tensor_at(b, &c->input1, d1, z1, t_slack());
	t_tensor_at(b, &c->input2, d2, z2, t_slack());
	t_tensor_at(b, &c->output, od, zo, t_slack());
	c->clamp = (struct qaccel_clamp){ -128, 127 };
}

static int hand(uint32_t op, int8_t x, int8_t y, uint32_t ls, struct qaccel_qmul q1,
		struct qaccel_qmul q2, struct qaccel_qmul qo, uint32_t rounding,
		int8_t want)
{
	static const uint32_t one[4] = { 1, 1, 1, 1 };
	struct t_bufs b = { 0 };
	struct qaccel_cmd_binary c;
	char what[64];
	int ret;

	t_seed_init(1);
	bin_cmd(&b, &c, op, one, one, one, 1, -2, 3);
	*t_data(&b, &c.input1) = x;
	*t_data(&b, &c.input2) = y;
	c.left_shift = ls;
	c.input1_qmul = q1;
	c.input2_qmul = q2;
	c.output_qmul = qo;
	c.rounding = rounding;
	snprintf(what, sizeof(what), "op %u x %d y %d rnd %u", op, x, y, rounding);
	ret = o_check_expect(&c, sizeof(c), &b, t_data(&b, &c.output), &want, 1, what);
	t_bufs_free(&b);
	return ret;
}

#define HALF ((struct qaccel_qmul){ 1 << 30, 0 })
#define NONE ((struct qaccel_qmul){ 0, 0 })

TEST(hand_add_sub_mul)
{
	/*
	 * z1 1, z2 -2, zo 3; x = 5 (offset 4), y = 0 (offset 2), left shift 1,
	 * all multipliers 0.5.
	 * ADD: a = 8 * 0.5 = 4, b = 4 * 0.5 = 2, out = 6 * 0.5 + 3 = 6.
	 * SUB: b = 4 * -0.5 = -2, out = 2 * 0.5 + 3 = 4.
	 * MUL (no shift, input qmuls 0): 4 * 2 = 8, * 0.5 = 4, + 3 = 7.
	 */
	for (uint32_t r = 0; r < 2; r++) {
		ASSERT_EQ(0, hand(QACCEL_OP_ADD, 5, 0, 1, HALF, HALF, HALF, r, 6));
		ASSERT_EQ(0, hand(QACCEL_OP_SUB, 5, 0, 1, HALF, HALF, HALF, r, 4));
		ASSERT_EQ(0, hand(QACCEL_OP_MUL, 5, 0, 0, NONE, NONE, HALF, r, 7));
	}
}

TEST(hand_sub_negates_the_multiplier)
{
	/*
	 * x = 1 (offset 0), y = -1 (offset 1), no shift, input2 qmul 0.5,
	 * output qmul (2^30, 1) = 1, zo 3.
	 * ADD: b = srdhm(1, 2^30) = 0.5, ties up: 1; out 1 + 3 = 4.
	 * SUB as TFLite: srdhm(1, -2^30) = -0.5, ties up: 0; out 0 + 3 = 3
	 * (subtracting the ADD term instead would give -1 + 3 = 2).
	 * Single rounding, SUB: floor(-0.5 + 0.5) = 0 too: 3.
	 * Negative offsets: y = -3 (offset -1): ADD b = -0.5 -> 0: 3;
	 * SUB: +0.5 -> 1: 4.
	 */
	const struct qaccel_qmul one = { 1 << 30, 1 };

	for (uint32_t r = 0; r < 2; r++) {
		ASSERT_EQ(0, hand(QACCEL_OP_ADD, 1, -1, 0, HALF, HALF, one, r, 4));
		ASSERT_EQ(0, hand(QACCEL_OP_SUB, 1, -1, 0, HALF, HALF, one, r, 3));
		ASSERT_EQ(0, hand(QACCEL_OP_ADD, 1, -3, 0, HALF, HALF, one, r, 3));
		ASSERT_EQ(0, hand(QACCEL_OP_SUB, 1, -3, 0, HALF, HALF, one, r, 4));
	}
}

TEST(hand_mul_rounding_modes_and_clamp)
{
	/*
	 * MUL x = 4 (offset 3), y = -1 (offset 1): product 3; output qmul
	 * (2^30, -2) = 1/8: exact 0.375. Double: 1.5 -> 2, 2/4 -> 1; + 3 = 4.
	 * Single: floor(0.875) = 0; + 3 = 3. Output qmul (2^31 - 1, 30):
	 * double rounding shifts first, and 3 * 2^30 wraps in 32 bits to
	 * -2^30 (quantization.rst; TFLite leaves it undefined), times ~1 is
	 * -2^30: clamp -128. Single rounding has no wrap: 3 * (2^31 - 1) / 2
	 * saturates to INT32_MAX: 127. x = y = -128 (offsets -129, -126):
	 * 16254 * ~2^30 saturates: 127.
	 */
	const struct qaccel_qmul eighth = { 1 << 30, -2 }, big = { INT32_MAX, 30 };

	ASSERT_EQ(0, hand(QACCEL_OP_MUL, 4, -1, 0, NONE, NONE, eighth,
			  QACCEL_ROUND_DOUBLE, 4));
	ASSERT_EQ(0, hand(QACCEL_OP_MUL, 4, -1, 0, NONE, NONE, eighth,
			  QACCEL_ROUND_SINGLE, 3));
	ASSERT_EQ(0, hand(QACCEL_OP_MUL, 4, -1, 0, NONE, NONE, big,
			  QACCEL_ROUND_DOUBLE, -128));
	ASSERT_EQ(0, hand(QACCEL_OP_MUL, 4, -1, 0, NONE, NONE, big,
			  QACCEL_ROUND_SINGLE, 127));
	ASSERT_EQ(0, hand(QACCEL_OP_MUL, -128, -128, 0, NONE, NONE, big,
			  QACCEL_ROUND_SINGLE, 127));
}

TEST(hand_broadcast)
{
	/*
	 * MUL of [1,1,1,2] = [10, 20] by [1,1,3,1] = [1, 2, 3] (zero points
	 * 0) into [1,1,3,2], qmul 0.5: 10, 20, 20, 40, 30, 60 halved.
	 */
	static const uint32_t d1[4] = { 1, 1, 1, 2 }, d2[4] = { 1, 1, 3, 1 };
	static const uint32_t od[4] = { 1, 1, 3, 2 };
	static const int8_t x[2] = { 10, 20 }, y[3] = { 1, 2, 3 };
	static const int8_t want[6] = { 5, 10, 10, 20, 15, 30 };
	struct t_bufs b = { 0 };
	struct qaccel_cmd_binary c;

	t_seed_init(2);
	bin_cmd(&b, &c, QACCEL_OP_MUL, d1, d2, od, 0, 0, 0);
	t_fill(&b, &c.input1, x);
	t_fill(&b, &c.input2, y);
	c.output_qmul = HALF;
	ASSERT_EQ(0, o_check_expect(&c, sizeof(c), &b, t_data(&b, &c.output),
				    want, 6, "mul broadcast"));
	t_bufs_free(&b);
}

/* Random realistic or edge parameters for op. */
static void rand_params(struct qaccel_cmd_binary *c)
{
	int wide = t_one_in(5);

	c->rounding = t_rand() & 1;
	c->clamp = t_rand_clamp();
	if (c->hdr.opcode == QACCEL_OP_MUL) {
		c->output_qmul = wide ? t_qmul_any(-31, 30) : t_qmul(-14, 0);
		return;
	}
	c->left_shift = t_one_in(2) ? 20 : t_range(0, 20);
	c->input1_qmul = wide ? t_qmul_any(-31, 30) : t_qmul(-8, 0);
	c->input2_qmul = wide ? t_qmul_any(-31, 30) : t_qmul(-8, 0);
	c->output_qmul = wide ? t_qmul_any(-31, 30) :
			 t_qmul(-(int)c->left_shift - 6, -(int)c->left_shift + 6 > 0 ?
				0 : -(int)c->left_shift + 6);
}

static int run_one(uint32_t op, const uint32_t *d1, const uint32_t *d2,
		   const uint32_t *od)
{
	struct t_bufs b = { 0 };
	struct qaccel_cmd_binary c;
	char what[400];
	int ret;

	bin_cmd(&b, &c, op, d1, d2, od, t_zp(), t_zp(), t_zp());
	rand_params(&c);
	snprintf(what, sizeof(what), "op %u in1 " T_DIMS_FMT " in2 " T_DIMS_FMT
		 " out " T_DIMS_FMT " ls %u q1 %d,%d q2 %d,%d qo %d,%d rnd %u "
		 "clamp %d..%d", op, T_DIMS_ARGS(c.input1), T_DIMS_ARGS(c.input2),
		 T_DIMS_ARGS(c.output), c.left_shift, c.input1_qmul.multiplier,
		 c.input1_qmul.shift, c.input2_qmul.multiplier, c.input2_qmul.shift,
		 c.output_qmul.multiplier, c.output_qmul.shift, c.rounding,
		 c.clamp.min, c.clamp.max);
	ret = o_check(&c, sizeof(c), &b, what);
	t_bufs_free(&b);
	return ret;
}

TEST(every_broadcast_combination)
{
	/* Each input keeps or collapses each dimension: 16 x 16 patterns. */
	t_seed_init(401);
	for (uint32_t op = QACCEL_OP_ADD; op <= QACCEL_OP_MUL; op++)
		for (uint32_t m1 = 0; m1 < 16; m1++)
			for (uint32_t m2 = 0; m2 < 16; m2++) {
				uint32_t od[4], d1[4], d2[4];

				for (int k = 0; k < 4; k++) {
					od[k] = t_range(2, 3);
					d1[k] = m1 & (1u << k) ? 1 : od[k];
					d2[k] = m2 & (1u << k) ? 1 : od[k];
				}
				ASSERT_EQ(0, run_one(op, d1, d2, od));
			}
}

TEST(random_against_oracle)
{
	t_seed_init(402);
	for (int it = 0; it < 600; it++) {
		uint32_t od[4] = { t_dim(3), t_dim(5), t_dim(7), t_dim(9) };
		uint32_t d1[4], d2[4];

		for (int k = 0; k < 4; k++) {
			d1[k] = t_one_in(3) ? 1 : od[k];
			d2[k] = t_one_in(3) ? 1 : od[k];
		}
		ASSERT_EQ(0, run_one(QACCEL_OP_ADD + t_rand() % 3, d1, d2, od));
	}
}

TEST(all_input_pairs)
{
	/* Every int8 pair, once per op: 256 x 256 via broadcasting. */
	static const uint32_t d1[4] = { 1, 1, 256, 1 }, d2[4] = { 1, 1, 1, 256 };
	static const uint32_t od[4] = { 1, 1, 256, 256 };

	t_seed_init(403);
	for (uint32_t op = QACCEL_OP_ADD; op <= QACCEL_OP_MUL; op++)
		for (int rep = 0; rep < 4; rep++) {
			struct t_bufs b = { 0 };
			struct qaccel_cmd_binary c;

			bin_cmd(&b, &c, op, d1, d2, od, t_zp(), t_zp(), t_zp());
			for (int i = 0; i < 256; i++) {
				t_data(&b, &c.input1)[i] = (int8_t)i;
				t_data(&b, &c.input2)[i] = (int8_t)i;
			}
			rand_params(&c);
			ASSERT_EQ(0, o_check(&c, sizeof(c), &b, "binary all pairs"));
			t_bufs_free(&b);
		}
}

TEST_HARNESS_MAIN
