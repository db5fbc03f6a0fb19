// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * The command-stream validator: runs in the kernel on every submit and in
 * userspace before every submit. A stream it accepts can be executed by the
 * reference kernels with buffers of the sizes given without any access
 * outside those buffers, whatever the buffers contain (values read from
 * buffers at run time, such as multipliers, are made safe by the kernels).
 *
 * Rules (Documentation/isa.rst lists them per command):
 *  - header: 8-aligned stream, magic, version, size equal to the submitted
 *    size, 1..QACCEL_MAX_CMDS commands, zero flags and reserved words;
 *  - each command: known opcode, size exactly its struct's, inside the
 *    stream, commands filling the stream exactly;
 *  - every field within its documented range, shapes consistent;
 *  - every reference inside its buffer for the whole extent the shapes
 *    imply, computed in 64 bits with overflow checks; int32 arrays 4-aligned.
 * Errors: -EINVAL bad field or shape, -E2BIG over a limit, -EOVERFLOW a
 * reference past its buffer or a command past the stream.
 */
#include "qaccel_ref.h"

struct vctx {
	const u64 *sizes;
	u32 num_bufs;
	const char *reason;
};

static int vfail(struct vctx *v, int err, const char *why)
{
	v->reason = why;
	return err;
}

static int v_span(struct vctx *v, const struct qaccel_ref *r, u64 bytes,
		  u32 align, const char *what)
{
	u64 size;

	if (!(r->buf < v->num_bufs))
		return vfail(v, -EINVAL, what);
	if (!(r->offset % align == 0))
		return vfail(v, -EINVAL, what);
	size = v->sizes[r->buf];
	if (!(bytes <= size && r->offset <= size - bytes))
		return vfail(v, -EOVERFLOW, what);
	return 0;
}

static int v_elems(struct vctx *v, const u32 *dims, u64 *elems,
		   const char *what)
{
	u64 n = 1;
	int i;

	for (i = 0; i < 4; i++) {
		if (!(dims[i] >= 1))
			return vfail(v, -EINVAL, what);
		if (!(dims[i] <= QACCEL_MAX_DIM))
			return vfail(v, -E2BIG, what);
		if (!(!__builtin_mul_overflow(n, (u64)dims[i], &n)))
			return vfail(v, -E2BIG, what);
	}
	*elems = n;
	return 0;
}

static int v_tensor(struct vctx *v, const struct qaccel_tensor *t,
		    const char *what)
{
	u64 elems;
	int ret;

	ret = v_elems(v, t->dims, &elems, what);
	if (ret)
		return ret;
	if (!(t->zero_point >= S8_MIN && t->zero_point <= S8_MAX))
		return vfail(v, -EINVAL, what);
	if (!(!t->reserved))
		return vfail(v, -EINVAL, what);
	return v_span(v, &t->ref, elems, 1, what);
}

static bool same_dims(const struct qaccel_tensor *a,
		      const struct qaccel_tensor *b)
{
	return a->dims[0] == b->dims[0] && a->dims[1] == b->dims[1] &&
	       a->dims[2] == b->dims[2] && a->dims[3] == b->dims[3];
}

static int v_qmul(struct vctx *v, const struct qaccel_qmul *q, const char *what)
{
	if (!(q->multiplier >= 0))
		return vfail(v, -EINVAL, what);
	if (!(q->shift >= -31 && q->shift <= 30))
		return vfail(v, -EINVAL, what);
	return 0;
}

static int v_rounding(struct vctx *v, u32 rounding)
{
	if (!(rounding == QACCEL_ROUND_DOUBLE ||
	      rounding == QACCEL_ROUND_SINGLE))
		return vfail(v, -EINVAL, "unknown rounding");
	return 0;
}

static int v_clamp(struct vctx *v, const struct qaccel_clamp *c)
{
	if (!(c->min >= S8_MIN && c->max <= S8_MAX && c->min <= c->max))
		return vfail(v, -EINVAL,
			     "clamp outside [-128, 127] or min > max");
	return 0;
}

static int v_bias_requant(struct vctx *v, const struct qaccel_ref *bias,
			  const struct qaccel_requant *rq, u32 oc)
{
	int ret;

	if (bias->buf != QACCEL_NO_BUFFER) {
		ret = v_span(v, bias, (u64)oc * 4, 4, "bias");
		if (ret)
			return ret;
	}
	if (!(rq->count == 1 || rq->count == oc))
		return vfail(v, -EINVAL, "requant count not 1 or channels");
	ret = v_rounding(v, rq->rounding);
	if (ret)
		return ret;
	return v_span(v, &rq->params, (u64)rq->count * 8, 4, "requant params");
}

