// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * The command-stream validator. It runs in the kernel on every submit and
 * in userspace before every submit. A stream it accepts runs on buffers of
 * the sizes given without any access outside them, whatever the buffers
 * hold (values the kernels read from buffers, such as multipliers, are made
 * safe by the kernels themselves), and in time bounded by the bytes the
 * buffers hold.
 *
 * Errors: -EINVAL a bad field, opcode, shape or alignment; -E2BIG a value
 * over one of the QACCEL_MAX_* limits; -EOVERFLOW a reference reaching past
 * its buffer, or a stream that ends before its header or commands do.
 * err->offset and err->cmd_index name the first bad command (0 and U32_MAX
 * for the stream header; the end of the last command and num_cmds for
 * trailing bytes); err->reason names the field. Each command is checked in
 * the order fields, shapes, memory, so a corrupted field is reported as
 * itself rather than as the overrun it would also cause.
 *
 * Rules (the list Documentation/isa.rst carries):
 *  1. Stream: non-NULL and 8-aligned (-EINVAL); stream_size at most
 *     QACCEL_MAX_STREAM_SIZE (-E2BIG) and at least the 32-byte header
 *     (-EOVERFLOW); num_bufs at most QACCEL_MAX_BUFFERS (-E2BIG); magic and
 *     version (-EINVAL); header size larger than stream_size (-EOVERFLOW:
 *     truncated), smaller (-EINVAL); num_cmds 0 (-EINVAL) or above
 *     QACCEL_MAX_CMDS (-E2BIG); flags and reserved 0 (-EINVAL).
 *  2. Commands: a command header or body past the end of the stream
 *     (-EOVERFLOW); opcode known (-EINVAL); size exactly
 *     qaccel_cmd_size(opcode) (-EINVAL); no bytes after the last command
 *     (-EINVAL).
 *  3. Tensors: every dim 1..QACCEL_MAX_DIM (0: -EINVAL, above: -E2BIG);
 *     zero point -128..127; reserved 0; N*H*W*C bytes inside the buffer.
 *  4. References: buf below num_bufs (-EINVAL, also for QACCEL_NO_BUFFER
 *     where the operand is not optional); int32 arrays (bias, requant
 *     params, exp_table) at 4-aligned offsets (-EINVAL); offset + extent
 *     <= buffer size in overflow-free 64-bit arithmetic (-EOVERFLOW). An
 *     absent bias (QACCEL_NO_BUFFER) has offset 0.
 *  5. Scalars: clamp -128 <= min <= max <= 127; qmul multiplier >= 0 and
 *     shift -31..30; rounding DOUBLE or SINGLE; reserved words 0.
 *  6. Windows (conv, dwconv, pools): sides 1..QACCEL_MAX_KERNEL_DIM
 *     (conv: filter dims[1], dims[2]; pools: filter_h, filter_w), strides
 *     1..QACCEL_MAX_STRIDE, dilations 1..QACCEL_MAX_DILATION and exactly 1
 *     for pools, pad_top < (KH - 1) * dilation_h + 1 and likewise pad_left.
 *     Output height and width are free (>= 1): taps outside the input are
 *     skipped, so every size is memory-safe; a window with no tap inside
 *     gives the bias (conv) or 0 (average pool) or -128 (max pool).
 *  7. CONV_2D: filter zero point 0; N equal; filter [OC, KH, KW, IC] with
 *     IC the input's and OC the output's; KH*KW*IC <= QACCEL_MAX_ACC_DEPTH
 *     (-E2BIG); requant count 1 or OC; bias OC int32s, params count qmuls.
 *  8. DEPTHWISE_CONV_2D: as CONV_2D, with filter [1, KH, KW, OC], OC =
 *     IC * depth_multiplier (>= 1), reserved 0.
 *  9. FULLY_CONNECTED: input [1, 1, B, K], filter [1, 1, OC, K], output
 *     [1, 1, B, OC], any filter zero point; K <= QACCEL_MAX_ACC_DEPTH.
 * 10. ADD, SUB, MUL: each input dim equals the output's or is 1. ADD/SUB:
 *     both input qmuls valid, left_shift 0..20. MUL: input qmuls all zero,
 *     left_shift 0. output_qmul valid.
 * 11. Pools: N and C equal, output zero point equals the input's.
 * 12. LUT, REQUANTIZE, SOFTMAX, SOFTMAX_F32: output dims equal the
 *     input's. LUT: 256-byte table. SOFTMAX: output zero point -128,
 *     input_beta_multiplier >= 0, input_beta_left_shift 0..30,
 *     -2^31 < diff_min <= 0. SOFTMAX_F32: 1024-byte 4-aligned exp_table,
 *     output_scale any bit pattern.
 * 13. COPY: dims 1..QACCEL_MAX_DIM; src extent sum((dim - 1) * stride) + 1
 *     and dst extent likewise inside their buffers; the element count at
 *     most the dst extent (no destination byte written twice, which bounds
 *     the work); same buffer: the two extents do not overlap (-EINVAL).
 *     Source strides may be 0 (broadcast).
 * 14. PAD: pad_value -128..127; input dim + before <= output dim for every
 *     dimension (after-padding implied); reserved 0.
 * 15. MEAN, MEAN_F32: output [N, 1, 1, C]; H*W <= QACCEL_MAX_POOL_COUNT
 *     (-E2BIG). MEAN: divisor 0 or 1..QACCEL_MAX_POOL_COUNT (-E2BIG above).
 *     MEAN_F32: scale and bias any bit pattern.
 * Operands may alias each other (e.g. LUT in place) except COPY's; the
 * result of aliasing is then defined by the kernels' loop order, and is
 * memory-safe either way.
 */
