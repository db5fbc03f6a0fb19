// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Validator checks of each opcode. Every check runs in the same order:
 * fields and limits, then shapes, then memory, so that a corrupted field
 * reports that field (and not the buffer overrun it would also cause).
 */
#include "validate.h"

#define VN_IN (&qaccel_vn_input)
#define VN_IN1 (&qaccel_vn_input1)
#define VN_IN2 (&qaccel_vn_input2)
#define VN_FILTER (&qaccel_vn_filter)
#define VN_OUT (&qaccel_vn_output)

static const struct qaccel_vqmul_names vn_qmul = {
	.multiplier = "qmul.multiplier: negative",
	.shift = "qmul.shift: outside -31..30",
};

static const struct qaccel_vqmul_names vn_in1_qmul = {
	.multiplier = "input1_qmul.multiplier: negative",
	.shift = "input1_qmul.shift: outside -31..30",
};

static const struct qaccel_vqmul_names vn_in2_qmul = {
	.multiplier = "input2_qmul.multiplier: negative",
	.shift = "input2_qmul.shift: outside -31..30",
};

static const struct qaccel_vqmul_names vn_out_qmul = {
	.multiplier = "output_qmul.multiplier: negative",
	.shift = "output_qmul.shift: outside -31..30",
};

static const struct qaccel_vref_names vn_table = {
	.buf = "table.buf: not in the buffer table",
	.align = "table.offset: not 4-aligned",
	.extent = "table: reaches past the end of its buffer",
};

static const struct qaccel_vref_names vn_exp_table = {
	.buf = "exp_table.buf: not in the buffer table",
	.align = "exp_table.offset: not 4-aligned",
	.extent = "exp_table: reaches past the end of its buffer",
};

static const struct qaccel_vref_names vn_src = {
	.buf = "src.buf: not in the buffer table",
	.align = "src.offset: not 4-aligned",
	.extent = "src: reaches past the end of its buffer",
};

static const struct qaccel_vref_names vn_dst = {
	.buf = "dst.buf: not in the buffer table",
	.align = "dst.offset: not 4-aligned",
	.extent = "dst: reaches past the end of its buffer",
};

/* Fields of an input/output pair, the most common operand list. */
static int v_in_out_fields(struct qaccel_vctx *v,
			   const struct qaccel_tensor *in,
			   const struct qaccel_tensor *out)
{
	int ret;

	ret = qaccel_vtensor_fields(v, in, VN_IN);
	if (ret)
		return ret;
	return qaccel_vtensor_fields(v, out, VN_OUT);
}

static int v_in_out_mem(struct qaccel_vctx *v, const struct qaccel_tensor *in,
			const struct qaccel_tensor *out)
{
	int ret;

	ret = qaccel_vtensor_mem(v, in, VN_IN);
	if (ret)
		return ret;
	return qaccel_vtensor_mem(v, out, VN_OUT);
}

/* Input, filter, output of the three matrix commands. */
static int v_ifo_fields(struct qaccel_vctx *v, const struct qaccel_tensor *in,
			const struct qaccel_tensor *f,
			const struct qaccel_tensor *out)
{
	int ret;

	ret = qaccel_vtensor_fields(v, in, VN_IN);
	if (ret)
		return ret;
	ret = qaccel_vtensor_fields(v, f, VN_FILTER);
	if (ret)
		return ret;
	return qaccel_vtensor_fields(v, out, VN_OUT);
}

static int v_ifo_mem(struct qaccel_vctx *v, const struct qaccel_tensor *in,
		     const struct qaccel_tensor *f,
		     const struct qaccel_tensor *out)
{
	int ret;

	ret = qaccel_vtensor_mem(v, in, VN_IN);
	if (ret)
		return ret;
	ret = qaccel_vtensor_mem(v, f, VN_FILTER);
	if (ret)
		return ret;
	return qaccel_vtensor_mem(v, out, VN_OUT);
}

