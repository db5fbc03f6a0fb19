// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * CONV_2D (TFLite reference_integer_ops::ConvPerChannel): hand-worked
 * cases, requantization and accumulator edges, and random shapes, strides,
 * dilations, paddings and parameters against tests/unit/oracle.h.
 */
#include "kselftest_harness.h"
#include "oracle.h"

/* A conv command over new tensors; filter [oc, kh, kw, ic], zero point 0. */
static void conv_cmd(struct t_bufs *b, struct qaccel_cmd_conv2d *c,
		     const uint32_t *in, int32_t zi, uint32_t oc, uint32_t kh,
		     uint32_t kw, const uint32_t *out_hw, int32_t zo)
{
	uint32_t fd[4] = { oc, kh, kw, in[3] };
	uint32_t od[4] = { in[0], out_hw[0], out_hw[1], oc };

	memset(c, 0, sizeof(*c));
	c->hdr.opcode = QACCEL_OP_CONV_2D;
	c->hdr.size = sizeof(*c);
	t_tensor_at(b, &c->input, in, zi, t_slack());
	t_tensor_at(b, &c->filter, fd, 0, t_slack());
	t_tensor_at(b, &c->output, od, zo, t_slack());
	c->bias.buf = QACCEL_NO_BUFFER;
	c->win = (struct qaccel_window){ 1, 1, 1, 1, 0, 0 };
	c->clamp = (struct qaccel_clamp){ -128, 127 };
}

static void set_qmuls(struct t_bufs *b, struct qaccel_requant *rq,
		      const struct qaccel_qmul *q, uint32_t n, uint32_t rounding)
{
	rq->count = n;
	rq->rounding = rounding;
	rq->params = t_words(b, 2 * n, 0);
	memcpy(t_ptr(b, &rq->params), q, n * sizeof(*q));
}

TEST(hand_valid_3x3_by_2x2)
{
	/*
	 * Input zp 3, raw 4..12, so offset values v = 1..9 (row-major 3x3).
	 * Filter [1 2; 3 4], stride 1, no padding, output 2x2:
	 *   1*1 + 2*2 + 3*4 + 4*5 = 37, 47, 67, 77; + bias 3 = 40, 50, 70, 80.
	 * qmul (2^30, -1) = 0.5 * 2^-1 = 0.25: 10, 12.5, 17.5, 20.
	 * Double: srdhm halves (20, 25, 35, 40), rdbpot(1) ties away: 10, 13,
	 * 18, 20. Single: floor(x / 4 + 1/2) gives the same. zo -5:
	 * 5, 8, 13, 15.
	 */
	static const int8_t in[9] = { 4, 5, 6, 7, 8, 9, 10, 11, 12 };
	static const int8_t f[4] = { 1, 2, 3, 4 };
	static const int8_t want[4] = { 5, 8, 13, 15 };
	const struct qaccel_qmul q = { 1 << 30, -1 };
	const uint32_t id[4] = { 1, 3, 3, 1 }, ohw[2] = { 2, 2 };

	for (uint32_t r = 0; r < 2; r++) {
		struct t_bufs b = { 0 };
		struct qaccel_cmd_conv2d c;

		t_seed_init(1);
		conv_cmd(&b, &c, id, 3, 1, 2, 2, ohw, -5);
		t_fill(&b, &c.input, in);
		t_fill(&b, &c.filter, f);
		c.bias = t_words(&b, 1, 0);
		*(int32_t *)t_ptr(&b, &c.bias) = 3;
		set_qmuls(&b, &c.requant, &q, 1, r);
		ASSERT_EQ(0, o_check_expect(&c, sizeof(c), &b, t_data(&b, &c.output),
					    want, 4, "conv hand 3x3"));
		t_bufs_free(&b);
	}
}