#include "validate.h"

static int v_header(struct qaccel_vctx *v, const void *stream,
		    u32 stream_size, u32 num_bufs)
{
	const struct qaccel_stream_header *h = stream;

	if (!stream || ((unsigned long)stream & 7))
		return qaccel_vfail(v, -EINVAL, "stream: not 8-byte aligned");
	if (stream_size > QACCEL_MAX_STREAM_SIZE)
		return qaccel_vfail(v, -E2BIG,
				    "stream: above QACCEL_MAX_STREAM_SIZE");
	if (stream_size < sizeof(*h))
		return qaccel_vfail(v, -EOVERFLOW,
				    "stream: shorter than its header");
	if (num_bufs > QACCEL_MAX_BUFFERS)
		return qaccel_vfail(v, -E2BIG,
				    "buffer table: above QACCEL_MAX_BUFFERS");
	if (h->magic != QACCEL_STREAM_MAGIC)
		return qaccel_vfail(v, -EINVAL, "magic: not QACCEL_STREAM_MAGIC");
	if (h->version != QACCEL_ISA_VERSION)
		return qaccel_vfail(v, -EINVAL, "version: not QACCEL_ISA_VERSION");
	if (h->size > stream_size)
		return qaccel_vfail(v, -EOVERFLOW,
				    "size: above the submitted size");
	if (h->size < stream_size)
		return qaccel_vfail(v, -EINVAL, "size: below the submitted size");
	if (!h->num_cmds)
		return qaccel_vfail(v, -EINVAL, "num_cmds: 0");
	if (h->num_cmds > QACCEL_MAX_CMDS)
		return qaccel_vfail(v, -E2BIG, "num_cmds: above QACCEL_MAX_CMDS");
	if (h->flags)
		return qaccel_vfail(v, -EINVAL, "flags: not 0");
	if (h->reserved[0] || h->reserved[1] || h->reserved[2])
		return qaccel_vfail(v, -EINVAL, "reserved: not 0");
	return 0;
}

/* Opcode and size of the command at @off, before its body is looked at. */
static int v_cmd_frame(struct qaccel_vctx *v, const u8 *stream,
		       u32 stream_size, u32 off)
{
	const struct qaccel_cmd_header *c = (const void *)(stream + off);
	u32 want;

	if (stream_size - off < sizeof(*c))
		return qaccel_vfail(v, -EOVERFLOW,
				    "command: header past the stream");
	want = qaccel_cmd_size(c->opcode);
	if (!want)
		return qaccel_vfail(v, -EINVAL, "opcode: unknown");
	if (c->size != want)
		return qaccel_vfail(v, -EINVAL, "size: not the opcode's");
	if (stream_size - off < want)
		return qaccel_vfail(v, -EOVERFLOW,
				    "command: body past the stream");
	return 0;
}

/**
 * qaccel_validate() - check a command stream against its buffer table
 * @stream: the stream, 8-byte aligned
 * @stream_size: bytes submitted
 * @buf_sizes: size of each buffer of the table
 * @num_bufs: entries in the table
 * @err: where and why a stream was rejected; may be NULL
 *
 * Return: 0 if the stream may be executed with buffers of these sizes,
 * otherwise -EINVAL, -E2BIG or -EOVERFLOW.
 */
int qaccel_validate(const void *stream, u32 stream_size, const u64 *buf_sizes,
		    u32 num_bufs, struct qaccel_validate_error *err)
{
	struct qaccel_vctx v = { .sizes = buf_sizes, .num_bufs = num_bufs };
	const struct qaccel_stream_header *h = stream;
	u32 off = 0, i = U32_MAX;
	int ret;

	ret = v_header(&v, stream, stream_size, num_bufs);
	if (ret)
		goto out;
	off = sizeof(*h);
	for (i = 0; i < h->num_cmds; i++) {
		const struct qaccel_cmd_header *c =
			(const void *)((const u8 *)stream + off);

		ret = v_cmd_frame(&v, stream, stream_size, off);
		if (ret)
			goto out;
		ret = qaccel_vcmd(&v, c);
		if (ret)
			goto out;
		off += c->size;
	}
	if (off != stream_size)
		ret = qaccel_vfail(&v, -EINVAL,
				   "stream: bytes after the last command");
out:
	if (ret && err) {
		err->offset = off;
		err->cmd_index = i;
		err->reason = v.reason;
	}
	return ret;
}
