/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Test helper: build command streams. sb_stream collects commands into an
 * 8-aligned heap stream and fills the header; sb_valid_cmd() writes a small
 * valid command of any opcode, with each operand in its own exactly sized
 * buffer of a struct t_bufs (cmd_util.h), so that one byte less in any
 * buffer is an overrun. Used by the validator tests and the fuzzer's seed
 * corpus; any test that needs "some valid command of opcode X" can use it.
 *
 *	struct t_bufs b = { 0 };
 *	union sb_cmd c;
 *	struct sb_stream s;
 *
 *	sb_valid_cmd(QACCEL_OP_CONV_2D, &b, &c);
 *	sb_init(&s);
 *	sb_add(&s, &c.hdr);
 *	qaccel_validate(s.mem, s.size, b.sizes, b.n, &err);
 *	sb_free(&s);
 *	t_bufs_free(&b);
 */
#ifndef QACCEL_TEST_STREAM_BUILDER_H
#define QACCEL_TEST_STREAM_BUILDER_H

#include <assert.h>

#include "cmd_util.h"

#define SB_HDR_SIZE ((uint32_t)sizeof(struct qaccel_stream_header))

/* Room for a command of any opcode. */
union sb_cmd {
	struct qaccel_cmd_header hdr;
	struct qaccel_cmd_conv2d conv;
	struct qaccel_cmd_dwconv2d dw;
	struct qaccel_cmd_fc fc;
	struct qaccel_cmd_binary bin;
	struct qaccel_cmd_pool2d pool;
	struct qaccel_cmd_lut lut;
	struct qaccel_cmd_softmax sm;
	struct qaccel_cmd_copy copy;
	struct qaccel_cmd_pad pad;
	struct qaccel_cmd_mean mean;
	struct qaccel_cmd_requantize rq;
	struct qaccel_cmd_softmax_f32 smf;
	struct qaccel_cmd_mean_f32 meanf;
};

/*
 * A stream under construction. mem is 8-aligned; size and the header's
 * size and num_cmds are kept up to date after every sb_add(), so mem/size
 * is always a complete stream. cap leaves slack past size so tests may
 * submit a longer length than was built (trailing bytes).
 */
struct sb_stream {
	uint64_t *mem;
	uint32_t size;
	uint32_t cap;
};

static inline struct qaccel_stream_header *sb_header(struct sb_stream *s)
{
	return (struct qaccel_stream_header *)s->mem;
}

static inline uint8_t *sb_bytes(struct sb_stream *s)
{
	return (uint8_t *)s->mem;
}

static inline void sb_init(struct sb_stream *s)
{
	struct qaccel_stream_header *h;

	s->cap = 4096;
	s->mem = calloc(1, s->cap);
	assert(s->mem);
	h = sb_header(s);
	h->magic = QACCEL_STREAM_MAGIC;
	h->version = QACCEL_ISA_VERSION;
	s->size = SB_HDR_SIZE;
	h->size = s->size;
}

/* Appends cmd->size bytes of the command (any size, even a bad one). */
static inline void *sb_add_bytes(struct sb_stream *s, const void *cmd,
				 uint32_t size)
{
	void *at;

	while (s->size + size + 64 > s->cap) {
		s->mem = realloc(s->mem, s->cap * 2);
		assert(s->mem);
		memset(sb_bytes(s) + s->cap, 0, s->cap);
		s->cap *= 2;
	}
	at = sb_bytes(s) + s->size;
	memcpy(at, cmd, size);
	s->size += size;
	sb_header(s)->size = s->size;
	sb_header(s)->num_cmds++;
	return at;
}

static inline void *sb_add(struct sb_stream *s,
			   const struct qaccel_cmd_header *cmd)
{
	return sb_add_bytes(s, cmd, cmd->size);
}

static inline void sb_free(struct sb_stream *s)
{
	free(s->mem);
	s->mem = NULL;
}

static inline int sb_validate(struct sb_stream *s, const struct t_bufs *b,
			      struct qaccel_validate_error *err)
{
	return qaccel_validate(s->mem, s->size, b->sizes, b->n, err);
}

