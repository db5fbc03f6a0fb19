// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * REQUANTIZE (TFLite's int8 to int8 QUANTIZE): hand-worked values, the two
 * rounding modes where they differ, saturation, every input value under
 * random and edge multipliers against tests/unit/oracle.h.
 */
#include "kselftest_harness.h"
#include "oracle.h"

static void rq_cmd(struct t_bufs *b, struct qaccel_cmd_requantize *c,
		   const uint32_t *d, int32_t zi, int32_t zo, struct qaccel_qmul q,
		   uint32_t rounding)
{
	memset(c, 0, sizeof(*c));
	c->hdr.opcode = QACCEL_OP_REQUANTIZE;
	c->hdr.size = sizeof(*c);
	t_tensor_at(b, &c->input, d, zi, t_slack());
	t_tensor_at(b, &c->output, d, zo, t_slack());
	c->qmul = q;
	c->rounding = rounding;
}

static int hand(const int8_t *in, int32_t zi, int32_t zo, struct qaccel_qmul q,
		uint32_t rounding, const int8_t *want)
{
	static const uint32_t d[4] = { 1, 2, 1, 3 };
	struct t_bufs b = { 0 };
	struct qaccel_cmd_requantize c;
	int ret;

	t_seed_init(1);
	rq_cmd(&b, &c, d, zi, zo, q, rounding);
	t_fill(&b, &c.input, in);
	ret = o_check_expect(&c, sizeof(c), &b, t_data(&b, &c.output), want, 6,
			     "requantize hand");
	t_bufs_free(&b);
	return ret;
}

TEST(hand_half_scale)
{
	/*
	 * zi 5, zo -3, scale ratio 0.5 = (2^30, 0). Raw 5 6 7 127 -128 4 ->
	 * offsets 0 1 2 122 -133 -1 -> 0, 0.5 -> 1, 1, 61, -66.5 -> -66
	 * (double: srdhm ties up; single: floor(-66.5 + .5)), -0.5 -> 0.
	 * + zo: -3, -2, -2, 58, -69, -3 in both modes.
	 */
	static const int8_t in[6] = { 5, 6, 7, 127, -128, 4 };
	static const int8_t want[6] = { -3, -2, -2, 58, -69, -3 };

	ASSERT_EQ(0, hand(in, 5, -3, (struct qaccel_qmul){ 1 << 30, 0 },
			  QACCEL_ROUND_DOUBLE, want));
	ASSERT_EQ(0, hand(in, 5, -3, (struct qaccel_qmul){ 1 << 30, 0 },
			  QACCEL_ROUND_SINGLE, want));
}

TEST(hand_modes_differ)
{
	/*
	 * Ratio 1/4 = (2^30, -1), zero points 0. 6 -> 1.5, -6 -> -1.5,
	 * 3 -> 0.75, -3 -> -0.75, 2 -> 0.5, -2 -> -0.5.
	 * Double (srdhm ties up, then halves ties away): 6: 3 -> 2;
	 * -6: -3 -> -2; 3: 1.5 -> 2 -> 1; -3: -1.5 -> -1 -> -1; 2: 1 -> 1;
	 * -2: -1 -> -1.
	 * Single (floor(x + 1/2)): 2, -1, 1, -1, 1, 0.
	 */
	static const int8_t in[6] = { 6, -6, 3, -3, 2, -2 };
	static const int8_t want_d[6] = { 2, -2, 1, -1, 1, -1 };
	static const int8_t want_s[6] = { 2, -1, 1, -1, 1, 0 };
	const struct qaccel_qmul q = { 1 << 30, -1 };

	ASSERT_EQ(0, hand(in, 0, 0, q, QACCEL_ROUND_DOUBLE, want_d));
	ASSERT_EQ(0, hand(in, 0, 0, q, QACCEL_ROUND_SINGLE, want_s));
}

TEST(hand_saturation_and_zero_multiplier)
{
	/*
	 * zi -128, zo 127, ratio 2 = (2^30, 2): offsets 0 1 255 128 2 -> 0 2
	 * 510 256 4, + 127 saturates above 127: 127 everywhere. Raw -128 ->
	 * 0 -> 127. With zo -128 and ratio -: multiplier 0 gives zo for all.
	 */
	static const int8_t in[6] = { -128, -127, 127, 0, -126, -128 };
	static const int8_t want_sat[6] = { 127, 127, 127, 127, 127, 127 };
	static const int8_t want_zero[6] = { -128, -128, -128, -128, -128, -128 };

	for (uint32_t r = 0; r < 2; r++) {
		ASSERT_EQ(0, hand(in, -128, 127, (struct qaccel_qmul){ 1 << 30, 2 }, r,
				  want_sat));
		ASSERT_EQ(0, hand(in, 127, -128, (struct qaccel_qmul){ 0, 30 }, r,
				  want_zero));
	}
}

TEST(every_input_every_shift)
{
	/* All 256 inputs, every shift -31..30, both modes, edge multipliers. */
	static const uint32_t d[4] = { 1, 1, 1, 256 };

	t_seed_init(1401);
	for (int32_t s = -31; s <= 30; s++)
		for (int rep = 0; rep < 8; rep++) {
			struct t_bufs b = { 0 };
			struct qaccel_cmd_requantize c;
			struct qaccel_qmul q = t_qmul_any(s, s);
			char what[128];

			rq_cmd(&b, &c, d, t_zp(), t_zp(), q, rep & 1);
			for (int i = 0; i < 256; i++)
				t_data(&b, &c.input)[i] = (int8_t)i;
			snprintf(what, sizeof(what), "requantize zi %d zo %d q %d,%d rnd %u",
				 c.input.zero_point, c.output.zero_point, q.multiplier,
				 q.shift, c.rounding);
			ASSERT_EQ(0, o_check(&c, sizeof(c), &b, what));
			t_bufs_free(&b);
		}
}

TEST(random_shapes)
{
	t_seed_init(1402);
	for (int it = 0; it < 300; it++) {
		uint32_t d[4] = { t_dim(3), t_dim(5), t_dim(7), t_dim(9) };
		struct t_bufs b = { 0 };
		struct qaccel_cmd_requantize c;
		char what[128];

		rq_cmd(&b, &c, d, t_zp(), t_zp(), t_qmul(-8, 2), t_rand() & 1);
		snprintf(what, sizeof(what), "requantize " T_DIMS_FMT " q %d,%d",
			 T_DIMS_ARGS(c.input), c.qmul.multiplier, c.qmul.shift);
		ASSERT_EQ(0, o_check(&c, sizeof(c), &b, what));
		t_bufs_free(&b);
	}
}

TEST_HARNESS_MAIN
