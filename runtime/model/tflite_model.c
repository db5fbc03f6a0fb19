// SPDX-License-Identifier: MIT
/*
 * .tflite reader. Field numbers below are the schema's field ids (their
 * order of declaration in schema.fbs).
 */
#include "tflite_model.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fb_reader.h"

/* Model, SubGraph, Tensor, Buffer, OperatorCode, Operator field ids. */
enum { MODEL_OPCODES = 1, MODEL_SUBGRAPHS = 2, MODEL_BUFFERS = 4 };
enum { SG_TENSORS = 0, SG_INPUTS = 1, SG_OUTPUTS = 2, SG_OPERATORS = 3 };
enum { T_SHAPE = 0, T_TYPE = 1, T_BUFFER = 2, T_NAME = 3, T_QUANT = 4 };
enum { Q_SCALE = 2, Q_ZERO_POINT = 3, Q_DIM = 6 };
enum { BUF_DATA = 0, BUF_OFFSET = 1, BUF_SIZE = 2 };
enum { OC_DEPRECATED_CODE = 0, OC_VERSION = 2, OC_CODE = 3 };
enum { OP_OPCODE = 0, OP_INPUTS = 1, OP_OUTPUTS = 2, OP_OPTIONS = 4 };

#define TFL_MAX_TENSORS 100000
#define TFL_MAX_OPS 100000

static int fail(char *err, size_t len, int ret, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return ret;
}

const char *tfl_op_name(int code)
{
	static const struct { int code; const char *name; } names[] = {
		{ 0, "ADD" }, { 1, "AVERAGE_POOL_2D" }, { 2, "CONCATENATION" },
		{ 3, "CONV_2D" }, { 4, "DEPTHWISE_CONV_2D" }, { 5, "DEPTH_TO_SPACE" },
		{ 6, "DEQUANTIZE" }, { 7, "EMBEDDING_LOOKUP" }, { 8, "FLOOR" },
		{ 9, "FULLY_CONNECTED" }, { 12, "L2_POOL_2D" }, { 14, "LOGISTIC" },
		{ 16, "LSTM" }, { 17, "MAX_POOL_2D" }, { 18, "MUL" }, { 19, "RELU" },
		{ 20, "RELU_N1_TO_1" }, { 21, "RELU6" }, { 22, "RESHAPE" },
		{ 23, "RESIZE_BILINEAR" }, { 25, "SOFTMAX" }, { 26, "SPACE_TO_DEPTH" },
		{ 28, "TANH" }, { 32, "CUSTOM" }, { 34, "PAD" }, { 36, "GATHER" },
		{ 37, "BATCH_TO_SPACE_ND" }, { 38, "SPACE_TO_BATCH_ND" },
		{ 39, "TRANSPOSE" }, { 40, "MEAN" }, { 41, "SUB" }, { 42, "DIV" },
		{ 43, "SQUEEZE" }, { 45, "STRIDED_SLICE" }, { 47, "EXP" },
		{ 49, "SPLIT" }, { 50, "LOG_SOFTMAX" }, { 53, "CAST" },
		{ 54, "PRELU" }, { 55, "MAXIMUM" }, { 57, "MINIMUM" },
		{ 60, "PADV2" }, { 65, "SLICE" }, { 74, "SUM" }, { 83, "PACK" },
		{ 88, "UNPACK" }, { 97, "RESIZE_NEAREST_NEIGHBOR" },
		{ 98, "LEAKY_RELU" }, { 114, "QUANTIZE" }, { 117, "HARD_SWISH" },
		{ 126, "BATCH_MATMUL" },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].code == code)
			return names[i].name;
	return "unknown";
}

const char *tfl_type_name(int type)
{
	switch (type) {
	case TFL_FLOAT32: return "float32";
	case 1: return "float16";
	case TFL_INT32: return "int32";
	case TFL_UINT8: return "uint8";
	case TFL_INT64: return "int64";
	case 6: return "bool";
	case TFL_INT16: return "int16";
	case TFL_INT8: return "int8";
	default: return "other";
	}
}

int64_t tfl_tensor_elems(const struct tfl_tensor *t)
{
	int64_t n = 1;

	/* Capped at 2^40 elements, so byte counts never overflow. */
	for (int i = 0; i < t->rank; i++) {
		if (t->shape[i] < 0 || (t->shape[i] && n > ((int64_t)1 << 40) / t->shape[i]))
			return -1;
		n *= t->shape[i];
	}
	return n;
}

static int tfl_type_size(int type)
{
	switch (type) {
	case TFL_FLOAT32: case TFL_INT32: return 4;
	case TFL_INT64: return 8;
	case TFL_INT16: return 2;
	case TFL_UINT8: case TFL_INT8: case 6: return 1;
	default: return 0;
	}
}