/* Strides, dilations and padding of a kh x kw window. */
static int v_window(struct vctx *v, const struct qaccel_window *w, u32 kh,
		    u32 kw, bool dilated)
{
	if (!(kh >= 1 && kw >= 1))
		return vfail(v, -EINVAL, "window size 0");
	if (!(kh <= QACCEL_MAX_KERNEL_DIM && kw <= QACCEL_MAX_KERNEL_DIM))
		return vfail(v, -E2BIG,
			     "window larger than QACCEL_MAX_KERNEL_DIM");
	if (!(w->stride_h >= 1 && w->stride_w >= 1))
		return vfail(v, -EINVAL, "stride 0");
	if (!(w->stride_h <= QACCEL_MAX_STRIDE &&
	      w->stride_w <= QACCEL_MAX_STRIDE))
		return vfail(v, -E2BIG, "stride too large");
	if (!(w->dilation_h >= 1 && w->dilation_w >= 1))
		return vfail(v, -EINVAL, "dilation 0");
	if (dilated && (w->dilation_h > QACCEL_MAX_DILATION ||
			w->dilation_w > QACCEL_MAX_DILATION))
		return vfail(v, -E2BIG, "dilation too large");
	if (!dilated && (w->dilation_h != 1 || w->dilation_w != 1))
		return vfail(v, -EINVAL, "pooling dilation must be 1");
	if (!(w->pad_top < (kh - 1) * w->dilation_h + 1 &&
	      w->pad_left < (kw - 1) * w->dilation_w + 1))
		return vfail(v, -EINVAL, "padding not smaller than the window");
	return 0;
}

static int v_conv2d(struct vctx *v, const struct qaccel_cmd_conv2d *c)
{
	const u32 *id = c->input.dims, *fd = c->filter.dims;
	const u32 *od = c->output.dims;
	int ret;

	ret = v_tensor(v, &c->input, "input");
	if (ret)
		return ret;
	ret = v_tensor(v, &c->filter, "filter");
	if (ret)
		return ret;
	ret = v_tensor(v, &c->output, "output");
	if (ret)
		return ret;
	if (!(c->filter.zero_point == 0))
		return vfail(v, -EINVAL, "filter zero point not 0");
	if (!(id[0] == od[0]))
		return vfail(v, -EINVAL, "batch differs");
	if (!(fd[3] == id[3]))
		return vfail(v, -EINVAL, "filter depth differs from input's");
	if (!(fd[0] == od[3]))
		return vfail(v, -EINVAL, "filter count differs from output's");
	ret = v_window(v, &c->win, fd[1], fd[2], true);
	if (ret)
		return ret;
	if (!((u64)fd[1] * fd[2] * fd[3] <= QACCEL_MAX_ACC_DEPTH))
		return vfail(v, -E2BIG,
			     "reduction deeper than QACCEL_MAX_ACC_DEPTH");
	ret = v_bias_requant(v, &c->bias, &c->requant, od[3]);
	if (ret)
		return ret;
	return v_clamp(v, &c->clamp);
}

static int v_dwconv2d(struct vctx *v, const struct qaccel_cmd_dwconv2d *c)
{
	const u32 *id = c->input.dims, *fd = c->filter.dims;
	const u32 *od = c->output.dims;
	int ret;

	ret = v_tensor(v, &c->input, "input");
	if (ret)
		return ret;
	ret = v_tensor(v, &c->filter, "filter");
	if (ret)
		return ret;
	ret = v_tensor(v, &c->output, "output");
	if (ret)
		return ret;
	if (!(!c->reserved))
		return vfail(v, -EINVAL, "reserved");
	if (!(c->filter.zero_point == 0))
		return vfail(v, -EINVAL, "filter zero point not 0");
	if (!(id[0] == od[0]))
		return vfail(v, -EINVAL, "batch differs");
	if (!(fd[0] == 1))
		return vfail(v, -EINVAL, "depthwise filter batch not 1");
	if (!(c->depth_multiplier >= 1))
		return vfail(v, -EINVAL, "depth multiplier 0");
	if (!((u64)id[3] * c->depth_multiplier == od[3] && fd[3] == od[3]))
		return vfail(v, -EINVAL,
			     "channels differ from input x depth multiplier");
	ret = v_window(v, &c->win, fd[1], fd[2], true);
	if (ret)
		return ret;
	ret = v_bias_requant(v, &c->bias, &c->requant, od[3]);
	if (ret)
		return ret;
	return v_clamp(v, &c->clamp);
}

