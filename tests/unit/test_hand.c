// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Small cases of every command worked out by hand from the real-number
 * meaning. "0.5" below is the quantized multiplier (2^30, shift 0) and
 * "1.0" is (2^30, shift 1). Double rounding: a product half-way between
 * two integers rounds up (srdhm), a right shift half-way rounds away from
 * zero.
 */
#include "kselftest_harness.h"
#include "cmd_util.h"

#define HALF ((struct qaccel_qmul){ 1 << 30, 0 })
#define ONE ((struct qaccel_qmul){ 1 << 30, 1 })
#define FULL ((struct qaccel_clamp){ -128, 127 })

static void set(struct t_bufs *b, const struct qaccel_tensor *t, const int8_t *v,
		size_t n)
{
	memcpy(t_data(b, t), v, n);
}

static void requant1(struct t_bufs *b, struct qaccel_requant *r, struct qaccel_qmul q)
{
	r->count = 1;
	r->params.buf = t_buf_new(b, sizeof(q));
	memcpy(t_ptr(b, &r->params), &q, sizeof(q));
}

static void run(struct __test_metadata *_metadata, struct t_bufs *b, void *cmd,
		uint32_t size)
{
	struct qaccel_validate_error e = { 0 };

	if (t_validate_one(cmd, size, b, &e))
		printf("# rejected: %s\n", e.reason);
	ASSERT_EQ(t_validate_one(cmd, size, b, NULL), 0);
	qaccel_exec_cmd(cmd, b->v);
}

TEST(conv_1x1_bias_and_tie)
{
	struct t_bufs b = { 0 };
	struct qaccel_cmd_conv2d c = { .hdr = { QACCEL_OP_CONV_2D, sizeof(c) } };
	int32_t bias = 5;

	t_seed_init(1);
	t_tensor(&b, &c.input, 1, 1, 1, 2, 0);
	t_tensor(&b, &c.filter, 1, 1, 1, 2, 0);
	t_tensor(&b, &c.output, 1, 1, 1, 1, -3);
	set(&b, &c.input, (int8_t[]){ 10, 20 }, 2);
	set(&b, &c.filter, (int8_t[]){ 1, 2 }, 2);
	c.bias.buf = t_buf_new(&b, 4);
	memcpy(t_ptr(&b, &c.bias), &bias, 4);
	requant1(&b, &c.requant, HALF);
	c.win = (struct qaccel_window){ 1, 1, 1, 1, 0, 0 };
	c.clamp = FULL;
	run(_metadata, &b, &c, sizeof(c));
	/* 10*1 + 20*2 + 5 = 55; 55 * 0.5 = 27.5 -> 28; + (-3) = 25 */
	ASSERT_EQ(t_data(&b, &c.output)[0], 25);
	t_bufs_free(&b);
}

TEST(conv_3x3_padding_skips_taps)
{
	struct t_bufs b = { 0 };
	struct qaccel_cmd_conv2d c = { .hdr = { QACCEL_OP_CONV_2D, sizeof(c) } };

	t_seed_init(2);
	t_tensor(&b, &c.input, 1, 2, 2, 1, 1);
	t_tensor(&b, &c.filter, 1, 3, 3, 1, 0);
	t_tensor(&b, &c.output, 1, 2, 2, 1, 0);
	memset(t_data(&b, &c.input), 4, 4);
	memset(t_data(&b, &c.filter), 1, 9);
	c.bias.buf = QACCEL_NO_BUFFER;
	requant1(&b, &c.requant, ONE);
	c.win = (struct qaccel_window){ 1, 1, 1, 1, 1, 1 };
	c.clamp = FULL;
	run(_metadata, &b, &c, sizeof(c));
	/* Every output sees the 4 input pixels: 4 * (4 - 1) = 12. */
	for (int i = 0; i < 4; i++)
		ASSERT_EQ(t_data(&b, &c.output)[i], 12);
	t_bufs_free(&b);
}

TEST(depthwise_multiplier_2)
{
	struct t_bufs b = { 0 };
	struct qaccel_cmd_dwconv2d c = {
		.hdr = { QACCEL_OP_DEPTHWISE_CONV_2D, sizeof(c) }, .depth_multiplier = 2 };

	t_seed_init(3);
	t_tensor(&b, &c.input, 1, 1, 1, 1, -1);
	t_tensor(&b, &c.filter, 1, 1, 1, 2, 0);
	t_tensor(&b, &c.output, 1, 1, 1, 2, 1);
	set(&b, &c.input, (int8_t[]){ 5 }, 1);
	set(&b, &c.filter, (int8_t[]){ 2, -3 }, 2);
	c.bias.buf = QACCEL_NO_BUFFER;
	requant1(&b, &c.requant, HALF);
	c.win = (struct qaccel_window){ 1, 1, 1, 1, 0, 0 };
	c.clamp = FULL;
	run(_metadata, &b, &c, sizeof(c));
	/* (5 + 1) * 2 = 12 -> 6 + 1 = 7;  6 * -3 = -18 -> -9 + 1 = -8 */
	ASSERT_EQ(t_data(&b, &c.output)[0], 7);
	ASSERT_EQ(t_data(&b, &c.output)[1], -8);
	t_bufs_free(&b);
}

