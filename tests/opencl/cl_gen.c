// SPDX-License-Identifier: MIT
/* Random valid commands for cl_check; see cl_gen.h. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cl_gen.h"
#include "stream_builder.h"
#include "runtime/ref/qaccel_ref.h"

/* The command, as stream_builder.h's union of every command struct. */
#define U(c) ((union sb_cmd *)(void *)(c)->hdr)

void cg_seed(uint64_t seed);

void cg_seed(uint64_t seed)
{
	t_rng_state = seed * 0x9e3779b97f4a7c15ull + 0x2545f4914f6cdd1dull;
	if (!t_rng_state)
		t_rng_state = 1;
}

/* A new buffer holding need bytes at a random align-multiple offset. */
static struct qaccel_ref cg_buf(struct cg_case *c, uint64_t need, uint32_t align)
{
	struct qaccel_ref r = { c->nbufs, (uint32_t)t_range(0, 16) * align };
	uint64_t size = r.offset + need + (uint64_t)t_range(0, 16);
	uint8_t *p = malloc(size);

	for (uint64_t i = 0; i < size; i++)
		p[i] = (uint8_t)t_rand();
	c->size[c->nbufs] = size;
	c->data[c->nbufs++] = p;
	return r;
}

static void *cg_ptr(struct cg_case *c, const struct qaccel_ref *r)
{
	return c->data[r->buf] + r->offset;
}

static void cg_tensor(struct cg_case *c, struct qaccel_tensor *t, uint32_t n,
		      uint32_t h, uint32_t w, uint32_t ch)
{
	t->dims[0] = n;
	t->dims[1] = h;
	t->dims[2] = w;
	t->dims[3] = ch;
	t->zero_point = t_range(-128, 127);
	t->ref = cg_buf(c, (uint64_t)n * h * w * ch, 1);
}

/* Mostly multipliers and shifts a converter makes, sometimes any valid one. */
static struct qaccel_qmul cg_qmul(void)
{
	struct qaccel_qmul q;

	if (t_one_in(8)) {
		q.multiplier = t_one_in(4) ? 0 : t_range(0, 0x7fffffff);
		q.shift = t_range(-31, 30);
	} else {
		q.multiplier = t_range(1 << 30, 0x7fffffff);
		q.shift = t_range(-14, 1);
	}
	return q;
}

static struct qaccel_clamp cg_clamp(void)
{
	struct qaccel_clamp cl = { -128, 127 };

	if (t_one_in(2)) {
		cl.min = t_range(-128, 127);
		cl.max = t_range(cl.min, 127);
	}
	return cl;
}

static uint32_t cg_rounding(void)
{
	return t_one_in(2) ? QACCEL_ROUND_SINGLE : QACCEL_ROUND_DOUBLE;
}

/* Per-channel (or per-tensor) multipliers and an optional bias. */
static void cg_epilogue(struct cg_case *c, struct qaccel_ref *bias,
			struct qaccel_requant *rq, uint32_t oc)
{
	struct qaccel_qmul *q;
	int32_t *b;

	if (t_one_in(5)) {
		*bias = (struct qaccel_ref){ QACCEL_NO_BUFFER, 0 };
	} else {
		*bias = cg_buf(c, 4ull * oc, 4);
		b = cg_ptr(c, bias);
		for (uint32_t i = 0; i < oc; i++)
			b[i] = t_one_in(8) ? (int32_t)t_rand() : t_range(-50000, 50000);
	}
	rq->count = t_one_in(3) ? 1 : oc;
	rq->rounding = cg_rounding();
	rq->params = cg_buf(c, 8ull * rq->count, 4);
	q = cg_ptr(c, &rq->params);
	for (uint32_t i = 0; i < rq->count; i++)
		q[i] = cg_qmul();
}

/* A window and the output side it gives; 0 if the window does not fit. */
static uint32_t cg_out_side(uint32_t in, uint32_t k, uint32_t stride, uint32_t dil,
			    uint32_t *pad_before)
{
	uint32_t span = (k - 1) * dil + 1, after = (uint32_t)t_range(0, (int32_t)k - 1);
	int64_t total;

	*pad_before = (uint32_t)t_range(0, (int32_t)k - 1);
	total = (int64_t)in + *pad_before + after - span;
	return total < 0 ? 0 : (uint32_t)(total / stride + 1);
}