static int v_conv2d(struct qaccel_vctx *v, const struct qaccel_cmd_conv2d *c)
{
	const u32 *id = c->input.dims, *fd = c->filter.dims;
	const u32 *od = c->output.dims;
	int ret;

	ret = v_ifo_fields(v, &c->input, &c->filter, &c->output);
	if (ret)
		return ret;
	if (c->filter.zero_point)
		return qaccel_vfail(v, -EINVAL, "filter.zero_point: not 0");
	ret = qaccel_vwindow(v, &c->win, fd[1], fd[2], true);
	if (ret)
		return ret;
	ret = qaccel_vclamp(v, &c->clamp);
	if (ret)
		return ret;
	if (id[0] != od[0])
		return qaccel_vfail(v, -EINVAL, "output.dims[0]: not input's N");
	if (fd[3] != id[3])
		return qaccel_vfail(v, -EINVAL, "filter.dims[3]: not input's C");
	if (fd[0] != od[3])
		return qaccel_vfail(v, -EINVAL, "output.dims[3]: not filter's OC");
	/* Each factor is at most 2^16: the product fits in u64. */
	if ((u64)fd[1] * fd[2] * fd[3] > QACCEL_MAX_ACC_DEPTH)
		return qaccel_vfail(v, -E2BIG,
				    "filter.dims: KH*KW*IC above QACCEL_MAX_ACC_DEPTH");
	ret = qaccel_vrequant(v, &c->requant, od[3]);
	if (ret)
		return ret;
	ret = v_ifo_mem(v, &c->input, &c->filter, &c->output);
	if (ret)
		return ret;
	return qaccel_vbias_requant_mem(v, &c->bias, &c->requant, od[3]);
}

static int v_dwconv2d(struct qaccel_vctx *v,
		      const struct qaccel_cmd_dwconv2d *c)
{
	const u32 *id = c->input.dims, *fd = c->filter.dims;
	const u32 *od = c->output.dims;
	int ret;

	ret = v_ifo_fields(v, &c->input, &c->filter, &c->output);
	if (ret)
		return ret;
	if (c->filter.zero_point)
		return qaccel_vfail(v, -EINVAL, "filter.zero_point: not 0");
	if (c->reserved)
		return qaccel_vfail(v, -EINVAL, "reserved: not 0");
	if (!c->depth_multiplier)
		return qaccel_vfail(v, -EINVAL, "depth_multiplier: 0");
	ret = qaccel_vwindow(v, &c->win, fd[1], fd[2], true);
	if (ret)
		return ret;
	ret = qaccel_vclamp(v, &c->clamp);
	if (ret)
		return ret;
	if (id[0] != od[0])
		return qaccel_vfail(v, -EINVAL, "output.dims[0]: not input's N");
	if (fd[0] != 1)
		return qaccel_vfail(v, -EINVAL, "filter.dims[0]: not 1");
	if ((u64)id[3] * c->depth_multiplier != od[3])
		return qaccel_vfail(v, -EINVAL,
				    "depth_multiplier: IC * multiplier not output's C");
	if (fd[3] != od[3])
		return qaccel_vfail(v, -EINVAL, "filter.dims[3]: not output's C");
	/* KH * KW <= 64 * 64 is always within QACCEL_MAX_ACC_DEPTH. */
	ret = qaccel_vrequant(v, &c->requant, od[3]);
	if (ret)
		return ret;
	ret = v_ifo_mem(v, &c->input, &c->filter, &c->output);
	if (ret)
		return ret;
	return qaccel_vbias_requant_mem(v, &c->bias, &c->requant, od[3]);
}

