// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * DEPTHWISE_CONV_2D (TFLite reference_integer_ops::DepthwiseConvPerChannel):
 * hand-worked depth multiplier case, random shapes, multipliers, strides,
 * dilations and paddings against tests/unit/oracle.h.
 */
#include "kselftest_harness.h"
#include "oracle.h"

static void dw_cmd(struct t_bufs *b, struct qaccel_cmd_dwconv2d *c,
		   const uint32_t *in, int32_t zi, uint32_t dm, uint32_t kh,
		   uint32_t kw, const uint32_t *out_hw, int32_t zo)
{
	uint32_t oc = in[3] * dm;
	uint32_t fd[4] = { 1, kh, kw, oc };
	uint32_t od[4] = { in[0], out_hw[0], out_hw[1], oc };

	memset(c, 0, sizeof(*c));
	c->hdr.opcode = QACCEL_OP_DEPTHWISE_CONV_2D;
	c->hdr.size = sizeof(*c);
	t_tensor_at(b, &c->input, in, zi, t_slack());
	t_tensor_at(b, &c->filter, fd, 0, t_slack());
	t_tensor_at(b, &c->output, od, zo, t_slack());
	c->bias.buf = QACCEL_NO_BUFFER;
	c->win = (struct qaccel_window){ 1, 1, 1, 1, 0, 0 };
	c->clamp = (struct qaccel_clamp){ -128, 127 };
	c->depth_multiplier = dm;
}

TEST(hand_depth_multiplier_2)
{
	/*
	 * Input 1x2x2x2, zp 1: channel 0 raw 2, 3, 4, 5 (offset 1, 2, 3, 4),
	 * channel 1 raw 1, 1, 1, 11 (offset 0, 0, 0, 10). Depth multiplier 2:
	 * output channels 0, 1 read input channel 0; 2, 3 read channel 1.
	 * Filter 2x2 per output channel: oc0 all 1, oc1 [1 0; 0 -1],
	 * oc2 all 2, oc3 [0 0; 0 3]. Output 1x1:
	 *   oc0 = 1 + 2 + 3 + 4 = 10; oc1 = 1 - 4 = -3;
	 *   oc2 = 2 * 10 = 20; oc3 = 3 * 10 = 30.
	 * Bias [0, 0, 1, -31]: 10, -3, 21, -1. qmul (2^30, 0) = 0.5:
	 * double: 5, -1.5 -> srdhm ties up -> -1, 10.5 -> 11, -0.5 -> 0;
	 * zo 100: 105, 99, 111, 100.
	 */
	static const int8_t in[8] = { 2, 1, 3, 1, 4, 1, 5, 11 };
	/* filter [1, 2, 2, 4]: tap-major, output channel fastest */
	static const int8_t f[16] = { 1, 1, 2, 0, 1, 0, 2, 0,
				      1, 0, 2, 0, 1, -1, 2, 3 };
	static const int8_t want[4] = { 105, 99, 111, 100 };
	static const int32_t bias[4] = { 0, 0, 1, -31 };
	const struct qaccel_qmul q = { 1 << 30, 0 };
	const uint32_t id[4] = { 1, 2, 2, 2 }, ohw[2] = { 1, 1 };
	struct t_bufs b = { 0 };
	struct qaccel_cmd_dwconv2d c;

	t_seed_init(1);
	dw_cmd(&b, &c, id, 1, 2, 2, 2, ohw, 100);
	t_fill(&b, &c.input, in);
	t_fill(&b, &c.filter, f);
	c.bias = t_words(&b, 4, 0);
	memcpy(t_ptr(&b, &c.bias), bias, sizeof(bias));
	c.requant = (struct qaccel_requant){ t_words(&b, 2, 0), 1, QACCEL_ROUND_DOUBLE };
	memcpy(t_ptr(&b, &c.requant.params), &q, sizeof(q));
	ASSERT_EQ(0, o_check_expect(&c, sizeof(c), &b, t_data(&b, &c.output),
				    want, 4, "dwconv hand"));
	/*
	 * Single rounding: -1.5 -> floor(-1.5 + 0.5) = -1, 10.5 -> 11,
	 * -0.5 -> 0: the same bytes here.
	 */
	c.requant.rounding = QACCEL_ROUND_SINGLE;
	ASSERT_EQ(0, o_check_expect(&c, sizeof(c), &b, t_data(&b, &c.output),
				    want, 4, "dwconv hand single"));
	t_bufs_free(&b);
}

static void rand_dw(struct t_bufs *b, struct qaccel_cmd_dwconv2d *c, int extreme,
		    char *what, size_t len)
{
	uint32_t id[4] = { t_dim(3), t_dim(10), t_dim(10), t_dim(6) };
	uint32_t dm = t_one_in(2) ? 1 : t_range(2, 4), kh = t_dim(5), kw = t_dim(5);
	uint32_t ohw[2];
	struct qaccel_window w;

	t_rand_window(&w, kh, kw, 1);
	ohw[0] = t_win_out(id[1], kh, w.pad_top, w.stride_h, w.dilation_h);
	ohw[1] = t_win_out(id[2], kw, w.pad_left, w.stride_w, w.dilation_w);
	dw_cmd(b, c, id, t_zp(), dm, kh, kw, ohw, t_zp());
	c->win = w;
	c->bias = t_rand_bias(b, id[3] * dm);
	t_rand_requant(b, &c->requant, id[3] * dm);
	c->clamp = t_rand_clamp();
	if (extreme) {
		int8_t *x = t_data(b, &c->input), *f = t_data(b, &c->filter);

		for (size_t i = 0; i < t_elems(c->input.dims); i++)
			x[i] = t_rand() & 1 ? 127 : -128;
		for (size_t i = 0; i < t_elems(c->filter.dims); i++)
			f[i] = t_rand() & 1 ? 127 : -128;
	}
	snprintf(what, len, "dwconv in " T_DIMS_FMT " dm %u k %ux%u out " T_DIMS_FMT
		 " stride %u,%u dil %u,%u pad %u,%u bias %s q %u rnd %u clamp %d..%d",
		 T_DIMS_ARGS(c->input), dm, kh, kw, T_DIMS_ARGS(c->output),
		 w.stride_h, w.stride_w, w.dilation_h, w.dilation_w, w.pad_top,
		 w.pad_left, c->bias.buf == QACCEL_NO_BUFFER ? "none" : "yes",
		 c->requant.count, c->requant.rounding, c->clamp.min, c->clamp.max);
}

TEST(random_against_oracle)
{
	t_seed_init(201);
	for (int it = 0; it < 500; it++) {
		struct t_bufs b = { 0 };
		struct qaccel_cmd_dwconv2d c;
		char what[512];

		rand_dw(&b, &c, t_one_in(4), what, sizeof(what));
		ASSERT_EQ(0, o_check(&c, sizeof(c), &b, what));
		t_bufs_free(&b);
	}
}

TEST(largest_window_and_stride)
{
	/* 64x64 window at dilation 1, strides 64: one output reads all. */
	const uint32_t id[4] = { 1, 64, 64, 2 }, ohw[2] = { 2, 2 };
	struct t_bufs b = { 0 };
	struct qaccel_cmd_dwconv2d c;

	t_seed_init(202);
	dw_cmd(&b, &c, id, t_zp(), 2, 64, 64, ohw, t_zp());
	c.win = (struct qaccel_window){ 64, 64, 1, 1, 63, 0 };
	t_rand_requant(&b, &c.requant, 4);
	ASSERT_EQ(0, o_check(&c, sizeof(c), &b, "dwconv 64x64"));
	t_bufs_free(&b);
}

TEST_HARNESS_MAIN
