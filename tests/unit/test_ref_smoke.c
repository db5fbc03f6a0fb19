// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Smoke test of the reference kernels and the executor: a few cases per
 * command, each worked out by hand from the real-number meaning, chosen to
 * pin the places where TFLite's integer arithmetic is easy to get wrong
 * (rounding of ties in each rounding mode, the negated SUB multiplier,
 * filter zero points, depthwise channel order, partial pooling windows).
 *
 * Commands go straight to qaccel_exec_cmd() (no validator), with buffers
 * that are plain local arrays. Multipliers used below:
 *   ONE = 1.0 (2^30, shift 1), HALF = 0.5 (2^30, shift 0),
 *   QUARTER = 0.25 (2^30, shift -1).
 * Double rounding: the doubling high multiply rounds a half up (towards
 * +inf), the right shift rounds a half away from zero. Single rounding:
 * one right shift of the 64-bit product, a half rounds up.
 */
#include "kselftest_harness.h"
#include "runtime/ref/qaccel_ref.h"

#define ONE ((struct qaccel_qmul){ 1 << 30, 1 })
#define HALF ((struct qaccel_qmul){ 1 << 30, 0 })
#define QUARTER ((struct qaccel_qmul){ 1 << 30, -1 })
#define FULL ((struct qaccel_clamp){ -128, 127 })

/* A dense tensor at the start of buffer buf. */
static struct qaccel_tensor tensor(uint32_t buf, uint32_t n, uint32_t h,
				   uint32_t w, uint32_t c, int32_t zp)
{
	struct qaccel_tensor t = {
		.ref = { buf, 0 },
		.dims = { n, h, w, c },
		.zero_point = zp,
	};

	return t;
}

static struct qaccel_buf_view view(void *p, size_t size)
{
	struct qaccel_buf_view v = { (uint8_t *)p, size };

	return v;
}

#define VIEW(a) view((a), sizeof(a))

/* Compares n int8 values and names the first index that differs. */
#define EXPECT_S8(got, want, n)						\
	do {								\
		for (size_t i_ = 0; i_ < (n); i_++) {			\
			if ((int8_t)(got)[i_] != (int8_t)(want)[i_])	\
				TH_LOG("index %zu: got %d want %d", i_,	\
				       (int8_t)(got)[i_],		\
				       (int8_t)(want)[i_]);		\
			ASSERT_EQ((int8_t)(got)[i_], (int8_t)(want)[i_]); \
		}							\
	} while (0)

TEST(conv2d_per_channel_dilated_padded)
{
	/* x - zp is 0..8 in raster order. */
	_Alignas(8) int8_t in[9] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
	/* oc 0: all ones; oc 1: (0,0)=1, (0,1)=-1, (1,0)=2, (1,1)=0. */
	_Alignas(8) int8_t filter[8] = { 1, 1, 1, 1, 1, -1, 2, 0 };
	_Alignas(8) int8_t out[8];
	_Alignas(8) int32_t bias[2] = { 1, -2 };
	_Alignas(8) struct qaccel_qmul q[2] = { HALF, QUARTER };
	struct qaccel_buf_view b[5] = {
		VIEW(in), VIEW(filter), VIEW(out), VIEW(bias), VIEW(q),
	};
	struct qaccel_cmd_conv2d c = {
		.hdr = { QACCEL_OP_CONV_2D, sizeof(c) },
		.input = tensor(0, 1, 3, 3, 1, 1),
		.filter = tensor(1, 2, 2, 2, 1, 0),
		.output = tensor(2, 1, 2, 2, 2, -1),
		.bias = { 3, 0 },
		.requant = { { 4, 0 }, 2, QACCEL_ROUND_DOUBLE },
		.win = { 1, 1, 2, 2, 1, 1 },
		.clamp = { -2, 7 },
	};
	/*
	 * Taps read rows/cols o - 1 and o + 1; -1 is skipped.
	 * oc 0 sums: 4, 3+5, 1+7, 0+2+6+8 -> +1 -> 5, 9, 9, 17
	 *   * 0.5 -> 3, 5, 5, 9 (halves up) -> -1 -> 2, 4, 4, 8 -> max 7
	 * oc 1 sums: 0, 2*3, -1*1, -2+2*6 -> -2 -> -2, 4, -3, 8
	 *   * 0.25 -> -1, 1, -1, 2 -> -1 -> -2, 0, -2, 1
	 */
	static const int8_t want[8] = { 2, -2, 4, 0, 4, -2, 7, 1 };

	qaccel_exec_cmd(&c.hdr, b);
	EXPECT_S8(out, want, 8);
}

