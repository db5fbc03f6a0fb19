// SPDX-License-Identifier: MIT
/*
 * The compiler: a parsed .tflite graph in, a command stream out. All float
 * work happens here (quant_math.c); the stream is integers only.
 *
 * Layout: buffer 0 holds constants (weights, biases, multipliers, tables),
 * buffer 1 is the activation arena. RESHAPE and SQUEEZE emit nothing: their
 * output aliases their input. A float model input feeding QUANTIZE, and a
 * float output made by DEQUANTIZE, are converted on the host.
 */
#include "compile.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "quant_math.h"
#include "runtime/model/tflite_model.h"
#include "uapi/qaccel_cmd.h"
#include "runtime/ref/qaccel_ref.h"

struct qc {
	const struct tfl_model *m;
	int *alias;		/* tensor -> tensor whose bytes it shares */
	bool *host_edge;	/* QUANTIZE/DEQUANTIZE done on the host */
	bool *fused;		/* folded into a neighbour: emits nothing */
	struct qc_arena_item *items;
	int *item_of;		/* root tensor -> arena item, or -1 */
	size_t num_items;
	struct qc_bytes consts;
	struct qc_stream stream;
	struct qc_program *prog;
	char *err;
	size_t errlen;
	int op_index;
	int *cmd_op;		/* command -> operator that emitted it */
};

static int qc_fail(struct qc *c, int ret, const char *fmt, ...)
{
	char msg[192];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (c->op_index >= 0)
		snprintf(c->err, c->errlen, "operator %d (%s): %s", c->op_index,
			 tfl_op_name(c->m->ops[c->op_index].code), msg);
	else
		snprintf(c->err, c->errlen, "%s", msg);
	return ret;
}

static const struct tfl_tensor *T(struct qc *c, int i)
{
	return &c->m->tensors[i];
}

static int root(struct qc *c, int t)
{
	while (c->alias[t] != t)
		t = c->alias[t];
	return t;
}

static bool is_const(struct qc *c, int t)
{
	return T(c, t)->data != NULL;
}

static float scale_of(struct qc *c, int t)
{
	return T(c, t)->num_q ? T(c, t)->scales[0] : 0.0f;
}

static int32_t zp_of(struct qc *c, int t)
{
	return T(c, t)->num_q ? (int32_t)T(c, t)->zero_points[0] : 0;
}

/* Right-aligns a shape of rank <= 4 into NHWC dims. */
static int dims4(struct qc *c, int t, uint32_t d[4])
{
	const struct tfl_tensor *x = T(c, t);

	if (x->rank > 4)
		return qc_fail(c, -ENOTSUP, "tensor %d '%s' has rank %d (at most 4)",
			       t, x->name, x->rank);
	for (int i = 0; i < 4; i++)
		d[i] = 1;
	for (int i = 0; i < x->rank; i++) {
		if (x->shape[i] < 1 || x->shape[i] > (int32_t)QACCEL_MAX_DIM)
			return qc_fail(c, -ENOTSUP, "tensor %d '%s': dimension %d",
				       t, x->name, x->shape[i]);
		d[4 - x->rank + i] = (uint32_t)x->shape[i];
	}
	return 0;
}

static int add_const(struct qc *c, const void *data, size_t size, size_t align,
		     struct qaccel_ref *ref)
{
	size_t off;

	if (qc_bytes_append(&c->consts, data, size, align, &off))
		return qc_fail(c, -ENOMEM, "out of memory");
	if (off > UINT32_MAX)
		return qc_fail(c, -E2BIG, "constants exceed 4 GiB");
	ref->buf = QC_BUF_CONSTS;
	ref->offset = (uint32_t)off;
	return 0;
}

/* Descriptor of an int8 tensor: constants go to buffer 0, others to the arena. */
static int tensor(struct qc *c, int t, struct qaccel_tensor *out)
{
	const struct tfl_tensor *x = T(c, t);
	int ret;

	memset(out, 0, sizeof(*out));
	if (x->type != TFL_INT8)
		return qc_fail(c, -ENOTSUP, "tensor %d '%s' is %s, not int8", t,
			       x->name, tfl_type_name(x->type));
	ret = dims4(c, t, out->dims);
	if (ret)
		return ret;
	out->zero_point = zp_of(c, t);
	for (int i = 0; i < (x->num_q ? x->num_q : 1); i++)
		if (!x->num_q || !(x->scales[i] > 0.0f) || !isfinite(x->scales[i]))
			return qc_fail(c, -ENOTSUP, "tensor %d '%s': missing or invalid scale",
				       t, x->name);
	if (out->zero_point < -128 || out->zero_point > 127)
		return qc_fail(c, -EINVAL, "tensor %d '%s': zero point %d", t,
			       x->name, out->zero_point);
	if (!c->items)
		return 0;	/* lifetime pass: nothing is placed yet */
	if (is_const(c, t))
		return add_const(c, x->data, x->data_size, 8, &out->ref);
	out->ref.buf = QC_BUF_ARENA;
	out->ref.offset = (uint32_t)c->items[c->item_of[root(c, t)]].offset;
	return 0;
}

static int emit(struct qc *c, uint32_t opcode, void *cmd, uint32_t size)
{
	if (c->stream.num_cmds >= QACCEL_MAX_CMDS ||
	    qc_stream_emit(&c->stream, opcode, cmd, size))
		return qc_fail(c, -E2BIG, "command stream too large");
	c->cmd_op[c->stream.num_cmds - 1] = c->op_index;
	return 0;
}

static int qmul_array(struct qc *c, const double *real, uint32_t n,
		      struct qaccel_requant *rq)
{
	struct qaccel_qmul *q = calloc(n, sizeof(*q));
	int ret;

