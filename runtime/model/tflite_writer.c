// SPDX-License-Identifier: MIT
/*
 * .tflite writer. Field ids are the schema's (order of declaration in
 * schema.fbs); a union takes two ids, its type first. Option tables are
 * written for the operators qaccel supports, with the union index the
 * schema's BuiltinOptions gives each.
 */
#include "tflite_writer.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fb_builder.h"

enum { MODEL_VERSION = 0, MODEL_OPCODES = 1, MODEL_SUBGRAPHS = 2,
       MODEL_DESCRIPTION = 3, MODEL_BUFFERS = 4 };
enum { SG_TENSORS = 0, SG_INPUTS = 1, SG_OUTPUTS = 2, SG_OPERATORS = 3,
       SG_NAME = 4 };
enum { T_SHAPE = 0, T_TYPE = 1, T_BUFFER = 2, T_NAME = 3, T_QUANT = 4 };
enum { Q_SCALE = 2, Q_ZERO_POINT = 3, Q_DIM = 6 };
enum { BUF_DATA = 0 };
enum { OC_DEPRECATED_CODE = 0, OC_VERSION = 2, OC_CODE = 3 };
enum { OP_OPCODE = 0, OP_INPUTS = 1, OP_OUTPUTS = 2, OP_OPTIONS_TYPE = 3,
       OP_OPTIONS = 4 };

/* BuiltinOptions union indices. */
enum { OPT_NONE = 0, OPT_CONV = 1, OPT_DWCONV = 2, OPT_POOL = 5, OPT_FC = 8,
       OPT_SOFTMAX = 9, OPT_CONCAT = 10, OPT_ADD = 11, OPT_RESHAPE = 17,
       OPT_MUL = 21, OPT_PAD = 22, OPT_BATCH_TO_SPACE = 24,
       OPT_SPACE_TO_BATCH = 25, OPT_REDUCER = 27, OPT_SUB = 28,
       OPT_LEAKY_RELU = 75 };

/* Opcodes above 127 keep 127 (PLACEHOLDER_FOR_GREATER_OP_CODES) in the old byte. */
#define TFL_DEPRECATED_CODE_MAX 127
#define TFL_SCHEMA_VERSION 3

/* Writes the message and gives back the error, so a check can return it. */
#define WR_FAIL(ret, ...) (snprintf(err, errlen, __VA_ARGS__), (ret))

/* The options table of op, or 0 when its operator takes none. */
static fbb_ref write_options(struct fbb *b, const struct tfl_op *op, int *type)
{
	const struct tfl_options *o = &op->opt;

	*type = OPT_NONE;
	switch (op->code) {
	case TFL_CONV_2D:
		*type = OPT_CONV;
		fbb_table_start(b);
		fbb_add_u8(b, 0, (uint8_t)o->padding, 0);
		fbb_add_i32(b, 1, o->stride_w, 0);
		fbb_add_i32(b, 2, o->stride_h, 0);
		fbb_add_u8(b, 3, (uint8_t)o->activation, 0);
		fbb_add_i32(b, 4, o->dilation_w, 1);
		fbb_add_i32(b, 5, o->dilation_h, 1);
		return fbb_table_end(b);
	case TFL_DEPTHWISE_CONV_2D:
		*type = OPT_DWCONV;
		fbb_table_start(b);
		fbb_add_u8(b, 0, (uint8_t)o->padding, 0);
		fbb_add_i32(b, 1, o->stride_w, 0);
		fbb_add_i32(b, 2, o->stride_h, 0);
		fbb_add_i32(b, 3, o->depth_multiplier, 0);
		fbb_add_u8(b, 4, (uint8_t)o->activation, 0);
		fbb_add_i32(b, 5, o->dilation_w, 1);
		fbb_add_i32(b, 6, o->dilation_h, 1);
		return fbb_table_end(b);
	case TFL_AVERAGE_POOL_2D:
	case TFL_MAX_POOL_2D:
		*type = OPT_POOL;
		fbb_table_start(b);
		fbb_add_u8(b, 0, (uint8_t)o->padding, 0);
		fbb_add_i32(b, 1, o->stride_w, 0);
		fbb_add_i32(b, 2, o->stride_h, 0);
		fbb_add_i32(b, 3, o->filter_w, 0);
		fbb_add_i32(b, 4, o->filter_h, 0);
		fbb_add_u8(b, 5, (uint8_t)o->activation, 0);
		return fbb_table_end(b);
	case TFL_FULLY_CONNECTED:
		*type = OPT_FC;
		fbb_table_start(b);
		fbb_add_u8(b, 0, (uint8_t)o->activation, 0);
		fbb_add_u8(b, 2, o->keep_num_dims, 0);
		return fbb_table_end(b);
	case TFL_SOFTMAX:
		*type = OPT_SOFTMAX;
		fbb_table_start(b);
		fbb_add_f32(b, 0, o->beta, 0.0f);
		return fbb_table_end(b);
	case TFL_CONCATENATION:
		*type = OPT_CONCAT;
		fbb_table_start(b);
		fbb_add_i32(b, 0, o->axis, 0);
		fbb_add_u8(b, 1, (uint8_t)o->activation, 0);
		return fbb_table_end(b);
	case TFL_ADD:
	case TFL_SUB:
	case TFL_MUL:
		*type = op->code == TFL_ADD ? OPT_ADD :
			op->code == TFL_SUB ? OPT_SUB : OPT_MUL;
		fbb_table_start(b);
		fbb_add_u8(b, 0, (uint8_t)o->activation, 0);
		return fbb_table_end(b);
	case TFL_MEAN:
		*type = OPT_REDUCER;
		fbb_table_start(b);
		fbb_add_u8(b, 0, o->keep_dims, 0);
		return fbb_table_end(b);
	case TFL_LEAKY_RELU:
		*type = OPT_LEAKY_RELU;
		fbb_table_start(b);
		fbb_add_f32(b, 0, o->alpha, 0.0f);
		return fbb_table_end(b);
	case TFL_PAD:
		*type = OPT_PAD;
		fbb_table_start(b);
		return fbb_table_end(b);
	default:	/* RESHAPE takes its shape as a tensor; the rest have none */
		return 0;
	}
}