static int v_fc(struct vctx *v, const struct qaccel_cmd_fc *c)
{
	const u32 *id = c->input.dims, *fd = c->filter.dims;
	const u32 *od = c->output.dims;
	int ret;

	ret = v_tensor(v, &c->input, "input");
	if (ret)
		return ret;
	ret = v_tensor(v, &c->filter, "filter");
	if (ret)
		return ret;
	ret = v_tensor(v, &c->output, "output");
	if (ret)
		return ret;
	if (!(id[0] == 1 && id[1] == 1 && fd[0] == 1 && fd[1] == 1 &&
	      od[0] == 1 && od[1] == 1))
		return vfail(v, -EINVAL, "not [1, 1, rows, depth]");
	if (!(fd[3] == id[3]))
		return vfail(v, -EINVAL, "filter depth differs from input's");
	if (!(od[2] == id[2]))
		return vfail(v, -EINVAL, "output rows differ from input's");
	if (!(od[3] == fd[2]))
		return vfail(v, -EINVAL, "output units differ from filter's");
	if (!(id[3] <= QACCEL_MAX_ACC_DEPTH))
		return vfail(v, -E2BIG,
			     "reduction deeper than QACCEL_MAX_ACC_DEPTH");
	ret = v_bias_requant(v, &c->bias, &c->requant, od[3]);
	if (ret)
		return ret;
	return v_clamp(v, &c->clamp);
}

static int v_binary(struct vctx *v, const struct qaccel_cmd_binary *c)
{
	const u32 *od = c->output.dims;
	int i;
	int ret;

	ret = v_tensor(v, &c->input1, "input1");
	if (ret)
		return ret;
	ret = v_tensor(v, &c->input2, "input2");
	if (ret)
		return ret;
	ret = v_tensor(v, &c->output, "output");
	if (ret)
		return ret;
	for (i = 0; i < 4; i++)
		if (!((c->input1.dims[i] == od[i] || c->input1.dims[i] == 1) &&
		      (c->input2.dims[i] == od[i] || c->input2.dims[i] == 1)))
			return vfail(v, -EINVAL, "input dim not 1 or output's");
	ret = v_qmul(v, &c->output_qmul, "output_qmul");
	if (ret)
		return ret;
	if (c->hdr.opcode == QACCEL_OP_MUL) {
		if (!(!c->input1_qmul.multiplier && !c->input1_qmul.shift &&
		      !c->input2_qmul.multiplier && !c->input2_qmul.shift &&
		      !c->left_shift))
			return vfail(v, -EINVAL, "MUL input scaling not zero");
	} else {
		ret = v_qmul(v, &c->input1_qmul, "input1_qmul");
		if (ret)
			return ret;
		ret = v_qmul(v, &c->input2_qmul, "input2_qmul");
		if (ret)
			return ret;
		if (!(c->left_shift <= 20))
			return vfail(v, -EINVAL, "left_shift above 20");
	}
	ret = v_rounding(v, c->rounding);
	if (ret)
		return ret;
	return v_clamp(v, &c->clamp);
}

static int v_pool2d(struct vctx *v, const struct qaccel_cmd_pool2d *c)
{
	int ret;

	ret = v_tensor(v, &c->input, "input");
	if (ret)
		return ret;
	ret = v_tensor(v, &c->output, "output");
	if (ret)
		return ret;
	if (!(c->input.dims[0] == c->output.dims[0] &&
	      c->input.dims[3] == c->output.dims[3]))
		return vfail(v, -EINVAL, "batch or channels differ");
	if (!(c->input.zero_point == c->output.zero_point))
		return vfail(v, -EINVAL, "pooling changes the zero point");
	ret = v_window(v, &c->win, c->filter_h, c->filter_w, false);
	if (ret)
		return ret;
	return v_clamp(v, &c->clamp);
}

static int v_lut(struct vctx *v, const struct qaccel_cmd_lut *c)
{
	int ret;

	ret = v_tensor(v, &c->input, "input");
	if (ret)
		return ret;
	ret = v_tensor(v, &c->output, "output");
	if (ret)
		return ret;
	if (!(same_dims(&c->input, &c->output)))
		return vfail(v, -EINVAL, "shapes differ");
	return v_span(v, &c->table, 256, 1, "table");
}