	if (!q)
		return qc_fail(c, -ENOMEM, "out of memory");
	for (uint32_t i = 0; i < n; i++)
		qc_quantize_multiplier(real[i], &q[i].multiplier, &q[i].shift);
	ret = add_const(c, q, n * sizeof(*q), 8, &rq->params);
	free(q);
	rq->count = n;
	rq->rounding = QACCEL_ROUND_DOUBLE;
	return ret;
}

static int bias_ref(struct qc *c, const struct tfl_op *op, int idx, uint32_t oc,
		    struct qaccel_ref *ref)
{
	int b = idx < op->num_inputs ? op->inputs[idx] : -1;

	if (b < 0) {
		ref->buf = QACCEL_NO_BUFFER;
		ref->offset = 0;
		return 0;
	}
	if (!is_const(c, b) || T(c, b)->type != TFL_INT32 ||
	    T(c, b)->data_size != (size_t)oc * 4)
		return qc_fail(c, -ENOTSUP, "bias tensor %d must be constant int32[%u]",
			       b, oc);
	return add_const(c, T(c, b)->data, T(c, b)->data_size, 8, ref);
}

static int act_clamp(struct qc *c, int act, int out, struct qaccel_clamp *cl)
{
	if (act > TFL_ACT_RELU6)
		return qc_fail(c, -ENOTSUP, "fused activation %d", act);
	qc_activation_range((enum qc_fused_act)act, scale_of(c, out), zp_of(c, out),
			    &cl->min, &cl->max);
	return 0;
}

/* TFLite's ComputePadding: total padding split with the extra row below. */
static uint32_t pad_before(int padding, uint32_t in, uint32_t out, uint32_t k,
			   uint32_t stride, uint32_t dil)
{
	int64_t eff = (int64_t)(k - 1) * dil + 1;
	int64_t total = ((int64_t)out - 1) * stride + eff - in;

	if (padding != TFL_PAD_SAME || total < 0)
		return 0;
	return (uint32_t)(total / 2);
}

static int window(struct qc *c, const struct tfl_options *o, const uint32_t *id,
		  const uint32_t *od, uint32_t kh, uint32_t kw,
		  struct qaccel_window *w)
{
	if (o->stride_h < 1 || o->stride_w < 1 || o->dilation_h < 1 ||
	    o->dilation_w < 1)
		return qc_fail(c, -EINVAL, "stride or dilation below 1");
	w->stride_h = (uint32_t)o->stride_h;
	w->stride_w = (uint32_t)o->stride_w;
	w->dilation_h = (uint32_t)o->dilation_h;
	w->dilation_w = (uint32_t)o->dilation_w;
	w->pad_top = pad_before(o->padding, id[1], od[1], kh, w->stride_h, w->dilation_h);
	w->pad_left = pad_before(o->padding, id[2], od[2], kw, w->stride_w, w->dilation_w);
	if (o->explicit_pad_top >= 0) {
		w->pad_top = (uint32_t)o->explicit_pad_top;
		w->pad_left = (uint32_t)o->explicit_pad_left;
	}
	return 0;
}

/* Per output channel input_scale * filter_scale / output_scale, in double. */
static int conv_requant(struct qc *c, int in, int filt, int out, uint32_t oc,
			struct qaccel_requant *rq)
{
	const struct tfl_tensor *f = T(c, filt);
	double *real;
	int ret;

	if (f->num_q != 1 && (uint32_t)f->num_q != oc)
		return qc_fail(c, -ENOTSUP, "filter has %d scales for %u channels",
			       f->num_q, oc);
	for (int i = 0; i < f->num_q; i++)
		if (f->zero_points[i])
			return qc_fail(c, -ENOTSUP, "filter zero point not 0");
	real = calloc(oc, sizeof(*real));
	if (!real)
		return qc_fail(c, -ENOMEM, "out of memory");
	for (uint32_t i = 0; i < oc; i++)
		real[i] = (double)scale_of(c, in) *
			  (double)f->scales[f->num_q == 1 ? 0 : i] /
			  (double)scale_of(c, out);
	ret = qmul_array(c, real, oc, rq);
	free(real);
	return ret;
}

static int op_conv(struct qc *c, const struct tfl_op *op)
{
	struct qaccel_cmd_conv2d k = { 0 };
	int in = op->inputs[0], f = op->inputs[1], out = op->outputs[0];
	int ret;

	if ((ret = tensor(c, in, &k.input)) || (ret = tensor(c, f, &k.filter)) ||
	    (ret = tensor(c, out, &k.output)))
		return ret;
	if (!c->items)
		return 0;
	if ((ret = window(c, &op->opt, k.input.dims, k.output.dims, k.filter.dims[1],
			  k.filter.dims[2], &k.win)) ||
	    (ret = bias_ref(c, op, 2, k.output.dims[3], &k.bias)) ||
	    (ret = conv_requant(c, in, f, out, k.output.dims[3], &k.requant)) ||
	    (ret = act_clamp(c, op->opt.activation, out, &k.clamp)))
		return ret;
	return emit(c, QACCEL_OP_CONV_2D, &k, sizeof(k));
}

static int op_dwconv(struct qc *c, const struct tfl_op *op)
{
	struct qaccel_cmd_dwconv2d k = { 0 };
	int in = op->inputs[0], f = op->inputs[1], out = op->outputs[0];
	int ret;

	if ((ret = tensor(c, in, &k.input)) || (ret = tensor(c, f, &k.filter)) ||
	    (ret = tensor(c, out, &k.output)))
		return ret;
	if (!c->items)
		return 0;
	if (k.output.dims[3] % k.input.dims[3])
		return qc_fail(c, -EINVAL, "output channels not a multiple of input's");
	k.depth_multiplier = k.output.dims[3] / k.input.dims[3];
	if ((ret = window(c, &op->opt, k.input.dims, k.output.dims, k.filter.dims[1],
			  k.filter.dims[2], &k.win)) ||
	    (ret = bias_ref(c, op, 2, k.output.dims[3], &k.bias)) ||
	    (ret = conv_requant(c, in, f, out, k.output.dims[3], &k.requant)) ||
	    (ret = act_clamp(c, op->opt.activation, out, &k.clamp)))
		return ret;
	return emit(c, QACCEL_OP_DEPTHWISE_CONV_2D, &k, sizeof(k));
}

