// SPDX-License-Identifier: MIT
/*
 * The int8 model from a quantization plan: tensors, quantized constants,
 * operators and the edges. Operator versions are the ones TensorFlow Lite's
 * converter writes for int8 kernels (and that its interpreter requires).
 */
#include "quant_plan.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int int8_version(const struct tfl_op *op)
{
	switch (op->code) {
	case TFL_CONV_2D: case TFL_DEPTHWISE_CONV_2D:
		return 3;
	case TFL_FULLY_CONNECTED:
		return op->opt.keep_num_dims ? 5 : 4;
	case TFL_RESHAPE: case TFL_SQUEEZE: case TFL_HARD_SWISH: case TFL_LEAKY_RELU:
	case TFL_QUANTIZE:
		return 1;
	default:	/* ADD SUB MUL pools SOFTMAX LOGISTIC TANH RELU* CONCAT PAD MEAN S2B B2S DEQUANTIZE */
		return 2;
	}
}

struct qb {
	const struct qp_plan *p;
	const struct qp_options *o;
	struct tfl_model *m;
	int cap_t, cap_ops;
	int *act;		/* float tensor -> its int8 tensor, or -1 */
	int *flt_in;		/* float tensor -> float input tensor (float io), or -1 */
	bool failed;
};

static int new_tensor(struct qb *b, const struct tfl_tensor *like, const char *suffix,
		      int type)
{
	struct tfl_tensor *t;
	size_t len;

	if (b->m->num_tensors == b->cap_t) {
		int cap = b->cap_t ? 2 * b->cap_t : 64;
		struct tfl_tensor *nt = realloc(b->m->tensors, sizeof(*nt) * (size_t)cap);

		if (!nt) {
			b->failed = true;
			return 0;
		}
		b->m->tensors = nt;
		b->cap_t = cap;
	}
	t = &b->m->tensors[b->m->num_tensors];
	memset(t, 0, sizeof(*t));
	t->type = type;
	t->rank = like->rank;
	memcpy(t->shape, like->shape, sizeof(t->shape));
	len = strlen(like->name) + strlen(suffix) + 1;
	t->name = malloc(len);
	if (!t->name) {
		b->failed = true;
		return 0;
	}
	snprintf(t->name, len, "%s%s", like->name, suffix);
	return b->m->num_tensors++;
}

static void set_quant(struct qb *b, int t, int n, const float *scales,
		      const int32_t *zps, int dim)
{
	struct tfl_tensor *tt = &b->m->tensors[t];

	tt->scales = malloc(sizeof(float) * (size_t)n);
	tt->zero_points = malloc(sizeof(int64_t) * (size_t)n);
	if (!tt->scales || !tt->zero_points) {
		b->failed = true;
		return;
	}
	for (int i = 0; i < n; i++) {
		tt->scales[i] = scales[i];
		tt->zero_points[i] = zps ? zps[i] : 0;
	}
	tt->num_q = n;
	tt->q_dim = dim;
}

static void *own_data(struct qb *b, int t, size_t bytes)
{
	void *d = calloc(bytes ? bytes : 1, 1);

	if (!d)
		b->failed = true;
	b->m->tensors[t].data = d;
	b->m->tensors[t].data_size = d ? bytes : 0;
	return d;
}

static int8_t quantize_value(float v, float scale, int32_t zp)
{
	double q = round((double)v / scale) + zp;

	return (int8_t)fmin(fmax(q, -128.0), 127.0);
}

static bool is_listed(const int *list, int n, int t)
{
	for (int i = 0; i < n; i++)
		if (list[i] == t)
			return true;
	return false;
}

static bool is_edge(const struct tfl_model *m, int t)
{
	return is_listed(m->inputs, m->num_inputs, t) || is_listed(m->outputs, m->num_outputs, t);
}

/* The int8 tensor standing for float tensor t (made on first use). */
static int act_tensor(struct qb *b, int t)
{
	const struct tfl_tensor *ft = &b->p->fm->tensors[t];
	const struct qp_tensor *q = &b->p->t[t];
	int nt;

	if (b->act[t] >= 0)
		return b->act[t];
	if (ft->type != TFL_FLOAT32) {	/* int32 shapes, axes, paddings: as they are */
		nt = new_tensor(b, ft, "", ft->type);
		if (!b->failed && ft->data)
			memcpy(own_data(b, nt, ft->data_size), ft->data, ft->data_size);
		return b->act[t] = nt;
	}
	/* With float io the float edge keeps the name, its int8 twin gets a suffix. */
	nt = new_tensor(b, ft, b->o->float_io && is_edge(b->p->fm, t) ? "_int8" : "", TFL_INT8);
	set_quant(b, nt, 1, &q->scale, &q->zero_point, 0);
	if (!b->failed && ft->data) {
		const float *src = b->p->fn->data[t];
		size_t n = (size_t)tfl_tensor_elems(ft);
		int8_t *d = own_data(b, nt, n);

		for (size_t i = 0; d && i < n; i++)
			d[i] = quantize_value(src[i], q->scale, q->zero_point);
	}
	return b->act[t] = nt;
}