static int v_softmax(struct vctx *v, const struct qaccel_cmd_softmax *c)
{
	int ret;

	ret = v_tensor(v, &c->input, "input");
	if (ret)
		return ret;
	ret = v_tensor(v, &c->output, "output");
	if (ret)
		return ret;
	if (!(same_dims(&c->input, &c->output)))
		return vfail(v, -EINVAL, "shapes differ");
	if (!(c->output.zero_point == S8_MIN))
		return vfail(v, -EINVAL, "softmax output zero point not -128");
	if (!(c->input_beta_multiplier >= 0))
		return vfail(v, -EINVAL, "beta multiplier");
	if (!(c->input_beta_left_shift >= 0 && c->input_beta_left_shift <= 30))
		return vfail(v, -EINVAL, "beta left shift outside 0..30");
	if (!(c->diff_min <= 0 && c->diff_min > S32_MIN))
		return vfail(v, -EINVAL, "diff_min");
	return v_rounding(v, c->rounding);
}

static int v_copy(struct vctx *v, const struct qaccel_cmd_copy *c)
{
	u64 src_ext = 1, dst_ext = 1, elems;
	int i;
	int ret;

	ret = v_elems(v, c->dims, &elems, "copy dims");
	if (ret)
		return ret;
	for (i = 0; i < 4; i++) {
		src_ext += (u64)(c->dims[i] - 1) * c->src_strides[i];
		dst_ext += (u64)(c->dims[i] - 1) * c->dst_strides[i];
	}
	ret = v_span(v, &c->src, src_ext, 1, "copy source");
	if (ret)
		return ret;
	ret = v_span(v, &c->dst, dst_ext, 1, "copy destination");
	if (ret)
		return ret;
	if (c->src.buf == c->dst.buf &&
	    c->src.offset + src_ext > c->dst.offset &&
	    c->dst.offset + dst_ext > c->src.offset)
		return vfail(v, -EINVAL, "copy source and destination overlap");
	return 0;
}

static int v_pad(struct vctx *v, const struct qaccel_cmd_pad *c)
{
	int i;
	int ret;

	ret = v_tensor(v, &c->input, "input");
	if (ret)
		return ret;
	ret = v_tensor(v, &c->output, "output");
	if (ret)
		return ret;
	if (!(!c->reserved))
		return vfail(v, -EINVAL, "reserved");
	if (!(c->pad_value >= S8_MIN && c->pad_value <= S8_MAX))
		return vfail(v, -EINVAL, "pad value");
	for (i = 0; i < 4; i++)
		if (!((u64)c->input.dims[i] + c->before[i] <=
		      c->output.dims[i]))
			return vfail(v, -EINVAL,
				     "output smaller than input plus padding");
	return 0;
}

static int v_reduce_hw(struct vctx *v, const struct qaccel_tensor *in,
		       const struct qaccel_tensor *out)
{
	int ret;

	ret = v_tensor(v, in, "input");
	if (ret)
		return ret;
	ret = v_tensor(v, out, "output");
	if (ret)
		return ret;
	if (!(out->dims[0] == in->dims[0] && out->dims[1] == 1 &&
	      out->dims[2] == 1 && out->dims[3] == in->dims[3]))
		return vfail(v, -EINVAL, "mean output not [N, 1, 1, C]");
	if (!((u64)in->dims[1] * in->dims[2] <= QACCEL_MAX_POOL_COUNT))
		return vfail(v, -E2BIG, "H x W above QACCEL_MAX_POOL_COUNT");
	return 0;
}

static int v_mean(struct vctx *v, const struct qaccel_cmd_mean *c)
{
	int ret;

	ret = v_reduce_hw(v, &c->input, &c->output);
	if (ret)
		return ret;
	ret = v_qmul(v, &c->qmul, "qmul");
	if (ret)
		return ret;
	if (!(c->divisor <= QACCEL_MAX_POOL_COUNT))
		return vfail(v, -E2BIG, "divisor");
	ret = v_rounding(v, c->rounding);
	if (ret)
		return ret;
	return v_clamp(v, &c->clamp);
}

static int v_requantize(struct vctx *v, const struct qaccel_cmd_requantize *c)
{
	int ret;

	ret = v_tensor(v, &c->input, "input");
	if (ret)
		return ret;
	ret = v_tensor(v, &c->output, "output");
	if (ret)
		return ret;
	if (!(same_dims(&c->input, &c->output)))
		return vfail(v, -EINVAL, "shapes differ");
	if (!(!c->reserved))
		return vfail(v, -EINVAL, "reserved");
	ret = v_qmul(v, &c->qmul, "qmul");
	if (ret)
		return ret;
	return v_rounding(v, c->rounding);
}