static int cg_window(struct qaccel_window *w, const uint32_t *id, uint32_t kh,
		     uint32_t kw, int dilated, uint32_t *oh, uint32_t *ow)
{
	w->stride_h = (uint32_t)t_range(1, 3);
	w->stride_w = (uint32_t)t_range(1, 3);
	w->dilation_h = dilated && t_one_in(3) ? (uint32_t)t_range(2, 3) : 1;
	w->dilation_w = dilated && t_one_in(3) ? (uint32_t)t_range(2, 3) : 1;
	*oh = cg_out_side(id[1], kh, w->stride_h, w->dilation_h, &w->pad_top);
	*ow = cg_out_side(id[2], kw, w->stride_w, w->dilation_w, &w->pad_left);
	return *oh && *ow;
}

static int gen_conv(struct cg_case *c, int big)
{
	struct qaccel_cmd_conv2d *k = &U(c)->conv;
	uint32_t n = t_dim(2), h = t_dim(big ? 24 : 10), w = t_dim(big ? 24 : 10);
	uint32_t ic = t_dim(big ? 96 : 40), oc = t_dim(big ? 64 : 24);
	uint32_t kh = t_dim(4), kw = t_dim(4), oh, ow;

	/* A third 1x1 stride 1 unpadded: the GEMM-as-is path. */
	if (t_one_in(3)) {
		kh = kw = 1;
		k->win = (struct qaccel_window){ 1, 1, 1, 1, 0, 0 };
		oh = h;
		ow = w;
	} else if (!cg_window(&k->win, (uint32_t[]){ n, h, w, ic }, kh, kw, 1, &oh, &ow)) {
		return -1;
	}
	cg_tensor(c, &k->input, n, h, w, ic);
	cg_tensor(c, &k->filter, oc, kh, kw, ic);
	k->filter.zero_point = 0;
	cg_tensor(c, &k->output, n, oh, ow, oc);
	cg_epilogue(c, &k->bias, &k->requant, oc);
	k->clamp = cg_clamp();
	return 0;
}

static int gen_dwconv(struct cg_case *c, int big)
{
	struct qaccel_cmd_dwconv2d *k = &U(c)->dw;
	uint32_t n = t_dim(2), h = t_dim(big ? 24 : 10), w = t_dim(big ? 24 : 10);
	uint32_t ic = t_dim(big ? 48 : 16), dm = t_dim(3), kh = t_dim(5), kw = t_dim(5);
	uint32_t oh, ow;

	if (!cg_window(&k->win, (uint32_t[]){ n, h, w, ic }, kh, kw, 1, &oh, &ow))
		return -1;
	k->depth_multiplier = dm;
	cg_tensor(c, &k->input, n, h, w, ic);
	cg_tensor(c, &k->filter, 1, kh, kw, ic * dm);
	k->filter.zero_point = 0;
	cg_tensor(c, &k->output, n, oh, ow, ic * dm);
	cg_epilogue(c, &k->bias, &k->requant, ic * dm);
	k->clamp = cg_clamp();
	return 0;
}

static int gen_fc(struct cg_case *c, int big)
{
	struct qaccel_cmd_fc *k = &U(c)->fc;
	uint32_t b = t_dim(big ? 40 : 9), depth = t_dim(big ? 1100 : 300);
	uint32_t oc = t_dim(big ? 70 : 30);

	cg_tensor(c, &k->input, 1, 1, b, depth);
	cg_tensor(c, &k->filter, 1, 1, oc, depth);
	cg_tensor(c, &k->output, 1, 1, b, oc);
	cg_epilogue(c, &k->bias, &k->requant, oc);
	k->clamp = cg_clamp();
	return 0;
}

static int gen_binary(struct cg_case *c, int big)
{
	struct qaccel_cmd_binary *k = &U(c)->bin;
	uint32_t od[4] = { t_dim(2), t_dim(big ? 12 : 6), t_dim(big ? 12 : 6),
			   t_dim(big ? 40 : 20) };
	uint32_t d1[4], d2[4];

	for (int i = 0; i < 4; i++) {
		d1[i] = t_one_in(4) ? 1 : od[i];
		d2[i] = t_one_in(4) ? 1 : od[i];
	}
	cg_tensor(c, &k->input1, d1[0], d1[1], d1[2], d1[3]);
	cg_tensor(c, &k->input2, d2[0], d2[1], d2[2], d2[3]);
	cg_tensor(c, &k->output, od[0], od[1], od[2], od[3]);
	k->output_qmul = cg_qmul();
	if (k->hdr.opcode != QACCEL_OP_MUL) {
		k->input1_qmul = cg_qmul();
		k->input2_qmul = cg_qmul();
		k->left_shift = t_one_in(2) ? 20 : (uint32_t)t_range(0, 20);
	}
	k->rounding = cg_rounding();
	k->clamp = cg_clamp();
	return 0;
}