static int v_fc(struct qaccel_vctx *v, const struct qaccel_cmd_fc *c)
{
	const u32 *id = c->input.dims, *fd = c->filter.dims;
	const u32 *od = c->output.dims;
	int ret;

	ret = v_ifo_fields(v, &c->input, &c->filter, &c->output);
	if (ret)
		return ret;
	ret = qaccel_vclamp(v, &c->clamp);
	if (ret)
		return ret;
	if (id[0] != 1 || id[1] != 1)
		return qaccel_vfail(v, -EINVAL, "input.dims: not [1, 1, B, K]");
	if (fd[0] != 1 || fd[1] != 1)
		return qaccel_vfail(v, -EINVAL, "filter.dims: not [1, 1, OC, K]");
	if (od[0] != 1 || od[1] != 1)
		return qaccel_vfail(v, -EINVAL, "output.dims: not [1, 1, B, OC]");
	if (fd[3] != id[3])
		return qaccel_vfail(v, -EINVAL, "filter.dims[3]: not input's K");
	if (od[2] != id[2])
		return qaccel_vfail(v, -EINVAL, "output.dims[2]: not input's B");
	if (od[3] != fd[2])
		return qaccel_vfail(v, -EINVAL, "output.dims[3]: not filter's OC");
	if (id[3] > QACCEL_MAX_ACC_DEPTH)
		return qaccel_vfail(v, -E2BIG,
				    "input.dims[3]: K above QACCEL_MAX_ACC_DEPTH");
	ret = qaccel_vrequant(v, &c->requant, od[3]);
	if (ret)
		return ret;
	ret = v_ifo_mem(v, &c->input, &c->filter, &c->output);
	if (ret)
		return ret;
	return qaccel_vbias_requant_mem(v, &c->bias, &c->requant, od[3]);
}

static int v_binary_scaling(struct qaccel_vctx *v,
			    const struct qaccel_cmd_binary *c)
{
	const struct qaccel_qmul *q1 = &c->input1_qmul, *q2 = &c->input2_qmul;
	int ret;

	ret = qaccel_vqmul(v, &c->output_qmul, &vn_out_qmul);
	if (ret)
		return ret;
	if (c->hdr.opcode == QACCEL_OP_MUL) {
		if (q1->multiplier || q1->shift)
			return qaccel_vfail(v, -EINVAL,
					    "input1_qmul: not 0 for MUL");
		if (q2->multiplier || q2->shift)
			return qaccel_vfail(v, -EINVAL,
					    "input2_qmul: not 0 for MUL");
		if (c->left_shift)
			return qaccel_vfail(v, -EINVAL,
					    "left_shift: not 0 for MUL");
		return 0;
	}
	ret = qaccel_vqmul(v, q1, &vn_in1_qmul);
	if (ret)
		return ret;
	ret = qaccel_vqmul(v, q2, &vn_in2_qmul);
	if (ret)
		return ret;
	if (c->left_shift > 20)
		return qaccel_vfail(v, -EINVAL, "left_shift: above 20");
	return 0;
}

static int v_binary(struct qaccel_vctx *v, const struct qaccel_cmd_binary *c)
{
	const u32 *od = c->output.dims;
	int i, ret;

	ret = qaccel_vtensor_fields(v, &c->input1, VN_IN1);
	if (ret)
		return ret;
	ret = qaccel_vtensor_fields(v, &c->input2, VN_IN2);
	if (ret)
		return ret;
	ret = qaccel_vtensor_fields(v, &c->output, VN_OUT);
	if (ret)
		return ret;
	ret = v_binary_scaling(v, c);
	if (ret)
		return ret;
	ret = qaccel_vrounding(v, c->rounding, "rounding: unknown");
	if (ret)
		return ret;
	ret = qaccel_vclamp(v, &c->clamp);
	if (ret)
		return ret;
	for (i = 0; i < 4; i++) {
		if (c->input1.dims[i] != od[i] && c->input1.dims[i] != 1)
			return qaccel_vfail(v, -EINVAL,
					    "input1.dims: neither 1 nor output's");
		if (c->input2.dims[i] != od[i] && c->input2.dims[i] != 1)
			return qaccel_vfail(v, -EINVAL,
					    "input2.dims: neither 1 nor output's");
	}
	ret = qaccel_vtensor_mem(v, &c->input1, VN_IN1);
	if (ret)
		return ret;
	ret = qaccel_vtensor_mem(v, &c->input2, VN_IN2);
	if (ret)
		return ret;
	return qaccel_vtensor_mem(v, &c->output, VN_OUT);
}

