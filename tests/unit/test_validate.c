// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * The command-stream validator (runtime/ref/validate*.c).
 *
 * - A valid command of every opcode is accepted and runs cleanly (ASan).
 * - Every 32-bit word of every command is corrupted in turn with values a
 *   table gives for that field, and must be rejected with the errno the
 *   table expects, at the offset and index of the corrupted command (the
 *   second of the stream). The table must cover every word: a field added
 *   to a struct without a row here fails the test.
 * - Truncation at every length, zero length, trailing bytes, every buffer
 *   one byte short, 64-bit extent arithmetic, misaligned int32 arrays,
 *   overlapping copies, bad stream headers and the shape limits.
 */
#include "kselftest_harness.h"
#include "stream_builder.h"

#define HDR SB_HDR_SIZE
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Field kinds: each expands to a list of (bad value, expected errno). */
enum f_kind {
	F_CMD_HDR,	/* opcode, size */
	F_TENSOR,	/* ref.buf, ref.offset, dims[4], zero_point, reserved */
	F_QMUL,		/* multiplier, shift */
	F_CLAMP,	/* min, max (valid clamps are -120..120) */
	F_ROUNDING,
	F_RESERVED,
	F_REF1,		/* byte array reference */
	F_REF4,		/* int32 array reference */
	F_OPT_REF4,	/* optional int32 array (bias) */
	F_WINDOW_CONV,	/* strides, dilations, padding */
	F_WINDOW_POOL,
	F_ANY,		/* every value is legal (binary32 constants) */
	F_VALUE,	/* one explicit (word, value, errno) row */
};

struct field {
	uint32_t ops;	/* mask of opcodes (1 << op) the row applies to */
	enum f_kind kind;
	uint32_t off;	/* byte offset in the command */
	uint32_t word;	/* F_VALUE: word offset added to off */
	uint32_t value;	/* F_VALUE */
	int err;	/* F_VALUE */
};

struct bad {
	uint32_t word;	/* byte offset of the word from the field's start */
	uint32_t value;
	int err;
};

#define OFF(type, m) ((uint32_t)offsetof(struct type, m))
#define ROW(o, k, type, m) { o, k, OFF(type, m), 0, 0, 0 }
#define VAL(o, type, m, v, e) { o, F_VALUE, OFF(type, m), 0, (uint32_t)(v), e }

#define MAXD (QACCEL_MAX_DIM + 1)

static const struct bad bad_cmd_hdr[] = {
	{ 0, 0, -EINVAL }, { 0, QACCEL_OP_COUNT, -EINVAL },
	{ 0, 0xffffffff, -EINVAL },
	{ 4, 0, -EINVAL }, { 4, 0xffffffff, -EINVAL },
};

static const struct bad bad_tensor[] = {
	{ 0, 200, -EINVAL }, { 0, QACCEL_NO_BUFFER, -EINVAL },
	{ 4, 1, -EOVERFLOW }, { 4, 0xffffffff, -EOVERFLOW },
	{ 8, 0, -EINVAL }, { 8, MAXD, -E2BIG }, { 8, 0xffffffff, -E2BIG },
	{ 12, 0, -EINVAL }, { 12, MAXD, -E2BIG },
	{ 16, 0, -EINVAL }, { 16, MAXD, -E2BIG },
	{ 20, 0, -EINVAL }, { 20, MAXD, -E2BIG }, { 20, 0x80000000, -E2BIG },
	{ 24, 128, -EINVAL }, { 24, (uint32_t)-129, -EINVAL },
	{ 24, 0x80000000, -EINVAL },
	{ 28, 1, -EINVAL }, { 28, 0x80000000, -EINVAL },
};

static const struct bad bad_qmul[] = {
	{ 0, (uint32_t)-1, -EINVAL }, { 0, 0x80000000, -EINVAL },
	{ 4, 31, -EINVAL }, { 4, (uint32_t)-32, -EINVAL },
	{ 4, 0x7fffffff, -EINVAL },
};

static const struct bad bad_clamp[] = {
	{ 0, (uint32_t)-129, -EINVAL }, { 0, 128, -EINVAL },
	{ 0, 121, -EINVAL },	/* min above max */
	{ 4, 128, -EINVAL }, { 4, (uint32_t)-129, -EINVAL },
	{ 4, (uint32_t)-121, -EINVAL },
};

static const struct bad bad_rounding[] = {
	{ 0, 2, -EINVAL }, { 0, 0xffffffff, -EINVAL },
};

static const struct bad bad_reserved[] = {
	{ 0, 1, -EINVAL }, { 0, 0x80000000, -EINVAL },
};

static const struct bad bad_ref1[] = {
	{ 0, 200, -EINVAL }, { 0, QACCEL_NO_BUFFER, -EINVAL },
	{ 4, 0x100, -EOVERFLOW }, { 4, 0xffffffff, -EOVERFLOW },
};

static const struct bad bad_ref4[] = {
	{ 0, 200, -EINVAL }, { 0, QACCEL_NO_BUFFER, -EINVAL },
	{ 4, 2, -EINVAL }, { 4, 4, -EOVERFLOW }, { 4, 0xfffffffc, -EOVERFLOW },
};

/* buf QACCEL_NO_BUFFER is legal for a bias. */
static const struct bad bad_opt_ref4[] = {
	{ 0, 200, -EINVAL }, { 4, 2, -EINVAL }, { 4, 4, -EOVERFLOW },
};

static const struct bad bad_window_conv[] = {
	{ 0, 0, -EINVAL }, { 0, 65, -E2BIG }, { 4, 0, -EINVAL },
	{ 4, 0xffffffff, -E2BIG }, { 8, 0, -EINVAL }, { 8, 65, -E2BIG },
	{ 12, 0, -EINVAL }, { 12, 0xffffffff, -E2BIG },
	{ 16, 3, -EINVAL }, { 16, 0xffffffff, -EINVAL },
	{ 20, 3, -EINVAL }, { 20, 0x80000000, -EINVAL },
};

static const struct bad bad_window_pool[] = {
	{ 0, 0, -EINVAL }, { 0, 65, -E2BIG }, { 4, 0, -EINVAL },
	{ 4, 0xffffffff, -E2BIG }, { 8, 2, -EINVAL }, { 8, 0, -EINVAL },
	{ 12, 2, -EINVAL }, { 12, 0xffffffff, -EINVAL },
	{ 16, 2, -EINVAL }, { 16, 0xffffffff, -EINVAL },
	{ 20, 3, -EINVAL }, { 20, 0x80000000, -EINVAL },
};