TEST(conv2d_no_bias_single_rounding)
{
	_Alignas(8) int8_t in[2] = { -3, 5 };
	_Alignas(8) int8_t filter[2] = { 1, 0 };
	_Alignas(8) int8_t out[1];
	_Alignas(8) struct qaccel_qmul q[1] = { QUARTER };
	struct qaccel_buf_view b[4] = {
		VIEW(in), VIEW(filter), VIEW(out), VIEW(q),
	};
	struct qaccel_cmd_conv2d c = {
		.hdr = { QACCEL_OP_CONV_2D, sizeof(c) },
		.input = tensor(0, 1, 1, 1, 2, 0),
		.filter = tensor(1, 1, 1, 1, 2, 0),
		.output = tensor(2, 1, 1, 1, 1, 0),
		.bias = { QACCEL_NO_BUFFER, 0 },
		.requant = { { 3, 0 }, 1, QACCEL_ROUND_SINGLE },
		.win = { 1, 1, 1, 1, 0, 0 },
		.clamp = FULL,
	};

	/* -3 * 0.25 = -0.75 -> -1 either way; -2 * 0.25 is a tie. */
	qaccel_exec_cmd(&c.hdr, b);
	ASSERT_EQ(out[0], -1);
	in[0] = -2;
	qaccel_exec_cmd(&c.hdr, b);
	ASSERT_EQ(out[0], 0);	/* single: -0.5 rounds up */
	c.requant.rounding = QACCEL_ROUND_DOUBLE;
	qaccel_exec_cmd(&c.hdr, b);
	ASSERT_EQ(out[0], -1);	/* double: -0.5 rounds away from zero */
}

