/* SPDX-License-Identifier: (GPL-2.0-only WITH Linux-syscall-note) OR MIT */
/*
 * qaccel command-stream format, ISA version 1.
 *
 * A command stream is one struct qaccel_stream_header followed by
 * header.num_cmds commands. Each command starts with a struct qaccel_cmd_header
 * whose size covers the header and the body; it is a multiple of 8 and equals
 * exactly the size of the body struct for that opcode. All fields are in the
 * host's byte order. The stream itself must start 8-byte aligned.
 *
 * Operands name memory as (buffer index, byte offset) into the buffer table
 * that accompanies the stream at submit time. Tensors are dense int8 NHWC.
 * Everything is integer: the float parts of quantized inference (scales to
 * multipliers, lookup tables) are done once by the compiler that writes the
 * stream. Documentation/isa.rst gives the exact arithmetic of every command.
 */
#ifndef _UAPI_QACCEL_CMD_H_
#define _UAPI_QACCEL_CMD_H_

#include <linux/types.h>

#define QACCEL_STREAM_MAGIC		0x53434151u	/* "QACS" little-endian */
#define QACCEL_ISA_VERSION		1u

/* Limits enforced by the validator; also reported by DRM_IOCTL_QACCEL_QUERY. */
#define QACCEL_MAX_STREAM_SIZE		0x100000u
#define QACCEL_MAX_CMDS			4096u
#define QACCEL_MAX_BUFFERS		256u
#define QACCEL_MAX_DIM			0x10000u	/* every tensor dimension */
#define QACCEL_MAX_KERNEL_DIM		64u		/* filter / pool window side */
#define QACCEL_MAX_STRIDE		64u
#define QACCEL_MAX_DILATION		64u
#define QACCEL_MAX_ACC_DEPTH		0x10000u	/* products summed per output */
#define QACCEL_MAX_POOL_COUNT		0x10000u	/* elements averaged per output */

/* buf value of a struct qaccel_ref that names no buffer (optional operand). */
#define QACCEL_NO_BUFFER		0xffffffffu

/**
 * enum qaccel_opcode - command opcodes of ISA version 1
 * @QACCEL_OP_CONV_2D: 2-D convolution, per-channel requantization
 * @QACCEL_OP_DEPTHWISE_CONV_2D: depthwise convolution with depth multiplier
 * @QACCEL_OP_FULLY_CONNECTED: matrix times vector(s)
 * @QACCEL_OP_ADD: broadcasting elementwise addition
 * @QACCEL_OP_SUB: broadcasting elementwise subtraction (ADD's body)
 * @QACCEL_OP_MUL: broadcasting elementwise multiplication
 * @QACCEL_OP_MAX_POOL_2D: spatial max pooling
 * @QACCEL_OP_AVERAGE_POOL_2D: spatial average pooling
 * @QACCEL_OP_LUT: int8 to int8 table lookup
 * @QACCEL_OP_SOFTMAX: softmax over the innermost dimension
 * @QACCEL_OP_COPY: strided 4-D byte copy (concatenation, slicing)
 * @QACCEL_OP_PAD: constant padding of a 4-D tensor
 * @QACCEL_OP_MEAN: mean over the H and W dimensions
 * @QACCEL_OP_REQUANTIZE: int8 to int8 with a new scale and zero point
 * @QACCEL_OP_SOFTMAX_F32: softmax as TensorFlow Lite computes it for int8
 *	(an exponential table normalized in IEEE binary32 arithmetic, emulated
 *	bit for bit with integers)
 * @QACCEL_OP_MEAN_F32: mean over H and W as TensorFlow Lite's general
 *	quantized mean computes it (binary32 arithmetic, emulated likewise)
 * @QACCEL_OP_COUNT: number of opcodes; not an opcode
 *
 * The values are ABI: new opcodes are appended, none is ever renumbered.
 */
enum qaccel_opcode {
	QACCEL_OP_CONV_2D = 1,
	QACCEL_OP_DEPTHWISE_CONV_2D = 2,
	QACCEL_OP_FULLY_CONNECTED = 3,
	QACCEL_OP_ADD = 4,
	QACCEL_OP_SUB = 5,
	QACCEL_OP_MUL = 6,
	QACCEL_OP_MAX_POOL_2D = 7,
	QACCEL_OP_AVERAGE_POOL_2D = 8,
	QACCEL_OP_LUT = 9,
	QACCEL_OP_SOFTMAX = 10,
	QACCEL_OP_COPY = 11,
	QACCEL_OP_PAD = 12,
	QACCEL_OP_MEAN = 13,
	QACCEL_OP_REQUANTIZE = 14,
	QACCEL_OP_SOFTMAX_F32 = 15,
	QACCEL_OP_MEAN_F32 = 16,
	QACCEL_OP_COUNT
};