#define C QACCEL_OP_CONV_2D
#define D QACCEL_OP_DEPTHWISE_CONV_2D
#define F QACCEL_OP_FULLY_CONNECTED
#define A QACCEL_OP_ADD
#define S QACCEL_OP_SUB
#define M QACCEL_OP_MUL
#define PM QACCEL_OP_MAX_POOL_2D
#define PA QACCEL_OP_AVERAGE_POOL_2D
#define B(op) (1u << (op))
#define BIN (B(A) | B(S) | B(M))
#define POOL (B(PM) | B(PA))
#define ALL 0xffffffffu

/* The command layouts, field by field, and the shape rules. */
static const struct field fields[] = {
	/* Every command starts with its header. */
	{ ALL, F_CMD_HDR, 0, 0, 0, 0 },

	/* CONV_2D: in [1,5,5,3], filter [4,3,3,3], out [1,3,3,4]. */
	ROW(B(C), F_TENSOR, qaccel_cmd_conv2d, input),
	ROW(B(C), F_TENSOR, qaccel_cmd_conv2d, filter),
	ROW(B(C), F_TENSOR, qaccel_cmd_conv2d, output),
	ROW(B(C), F_OPT_REF4, qaccel_cmd_conv2d, bias),
	ROW(B(C), F_REF4, qaccel_cmd_conv2d, requant.params),
	VAL(B(C), qaccel_cmd_conv2d, requant.count, 2, -EINVAL),
	VAL(B(C), qaccel_cmd_conv2d, requant.count, 0, -EINVAL),
	ROW(B(C), F_ROUNDING, qaccel_cmd_conv2d, requant.rounding),
	ROW(B(C), F_WINDOW_CONV, qaccel_cmd_conv2d, win),
	ROW(B(C), F_CLAMP, qaccel_cmd_conv2d, clamp),
	VAL(B(C), qaccel_cmd_conv2d, filter.zero_point, 1, -EINVAL),
	VAL(B(C), qaccel_cmd_conv2d, output.dims[0], 2, -EINVAL),
	VAL(B(C), qaccel_cmd_conv2d, input.dims[3], 4, -EINVAL),
	VAL(B(C), qaccel_cmd_conv2d, filter.dims[0], 5, -EINVAL),
	VAL(B(C), qaccel_cmd_conv2d, filter.dims[1], 65, -E2BIG),
	VAL(B(C), qaccel_cmd_conv2d, filter.dims[2], 65, -E2BIG),
	VAL(B(C), qaccel_cmd_conv2d, output.dims[3], 5, -EINVAL),

	/* DEPTHWISE: in [1,5,5,2], filter [1,3,3,4], out [1,5,5,4], x2. */
	ROW(B(D), F_TENSOR, qaccel_cmd_dwconv2d, input),
	ROW(B(D), F_TENSOR, qaccel_cmd_dwconv2d, filter),
	ROW(B(D), F_TENSOR, qaccel_cmd_dwconv2d, output),
	ROW(B(D), F_OPT_REF4, qaccel_cmd_dwconv2d, bias),
	ROW(B(D), F_REF4, qaccel_cmd_dwconv2d, requant.params),
	VAL(B(D), qaccel_cmd_dwconv2d, requant.count, 2, -EINVAL),
	ROW(B(D), F_ROUNDING, qaccel_cmd_dwconv2d, requant.rounding),
	ROW(B(D), F_WINDOW_CONV, qaccel_cmd_dwconv2d, win),
	ROW(B(D), F_CLAMP, qaccel_cmd_dwconv2d, clamp),
	VAL(B(D), qaccel_cmd_dwconv2d, depth_multiplier, 0, -EINVAL),
	VAL(B(D), qaccel_cmd_dwconv2d, depth_multiplier, 3, -EINVAL),
	VAL(B(D), qaccel_cmd_dwconv2d, depth_multiplier, 0x80000000, -EINVAL),
	ROW(B(D), F_RESERVED, qaccel_cmd_dwconv2d, reserved),
	VAL(B(D), qaccel_cmd_dwconv2d, filter.zero_point, -1, -EINVAL),
	VAL(B(D), qaccel_cmd_dwconv2d, filter.dims[0], 4, -EINVAL),
	VAL(B(D), qaccel_cmd_dwconv2d, filter.dims[3], 2, -EINVAL),
	VAL(B(D), qaccel_cmd_dwconv2d, input.dims[0], 2, -EINVAL),
	VAL(B(D), qaccel_cmd_dwconv2d, filter.dims[1], 65, -E2BIG),

	/* FULLY_CONNECTED: in [1,1,2,8], filter [1,1,3,8], out [1,1,2,3]. */
	ROW(B(F), F_TENSOR, qaccel_cmd_fc, input),
	ROW(B(F), F_TENSOR, qaccel_cmd_fc, filter),
	ROW(B(F), F_TENSOR, qaccel_cmd_fc, output),
	ROW(B(F), F_OPT_REF4, qaccel_cmd_fc, bias),
	ROW(B(F), F_REF4, qaccel_cmd_fc, requant.params),
	VAL(B(F), qaccel_cmd_fc, requant.count, 2, -EINVAL),
	ROW(B(F), F_ROUNDING, qaccel_cmd_fc, requant.rounding),
	ROW(B(F), F_CLAMP, qaccel_cmd_fc, clamp),
	VAL(B(F), qaccel_cmd_fc, input.dims[0], 2, -EINVAL),
	VAL(B(F), qaccel_cmd_fc, input.dims[1], 2, -EINVAL),
	VAL(B(F), qaccel_cmd_fc, filter.dims[0], 2, -EINVAL),
	VAL(B(F), qaccel_cmd_fc, filter.dims[1], 2, -EINVAL),
	VAL(B(F), qaccel_cmd_fc, filter.dims[2], 4, -EINVAL),
	VAL(B(F), qaccel_cmd_fc, filter.dims[3], 7, -EINVAL),
	VAL(B(F), qaccel_cmd_fc, output.dims[0], 2, -EINVAL),
	VAL(B(F), qaccel_cmd_fc, output.dims[1], 2, -EINVAL),
	VAL(B(F), qaccel_cmd_fc, output.dims[2], 1, -EINVAL),

	/* ADD, SUB, MUL: in1 [1,2,3,4], in2 [1,1,1,4], out [1,2,3,4]. */
	ROW(BIN, F_TENSOR, qaccel_cmd_binary, input1),
	ROW(BIN, F_TENSOR, qaccel_cmd_binary, input2),
	ROW(BIN, F_TENSOR, qaccel_cmd_binary, output),
	ROW(BIN, F_QMUL, qaccel_cmd_binary, input1_qmul),
	ROW(BIN, F_QMUL, qaccel_cmd_binary, input2_qmul),
	ROW(BIN, F_QMUL, qaccel_cmd_binary, output_qmul),
	ROW(BIN, F_ROUNDING, qaccel_cmd_binary, rounding),
	ROW(BIN, F_CLAMP, qaccel_cmd_binary, clamp),
	VAL(B(A), qaccel_cmd_binary, left_shift, 21, -EINVAL),
	VAL(B(S), qaccel_cmd_binary, left_shift, 0xffffffff, -EINVAL),
	VAL(B(M), qaccel_cmd_binary, left_shift, 1, -EINVAL),
	VAL(B(M), qaccel_cmd_binary, input1_qmul.multiplier, 1 << 30, -EINVAL),
	VAL(B(M), qaccel_cmd_binary, input2_qmul.shift, -1, -EINVAL),
	VAL(BIN, qaccel_cmd_binary, input2.dims[3], 2, -EINVAL),
	VAL(BIN, qaccel_cmd_binary, input1.dims[1], 3, -EINVAL),
	VAL(BIN, qaccel_cmd_binary, output.dims[3], 2, -EINVAL),

	/* Pools: in [1,4,4,3], out [1,2,2,3], window 2x3, zero point 5. */
	ROW(POOL, F_TENSOR, qaccel_cmd_pool2d, input),
	ROW(POOL, F_TENSOR, qaccel_cmd_pool2d, output),
	VAL(POOL, qaccel_cmd_pool2d, filter_h, 0, -EINVAL),
	VAL(POOL, qaccel_cmd_pool2d, filter_h, 65, -E2BIG),
	VAL(POOL, qaccel_cmd_pool2d, filter_w, 0, -EINVAL),
	VAL(POOL, qaccel_cmd_pool2d, filter_w, 0xffffffff, -E2BIG),
	ROW(POOL, F_WINDOW_POOL, qaccel_cmd_pool2d, win),
	ROW(POOL, F_CLAMP, qaccel_cmd_pool2d, clamp),
	VAL(POOL, qaccel_cmd_pool2d, output.zero_point, 6, -EINVAL),
	VAL(POOL, qaccel_cmd_pool2d, output.dims[0], 2, -EINVAL),
	VAL(POOL, qaccel_cmd_pool2d, output.dims[3], 2, -EINVAL),

	/* LUT: [1,2,2,2] both. */
	ROW(B(QACCEL_OP_LUT), F_TENSOR, qaccel_cmd_lut, input),
	ROW(B(QACCEL_OP_LUT), F_TENSOR, qaccel_cmd_lut, output),
	ROW(B(QACCEL_OP_LUT), F_REF1, qaccel_cmd_lut, table),
	VAL(B(QACCEL_OP_LUT), qaccel_cmd_lut, output.dims[2], 1, -EINVAL),

	/* SOFTMAX: [1,1,2,5] both. */
	ROW(B(QACCEL_OP_SOFTMAX), F_TENSOR, qaccel_cmd_softmax, input),
	ROW(B(QACCEL_OP_SOFTMAX), F_TENSOR, qaccel_cmd_softmax, output),
	VAL(B(QACCEL_OP_SOFTMAX), qaccel_cmd_softmax, output.zero_point, -127,
	    -EINVAL),
	VAL(B(QACCEL_OP_SOFTMAX), qaccel_cmd_softmax, output.dims[3], 4, -EINVAL),
	VAL(B(QACCEL_OP_SOFTMAX), qaccel_cmd_softmax, input_beta_multiplier, -1,
	    -EINVAL),
	VAL(B(QACCEL_OP_SOFTMAX), qaccel_cmd_softmax, input_beta_left_shift, -1,
	    -EINVAL),
	VAL(B(QACCEL_OP_SOFTMAX), qaccel_cmd_softmax, input_beta_left_shift, 32,
	    -EINVAL),
	VAL(B(QACCEL_OP_SOFTMAX), qaccel_cmd_softmax, diff_min, 1, -EINVAL),
	VAL(B(QACCEL_OP_SOFTMAX), qaccel_cmd_softmax, diff_min, INT32_MIN,
	    -EINVAL),
	ROW(B(QACCEL_OP_SOFTMAX), F_ROUNDING, qaccel_cmd_softmax, rounding),

	/* COPY: [2,3,2,4], dense 48-byte source, dst at offset 4. */
	ROW(B(QACCEL_OP_COPY), F_REF1, qaccel_cmd_copy, src),
	ROW(B(QACCEL_OP_COPY), F_REF1, qaccel_cmd_copy, dst),
	VAL(B(QACCEL_OP_COPY), qaccel_cmd_copy, dims[0], 0, -EINVAL),
	VAL(B(QACCEL_OP_COPY), qaccel_cmd_copy, dims[0], MAXD, -E2BIG),
	VAL(B(QACCEL_OP_COPY), qaccel_cmd_copy, dims[1], 0, -EINVAL),
	VAL(B(QACCEL_OP_COPY), qaccel_cmd_copy, dims[1], 4, -EOVERFLOW),
	VAL(B(QACCEL_OP_COPY), qaccel_cmd_copy, dims[2], 0xffffffff, -E2BIG),
	VAL(B(QACCEL_OP_COPY), qaccel_cmd_copy, dims[3], 0, -EINVAL),
	VAL(B(QACCEL_OP_COPY), qaccel_cmd_copy, dims[3], 5, -EOVERFLOW),
	VAL(B(QACCEL_OP_COPY), qaccel_cmd_copy, src_strides[0], 25, -EOVERFLOW),
	VAL(B(QACCEL_OP_COPY), qaccel_cmd_copy, src_strides[1], 0xffffffff,
	    -EOVERFLOW),
	VAL(B(QACCEL_OP_COPY), qaccel_cmd_copy, src_strides[2], 9, -EOVERFLOW),
	VAL(B(QACCEL_OP_COPY), qaccel_cmd_copy, src_strides[3], 2, -EOVERFLOW),
	VAL(B(QACCEL_OP_COPY), qaccel_cmd_copy, dst_strides[0], 49, -EOVERFLOW),
	VAL(B(QACCEL_OP_COPY), qaccel_cmd_copy, dst_strides[1], 17, -EOVERFLOW),
	VAL(B(QACCEL_OP_COPY), qaccel_cmd_copy, dst_strides[2], 0x80000000,
	    -EOVERFLOW),
	VAL(B(QACCEL_OP_COPY), qaccel_cmd_copy, dst_strides[3], 2, -EOVERFLOW),

	/* PAD: [1,2,2,3] to [1,4,5,3], before [0,1,2,0]. */
	ROW(B(QACCEL_OP_PAD), F_TENSOR, qaccel_cmd_pad, input),
	ROW(B(QACCEL_OP_PAD), F_TENSOR, qaccel_cmd_pad, output),
	VAL(B(QACCEL_OP_PAD), qaccel_cmd_pad, before[0], 1, -EINVAL),
	VAL(B(QACCEL_OP_PAD), qaccel_cmd_pad, before[1], 3, -EINVAL),
	VAL(B(QACCEL_OP_PAD), qaccel_cmd_pad, before[2], 0xffffffff, -EINVAL),
	VAL(B(QACCEL_OP_PAD), qaccel_cmd_pad, before[3], 1, -EINVAL),
	VAL(B(QACCEL_OP_PAD), qaccel_cmd_pad, pad_value, 128, -EINVAL),
	VAL(B(QACCEL_OP_PAD), qaccel_cmd_pad, pad_value, -129, -EINVAL),
	ROW(B(QACCEL_OP_PAD), F_RESERVED, qaccel_cmd_pad, reserved),
	VAL(B(QACCEL_OP_PAD), qaccel_cmd_pad, output.dims[2], 3, -EINVAL),

	/* MEAN: [1,3,3,4] to [1,1,1,4]. */
	ROW(B(QACCEL_OP_MEAN), F_TENSOR, qaccel_cmd_mean, input),
	ROW(B(QACCEL_OP_MEAN), F_TENSOR, qaccel_cmd_mean, output),
	ROW(B(QACCEL_OP_MEAN), F_QMUL, qaccel_cmd_mean, qmul),
	VAL(B(QACCEL_OP_MEAN), qaccel_cmd_mean, divisor,
	    QACCEL_MAX_POOL_COUNT + 1, -E2BIG),
	VAL(B(QACCEL_OP_MEAN), qaccel_cmd_mean, divisor, 0xffffffff, -E2BIG),
	ROW(B(QACCEL_OP_MEAN), F_ROUNDING, qaccel_cmd_mean, rounding),
	ROW(B(QACCEL_OP_MEAN), F_CLAMP, qaccel_cmd_mean, clamp),
	VAL(B(QACCEL_OP_MEAN), qaccel_cmd_mean, output.dims[1], 3, -EINVAL),
	VAL(B(QACCEL_OP_MEAN), qaccel_cmd_mean, output.dims[3], 2, -EINVAL),

	/* REQUANTIZE: [1,2,2,3] both. */
	ROW(B(QACCEL_OP_REQUANTIZE), F_TENSOR, qaccel_cmd_requantize, input),
	ROW(B(QACCEL_OP_REQUANTIZE), F_TENSOR, qaccel_cmd_requantize, output),
	ROW(B(QACCEL_OP_REQUANTIZE), F_QMUL, qaccel_cmd_requantize, qmul),
	ROW(B(QACCEL_OP_REQUANTIZE), F_ROUNDING, qaccel_cmd_requantize,
	    rounding),
	ROW(B(QACCEL_OP_REQUANTIZE), F_RESERVED, qaccel_cmd_requantize, reserved),
	VAL(B(QACCEL_OP_REQUANTIZE), qaccel_cmd_requantize, input.dims[1], 1,
	    -EINVAL),

	/* SOFTMAX_F32: [1,1,2,5] both, 1024-byte table. */
	ROW(B(QACCEL_OP_SOFTMAX_F32), F_TENSOR, qaccel_cmd_softmax_f32, input),
	ROW(B(QACCEL_OP_SOFTMAX_F32), F_TENSOR, qaccel_cmd_softmax_f32, output),
	ROW(B(QACCEL_OP_SOFTMAX_F32), F_REF4, qaccel_cmd_softmax_f32, exp_table),
	ROW(B(QACCEL_OP_SOFTMAX_F32), F_ANY, qaccel_cmd_softmax_f32,
	    output_scale),
	ROW(B(QACCEL_OP_SOFTMAX_F32), F_RESERVED, qaccel_cmd_softmax_f32,
	    reserved),
	VAL(B(QACCEL_OP_SOFTMAX_F32), qaccel_cmd_softmax_f32, output.dims[0], 2,
	    -EINVAL),

	/* MEAN_F32: [1,3,3,4] to [1,1,1,4]. */
	ROW(B(QACCEL_OP_MEAN_F32), F_TENSOR, qaccel_cmd_mean_f32, input),
	ROW(B(QACCEL_OP_MEAN_F32), F_TENSOR, qaccel_cmd_mean_f32, output),
	ROW(B(QACCEL_OP_MEAN_F32), F_ANY, qaccel_cmd_mean_f32, scale),
	ROW(B(QACCEL_OP_MEAN_F32), F_ANY, qaccel_cmd_mean_f32, bias),
	VAL(B(QACCEL_OP_MEAN_F32), qaccel_cmd_mean_f32, output.dims[2], 3,
	    -EINVAL),
};