static int op_fc(struct qc *c, const struct tfl_op *op)
{
	struct qaccel_cmd_fc k = { 0 };
	int in = op->inputs[0], f = op->inputs[1], out = op->outputs[0];
	const struct tfl_tensor *ft = T(c, f);
	uint32_t depth, units;
	int64_t elems;
	int ret;

	if ((ret = tensor(c, in, &k.input)) || (ret = tensor(c, f, &k.filter)) ||
	    (ret = tensor(c, out, &k.output)))
		return ret;
	if (ft->rank != 2)
		return qc_fail(c, -ENOTSUP, "filter rank %d (want 2)", ft->rank);
	units = (uint32_t)ft->shape[0];
	depth = (uint32_t)ft->shape[1];
	elems = tfl_tensor_elems(T(c, in));
	if (elems <= 0 || elems % depth)
		return qc_fail(c, -EINVAL, "input size not a multiple of %u", depth);
	k.input.dims[0] = k.input.dims[1] = 1;
	k.input.dims[2] = (uint32_t)(elems / depth);
	k.input.dims[3] = depth;
	k.filter.dims[0] = k.filter.dims[1] = 1;
	k.filter.dims[2] = units;
	k.filter.dims[3] = depth;
	k.output.dims[0] = k.output.dims[1] = 1;
	k.output.dims[2] = k.input.dims[2];
	k.output.dims[3] = units;
	k.filter.zero_point = zp_of(c, f);
	if (!c->items)
		return 0;
	if ((ret = bias_ref(c, op, 2, units, &k.bias)) ||
	    (ret = act_clamp(c, op->opt.activation, out, &k.clamp)))
		return ret;
	if (ft->num_q > 1) {
		ret = conv_requant(c, in, f, out, units, &k.requant);
	} else {
		/* TFLite multiplies the two float scales before widening. */
		volatile float prod = scale_of(c, in) * scale_of(c, f);
		double real = (double)prod / (double)scale_of(c, out);

		ret = qmul_array(c, &real, 1, &k.requant);
	}
	if (ret)
		return ret;
	/*
	 * TFLite's int8 FULLY_CONNECTED (2.21, LiteRT 2.3), unlike its
	 * convolutions, requantizes with one rounding of the 64-bit product:
	 * double rounding is 1 off on about 1 output in 1000 (ties).
	 */
	k.requant.rounding = QACCEL_ROUND_SINGLE;
	return emit(c, QACCEL_OP_FULLY_CONNECTED, &k, sizeof(k));
}

static int op_binary(struct qc *c, const struct tfl_op *op, uint32_t opcode)
{
	struct qaccel_cmd_binary k = { 0 };
	int a = op->inputs[0], b = op->inputs[1], out = op->outputs[0];
	int ret;

	if ((ret = tensor(c, a, &k.input1)) || (ret = tensor(c, b, &k.input2)) ||
	    (ret = tensor(c, out, &k.output)))
		return ret;
	if (!c->items)
		return 0;
	k.rounding = QACCEL_ROUND_DOUBLE;
	if (opcode == QACCEL_OP_MUL) {
		double real = (double)scale_of(c, a) * (double)scale_of(c, b) /
			      (double)scale_of(c, out);

		qc_quantize_multiplier(real, &k.output_qmul.multiplier,
				       &k.output_qmul.shift);
	} else {
		float sa = scale_of(c, a), sb = scale_of(c, b);
		double twice_max = 2 * (sa > sb ? sa : sb);

		k.left_shift = 20;
		qc_quantize_multiplier(sa / twice_max, &k.input1_qmul.multiplier,
				       &k.input1_qmul.shift);
		qc_quantize_multiplier(sb / twice_max, &k.input2_qmul.multiplier,
				       &k.input2_qmul.shift);
		qc_quantize_multiplier(twice_max / ((1 << 20) * scale_of(c, out)),
				       &k.output_qmul.multiplier, &k.output_qmul.shift);
	}
	if ((ret = act_clamp(c, op->opt.activation, out, &k.clamp)))
		return ret;
	return emit(c, opcode, &k, sizeof(k));
}

static int op_pool(struct qc *c, const struct tfl_op *op, uint32_t opcode)
{
	struct qaccel_cmd_pool2d k = { 0 };
	struct tfl_options o = op->opt;
	int in = op->inputs[0], out = op->outputs[0];
	int ret;

	if ((ret = tensor(c, in, &k.input)) || (ret = tensor(c, out, &k.output)))
		return ret;
	if (!c->items)
		return 0;
	if (o.filter_h < 1 || o.filter_w < 1)
		return qc_fail(c, -EINVAL, "pool window below 1");
	k.filter_h = (uint32_t)o.filter_h;
	k.filter_w = (uint32_t)o.filter_w;
	o.dilation_h = o.dilation_w = 1;
	if ((ret = window(c, &o, k.input.dims, k.output.dims, k.filter_h, k.filter_w,
			  &k.win)) ||
	    (ret = act_clamp(c, o.activation, out, &k.clamp)))
		return ret;
	return emit(c, opcode, &k, sizeof(k));
}