TEST(dwconv2d_depth_multiplier_channel_order)
{
	/* Two pixels of two channels; zp 1 makes them (0, 1), (2, 3). */
	_Alignas(8) int8_t in[4] = { 1, 2, 3, 4 };
	_Alignas(8) int8_t filter[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	_Alignas(8) int8_t out[4];
	_Alignas(8) struct qaccel_qmul q[1] = { ONE };
	struct qaccel_buf_view b[4] = {
		VIEW(in), VIEW(filter), VIEW(out), VIEW(q),
	};
	struct qaccel_cmd_dwconv2d c = {
		.hdr = { QACCEL_OP_DEPTHWISE_CONV_2D, sizeof(c) },
		.input = tensor(0, 1, 1, 2, 2, 1),
		.filter = tensor(1, 1, 1, 2, 4, 0),
		.output = tensor(2, 1, 1, 1, 4, 0),
		.bias = { QACCEL_NO_BUFFER, 0 },
		.requant = { { 3, 0 }, 1, QACCEL_ROUND_DOUBLE },
		.win = { 1, 1, 1, 1, 0, 0 },
		.clamp = FULL,
		.depth_multiplier = 2,
	};
	/*
	 * Output channel ic * 2 + m reads input channel ic:
	 * oc 0: 0*1 + 2*5, oc 1: 0*2 + 2*6, oc 2: 1*3 + 3*7, oc 3: 1*4 + 3*8.
	 */
	static const int8_t want[4] = { 10, 12, 24, 28 };

	qaccel_exec_cmd(&c.hdr, b);
	EXPECT_S8(out, want, 4);
}

TEST(fc_filter_zero_point_per_channel)
{
	/* zp -1: rows (1, 2, 3) and (0, -1, 4). */
	_Alignas(8) int8_t in[6] = { 0, 1, 2, -1, -2, 3 };
	/* zp 2: units (1, 0, -1) and (-2, 2, 0). */
	_Alignas(8) int8_t filter[6] = { 3, 2, 1, 0, 4, 2 };
	_Alignas(8) int8_t out[4];
	_Alignas(8) int32_t bias[2] = { 10, -10 };
	_Alignas(8) struct qaccel_qmul q[2] = { ONE, HALF };
	struct qaccel_buf_view b[5] = {
		VIEW(in), VIEW(filter), VIEW(out), VIEW(bias), VIEW(q),
	};
	struct qaccel_cmd_fc c = {
		.hdr = { QACCEL_OP_FULLY_CONNECTED, sizeof(c) },
		.input = tensor(0, 1, 1, 2, 3, -1),
		.filter = tensor(1, 1, 1, 2, 3, 2),
		.output = tensor(2, 1, 1, 2, 2, 3),
		.bias = { 3, 0 },
		.requant = { { 4, 0 }, 2, QACCEL_ROUND_DOUBLE },
		.clamp = FULL,
	};
	/*
	 * Dot products -2, 2 / -4, -2; + bias 8, -8 / 6, -12;
	 * unit 0 * 1.0, unit 1 * 0.5: 8, -4 / 6, -6; + 3.
	 */
	static const int8_t want[4] = { 11, -1, 9, -3 };

	qaccel_exec_cmd(&c.hdr, b);
	EXPECT_S8(out, want, 4);
}

TEST(add_broadcast_w)
{
	_Alignas(8) int8_t in1[4] = { 1, 2, 3, 4 };
	_Alignas(8) int8_t in2[2] = { 11, 21 };	/* zp 1: 10, 20 */
	_Alignas(8) int8_t out[4];
	struct qaccel_buf_view b[3] = { VIEW(in1), VIEW(in2), VIEW(out) };
	struct qaccel_cmd_binary c = {
		.hdr = { QACCEL_OP_ADD, sizeof(c) },
		.input1 = tensor(0, 1, 1, 2, 2, 0),
		.input2 = tensor(1, 1, 1, 1, 2, 1),
		.output = tensor(2, 1, 1, 2, 2, -5),
		.input1_qmul = ONE,
		.input2_qmul = HALF,
		.output_qmul = ONE,
		.left_shift = 0,
		.rounding = QACCEL_ROUND_DOUBLE,
		.clamp = FULL,
	};
	/* in1 + in2 / 2 with in2 repeated along W: 6, 12, 8, 14; - 5. */
	static const int8_t want[4] = { 1, 7, 3, 9 };

	qaccel_exec_cmd(&c.hdr, b);
	EXPECT_S8(out, want, 4);
}

TEST(add_left_shift)
{
	_Alignas(8) int8_t in1[1] = { 100 };
	_Alignas(8) int8_t in2[1] = { -50 };
	_Alignas(8) int8_t out[1];
	struct qaccel_buf_view b[3] = { VIEW(in1), VIEW(in2), VIEW(out) };
	struct qaccel_cmd_binary c = {
		.hdr = { QACCEL_OP_ADD, sizeof(c) },
		.input1 = tensor(0, 1, 1, 1, 1, 0),
		.input2 = tensor(1, 1, 1, 1, 1, 0),
		.output = tensor(2, 1, 1, 1, 1, 0),
		.input1_qmul = HALF,
		.input2_qmul = HALF,
		/* 2^-20 as 2^30 * 2^(-19 - 31): undoes the left shift. */
		.output_qmul = { 1 << 30, -19 },
		.left_shift = 20,
		.rounding = QACCEL_ROUND_DOUBLE,
		.clamp = FULL,
	};

	/* (100 * 2^20 / 2 - 50 * 2^20 / 2) * 2^-20 = 25 */
	qaccel_exec_cmd(&c.hdr, b);
	ASSERT_EQ(out[0], 25);
}

TEST(sub_negated_multiplier_tie_and_broadcast_h)
{
	_Alignas(8) int8_t in1[2] = { 0, 10 };
	_Alignas(8) int8_t in2[1] = { 3 };
	_Alignas(8) int8_t out[2];
	struct qaccel_buf_view b[3] = { VIEW(in1), VIEW(in2), VIEW(out) };
	struct qaccel_cmd_binary c = {
		.hdr = { QACCEL_OP_SUB, sizeof(c) },
		.input1 = tensor(0, 1, 2, 1, 1, 0),
		.input2 = tensor(1, 1, 1, 1, 1, 0),
		.output = tensor(2, 1, 2, 1, 1, 0),
		.input1_qmul = ONE,
		.input2_qmul = HALF,
		.output_qmul = ONE,
		.rounding = QACCEL_ROUND_DOUBLE,
		.clamp = FULL,
	};
	/*
	 * TFLite scales in2 by -0.5: 3 * -0.5 = -1.5 rounds up to -1, so
	 * in1 - 1.5 gives in1 - 1 (a - b with b = round(1.5) = 2 would give
	 * in1 - 2).
	 */
	static const int8_t want[2] = { -1, 9 };

	qaccel_exec_cmd(&c.hdr, b);
	EXPECT_S8(out, want, 2);
}

TEST(mul_rounding_and_clamp)
{
	_Alignas(8) int8_t in1[3] = { 3, -1, 6 };	/* zp 1: 2, -2, 5 */
	_Alignas(8) int8_t in2[1] = { 1 };		/* zp -2: 3 */
	_Alignas(8) int8_t out[3];
	struct qaccel_buf_view b[3] = { VIEW(in1), VIEW(in2), VIEW(out) };
	struct qaccel_cmd_binary c = {
		.hdr = { QACCEL_OP_MUL, sizeof(c) },
		.input1 = tensor(0, 1, 1, 1, 3, 1),
		.input2 = tensor(1, 1, 1, 1, 1, -2),
		.output = tensor(2, 1, 1, 1, 3, 10),
		.output_qmul = QUARTER,
		.rounding = QACCEL_ROUND_DOUBLE,
		.clamp = { -128, 13 },
	};
	/*
	 * Products 6, -6, 15; * 0.25 = 1.5, -1.5, 3.75 -> 2, -2, 4 (the last
	 * through 7.5 -> 8, then 4); + 10 = 12, 8, 14 -> max 13.
	 */
	static const int8_t want[3] = { 12, 8, 13 };

	qaccel_exec_cmd(&c.hdr, b);
	EXPECT_S8(out, want, 3);
}

/* [1, 2, 3, 2]: channel 0 then channel 1 of each pixel. */
static const int8_t pool_in[12] = {
	1, 3, 2, 2, 4, 1,
	-4, 2, -4, 5, -8, 1,
};

static struct qaccel_cmd_pool2d pool_cmd(uint32_t opcode)
{
	struct qaccel_cmd_pool2d c = {
		.hdr = { opcode, sizeof(c) },
		.input = tensor(0, 1, 2, 3, 2, 0),
		.output = tensor(1, 1, 1, 2, 2, 0),
		.filter_h = 2,
		.filter_w = 2,
		/* stride 1 x 2, one column of padding on the left */
		.win = { 1, 2, 1, 1, 0, 1 },
		.clamp = FULL,
	};

	return c;
}

TEST(average_pool_partial_windows_round_away)
{
	_Alignas(8) int8_t in[12];
	_Alignas(8) int8_t out[4];
	struct qaccel_buf_view b[2] = { VIEW(in), VIEW(out) };
	struct qaccel_cmd_pool2d c = pool_cmd(QACCEL_OP_AVERAGE_POOL_2D);
	/*
	 * Window 0 holds column 0 only (2 taps): -3 / 2 -> -2, 5 / 2 -> 3.
	 * Window 1 holds columns 1, 2 (4 taps): -6 / 4 -> -2, 9 / 4 -> 2.
	 */
	static const int8_t want[4] = { -2, 3, -2, 2 };

	memcpy(in, pool_in, sizeof(in));
	qaccel_exec_cmd(&c.hdr, b);
	EXPECT_S8(out, want, 4);
}

TEST(max_pool_partial_windows_clamped)
{
	_Alignas(8) int8_t in[12];
	_Alignas(8) int8_t out[4];
	struct qaccel_buf_view b[2] = { VIEW(in), VIEW(out) };
	struct qaccel_cmd_pool2d c = pool_cmd(QACCEL_OP_MAX_POOL_2D);
	/* Maxima 1, 3 / 4, 5; clamp to 4. */
	static const int8_t want[4] = { 1, 3, 4, 4 };

	memcpy(in, pool_in, sizeof(in));
	c.clamp.max = 4;
	qaccel_exec_cmd(&c.hdr, b);
	EXPECT_S8(out, want, 4);
}

TEST(lut_in_place)
{
	_Alignas(8) int8_t data[4] = { -128, 0, 5, 127 };
	_Alignas(8) int8_t table[256];
	struct qaccel_buf_view b[2] = { VIEW(data), VIEW(table) };
	struct qaccel_cmd_lut c = {
		.hdr = { QACCEL_OP_LUT, sizeof(c) },
		.input = tensor(0, 1, 1, 2, 2, 0),
		.output = tensor(0, 1, 1, 2, 2, 0),
		.table = { 1, 0 },
	};
	/* table[i] = 127 - i, so x maps to table[x + 128] = -1 - x. */
	static const int8_t want[4] = { 127, -1, -6, -128 };

	for (int i = 0; i < 256; i++)
		table[i] = (int8_t)(127 - i);
	qaccel_exec_cmd(&c.hdr, b);
	EXPECT_S8(data, want, 4);
}

TEST(softmax_rows)
{
	_Alignas(8) int8_t in[12] = {
		7, 7, 7, 7,
		10, 9, -100, -100,
		-128, -128, -125, -128,
	};
	_Alignas(8) int8_t out[12];
	struct qaccel_buf_view b[2] = { VIEW(in), VIEW(out) };
	struct qaccel_cmd_softmax c = {
		.hdr = { QACCEL_OP_SOFTMAX, sizeof(c) },
		.input = tensor(0, 1, 1, 3, 4, 0),
		.output = tensor(1, 1, 1, 3, 4, -128),
		/* A difference of 1 becomes -1.0 in Q5.26: 2^30 << 27. */
		.input_beta_multiplier = 1 << 30,
		.input_beta_left_shift = 27,
		.diff_min = -20,
		.rounding = QACCEL_ROUND_DOUBLE,
	};
	/*
	 * Row 0: four equal values, 1/4 each = 64/256 -> -64.
	 * Row 1: 1 / (1 + e^-1) = 0.7311 -> 187/256, e^-1 / (1 + e^-1) ->
	 *   69/256; -110 is below diff_min: -128, and left out of the sum.
	 * Row 2: 1 / (1 + 3e^-3) = 0.8700 -> 223/256, e^-3 / (1 + 3e^-3) =
	 *   0.0433 -> 11/256.
	 */
	static const int8_t want[12] = {
		-64, -64, -64, -64,
		59, -59, -128, -128,
		-117, -117, 95, -117,
	};

	qaccel_exec_cmd(&c.hdr, b);
	EXPECT_S8(out, want, 12);
	/* Single rounding of the exact power-of-two rescale changes nothing. */
	c.rounding = QACCEL_ROUND_SINGLE;
	memset(out, 0, sizeof(out));
	qaccel_exec_cmd(&c.hdr, b);
	EXPECT_S8(out, want, 12);
}

TEST(softmax_single_elements_and_cutoff)
{
	_Alignas(8) int8_t in[2] = { -40, 90 };
	_Alignas(8) int8_t out[2];
	struct qaccel_buf_view b[2] = { VIEW(in), VIEW(out) };
	struct qaccel_cmd_softmax c = {
		.hdr = { QACCEL_OP_SOFTMAX, sizeof(c) },
		.input = tensor(0, 1, 1, 2, 1, 0),
		.output = tensor(1, 1, 1, 2, 1, -128),
		.input_beta_multiplier = 1 << 30,
		.input_beta_left_shift = 27,
		.diff_min = -20,
		.rounding = QACCEL_ROUND_DOUBLE,
	};

	/* Rows of one: probability 1 = 256/256, clamped to 127. */
	qaccel_exec_cmd(&c.hdr, b);
	ASSERT_EQ(out[0], 127);
	ASSERT_EQ(out[1], 127);

	/*
	 * One row (90, 87): 1 / (1 + e^-3) = 0.9526 -> 244/256 and 0.0474 ->
	 * 12/256 ... unless diff_min cuts the -3 off: then 1 and 0.
	 */
	c.input = tensor(0, 1, 1, 1, 2, 0);
	c.output = tensor(1, 1, 1, 1, 2, -128);
	in[0] = 90;
	in[1] = 87;
	c.diff_min = -3;
	qaccel_exec_cmd(&c.hdr, b);
	ASSERT_EQ(out[0], 116);
	ASSERT_EQ(out[1], -116);
	c.diff_min = -2;
	qaccel_exec_cmd(&c.hdr, b);
	ASSERT_EQ(out[0], 127);
	ASSERT_EQ(out[1], -128);
}

TEST(copy_transpose_and_offsets)
{
	_Alignas(8) uint8_t src[7] = { 0xee, 1, 2, 3, 4, 5, 6 };
	_Alignas(8) uint8_t dst[10];
	struct qaccel_buf_view b[2] = { VIEW(src), VIEW(dst) };
	struct qaccel_cmd_copy c = {
		.hdr = { QACCEL_OP_COPY, sizeof(c) },
		.src = { 0, 1 },
		.dst = { 1, 2 },
		/* a 2 x 3 matrix at src + 1 lands transposed (3 x 2) */
		.dims = { 1, 1, 3, 2 },
		.src_strides = { 0, 0, 1, 3 },
		.dst_strides = { 0, 0, 2, 1 },
	};
	static const uint8_t want[10] = {
		0xaa, 0xaa, 1, 4, 2, 5, 3, 6, 0xaa, 0xaa,
	};

	memset(dst, 0xaa, sizeof(dst));
	qaccel_exec_cmd(&c.hdr, b);
	EXPECT_S8(dst, want, 10);
}

TEST(copy_four_dims_into_wider_rows)
{
	_Alignas(8) uint8_t src[4] = { 1, 2, 3, 4 };
	_Alignas(8) uint8_t dst[8];
	struct qaccel_buf_view b[2] = { VIEW(src), VIEW(dst) };
	struct qaccel_cmd_copy c = {
		.hdr = { QACCEL_OP_COPY, sizeof(c) },
		.src = { 0, 0 },
		.dst = { 1, 2 },
		/* two rows of two, concatenated after two columns of four */
		.dims = { 2, 1, 1, 2 },
		.src_strides = { 2, 0, 0, 1 },
		.dst_strides = { 4, 0, 0, 1 },
	};
	static const uint8_t want[8] = { 0, 0, 1, 2, 0, 0, 3, 4 };

	memset(dst, 0, sizeof(dst));
	qaccel_exec_cmd(&c.hdr, b);
	EXPECT_S8(dst, want, 8);
}

TEST(pad_before_and_after)
{
	_Alignas(8) int8_t in[2] = { 5, 6 };
	_Alignas(8) int8_t out[24];
	struct qaccel_buf_view b[2] = { VIEW(in), VIEW(out) };
	struct qaccel_cmd_pad c = {
		.hdr = { QACCEL_OP_PAD, sizeof(c) },
		.input = tensor(0, 1, 1, 2, 1, 0),
		.output = tensor(1, 2, 3, 4, 1, 0),
		.before = { 1, 1, 1, 0 },
		.pad_value = -7,
	};
	static const int8_t want[24] = {
		-7, -7, -7, -7, -7, -7, -7, -7, -7, -7, -7, -7,
		-7, -7, -7, -7, -7, 5, 6, -7, -7, -7, -7, -7,
	};

	qaccel_exec_cmd(&c.hdr, b);
	EXPECT_S8(out, want, 24);
}

TEST(mean_with_divisor_and_prescaled)
{
	/* [1, 2, 2, 2], zp 3: channel 0 sums 1+2+3+4 = 10, channel 1 -10. */
	_Alignas(8) int8_t in[8] = { 4, 0, 5, 0, 6, 0, 7, 2 };
	_Alignas(8) int8_t out[2];
	struct qaccel_buf_view b[2] = { VIEW(in), VIEW(out) };
	struct qaccel_cmd_mean c = {
		.hdr = { QACCEL_OP_MEAN, sizeof(c) },
		.input = tensor(0, 1, 2, 2, 2, 3),
		.output = tensor(1, 1, 1, 1, 2, -1),
		.qmul = ONE,
		.divisor = 4,
		.rounding = QACCEL_ROUND_DOUBLE,
		.clamp = FULL,
	};

	/* reference_integer_ops::Mean shape: 2.5 -> 3, -2.5 -> -3; - 1. */
	qaccel_exec_cmd(&c.hdr, b);
	ASSERT_EQ(out[0], 2);
	ASSERT_EQ(out[1], -4);
	/* 1/4 folded into the multiplier, no divisor: same ties, same result. */
	c.qmul = QUARTER;
	c.divisor = 0;
	memset(out, 0, sizeof(out));
	qaccel_exec_cmd(&c.hdr, b);
	ASSERT_EQ(out[0], 2);
	ASSERT_EQ(out[1], -4);
	/* Single rounding: -2.5 rounds up to -2. */
	c.rounding = QACCEL_ROUND_SINGLE;
	qaccel_exec_cmd(&c.hdr, b);
	ASSERT_EQ(out[0], 2);
	ASSERT_EQ(out[1], -3);
}

TEST(requantize_double_and_single_rounding)
{
	/* zp 2: -2, 2, -130, 125, -1, 1 */
	_Alignas(8) int8_t in[6] = { 0, 4, -128, 127, 1, 3 };
	_Alignas(8) int8_t out[6];
	struct qaccel_buf_view b[2] = { VIEW(in), VIEW(out) };
	struct qaccel_cmd_requantize c = {
		.hdr = { QACCEL_OP_REQUANTIZE, sizeof(c) },
		.input = tensor(0, 1, 1, 1, 6, 2),
		.output = tensor(1, 1, 1, 1, 6, -100),
		.qmul = QUARTER,
		.rounding = QACCEL_ROUND_DOUBLE,
	};
	/*
	 * Double: x / 2 rounded half up, then / 2 rounded half away:
	 * -1, 1, -33, 32 (31.25 through 62.5 -> 63 -> 31.5), 0, 1 (0.25
	 * through 0.5 -> 1 -> 0.5); - 100, -133 clamped to -128.
	 */
	static const int8_t want_double[6] = { -101, -99, -128, -68, -100, -99 };
	/* Single: floor((x + 2) / 4): 0, 1, -32, 31, 0, 0. */
	static const int8_t want_single[6] = { -100, -99, -128, -69, -100, -100 };

	qaccel_exec_cmd(&c.hdr, b);
	EXPECT_S8(out, want_double, 6);
	c.rounding = QACCEL_ROUND_SINGLE;
	qaccel_exec_cmd(&c.hdr, b);
	EXPECT_S8(out, want_single, 6);
}

TEST(opcode_names_and_sizes)
{
	ASSERT_STREQ(qaccel_opcode_name(QACCEL_OP_CONV_2D), "CONV_2D");
	ASSERT_STREQ(qaccel_opcode_name(QACCEL_OP_SUB), "SUB");
	ASSERT_STREQ(qaccel_opcode_name(QACCEL_OP_REQUANTIZE), "REQUANTIZE");
	ASSERT_EQ(qaccel_cmd_size(QACCEL_OP_CONV_2D),
		  sizeof(struct qaccel_cmd_conv2d));
	ASSERT_EQ(qaccel_cmd_size(QACCEL_OP_MUL),
		  sizeof(struct qaccel_cmd_binary));
	ASSERT_EQ(qaccel_cmd_size(QACCEL_OP_SOFTMAX),
		  sizeof(struct qaccel_cmd_softmax));
	ASSERT_EQ(qaccel_cmd_size(QACCEL_OP_MEAN_F32),
		  sizeof(struct qaccel_cmd_mean_f32));
	for (uint32_t op = 1; op < QACCEL_OP_COUNT; op++) {
		ASSERT_NE(qaccel_opcode_name(op), NULL);
		ASSERT_NE(qaccel_cmd_size(op), 0u);
		ASSERT_EQ(qaccel_cmd_size(op) % 8, 0u);
	}
	ASSERT_EQ(qaccel_opcode_name(0), NULL);
	ASSERT_EQ(qaccel_opcode_name(QACCEL_OP_COUNT), NULL);
	ASSERT_EQ(qaccel_opcode_name(0xffffffffu), NULL);
	ASSERT_EQ(qaccel_cmd_size(0), 0u);
	ASSERT_EQ(qaccel_cmd_size(QACCEL_OP_COUNT), 0u);
}

/* A stream of LUT (in place) then REQUANTIZE, in one 8-aligned block. */
struct two_cmds {
	struct qaccel_stream_header h;
	struct qaccel_cmd_lut lut;
	struct qaccel_cmd_requantize rq;
};

static void two_cmds_init(struct two_cmds *s)
{
	memset(s, 0, sizeof(*s));
	s->h.magic = QACCEL_STREAM_MAGIC;
	s->h.version = QACCEL_ISA_VERSION;
	s->h.size = sizeof(*s);
	s->h.num_cmds = 2;
	s->lut.hdr = (struct qaccel_cmd_header){ QACCEL_OP_LUT,
						 sizeof(s->lut) };
	s->lut.input = tensor(0, 1, 1, 1, 3, 0);
	s->lut.output = tensor(0, 1, 1, 1, 3, 0);
	s->lut.table = (struct qaccel_ref){ 1, 0 };
	s->rq.hdr = (struct qaccel_cmd_header){ QACCEL_OP_REQUANTIZE,
						sizeof(s->rq) };
	s->rq.input = tensor(0, 1, 1, 1, 3, 0);
	s->rq.output = tensor(2, 1, 1, 1, 3, 1);
	s->rq.qmul = HALF;
}

static int stop_calls;

/* Lets the first command run, then asks to stop. */
static bool stop_after_one(void *ctx)
{
	int *limit = ctx;

	return ++stop_calls > *limit;
}

TEST(exec_stream_in_order_and_cancel)
{
	_Alignas(8) struct two_cmds s;
	_Alignas(8) int8_t data[3] = { -2, 0, 4 };
	_Alignas(8) int8_t table[256];
	_Alignas(8) int8_t out[3] = { 55, 55, 55 };
	struct qaccel_buf_view b[3] = { VIEW(data), VIEW(table), VIEW(out) };
	int limit = 1;

	/* table doubles: x -> 2x */
	for (int i = 0; i < 256; i++)
		table[i] = (int8_t)((i - 128) * 2);
	two_cmds_init(&s);

	/* Cancelled before the second: doubled in place, out untouched. */
	stop_calls = 0;
	ASSERT_EQ(qaccel_exec_stream(&s, b, stop_after_one, &limit),
		  -ECANCELED);
	ASSERT_EQ(stop_calls, 2);
	ASSERT_EQ(data[0], -4);
	ASSERT_EQ(data[2], 8);
	ASSERT_EQ(out[0], 55);

	/* No callback: both run, the second sees the first's result. */
	data[0] = -2;
	data[1] = 0;
	data[2] = 4;
	ASSERT_EQ(qaccel_exec_stream(&s, b, NULL, NULL), 0);
	/* -4, 0, 8 halved, + 1 */
	ASSERT_EQ(out[0], -1);
	ASSERT_EQ(out[1], 1);
	ASSERT_EQ(out[2], 5);
}

TEST_HARNESS_MAIN