TEST(hand_padded_dilated_per_channel)
{
	/*
	 * v = 1..9 as above (zp 3). Dilation 2, pad 1 top and left, stride 1,
	 * output 2x2, two channels, filters f0 = [1 2; 3 4], f1 = [-1 0; 0 2].
	 * Output row 0 reads rows -1 (skipped) and 1; row 1 reads rows 0, 2;
	 * columns likewise. Sums:
	 *   f0: (0,0) 4*5 = 20; (0,1) 3*4 + 4*6 = 36; (1,0) 2*2 + 4*8 = 36;
	 *       (1,1) 1*1 + 2*3 + 3*7 + 4*9 = 64
	 *   f1: (0,0) 2*5 = 10; (0,1) 2*6 = 12; (1,0) 2*8 = 16;
	 *       (1,1) -1*1 + 2*9 = 17
	 * Per channel: ch0 (2^30, 0) = 0.5: 10, 18, 18, 32; ch1 (2^30, 1) = 1:
	 * 10, 12, 16, 17. Clamp max 30 cuts 32 to 30.
	 */
	static const int8_t in[9] = { 4, 5, 6, 7, 8, 9, 10, 11, 12 };
	static const int8_t f[8] = { 1, 2, 3, 4, -1, 0, 0, 2 };
	static const int8_t want[8] = { 10, 10, 18, 12, 18, 16, 30, 17 };
	const struct qaccel_qmul q[2] = { { 1 << 30, 0 }, { 1 << 30, 1 } };
	const uint32_t id[4] = { 1, 3, 3, 1 }, ohw[2] = { 2, 2 };
	struct t_bufs b = { 0 };
	struct qaccel_cmd_conv2d c;

	t_seed_init(2);
	conv_cmd(&b, &c, id, 3, 2, 2, 2, ohw, 0);
	t_fill(&b, &c.input, in);
	t_fill(&b, &c.filter, f);
	set_qmuls(&b, &c.requant, q, 2, QACCEL_ROUND_DOUBLE);
	c.win = (struct qaccel_window){ 1, 1, 2, 2, 1, 1 };
	c.clamp.max = 30;
	ASSERT_EQ(0, o_check_expect(&c, sizeof(c), &b, t_data(&b, &c.output),
				    want, 8, "conv hand dilated"));
	t_bufs_free(&b);
}

TEST(hand_batches_and_window_in_padding)
{
	/*
	 * Two batches of a 1x2x1 input (zp -128): batch 0 raw -127, -126
	 * (offset 1, 2), batch 1 raw 127, 127 (offset 255, 255). Filter 1x1
	 * [2, -1], stride 2 over W, output width 2: column 0 reads input
	 * column 0, column 1 would read column 2 (outside): only the bias.
	 * 1x1 input row, so filter over channels: IC = 2, W = 1.
	 * Batch 0: 2*1 - 1*2 = 0 (+ bias 7 = 7); batch 1: 2*255 - 255 = 255
	 * + 7 = 262. Window in padding: 7. qmul (2^31 - 1, 0) ~ 1 - 2^-31:
	 * 7 -> 7, 262 -> 262 (srdhm rounds 261.9999998 up). zo -128 and the
	 * full clamp: -121, 127 (134 saturates), padding -121.
	 */
	static const int8_t in[4] = { -127, -126, 127, 127 };
	static const int8_t f[2] = { 2, -1 };
	static const int8_t want[4] = { -121, -121, 127, -121 };
	const struct qaccel_qmul q = { INT32_MAX, 0 };
	const uint32_t id[4] = { 2, 1, 1, 2 }, ohw[2] = { 1, 2 };
	struct t_bufs b = { 0 };
	struct qaccel_cmd_conv2d c;

	t_seed_init(3);
	conv_cmd(&b, &c, id, -128, 1, 1, 1, ohw, -128);
	t_fill(&b, &c.input, in);
	t_fill(&b, &c.filter, f);
	c.bias = t_words(&b, 1, 1);
	*(int32_t *)t_ptr(&b, &c.bias) = 7;
	set_qmuls(&b, &c.requant, &q, 1, QACCEL_ROUND_SINGLE);
	c.win.stride_w = 2;
	ASSERT_EQ(0, o_check_expect(&c, sizeof(c), &b, t_data(&b, &c.output),
				    want, 4, "conv hand batches"));
	t_bufs_free(&b);
}

/* One random conv; extreme picks values at the int8 and int32 ends. */
static void rand_conv(struct t_bufs *b, struct qaccel_cmd_conv2d *c, int extreme,
		      char *what, size_t len)
{
	uint32_t id[4] = { t_dim(2), t_dim(9), t_dim(9), t_dim(8) };
	uint32_t oc = t_dim(8), kh = t_dim(5), kw = t_dim(5), ohw[2];
	struct qaccel_window w;

	if (t_one_in(10))
		id[3] = t_range(9, 64);
	t_rand_window(&w, kh, kw, 1);
	ohw[0] = t_win_out(id[1], kh, w.pad_top, w.stride_h, w.dilation_h);
	ohw[1] = t_win_out(id[2], kw, w.pad_left, w.stride_w, w.dilation_w);
	conv_cmd(b, c, id, t_zp(), oc, kh, kw, ohw, t_zp());
	c->win = w;
	c->bias = t_rand_bias(b, oc);
	t_rand_requant(b, &c->requant, oc);
	c->clamp = t_rand_clamp();
	if (extreme) {
		int8_t *x = t_data(b, &c->input), *f = t_data(b, &c->filter);

		for (size_t i = 0; i < t_elems(c->input.dims); i++)
			x[i] = t_rand() & 1 ? 127 : -128;
		for (size_t i = 0; i < t_elems(c->filter.dims); i++)
			f[i] = t_rand() & 1 ? 127 : -128;
	}
	snprintf(what, len, "conv in " T_DIMS_FMT " filter [%u,%u,%u,%u] out "
		 T_DIMS_FMT " stride %u,%u dil %u,%u pad %u,%u bias %s q %u rnd %u "
		 "clamp %d..%d", T_DIMS_ARGS(c->input), oc, kh, kw, id[3],
		 T_DIMS_ARGS(c->output), w.stride_h, w.stride_w, w.dilation_h,
		 w.dilation_w, w.pad_top, w.pad_left,
		 c->bias.buf == QACCEL_NO_BUFFER ? "none" : "yes", c->requant.count,
		 c->requant.rounding, c->clamp.min, c->clamp.max);
}

