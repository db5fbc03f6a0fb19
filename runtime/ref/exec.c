// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * The executor: walks an accepted stream and dispatches each command to its
 * reference kernel. Opcode names and body sizes live here too, next to the
 * dispatch, so that one table grows when the ISA does.
 */
#include "qaccel_ref.h"

#define QACCEL_CHECK_CMD_SIZE(type) \
	static_assert(sizeof(type) % 8 == 0, #type " size not a multiple of 8")

QACCEL_CHECK_CMD_SIZE(struct qaccel_stream_header);
QACCEL_CHECK_CMD_SIZE(struct qaccel_cmd_conv2d);
QACCEL_CHECK_CMD_SIZE(struct qaccel_cmd_dwconv2d);
QACCEL_CHECK_CMD_SIZE(struct qaccel_cmd_fc);
QACCEL_CHECK_CMD_SIZE(struct qaccel_cmd_binary);
QACCEL_CHECK_CMD_SIZE(struct qaccel_cmd_pool2d);
QACCEL_CHECK_CMD_SIZE(struct qaccel_cmd_lut);
QACCEL_CHECK_CMD_SIZE(struct qaccel_cmd_softmax);
QACCEL_CHECK_CMD_SIZE(struct qaccel_cmd_copy);
QACCEL_CHECK_CMD_SIZE(struct qaccel_cmd_pad);
QACCEL_CHECK_CMD_SIZE(struct qaccel_cmd_mean);
QACCEL_CHECK_CMD_SIZE(struct qaccel_cmd_requantize);
QACCEL_CHECK_CMD_SIZE(struct qaccel_cmd_softmax_f32);
QACCEL_CHECK_CMD_SIZE(struct qaccel_cmd_mean_f32);

struct qaccel_opcode_desc {
	const char *name;
	u32 size;
};

static const struct qaccel_opcode_desc qaccel_opcodes[QACCEL_OP_COUNT] = {
	[QACCEL_OP_CONV_2D] = { "CONV_2D", sizeof(struct qaccel_cmd_conv2d) },
	[QACCEL_OP_DEPTHWISE_CONV_2D] = { "DEPTHWISE_CONV_2D",
					  sizeof(struct qaccel_cmd_dwconv2d) },
	[QACCEL_OP_FULLY_CONNECTED] = { "FULLY_CONNECTED",
					sizeof(struct qaccel_cmd_fc) },
	[QACCEL_OP_ADD] = { "ADD", sizeof(struct qaccel_cmd_binary) },
	[QACCEL_OP_SUB] = { "SUB", sizeof(struct qaccel_cmd_binary) },
	[QACCEL_OP_MUL] = { "MUL", sizeof(struct qaccel_cmd_binary) },
	[QACCEL_OP_MAX_POOL_2D] = { "MAX_POOL_2D",
				    sizeof(struct qaccel_cmd_pool2d) },
	[QACCEL_OP_AVERAGE_POOL_2D] = { "AVERAGE_POOL_2D",
					sizeof(struct qaccel_cmd_pool2d) },
	[QACCEL_OP_LUT] = { "LUT", sizeof(struct qaccel_cmd_lut) },
	[QACCEL_OP_SOFTMAX] = { "SOFTMAX", sizeof(struct qaccel_cmd_softmax) },
	[QACCEL_OP_COPY] = { "COPY", sizeof(struct qaccel_cmd_copy) },
	[QACCEL_OP_PAD] = { "PAD", sizeof(struct qaccel_cmd_pad) },
	[QACCEL_OP_MEAN] = { "MEAN", sizeof(struct qaccel_cmd_mean) },
	[QACCEL_OP_REQUANTIZE] = { "REQUANTIZE",
				   sizeof(struct qaccel_cmd_requantize) },
	[QACCEL_OP_SOFTMAX_F32] = { "SOFTMAX_F32",
				    sizeof(struct qaccel_cmd_softmax_f32) },
	[QACCEL_OP_MEAN_F32] = { "MEAN_F32", sizeof(struct qaccel_cmd_mean_f32) },
};

/**
 * qaccel_opcode_name() - name of an opcode
 * @opcode: enum qaccel_opcode value
 *
 * Return: "CONV_2D" and so on, or NULL for an unknown opcode.
 */
const char *qaccel_opcode_name(u32 opcode)
{
	return opcode < QACCEL_OP_COUNT ? qaccel_opcodes[opcode].name : NULL;
}

/**
 * qaccel_cmd_size() - exact size of a command with this opcode
 * @opcode: enum qaccel_opcode value
 *
 * Return: the size in bytes, header included, or 0 for an unknown opcode.
 */
u32 qaccel_cmd_size(u32 opcode)
{
	return opcode < QACCEL_OP_COUNT ? qaccel_opcodes[opcode].size : 0;
}

/**
 * qaccel_exec_cmd() - run one command of an accepted stream
 * @cmd: the command
 * @bufs: the submit's buffer table
 */
void qaccel_exec_cmd(const struct qaccel_cmd_header *cmd,
		     const struct qaccel_buf_view *bufs)
{
	const void *c = cmd;

	switch (cmd->opcode) {
	case QACCEL_OP_CONV_2D:
		qaccel_ref_conv2d(c, bufs);
		break;
	case QACCEL_OP_DEPTHWISE_CONV_2D:
		qaccel_ref_dwconv2d(c, bufs);
		break;
	case QACCEL_OP_FULLY_CONNECTED:
		qaccel_ref_fc(c, bufs);
		break;
	case QACCEL_OP_ADD:
	case QACCEL_OP_SUB:
	case QACCEL_OP_MUL:
		qaccel_ref_binary(c, bufs);
		break;
	case QACCEL_OP_MAX_POOL_2D:
	case QACCEL_OP_AVERAGE_POOL_2D:
		qaccel_ref_pool2d(c, bufs);
		break;
	case QACCEL_OP_LUT:
		qaccel_ref_lut(c, bufs);
		break;
	case QACCEL_OP_SOFTMAX:
		qaccel_ref_softmax(c, bufs);
		break;
	case QACCEL_OP_COPY:
		qaccel_ref_copy(c, bufs);
		break;
	case QACCEL_OP_PAD:
		qaccel_ref_pad(c, bufs);
		break;
	case QACCEL_OP_MEAN:
		qaccel_ref_mean(c, bufs);
		break;
	case QACCEL_OP_REQUANTIZE:
		qaccel_ref_requantize(c, bufs);
		break;
	case QACCEL_OP_SOFTMAX_F32:
		qaccel_ref_softmax_f32(c, bufs);
		break;
	case QACCEL_OP_MEAN_F32:
		qaccel_ref_mean_f32(c, bufs);
		break;
	default:
		/* Unreachable: the validator rejects unknown opcodes. */
		break;
	}
}

/**
 * qaccel_exec_stream() - run every command of an accepted stream in order
 * @stream: the stream, as validated
 * @bufs: the submit's buffer table
 * @should_stop: polled between commands, or NULL
 * @ctx: passed to @should_stop
 *
 * Return: 0, or -ECANCELED when @should_stop asked to stop early.
 */
int qaccel_exec_stream(const void *stream, const struct qaccel_buf_view *bufs,
		       bool (*should_stop)(void *ctx), void *ctx)
{
	const struct qaccel_stream_header *h = stream;
	const u8 *p = (const u8 *)stream + sizeof(*h);
	u32 i;

	for (i = 0; i < h->num_cmds; i++) {
		const struct qaccel_cmd_header *cmd = (const void *)p;

		if (should_stop && should_stop(ctx))
			return -ECANCELED;
		qaccel_exec_cmd(cmd, bufs);
		p += cmd->size;
	}
	return 0;
}
