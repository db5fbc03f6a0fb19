// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Every command with random shapes and parameters, run by the reference
 * engine (qaccel_exec_cmd) and by the independent oracle, compared byte for
 * byte. Each generated command must also pass the validator. Failures print
 * the seed (QACCEL_TEST_SEED reproduces) and the first differing element.
 */
#include "kselftest_harness.h"
#include "cmd_util.h"
#include "oracle.h"

#define ITERS 300

static struct qaccel_clamp t_clamp(void)
{
	struct qaccel_clamp c = { -128, 127 };

	if (t_rand() & 1) {
		c.min = t_range(-128, 20);
		c.max = t_range(c.min, 127);
	}
	return c;
}

static void t_window(struct qaccel_window *w, uint32_t kh, uint32_t kw,
		     int dilate)
{
	w->stride_h = t_range(1, 3);
	w->stride_w = t_range(1, 3);
	w->dilation_h = dilate ? t_range(1, 3) : 1;
	w->dilation_w = dilate ? t_range(1, 3) : 1;
	w->pad_top = t_range(0, (kh - 1) * w->dilation_h);
	w->pad_left = t_range(0, (kw - 1) * w->dilation_w);
}

static int check_out(struct __test_metadata *_metadata, const char *what,
		     int iter, const int8_t *got, const int8_t *want, size_t n)
{
	size_t d = t_first_diff(got, want, n);

	if (d < n)
		printf("# %s seed %llu iter %d: element %zu got %d want %d\n", what,
		       (unsigned long long)t_seed, iter, d, got[d], want[d]);
	fflush(stdout);
	return d == n;
}

static void t_requant(struct t_bufs *b, struct qaccel_requant *rq, uint32_t oc)
{
	struct qaccel_qmul *q;

	rq->count = (t_rand() & 1) ? oc : 1;
	rq->rounding = t_rand() & 1;
	rq->params.buf = t_buf_new(b, rq->count * sizeof(*q));
	q = t_ptr(b, &rq->params);
	for (uint32_t i = 0; i < rq->count; i++)
		q[i] = (t_rand() % 16) ? t_qmul(-12, -4) : t_qmul(-31, 30);
}

static void t_bias(struct t_bufs *b, struct qaccel_ref *bias, uint32_t oc)
{
	int32_t *p;

	if (t_rand() % 4 == 0) {
		bias->buf = QACCEL_NO_BUFFER;
		return;
	}
	bias->buf = t_buf_new(b, oc * 4);
	p = t_ptr(b, bias);
	for (uint32_t i = 0; i < oc; i++)
		p[i] = t_range(-20000, 20000);
}

TEST(conv2d_random)
{
	t_seed_init(11);
	for (int it = 0; it < ITERS; it++) {
		struct t_bufs b = { 0 };
		struct qaccel_cmd_conv2d c = { 0 };
		uint32_t n = t_range(1, 2), h = t_range(1, 9), w = t_range(1, 9);
		uint32_t ic = t_range(1, 7), oc = t_range(1, 7);
		uint32_t kh = t_range(1, 4), kw = t_range(1, 4);

		c.hdr.opcode = QACCEL_OP_CONV_2D;
		c.hdr.size = sizeof(c);
		t_window(&c.win, kh, kw, 1);
		t_tensor(&b, &c.input, n, h, w, ic, t_range(-128, 127));
		t_tensor(&b, &c.filter, oc, kh, kw, ic, 0);
		t_tensor(&b, &c.output, n,
			 t_win_out(h, kh, c.win.pad_top, c.win.stride_h, c.win.dilation_h),
			 t_win_out(w, kw, c.win.pad_left, c.win.stride_w, c.win.dilation_w),
			 oc, t_range(-128, 127));
		t_bias(&b, &c.bias, oc);
		t_requant(&b, &c.requant, oc);
		c.clamp = t_clamp();
		ASSERT_EQ(t_validate_one(&c, sizeof(c), &b, NULL), 0);

		size_t cnt = t_elems(c.output.dims);
		int8_t *want = malloc(cnt);

		o_conv(t_data(&b, &c.input), c.input.dims, c.input.zero_point,
		       t_data(&b, &c.filter), c.filter.dims,
		       c.bias.buf == QACCEL_NO_BUFFER ? NULL : t_ptr(&b, &c.bias),
		       t_ptr(&b, &c.requant.params), c.requant.count, c.requant.rounding,
		       &c.win, &c.clamp, want, c.output.dims, c.output.zero_point, 0, 1);
		qaccel_exec_cmd(&c.hdr, b.v);
		ASSERT_TRUE(check_out(_metadata, "conv2d", it, t_data(&b, &c.output), want, cnt));
		free(want);
		t_bufs_free(&b);
	}
}