static int gen_pool(struct cg_case *c, int big)
{
	struct qaccel_cmd_pool2d *k = &U(c)->pool;
	uint32_t id[4] = { t_dim(2), t_dim(big ? 20 : 9), t_dim(big ? 20 : 9),
			   t_dim(big ? 40 : 12) };
	uint32_t oh, ow;

	k->filter_h = t_dim(4);
	k->filter_w = t_dim(4);
	if (!cg_window(&k->win, id, k->filter_h, k->filter_w, 0, &oh, &ow))
		return -1;
	cg_tensor(c, &k->input, id[0], id[1], id[2], id[3]);
	cg_tensor(c, &k->output, id[0], oh, ow, id[3]);
	k->output.zero_point = k->input.zero_point;
	k->clamp = cg_clamp();
	return 0;
}

static void cg_any_dims(uint32_t *d, int big)
{
	d[0] = t_dim(3);
	d[1] = t_dim(big ? 16 : 6);
	d[2] = t_dim(big ? 16 : 6);
	d[3] = t_dim(big ? 70 : 20);
}

static int gen_lut(struct cg_case *c, int big)
{
	struct qaccel_cmd_lut *k = &U(c)->lut;
	uint32_t d[4];

	cg_any_dims(d, big);
	cg_tensor(c, &k->input, d[0], d[1], d[2], d[3]);
	/* A third in place, as the compiler emits for fused activations. */
	if (t_one_in(3)) {
		k->output = k->input;
	} else {
		cg_tensor(c, &k->output, d[0], d[1], d[2], d[3]);
	}
	k->table = cg_buf(c, 256, 1);
	return 0;
}

static int gen_softmax(struct cg_case *c, int big)
{
	struct qaccel_cmd_softmax *k = &U(c)->sm;
	uint32_t d[4];

	cg_any_dims(d, big);
	if (t_one_in(2))
		d[3] = t_dim(big ? 1000 : 300);
	cg_tensor(c, &k->input, d[0], d[1], d[2], d[3]);
	cg_tensor(c, &k->output, d[0], d[1], d[2], d[3]);
	k->output.zero_point = -128;
	k->input_beta_multiplier = t_range(1 << 30, 0x7fffffff);
	k->input_beta_left_shift = t_one_in(4) ? t_range(0, 30) : t_range(18, 27);
	k->diff_min = t_one_in(4) ? -t_range(0, 0x7ffffffe) : -t_range(0, 4000);
	k->rounding = cg_rounding();
	return 0;
}

static uint32_t dense_strides(uint32_t *s, const uint32_t *d, int padded)
{
	uint64_t step = 1;

	for (int i = 3; i >= 0; i--) {
		s[i] = (uint32_t)step;
		step *= d[i] + (padded && t_one_in(2) ? (uint32_t)t_range(1, 3) : 0);
	}
	return (uint32_t)step;
}

static int gen_copy(struct cg_case *c, int big)
{
	struct qaccel_cmd_copy *k = &U(c)->copy;
	uint32_t span;

	cg_any_dims(k->dims, big);
	span = dense_strides(k->src_strides, k->dims, 1);
	/* A source stride of 0 repeats (broadcasts) along that dimension. */
	if (t_one_in(4))
		k->src_strides[t_range(0, 3)] = 0;
	k->src = cg_buf(c, span, 1);
	span = dense_strides(k->dst_strides, k->dims, 1);
	k->dst = cg_buf(c, span, 1);
	return 0;
}

static int gen_pad(struct cg_case *c, int big)
{
	struct qaccel_cmd_pad *k = &U(c)->pad;
	uint32_t d[4], o[4];

	cg_any_dims(d, big);
	for (int i = 0; i < 4; i++) {
		k->before[i] = (uint32_t)t_range(0, 2);
		o[i] = d[i] + k->before[i] + (uint32_t)t_range(0, 2);
	}
	cg_tensor(c, &k->input, d[0], d[1], d[2], d[3]);
	cg_tensor(c, &k->output, o[0], o[1], o[2], o[3]);
	k->pad_value = t_range(-128, 127);
	return 0;
}

static int gen_mean(struct cg_case *c, int big)
{
	struct qaccel_cmd_mean *k = &U(c)->mean;
	uint32_t d[4];

	cg_any_dims(d, big);
	cg_tensor(c, &k->input, d[0], d[1], d[2], d[3]);
	cg_tensor(c, &k->output, d[0], 1, 1, d[3]);
	k->qmul = cg_qmul();
	k->divisor = t_one_in(3) ? 0 : (uint32_t)t_range(1, (int32_t)(d[1] * d[2]));
	k->rounding = cg_rounding();
	k->clamp = cg_clamp();
	return 0;
}