static int op_lut(struct qc *c, const struct tfl_op *op)
{
	struct qaccel_cmd_lut k = { 0 };
	int in = op->inputs[0], out = op->outputs[0];
	float si = scale_of(c, in), so = scale_of(c, out);
	int32_t zi = zp_of(c, in), zo = zp_of(c, out);
	int8_t table[256];
	int ret;

	if ((ret = tensor(c, in, &k.input)) || (ret = tensor(c, out, &k.output)))
		return ret;
	if (!c->items)
		return 0;
	switch (op->code) {
	case TFL_LOGISTIC:
		qc_lut_float_fn(QC_LUT_LOGISTIC, si, zi, so, zo, table);
		break;
	case TFL_TANH:
		qc_lut_float_fn(QC_LUT_TANH, si, zi, so, zo, table);
		break;
	case TFL_HARD_SWISH:
		if (qc_lut_hard_swish(si, zi, so, zo, table))
			return qc_fail(c, -ENOTSUP, "output scale below input scale / 128");
		break;
	case TFL_RELU:
		qc_lut_relu(0.0f, INFINITY, si, zi, so, zo, table);
		break;
	case TFL_RELU6:
		qc_lut_relu(0.0f, 6.0f, si, zi, so, zo, table);
		break;
	default:
		qc_lut_leaky_relu(op->opt.alpha, si, zi, so, zo, table);
		break;
	}
	if ((ret = add_const(c, table, sizeof(table), 8, &k.table)))
		return ret;
	return emit(c, QACCEL_OP_LUT, &k, sizeof(k));
}

/*
 * TFLite's reference int8 softmax (BUILTIN_REF) is the fixed-point one of
 * reference_ops::Softmax, not the float exp table of its optimized kernel:
 * the two differ on near-ties. Parameters as its Prepare makes them, with
 * 5 integer bits for the scaled differences.
 */
#define SOFTMAX_DIFF_INT_BITS 5

static int op_softmax(struct qc *c, const struct tfl_op *op)
{
	struct qaccel_cmd_softmax k = { 0 };
	int in = op->inputs[0], out = op->outputs[0], ret;
	double real = fmin((double)op->opt.beta * (double)scale_of(c, in) *
			   (double)(1LL << (31 - SOFTMAX_DIFF_INT_BITS)), 2147483647.0);
	int32_t mult, shift;

	if ((ret = tensor(c, in, &k.input)) || (ret = tensor(c, out, &k.output)))
		return ret;
	if (!c->items)
		return 0;
	qc_quantize_multiplier(real, &mult, &shift);
	/*
	 * TFLite's Prepare requires beta * scale * 2^26 >= 1 (a multiplier
	 * of at least one); the command takes left shifts 0..30.
	 */
	if (shift < 0 || shift > 30)
		return qc_fail(c, -ENOTSUP, "SOFTMAX: beta %g times input scale %g is out of range",
			       (double)op->opt.beta, (double)scale_of(c, in));
	k.input_beta_multiplier = mult;
	k.input_beta_left_shift = shift;
	/* CalculateInputRadius: the largest difference whose exp still counts. */
	k.diff_min = -(int32_t)floor((double)((1 << SOFTMAX_DIFF_INT_BITS) - 1) *
				     (double)(1LL << (31 - SOFTMAX_DIFF_INT_BITS)) /
				     (double)(1LL << shift));
	k.rounding = QACCEL_ROUND_DOUBLE;
	return emit(c, QACCEL_OP_SOFTMAX, &k, sizeof(k));
}

static void dense_strides(const uint32_t *d, uint32_t *s)
{
	s[3] = 1;
	s[2] = d[3];
	s[1] = d[3] * d[2];
	s[0] = d[3] * d[2] * d[1];
}

static int op_concat(struct qc *c, const struct tfl_op *op)
{
	struct qaccel_tensor ot;
	int out = op->outputs[0], rank = T(c, out)->rank;
	int axis = op->opt.axis < 0 ? op->opt.axis + rank : op->opt.axis;
	uint32_t ostr[4], at = 0;
	int ret;

	if ((ret = tensor(c, out, &ot)))
		return ret;
	if (axis < 0 || axis >= rank || op->opt.activation)
		return qc_fail(c, -ENOTSUP, "axis %d or fused activation", op->opt.axis);
	axis += 4 - rank;
	dense_strides(ot.dims, ostr);
	for (int i = 0; i < op->num_inputs; i++) {
		struct qaccel_cmd_copy k = { 0 };
		struct qaccel_tensor it;
		int in = op->inputs[i];

		if ((ret = tensor(c, in, &it)))
			return ret;
		if (scale_of(c, in) != scale_of(c, out) || zp_of(c, in) != zp_of(c, out))
			return qc_fail(c, -ENOTSUP, "input %d quantized differently", i);
		if (!c->items)
			continue;
		memcpy(k.dims, it.dims, sizeof(k.dims));
		dense_strides(it.dims, k.src_strides);
		memcpy(k.dst_strides, ostr, sizeof(ostr));
		k.src = it.ref;
		k.dst = ot.ref;
		k.dst.offset += at * ostr[axis];
		at += it.dims[axis];
		if ((ret = emit(c, QACCEL_OP_COPY, &k, sizeof(k))))
			return ret;
	}
	return 0;
}

static int op_pad(struct qc *c, const struct tfl_op *op)
{
	struct qaccel_cmd_pad k = { 0 };
	int in = op->inputs[0], pads = op->inputs[1], out = op->outputs[0];
	const struct tfl_tensor *p = T(c, pads);
	int rank = T(c, in)->rank, ret;

	if ((ret = tensor(c, in, &k.input)) || (ret = tensor(c, out, &k.output)))
		return ret;
	if (!is_const(c, pads) || p->type != TFL_INT32 || p->data_size != (size_t)rank * 8)
		return qc_fail(c, -ENOTSUP, "paddings must be constant int32[%d, 2]", rank);
	for (int i = 0; i < rank; i++) {
		int32_t before;

		memcpy(&before, p->data + 8 * i, 4);
		if (before < 0)
			return qc_fail(c, -EINVAL, "negative padding");
		k.before[4 - rank + i] = (uint32_t)before;
	}
	k.pad_value = zp_of(c, out);
	if (op->code == TFL_PADV2 && op->num_inputs > 2) {
		int v = op->inputs[2];

		if (!is_const(c, v) || T(c, v)->type != TFL_INT8 || T(c, v)->data_size != 1)
			return qc_fail(c, -ENOTSUP, "pad value must be a constant int8");
		k.pad_value = (int8_t)T(c, v)->data[0];
	}
	if (!c->items)
		return 0;
	return emit(c, QACCEL_OP_PAD, &k, sizeof(k));
}