TEST(dwconv2d_random)
{
	t_seed_init(12);
	for (int it = 0; it < ITERS; it++) {
		struct t_bufs b = { 0 };
		struct qaccel_cmd_dwconv2d c = { 0 };
		uint32_t n = t_range(1, 2), h = t_range(1, 9), w = t_range(1, 9);
		uint32_t ic = t_range(1, 6), dm = t_range(1, 3), oc = ic * dm;
		uint32_t kh = t_range(1, 4), kw = t_range(1, 4);

		c.hdr.opcode = QACCEL_OP_DEPTHWISE_CONV_2D;
		c.hdr.size = sizeof(c);
		c.depth_multiplier = dm;
		t_window(&c.win, kh, kw, 1);
		t_tensor(&b, &c.input, n, h, w, ic, t_range(-128, 127));
		t_tensor(&b, &c.filter, 1, kh, kw, oc, 0);
		t_tensor(&b, &c.output, n,
			 t_win_out(h, kh, c.win.pad_top, c.win.stride_h, c.win.dilation_h),
			 t_win_out(w, kw, c.win.pad_left, c.win.stride_w, c.win.dilation_w),
			 oc, t_range(-128, 127));
		t_bias(&b, &c.bias, oc);
		t_requant(&b, &c.requant, oc);
		c.clamp = t_clamp();
		ASSERT_EQ(t_validate_one(&c, sizeof(c), &b, NULL), 0);

		size_t cnt = t_elems(c.output.dims);
		int8_t *want = malloc(cnt);

		o_conv(t_data(&b, &c.input), c.input.dims, c.input.zero_point,
		       t_data(&b, &c.filter), c.filter.dims,
		       c.bias.buf == QACCEL_NO_BUFFER ? NULL : t_ptr(&b, &c.bias),
		       t_ptr(&b, &c.requant.params), c.requant.count, c.requant.rounding,
		       &c.win, &c.clamp, want, c.output.dims, c.output.zero_point, 1, dm);
		qaccel_exec_cmd(&c.hdr, b.v);
		ASSERT_TRUE(check_out(_metadata, "dwconv2d", it, t_data(&b, &c.output), want, cnt));
		free(want);
		t_bufs_free(&b);
	}
}

TEST(fc_random)
{
	t_seed_init(13);
	for (int it = 0; it < ITERS; it++) {
		struct t_bufs b = { 0 };
		struct qaccel_cmd_fc c = { 0 };
		uint32_t bt = t_range(1, 3), k = t_range(1, 70), oc = t_range(1, 12);

		c.hdr.opcode = QACCEL_OP_FULLY_CONNECTED;
		c.hdr.size = sizeof(c);
		t_tensor(&b, &c.input, 1, 1, bt, k, t_range(-128, 127));
		t_tensor(&b, &c.filter, 1, 1, oc, k, (t_rand() & 1) ? 0 : t_range(-128, 127));
		t_tensor(&b, &c.output, 1, 1, bt, oc, t_range(-128, 127));
		t_bias(&b, &c.bias, oc);
		t_requant(&b, &c.requant, oc);
		c.clamp = t_clamp();
		ASSERT_EQ(t_validate_one(&c, sizeof(c), &b, NULL), 0);

		int8_t *want = malloc(bt * oc);

		o_fc(t_data(&b, &c.input), c.input.zero_point, t_data(&b, &c.filter),
		     c.filter.zero_point,
		     c.bias.buf == QACCEL_NO_BUFFER ? NULL : t_ptr(&b, &c.bias),
		     t_ptr(&b, &c.requant.params), c.requant.count, c.requant.rounding,
		     &c.clamp, want, c.output.zero_point, bt, k, oc);
		qaccel_exec_cmd(&c.hdr, b.v);
		ASSERT_TRUE(check_out(_metadata, "fc", it, t_data(&b, &c.output), want, bt * oc));
		free(want);
		t_bufs_free(&b);
	}
}