static int v_pool2d(struct qaccel_vctx *v, const struct qaccel_cmd_pool2d *c)
{
	int ret;

	ret = v_in_out_fields(v, &c->input, &c->output);
	if (ret)
		return ret;
	ret = qaccel_vwindow(v, &c->win, c->filter_h, c->filter_w, false);
	if (ret)
		return ret;
	ret = qaccel_vclamp(v, &c->clamp);
	if (ret)
		return ret;
	if (c->output.zero_point != c->input.zero_point)
		return qaccel_vfail(v, -EINVAL,
				    "output.zero_point: not input's");
	if (c->output.dims[0] != c->input.dims[0])
		return qaccel_vfail(v, -EINVAL, "output.dims[0]: not input's N");
	if (c->output.dims[3] != c->input.dims[3])
		return qaccel_vfail(v, -EINVAL, "output.dims[3]: not input's C");
	/* filter_h * filter_w <= 64 * 64 is within QACCEL_MAX_POOL_COUNT. */
	return v_in_out_mem(v, &c->input, &c->output);
}

/* Input and output of the same shape: LUT, softmaxes, requantize. */
static int v_same_shape(struct qaccel_vctx *v, const struct qaccel_tensor *in,
			const struct qaccel_tensor *out)
{
	if (!qaccel_vsame_dims(in, out))
		return qaccel_vfail(v, -EINVAL, "output.dims: not input's");
	return 0;
}

static int v_lut(struct qaccel_vctx *v, const struct qaccel_cmd_lut *c)
{
	int ret;

	ret = v_in_out_fields(v, &c->input, &c->output);
	if (ret)
		return ret;
	ret = v_same_shape(v, &c->input, &c->output);
	if (ret)
		return ret;
	ret = v_in_out_mem(v, &c->input, &c->output);
	if (ret)
		return ret;
	return qaccel_vref(v, &c->table, 256, 1, &vn_table);
}

static int v_softmax(struct qaccel_vctx *v, const struct qaccel_cmd_softmax *c)
{
	int ret;

	ret = v_in_out_fields(v, &c->input, &c->output);
	if (ret)
		return ret;
	if (c->output.zero_point != S8_MIN)
		return qaccel_vfail(v, -EINVAL, "output.zero_point: not -128");
	if (c->input_beta_multiplier < 0)
		return qaccel_vfail(v, -EINVAL,
				    "input_beta_multiplier: negative");
	/* 31 would make the single-rounding shift by 31 - 31 - 1 negative. */
	if (c->input_beta_left_shift < 0 || c->input_beta_left_shift > 30)
		return qaccel_vfail(v, -EINVAL,
				    "input_beta_left_shift: outside 0..30");
	if (c->diff_min > 0 || c->diff_min == S32_MIN)
		return qaccel_vfail(v, -EINVAL,
				    "diff_min: outside -2^31 + 1..0");
	ret = qaccel_vrounding(v, c->rounding, "rounding: unknown");
	if (ret)
		return ret;
	ret = v_same_shape(v, &c->input, &c->output);
	if (ret)
		return ret;
	return v_in_out_mem(v, &c->input, &c->output);
}

/*
 * Extents are (dim - 1) * stride summed plus one: each term is below 2^48,
 * so the sum cannot wrap. The element count bounds the work: a destination
 * that takes more elements than it spans bytes writes some byte twice,
 * which no copy needs and which would let a tiny buffer take 2^64 steps.
 */