/* The (word, value, errno) list of a row, as one array. */
static const struct bad *row_bads(const struct field *f, size_t *n,
				  struct bad *one)
{
#define LIST(a) do { *n = ARRAY_LEN(a); return a; } while (0)
	switch (f->kind) {
	case F_CMD_HDR: LIST(bad_cmd_hdr);
	case F_TENSOR: LIST(bad_tensor);
	case F_QMUL: LIST(bad_qmul);
	case F_CLAMP: LIST(bad_clamp);
	case F_ROUNDING: LIST(bad_rounding);
	case F_RESERVED: LIST(bad_reserved);
	case F_REF1: LIST(bad_ref1);
	case F_REF4: LIST(bad_ref4);
	case F_OPT_REF4: LIST(bad_opt_ref4);
	case F_WINDOW_CONV: LIST(bad_window_conv);
	case F_WINDOW_POOL: LIST(bad_window_pool);
	case F_ANY:
		*n = 0;
		return NULL;
	case F_VALUE:
		break;
	}
#undef LIST
	one->word = 0;
	one->value = f->value;
	one->err = f->err;
	*n = 1;
	return one;
}

/* Bytes of a row's field that F_ANY declares free, or its first word. */
static uint32_t row_span(const struct field *f)
{
	switch (f->kind) {
	case F_TENSOR: return sizeof(struct qaccel_tensor);
	case F_QMUL: case F_CLAMP: case F_REF1: case F_REF4: case F_OPT_REF4:
		return 8;
	case F_WINDOW_CONV: case F_WINDOW_POOL:
		return sizeof(struct qaccel_window);
	case F_CMD_HDR:
		return sizeof(struct qaccel_cmd_header);
	default:
		return 4;
	}
}