TEST(binary_random)
{
	static const uint32_t ops[] = { QACCEL_OP_ADD, QACCEL_OP_SUB, QACCEL_OP_MUL };

	t_seed_init(14);
	for (int it = 0; it < 3 * ITERS; it++) {
		struct t_bufs b = { 0 };
		struct qaccel_cmd_binary c = { 0 };
		uint32_t od[4], d1[4], d2[4];

		for (int i = 0; i < 4; i++) {
			od[i] = t_range(1, 5);
			d1[i] = (t_rand() & 1) ? od[i] : 1;
			d2[i] = (t_rand() & 1) ? od[i] : 1;
		}
		c.hdr.opcode = ops[it % 3];
		c.hdr.size = sizeof(c);
		t_tensor(&b, &c.input1, d1[0], d1[1], d1[2], d1[3], t_range(-128, 127));
		t_tensor(&b, &c.input2, d2[0], d2[1], d2[2], d2[3], t_range(-128, 127));
		t_tensor(&b, &c.output, od[0], od[1], od[2], od[3], t_range(-128, 127));
		c.rounding = t_rand() & 1;
		if (c.hdr.opcode == QACCEL_OP_MUL) {
			c.output_qmul = t_qmul(-14, -6);
		} else {
			c.left_shift = (t_rand() & 1) ? 20 : t_range(0, 20);
			c.input1_qmul = t_qmul(-3, 0);
			c.input2_qmul = t_qmul(-3, 0);
			c.output_qmul = t_qmul(-(int)c.left_shift - 4, -(int)c.left_shift + 2);
			if (c.output_qmul.shift < -31)
				c.output_qmul.shift = -31;
		}
		c.clamp = t_clamp();
		ASSERT_EQ(t_validate_one(&c, sizeof(c), &b, NULL), 0);

		size_t cnt = t_elems(od);
		int8_t *want = malloc(cnt);

		o_binary(&c, t_data(&b, &c.input1), t_data(&b, &c.input2), want);
		qaccel_exec_cmd(&c.hdr, b.v);
		ASSERT_TRUE(check_out(_metadata, "binary", it, t_data(&b, &c.output), want, cnt));
		free(want);
		t_bufs_free(&b);
	}
}

TEST(pool2d_random)
{
	t_seed_init(15);
	for (int it = 0; it < 2 * ITERS; it++) {
		struct t_bufs b = { 0 };
		struct qaccel_cmd_pool2d c = { 0 };
		uint32_t n = t_range(1, 2), h = t_range(1, 11), w = t_range(1, 11);
		uint32_t ch = t_range(1, 5);
		int32_t zp = t_range(-128, 127);

		c.hdr.opcode = (it & 1) ? QACCEL_OP_MAX_POOL_2D : QACCEL_OP_AVERAGE_POOL_2D;
		c.hdr.size = sizeof(c);
		c.filter_h = t_range(1, 4);
		c.filter_w = t_range(1, 4);
		t_window(&c.win, c.filter_h, c.filter_w, 0);
		t_tensor(&b, &c.input, n, h, w, ch, zp);
		t_tensor(&b, &c.output, n,
			 t_win_out(h, c.filter_h, c.win.pad_top, c.win.stride_h, 1),
			 t_win_out(w, c.filter_w, c.win.pad_left, c.win.stride_w, 1), ch, zp);
		c.clamp = t_clamp();
		ASSERT_EQ(t_validate_one(&c, sizeof(c), &b, NULL), 0);

		size_t cnt = t_elems(c.output.dims);
		int8_t *want = malloc(cnt);

		o_pool(&c, t_data(&b, &c.input), want);
		qaccel_exec_cmd(&c.hdr, b.v);
		ASSERT_TRUE(check_out(_metadata, "pool2d", it, t_data(&b, &c.output), want, cnt));
		free(want);
		t_bufs_free(&b);
	}
}

