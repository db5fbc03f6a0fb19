/* SPDX-License-Identifier: MIT */
/*
 * A TensorFlow Lite model (subgraph 0) as plain C data, read from the
 * .tflite flatbuffer with every offset checked (schema facts from
 * TensorFlow Lite's public schema.fbs).
 */
#ifndef QACCEL_TFLITE_MODEL_H
#define QACCEL_TFLITE_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* TensorType values we handle by name; others keep their number. */
enum tfl_type {
	TFL_FLOAT32 = 0,
	TFL_INT32 = 2,
	TFL_UINT8 = 3,
	TFL_INT64 = 4,
	TFL_INT16 = 7,
	TFL_INT8 = 9,
};

/* BuiltinOperator values of the operators qaccel supports. */
enum tfl_op_code {
	TFL_ADD = 0,
	TFL_AVERAGE_POOL_2D = 1,
	TFL_CONCATENATION = 2,
	TFL_CONV_2D = 3,
	TFL_DEPTHWISE_CONV_2D = 4,
	TFL_DEQUANTIZE = 6,
	TFL_FULLY_CONNECTED = 9,
	TFL_LOGISTIC = 14,
	TFL_MAX_POOL_2D = 17,
	TFL_MUL = 18,
	TFL_RELU = 19,
	TFL_RELU6 = 21,
	TFL_RESHAPE = 22,
	TFL_SOFTMAX = 25,
	TFL_TANH = 28,
	TFL_PAD = 34,
	TFL_MEAN = 40,
	TFL_SUB = 41,
	TFL_BATCH_TO_SPACE_ND = 37,
	TFL_SPACE_TO_BATCH_ND = 38,
	TFL_SQUEEZE = 43,
	TFL_PADV2 = 60,
	TFL_LEAKY_RELU = 98,
	TFL_QUANTIZE = 114,
	TFL_HARD_SWISH = 117,
};

enum tfl_padding { TFL_PAD_SAME = 0, TFL_PAD_VALID = 1 };

/* Fused activation values of the schema's ActivationFunctionType. */
enum tfl_act { TFL_ACT_NONE = 0, TFL_ACT_RELU = 1, TFL_ACT_RELU_N1_TO_1 = 2,
	       TFL_ACT_RELU6 = 3 };

#define TFL_MAX_RANK 8

struct tfl_tensor {
	char *name;
	int type;
	int rank;
	int32_t shape[TFL_MAX_RANK];
	const uint8_t *data;	/* constant data inside the file, or NULL */
	size_t data_size;
	int num_q;		/* quantization entries (0: none) */
	float *scales;
	int64_t *zero_points;
	int q_dim;
};

/* The builtin options qaccel reads; unused fields stay at their defaults. */
struct tfl_options {
	int padding;
	int stride_w, stride_h;
	int dilation_w, dilation_h;
	int depth_multiplier;
	int filter_w, filter_h;
	int activation;
	float beta;
	float alpha;
	int axis;
	bool keep_dims;
	bool keep_num_dims;
	/* Padding fixed by the compiler (fused dilation), or -1: from padding. */
	int explicit_pad_top, explicit_pad_left;
};

struct tfl_op {
	int code;		/* BuiltinOperator */
	int version;
	int num_inputs, num_outputs;
	int *inputs, *outputs;	/* tensor indices; -1 for an omitted input */
	struct tfl_options opt;
};

struct tfl_model {
	int num_tensors;
	struct tfl_tensor *tensors;
	int num_ops;
	struct tfl_op *ops;
	int num_inputs, num_outputs;
	int *inputs, *outputs;
};

/* Parses data (which must outlive the model: constants point into it). */
int tfl_model_parse(const void *data, size_t size, struct tfl_model *m,
		    char *err, size_t errlen);
void tfl_model_free(struct tfl_model *m);

const char *tfl_op_name(int code);
const char *tfl_type_name(int type);
/* Elements of a tensor's shape, or -1 if the shape is unknown or too big. */
int64_t tfl_tensor_elems(const struct tfl_tensor *t);

#endif /* QACCEL_TFLITE_MODEL_H */
