// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * MAX_POOL_2D and AVERAGE_POOL_2D (TFLite reference_integer_ops::MaxPool /
 * AveragePool): hand-worked windows and ties, windows in the padding,
 * random geometry against tests/unit/oracle.h.
 */
#include "kselftest_harness.h"
#include "oracle.h"

static void pool_cmd(struct t_bufs *b, struct qaccel_cmd_pool2d *c, uint32_t op,
		     const uint32_t *id, uint32_t fh, uint32_t fw,
		     const uint32_t *out_hw, int32_t zp)
{
	uint32_t od[4] = { id[0], out_hw[0], out_hw[1], id[3] };

	memset(c, 0, sizeof(*c));
	c->hdr.opcode = op;
	c->hdr.size = sizeof(*c);
	t_tensor_at(b, &c->input, id, zp, t_slack());
	t_tensor_at(b, &c->output, od, zp, t_slack());
	c->filter_h = fh;
	c->filter_w = fw;
	c->win = (struct qaccel_window){ 1, 1, 1, 1, 0, 0 };
	c->clamp = (struct qaccel_clamp){ -128, 127 };
}

static int hand(uint32_t op, const uint32_t *id, const int8_t *in, uint32_t fh,
		uint32_t fw, const struct qaccel_window *w, const uint32_t *ohw,
		struct qaccel_clamp cl, const int8_t *want, const char *what)
{
	struct t_bufs b = { 0 };
	struct qaccel_cmd_pool2d c;
	int ret;

	t_seed_init(1);
	pool_cmd(&b, &c, op, id, fh, fw, ohw, 7);
	t_fill(&b, &c.input, in);
	c.win = *w;
	c.clamp = cl;
	ret = o_check_expect(&c, sizeof(c), &b, t_data(&b, &c.output), want,
			     t_elems(c.output.dims), what);
	t_bufs_free(&b);
	return ret;
}

#define AVG QACCEL_OP_AVERAGE_POOL_2D
#define MAX QACCEL_OP_MAX_POOL_2D
#define FULL ((struct qaccel_clamp){ -128, 127 })

TEST(hand_2x2_with_left_padding)
{
	/*
	 * Input 2x3 [1 2 3; 4 5 -6], window 2x2, stride 1, pad_left 1,
	 * output 1x3. Window 0 holds columns -1 (skipped) and 0: 1, 4:
	 * average 2.5 -> 3 (ties away from zero), max 4. Window 1: 1 2 4 5:
	 * 12/4 = 3, max 5. Window 2: 2 3 5 -6: 4/4 = 1, max 5.
	 */
	static const uint32_t id[4] = { 1, 2, 3, 1 }, ohw[2] = { 1, 3 };
	static const int8_t in[6] = { 1, 2, 3, 4, 5, -6 };
	static const int8_t want_avg[3] = { 3, 3, 1 }, want_max[3] = { 4, 5, 5 };
	const struct qaccel_window w = { 1, 1, 1, 1, 0, 1 };

	ASSERT_EQ(0, hand(AVG, id, in, 2, 2, &w, ohw, FULL, want_avg, "avg 2x2"));
	ASSERT_EQ(0, hand(MAX, id, in, 2, 2, &w, ohw, FULL, want_max, "max 2x2"));
}

TEST(hand_negative_ties_and_clamp)
{
	/*
	 * Row [-1, 0, 3, -128], window 1x2, stride 1: (-1 + 0) / 2 = -0.5 ->
	 * -1 (away from zero), 3 / 2 = 1.5 -> 2, -125 / 2 = -62.5 -> -63.
	 * Max: 0, 3, 3. Clamp [-50, 1]: averages -1, 1, -50; maxes 0, 1, 1.
	 */
	static const uint32_t id[4] = { 1, 1, 4, 1 }, ohw[2] = { 1, 3 };
	static const int8_t in[4] = { -1, 0, 3, -128 };
	static const int8_t want_avg[3] = { -1, 2, -63 }, want_max[3] = { 0, 3, 3 };
	static const int8_t cl_avg[3] = { -1, 1, -50 }, cl_max[3] = { 0, 1, 1 };
	const struct qaccel_window w = { 1, 1, 1, 1, 0, 0 };
	const struct qaccel_clamp cl = { -50, 1 };

	ASSERT_EQ(0, hand(AVG, id, in, 1, 2, &w, ohw, FULL, want_avg, "avg ties"));
	ASSERT_EQ(0, hand(MAX, id, in, 1, 2, &w, ohw, FULL, want_max, "max row"));
	ASSERT_EQ(0, hand(AVG, id, in, 1, 2, &w, ohw, cl, cl_avg, "avg clamp"));
	ASSERT_EQ(0, hand(MAX, id, in, 1, 2, &w, ohw, cl, cl_max, "max clamp"));
}