/* count qmuls in a new buffer; the validator only needs them to exist. */
static inline void sb_requant(struct t_bufs *b, struct qaccel_requant *r,
			      uint32_t count)
{
	struct qaccel_qmul *q;

	r->count = count;
	r->params.buf = t_buf_new(b, count * sizeof(*q));
	r->params.offset = 0;
	q = t_ptr(b, &r->params);
	for (uint32_t i = 0; i < count; i++)
		q[i] = t_qmul(-8, -4);
}

/* A clamp strictly inside int8, so that min > max is one field away. */
static const struct qaccel_clamp sb_clamp = { -120, 120 };

static inline void sb_conv(struct t_bufs *b, struct qaccel_cmd_conv2d *c)
{
	t_tensor(b, &c->input, 1, 5, 5, 3, 1);
	t_tensor(b, &c->filter, 4, 3, 3, 3, 0);
	t_tensor(b, &c->output, 1, 3, 3, 4, -2);
	c->bias.buf = t_buf_new(b, 4 * sizeof(int32_t));
	sb_requant(b, &c->requant, 4);
	c->win = (struct qaccel_window){ 2, 2, 1, 1, 1, 1 };
	c->clamp = sb_clamp;
}

static inline void sb_dwconv(struct t_bufs *b, struct qaccel_cmd_dwconv2d *c)
{
	t_tensor(b, &c->input, 1, 5, 5, 2, 1);
	t_tensor(b, &c->filter, 1, 3, 3, 4, 0);
	t_tensor(b, &c->output, 1, 5, 5, 4, -2);
	c->bias.buf = t_buf_new(b, 4 * sizeof(int32_t));
	sb_requant(b, &c->requant, 4);
	c->win = (struct qaccel_window){ 1, 1, 1, 1, 1, 1 };
	c->clamp = sb_clamp;
	c->depth_multiplier = 2;
}

static inline void sb_fc(struct t_bufs *b, struct qaccel_cmd_fc *c)
{
	t_tensor(b, &c->input, 1, 1, 2, 8, 1);
	t_tensor(b, &c->filter, 1, 1, 3, 8, 0);
	t_tensor(b, &c->output, 1, 1, 2, 3, 0);
	c->bias.buf = t_buf_new(b, 3 * sizeof(int32_t));
	/* Per tensor, so both counts (1 and OC) are exercised. */
	sb_requant(b, &c->requant, 1);
	c->clamp = sb_clamp;
}

static inline void sb_binary(struct t_bufs *b, struct qaccel_cmd_binary *c)
{
	t_tensor(b, &c->input1, 1, 2, 3, 4, 3);
	t_tensor(b, &c->input2, 1, 1, 1, 4, -3);
	t_tensor(b, &c->output, 1, 2, 3, 4, 0);
	c->output_qmul = t_qmul(-20, -18);
	if (c->hdr.opcode != QACCEL_OP_MUL) {
		c->input1_qmul = t_qmul(-1, 0);
		c->input2_qmul = t_qmul(-1, 0);
		c->left_shift = 20;
	}
	c->clamp = sb_clamp;
}

static inline void sb_pool(struct t_bufs *b, struct qaccel_cmd_pool2d *c)
{
	t_tensor(b, &c->input, 1, 4, 4, 3, 5);
	t_tensor(b, &c->output, 1, 2, 2, 3, 5);
	c->filter_h = 2;
	c->filter_w = 3;
	c->win = (struct qaccel_window){ 2, 2, 1, 1, 1, 1 };
	c->clamp = sb_clamp;
}

static inline void sb_copy(struct t_bufs *b, struct qaccel_cmd_copy *c)
{
	/* [2, 3, 2, 4] from a dense source into a wider destination. */
	static const uint32_t dims[4] = { 2, 3, 2, 4 };
	static const uint32_t src_strides[4] = { 24, 8, 4, 1 };
	static const uint32_t dst_strides[4] = { 48, 16, 8, 1 };

	c->src.buf = t_buf_new(b, 48);
	c->dst.buf = t_buf_new(b, 4 + 48 + 2 * 16 + 8 + 4);
	c->dst.offset = 4;
	memcpy(c->dims, dims, sizeof(dims));
	memcpy(c->src_strides, src_strides, sizeof(src_strides));
	memcpy(c->dst_strides, dst_strides, sizeof(dst_strides));
}