/*
 * TFLite's integer mean (reference QuantizedMeanOrSum): the rescaling by
 * S_in / S_out absorbs 1 / (H * W) by shifting the multiplier left by
 * floor(log2(H * W)) (at most 32, and no further than the shift allows)
 * and dividing it by H * W in 64 bits.
 */
static int emit_mean(struct qc *c, int in, int out, const struct qaccel_tensor *it,
		     const struct qaccel_tensor *ot)
{
	struct qaccel_cmd_mean k = { 0 };
	int64_t n = (int64_t)it->dims[1] * it->dims[2];
	int32_t m, s;
	int sh = 63 - __builtin_clzll((uint64_t)n);

	qc_quantize_multiplier((double)scale_of(c, in) / (double)scale_of(c, out), &m, &s);
	if (sh > 32)
		sh = 32;
	if (sh > 31 + s)
		sh = 31 + s;
	k.input = *it;
	k.output = *ot;
	k.qmul.multiplier = (int32_t)(((int64_t)m << sh) / n);
	k.qmul.shift = s - sh;
	k.rounding = QACCEL_ROUND_DOUBLE;
	k.clamp.min = -128;
	k.clamp.max = 127;
	return emit(c, QACCEL_OP_MEAN, &k, sizeof(k));
}

static int op_mean(struct qc *c, const struct tfl_op *op)
{
	int in = op->inputs[0], axes = op->inputs[1], out = op->outputs[0];
	const struct tfl_tensor *a = T(c, axes);
	struct qaccel_tensor it, ot;
	int32_t ax[2];
	int ret;

	if ((ret = tensor(c, in, &it)) || (ret = tensor(c, out, &ot)))
		return ret;
	if (T(c, in)->rank != 4 || !is_const(c, axes) || a->type != TFL_INT32 ||
	    a->data_size != 8)
		return qc_fail(c, -ENOTSUP, "only MEAN over axes 1 and 2 of a 4-D input");
	memcpy(ax, a->data, 8);
	if (!((ax[0] == 1 && ax[1] == 2) || (ax[0] == 2 && ax[1] == 1)))
		return qc_fail(c, -ENOTSUP, "only MEAN over axes 1 and 2 of a 4-D input");
	ot.dims[0] = it.dims[0];
	ot.dims[1] = ot.dims[2] = 1;
	ot.dims[3] = it.dims[3];
	if (!c->items)
		return 0;
	return emit_mean(c, in, out, &it, &ot);
}

static int op_requantize(struct qc *c, const struct tfl_op *op)
{
	struct qaccel_cmd_requantize k = { 0 };
	int in = op->inputs[0], out = op->outputs[0];
	int ret;

	if ((ret = tensor(c, in, &k.input)) || (ret = tensor(c, out, &k.output)))
		return ret;
	if (!c->items)
		return 0;
	qc_quantize_multiplier((double)scale_of(c, in) / (double)scale_of(c, out),
			       &k.qmul.multiplier, &k.qmul.shift);
	k.rounding = QACCEL_ROUND_DOUBLE;
	return emit(c, QACCEL_OP_REQUANTIZE, &k, sizeof(k));
}

static bool is_alias_op(int code)
{
	return code == TFL_RESHAPE || code == TFL_SQUEEZE;
}

static int compile_op(struct qc *c, const struct tfl_op *op)
{
	bool has_bias = op->code == TFL_CONV_2D || op->code == TFL_DEPTHWISE_CONV_2D ||
			op->code == TFL_FULLY_CONNECTED;

	if (op->num_inputs < 1 || op->num_outputs != 1)
		return qc_fail(c, -EINVAL, "unexpected inputs or outputs");
	/* Only a bias may be omitted (tensor index -1). */
	for (int k = 0; k < op->num_inputs; k++)
		if (op->inputs[k] < 0 && !(has_bias && k == 2))
			return qc_fail(c, -EINVAL, "input %d is missing", k);
	switch (op->code) {
	case TFL_CONV_2D:
		return op->num_inputs < 2 ? -EINVAL : op_conv(c, op);
	case TFL_DEPTHWISE_CONV_2D:
		return op->num_inputs < 2 ? -EINVAL : op_dwconv(c, op);
	case TFL_FULLY_CONNECTED:
		return op->num_inputs < 2 ? -EINVAL : op_fc(c, op);
	case TFL_ADD:
		return op->num_inputs < 2 ? -EINVAL : op_binary(c, op, QACCEL_OP_ADD);
	case TFL_SUB:
		return op->num_inputs < 2 ? -EINVAL : op_binary(c, op, QACCEL_OP_SUB);
	case TFL_MUL:
		return op->num_inputs < 2 ? -EINVAL : op_binary(c, op, QACCEL_OP_MUL);
	case TFL_MAX_POOL_2D:
		return op_pool(c, op, QACCEL_OP_MAX_POOL_2D);
	case TFL_AVERAGE_POOL_2D:
		return op_pool(c, op, QACCEL_OP_AVERAGE_POOL_2D);
	case TFL_LOGISTIC:
	case TFL_TANH:
	case TFL_HARD_SWISH:
	case TFL_RELU:
	case TFL_RELU6:
	case TFL_LEAKY_RELU:
		return op_lut(c, op);
	case TFL_SOFTMAX:
		return op_softmax(c, op);
	case TFL_CONCATENATION:
		return op_concat(c, op);
	case TFL_PAD:
	case TFL_PADV2:
		return op->num_inputs < 2 ? -EINVAL : op_pad(c, op);
	case TFL_MEAN:
		return op->num_inputs < 2 ? -EINVAL : op_mean(c, op);
	case TFL_QUANTIZE:
		return op_requantize(c, op);
	}
	return qc_fail(c, -ENOTSUP, "unsupported operator (builtin code %d)", op->code);
}


