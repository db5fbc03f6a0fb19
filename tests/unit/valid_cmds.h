/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * One small valid command of every opcode with exactly sized buffers, for
 * the validator tests and the fuzzer's seed corpus.
 */
#ifndef QACCEL_TEST_VALID_CMDS_H
#define QACCEL_TEST_VALID_CMDS_H

#include "cmd_util.h"

union t_any_cmd {
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

static inline void t_valid_requant(struct t_bufs *b, struct qaccel_requant *r,
				   uint32_t oc)
{
	struct qaccel_qmul *q;

	r->count = oc;
	r->params.buf = t_buf_new(b, oc * sizeof(*q));
	q = t_ptr(b, &r->params);
	for (uint32_t i = 0; i < oc; i++)
		q[i] = t_qmul(-8, -4);
}

/* Fills u with a valid command of this opcode; returns its size. */
static inline uint32_t t_valid_cmd(uint32_t op, struct t_bufs *b, union t_any_cmd *u)
{
	memset(u, 0, sizeof(*u));
	u->hdr.opcode = op;
	u->hdr.size = qaccel_cmd_size(op);
	switch (op) {
	case QACCEL_OP_CONV_2D:
		t_tensor(b, &u->conv.input, 1, 5, 5, 3, 1);
		t_tensor(b, &u->conv.filter, 4, 3, 3, 3, 0);
		t_tensor(b, &u->conv.output, 1, 3, 3, 4, -2);
		u->conv.bias.buf = t_buf_new(b, 16);
		t_valid_requant(b, &u->conv.requant, 4);
		u->conv.win = (struct qaccel_window){ 2, 2, 1, 1, 1, 1 };
		u->conv.clamp = (struct qaccel_clamp){ -128, 127 };
		break;
	case QACCEL_OP_DEPTHWISE_CONV_2D:
		t_tensor(b, &u->dw.input, 1, 5, 5, 2, 1);
		t_tensor(b, &u->dw.filter, 1, 3, 3, 4, 0);
		t_tensor(b, &u->dw.output, 1, 5, 5, 4, -2);
		u->dw.bias.buf = t_buf_new(b, 16);
		t_valid_requant(b, &u->dw.requant, 4);
		u->dw.win = (struct qaccel_window){ 1, 1, 1, 1, 1, 1 };
		u->dw.clamp = (struct qaccel_clamp){ -128, 127 };
		u->dw.depth_multiplier = 2;
		break;
	case QACCEL_OP_FULLY_CONNECTED:
		t_tensor(b, &u->fc.input, 1, 1, 2, 8, 1);
		t_tensor(b, &u->fc.filter, 1, 1, 3, 8, 0);
		t_tensor(b, &u->fc.output, 1, 1, 2, 3, 0);
		u->fc.bias.buf = t_buf_new(b, 12);
		t_valid_requant(b, &u->fc.requant, 3);
		u->fc.clamp = (struct qaccel_clamp){ -128, 127 };
		break;
	case QACCEL_OP_ADD:
	case QACCEL_OP_SUB:
	case QACCEL_OP_MUL:
		t_tensor(b, &u->bin.input1, 1, 2, 3, 4, 3);
		t_tensor(b, &u->bin.input2, 1, 1, 1, 4, -3);
		t_tensor(b, &u->bin.output, 1, 2, 3, 4, 0);
		u->bin.output_qmul = t_qmul(-20, -18);
		if (op != QACCEL_OP_MUL) {
			u->bin.input1_qmul = t_qmul(-1, 0);
			u->bin.input2_qmul = t_qmul(-1, 0);
			u->bin.left_shift = 20;
		}
		u->bin.clamp = (struct qaccel_clamp){ -128, 127 };
		break;
	case QACCEL_OP_MAX_POOL_2D:
	case QACCEL_OP_AVERAGE_POOL_2D:
		t_tensor(b, &u->pool.input, 1, 4, 4, 3, 5);
		t_tensor(b, &u->pool.output, 1, 2, 2, 3, 5);
		u->pool.filter_h = 2;
		u->pool.filter_w = 2;
		u->pool.win = (struct qaccel_window){ 2, 2, 1, 1, 1, 0 };
		u->pool.clamp = (struct qaccel_clamp){ -128, 127 };
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
		u->copy.src.buf = t_buf_new(b, 48);
		u->copy.dst.buf = t_buf_new(b, 96);
		/* [2, 3, 2, 4] from a dense source into a wider destination. */
		u->copy.dims[0] = 2;
		u->copy.dims[1] = 3;
		u->copy.dims[2] = 2;
		u->copy.dims[3] = 4;
		u->copy.src_strides[3] = 1;
		u->copy.src_strides[2] = 4;
		u->copy.src_strides[1] = 8;
		u->copy.src_strides[0] = 24;
		u->copy.dst_strides[3] = 1;
		u->copy.dst_strides[2] = 8;
		u->copy.dst_strides[1] = 16;
		u->copy.dst_strides[0] = 48;
		u->copy.dst.offset = 4;
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
		u->mean.clamp = (struct qaccel_clamp){ -128, 127 };
		break;
	case QACCEL_OP_REQUANTIZE:
		t_tensor(b, &u->rq.input, 1, 2, 2, 3, 4);
		t_tensor(b, &u->rq.output, 1, 2, 2, 3, -4);
		u->rq.qmul = t_qmul(-1, 1);
		break;
	case QACCEL_OP_SOFTMAX_F32:
		t_tensor(b, &u->smf.input, 1, 1, 2, 5, 0);
		t_tensor(b, &u->smf.output, 1, 1, 2, 5, -128);
		u->smf.exp_table.buf = t_buf_new(b, 1024);
		u->smf.output_scale = 0x3b800000;	/* 1/256 */
		break;
	case QACCEL_OP_MEAN_F32:
		t_tensor(b, &u->meanf.input, 1, 3, 3, 4, 2);
		t_tensor(b, &u->meanf.output, 1, 1, 1, 4, -1);
		u->meanf.scale = 0x3f800000;
		u->meanf.bias = 0x3f000000;
		break;
	}
	return u->hdr.size;
}

#endif /* QACCEL_TEST_VALID_CMDS_H */