TEST(valid_commands_pass_and_run)
{
	t_seed_init(40);
	for (uint32_t op = 1; op < QACCEL_OP_COUNT; op++) {
		struct t_bufs b = { 0 };
		struct qaccel_validate_error e = { 0 };
		union sb_cmd c;
		struct sb_stream s;
		int r;

		ASSERT_NE(sb_valid_cmd(op, &b, &c), 0u);
		sb_repeat(&s, &c, 3);
		r = sb_validate(&s, &b, &e);
		if (r)
			printf("# %s rejected: %s\n", qaccel_opcode_name(op),
			       e.reason);
		fflush(stdout);
		ASSERT_EQ(r, 0);
		ASSERT_EQ(qaccel_exec_stream(s.mem, b.v, NULL, NULL), 0);
		sb_free(&s);
		t_bufs_free(&b);
	}
}

/* Corrupts one word of the second command of [valid, corrupted]. */
static int corrupt_second(const union sb_cmd *c, const struct t_bufs *b,
			  uint32_t off, uint32_t value,
			  struct qaccel_validate_error *e)
{
	union sb_cmd m = *c;
	struct sb_stream s;
	int r;

	memcpy((uint8_t *)&m + off, &value, 4);
	sb_init(&s);
	sb_add(&s, &c->hdr);
	sb_add_bytes(&s, &m, c->hdr.size);
	r = sb_validate(&s, b, e);
	sb_free(&s);
	return r;
}