/**
 * enum qaccel_rounding - how a product with a quantized multiplier rounds
 * @QACCEL_ROUND_DOUBLE: TFLite's default: saturating rounding doubling high
 *	multiply, then rounding (half away from zero) right shift
 * @QACCEL_ROUND_SINGLE: TFLite built with TFLITE_SINGLE_ROUNDING: one 64-bit
 *	product, one rounding (half up) right shift by 31 - shift
 */
enum qaccel_rounding {
	QACCEL_ROUND_DOUBLE = 0,
	QACCEL_ROUND_SINGLE = 1,
};

/**
 * struct qaccel_stream_header - first 32 bytes of every command stream
 * @magic: QACCEL_STREAM_MAGIC
 * @version: QACCEL_ISA_VERSION the stream was written for
 * @size: total bytes of the stream, this header included; must equal the
 *	size the stream is submitted with
 * @num_cmds: number of commands that follow; 1 to QACCEL_MAX_CMDS
 * @flags: must be 0
 * @reserved: must be 0
 */
struct qaccel_stream_header {
	__u32 magic;
	__u32 version;
	__u32 size;
	__u32 num_cmds;
	__u32 flags;
	__u32 reserved[3];
};

/**
 * struct qaccel_cmd_header - first 8 bytes of every command
 * @opcode: enum qaccel_opcode
 * @size: bytes of the whole command, this header included; exactly the size
 *	of the command's struct
 */
struct qaccel_cmd_header {
	__u32 opcode;
	__u32 size;
};

/**
 * struct qaccel_ref - a place in a buffer of the submit's buffer table
 * @buf: index into the buffer table, or QACCEL_NO_BUFFER for an absent
 *	optional operand (whose @offset must then be 0)
 * @offset: byte offset inside that buffer; 4-aligned where the operand is
 *	an int32 array
 */
struct qaccel_ref {
	__u32 buf;
	__u32 offset;
};

/**
 * struct qaccel_tensor - a dense int8 NHWC tensor
 * @ref: where element [0, 0, 0, 0] lives
 * @dims: N, H, W, C; each 1 to QACCEL_MAX_DIM
 * @zero_point: quantization zero point, -128 to 127
 * @reserved: must be 0
 *
 * Element [n, h, w, c] is at byte ref.offset + ((n * H + h) * W + w) * C + c.
 */
struct qaccel_tensor {
	struct qaccel_ref ref;
	__u32 dims[4];
	__s32 zero_point;
	__u32 reserved;
};

/**
 * struct qaccel_qmul - one quantized multiplier
 * @multiplier: Q0.31 fixed-point value, 0 to 2^31 - 1 (TFLite's
 *	QuantizeMultiplier gives 0 or 2^30 to 2^31 - 1)
 * @shift: power-of-two exponent applied with it, -31 to 30 (positive is
 *	a left shift)
 *
 * Represents the real number multiplier * 2^(shift - 31).
 */
struct qaccel_qmul {
	__s32 multiplier;
	__s32 shift;
};

/**
 * struct qaccel_requant - per-channel (or per-tensor) output rescaling
 * @params: array of @count struct qaccel_qmul, 4-aligned
 * @count: 1 (one multiplier for every channel) or the number of output
 *	channels
 * @rounding: enum qaccel_rounding
 */
struct qaccel_requant {
	struct qaccel_ref params;
	__u32 count;
	__u32 rounding;
};

/**
 * struct qaccel_clamp - activation clamp applied to the int8 result
 * @min: lowest output value, -128 to @max
 * @max: highest output value, @min to 127
 */
struct qaccel_clamp {
	__s32 min;
	__s32 max;
};

/**
 * struct qaccel_window - geometry of a sliding window over H and W
 * @stride_h: vertical step, 1 to QACCEL_MAX_STRIDE
 * @stride_w: horizontal step, 1 to QACCEL_MAX_STRIDE
 * @dilation_h: vertical tap spacing, 1 to QACCEL_MAX_DILATION (1 for pools)
 * @dilation_w: horizontal tap spacing, 1 to QACCEL_MAX_DILATION (1 for pools)
 * @pad_top: rows of implicit padding above the input, below the window height
 * @pad_left: columns of implicit padding left of the input, below the window
 *	width
 *
 * Output row oy reads input rows oy * stride_h - pad_top + ky * dilation_h;
 * taps that fall outside the input are skipped. Padding below and to the
 * right is implied by the output's size.
 */