static int *read_index_vec(struct fb_buf *b, const struct fb_table *t, int field,
			   int *count)
{
	struct fb_vec v = fb_vec_field(b, t, field, 4);
	int *out = calloc(v.len ? v.len : 1, sizeof(int));

	if (!out)
		return NULL;
	for (uint32_t i = 0; i < v.len; i++)
		out[i] = fb_vec_i32(b, &v, i);
	*count = (int)v.len;
	return out;
}

static int parse_quant(struct fb_buf *b, const struct fb_table *tt,
		       struct tfl_tensor *t, int idx, char *err, size_t errlen)
{
	struct fb_table q = fb_table_field(b, tt, T_QUANT);
	struct fb_vec sc, zp;

	if (!q.present)
		return 0;
	sc = fb_vec_field(b, &q, Q_SCALE, 4);
	zp = fb_vec_field(b, &q, Q_ZERO_POINT, 8);
	if (!sc.len)
		return 0;
	if (zp.len != sc.len)
		return fail(err, errlen, -EINVAL,
			    "tensor %d '%s': %u scales but %u zero points", idx,
			    t->name, sc.len, zp.len);
	t->scales = calloc(sc.len, sizeof(float));
	t->zero_points = calloc(sc.len, sizeof(int64_t));
	if (!t->scales || !t->zero_points)
		return fail(err, errlen, -ENOMEM, "out of memory");
	for (uint32_t i = 0; i < sc.len; i++) {
		t->scales[i] = fb_vec_f32(b, &sc, i);
		t->zero_points[i] = fb_vec_i64(b, &zp, i);
	}
	t->num_q = (int)sc.len;
	t->q_dim = fb_i32(b, &q, Q_DIM, 0);
	return 0;
}

static int parse_tensor(struct fb_buf *b, const struct fb_table *tt,
			const struct fb_vec *buffers, struct tfl_tensor *t,
			int idx, char *err, size_t errlen)
{
	struct fb_vec shape = fb_vec_field(b, tt, T_SHAPE, 4);
	uint32_t bi = fb_u32(b, tt, T_BUFFER, 0);
	struct fb_table buf;
	int64_t elems;

	t->name = fb_string_dup(b, tt, T_NAME);
	if (!t->name)
		return fail(err, errlen, -ENOMEM, "out of memory");
	t->type = fb_u8(b, tt, T_TYPE, 0);
	if (shape.len > TFL_MAX_RANK)
		return fail(err, errlen, -ENOTSUP, "tensor %d '%s': rank %u above %d",
			    idx, t->name, shape.len, TFL_MAX_RANK);
	t->rank = (int)shape.len;
	for (int i = 0; i < t->rank; i++) {
		t->shape[i] = fb_vec_i32(b, &shape, i);
		if (t->shape[i] < 0)
			return fail(err, errlen, -ENOTSUP,
				    "tensor %d '%s': dynamic or negative dimension",
				    idx, t->name);
	}
	if (parse_quant(b, tt, t, idx, err, errlen))
		return -EINVAL;
	if (bi == 0)	/* buffer 0 is the schema's empty sentinel */
		return 0;
	if (bi >= buffers->len)
		return fail(err, errlen, -EINVAL,
			    "tensor %d '%s': buffer %u out of range (%u buffers)",
			    idx, t->name, bi, buffers->len);
	buf = fb_vec_table(b, buffers, bi);
	if (!buf.present)
		return fail(err, errlen, -EINVAL, "tensor %d '%s': buffer %u unreadable",
			    idx, t->name, bi);
	{
		struct fb_vec d = fb_vec_field(b, &buf, BUF_DATA, 1);
		uint64_t off = fb_u64(b, &buf, BUF_OFFSET, 0);
		uint64_t sz = fb_u64(b, &buf, BUF_SIZE, 0);

		if (d.len) {
			t->data = b->data + d.pos;
			t->data_size = d.len;
		} else if (off > 1) {
			/* Large models keep constants after the flatbuffer. */
			if (off > b->size || sz > b->size - off)
				return fail(err, errlen, -EINVAL,
					    "tensor %d '%s': buffer %u [%llu, +%llu) outside the file",
					    idx, t->name, bi, (unsigned long long)off,
					    (unsigned long long)sz);
			t->data = b->data + off;
			t->data_size = sz;
		}
	}
	elems = tfl_tensor_elems(t);
	if (t->data && (elems < 0 || !tfl_type_size(t->type) ||
			(uint64_t)elems * tfl_type_size(t->type) != t->data_size))
		return fail(err, errlen, -EINVAL,
			    "tensor %d '%s': buffer %u holds %zu bytes, shape needs %lld",
			    idx, t->name, bi, t->data_size,
			    (long long)elems * tfl_type_size(t->type));
	return 0;
}