/* The op consuming a model input as QUANTIZE float -> int8, or -1. */
static int host_quantize_of(struct qc *c, int t)
{
	for (int i = 0; i < c->m->num_ops; i++)
		if (c->host_edge[i] && c->m->ops[i].code == TFL_QUANTIZE &&
		    c->m->ops[i].inputs[0] == t)
			return i;
	return -1;
}

static int host_dequantize_of(struct qc *c, int t)
{
	for (int i = 0; i < c->m->num_ops; i++)
		if (c->host_edge[i] && c->m->ops[i].code == TFL_DEQUANTIZE &&
		    c->m->ops[i].outputs[0] == t)
			return i;
	return -1;
}

static bool is_model_io(const int *list, int n, int t)
{
	for (int i = 0; i < n; i++)
		if (list[i] == t)
			return true;
	return false;
}

/* The only operator reading tensor t, or -1 (none, several, or a model output). */
static int sole_consumer(struct qc *c, int t)
{
	int found = -1;

	if (is_model_io(c->m->outputs, c->m->num_outputs, t))
		return -1;
	for (int i = 0; i < c->m->num_ops; i++)
		for (int k = 0; k < c->m->ops[i].num_inputs; k++)
			if (c->m->ops[i].inputs[k] == t) {
				if (found >= 0 && found != i)
					return -1;
				found = i;
			}
	return found;
}

/* A constant int32 tensor of exactly n values, or NULL. */
static const int32_t *const_i32(struct qc *c, int t, size_t n, int32_t *buf)
{
	if (t < 0 || !is_const(c, t) || T(c, t)->type != TFL_INT32 ||
	    T(c, t)->data_size != n * 4)
		return NULL;
	memcpy(buf, T(c, t)->data, n * 4);
	return buf;
}

/*
 * TensorFlow's converter writes a dilated convolution as SPACE_TO_BATCH_ND,
 * a VALID stride-1 convolution, BATCH_TO_SPACE_ND. The three compute
 * exactly a dilated convolution whose implicit padding is the space-to-batch
 * padding less the crop (padding there holds the zero point, which adds
 * nothing), so the compiler folds them into one command.
 */
static void fuse_dilations(struct qc *c, struct tfl_model *m)
{
	for (int s = 0; s < m->num_ops; s++) {
		struct tfl_op *stb = &m->ops[s], *conv, *bts;
		int32_t block[2], pads[4], block2[2], crops[4];
		int ci, bi;

		if (stb->code != TFL_SPACE_TO_BATCH_ND || stb->num_inputs != 3 ||
		    stb->num_outputs != 1 || stb->inputs[0] < 0 ||
		    T(c, stb->inputs[0])->rank != 4 ||
		    !const_i32(c, stb->inputs[1], 2, block) ||
		    !const_i32(c, stb->inputs[2], 4, pads))
			continue;
		ci = sole_consumer(c, stb->outputs[0]);
		if (ci < 0)
			continue;
		conv = &m->ops[ci];
		if ((conv->code != TFL_CONV_2D && conv->code != TFL_DEPTHWISE_CONV_2D) ||
		    conv->inputs[0] != stb->outputs[0] || conv->num_outputs != 1 ||
		    conv->opt.padding != TFL_PAD_VALID || conv->opt.stride_h != 1 ||
		    conv->opt.stride_w != 1 || conv->opt.dilation_h != 1 ||
		    conv->opt.dilation_w != 1)
			continue;
		bi = sole_consumer(c, conv->outputs[0]);
		if (bi < 0)
			continue;
		bts = &m->ops[bi];
		if (bts->code != TFL_BATCH_TO_SPACE_ND || bts->num_inputs != 3 ||
		    bts->num_outputs != 1 ||
		    !const_i32(c, bts->inputs[1], 2, block2) ||
		    !const_i32(c, bts->inputs[2], 4, crops) ||
		    block2[0] != block[0] || block2[1] != block[1] ||
		    block[0] < 1 || block[1] < 1 || pads[0] < crops[0] ||
		    pads[2] < crops[2] || crops[0] < 0 || crops[2] < 0)
			continue;
		conv->inputs[0] = stb->inputs[0];
		conv->outputs[0] = bts->outputs[0];
		conv->opt.dilation_h = block[0];
		conv->opt.dilation_w = block[1];
		conv->opt.explicit_pad_top = pads[0] - crops[0];
		conv->opt.explicit_pad_left = pads[2] - crops[2];
		c->fused[s] = true;
		c->fused[bi] = true;
	}
}

/* Float QUANTIZE at inputs and DEQUANTIZE at outputs run on the host. */
static int mark_edges_and_aliases(struct qc *c)
{
	const struct tfl_model *m = c->m;

	for (int i = 0; i < m->num_ops; i++) {
		const struct tfl_op *op = &m->ops[i];

		c->op_index = i;
		if (op->num_inputs < 1 || op->num_outputs < 1 || op->inputs[0] < 0)
			return qc_fail(c, -EINVAL, "operator without input or output");
		if (op->code == TFL_QUANTIZE && T(c, op->inputs[0])->type == TFL_FLOAT32) {
			if (!is_model_io(m->inputs, m->num_inputs, op->inputs[0]) ||
			    T(c, op->outputs[0])->type != TFL_INT8)
				return qc_fail(c, -ENOTSUP, "float QUANTIZE inside the graph");
			c->host_edge[i] = true;
		} else if (op->code == TFL_DEQUANTIZE) {
			if (!is_model_io(m->outputs, m->num_outputs, op->outputs[0]) ||
			    T(c, op->inputs[0])->type != TFL_INT8)
				return qc_fail(c, -ENOTSUP, "DEQUANTIZE inside the graph");
			c->host_edge[i] = true;
		} else if (is_alias_op(op->code)) {
			int in = op->inputs[0], out = op->outputs[0];

			if (tfl_tensor_elems(T(c, in)) != tfl_tensor_elems(T(c, out)) ||
			    is_const(c, in) || T(c, in)->type != T(c, out)->type)
				return qc_fail(c, -ENOTSUP, "reshape of a constant or of another size");
			c->alias[out] = in;
		}
	}
	c->op_index = -1;
	return 0;
}