static int gen_requantize(struct cg_case *c, int big)
{
	struct qaccel_cmd_requantize *k = &U(c)->rq;
	uint32_t d[4];

	cg_any_dims(d, big);
	cg_tensor(c, &k->input, d[0], d[1], d[2], d[3]);
	cg_tensor(c, &k->output, d[0], d[1], d[2], d[3]);
	k->qmul = cg_qmul();
	k->rounding = cg_rounding();
	return 0;
}

static uint32_t f32_bits(float f)
{
	uint32_t u;

	memcpy(&u, &f, sizeof(u));
	return u;
}

/* Mostly numbers a converter makes, sometimes any bit pattern at all
 * (subnormals, infinities, NaNs: the emulation must agree on those too). */
static uint32_t cg_f32(float typical)
{
	return t_one_in(6) ? t_rand() : f32_bits(typical);
}

static int gen_softmax_f32(struct cg_case *c, int big)
{
	struct qaccel_cmd_softmax_f32 *k = &U(c)->smf;
	float s = (float)t_range(1, 1000) / 1000.0f;
	uint32_t d[4], *table;

	cg_any_dims(d, big);
	if (t_one_in(2))
		d[3] = t_dim(big ? 1000 : 300);
	cg_tensor(c, &k->input, d[0], d[1], d[2], d[3]);
	cg_tensor(c, &k->output, d[0], d[1], d[2], d[3]);
	k->exp_table = cg_buf(c, 1024, 4);
	table = cg_ptr(c, &k->exp_table);
	for (int i = 0; i < 256; i++)
		table[i] = t_one_in(50) ? t_rand() : f32_bits(expf(-s * (float)i));
	k->output_scale = cg_f32(1.0f / 256.0f);
	return 0;
}

static int gen_mean_f32(struct cg_case *c, int big)
{
	struct qaccel_cmd_mean_f32 *k = &U(c)->meanf;
	float scale = (float)t_range(1, 4000) / 1000.0f;
	uint32_t d[4];

	cg_any_dims(d, big);
	cg_tensor(c, &k->input, d[0], d[1], d[2], d[3]);
	cg_tensor(c, &k->output, d[0], 1, 1, d[3]);
	k->scale = cg_f32(scale);
	k->bias = cg_f32((float)-k->input.zero_point * scale + 0.5f);
	return 0;
}

int cg_make(uint32_t op, int big, struct cg_case *c)
{
	static int (*const gen[QACCEL_OP_COUNT])(struct cg_case *, int) = {
		[QACCEL_OP_CONV_2D] = gen_conv,
		[QACCEL_OP_DEPTHWISE_CONV_2D] = gen_dwconv,
		[QACCEL_OP_FULLY_CONNECTED] = gen_fc,
		[QACCEL_OP_ADD] = gen_binary,
		[QACCEL_OP_SUB] = gen_binary,
		[QACCEL_OP_MUL] = gen_binary,
		[QACCEL_OP_MAX_POOL_2D] = gen_pool,
		[QACCEL_OP_AVERAGE_POOL_2D] = gen_pool,
		[QACCEL_OP_LUT] = gen_lut,
		[QACCEL_OP_SOFTMAX] = gen_softmax,
		[QACCEL_OP_COPY] = gen_copy,
		[QACCEL_OP_PAD] = gen_pad,
		[QACCEL_OP_MEAN] = gen_mean,
		[QACCEL_OP_REQUANTIZE] = gen_requantize,
		[QACCEL_OP_SOFTMAX_F32] = gen_softmax_f32,
		[QACCEL_OP_MEAN_F32] = gen_mean_f32,
	};

	/* A window that does not fit its input is drawn again. */
	for (int tries = 0; tries < 100; tries++) {
		memset(c, 0, sizeof(*c));
		c->hdr = calloc(1, sizeof(union sb_cmd));
		c->hdr->opcode = op;
		c->hdr->size = qaccel_cmd_size(op);
		if (op < QACCEL_OP_COUNT && gen[op] && !gen[op](c, big))
			return 0;
		cg_free(c);
	}
	return -1;
}

void cg_free(struct cg_case *c)
{
	for (uint32_t i = 0; i < c->nbufs; i++)
		free(c->data[i]);
	c->nbufs = 0;
	free(c->hdr);
	c->hdr = NULL;
}

static int put_tensor(char *buf, size_t len, const char *name,
		      const struct qaccel_tensor *t)
{
	return snprintf(buf, len, " %s=[%u,%u,%u,%u]@%u+%u zp %d", name, t->dims[0],
			t->dims[1], t->dims[2], t->dims[3], t->ref.buf, t->ref.offset,
			t->zero_point);
}