static int add_op(struct qb *b, int code, const int *in, int n_in, int out,
		  const struct tfl_options *opt)
{
	struct tfl_op *op;

	if (b->m->num_ops == b->cap_ops) {
		int cap = b->cap_ops ? 2 * b->cap_ops : 32;
		struct tfl_op *no = realloc(b->m->ops, sizeof(*no) * (size_t)cap);

		if (!no) {
			b->failed = true;
			return -1;
		}
		b->m->ops = no;
		b->cap_ops = cap;
	}
	op = &b->m->ops[b->m->num_ops];
	memset(op, 0, sizeof(*op));
	op->code = code;
	if (opt)
		op->opt = *opt;
	op->version = int8_version(op);
	op->inputs = malloc(sizeof(int) * (size_t)(n_in ? n_in : 1));
	op->outputs = malloc(sizeof(int));
	if (!op->inputs || !op->outputs) {
		free(op->inputs);
		free(op->outputs);
		b->failed = true;
		return -1;
	}
	if (n_in)
		memcpy(op->inputs, in, sizeof(int) * (size_t)n_in);
	op->num_inputs = n_in;
	op->outputs[0] = out;
	op->num_outputs = 1;
	return b->m->num_ops++;
}

/* Channel axis and count of a filter; per-tensor weights use one "channel". */
static int filter_channels(const struct qb *b, const struct tfl_op *op, int *dim)
{
	const struct tfl_tensor *f = &b->p->fm->tensors[op->inputs[1]];

	*dim = op->code == TFL_DEPTHWISE_CONV_2D ? 3 : 0;
	return f->shape[*dim];
}

/* Symmetric weight scales, per output channel (or one), into scales[]. */
static void weight_scales(const struct qb *b, const struct tfl_op *op, float *scales,
			  int *nch, int *dim)
{
	const struct tfl_tensor *f = &b->p->fm->tensors[op->inputs[1]];
	const float *w = b->p->fn->data[op->inputs[1]];
	int ch = filter_channels(b, op, dim);
	size_t n = (size_t)tfl_tensor_elems(f), inner = 1;

	for (int i = *dim + 1; i < f->rank; i++)
		inner *= (size_t)f->shape[i];
	for (int c = 0; c < ch; c++)
		scales[c] = 0.0f;
	for (size_t i = 0; i < n; i++) {
		int c = (int)(i / inner % (size_t)ch);
		float a = fabsf(w[i]);

		if (a > scales[c])
			scales[c] = a;
	}
	if (b->o->per_tensor) {
		for (int c = 1; c < ch; c++)
			scales[0] = fmaxf(scales[0], scales[c]);
		ch = 1;
	}
	for (int c = 0; c < ch; c++)	/* an all-zero channel: any scale */
		scales[c] = scales[c] > 0.0f ? scales[c] / 127.0f : 1.0f / 127.0f;
	*nch = ch;
}