TEST(random_against_oracle)
{
	t_seed_init(101);
	for (int it = 0; it < 400; it++) {
		struct t_bufs b = { 0 };
		struct qaccel_cmd_conv2d c;
		char what[512];

		rand_conv(&b, &c, 0, what, sizeof(what));
		ASSERT_EQ(0, o_check(&c, sizeof(c), &b, what));
		t_bufs_free(&b);
	}
}

TEST(random_extreme_values)
{
	t_seed_init(102);
	for (int it = 0; it < 200; it++) {
		struct t_bufs b = { 0 };
		struct qaccel_cmd_conv2d c;
		char what[512];

		rand_conv(&b, &c, 1, what, sizeof(what));
		ASSERT_EQ(0, o_check(&c, sizeof(c), &b, what));
		t_bufs_free(&b);
	}
}

TEST(deepest_accumulation_and_bias_wrap)
{
	/*
	 * KH * KW * IC = 2^16 products of 127 * 255 (input -128, zp 127 gives
	 * -255; weight -128 gives +32640 each): 2^16 * 32640 = 2139095040,
	 * just below 2^31. A bias of 2^31 - 1 then wraps in 32 bits, as the
	 * ISA defines; both channels are compared with the oracle.
	 */
	const uint32_t id[4] = { 1, 4, 4, 4096 }, ohw[2] = { 1, 1 };
	const struct qaccel_qmul q[2] = { { 1 << 30, -31 }, { INT32_MAX, -20 } };
	struct t_bufs b = { 0 };
	struct qaccel_cmd_conv2d c;

	t_seed_init(103);
	conv_cmd(&b, &c, id, 127, 2, 4, 4, ohw, 0);
	memset(t_data(&b, &c.input), 0x80, t_elems(c.input.dims));
	memset(t_data(&b, &c.filter), 0x80, t_elems(c.filter.dims));
	c.bias = t_words(&b, 2, 0);
	((int32_t *)t_ptr(&b, &c.bias))[0] = 0;
	((int32_t *)t_ptr(&b, &c.bias))[1] = INT32_MAX;
	for (uint32_t r = 0; r < 2; r++) {
		set_qmuls(&b, &c.requant, q, 2, r);
		ASSERT_EQ(0, o_check(&c, sizeof(c), &b, "conv deepest"));
		b.n--;
		free(b.v[b.n].ptr);
	}
	t_bufs_free(&b);
}

TEST(offsets_respected_in_shared_buffer)
{
	/*
	 * Input, filter and output in one buffer at different offsets; every
	 * byte of the buffer outside the output must survive.
	 */
	t_seed_init(104);
	for (int it = 0; it < 50; it++) {
		struct t_bufs b = { 0 };
		struct qaccel_cmd_conv2d c;
		char what[512];
		uint32_t in_n, f_n, o_n, base;

		rand_conv(&b, &c, 0, what, sizeof(what));
		in_n = t_elems(c.input.dims);
		f_n = t_elems(c.filter.dims);
		o_n = t_elems(c.output.dims);
		base = t_buf_new(&b, 3 + in_n + 5 + f_n + 2 + o_n);
		memcpy(b.v[base].ptr + 3, t_data(&b, &c.input), in_n);
		memcpy(b.v[base].ptr + 8 + in_n, t_data(&b, &c.filter), f_n);
		c.input.ref = (struct qaccel_ref){ base, 3 };
		c.filter.ref = (struct qaccel_ref){ base, 8 + in_n };
		c.output.ref = (struct qaccel_ref){ base, 10 + in_n + f_n };
		ASSERT_EQ(0, o_check(&c, sizeof(c), &b, what));
		t_bufs_free(&b);
	}
}

TEST_HARNESS_MAIN