TEST(every_field_corrupted_is_rejected_with_its_errno)
{
	int failures = 0;
	size_t cases = 0;

	t_seed_init(41);
	for (uint32_t op = 1; op < QACCEL_OP_COUNT; op++) {
		struct t_bufs b = { 0 };
		union sb_cmd c;
		uint32_t size = sb_valid_cmd(op, &b, &c);
		uint8_t covered[sizeof(union sb_cmd) / 4] = { 0 };

		for (size_t k = 0; k < ARRAY_LEN(fields); k++) {
			const struct field *f = &fields[k];
			struct bad one;
			const struct bad *bads;
			size_t n;

			if (!(f->ops & B(op)))
				continue;
			bads = row_bads(f, &n, &one);
			if (f->kind == F_ANY)
				for (uint32_t w = 0; w < row_span(f); w += 4)
					covered[(f->off + w) / 4] = 1;
			for (size_t i = 0; i < n; i++) {
				struct qaccel_validate_error e = { 0 };
				uint32_t off = f->off + bads[i].word;
				int r;

				ASSERT_LT(off + 4, size + 1);
				covered[off / 4] = 1;
				r = corrupt_second(&c, &b, off, bads[i].value, &e);
				cases++;
				if (r == bads[i].err && e.offset == HDR + size &&
				    e.cmd_index == 1 && e.reason)
					continue;
				printf("# %s byte %u = 0x%x: got %d at %u/%u (%s), want %d\n",
				       qaccel_opcode_name(op), off, bads[i].value,
				       r, e.offset, e.cmd_index,
				       e.reason ? e.reason : "-", bads[i].err);
				failures++;
			}
		}
		for (uint32_t w = 0; w < size / 4; w++) {
			if (covered[w])
				continue;
			printf("# %s: no row corrupts byte %u\n",
			       qaccel_opcode_name(op), w * 4);
			failures++;
		}
		t_bufs_free(&b);
	}
	printf("# %zu corruptions checked\n", cases);
	fflush(stdout);
	ASSERT_EQ(failures, 0);
	ASSERT_GT(cases, 300u);
}

/* The F_ANY words really take any value, and stay executable. */
TEST(binary32_constants_take_any_value)
{
	static const uint32_t vals[] = { 0, 0x7f800000, 0xff800000, 0x7fc00001,
					 0x80000000, 0x00000001, 0xffffffff };

	t_seed_init(47);
	for (size_t k = 0; k < ARRAY_LEN(fields); k++) {
		const struct field *f = &fields[k];
		uint32_t op;

		if (f->kind != F_ANY)
			continue;
		op = (uint32_t)__builtin_ctz(f->ops);
		for (size_t i = 0; i < ARRAY_LEN(vals); i++) {
			struct t_bufs b = { 0 };
			union sb_cmd c;
			struct sb_stream s;

			sb_valid_cmd(op, &b, &c);
			memcpy((uint8_t *)&c + f->off, &vals[i], 4);
			sb_repeat(&s, &c, 1);
			ASSERT_EQ(sb_validate(&s, &b, NULL), 0);
			ASSERT_EQ(qaccel_exec_stream(s.mem, b.v, NULL, NULL), 0);
			sb_free(&s);
			t_bufs_free(&b);
		}
	}
}