struct qaccel_window {
	__u32 stride_h;
	__u32 stride_w;
	__u32 dilation_h;
	__u32 dilation_w;
	__u32 pad_top;
	__u32 pad_left;
};

/**
 * struct qaccel_cmd_conv2d - QACCEL_OP_CONV_2D
 * @hdr: opcode QACCEL_OP_CONV_2D
 * @input: [N, H, W, IC]
 * @filter: [OC, KH, KW, IC]; its zero_point must be 0 (symmetric weights)
 * @output: [N, OH, OW, OC]
 * @bias: OC int32 values, 4-aligned, or buf QACCEL_NO_BUFFER for none
 * @requant: output rescaling, per output channel or per tensor
 * @win: strides, dilations, padding
 * @clamp: activation clamp
 *
 * KH * KW * IC must not exceed QACCEL_MAX_ACC_DEPTH.
 */
struct qaccel_cmd_conv2d {
	struct qaccel_cmd_header hdr;
	struct qaccel_tensor input;
	struct qaccel_tensor filter;
	struct qaccel_tensor output;
	struct qaccel_ref bias;
	struct qaccel_requant requant;
	struct qaccel_window win;
	struct qaccel_clamp clamp;
};

/**
 * struct qaccel_cmd_dwconv2d - QACCEL_OP_DEPTHWISE_CONV_2D
 * @hdr: opcode QACCEL_OP_DEPTHWISE_CONV_2D
 * @input: [N, H, W, IC]
 * @filter: [1, KH, KW, OC] with OC = IC * @depth_multiplier; zero_point 0
 * @output: [N, OH, OW, OC]
 * @bias: OC int32 values, 4-aligned, or buf QACCEL_NO_BUFFER for none
 * @requant: output rescaling, per output channel or per tensor
 * @win: strides, dilations, padding
 * @clamp: activation clamp
 * @depth_multiplier: output channels per input channel, at least 1
 * @reserved: must be 0
 *
 * KH * KW must not exceed QACCEL_MAX_ACC_DEPTH.
 */
struct qaccel_cmd_dwconv2d {
	struct qaccel_cmd_header hdr;
	struct qaccel_tensor input;
	struct qaccel_tensor filter;
	struct qaccel_tensor output;
	struct qaccel_ref bias;
	struct qaccel_requant requant;
	struct qaccel_window win;
	struct qaccel_clamp clamp;
	__u32 depth_multiplier;
	__u32 reserved;
};

/**
 * struct qaccel_cmd_fc - QACCEL_OP_FULLY_CONNECTED
 * @hdr: opcode QACCEL_OP_FULLY_CONNECTED
 * @input: [1, 1, B, K]: B rows of K values
 * @filter: [1, 1, OC, K]; any zero point (int8 weights use 0)
 * @output: [1, 1, B, OC]
 * @bias: OC int32 values, 4-aligned, or buf QACCEL_NO_BUFFER for none
 * @requant: output rescaling, per output channel or per tensor
 * @clamp: activation clamp
 *
 * K must not exceed QACCEL_MAX_ACC_DEPTH.
 */
struct qaccel_cmd_fc {
	struct qaccel_cmd_header hdr;
	struct qaccel_tensor input;
	struct qaccel_tensor filter;
	struct qaccel_tensor output;
	struct qaccel_ref bias;
	struct qaccel_requant requant;
	struct qaccel_clamp clamp;
};

/**
 * struct qaccel_cmd_binary - QACCEL_OP_ADD, QACCEL_OP_SUB and QACCEL_OP_MUL
 * @hdr: opcode QACCEL_OP_ADD, QACCEL_OP_SUB or QACCEL_OP_MUL
 * @input1: first operand; each dimension equals the output's or is 1
 * @input2: second operand; each dimension equals the output's or is 1
 * @output: result
 * @input1_qmul: ADD/SUB: rescales input1 after its left shift; MUL: unused,
 *	must be zero
 * @input2_qmul: ADD/SUB: rescales input2 likewise; MUL: unused, must be zero
 * @output_qmul: rescales the sum, difference or product
 * @left_shift: ADD/SUB: left shift applied to both inputs first, 0 to 20
 *	(TFLite uses 20); MUL: must be 0
 * @rounding: enum qaccel_rounding
 * @clamp: activation clamp
 *
 * A dimension of size 1 in an input broadcasts along the output's dimension.
 * ADD: a = MulQ((in1 - z1) << left_shift, input1_qmul),
 * b = MulQ((in2 - z2) << left_shift, input2_qmul), out = MulQ(a + b,
 * output_qmul) + zo, clamped. SUB is ADD with input2_qmul's multiplier
 * negated before the multiply (as TensorFlow Lite does it; this rounds
 * differently from a - b on exact ties). MUL: out = MulQ((in1 - z1) *
 * (in2 - z2), output_qmul) + zo, clamped.
 */
