// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * PAD: constant padding before the input (after-padding implied by the
 * output's dims) in every dimension, hand-worked and random.
 */
#include "kselftest_harness.h"
#include "oracle.h"

static void pad_cmd(struct t_bufs *b, struct qaccel_cmd_pad *c, const uint32_t *id,
		    const uint32_t *before, const uint32_t *after, int32_t value)
{
	uint32_t od[4];

	for (int k = 0; k < 4; k++)
		od[k] = id[k] + before[k] + after[k];
	memset(c, 0, sizeof(*c));
	c->hdr.opcode = QACCEL_OP_PAD;
	c->hdr.size = sizeof(*c);
	t_tensor_at(b, &c->input, id, 0, t_slack());
	t_tensor_at(b, &c->output, od, 0, t_slack());
	memcpy(c->before, before, sizeof(c->before));
	c->pad_value = value;
}

TEST(hand_2x2_in_3x4)
{
	/*
	 * [1 2; 3 4] (H 2, W 2) with one row above, one column left and one
	 * right, pad value -128:
	 *   -128 -128 -128 -128
	 *   -128    1    2 -128
	 *   -128    3    4 -128
	 */
	static const uint32_t id[4] = { 1, 2, 2, 1 };
	static const uint32_t before[4] = { 0, 1, 1, 0 }, after[4] = { 0, 0, 1, 0 };
	static const int8_t in[4] = { 1, 2, 3, 4 };
	static const int8_t want[12] = { -128, -128, -128, -128, -128, 1, 2, -128,
					 -128, 3, 4, -128 };
	struct t_bufs b = { 0 };
	struct qaccel_cmd_pad c;

	t_seed_init(1);
	pad_cmd(&b, &c, id, before, after, -128);
	t_fill(&b, &c.input, in);
	ASSERT_EQ(0, o_check_expect(&c, sizeof(c), &b, t_data(&b, &c.output), want,
				    12, "pad hand"));
	t_bufs_free(&b);
}

TEST(hand_batch_and_channel)
{
	/*
	 * [5, 6] as N 1, C 2, padded with one batch before and one channel
	 * after, value 127: batch 0 all 127; batch 1: 5 6 127.
	 */
	static const uint32_t id[4] = { 1, 1, 1, 2 };
	static const uint32_t before[4] = { 1, 0, 0, 0 }, after[4] = { 0, 0, 0, 1 };
	static const int8_t in[2] = { 5, 6 };
	static const int8_t want[6] = { 127, 127, 127, 5, 6, 127 };
	struct t_bufs b = { 0 };
	struct qaccel_cmd_pad c;

	t_seed_init(2);
	pad_cmd(&b, &c, id, before, after, 127);
	t_fill(&b, &c.input, in);
	ASSERT_EQ(0, o_check_expect(&c, sizeof(c), &b, t_data(&b, &c.output), want,
				    6, "pad batch"));
	t_bufs_free(&b);
}

TEST(random_every_dimension)
{
	t_seed_init(1201);
	for (int it = 0; it < 500; it++) {
		uint32_t id[4] = { t_dim(3), t_dim(5), t_dim(5), t_dim(6) };
		uint32_t before[4], after[4];
		struct t_bufs b = { 0 };
		struct qaccel_cmd_pad c;
		char what[200];

		for (int k = 0; k < 4; k++) {
			before[k] = t_one_in(2) ? 0 : t_range(1, 3);
			after[k] = t_one_in(2) ? 0 : t_range(1, 3);
		}
		pad_cmd(&b, &c, id, before, after, t_zp());
		snprintf(what, sizeof(what), "pad " T_DIMS_FMT " before %u,%u,%u,%u "
			 "out " T_DIMS_FMT " value %d", T_DIMS_ARGS(c.input),
			 before[0], before[1], before[2], before[3],
			 T_DIMS_ARGS(c.output), c.pad_value);
		ASSERT_EQ(0, o_check(&c, sizeof(c), &b, what));
		t_bufs_free(&b);
	}
}

TEST_HARNESS_MAIN