static int v_copy(struct qaccel_vctx *v, const struct qaccel_cmd_copy *c)
{
	u64 src_ext = 1, dst_ext = 1, elems = 1;
	u64 src_end, dst_end;
	int i, ret;

	for (i = 0; i < 4; i++) {
		if (!c->dims[i])
			return qaccel_vfail(v, -EINVAL, "dims: 0");
		if (c->dims[i] > QACCEL_MAX_DIM)
			return qaccel_vfail(v, -E2BIG,
					    "dims: above QACCEL_MAX_DIM");
	}
	for (i = 0; i < 4; i++) {
		src_ext += (u64)(c->dims[i] - 1) * c->src_strides[i];
		dst_ext += (u64)(c->dims[i] - 1) * c->dst_strides[i];
		if (__builtin_mul_overflow(elems, (u64)c->dims[i], &elems))
			return qaccel_vfail(v, -E2BIG,
					    "dims: product above 2^64 - 1");
	}
	if (elems > dst_ext)
		return qaccel_vfail(v, -EINVAL,
				    "dst_strides: a destination byte written twice");
	ret = qaccel_vref(v, &c->src, src_ext, 1, &vn_src);
	if (ret)
		return ret;
	ret = qaccel_vref(v, &c->dst, dst_ext, 1, &vn_dst);
	if (ret)
		return ret;
	src_end = c->src.offset + src_ext;
	dst_end = c->dst.offset + dst_ext;
	if (c->src.buf == c->dst.buf && src_end > c->dst.offset &&
	    dst_end > c->src.offset)
		return qaccel_vfail(v, -EINVAL, "dst: overlaps src");
	return 0;
}

static int v_pad(struct qaccel_vctx *v, const struct qaccel_cmd_pad *c)
{
	int i, ret;

	ret = v_in_out_fields(v, &c->input, &c->output);
	if (ret)
		return ret;
	if (c->reserved)
		return qaccel_vfail(v, -EINVAL, "reserved: not 0");
	if (c->pad_value < S8_MIN || c->pad_value > S8_MAX)
		return qaccel_vfail(v, -EINVAL, "pad_value: outside -128..127");
	for (i = 0; i < 4; i++)
		if ((u64)c->input.dims[i] + c->before[i] > c->output.dims[i])
			return qaccel_vfail(v, -EINVAL,
					    "before: input + before above output dims");
	return v_in_out_mem(v, &c->input, &c->output);
}

/* MEAN and MEAN_F32: [N, H, W, C] to [N, 1, 1, C]. */
static int v_reduce_hw_shape(struct qaccel_vctx *v,
			     const struct qaccel_tensor *in,
			     const struct qaccel_tensor *out)
{
	if (out->dims[0] != in->dims[0] || out->dims[1] != 1 ||
	    out->dims[2] != 1 || out->dims[3] != in->dims[3])
		return qaccel_vfail(v, -EINVAL, "output.dims: not [N, 1, 1, C]");
	if ((u64)in->dims[1] * in->dims[2] > QACCEL_MAX_POOL_COUNT)
		return qaccel_vfail(v, -E2BIG,
				    "input.dims: H*W above QACCEL_MAX_POOL_COUNT");
	return 0;
}

static int v_mean(struct qaccel_vctx *v, const struct qaccel_cmd_mean *c)
{
	int ret;

	ret = v_in_out_fields(v, &c->input, &c->output);
	if (ret)
		return ret;
	ret = qaccel_vqmul(v, &c->qmul, &vn_qmul);
	if (ret)
		return ret;
	if (c->divisor > QACCEL_MAX_POOL_COUNT)
		return qaccel_vfail(v, -E2BIG,
				    "divisor: above QACCEL_MAX_POOL_COUNT");
	ret = qaccel_vrounding(v, c->rounding, "rounding: unknown");
	if (ret)
		return ret;
	ret = qaccel_vclamp(v, &c->clamp);
	if (ret)
		return ret;
	ret = v_reduce_hw_shape(v, &c->input, &c->output);
	if (ret)
		return ret;
	return v_in_out_mem(v, &c->input, &c->output);
}