struct qaccel_cmd_binary {
	struct qaccel_cmd_header hdr;
	struct qaccel_tensor input1;
	struct qaccel_tensor input2;
	struct qaccel_tensor output;
	struct qaccel_qmul input1_qmul;
	struct qaccel_qmul input2_qmul;
	struct qaccel_qmul output_qmul;
	__u32 left_shift;
	__u32 rounding;
	struct qaccel_clamp clamp;
};

/**
 * struct qaccel_cmd_pool2d - QACCEL_OP_MAX_POOL_2D and QACCEL_OP_AVERAGE_POOL_2D
 * @hdr: opcode QACCEL_OP_MAX_POOL_2D or QACCEL_OP_AVERAGE_POOL_2D
 * @input: [N, H, W, C]
 * @output: [N, OH, OW, C]; same zero point as the input
 * @filter_h: window height, 1 to QACCEL_MAX_KERNEL_DIM
 * @filter_w: window width, 1 to QACCEL_MAX_KERNEL_DIM
 * @win: strides and padding; dilations must be 1
 * @clamp: activation clamp
 */
struct qaccel_cmd_pool2d {
	struct qaccel_cmd_header hdr;
	struct qaccel_tensor input;
	struct qaccel_tensor output;
	__u32 filter_h;
	__u32 filter_w;
	struct qaccel_window win;
	struct qaccel_clamp clamp;
};

/**
 * struct qaccel_cmd_lut - QACCEL_OP_LUT
 * @hdr: opcode QACCEL_OP_LUT
 * @input: any shape
 * @output: same dims as @input (may be the same memory)
 * @table: 256 int8 values; x maps to table[x + 128]
 *
 * Zero points are carried for documentation; the table already folds them.
 */
struct qaccel_cmd_lut {
	struct qaccel_cmd_header hdr;
	struct qaccel_tensor input;
	struct qaccel_tensor output;
	struct qaccel_ref table;
};

/**
 * struct qaccel_cmd_softmax - QACCEL_OP_SOFTMAX
 * @hdr: opcode QACCEL_OP_SOFTMAX
 * @input: [N, H, W, C]; softmax runs along C
 * @output: same dims; scale 1/256, zero point -128
 * @input_beta_multiplier: beta * input_scale as a Q0.31 multiplier
 *	(TFLite's PreprocessSoftmaxScaling), 0 to 2^31 - 1
 * @input_beta_left_shift: its left shift, 0 to 30
 * @diff_min: differences (x - max) below this give 0, -2^31 + 1 to 0
 * @rounding: enum qaccel_rounding, for the rescaling of differences
 *
 * The output's zero point must be -128: the result is a probability in
 * units of 1/256 shifted into int8.
 */
struct qaccel_cmd_softmax {
	struct qaccel_cmd_header hdr;
	struct qaccel_tensor input;
	struct qaccel_tensor output;
	__s32 input_beta_multiplier;
	__s32 input_beta_left_shift;
	__s32 diff_min;
	__u32 rounding;
};

/**
 * struct qaccel_cmd_copy - QACCEL_OP_COPY
 * @hdr: opcode QACCEL_OP_COPY
 * @src: source of element [0, 0, 0, 0]
 * @dst: destination of element [0, 0, 0, 0]
 * @dims: elements copied along each of the four dimensions, each 1 to
 *	QACCEL_MAX_DIM
 * @src_strides: byte distance between neighbours along each dimension
 * @dst_strides: byte distance between neighbours along each dimension
 *
 * Copies bytes; source and destination must not overlap (the validator
 * checks the extents when they lie in one buffer), and the element count
 * may not exceed the destination's extent (no destination byte is written
 * twice over by zero strides).
 */
struct qaccel_cmd_copy {
	struct qaccel_cmd_header hdr;
	struct qaccel_ref src;
	struct qaccel_ref dst;
	__u32 dims[4];
	__u32 src_strides[4];
	__u32 dst_strides[4];
};