TEST(fully_connected_bias_and_clamp)
{
	struct t_bufs b = { 0 };
	struct qaccel_cmd_fc c = { .hdr = { QACCEL_OP_FULLY_CONNECTED, sizeof(c) } };
	int32_t bias[2] = { 0, 100 };

	t_seed_init(4);
	t_tensor(&b, &c.input, 1, 1, 1, 3, 0);
	t_tensor(&b, &c.filter, 1, 1, 2, 3, 0);
	t_tensor(&b, &c.output, 1, 1, 1, 2, 0);
	set(&b, &c.input, (int8_t[]){ 1, 2, 3 }, 3);
	set(&b, &c.filter, (int8_t[]){ 1, 1, 1, -1, 0, 1 }, 6);
	c.bias.buf = t_buf_new(&b, 8);
	memcpy(t_ptr(&b, &c.bias), bias, 8);
	requant1(&b, &c.requant, ONE);
	c.clamp = (struct qaccel_clamp){ -128, 100 };
	run(_metadata, &b, &c, sizeof(c));
	/* 1+2+3 = 6; -1+3+100 = 102, clamped to 100 */
	ASSERT_EQ(t_data(&b, &c.output)[0], 6);
	ASSERT_EQ(t_data(&b, &c.output)[1], 100);
	t_bufs_free(&b);
}

static int8_t binary(struct __test_metadata *_metadata, uint32_t op, int8_t x, int8_t y)
{
	struct t_bufs b = { 0 };
	struct qaccel_cmd_binary c = { .hdr = { op, sizeof(c) } };
	int8_t r;

	t_tensor(&b, &c.input1, 1, 1, 1, 1, 0);
	t_tensor(&b, &c.input2, 1, 1, 1, 1, 0);
	t_tensor(&b, &c.output, 1, 1, 1, 1, 0);
	set(&b, &c.input1, &x, 1);
	set(&b, &c.input2, &y, 1);
	if (op == QACCEL_OP_MUL) {
		c.output_qmul = HALF;
	} else {
		c.left_shift = 20;
		c.input1_qmul = HALF;
		c.input2_qmul = HALF;
		c.output_qmul = (struct qaccel_qmul){ 1 << 30, -19 };	/* 2^-20 */
	}
	c.clamp = FULL;
	run(_metadata, &b, &c, sizeof(c));
	r = t_data(&b, &c.output)[0];
	t_bufs_free(&b);
	return r;
}

TEST(add_sub_mul)
{
	t_seed_init(5);
	/* (10 * 2^20 * 0.5 + 20 * 2^20 * 0.5) * 2^-20 = 15 */
	ASSERT_EQ(binary(_metadata, QACCEL_OP_ADD, 10, 20), 15);
	/* 5 - 10 = -5 */
	ASSERT_EQ(binary(_metadata, QACCEL_OP_SUB, 10, 20), -5);
	/* 6 * -7 = -42, * 0.5 = -21; 3 * -1 * 0.5 = -1.5 rounds up to -1 */
	ASSERT_EQ(binary(_metadata, QACCEL_OP_MUL, 6, -7), -21);
	ASSERT_EQ(binary(_metadata, QACCEL_OP_MUL, 3, -1), -1);
	/* 127 * 127 * 0.5 = 8064.5 -> clamps to 127 */
	ASSERT_EQ(binary(_metadata, QACCEL_OP_MUL, 127, 127), 127);
}

static int8_t pool(struct __test_metadata *_metadata, uint32_t op, const int8_t *v, int w)
{
	struct t_bufs b = { 0 };
	struct qaccel_cmd_pool2d c = { .hdr = { op, sizeof(c) } };
	int8_t r;

	t_tensor(&b, &c.input, 1, 1, w, 1, 0);
	t_tensor(&b, &c.output, 1, 1, 1, 1, 0);
	set(&b, &c.input, v, w);
	c.filter_h = 1;
	c.filter_w = w;
	c.win = (struct qaccel_window){ 1, 1, 1, 1, 0, 0 };
	c.clamp = FULL;
	run(_metadata, &b, &c, sizeof(c));
	r = t_data(&b, &c.output)[0];
	t_bufs_free(&b);
	return r;
}