static void touch(int *first, int *last, int r, int at)
{
	if (first[r] == INT32_MAX)
		first[r] = at;
	if (at > last[r])
		last[r] = at;
}

/* Lifetime of every activation, then places them in the arena. */
static int plan(struct qc *c)
{
	const struct tfl_model *m = c->m;
	int n = m->num_tensors;
	int *first = malloc(n * sizeof(int)), *last = malloc(n * sizeof(int));
	int ret = 0;

	c->items = calloc(n ? n : 1, sizeof(*c->items));
	c->item_of = malloc((n ? n : 1) * sizeof(int));
	if (!first || !last || !c->items || !c->item_of) {
		ret = qc_fail(c, -ENOMEM, "out of memory");
		goto out;
	}
	for (int t = 0; t < n; t++) {
		first[t] = INT32_MAX;
		last[t] = -2;
		c->item_of[t] = -1;
	}
	for (int i = 0; i < m->num_ops; i++) {
		const struct tfl_op *op = &m->ops[i];

		if (c->host_edge[i] || c->fused[i] || is_alias_op(op->code))
			continue;
		for (int k = 0; k < op->num_inputs; k++)
			if (op->inputs[k] >= 0 && !is_const(c, op->inputs[k]))
				touch(first, last, root(c, op->inputs[k]), i);
		touch(first, last, root(c, op->outputs[0]), i);
	}
	for (int k = 0; k < m->num_inputs; k++) {
		int q = host_quantize_of(c, m->inputs[k]);
		int t = q >= 0 ? m->ops[q].outputs[0] : m->inputs[k];

		touch(first, last, root(c, t), -1);
	}
	for (int k = 0; k < m->num_outputs; k++) {
		int d = host_dequantize_of(c, m->outputs[k]);
		int t = d >= 0 ? m->ops[d].inputs[0] : m->outputs[k];

		touch(first, last, root(c, t), m->num_ops);
	}
	for (int t = 0; t < n; t++) {
		int64_t elems;

		if (first[t] == INT32_MAX)
			continue;
		if (T(c, t)->type != TFL_INT8) {
			ret = qc_fail(c, -ENOTSUP, "tensor %d '%s' is %s, not int8", t,
				      T(c, t)->name, tfl_type_name(T(c, t)->type));
			goto out;
		}
		elems = tfl_tensor_elems(T(c, t));
		if (elems <= 0 || elems > INT32_MAX) {
			ret = qc_fail(c, -ENOTSUP, "tensor %d '%s': bad size", t, T(c, t)->name);
			goto out;
		}
		c->items[c->num_items].size = (size_t)elems;
		c->items[c->num_items].first = first[t] == -1 ? -1 : first[t];
		c->items[c->num_items].last = last[t];
		c->item_of[t] = (int)c->num_items++;
	}
	c->prog->arena_size = qc_plan_arena(c->items, c->num_items, 16);
	if (c->prog->arena_size == (size_t)-1)
		ret = qc_fail(c, -ENOMEM, "out of memory");
out:
	free(first);
	free(last);
	return ret;
}

static int io_fill(struct qc *c, struct qc_io *io, int user_t, int internal_t)
{
	const struct tfl_tensor *u = T(c, user_t);

	io->name = strdup(u->name);
	if (!io->name)
		return qc_fail(c, -ENOMEM, "out of memory");
	io->info.name = io->name;
	io->host_float = u->type == TFL_FLOAT32;
	if (!io->host_float && u->type != TFL_INT8)
		return qc_fail(c, -ENOTSUP, "model input/output '%s' is %s", u->name,
			       tfl_type_name(u->type));
	io->info.dtype = io->host_float ? QACCEL_DTYPE_FLOAT32 : QACCEL_DTYPE_INT8;
	io->info.rank = u->rank;
	for (int i = 0; i < u->rank; i++)
		io->info.dims[i] = u->shape[i];
	io->elems = (size_t)tfl_tensor_elems(u);
	io->info.bytes = io->elems * qaccel_dtype_size(io->info.dtype);
	io->q_scale = scale_of(c, internal_t);
	io->q_zero_point = zp_of(c, internal_t);
	io->info.scale = io->host_float ? 0.0f : io->q_scale;
	io->info.zero_point = io->host_float ? 0 : io->q_zero_point;
	io->arena_offset = c->items[c->item_of[root(c, internal_t)]].offset;
	return 0;
}

static int fill_io(struct qc *c)
{
	const struct tfl_model *m = c->m;
	struct qc_program *p = c->prog;
	int ret;

	p->inputs = calloc(m->num_inputs + 1, sizeof(*p->inputs));
	p->outputs = calloc(m->num_outputs + 1, sizeof(*p->outputs));
	if (!p->inputs || !p->outputs)
		return qc_fail(c, -ENOMEM, "out of memory");
	for (int k = 0; k < m->num_inputs; k++) {
		int q = host_quantize_of(c, m->inputs[k]);

		ret = io_fill(c, &p->inputs[k], m->inputs[k],
			      q >= 0 ? m->ops[q].outputs[0] : m->inputs[k]);
		p->num_inputs = k + 1;
		if (ret)
			return ret;
	}
	for (int k = 0; k < m->num_outputs; k++) {
		int d = host_dequantize_of(c, m->outputs[k]);

		ret = io_fill(c, &p->outputs[k], m->outputs[k],
			      d >= 0 ? m->ops[d].inputs[0] : m->outputs[k]);
		p->num_outputs = k + 1;
		if (ret)
			return ret;
	}
	return 0;
}