TEST(hand_window_wholly_in_padding)
{
	/*
	 * Input 1x1 [-100], window 1x1, stride 2, output 1x2: the second
	 * window reads column 2, outside: average 0, max -128 (the ISA's
	 * definition; TFLite never builds such an output). Clamp [-5, 5]
	 * maps those to 0 and -5, and -100 to -5.
	 */
	static const uint32_t id[4] = { 1, 1, 1, 1 }, ohw[2] = { 1, 2 };
	static const int8_t in[1] = { -100 };
	static const int8_t want_avg[2] = { -100, 0 }, want_max[2] = { -100, -128 };
	static const int8_t cl_avg[2] = { -5, 0 }, cl_max[2] = { -5, -5 };
	const struct qaccel_window w = { 2, 2, 1, 1, 0, 0 };
	const struct qaccel_clamp cl = { -5, 5 };

	ASSERT_EQ(0, hand(AVG, id, in, 1, 1, &w, ohw, FULL, want_avg, "avg pad"));
	ASSERT_EQ(0, hand(MAX, id, in, 1, 1, &w, ohw, FULL, want_max, "max pad"));
	ASSERT_EQ(0, hand(AVG, id, in, 1, 1, &w, ohw, cl, cl_avg, "avg pad clamp"));
	ASSERT_EQ(0, hand(MAX, id, in, 1, 1, &w, ohw, cl, cl_max, "max pad clamp"));
}

TEST(random_against_oracle)
{
	t_seed_init(501);
	for (int it = 0; it < 600; it++) {
		uint32_t id[4] = { t_dim(3), t_dim(12), t_dim(12), t_dim(9) };
		uint32_t fh = t_dim(5), fw = t_dim(5), ohw[2], op;
		struct t_bufs b = { 0 };
		struct qaccel_cmd_pool2d c;
		struct qaccel_window w;
		char what[300];

		if (t_one_in(20)) {
			fh = t_range(1, 64);
			fw = t_range(1, 64);
		}
		op = t_rand() & 1 ? MAX : AVG;
		t_rand_window(&w, fh, fw, 0);
		ohw[0] = t_win_out(id[1], fh, w.pad_top, w.stride_h, 1);
		ohw[1] = t_win_out(id[2], fw, w.pad_left, w.stride_w, 1);
		pool_cmd(&b, &c, op, id, fh, fw, ohw, t_zp());
		c.win = w;
		c.clamp = t_rand_clamp();
		if (t_one_in(4))	/* extremes: sums far from 0, ties */
			for (size_t i = 0; i < t_elems(id); i++)
				t_data(&b, &c.input)[i] = t_rand() & 1 ? 127 : -128;
		snprintf(what, sizeof(what), "pool op %u in " T_DIMS_FMT " k %ux%u out "
			 T_DIMS_FMT " stride %u,%u pad %u,%u clamp %d..%d", op,
			 T_DIMS_ARGS(c.input), fh, fw, T_DIMS_ARGS(c.output),
			 w.stride_h, w.stride_w, w.pad_top, w.pad_left, c.clamp.min,
			 c.clamp.max);
		ASSERT_EQ(0, o_check(&c, sizeof(c), &b, what));
		t_bufs_free(&b);
	}
}

TEST_HARNESS_MAIN