TEST(lut_random_and_in_place)
{
	t_seed_init(16);
	for (int it = 0; it < ITERS; it++) {
		struct t_bufs b = { 0 };
		struct qaccel_cmd_lut c = { 0 };
		uint32_t d[4] = { t_range(1, 3), t_range(1, 6), t_range(1, 6), t_range(1, 9) };
		size_t cnt = t_elems(d);

		c.hdr.opcode = QACCEL_OP_LUT;
		c.hdr.size = sizeof(c);
		t_tensor(&b, &c.input, d[0], d[1], d[2], d[3], 0);
		if (it & 1)
			c.output = c.input;	/* in place */
		else
			t_tensor(&b, &c.output, d[0], d[1], d[2], d[3], 0);
		c.table.buf = t_buf_new(&b, 256);
		ASSERT_EQ(t_validate_one(&c, sizeof(c), &b, NULL), 0);

		int8_t *want = malloc(cnt);
		const int8_t *in = t_data(&b, &c.input);
		const uint8_t *tab = t_ptr(&b, &c.table);

		for (size_t i = 0; i < cnt; i++)
			want[i] = (int8_t)tab[(uint8_t)in[i] ^ 0x80];
		qaccel_exec_cmd(&c.hdr, b.v);
		ASSERT_TRUE(check_out(_metadata, "lut", it, t_data(&b, &c.output), want, cnt));
		free(want);
		t_bufs_free(&b);
	}
}

TEST(requantize_random)
{
	t_seed_init(17);
	for (int it = 0; it < ITERS; it++) {
		struct t_bufs b = { 0 };
		struct qaccel_cmd_requantize c = { 0 };
		uint32_t d[4] = { 1, t_range(1, 5), t_range(1, 5), t_range(1, 9) };
		size_t cnt = t_elems(d);

		c.hdr.opcode = QACCEL_OP_REQUANTIZE;
		c.hdr.size = sizeof(c);
		t_tensor(&b, &c.input, d[0], d[1], d[2], d[3], t_range(-128, 127));
		t_tensor(&b, &c.output, d[0], d[1], d[2], d[3], t_range(-128, 127));
		c.qmul = (it % 10) ? t_qmul(-3, 2) : t_qmul(-31, 30);
		c.rounding = t_rand() & 1;
		ASSERT_EQ(t_validate_one(&c, sizeof(c), &b, NULL), 0);

		int8_t *want = malloc(cnt);
		const int8_t *in = t_data(&b, &c.input);

		for (size_t i = 0; i < cnt; i++)
			want[i] = o_sat8((int64_t)o_mulq(in[i] - c.input.zero_point,
							 c.qmul.multiplier, c.qmul.shift,
							 c.rounding) + c.output.zero_point,
					 -128, 127);
		qaccel_exec_cmd(&c.hdr, b.v);
		ASSERT_TRUE(check_out(_metadata, "requantize", it, t_data(&b, &c.output), want, cnt));
		free(want);
		t_bufs_free(&b);
	}
}

TEST(mean_random)
{
	t_seed_init(18);
	for (int it = 0; it < ITERS; it++) {
		struct t_bufs b = { 0 };
		struct qaccel_cmd_mean c = { 0 };
		uint32_t n = t_range(1, 2), h = t_range(1, 9), w = t_range(1, 9);
		uint32_t ch = t_range(1, 6);

		c.hdr.opcode = QACCEL_OP_MEAN;
		c.hdr.size = sizeof(c);
		t_tensor(&b, &c.input, n, h, w, ch, t_range(-128, 127));
		t_tensor(&b, &c.output, n, 1, 1, ch, t_range(-128, 127));
		c.qmul = t_qmul(-2, 1);
		c.divisor = (it & 3) ? h * w : 0;
		if (!c.divisor)
			c.qmul.shift = t_range(-8, -3);
		c.rounding = t_rand() & 1;
		c.clamp = t_clamp();
		ASSERT_EQ(t_validate_one(&c, sizeof(c), &b, NULL), 0);

		int8_t *want = malloc(n * ch);

		o_mean(&c, t_data(&b, &c.input), want);
		qaccel_exec_cmd(&c.hdr, b.v);
		ASSERT_TRUE(check_out(_metadata, "mean", it, t_data(&b, &c.output), want, n * ch));
		free(want);
		t_bufs_free(&b);
	}
}