/* Int8 filter and int32 bias for operator op; their tensors into in[1], in[2]. */
static void quantize_filter(struct qb *b, const struct tfl_op *op, int *in)
{
	const struct tfl_tensor *f = &b->p->fm->tensors[op->inputs[1]];
	const float *w = b->p->fn->data[op->inputs[1]];
	float in_scale = b->p->t[op->inputs[0]].scale;
	int nch, dim, ch_all = filter_channels(b, op, &dim), ft, bt;
	float *scales = malloc(sizeof(float) * (size_t)ch_all);
	size_t n = (size_t)tfl_tensor_elems(f), inner = 1;
	int8_t *q;

	if (!scales) {
		b->failed = true;
		return;
	}
	weight_scales(b, op, scales, &nch, &dim);
	for (int i = dim + 1; i < f->rank; i++)
		inner *= (size_t)f->shape[i];
	ft = new_tensor(b, f, "", TFL_INT8);
	set_quant(b, ft, nch, scales, NULL, nch > 1 ? dim : 0);
	q = b->failed ? NULL : own_data(b, ft, n);
	for (size_t i = 0; q && i < n; i++) {
		float s = scales[nch > 1 ? (int)(i / inner % (size_t)ch_all) : 0];
		double v = round((double)w[i] / s);

		q[i] = (int8_t)fmin(fmax(v, -127.0), 127.0);
	}
	in[1] = ft;
	if (op->num_inputs > 2 && op->inputs[2] >= 0 && !b->failed) {
		const struct tfl_tensor *bf = &b->p->fm->tensors[op->inputs[2]];
		const float *bv = b->p->fn->data[op->inputs[2]];
		int nb = (int)tfl_tensor_elems(bf);
		float *bs = malloc(sizeof(float) * (size_t)(nb ? nb : 1));
		int32_t *bq;

		bt = new_tensor(b, bf, "", TFL_INT32);
		if (!bs) {
			b->failed = true;
			free(scales);
			return;
		}
		for (int c = 0; c < nb; c++)
			bs[c] = in_scale * scales[nch > 1 ? c : 0];
		set_quant(b, bt, nch > 1 ? nb : 1, bs, NULL, 0);
		bq = b->failed ? NULL : own_data(b, bt, sizeof(int32_t) * (size_t)nb);
		for (int c = 0; bq && c < nb; c++) {
			double v = round((double)bv[c] / bs[c]);

			bq[c] = (int32_t)fmin(fmax(v, -2147483647.0), 2147483647.0);
		}
		free(bs);
		in[2] = bt;
	}
	free(scales);
}

/* Layers whose outputs the debug model exposes (not the middle of a folded dilation). */
static bool exposable(const struct tfl_model *fm, int i)
{
	int out = fm->ops[i].outputs[0];

	if (fm->ops[i].code == TFL_SPACE_TO_BATCH_ND)
		return false;
	for (int j = 0; j < fm->num_ops; j++)
		if (fm->ops[j].code == TFL_BATCH_TO_SPACE_ND && fm->ops[j].inputs[0] == out)
			return false;
	return true;
}

static int build_io(struct qb *b, int **out_of_output)
{
	const struct tfl_model *fm = b->p->fm;
	struct tfl_model *m = b->m;
	int n_out = fm->num_outputs, *outs, *map;

	m->inputs = malloc(sizeof(int) * (size_t)(fm->num_inputs ? fm->num_inputs : 1));
	outs = malloc(sizeof(int) * (size_t)(fm->num_outputs + fm->num_ops + 1));
	map = malloc(sizeof(int) * (size_t)(fm->num_outputs + fm->num_ops + 1));
	m->outputs = outs;
	if (!m->inputs || !outs || !map) {
		free(map);
		return -ENOMEM;
	}
	m->num_inputs = fm->num_inputs;
	for (int k = 0; k < fm->num_inputs; k++)
		m->inputs[k] = b->flt_in[fm->inputs[k]] >= 0 ? b->flt_in[fm->inputs[k]]
							     : b->act[fm->inputs[k]];
	for (int k = 0; k < fm->num_outputs; k++) {
		int t = fm->outputs[k];

		map[k] = t;
		if (b->o->float_io) {
			int ft = new_tensor(b, &fm->tensors[t], "", TFL_FLOAT32), in = b->act[t];

			add_op(b, TFL_DEQUANTIZE, &in, 1, ft, NULL);
			outs[k] = ft;
		} else {
			outs[k] = b->act[t];
		}
	}
	if (b->o->debug_outputs)
		for (int i = 0; i < fm->num_ops; i++) {
			int t = fm->ops[i].outputs[0];

			if (!exposable(fm, i) || is_listed(map, n_out, t))
				continue;
			map[n_out] = t;
			outs[n_out++] = b->act[t];
		}
	m->num_outputs = n_out;
	if (out_of_output)
		*out_of_output = map;
	else
		free(map);
	return b->failed ? -ENOMEM : 0;
}

/*
 * A fused activation whose bounds lie beyond the int8 output range clamps
 * nothing, and TFLite refuses bounds whose quantized value overflows int32
 * (6.0 at a scale below 6 / 2^31): write the activation that clamps the
 * same, RELU for RELU6, none for RELU_N1_TO_1.
 */