static int v_requantize(struct qaccel_vctx *v,
			const struct qaccel_cmd_requantize *c)
{
	int ret;

	ret = v_in_out_fields(v, &c->input, &c->output);
	if (ret)
		return ret;
	if (c->reserved)
		return qaccel_vfail(v, -EINVAL, "reserved: not 0");
	ret = qaccel_vqmul(v, &c->qmul, &vn_qmul);
	if (ret)
		return ret;
	ret = qaccel_vrounding(v, c->rounding, "rounding: unknown");
	if (ret)
		return ret;
	ret = v_same_shape(v, &c->input, &c->output);
	if (ret)
		return ret;
	return v_in_out_mem(v, &c->input, &c->output);
}

/* output_scale is any binary32 bit pattern: the emulation handles them all. */
static int v_softmax_f32(struct qaccel_vctx *v,
			 const struct qaccel_cmd_softmax_f32 *c)
{
	int ret;

	ret = v_in_out_fields(v, &c->input, &c->output);
	if (ret)
		return ret;
	if (c->reserved)
		return qaccel_vfail(v, -EINVAL, "reserved: not 0");
	ret = v_same_shape(v, &c->input, &c->output);
	if (ret)
		return ret;
	ret = v_in_out_mem(v, &c->input, &c->output);
	if (ret)
		return ret;
	return qaccel_vref(v, &c->exp_table, 256 * sizeof(u32), sizeof(u32),
			   &vn_exp_table);
}

/* scale and bias are any binary32 bit patterns. */
static int v_mean_f32(struct qaccel_vctx *v,
		      const struct qaccel_cmd_mean_f32 *c)
{
	int ret;

	ret = v_in_out_fields(v, &c->input, &c->output);
	if (ret)
		return ret;
	ret = v_reduce_hw_shape(v, &c->input, &c->output);
	if (ret)
		return ret;
	return v_in_out_mem(v, &c->input, &c->output);
}

/**
 * qaccel_vcmd() - check one command whose opcode and size are known good
 * @v: validation state
 * @h: the command, qaccel_cmd_size(h->opcode) bytes inside the stream
 *
 * Return: 0, -EINVAL, -E2BIG or -EOVERFLOW, with @v->reason set.
 */
int qaccel_vcmd(struct qaccel_vctx *v, const struct qaccel_cmd_header *h)
{
	const void *c = h;

	switch (h->opcode) {
	case QACCEL_OP_CONV_2D:
		return v_conv2d(v, c);
	case QACCEL_OP_DEPTHWISE_CONV_2D:
		return v_dwconv2d(v, c);
	case QACCEL_OP_FULLY_CONNECTED:
		return v_fc(v, c);
	case QACCEL_OP_ADD:
	case QACCEL_OP_SUB:
	case QACCEL_OP_MUL:
		return v_binary(v, c);
	case QACCEL_OP_MAX_POOL_2D:
	case QACCEL_OP_AVERAGE_POOL_2D:
		return v_pool2d(v, c);
	case QACCEL_OP_LUT:
		return v_lut(v, c);
	case QACCEL_OP_SOFTMAX:
		return v_softmax(v, c);
	case QACCEL_OP_COPY:
		return v_copy(v, c);
	case QACCEL_OP_PAD:
		return v_pad(v, c);
	case QACCEL_OP_MEAN:
		return v_mean(v, c);
	case QACCEL_OP_REQUANTIZE:
		return v_requantize(v, c);
	case QACCEL_OP_SOFTMAX_F32:
		return v_softmax_f32(v, c);
	case QACCEL_OP_MEAN_F32:
		return v_mean_f32(v, c);
	default:
		return qaccel_vfail(v, -EINVAL, "opcode: unknown");
	}
}