TEST(each_buffer_one_byte_short)
{
	t_seed_init(42);
	for (uint32_t op = 1; op < QACCEL_OP_COUNT; op++) {
		struct t_bufs b = { 0 };
		union sb_cmd c;
		struct sb_stream s;
		struct qaccel_validate_error e;

		sb_valid_cmd(op, &b, &c);
		sb_repeat(&s, &c, 2);
		for (uint32_t i = 0; i < b.n; i++) {
			b.sizes[i]--;
			ASSERT_EQ(sb_validate(&s, &b, &e), -EOVERFLOW);
			ASSERT_EQ(e.offset, HDR);
			ASSERT_EQ(e.cmd_index, 0u);
			b.sizes[i]++;
		}
		/* A table one entry short leaves an operand without a buffer. */
		b.n--;
		ASSERT_EQ(sb_validate(&s, &b, NULL), -EINVAL);
		b.n++;
		sb_free(&s);
		t_bufs_free(&b);
	}
}

TEST(truncated_at_every_length)
{
	t_seed_init(43);
	for (uint32_t op = 1; op < QACCEL_OP_COUNT; op++) {
		struct t_bufs b = { 0 };
		union sb_cmd c;
		struct sb_stream s;
		struct qaccel_stream_header *h;
		uint32_t size = sb_valid_cmd(op, &b, &c), full;

		sb_repeat(&s, &c, 2);
		h = sb_header(&s);
		full = s.size;
		for (uint32_t len = 0; len < full; len++) {
			struct qaccel_validate_error e = { 0 };

			/* As cut: the header claims more than was submitted. */
			ASSERT_EQ(qaccel_validate(s.mem, len, b.sizes, b.n, &e),
				  -EOVERFLOW);
			ASSERT_EQ(e.offset, 0u);
			ASSERT_EQ(e.cmd_index, UINT32_MAX);
			if (len < HDR)
				continue;
			/* Header agreeing: the cut command is past the end. */
			h->size = len;
			ASSERT_EQ(qaccel_validate(s.mem, len, b.sizes, b.n, &e),
				  -EOVERFLOW);
			ASSERT_EQ(e.cmd_index, len < HDR + size ? 0u : 1u);
			ASSERT_EQ(e.offset, len < HDR + size ? HDR : HDR + size);
			h->size = full;
		}
		ASSERT_EQ(qaccel_validate(s.mem, full, b.sizes, b.n, NULL), 0);
		sb_free(&s);
		t_bufs_free(&b);
	}
}

TEST(zero_length_and_trailing_bytes)
{
	struct t_bufs b = { 0 };
	union sb_cmd c;
	struct sb_stream s;
	struct qaccel_validate_error e;
	struct qaccel_stream_header *h;
	uint32_t full;

	t_seed_init(44);
	sb_valid_cmd(QACCEL_OP_LUT, &b, &c);
	sb_repeat(&s, &c, 2);
	h = sb_header(&s);
	full = s.size;
	ASSERT_EQ(qaccel_validate(s.mem, 0, b.sizes, b.n, &e), -EOVERFLOW);
	/* Submitted longer than the header says. */
	ASSERT_EQ(qaccel_validate(s.mem, full + 8, b.sizes, b.n, &e), -EINVAL);
	ASSERT_EQ(e.offset, 0u);
	/* Header and submission agree, but the commands end early. */
	for (uint32_t extra = 1; extra <= 16; extra++) {
		h->size = full + extra;
		ASSERT_EQ(qaccel_validate(s.mem, full + extra, b.sizes, b.n, &e),
			  -EINVAL);
		ASSERT_EQ(e.cmd_index, 2u);
		ASSERT_EQ(e.offset, full);
	}
	/* Fewer commands than the bytes hold: trailing bytes too. */
	h->size = full;
	h->num_cmds = 1;
	ASSERT_EQ(qaccel_validate(s.mem, full, b.sizes, b.n, &e), -EINVAL);
	ASSERT_EQ(e.offset, HDR + c.hdr.size);
	sb_free(&s);
	t_bufs_free(&b);
}

/* Extents are computed in 64 bits with the one possible wrap checked. */
TEST(extent_arithmetic_does_not_wrap)
{
	struct t_bufs b = { 0 };
	union sb_cmd c;
	struct sb_stream s;
	struct qaccel_cmd_lut *l;
	uint64_t sizes[3];

	t_seed_init(45);
	sb_valid_cmd(QACCEL_OP_LUT, &b, &c);
	sb_repeat(&s, &c, 1);
	l = (void *)(sb_bytes(&s) + HDR);
	sizes[l->table.buf] = 256;

	/* 2^32 elements: a 32-bit product would be 0. */
	for (int i = 0; i < 4; i++)
		l->input.dims[i] = l->output.dims[i] = i < 2 ? 1 : 0x10000;
	sizes[l->input.ref.buf] = sizes[l->output.ref.buf] = 0xffffffffull;
	ASSERT_EQ(qaccel_validate(s.mem, s.size, sizes, 3, NULL), -EOVERFLOW);
	sizes[l->input.ref.buf] = sizes[l->output.ref.buf] = 1ull << 32;
	ASSERT_EQ(qaccel_validate(s.mem, s.size, sizes, 3, NULL), 0);

	/* 2^64 elements: a 64-bit product would be 0. */
	for (int i = 0; i < 4; i++)
		l->input.dims[i] = l->output.dims[i] = 0x10000;
	sizes[l->input.ref.buf] = sizes[l->output.ref.buf] = UINT64_MAX;
	ASSERT_EQ(qaccel_validate(s.mem, s.size, sizes, 3, NULL), -E2BIG);

	/* 2^64 - 2^48 elements fit; offset + extent then nearly wraps. */
	l->input.dims[0] = l->output.dims[0] = 0xffff;
	ASSERT_EQ(qaccel_validate(s.mem, s.size, sizes, 3, NULL), 0);
	l->input.ref.offset = 0xffffffff;
	sizes[l->input.ref.buf] = (UINT64_MAX << 48) + 0xfffffffe;
	ASSERT_EQ(qaccel_validate(s.mem, s.size, sizes, 3, NULL), -EOVERFLOW);
	sizes[l->input.ref.buf]++;
	ASSERT_EQ(qaccel_validate(s.mem, s.size, sizes, 3, NULL), 0);
	sb_free(&s);
	t_bufs_free(&b);
}