TEST(pooling_rounding)
{
	t_seed_init(6);
	/* 11 / 4 = 2.75 -> 3;  -11 / 4 -> -3;  3 / 2 = 1.5 -> 2;  -1.5 -> -2 */
	ASSERT_EQ(pool(_metadata, QACCEL_OP_AVERAGE_POOL_2D, (int8_t[]){ 1, 2, 3, 5 }, 4), 3);
	ASSERT_EQ(pool(_metadata, QACCEL_OP_AVERAGE_POOL_2D, (int8_t[]){ -1, -2, -3, -5 }, 4), -3);
	ASSERT_EQ(pool(_metadata, QACCEL_OP_AVERAGE_POOL_2D, (int8_t[]){ 1, 2 }, 2), 2);
	ASSERT_EQ(pool(_metadata, QACCEL_OP_AVERAGE_POOL_2D, (int8_t[]){ -1, -2 }, 2), -2);
	ASSERT_EQ(pool(_metadata, QACCEL_OP_MAX_POOL_2D, (int8_t[]){ 1, -7, 3, 2 }, 4), 3);
	ASSERT_EQ(pool(_metadata, QACCEL_OP_MAX_POOL_2D, (int8_t[]){ -128, -128 }, 2), -128);
}

TEST(lut_pad_mean_requantize)
{
	struct t_bufs b = { 0 };
	struct qaccel_cmd_lut l = { .hdr = { QACCEL_OP_LUT, sizeof(l) } };
	struct qaccel_cmd_pad p = { .hdr = { QACCEL_OP_PAD, sizeof(p) } };
	struct qaccel_cmd_mean m = { .hdr = { QACCEL_OP_MEAN, sizeof(m) } };
	struct qaccel_cmd_requantize q = { .hdr = { QACCEL_OP_REQUANTIZE, sizeof(q) } };
	int8_t *tab;

	t_seed_init(7);
	/* LUT: x maps to table[x + 128]: -128 -> table[0], 127 -> table[255]. */
	t_tensor(&b, &l.input, 1, 1, 1, 2, 0);
	t_tensor(&b, &l.output, 1, 1, 1, 2, 0);
	set(&b, &l.input, (int8_t[]){ -128, 127 }, 2);
	l.table.buf = t_buf_new(&b, 256);
	tab = t_ptr(&b, &l.table);
	tab[0] = 42;
	tab[255] = -42;
	run(_metadata, &b, &l, sizeof(l));
	ASSERT_EQ(t_data(&b, &l.output)[0], 42);
	ASSERT_EQ(t_data(&b, &l.output)[1], -42);
	/* PAD: {7, 8} with one before and one after along W, value -1. */
	t_tensor(&b, &p.input, 1, 1, 2, 1, 0);
	t_tensor(&b, &p.output, 1, 1, 4, 1, 0);
	set(&b, &p.input, (int8_t[]){ 7, 8 }, 2);
	p.before[2] = 1;
	p.pad_value = -1;
	run(_metadata, &b, &p, sizeof(p));
	ASSERT_EQ(memcmp(t_data(&b, &p.output), (int8_t[]){ -1, 7, 8, -1 }, 4), 0);
	/* MEAN: (1+2+3+4) * 1.0 = 10, / 4 = 2.5 -> 3 (away from zero). */
	t_tensor(&b, &m.input, 1, 2, 2, 1, 0);
	t_tensor(&b, &m.output, 1, 1, 1, 1, 0);
	set(&b, &m.input, (int8_t[]){ 1, 2, 3, 4 }, 4);
	m.qmul = ONE;
	m.divisor = 4;
	m.clamp = FULL;
	run(_metadata, &b, &m, sizeof(m));
	ASSERT_EQ(t_data(&b, &m.output)[0], 3);
	/* REQUANTIZE: (10 - 2) * 0.25 = 2, + (-1) = 1. */
	t_tensor(&b, &q.input, 1, 1, 1, 1, 2);
	t_tensor(&b, &q.output, 1, 1, 1, 1, -1);
	set(&b, &q.input, (int8_t[]){ 10 }, 1);
	q.qmul = (struct qaccel_qmul){ 1 << 30, -1 };
	run(_metadata, &b, &q, sizeof(q));
	ASSERT_EQ(t_data(&b, &q.output)[0], 1);
	t_bufs_free(&b);
}

TEST_HARNESS_MAIN