TEST(pad_random)
{
	t_seed_init(19);
	for (int it = 0; it < ITERS; it++) {
		struct t_bufs b = { 0 };
		struct qaccel_cmd_pad c = { 0 };
		uint32_t id[4], od[4];

		c.hdr.opcode = QACCEL_OP_PAD;
		c.hdr.size = sizeof(c);
		for (int i = 0; i < 4; i++) {
			id[i] = t_range(1, 4);
			c.before[i] = t_range(0, 2);
			od[i] = id[i] + c.before[i] + t_range(0, 2);
		}
		c.pad_value = t_range(-128, 127);
		t_tensor(&b, &c.input, id[0], id[1], id[2], id[3], 0);
		t_tensor(&b, &c.output, od[0], od[1], od[2], od[3], 0);
		ASSERT_EQ(t_validate_one(&c, sizeof(c), &b, NULL), 0);

		size_t cnt = t_elems(od);
		int8_t *want = malloc(cnt);
		const int8_t *in = t_data(&b, &c.input);

		/* Scatter: fill with the pad value, then drop the input in place. */
		memset(want, (uint8_t)c.pad_value, cnt);
		for (size_t n = 0; n < id[0]; n++)
		for (size_t h = 0; h < id[1]; h++)
		for (size_t w = 0; w < id[2]; w++)
		for (size_t k = 0; k < id[3]; k++)
			want[o_idx(od, n + c.before[0], h + c.before[1], w + c.before[2],
				   k + c.before[3])] = in[o_idx(id, n, h, w, k)];
		qaccel_exec_cmd(&c.hdr, b.v);
		ASSERT_TRUE(check_out(_metadata, "pad", it, t_data(&b, &c.output), want, cnt));
		free(want);
		t_bufs_free(&b);
	}
}

TEST(copy_random_concatenation)
{
	t_seed_init(20);
	for (int it = 0; it < ITERS; it++) {
		struct t_bufs b = { 0 };
		struct qaccel_cmd_copy c = { 0 };
		uint32_t d[4], big[4], at[4];

		c.hdr.opcode = QACCEL_OP_COPY;
		c.hdr.size = sizeof(c);
		for (int i = 0; i < 4; i++) {
			d[i] = t_range(1, 4);
			at[i] = t_range(0, 2);
			big[i] = d[i] + at[i] + t_range(0, 2);
			c.dims[i] = d[i];
		}
		/* Source dense; destination a slice of a bigger tensor. */
		c.src_strides[3] = 1;
		c.dst_strides[3] = 1;
		for (int i = 2; i >= 0; i--) {
			c.src_strides[i] = c.src_strides[i + 1] * d[i + 1];
			c.dst_strides[i] = c.dst_strides[i + 1] * big[i + 1];
		}
		c.src.buf = t_buf_new(&b, t_elems(d));
		c.dst.buf = t_buf_new(&b, t_elems(big));
		c.dst.offset = at[0] * c.dst_strides[0] + at[1] * c.dst_strides[1] +
			       at[2] * c.dst_strides[2] + at[3];
		ASSERT_EQ(t_validate_one(&c, sizeof(c), &b, NULL), 0);

		size_t cnt = t_elems(big);
		int8_t *want = malloc(cnt);
		const int8_t *src = t_ptr(&b, &c.src);

		memcpy(want, b.v[c.dst.buf].ptr, cnt);
		for (size_t n = 0; n < d[0]; n++)
		for (size_t h = 0; h < d[1]; h++)
		for (size_t w = 0; w < d[2]; w++)
		for (size_t k = 0; k < d[3]; k++)
			want[o_idx(big, n + at[0], h + at[1], w + at[2], k + at[3])] =
				src[o_idx(d, n, h, w, k)];
		qaccel_exec_cmd(&c.hdr, b.v);
		ASSERT_TRUE(check_out(_metadata, "copy", it, (int8_t *)b.v[c.dst.buf].ptr,
				      want, cnt));
		free(want);
		t_bufs_free(&b);
	}
}

TEST_HARNESS_MAIN