TEST(misaligned_int32_arrays)
{
	static const uint32_t ops[] = { QACCEL_OP_CONV_2D,
					QACCEL_OP_DEPTHWISE_CONV_2D,
					QACCEL_OP_FULLY_CONNECTED,
					QACCEL_OP_SOFTMAX_F32 };

	t_seed_init(46);
	for (size_t k = 0; k < ARRAY_LEN(ops); k++) {
		/* bias, params (conv-like) or exp_table (softmax_f32). */
		for (int which = 0; which < 2; which++) {
			struct t_bufs b = { 0 };
			union sb_cmd c;
			struct qaccel_ref *r;
			struct sb_stream s;

			sb_valid_cmd(ops[k], &b, &c);
			if (ops[k] == QACCEL_OP_SOFTMAX_F32)
				r = &c.smf.exp_table;
			else if (ops[k] == QACCEL_OP_FULLY_CONNECTED)
				r = which ? &c.fc.requant.params : &c.fc.bias;
			else
				r = which ? &c.conv.requant.params : &c.conv.bias;
			/* Room enough: only the alignment is wrong. */
			for (uint32_t off = 1; off < 8; off++) {
				b.sizes[r->buf] += off;
				r->offset = off;
				sb_repeat(&s, &c, 1);
				ASSERT_EQ(sb_validate(&s, &b, NULL),
					  off % 4 ? -EINVAL : 0);
				sb_free(&s);
				b.sizes[r->buf] -= off;
			}
			t_bufs_free(&b);
		}
	}
}

TEST(no_bias_is_accepted_and_runs)
{
	struct t_bufs b = { 0 };
	union sb_cmd c;
	struct sb_stream s;

	t_seed_init(48);
	sb_valid_cmd(QACCEL_OP_CONV_2D, &b, &c);
	c.conv.bias.buf = QACCEL_NO_BUFFER;
	sb_repeat(&s, &c, 1);
	ASSERT_EQ(sb_validate(&s, &b, NULL), 0);
	ASSERT_EQ(qaccel_exec_stream(s.mem, b.v, NULL, NULL), 0);
	sb_free(&s);
	/* An absent bias keeps offset 0. */
	c.conv.bias.offset = 4;
	sb_repeat(&s, &c, 1);
	ASSERT_EQ(sb_validate(&s, &b, NULL), -EINVAL);
	sb_free(&s);
	t_bufs_free(&b);
}

/* Source and destination in one buffer: touching is fine, overlap not. */
TEST(overlapping_copy)
{
	struct t_bufs b = { 0 };
	union sb_cmd c;
	struct sb_stream s;
	struct qaccel_validate_error e;
	/* src extent 48 (dense), dst extent 92. */
	const uint32_t src_ext = 48, dst_ext = 92;

	t_seed_init(49);
	sb_valid_cmd(QACCEL_OP_COPY, &b, &c);
	c.copy.src.buf = c.copy.dst.buf;
	b.sizes[c.copy.dst.buf] = 1000;
	for (uint32_t src = 0; src < 200; src += 4) {
		for (uint32_t dst = 0; dst < 200; dst += 4) {
			int overlap = src < dst + dst_ext && dst < src + src_ext;

			c.copy.src.offset = src;
			c.copy.dst.offset = dst;
			sb_repeat(&s, &c, 1);
			ASSERT_EQ(sb_validate(&s, &b, &e),
				  overlap ? -EINVAL : 0);
			sb_free(&s);
		}
	}
	/* Exactly adjacent on both sides, and one byte into each other. */
	c.copy.src.offset = 0;
	c.copy.dst.offset = src_ext;
	sb_repeat(&s, &c, 1);
	ASSERT_EQ(sb_validate(&s, &b, NULL), 0);
	sb_free(&s);
	c.copy.dst.offset = src_ext - 1;
	sb_repeat(&s, &c, 1);
	ASSERT_EQ(sb_validate(&s, &b, NULL), -EINVAL);
	sb_free(&s);
	c.copy.dst.offset = 0;
	c.copy.src.offset = dst_ext;
	sb_repeat(&s, &c, 1);
	ASSERT_EQ(sb_validate(&s, &b, NULL), 0);
	sb_free(&s);
	c.copy.src.offset = dst_ext - 1;
	sb_repeat(&s, &c, 1);
	ASSERT_EQ(sb_validate(&s, &b, NULL), -EINVAL);
	sb_free(&s);
	t_bufs_free(&b);
}

/* A destination taking more elements than it spans would write twice. */
TEST(copy_work_bounded_by_destination)
{
	struct t_bufs b = { 0 };
	union sb_cmd c;
	struct sb_stream s;

	t_seed_init(50);
	sb_valid_cmd(QACCEL_OP_COPY, &b, &c);
	memset(c.copy.dst_strides, 0, sizeof(c.copy.dst_strides));
	sb_repeat(&s, &c, 1);
	ASSERT_EQ(sb_validate(&s, &b, NULL), -EINVAL);
	sb_free(&s);
	/* A broadcasting source (stride 0) is fine. */
	sb_valid_cmd(QACCEL_OP_COPY, &b, &c);
	memset(c.copy.src_strides, 0, sizeof(c.copy.src_strides));
	sb_repeat(&s, &c, 1);
	ASSERT_EQ(sb_validate(&s, &b, NULL), 0);
	ASSERT_EQ(qaccel_exec_stream(s.mem, b.v, NULL, NULL), 0);
	sb_free(&s);
	t_bufs_free(&b);
}

