/* SPDX-License-Identifier: MIT */
/*
 * From a float model and the calibrated range of each of its tensors to
 * the int8 model, the way TensorFlow Lite's converter lays it out: int8
 * activations (asymmetric), int8 weights (symmetric, [-127, 127], per
 * output channel unless per-tensor is asked), int32 bias at input scale x
 * weight scale, the fixed outputs of SOFTMAX, LOGISTIC and TANH, operators
 * that move data (pools, RESHAPE, PAD, CONCATENATION...) sharing their
 * input's parameters, and QUANTIZE / DEQUANTIZE at the edges for float
 * inputs and outputs.
 */
#ifndef QACCEL_QUANT_PLAN_H
#define QACCEL_QUANT_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "float_net.h"
#include "runtime/model/tflite_model.h"

/* Per tensor of the float model. */
struct qp_tensor {
	double lo, hi;		/* calibrated range (in: observed; out: as used) */
	bool has_range;		/* an activation or a constant quantized like one */
	float scale;		/* chosen int8 parameters */
	int32_t zero_point;
	bool fixed;		/* prescribed by the operator (softmax...) */
	int group;		/* tensors that must share parameters */
};

struct qp_options {
	bool per_tensor;	/* one weight scale per tensor */
	bool float_io;		/* float32 model inputs and outputs */
	bool debug_outputs;	/* every layer's output is a model output too */
};

struct qp_plan {
	const struct tfl_model *fm;
	const struct float_net *fn;
	struct qp_tensor *t;	/* fm->num_tensors entries */
};

/*
 * Sets up plan for fm (whose float_net fn has been initialised) and marks
 * which tensors need a calibrated range (t[i].has_range).
 */
int qp_init(struct qp_plan *p, const struct tfl_model *fm,
	    const struct float_net *fn);
void qp_free(struct qp_plan *p);
/* Once every has_range tensor has lo/hi: groups, fixed outputs, scales. */
void qp_choose_params(struct qp_plan *p);

/*
 * Builds the int8 model into out (free with qp_model_free). With
 * debug_outputs, out_of_output[k] gives the float tensor each model output
 * k stands for (caller frees). Returns 0 or -ENOMEM / -EINVAL with err.
 */
int qp_build(const struct qp_plan *p, const struct qp_options *o,
	     struct tfl_model *out, int **out_of_output, char *err, size_t errlen);
void qp_model_free(struct tfl_model *m);

/* CONV_2D, DEPTHWISE_CONV_2D or FULLY_CONNECTED: an operator with weights. */
bool qp_is_filter_op(int code);
/* Operand k of op is its constant weights (1) or bias (2). */
bool qp_is_weight(const struct tfl_model *m, const struct tfl_op *op, int k);

/* The weight scales chosen for operator i's filter: min and max (0 if none). */
void qp_weight_scale_span(const struct qp_plan *p, int op, bool per_tensor,
			  float *smin, float *smax);

#endif /* QACCEL_QUANT_PLAN_H */