static void parse_options(struct fb_buf *b, const struct fb_table *ot, int code,
			  struct tfl_options *o)
{
	memset(o, 0, sizeof(*o));
	o->dilation_w = o->dilation_h = 1;
	o->explicit_pad_top = o->explicit_pad_left = -1;
	if (!ot->present)
		return;
	switch (code) {
	case TFL_CONV_2D:
		o->padding = fb_u8(b, ot, 0, 0);
		o->stride_w = fb_i32(b, ot, 1, 0);
		o->stride_h = fb_i32(b, ot, 2, 0);
		o->activation = fb_u8(b, ot, 3, 0);
		o->dilation_w = fb_i32(b, ot, 4, 1);
		o->dilation_h = fb_i32(b, ot, 5, 1);
		break;
	case TFL_DEPTHWISE_CONV_2D:
		o->padding = fb_u8(b, ot, 0, 0);
		o->stride_w = fb_i32(b, ot, 1, 0);
		o->stride_h = fb_i32(b, ot, 2, 0);
		o->depth_multiplier = fb_i32(b, ot, 3, 0);
		o->activation = fb_u8(b, ot, 4, 0);
		o->dilation_w = fb_i32(b, ot, 5, 1);
		o->dilation_h = fb_i32(b, ot, 6, 1);
		break;
	case TFL_AVERAGE_POOL_2D:
	case TFL_MAX_POOL_2D:
		o->padding = fb_u8(b, ot, 0, 0);
		o->stride_w = fb_i32(b, ot, 1, 0);
		o->stride_h = fb_i32(b, ot, 2, 0);
		o->filter_w = fb_i32(b, ot, 3, 0);
		o->filter_h = fb_i32(b, ot, 4, 0);
		o->activation = fb_u8(b, ot, 5, 0);
		break;
	case TFL_FULLY_CONNECTED:
		o->activation = fb_u8(b, ot, 0, 0);
		o->keep_num_dims = fb_u8(b, ot, 2, 0);
		break;
	case TFL_SOFTMAX:
		o->beta = fb_f32(b, ot, 0, 0.0f);
		break;
	case TFL_CONCATENATION:
		o->axis = fb_i32(b, ot, 0, 0);
		o->activation = fb_u8(b, ot, 1, 0);
		break;
	case TFL_ADD:
	case TFL_SUB:
	case TFL_MUL:
		o->activation = fb_u8(b, ot, 0, 0);
		break;
	case TFL_MEAN:
		o->keep_dims = fb_u8(b, ot, 0, 0);
		break;
	case TFL_LEAKY_RELU:
		o->alpha = fb_f32(b, ot, 0, 0.0f);
		break;
	default:
		break;
	}
}

static int parse_ops(struct fb_buf *b, const struct fb_table *sg,
		     const struct fb_table *model, struct tfl_model *m, char *err,
		     size_t errlen)
{
	struct fb_vec codes = fb_vec_field(b, model, MODEL_OPCODES, 4);
	struct fb_vec ops = fb_vec_field(b, sg, SG_OPERATORS, 4);

	if (ops.len > TFL_MAX_OPS)
		return fail(err, errlen, -E2BIG, "%u operators: too many", ops.len);
	m->ops = calloc(ops.len ? ops.len : 1, sizeof(*m->ops));
	if (!m->ops)
		return fail(err, errlen, -ENOMEM, "out of memory");
	m->num_ops = (int)ops.len;
	for (uint32_t i = 0; i < ops.len; i++) {
		struct fb_table ot = fb_vec_table(b, &ops, i), oc, opt;
		struct tfl_op *op = &m->ops[i];
		uint32_t ci;
		int dep, code;

		if (!ot.present)
			return fail(err, errlen, -EINVAL, "operator %u unreadable", i);
		ci = fb_u32(b, &ot, OP_OPCODE, 0);
		oc = fb_vec_table(b, &codes, ci);
		if (!oc.present)
			return fail(err, errlen, -EINVAL,
				    "operator %u: opcode index %u out of range", i, ci);
		dep = (int8_t)fb_u8(b, &oc, OC_DEPRECATED_CODE, 0);
		code = fb_i32(b, &oc, OC_CODE, 0);
		op->code = code > dep ? code : dep;
		op->version = fb_i32(b, &oc, OC_VERSION, 1);
		op->inputs = read_index_vec(b, &ot, OP_INPUTS, &op->num_inputs);
		op->outputs = read_index_vec(b, &ot, OP_OUTPUTS, &op->num_outputs);
		if (!op->inputs || !op->outputs)
			return fail(err, errlen, -ENOMEM, "out of memory");
		for (int k = 0; k < op->num_inputs; k++)
			if (op->inputs[k] < -1 || op->inputs[k] >= m->num_tensors)
				return fail(err, errlen, -EINVAL,
					    "operator %u (%s): input %d names tensor %d of %d",
					    i, tfl_op_name(op->code), k, op->inputs[k],
					    m->num_tensors);
		for (int k = 0; k < op->num_outputs; k++)
			if (op->outputs[k] < 0 || op->outputs[k] >= m->num_tensors)
				return fail(err, errlen, -EINVAL,
					    "operator %u (%s): output %d names tensor %d of %d",
					    i, tfl_op_name(op->code), k, op->outputs[k],
					    m->num_tensors);
		opt = fb_table_field(b, &ot, OP_OPTIONS);
		parse_options(b, &opt, op->code, &op->opt);
	}
	return 0;
}