static fbb_ref write_quant(struct fbb *b, const struct tfl_tensor *t)
{
	fbb_ref sc, zp;

	if (!t->num_q)
		return 0;
	sc = fbb_vector(b, t->scales, 4, (size_t)t->num_q, 4);
	zp = fbb_vector(b, t->zero_points, 8, (size_t)t->num_q, 8);
	fbb_table_start(b);
	fbb_add_ref(b, Q_SCALE, sc);
	fbb_add_ref(b, Q_ZERO_POINT, zp);
	fbb_add_i32(b, Q_DIM, t->q_dim, 0);
	return fbb_table_end(b);
}

static fbb_ref write_tensor(struct fbb *b, const struct tfl_tensor *t,
			    uint32_t buffer)
{
	fbb_ref shape = fbb_vector(b, t->shape, 4, (size_t)t->rank, 4);
	fbb_ref name = fbb_string(b, t->name ? t->name : "");
	fbb_ref q = write_quant(b, t);

	fbb_table_start(b);
	fbb_add_ref(b, T_SHAPE, shape);
	fbb_add_u8(b, T_TYPE, (uint8_t)t->type, 0);
	fbb_add_u32(b, T_BUFFER, buffer, 0);
	fbb_add_ref(b, T_NAME, name);
	if (q)
		fbb_add_ref(b, T_QUANT, q);
	return fbb_table_end(b);
}

/* Distinct (code, version) pairs in first-use order; op_code[i] indexes them. */
static int collect_opcodes(const struct tfl_model *m, int *codes, int *versions,
			   uint32_t *op_code)
{
	int n = 0;

	for (int i = 0; i < m->num_ops; i++) {
		int k;

		for (k = 0; k < n; k++)
			if (codes[k] == m->ops[i].code && versions[k] == m->ops[i].version)
				break;
		if (k == n) {
			codes[n] = m->ops[i].code;
			versions[n++] = m->ops[i].version;
		}
		op_code[i] = (uint32_t)k;
	}
	return n;
}

static fbb_ref write_opcode(struct fbb *b, int code, int version)
{
	int dep = code > TFL_DEPRECATED_CODE_MAX ? TFL_DEPRECATED_CODE_MAX : code;

	fbb_table_start(b);
	fbb_add_u8(b, OC_DEPRECATED_CODE, (uint8_t)dep, 0);
	fbb_add_i32(b, OC_VERSION, version, 1);
	fbb_add_i32(b, OC_CODE, code, 0);
	return fbb_table_end(b);
}

static fbb_ref write_op(struct fbb *b, const struct tfl_op *op, uint32_t opcode)
{
	fbb_ref in = fbb_vector(b, op->inputs, 4, (size_t)op->num_inputs, 4);
	fbb_ref out = fbb_vector(b, op->outputs, 4, (size_t)op->num_outputs, 4);
	int type;
	fbb_ref opt = write_options(b, op, &type);

	fbb_table_start(b);
	fbb_add_u32(b, OP_OPCODE, opcode, 0);
	fbb_add_ref(b, OP_INPUTS, in);
	fbb_add_ref(b, OP_OUTPUTS, out);
	fbb_add_u8(b, OP_OPTIONS_TYPE, (uint8_t)type, 0);
	if (opt)
		fbb_add_ref(b, OP_OPTIONS, opt);
	return fbb_table_end(b);
}

