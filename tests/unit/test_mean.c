// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * MEAN over H and W in both TFLite forms (reference_integer_ops::Mean:
 * qmul then a rounded division; QuantizedMeanOrSum: the count folded into
 * the multiplier): hand-worked cases, rounding modes, random shapes.
 */
#include "kselftest_harness.h"
#include "oracle.h"

static void mean_cmd(struct t_bufs *b, struct qaccel_cmd_mean *c, const uint32_t *id,
		     int32_t zi, int32_t zo, struct qaccel_qmul q, uint32_t divisor,
		     uint32_t rounding)
{
	uint32_t od[4] = { id[0], 1, 1, id[3] };

	memset(c, 0, sizeof(*c));
	c->hdr.opcode = QACCEL_OP_MEAN;
	c->hdr.size = sizeof(*c);
	t_tensor_at(b, &c->input, id, zi, t_slack());
	t_tensor_at(b, &c->output, od, zo, t_slack());
	c->qmul = q;
	c->divisor = divisor;
	c->rounding = rounding;
	c->clamp = (struct qaccel_clamp){ -128, 127 };
}

TEST(hand_both_forms)
{
	/*
	 * Input 1x2x2x3, zp 1. ch0 raw 2 3 4 5 (offsets 1..4, sum 10);
	 * ch1 raw -1 -1 -1 0 (offsets -2 -2 -2 -1, sum -7); ch2 raw
	 * -1 -1 0 0 (sum -6). zo -1.
	 * Old Mean: qmul 1.0 = (2^30, 1), divisor 4: 2.5 -> 3, -1.75 -> -2,
	 * -1.5 -> -2 (away from zero): 2, -3, -3.
	 * QuantizedMeanOrSum: k = 2, qmul ((2^30 << 2) / 4, 1 - 2) = (2^30, -1)
	 * = 1/4, divisor 0. Double: 10 -> srdhm 5 -> 2.5 -> 3; -7 -> -3.5 ->
	 * -3 (srdhm ties up) -> -1.5 -> -2; -6 -> -3 -> -2. Single:
	 * floor(2.5 + .5) = 3, floor(-1.75 + .5) = -2, floor(-1.5 + .5) = -1.
	 */
	static const uint32_t id[4] = { 1, 2, 2, 3 };
	static const int8_t in[12] = { 2, -1, -1, 3, -1, -1, 4, -1, 0, 5, 0, 0 };
	static const int8_t want_old[3] = { 2, -3, -3 };
	static const int8_t want_double[3] = { 2, -3, -3 };
	static const int8_t want_single[3] = { 2, -3, -2 };
	const struct qaccel_qmul one = { 1 << 30, 1 }, quarter = { 1 << 30, -1 };
	struct {
		struct qaccel_qmul q;
		uint32_t div, rnd;
		const int8_t *want;
	} cases[] = {
		{ one, 4, QACCEL_ROUND_DOUBLE, want_old },
		{ one, 4, QACCEL_ROUND_SINGLE, want_old },
		{ quarter, 0, QACCEL_ROUND_DOUBLE, want_double },
		{ quarter, 0, QACCEL_ROUND_SINGLE, want_single },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct t_bufs b = { 0 };
		struct qaccel_cmd_mean c;

		t_seed_init(1);
		mean_cmd(&b, &c, id, 1, -1, cases[i].q, cases[i].div, cases[i].rnd);
		t_fill(&b, &c.input, in);
		ASSERT_EQ(0, o_check_expect(&c, sizeof(c), &b, t_data(&b, &c.output),
					    cases[i].want, 3, "mean hand"));
		t_bufs_free(&b);
	}
}

TEST(largest_plane)
{
	/*
	 * H * W = 2^16 of offset 255 (input -128, zp 127 gives -255): sum
	 * -16711680; qmul 1, divisor 2^16: -255 exactly; zo 127 gives -128.
	 */
	const uint32_t id[4] = { 1, 256, 256, 1 };
	struct t_bufs b = { 0 };
	struct qaccel_cmd_mean c;
	const int8_t want = -128;

	t_seed_init(2);
	mean_cmd(&b, &c, id, 127, 127, (struct qaccel_qmul){ 1 << 30, 1 },
		 QACCEL_MAX_POOL_COUNT, QACCEL_ROUND_DOUBLE);
	memset(t_data(&b, &c.input), 0x80, t_elems(id));
	ASSERT_EQ(0, o_check_expect(&c, sizeof(c), &b, t_data(&b, &c.output), &want,
				    1, "mean 2^16"));
	t_bufs_free(&b);
}

TEST(random_against_oracle)
{
	t_seed_init(1301);
	for (int it = 0; it < 600; it++) {
		uint32_t id[4] = { t_dim(3), t_dim(16), t_dim(16), t_dim(9) };
		uint32_t div = t_one_in(2) ? 0 : t_one_in(3) ?
			       (uint32_t)t_range(1, QACCEL_MAX_POOL_COUNT) : id[1] * id[2];
		struct qaccel_qmul q = t_one_in(4) ? t_qmul_any(-31, 30) : t_qmul(-12, 1);
		struct t_bufs b = { 0 };
		struct qaccel_cmd_mean c;
		char what[300];

		mean_cmd(&b, &c, id, t_zp(), t_zp(), q, div, t_rand() & 1);
		c.clamp = t_rand_clamp();
		if (t_one_in(4))
			for (size_t i = 0; i < t_elems(id); i++)
				t_data(&b, &c.input)[i] = t_rand() & 1 ? 127 : -128;
		snprintf(what, sizeof(what), "mean in " T_DIMS_FMT " zo %d q %d,%d "
			 "div %u rnd %u clamp %d..%d", T_DIMS_ARGS(c.input),
			 c.output.zero_point, q.multiplier, q.shift, div, c.rounding,
			 c.clamp.min, c.clamp.max);
		ASSERT_EQ(0, o_check(&c, sizeof(c), &b, what));
		t_bufs_free(&b);
	}
}

TEST_HARNESS_MAIN