int tfl_model_parse(const void *data, size_t size, struct tfl_model *m,
		    char *err, size_t errlen)
{
	struct fb_buf b = { data, size, false };
	struct fb_table model, sg;
	struct fb_vec sgs, tensors, buffers;
	int ret;

	memset(m, 0, sizeof(*m));
	if (size < 8 || memcmp((const uint8_t *)data + 4, "TFL3", 4))
		return fail(err, errlen, -EINVAL, "not a TensorFlow Lite model (no TFL3 identifier)");
	model = fb_root(&b);
	sgs = fb_vec_field(&b, &model, MODEL_SUBGRAPHS, 4);
	sg = fb_vec_table(&b, &sgs, 0);
	if (!model.present || !sg.present)
		return fail(err, errlen, -EINVAL, "corrupt model: no readable subgraph");
	buffers = fb_vec_field(&b, &model, MODEL_BUFFERS, 4);
	tensors = fb_vec_field(&b, &sg, SG_TENSORS, 4);
	if (tensors.len > TFL_MAX_TENSORS)
		return fail(err, errlen, -E2BIG, "%u tensors: too many", tensors.len);
	m->tensors = calloc(tensors.len ? tensors.len : 1, sizeof(*m->tensors));
	if (!m->tensors)
		return fail(err, errlen, -ENOMEM, "out of memory");
	m->num_tensors = (int)tensors.len;
	for (uint32_t i = 0; i < tensors.len; i++) {
		struct fb_table tt = fb_vec_table(&b, &tensors, i);

		if (!tt.present) {
			ret = fail(err, errlen, -EINVAL, "tensor %u unreadable", i);
			goto bad;
		}
		ret = parse_tensor(&b, &tt, &buffers, &m->tensors[i], (int)i, err, errlen);
		if (ret)
			goto bad;
	}
	m->inputs = read_index_vec(&b, &sg, SG_INPUTS, &m->num_inputs);
	m->outputs = read_index_vec(&b, &sg, SG_OUTPUTS, &m->num_outputs);
	if (!m->inputs || !m->outputs) {
		ret = fail(err, errlen, -ENOMEM, "out of memory");
		goto bad;
	}
	for (int i = 0; i < m->num_inputs; i++)
		if (m->inputs[i] < 0 || m->inputs[i] >= m->num_tensors) {
			ret = fail(err, errlen, -EINVAL, "model input %d names tensor %d", i,
				   m->inputs[i]);
			goto bad;
		}
	for (int i = 0; i < m->num_outputs; i++)
		if (m->outputs[i] < 0 || m->outputs[i] >= m->num_tensors) {
			ret = fail(err, errlen, -EINVAL, "model output %d names tensor %d", i,
				   m->outputs[i]);
			goto bad;
		}
	ret = parse_ops(&b, &sg, &model, m, err, errlen);
	if (ret)
		goto bad;
	if (b.bad) {
		ret = fail(err, errlen, -EINVAL, "corrupt model: an offset points outside the file");
		goto bad;
	}
	return 0;
bad:
	tfl_model_free(m);
	return ret;
}

void tfl_model_free(struct tfl_model *m)
{
	for (int i = 0; i < m->num_tensors; i++) {
		free(m->tensors[i].name);
		free(m->tensors[i].scales);
		free(m->tensors[i].zero_points);
	}
	for (int i = 0; i < m->num_ops; i++) {
		free(m->ops[i].inputs);
		free(m->ops[i].outputs);
	}
	free(m->tensors);
	free(m->ops);
	free(m->inputs);
	free(m->outputs);
	memset(m, 0, sizeof(*m));
}