static int int8_activation(int act, const struct qp_tensor *q)
{
	double top = 127 - q->zero_point, bottom = -128 - q->zero_point;

	if (act == TFL_ACT_RELU6 && 6.0 / q->scale >= top)
		return TFL_ACT_RELU;
	if (act == TFL_ACT_RELU_N1_TO_1 && 1.0 / q->scale >= top &&
	    -1.0 / q->scale <= bottom)
		return TFL_ACT_NONE;
	return act;
}

int qp_build(const struct qp_plan *p, const struct qp_options *o,
	     struct tfl_model *out, int **out_of_output, char *err, size_t errlen)
{
	const struct tfl_model *fm = p->fm;
	struct qb b = { p, o, out, 0, 0, NULL, NULL, false };
	int ret = -ENOMEM;

	memset(out, 0, sizeof(*out));
	if (out_of_output)
		*out_of_output = NULL;
	b.act = malloc(sizeof(int) * (size_t)(fm->num_tensors ? fm->num_tensors : 1));
	b.flt_in = malloc(sizeof(int) * (size_t)(fm->num_tensors ? fm->num_tensors : 1));
	if (!b.act || !b.flt_in)
		goto out;
	for (int t = 0; t < fm->num_tensors; t++)
		b.act[t] = b.flt_in[t] = -1;
	/* Inputs first; with float io a QUANTIZE op feeds the int8 tensor. */
	for (int k = 0; k < fm->num_inputs; k++) {
		int t = fm->inputs[k], q = act_tensor(&b, t);

		if (o->float_io && !b.failed) {
			int ft = new_tensor(&b, &fm->tensors[t], "", TFL_FLOAT32);

			b.flt_in[t] = ft;
			add_op(&b, TFL_QUANTIZE, &ft, 1, q, NULL);
		}
	}
	for (int i = 0; i < fm->num_ops && !b.failed; i++) {
		const struct tfl_op *op = &fm->ops[i];
		int in[16], n_in = op->num_inputs > 16 ? 16 : op->num_inputs, outt;
		struct tfl_options opt;

		for (int k = 0; k < n_in; k++) {
			int t = op->inputs[k];

			in[k] = t < 0 ? -1 : qp_is_weight(fm, op, k) ? -1 : act_tensor(&b, t);
			/* A concatenation input of another scale is requantized first. */
			if (op->code == TFL_CONCATENATION && t >= 0 &&
			    (p->t[t].scale != p->t[op->outputs[0]].scale ||
			     p->t[t].zero_point != p->t[op->outputs[0]].zero_point)) {
				int rq = new_tensor(&b, &fm->tensors[t], "_requantized", TFL_INT8);

				set_quant(&b, rq, 1, &p->t[op->outputs[0]].scale,
					  &p->t[op->outputs[0]].zero_point, 0);
				add_op(&b, TFL_QUANTIZE, &in[k], 1, rq, NULL);
				in[k] = rq;
			}
		}
		if (qp_is_filter_op(op->code))
			quantize_filter(&b, op, in);
		outt = act_tensor(&b, op->outputs[0]);
		opt = op->opt;
		opt.activation = int8_activation(opt.activation, &p->t[op->outputs[0]]);
		add_op(&b, op->code, in, n_in, outt, &opt);
	}
	if (!b.failed)
		ret = build_io(&b, out_of_output);
out:
	free(b.act);
	free(b.flt_in);
	if (ret || b.failed) {
		snprintf(err, errlen, "out of memory");
		qp_model_free(out);
		ret = -ENOMEM;
	}
	return ret;
}

void qp_model_free(struct tfl_model *m)
{
	for (int i = 0; i < m->num_tensors; i++)
		free((void *)m->tensors[i].data);
	tfl_model_free(m);
}

void qp_weight_scale_span(const struct qp_plan *p, int op, bool per_tensor,
			  float *smin, float *smax)
{
	const struct tfl_op *o = &p->fm->ops[op];
	struct qp_options opt = { .per_tensor = per_tensor };
	struct qb b = { p, &opt, NULL, 0, 0, NULL, NULL, false };
	float *s;
	int n, dim;

	*smin = *smax = 0.0f;
	if (!qp_is_weight(p->fm, o, 1))
		return;
	s = malloc(sizeof(float) * (size_t)filter_channels(&b, o, &dim));
	if (!s)
		return;
	weight_scales(&b, o, s, &n, &dim);
	*smin = *smax = s[0];
	for (int c = 1; c < n; c++) {
		*smin = fminf(*smin, s[c]);
		*smax = fmaxf(*smax, s[c]);
	}
	free(s);
}