static void note(struct qc *c, int i, const char *what, uint32_t cmds)
{
	struct qc_op_note *n = &c->prog->notes[c->prog->num_notes++];

	snprintf(n->text, sizeof(n->text), "%3d %-18s %s", i,
		 tfl_op_name(c->m->ops[i].code), what);
	if (cmds)
		snprintf(n->text + strlen(n->text), sizeof(n->text) - strlen(n->text),
			 " (%u command%s)", cmds, cmds == 1 ? "" : "s");
}

static int emit_all(struct qc *c)
{
	const struct tfl_model *m = c->m;
	int ret;

	c->prog->notes = calloc(m->num_ops + 1, sizeof(*c->prog->notes));
	if (!c->prog->notes)
		return qc_fail(c, -ENOMEM, "out of memory");
	for (int i = 0; i < m->num_ops; i++) {
		uint32_t before = c->stream.num_cmds;

		c->op_index = i;
		if (c->host_edge[i]) {
			note(c, i, "on the host (float edge)", 0);
			continue;
		}
		if (c->fused[i]) {
			note(c, i, "folded into the dilated convolution", 0);
			continue;
		}
		if (is_alias_op(m->ops[i].code)) {
			note(c, i, "no command (shares its input's memory)", 0);
			continue;
		}
		ret = compile_op(c, &m->ops[i]);
		if (ret)
			return ret == -EINVAL && !c->err[0] ?
			       qc_fail(c, ret, "malformed operator") : ret;
		note(c, i, "engine", c->stream.num_cmds - before);
	}
	c->op_index = -1;
	return 0;
}

static int check_ops(struct qc *c)
{
	for (int i = 0; i < c->m->num_ops; i++) {
		int ret;

		if (c->host_edge[i] || c->fused[i] || is_alias_op(c->m->ops[i].code))
			continue;
		c->op_index = i;
		ret = compile_op(c, &c->m->ops[i]);	/* shapes and types only */
		if (ret)
			return ret;
	}
	c->op_index = -1;
	return 0;
}

/*
 * The engine's validator has the last word: a model whose parameters it
 * would reject (pooling that changes quantization, padding wider than the
 * window...) is refused here, naming the operator, instead of at submit.
 */
static int check_stream(struct qc *c)
{
	uint64_t sizes[QC_NUM_BUFS] = { c->consts.size ? c->consts.size : 1,
					c->prog->arena_size ? c->prog->arena_size : 1 };
	struct qaccel_validate_error e;
	int ret = qaccel_validate(c->stream.bytes.data, (uint32_t)c->stream.bytes.size,
				  sizes, QC_NUM_BUFS, &e);

	if (!ret)
		return 0;
	c->op_index = e.cmd_index < c->stream.num_cmds ? c->cmd_op[e.cmd_index] : -1;
	return qc_fail(c, -ENOTSUP, "parameters the engine does not support (%s)",
		       e.reason ? e.reason : "invalid");
}

int qc_compile_tflite(const void *data, size_t size, struct qc_program *out,
		      char *err, size_t errlen)
{
	struct tfl_model m;
	struct qc c = { 0 };
	int ret;

	memset(out, 0, sizeof(*out));
	err[0] = '\0';
	ret = tfl_model_parse(data, size, &m, err, errlen);
	if (ret)
		return ret;
	c.m = &m;
	c.prog = out;
	c.err = err;
	c.errlen = errlen;
	c.op_index = -1;
	c.alias = malloc((m.num_tensors + 1) * sizeof(int));
	c.host_edge = calloc(m.num_ops + 1, sizeof(bool));
	c.fused = calloc(m.num_ops + 1, sizeof(bool));
	c.cmd_op = calloc(QACCEL_MAX_CMDS, sizeof(int));
	if (!c.alias || !c.host_edge || !c.fused || !c.cmd_op) {
		ret = qc_fail(&c, -ENOMEM, "out of memory");
		goto out;
	}
	for (int t = 0; t < m.num_tensors; t++)
		c.alias[t] = t;
	fuse_dilations(&c, &m);
	if ((ret = mark_edges_and_aliases(&c)) || (ret = check_ops(&c)) ||
	    (ret = plan(&c)) || (ret = qc_stream_init(&c.stream)) ||
	    (ret = emit_all(&c)) || (ret = fill_io(&c)))
		goto out;
	if (!c.stream.num_cmds) {
		ret = qc_fail(&c, -ENOTSUP, "the model has no operator to run");
		goto out;
	}
	if ((ret = qc_stream_finish(&c.stream))) {
		qc_fail(&c, ret, "command stream too large");
		goto out;
	}
	ret = check_stream(&c);
	if (ret)
		goto out;
	out->stream = c.stream.bytes.data;
	out->stream_size = (uint32_t)c.stream.bytes.size;
	c.stream.bytes.data = NULL;
	out->consts = c.consts.data;
	out->consts_size = c.consts.size;
	c.consts.data = NULL;
out:
	if (ret)
		qc_program_free(out);
	qc_bytes_free(&c.stream.bytes);
	qc_bytes_free(&c.consts);
	free(c.alias);
	free(c.host_edge);
	free(c.fused);
	free(c.cmd_op);
	free(c.items);
	free(c.item_of);
	tfl_model_free(&m);
	return ret;
}

void qc_program_free(struct qc_program *p)
{
	for (int i = 0; i < p->num_inputs; i++)
		free(p->inputs[i].name);
	for (int i = 0; i < p->num_outputs; i++)
		free(p->outputs[i].name);
	free(p->inputs);
	free(p->outputs);
	free(p->notes);
	free(p->stream);
	free(p->consts);
	memset(p, 0, sizeof(*p));
}