TEST(bad_stream_headers)
{
	struct t_bufs b = { 0 };
	union sb_cmd c;
	struct sb_stream s;
	struct qaccel_validate_error e;
	struct qaccel_stream_header *h;
	uint64_t big[QACCEL_MAX_BUFFERS + 1];
	static const struct { uint32_t word, value; int err; } bad[] = {
		{ 0, QACCEL_STREAM_MAGIC + 1, -EINVAL },
		{ 1, 0, -EINVAL }, { 1, 2, -EINVAL },
		{ 3, 0, -EINVAL }, { 3, QACCEL_MAX_CMDS + 1, -E2BIG },
		{ 3, 2, -EOVERFLOW },	/* the second command is missing */
		{ 4, 1, -EINVAL }, { 5, 1, -EINVAL }, { 6, 1, -EINVAL },
		{ 7, 0x80000000, -EINVAL },
	};

	t_seed_init(51);
	sb_valid_cmd(QACCEL_OP_LUT, &b, &c);
	sb_repeat(&s, &c, 1);
	h = sb_header(&s);
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		uint32_t *w = (uint32_t *)s.mem + bad[i].word;
		uint32_t keep = *w;

		*w = bad[i].value;
		ASSERT_EQ(sb_validate(&s, &b, &e), bad[i].err);
		ASSERT_NE(e.reason, NULL);
		if (bad[i].err != -EOVERFLOW) {
			ASSERT_EQ(e.cmd_index, UINT32_MAX);
			ASSERT_EQ(e.offset, 0u);
		}
		*w = keep;
	}
	ASSERT_EQ(sb_validate(&s, &b, NULL), 0);
	/* Misaligned or missing stream, oversized table or stream. */
	memmove(sb_bytes(&s) + 4, s.mem, s.size);
	ASSERT_EQ(qaccel_validate(sb_bytes(&s) + 4, s.size, b.sizes, b.n, NULL),
		  -EINVAL);
	memmove(s.mem, sb_bytes(&s) + 4, s.size);
	ASSERT_EQ(qaccel_validate(NULL, s.size, b.sizes, b.n, NULL), -EINVAL);
	memset(big, 0, sizeof(big));
	memcpy(big, b.sizes, b.n * sizeof(big[0]));
	ASSERT_EQ(qaccel_validate(s.mem, s.size, big, QACCEL_MAX_BUFFERS, NULL),
		  0);
	ASSERT_EQ(qaccel_validate(s.mem, s.size, big, QACCEL_MAX_BUFFERS + 1,
				  NULL), -E2BIG);
	h->size = QACCEL_MAX_STREAM_SIZE + 8;
	ASSERT_EQ(qaccel_validate(s.mem, QACCEL_MAX_STREAM_SIZE + 8, b.sizes,
				  b.n, NULL), -E2BIG);
	sb_free(&s);
	t_bufs_free(&b);
}

/* The QACCEL_MAX_* bounds that no single field corruption reaches. */
TEST(accumulation_and_pool_limits)
{
	struct t_bufs b = { 0 };
	union sb_cmd c;
	struct sb_stream s;
	struct qaccel_validate_error e;
	uint64_t sizes[T_MAX_BUFS];

	t_seed_init(52);
	for (int i = 0; i < T_MAX_BUFS; i++)
		sizes[i] = 1ull << 40;
	/* CONV_2D: KH * KW * IC = 64 * 64 * 16 is the limit, * 17 above. */
	sb_valid_cmd(QACCEL_OP_CONV_2D, &b, &c);
	c.conv.filter.dims[1] = c.conv.filter.dims[2] = 64;
	c.conv.filter.dims[3] = c.conv.input.dims[3] = 16;
	sb_repeat(&s, &c, 1);
	ASSERT_EQ(qaccel_validate(s.mem, s.size, sizes, b.n, NULL), 0);
	sb_free(&s);
	c.conv.filter.dims[3] = c.conv.input.dims[3] = 17;
	sb_repeat(&s, &c, 1);
	ASSERT_EQ(qaccel_validate(s.mem, s.size, sizes, b.n, &e), -E2BIG);
	sb_free(&s);
	t_bufs_free(&b);

	/* MEAN: H * W = 65536 is the limit. */
	sb_valid_cmd(QACCEL_OP_MEAN, &b, &c);
	c.mean.input.dims[1] = 256;
	c.mean.input.dims[2] = 256;
	sb_repeat(&s, &c, 1);
	ASSERT_EQ(qaccel_validate(s.mem, s.size, sizes, b.n, NULL), 0);
	sb_free(&s);
	c.mean.input.dims[2] = 257;
	sb_repeat(&s, &c, 1);
	ASSERT_EQ(qaccel_validate(s.mem, s.size, sizes, b.n, NULL), -E2BIG);
	sb_free(&s);
	t_bufs_free(&b);

	sb_valid_cmd(QACCEL_OP_MEAN_F32, &b, &c);
	c.meanf.input.dims[1] = 65536;
	c.meanf.input.dims[2] = 2;
	sb_repeat(&s, &c, 1);
	ASSERT_EQ(qaccel_validate(s.mem, s.size, sizes, b.n, NULL), -E2BIG);
	sb_free(&s);
	t_bufs_free(&b);
}

/*
 * Output sizes are free: windows that reach past the input or no input at
 * all are skipped taps, never accesses. Run such commands under ASan.
 */
TEST(oversized_outputs_run_in_bounds)
{
	static const uint32_t ops[] = { QACCEL_OP_CONV_2D,
					QACCEL_OP_DEPTHWISE_CONV_2D,
					QACCEL_OP_MAX_POOL_2D,
					QACCEL_OP_AVERAGE_POOL_2D };

	t_seed_init(53);
	for (size_t k = 0; k < ARRAY_LEN(ops); k++) {
		struct t_bufs b = { 0 };
		union sb_cmd c;
		struct sb_stream s;
		struct qaccel_tensor *out;
		struct qaccel_window *win;

		sb_valid_cmd(ops[k], &b, &c);
		if (ops[k] == QACCEL_OP_CONV_2D) {
			out = &c.conv.output;
			win = &c.conv.win;
		} else if (ops[k] == QACCEL_OP_DEPTHWISE_CONV_2D) {
			out = &c.dw.output;
			win = &c.dw.win;
		} else {
			out = &c.pool.output;
			win = &c.pool.win;
		}
		win->stride_h = QACCEL_MAX_STRIDE;
		out->dims[1] = 7;
		out->dims[2] = 9;
		free(b.v[out->ref.buf].ptr);
		b.sizes[out->ref.buf] = t_elems(out->dims);
		b.v[out->ref.buf].size = b.sizes[out->ref.buf];
		b.v[out->ref.buf].ptr = malloc(b.sizes[out->ref.buf]);
		sb_repeat(&s, &c, 1);
		ASSERT_EQ(sb_validate(&s, &b, NULL), 0);
		ASSERT_EQ(qaccel_exec_stream(s.mem, b.v, NULL, NULL), 0);
		sb_free(&s);
		t_bufs_free(&b);
	}
}

TEST_HARNESS_MAIN