static int check_model(const struct tfl_model *m, char *err, size_t errlen)
{
	for (int i = 0; i < m->num_tensors; i++) {
		const struct tfl_tensor *t = &m->tensors[i];

		if (t->rank < 0 || t->rank > TFL_MAX_RANK || t->num_q < 0 ||
		    (t->num_q && (!t->scales || !t->zero_points)) ||
		    (t->data_size && !t->data))
			return WR_FAIL(-EINVAL, "tensor %d '%s': inconsistent",
				    i, t->name ? t->name : "");
	}
	for (int i = 0; i < m->num_ops; i++) {
		const struct tfl_op *op = &m->ops[i];

		/* Operands: inputs (where -1 means omitted), then outputs. */
		for (int k = 0; k < op->num_inputs + op->num_outputs; k++) {
			bool is_in = k < op->num_inputs;
			int t = is_in ? op->inputs[k] : op->outputs[k - op->num_inputs];

			if (t < (is_in ? -1 : 0) || t >= m->num_tensors)
				return WR_FAIL(-EINVAL,
					    "operator %d (%s): operand %d names tensor %d of %d",
					    i, tfl_op_name(op->code), k, t, m->num_tensors);
		}
	}
	for (int i = 0; i < m->num_inputs + m->num_outputs; i++) {
		int t = i < m->num_inputs ? m->inputs[i] : m->outputs[i - m->num_inputs];

		if (t < 0 || t >= m->num_tensors)
			return WR_FAIL(-EINVAL, "model input/output names tensor %d", t);
	}
	return 0;
}

int tfl_model_write(const struct tfl_model *m, const char *description,
		    uint8_t **out, size_t *size, char *err, size_t errlen)
{
	int n_t = m->num_tensors, n_ops = m->num_ops, n_codes;
	fbb_ref *refs = NULL, tensors, ops, codes, bufs, sg, sgs, in, outs, root;
	fbb_ref desc = 0;
	int *code = NULL, *ver = NULL;
	uint32_t *op_code = NULL, *buf_of = NULL, n_bufs = 1;
	struct fbb b;
	int ret;

	*out = NULL;
	*size = 0;
	ret = check_model(m, err, errlen);
	if (ret)
		return ret;
	fbb_init(&b);
	/* One array of refs, reused for tensors, operators, codes and buffers. */
	refs = calloc((size_t)n_t + n_ops + 1, sizeof(*refs));
	code = calloc((size_t)n_ops + 1, sizeof(int));
	ver = calloc((size_t)n_ops + 1, sizeof(int));
	op_code = calloc((size_t)n_ops + 1, sizeof(uint32_t));
	buf_of = calloc((size_t)n_t + 1, sizeof(uint32_t));
	if (!refs || !code || !ver || !op_code || !buf_of) {
		ret = WR_FAIL(-ENOMEM, "out of memory");
		goto out;
	}

	/* Buffers: 0 is the schema's empty sentinel, then one per constant. */
	fbb_table_start(&b);
	refs[0] = fbb_table_end(&b);
	for (int i = 0; i < n_t; i++) {
		const struct tfl_tensor *t = &m->tensors[i];
		fbb_ref d;

		if (!t->data)
			continue;
		d = fbb_vector(&b, t->data, 1, t->data_size, 16);
		fbb_table_start(&b);
		fbb_add_ref(&b, BUF_DATA, d);
		refs[n_bufs] = fbb_table_end(&b);
		buf_of[i] = n_bufs++;
	}
	bufs = fbb_ref_vector(&b, refs, n_bufs);

	for (int i = 0; i < n_t; i++)
		refs[i] = write_tensor(&b, &m->tensors[i], buf_of[i]);
	tensors = fbb_ref_vector(&b, refs, (size_t)n_t);

	n_codes = collect_opcodes(m, code, ver, op_code);
	for (int i = 0; i < n_ops; i++)
		refs[i] = write_op(&b, &m->ops[i], op_code[i]);
	ops = fbb_ref_vector(&b, refs, (size_t)n_ops);
	for (int k = 0; k < n_codes; k++)
		refs[k] = write_opcode(&b, code[k], ver[k]);
	codes = fbb_ref_vector(&b, refs, (size_t)n_codes);

	in = fbb_vector(&b, m->inputs, 4, (size_t)m->num_inputs, 4);
	outs = fbb_vector(&b, m->outputs, 4, (size_t)m->num_outputs, 4);
	{
		fbb_ref name = fbb_string(&b, "main");

		fbb_table_start(&b);
		fbb_add_ref(&b, SG_TENSORS, tensors);
		fbb_add_ref(&b, SG_INPUTS, in);
		fbb_add_ref(&b, SG_OUTPUTS, outs);
		fbb_add_ref(&b, SG_OPERATORS, ops);
		fbb_add_ref(&b, SG_NAME, name);
		sg = fbb_table_end(&b);
	}
	sgs = fbb_ref_vector(&b, &sg, 1);
	if (description)
		desc = fbb_string(&b, description);

	fbb_table_start(&b);
	fbb_add_u32(&b, MODEL_VERSION, TFL_SCHEMA_VERSION, 0);
	fbb_add_ref(&b, MODEL_OPCODES, codes);
	fbb_add_ref(&b, MODEL_SUBGRAPHS, sgs);
	if (desc)
		fbb_add_ref(&b, MODEL_DESCRIPTION, desc);
	fbb_add_ref(&b, MODEL_BUFFERS, bufs);
	root = fbb_table_end(&b);
	ret = fbb_finish(&b, root, "TFL3", out, size);
	if (ret)
		snprintf(err, errlen, "%s", ret == -ENOMEM ? "out of memory" :
			 "model too large for a flatbuffer");
out:
	fbb_release(&b);
	free(refs);
	free(code);
	free(ver);
	free(op_code);
	free(buf_of);
	return ret;
}
