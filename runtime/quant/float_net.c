// SPDX-License-Identifier: MIT
/*
 * Float model execution: checks, tensor allocation, and the operators in
 * order (float_ops.c holds each operator's shape rule and computation).
 */
#include "float_net.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "float_ops.h"

bool float_net_supports(int code)
{
	switch (code) {
	case TFL_CONV_2D: case TFL_DEPTHWISE_CONV_2D: case TFL_FULLY_CONNECTED:
	case TFL_ADD: case TFL_SUB: case TFL_MUL:
	case TFL_AVERAGE_POOL_2D: case TFL_MAX_POOL_2D: case TFL_MEAN:
	case TFL_SOFTMAX: case TFL_LOGISTIC: case TFL_TANH: case TFL_HARD_SWISH:
	case TFL_RELU: case TFL_RELU6: case TFL_LEAKY_RELU:
	case TFL_CONCATENATION: case TFL_PAD: case TFL_RESHAPE: case TFL_SQUEEZE:
	case TFL_SPACE_TO_BATCH_ND: case TFL_BATCH_TO_SPACE_ND:
		return true;
	default:
		return false;
	}
}

static bool float_operand(const struct tfl_op *op, int k)
{
	switch (op->code) {
	case TFL_RESHAPE: case TFL_PAD: case TFL_MEAN:
	case TFL_SPACE_TO_BATCH_ND: case TFL_BATCH_TO_SPACE_ND:
		return k == 0;
	default:
		return true;
	}
}

static int alloc_tensor(struct float_net *n, int t)
{
	const struct tfl_tensor *tt = &n->m->tensors[t];
	size_t e = fk_elems(&n->shape[t]);

	if (n->data[t])
		return 0;
	n->data[t] = malloc((e ? e : 1) * sizeof(float));
	if (!n->data[t])
		return -ENOMEM;
	if (tt->data && tt->type == TFL_FLOAT32)	/* the file need not align floats */
		memcpy(n->data[t], tt->data, e * sizeof(float));
	return 0;
}

int float_net_init(struct float_net *n, const struct tfl_model *m, char *err,
		   size_t errlen)
{
	int nt = m->num_tensors, ret = 0;

	memset(n, 0, sizeof(*n));
	n->m = m;
	n->shape = calloc(nt ? nt : 1, sizeof(*n->shape));
	n->data = calloc(nt ? nt : 1, sizeof(*n->data));
	n->is_const = calloc(nt ? nt : 1, sizeof(*n->is_const));
	if (!n->shape || !n->data || !n->is_const) {
		float_net_free(n);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	for (int t = 0; t < nt; t++) {
		const struct tfl_tensor *tt = &m->tensors[t];

		n->shape[t].rank = tt->rank;
		memcpy(n->shape[t].d, tt->shape, sizeof(int) * (size_t)tt->rank);
		n->is_const[t] = tt->data != NULL;
		if (tt->rank > FK_MAX_RANK || (tt->rank && fn_shape_elems(&n->shape[t]) < 0)) {
			snprintf(err, errlen, "tensor %d '%s': shape empty or too large", t, tt->name);
			float_net_free(n);
			return -EINVAL;
		}
	}
	for (int k = 0; k < m->num_inputs && !ret; k++) {
		const struct tfl_tensor *tt = &m->tensors[m->inputs[k]];

		if (tt->type != TFL_FLOAT32) {
			snprintf(err, errlen, "model input %d '%s' is %s, not float32: not a float model",
				 k, tt->name, tfl_type_name(tt->type));
			ret = -EINVAL;
		} else {
			ret = alloc_tensor(n, m->inputs[k]);
		}
	}
	for (int i = 0; i < m->num_ops && !ret; i++) {
		const struct tfl_op *op = &m->ops[i];
		struct fn_ctx c = { n, op, i, false, err, errlen };

		if (!float_net_supports(op->code)) {
			ret = fn_fail(&c, -ENOTSUP, "not supported by the quantizer");
			break;
		}
		if (op->num_outputs != 1 || m->tensors[op->outputs[0]].type != TFL_FLOAT32) {
			ret = fn_fail(&c, -ENOTSUP, "must have one float32 output");
			break;
		}
		for (int k = 0; k < op->num_inputs && !ret; k++) {
			int t = op->inputs[k];

			if (t < 0)
				continue;
			/* Weights and biases are quantized once, so they must be constants. */
			if ((k == 1 || k == 2) && !n->is_const[t] &&
			    (op->code == TFL_CONV_2D || op->code == TFL_DEPTHWISE_CONV_2D ||
			     op->code == TFL_FULLY_CONNECTED)) {
				ret = fn_fail(&c, -ENOTSUP, "input %d '%s' (%s) is not a constant", k,
					      m->tensors[t].name, k == 1 ? "weights" : "bias");
				break;
			}
			if (float_operand(op, k) && m->tensors[t].type != TFL_FLOAT32)
				ret = fn_fail(&c, -ENOTSUP, "input %d '%s' is %s, not float32", k,
					      m->tensors[t].name, tfl_type_name(m->tensors[t].type));
			else if (n->is_const[t] && float_operand(op, k))
				ret = alloc_tensor(n, t);
			else if (!n->is_const[t] && !n->data[t])
				ret = fn_fail(&c, -EINVAL, "input %d '%s' is used before it is computed",
					      k, m->tensors[t].name);
		}
		if (!ret)
			ret = fn_op_do(&c);
		if (!ret && n->data[op->outputs[0]])
			ret = fn_fail(&c, -EINVAL, "output tensor written twice");
		if (!ret)
			ret = alloc_tensor(n, op->outputs[0]);
	}
	if (ret == -ENOMEM)
		snprintf(err, errlen, "out of memory");
	if (ret)
		float_net_free(n);
	return ret;
}

void float_net_run(struct float_net *n)
{
	for (int i = 0; i < n->m->num_ops; i++) {
		struct fn_ctx c = { n, &n->m->ops[i], i, true, NULL, 0 };

		fn_op_do(&c);
	}
}

void float_net_free(struct float_net *n)
{
	if (n->data)
		for (int t = 0; t < n->m->num_tensors; t++)
			free(n->data[t]);
	free(n->data);
	free(n->shape);
	free(n->is_const);
	memset(n, 0, sizeof(*n));
}