static int v_softmax_f32(struct vctx *v, const struct qaccel_cmd_softmax_f32 *c)
{
	int ret;

	ret = v_tensor(v, &c->input, "input");
	if (ret)
		return ret;
	ret = v_tensor(v, &c->output, "output");
	if (ret)
		return ret;
	if (!(same_dims(&c->input, &c->output)))
		return vfail(v, -EINVAL, "shapes differ");
	if (!(!c->reserved))
		return vfail(v, -EINVAL, "reserved");
	return v_span(v, &c->exp_table, 256 * 4, 4, "exp table");
}

static int v_mean_f32(struct vctx *v, const struct qaccel_cmd_mean_f32 *c)
{
	return v_reduce_hw(v, &c->input, &c->output);
}

static int v_cmd(struct vctx *v, const struct qaccel_cmd_header *h)
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
	}
	return vfail(v, -EINVAL, "unknown opcode");
}

static int v_header(struct vctx *v, const void *stream, u32 stream_size,
		    u32 num_bufs)
{
	const struct qaccel_stream_header *h = stream;

	if (!(stream && !((unsigned long)stream & 7)))
		return vfail(v, -EINVAL, "stream not 8-byte aligned");
	if (!(stream_size <= QACCEL_MAX_STREAM_SIZE))
		return vfail(v, -E2BIG,
			     "stream larger than QACCEL_MAX_STREAM_SIZE");
	if (!(stream_size >= sizeof(*h)))
		return vfail(v, -EOVERFLOW, "stream shorter than its header");
	if (!(num_bufs <= QACCEL_MAX_BUFFERS))
		return vfail(v, -E2BIG,
			     "buffer table larger than QACCEL_MAX_BUFFERS");
	if (!(h->magic == QACCEL_STREAM_MAGIC))
		return vfail(v, -EINVAL, "bad magic");
	if (!(h->version == QACCEL_ISA_VERSION))
		return vfail(v, -EINVAL, "unsupported ISA version");
	if (!(h->size == stream_size))
		return vfail(v, -EINVAL,
			     "header size differs from submitted size");
	if (!(h->num_cmds >= 1))
		return vfail(v, -EINVAL, "no commands");
	if (!(h->num_cmds <= QACCEL_MAX_CMDS))
		return vfail(v, -E2BIG, "too many commands");
	if (!(!h->flags && !h->reserved[0] && !h->reserved[1] &&
	      !h->reserved[2]))
		return vfail(v, -EINVAL, "header flags or reserved not zero");
	return 0;
}

/**
 * qaccel_validate() - check a command stream against its buffer table
 * @stream: the stream, 8-byte aligned
 * @stream_size: bytes submitted
 * @buf_sizes: size of each buffer of the table
 * @num_bufs: entries in the table
 * @err: where and why a stream was rejected; may be NULL
 *
 * Return: 0 if the stream may be executed with buffers of these sizes,
 * otherwise -EINVAL, -E2BIG or -EOVERFLOW.
 */
int qaccel_validate(const void *stream, u32 stream_size, const u64 *buf_sizes,
		    u32 num_bufs, struct qaccel_validate_error *err)
{
	struct vctx v = { .sizes = buf_sizes, .num_bufs = num_bufs };
	const struct qaccel_stream_header *h = stream;
	u32 off = sizeof(*h), i = 0;
	int ret;

	ret = v_header(&v, stream, stream_size, num_bufs);
	if (ret) {
		off = 0;
		i = U32_MAX;
		goto out;
	}
	for (i = 0; i < h->num_cmds; i++) {
		const struct qaccel_cmd_header *c =
			(const void *)((const u8 *)stream + off);
		u32 want;

		if (stream_size - off < sizeof(*c)) {
			ret = vfail(&v, -EOVERFLOW, "command past the stream");
			goto out;
		}
		want = qaccel_cmd_size(c->opcode);
		if (!want) {
			ret = vfail(&v, -EINVAL, "unknown opcode");
			goto out;
		}
		if (c->size != want) {
			ret = vfail(&v, -EINVAL,
				    "command size not its struct's");
			goto out;
		}
		if (stream_size - off < want) {
			ret = vfail(&v, -EOVERFLOW, "command past the stream");
			goto out;
		}
		ret = v_cmd(&v, c);
		if (ret)
			goto out;
		off += want;
	}
	if (off != stream_size) {
		ret = vfail(&v, -EINVAL, "bytes after the last command");
		i = h->num_cmds;
	}
out:
	if (ret && err) {
		err->offset = off;
		err->cmd_index = i;
		err->reason = v.reason;
	}
	return ret;
}
