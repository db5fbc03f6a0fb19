// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * FULLY_CONNECTED (TFLite reference_integer_ops::FullyConnected, per tensor
 * and per channel): hand-worked case, filter zero points, the deepest
 * accumulation wrapping, random shapes against tests/unit/oracle.h.
 */
#include "kselftest_harness.h"
#include "oracle.h"

static void fc_cmd(struct t_bufs *b, struct qaccel_cmd_fc *c, uint32_t batches,
		   uint32_t depth, uint32_t units, int32_t zi, int32_t zf, int32_t zo)
{
	uint32_t id[4] = { 1, 1, batches, depth }, fd[4] = { 1, 1, units, depth };
	uint32_t od[4] = { 1, 1, batches, units };

	memset(c, 0, sizeof(*c));
	c->hdr.opcode = QACCEL_OP_FULLY_CONNECTED;
	c->hdr.size = sizeof(*c);
	t_tensor_at(b, &c->input, id, zi, t_slack());
	t_tensor_at(b, &c->filter, fd, zf, t_slack());
	t_tensor_at(b, &c->output, od, zo, t_slack());
	c->bias.buf = QACCEL_NO_BUFFER;
	c->clamp = (struct qaccel_clamp){ -128, 127 };
}

static void one_qmul(struct t_bufs *b, struct qaccel_requant *rq,
		     struct qaccel_qmul q, uint32_t rounding)
{
	*rq = (struct qaccel_requant){ t_words(b, 2, 0), 1, rounding };
	memcpy(t_ptr(b, &rq->params), &q, sizeof(q));
}

TEST(hand_two_rows_filter_zero_point)
{
	/*
	 * Input zp -1: rows raw [0, 1, 2] and [-1, -1, 9] are offset [1, 2, 3]
	 * and [0, 0, 10]. Filter zp 2: raw [3, 2, 1] and [2, 4, 2] are offset
	 * [1, 0, -1] and [0, 2, 0]. Bias [5, -5].
	 *   row 0: 1 - 3 + 5 = 3;  4 - 5 = -1
	 *   row 1: -10 + 5 = -5;   0 - 5 = -5
	 * qmul (2^30, 2) = 2: 6, -2, -10, -10; zo 1: 7, -1, -9, -9;
	 * clamp [-9, 6]: 6, -1, -9, -9.
	 */
	static const int8_t in[6] = { 0, 1, 2, -1, -1, 9 };
	static const int8_t f[6] = { 3, 2, 1, 2, 4, 2 };
	static const int32_t bias[2] = { 5, -5 };
	static const int8_t want[4] = { 6, -1, -9, -9 };

	for (uint32_t r = 0; r < 2; r++) {
		struct t_bufs b = { 0 };
		struct qaccel_cmd_fc c;

		t_seed_init(1);
		fc_cmd(&b, &c, 2, 3, 2, -1, 2, 1);
		t_fill(&b, &c.input, in);
		t_fill(&b, &c.filter, f);
		c.bias = t_words(&b, 2, 0);
		memcpy(t_ptr(&b, &c.bias), bias, sizeof(bias));
		one_qmul(&b, &c.requant, (struct qaccel_qmul){ 1 << 30, 2 }, r);
		c.clamp = (struct qaccel_clamp){ -9, 6 };
		ASSERT_EQ(0, o_check_expect(&c, sizeof(c), &b, t_data(&b, &c.output),
					    want, 4, "fc hand"));
		t_bufs_free(&b);
	}
}

TEST(hand_single_vs_double_tie)
{
	/*
	 * acc = 3 (one product 1 * 3), qmul (2^30, -2) = 1/8: exact 0.375.
	 * Double: srdhm(3, 2^30) = 1.5 -> 2, then 2 / 4 = 0.5 -> 1 (away).
	 * Single: floor(3 / 8 + 1/2) = 0. Negative: acc -3: double srdhm
	 * -1.5 -> -1, -1 / 4 -> 0; single floor(-0.375 + 0.5) = 0.
	 */
	static const int8_t in[2] = { 1, -1 }, f[1] = { 3 };
	static const int8_t want_double[2] = { 1, 0 }, want_single[2] = { 0, 0 };

	for (uint32_t r = 0; r < 2; r++) {
		struct t_bufs b = { 0 };
		struct qaccel_cmd_fc c;

		t_seed_init(2);
		fc_cmd(&b, &c, 2, 1, 1, 0, 0, 0);
		t_fill(&b, &c.input, in);
		t_fill(&b, &c.filter, f);
		one_qmul(&b, &c.requant, (struct qaccel_qmul){ 1 << 30, -2 }, r);
		ASSERT_EQ(0, o_check_expect(&c, sizeof(c), &b, t_data(&b, &c.output),
					    r ? want_single : want_double, 2,
					    "fc tie"));
		t_bufs_free(&b);
	}
}

TEST(deepest_accumulation_wraps)
{
	/*
	 * K = 2^16 products of (127 - -128) * (-128 - 127) = -65025 sum to
	 * -4261478400, which wraps in 32 bits to 33488896 (the ISA's int32
	 * sums); the oracle sums exactly and wraps once.
	 */
	struct t_bufs b = { 0 };
	struct qaccel_cmd_fc c;

	t_seed_init(3);
	fc_cmd(&b, &c, 1, QACCEL_MAX_ACC_DEPTH, 2, 127, -128, 0);
	memset(t_data(&b, &c.input), 0x80, QACCEL_MAX_ACC_DEPTH);
	memset(t_data(&b, &c.filter), 0x7f, 2 * QACCEL_MAX_ACC_DEPTH);
	t_data(&b, &c.filter)[QACCEL_MAX_ACC_DEPTH] = 0;
	for (uint32_t r = 0; r < 2; r++) {
		one_qmul(&b, &c.requant, (struct qaccel_qmul){ 1 << 30, -20 }, r);
		ASSERT_EQ(0, o_check(&c, sizeof(c), &b, "fc deepest"));
		b.n--;
		free(b.v[b.n].ptr);
	}
	t_bufs_free(&b);
}

TEST(random_against_oracle)
{
	t_seed_init(301);
	for (int it = 0; it < 500; it++) {
		struct t_bufs b = { 0 };
		struct qaccel_cmd_fc c;
		uint32_t bt = t_dim(6), k = t_dim(40), oc = t_dim(20);
		char what[256];

		if (t_one_in(10))
			k = t_range(41, 3000);
		fc_cmd(&b, &c, bt, k, oc, t_zp(), t_one_in(2) ? 0 : t_zp(), t_zp());
		c.bias = t_rand_bias(&b, oc);
		t_rand_requant(&b, &c.requant, oc);
		c.clamp = t_rand_clamp();
		snprintf(what, sizeof(what), "fc B %u K %u OC %u zi %d zf %d zo %d "
			 "bias %s q %u rnd %u clamp %d..%d", bt, k, oc,
			 c.input.zero_point, c.filter.zero_point, c.output.zero_point,
			 c.bias.buf == QACCEL_NO_BUFFER ? "none" : "yes",
			 c.requant.count, c.requant.rounding, c.clamp.min, c.clamp.max);
		ASSERT_EQ(0, o_check(&c, sizeof(c), &b, what));
		t_bufs_free(&b);
	}
}

TEST_HARNESS_MAIN