static int put_window(char *buf, size_t len, const struct qaccel_window *w)
{
	return snprintf(buf, len, " stride %u,%u dilation %u,%u pad %u,%u", w->stride_h,
			w->stride_w, w->dilation_h, w->dilation_w, w->pad_top, w->pad_left);
}

void cg_describe(const struct cg_case *c, char *buf, size_t len)
{
	const union sb_cmd *u = (const void *)c->hdr;
	size_t n = (size_t)snprintf(buf, len, "%s", qaccel_opcode_name(u->hdr.opcode));

#define PUT(expr) do { if (n < len) n += (size_t)(expr); } while (0)
	switch (u->hdr.opcode) {
	case QACCEL_OP_CONV_2D:
	case QACCEL_OP_DEPTHWISE_CONV_2D:
		/* dwconv2d's leading fields are laid out as conv2d's. */
		PUT(put_tensor(buf + n, len - n, "in", &u->conv.input));
		PUT(put_tensor(buf + n, len - n, "filter", &u->conv.filter));
		PUT(put_tensor(buf + n, len - n, "out", &u->conv.output));
		PUT(put_window(buf + n, len - n, &u->conv.win));
		PUT(snprintf(buf + n, len - n, " bias %s qmuls %u rounding %u clamp %d..%d",
			     u->conv.bias.buf == QACCEL_NO_BUFFER ? "no" : "yes",
			     u->conv.requant.count, u->conv.requant.rounding,
			     u->conv.clamp.min, u->conv.clamp.max));
		if (u->hdr.opcode == QACCEL_OP_DEPTHWISE_CONV_2D)
			PUT(snprintf(buf + n, len - n, " depth_multiplier %u",
				     u->dw.depth_multiplier));
		break;
	case QACCEL_OP_FULLY_CONNECTED:
		PUT(put_tensor(buf + n, len - n, "in", &u->fc.input));
		PUT(put_tensor(buf + n, len - n, "filter", &u->fc.filter));
		PUT(put_tensor(buf + n, len - n, "out", &u->fc.output));
		PUT(snprintf(buf + n, len - n, " bias %s qmuls %u rounding %u",
			     u->fc.bias.buf == QACCEL_NO_BUFFER ? "no" : "yes",
			     u->fc.requant.count, u->fc.requant.rounding));
		break;
	case QACCEL_OP_ADD:
	case QACCEL_OP_SUB:
	case QACCEL_OP_MUL:
		PUT(put_tensor(buf + n, len - n, "in1", &u->bin.input1));
		PUT(put_tensor(buf + n, len - n, "in2", &u->bin.input2));
		PUT(put_tensor(buf + n, len - n, "out", &u->bin.output));
		PUT(snprintf(buf + n, len - n, " q1 %d,%d q2 %d,%d qo %d,%d shift %u rounding %u",
			     u->bin.input1_qmul.multiplier, u->bin.input1_qmul.shift,
			     u->bin.input2_qmul.multiplier, u->bin.input2_qmul.shift,
			     u->bin.output_qmul.multiplier, u->bin.output_qmul.shift,
			     u->bin.left_shift, u->bin.rounding));
		break;
	case QACCEL_OP_MAX_POOL_2D:
	case QACCEL_OP_AVERAGE_POOL_2D:
		PUT(put_tensor(buf + n, len - n, "in", &u->pool.input));
		PUT(put_tensor(buf + n, len - n, "out", &u->pool.output));
		PUT(snprintf(buf + n, len - n, " filter %ux%u", u->pool.filter_h,
			     u->pool.filter_w));
		PUT(put_window(buf + n, len - n, &u->pool.win));
		break;
	case QACCEL_OP_COPY:
		PUT(snprintf(buf + n, len - n, " dims [%u,%u,%u,%u] src +%u [%u,%u,%u,%u]"
			     " dst +%u [%u,%u,%u,%u]", u->copy.dims[0], u->copy.dims[1],
			     u->copy.dims[2], u->copy.dims[3], u->copy.src.offset,
			     u->copy.src_strides[0], u->copy.src_strides[1],
			     u->copy.src_strides[2], u->copy.src_strides[3],
			     u->copy.dst.offset, u->copy.dst_strides[0],
			     u->copy.dst_strides[1], u->copy.dst_strides[2],
			     u->copy.dst_strides[3]));
		break;
	default:
		/* Every other command starts with its input and output tensors. */
		PUT(put_tensor(buf + n, len - n, "in", &u->lut.input));
		PUT(put_tensor(buf + n, len - n, "out", &u->lut.output));
		break;
	}
#undef PUT
}
