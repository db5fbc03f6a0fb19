// SPDX-License-Identifier: MIT
/*
 * The quantization plan: which tensors are calibrated, which share
 * parameters, and the int8 scale and zero point of each.
 */
#include "quant_plan.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* TFLite's prescribed output parameters: [0, 1) and [-1, 1) in int8. */
#define SOFTMAX_SCALE (1.0f / 256.0f)
#define TANH_SCALE (1.0f / 128.0f)

bool qp_is_filter_op(int code)
{
	return code == TFL_CONV_2D || code == TFL_DEPTHWISE_CONV_2D ||
	       code == TFL_FULLY_CONNECTED;
}

/* Operators whose output keeps their (first) input's parameters. */
static bool keeps_params(int code)
{
	switch (code) {
	case TFL_MAX_POOL_2D: case TFL_AVERAGE_POOL_2D: case TFL_RESHAPE:
	case TFL_SQUEEZE: case TFL_PAD: case TFL_SPACE_TO_BATCH_ND:
	case TFL_BATCH_TO_SPACE_ND:
		return true;
	default:
		return false;
	}
}

bool qp_is_weight(const struct tfl_model *m, const struct tfl_op *op, int k)
{
	int t = k < op->num_inputs ? op->inputs[k] : -1;

	return qp_is_filter_op(op->code) && (k == 1 || k == 2) && t >= 0 && m->tensors[t].data;
}

int qp_init(struct qp_plan *p, const struct tfl_model *fm,
	    const struct float_net *fn)
{
	p->fm = fm;
	p->fn = fn;
	p->t = calloc(fm->num_tensors ? fm->num_tensors : 1, sizeof(*p->t));
	if (!p->t)
		return -ENOMEM;
	for (int i = 0; i < fm->num_tensors; i++) {
		p->t[i].group = i;
		p->t[i].has_range = fm->tensors[i].type == TFL_FLOAT32 && !fm->tensors[i].data;
	}
	/* Float constants other than weights and biases are quantized like activations. */
	for (int i = 0; i < fm->num_ops; i++) {
		const struct tfl_op *op = &fm->ops[i];

		for (int k = 0; k < op->num_inputs; k++) {
			int t = op->inputs[k];

			if (t >= 0 && fm->tensors[t].type == TFL_FLOAT32 && !qp_is_weight(fm, op, k))
				p->t[t].has_range = true;
		}
	}
	return 0;
}

void qp_free(struct qp_plan *p)
{
	free(p->t);
	p->t = NULL;
}

static int find(struct qp_plan *p, int t)
{
	while (p->t[t].group != t) {
		p->t[t].group = p->t[p->t[t].group].group;
		t = p->t[t].group;
	}
	return t;
}

static void unite(struct qp_plan *p, int a, int b)
{
	int ra = find(p, a), rb = find(p, b);

	if (ra == rb)
		return;
	p->t[rb].group = ra;
	p->t[ra].fixed |= p->t[rb].fixed;
	if (p->t[rb].fixed) {
		p->t[ra].scale = p->t[rb].scale;
		p->t[ra].zero_point = p->t[rb].zero_point;
	}
}

/* Asymmetric int8 over [lo, hi] (which holds 0): zero is exact. */
static void act_params(double lo, double hi, float *scale, int32_t *zp)
{
	double s, z;

	if (!(hi - lo > 1e-30)) {	/* a constant zero tensor: any scale will do */
		lo = 0.0;
		hi = 1.0;
	}
	s = (hi - lo) / 255.0;
	z = round(-128.0 - lo / s);
	*scale = (float)s;
	*zp = (int32_t)fmin(fmax(z, -128.0), 127.0);
}

static bool sole_use(const struct tfl_model *m, int t)
{
	int uses = 0;

	for (int i = 0; i < m->num_ops; i++)
		for (int k = 0; k < m->ops[i].num_inputs; k++)
			uses += m->ops[i].inputs[k] == t;
	for (int i = 0; i < m->num_inputs; i++)
		uses += 2 * (m->inputs[i] == t);
	return uses == 1;
}

void qp_choose_params(struct qp_plan *p)
{
	const struct tfl_model *m = p->fm;
	int n = m->num_tensors;

	for (int i = 0; i < m->num_ops; i++) {
		const struct tfl_op *op = &m->ops[i];
		struct qp_tensor *o = &p->t[op->outputs[0]];

		if (op->code == TFL_SOFTMAX || op->code == TFL_LOGISTIC) {
			o->fixed = true;
			o->scale = SOFTMAX_SCALE;
			o->zero_point = -128;
		} else if (op->code == TFL_TANH) {
			o->fixed = true;
			o->scale = TANH_SCALE;
			o->zero_point = 0;
		}
	}
	/* In execution order, so a producer's group is whole before it is joined. */
	for (int i = 0; i < m->num_ops; i++) {
		const struct tfl_op *op = &m->ops[i];

		if (keeps_params(op->code) && op->inputs[0] >= 0)
			unite(p, op->inputs[0], op->outputs[0]);
		/*
		 * As TFLite's converter lays out residual blocks: an ADD operand
		 * computed for that ADD alone shares the sum's parameters.
		 */
		if (op->code == TFL_ADD)
			for (int k = 0; k < 2; k++) {
				int t = op->inputs[k];

				if (t >= 0 && sole_use(m, t) && !m->tensors[t].data &&
				    !p->t[find(p, t)].fixed)
					unite(p, op->outputs[0], t);
			}
		if (op->code != TFL_CONCATENATION)
			continue;
		/* Inputs of prescribed scale are requantized instead (qp_build). */
		for (int k = 0; k < op->num_inputs; k++)
			if (op->inputs[k] >= 0 && !p->t[find(p, op->inputs[k])].fixed)
				unite(p, op->outputs[0], op->inputs[k]);
	}
	/* A group's range covers its members'; then one set of parameters. */
	for (int t = 0; t < n; t++) {
		struct qp_tensor *r = &p->t[find(p, t)];

		if (!p->t[t].has_range || r == &p->t[t])
			continue;
		r->lo = fmin(r->lo, p->t[t].lo);
		r->hi = fmax(r->hi, p->t[t].hi);
	}
	for (int t = 0; t < n; t++) {
		struct qp_tensor *r = &p->t[find(p, t)];

		if (r == &p->t[t] && !r->fixed && r->has_range)
			act_params(fmin(r->lo, 0.0), fmax(r->hi, 0.0), &r->scale, &r->zero_point);
	}
	for (int t = 0; t < n; t++) {
		struct qp_tensor *r = &p->t[find(p, t)];

		if (r->fixed) {		/* what the int8 range actually spans */
			r->lo = (-128 - r->zero_point) * (double)r->scale;
			r->hi = (127 - r->zero_point) * (double)r->scale;
		}
		p->t[t].scale = r->scale;
		p->t[t].zero_point = r->zero_point;
		p->t[t].fixed = r->fixed;
		if (p->t[t].has_range) {
			p->t[t].lo = r->lo;
			p->t[t].hi = r->hi;
		}
	}
}