/*
 * Fills u with a valid command of this opcode whose operands are new
 * buffers of b; returns its size (0 for an unknown opcode).
 */
static inline uint32_t sb_valid_cmd(uint32_t op, struct t_bufs *b,
				    union sb_cmd *u)
{
	memset(u, 0, sizeof(*u));
	u->hdr.opcode = op;
	u->hdr.size = qaccel_cmd_size(op);
	switch (op) {
	case QACCEL_OP_CONV_2D:
		sb_conv(b, &u->conv);
		break;
	case QACCEL_OP_DEPTHWISE_CONV_2D:
		sb_dwconv(b, &u->dw);
		break;
	case QACCEL_OP_FULLY_CONNECTED:
		sb_fc(b, &u->fc);
		break;
	case QACCEL_OP_ADD:
	case QACCEL_OP_SUB:
	case QACCEL_OP_MUL:
		sb_binary(b, &u->bin);
		break;
	case QACCEL_OP_MAX_POOL_2D:
	case QACCEL_OP_AVERAGE_POOL_2D:
		sb_pool(b, &u->pool);
		break;
	case QACCEL_OP_LUT:
		t_tensor(b, &u->lut.input, 1, 2, 2, 2, 0);
		t_tensor(b, &u->lut.output, 1, 2, 2, 2, 0);
		u->lut.table.buf = t_buf_new(b, 256);
		break;
	case QACCEL_OP_SOFTMAX:
		t_tensor(b, &u->sm.input, 1, 1, 2, 5, 0);
		t_tensor(b, &u->sm.output, 1, 1, 2, 5, -128);
		u->sm.input_beta_multiplier = 1 << 30;
		u->sm.input_beta_left_shift = 20;
		u->sm.diff_min = -100;
		break;
	case QACCEL_OP_COPY:
		sb_copy(b, &u->copy);
		break;
	case QACCEL_OP_PAD:
		t_tensor(b, &u->pad.input, 1, 2, 2, 3, 0);
		t_tensor(b, &u->pad.output, 1, 4, 5, 3, 0);
		u->pad.before[1] = 1;
		u->pad.before[2] = 2;
		u->pad.pad_value = -7;
		break;
	case QACCEL_OP_MEAN:
		t_tensor(b, &u->mean.input, 1, 3, 3, 4, 2);
		t_tensor(b, &u->mean.output, 1, 1, 1, 4, -1);
		u->mean.qmul = t_qmul(-1, 0);
		u->mean.divisor = 9;
		u->mean.clamp = sb_clamp;
		break;
	case QACCEL_OP_REQUANTIZE:
		t_tensor(b, &u->rq.input, 1, 2, 2, 3, 4);
		t_tensor(b, &u->rq.output, 1, 2, 2, 3, -4);
		u->rq.qmul = t_qmul(-1, 1);
		u->rq.rounding = QACCEL_ROUND_SINGLE;
		break;
	case QACCEL_OP_SOFTMAX_F32:
		t_tensor(b, &u->smf.input, 1, 1, 2, 5, 0);
		t_tensor(b, &u->smf.output, 1, 1, 2, 5, -128);
		u->smf.exp_table.buf = t_buf_new(b, 256 * sizeof(uint32_t));
		u->smf.output_scale = 0x3b800000;	/* 1/256 */
		break;
	case QACCEL_OP_MEAN_F32:
		t_tensor(b, &u->meanf.input, 1, 3, 3, 4, 2);
		t_tensor(b, &u->meanf.output, 1, 1, 1, 4, -1);
		u->meanf.scale = 0x3f800000;		/* 1.0 */
		u->meanf.bias = 0x3f000000;		/* 0.5 */
		break;
	default:
		return 0;
	}
	return u->hdr.size;
}

/* A stream of `copies` copies of one command. */
static inline void sb_repeat(struct sb_stream *s, const union sb_cmd *c,
			     int copies)
{
	sb_init(s);
	for (int i = 0; i < copies; i++)
		sb_add(s, &c->hdr);
}

#endif /* QACCEL_TEST_STREAM_BUILDER_H */