/**
 * struct qaccel_cmd_pad - QACCEL_OP_PAD
 * @hdr: opcode QACCEL_OP_PAD
 * @input: [N, H, W, C]
 * @output: [N + before[0] + after[0], ...]; the after-padding is implied
 * @before: elements inserted before the input along each dimension
 * @pad_value: int8 value written in the padding (usually the zero point)
 * @reserved: must be 0
 */
struct qaccel_cmd_pad {
	struct qaccel_cmd_header hdr;
	struct qaccel_tensor input;
	struct qaccel_tensor output;
	__u32 before[4];
	__s32 pad_value;
	__u32 reserved;
};

/**
 * struct qaccel_cmd_mean - QACCEL_OP_MEAN
 * @hdr: opcode QACCEL_OP_MEAN
 * @input: [N, H, W, C]
 * @output: [N, 1, 1, C]
 * @qmul: rescales the sum of (x - input zero point) over H x W
 * @divisor: 0, or a count the rescaled sum is then divided by with
 *	rounding half away from zero, 1 to QACCEL_MAX_POOL_COUNT
 * @rounding: enum qaccel_rounding
 * @clamp: activation clamp
 *
 * H * W must not exceed QACCEL_MAX_POOL_COUNT.
 */
struct qaccel_cmd_mean {
	struct qaccel_cmd_header hdr;
	struct qaccel_tensor input;
	struct qaccel_tensor output;
	struct qaccel_qmul qmul;
	__u32 divisor;
	__u32 rounding;
	struct qaccel_clamp clamp;
};

/**
 * struct qaccel_cmd_requantize - QACCEL_OP_REQUANTIZE
 * @hdr: opcode QACCEL_OP_REQUANTIZE
 * @input: any shape
 * @output: same dims as @input
 * @qmul: input scale / output scale
 * @rounding: enum qaccel_rounding
 * @reserved: must be 0
 */
struct qaccel_cmd_requantize {
	struct qaccel_cmd_header hdr;
	struct qaccel_tensor input;
	struct qaccel_tensor output;
	struct qaccel_qmul qmul;
	__u32 rounding;
	__u32 reserved;
};

/**
 * struct qaccel_cmd_softmax_f32 - QACCEL_OP_SOFTMAX_F32
 * @hdr: opcode QACCEL_OP_SOFTMAX_F32
 * @input: [N, H, W, C]; softmax runs along C
 * @output: same dims; any zero point (TFLite: -128)
 * @exp_table: 256 binary32 bit patterns (__u32), 4-aligned: entry d holds
 *	exp(-beta * input_scale * d), the weight of an element d below its
 *	row's maximum
 * @output_scale: binary32 bit pattern of the output scale (TFLite: 1/256)
 * @reserved: must be 0
 *
 * Per row: sum = exp_table[max - x] summed in order in binary32;
 * inv = 1 / (sum * output_scale); each output is
 * round_half_away(exp_table[max - x] * inv) + zero point, clamped to int8.
 * Every binary32 operation rounds to nearest even, as IEEE 754 hardware
 * does; the engine computes them with integer instructions only.
 */
struct qaccel_cmd_softmax_f32 {
	struct qaccel_cmd_header hdr;
	struct qaccel_tensor input;
	struct qaccel_tensor output;
	struct qaccel_ref exp_table;
	__u32 output_scale;
	__u32 reserved;
};

/**
 * struct qaccel_cmd_mean_f32 - QACCEL_OP_MEAN_F32
 * @hdr: opcode QACCEL_OP_MEAN_F32
 * @input: [N, H, W, C]
 * @output: [N, 1, 1, C]
 * @scale: binary32 bits of input_scale / output_scale
 * @bias: binary32 bits of -input_zero_point * scale + 0.5
 *
 * Per output: sum = the int32 sum of the raw int8 inputs over H x W;
 * mean = float(sum) / float(H * W); r = round_half_away(mean * scale + bias)
 * + output zero point, clamped to [-128, 127], all in binary32 (rounding to
 * nearest even). H * W must not exceed QACCEL_MAX_POOL_COUNT.
 */
struct qaccel_cmd_mean_f32 {
	struct qaccel_cmd_header hdr;
	struct qaccel_tensor input;
	struct qaccel_tensor output;
	__u32 scale;
	__u32 bias;
};

#endif /* _UAPI_QACCEL_CMD_H_ */
