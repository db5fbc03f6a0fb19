/* SPDX-License-Identifier: MIT */
/*
 * Float32 reference kernels: the float versions of the operators qaccel
 * quantizes, run during calibration and to measure quantization error.
 * Userspace only, plain C float; layouts are TensorFlow Lite's (NHWC
 * activations, OHWI convolution filters, [1,H,W,C*M] depthwise filters,
 * [out, in] fully connected weights). Shapes are checked by the caller.
 */
#ifndef QACCEL_QUANT_FKERNELS_H
#define QACCEL_QUANT_FKERNELS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FK_MAX_RANK 8

struct fk_shape {
	int rank;
	int d[FK_MAX_RANK];
};

/* Fused activations, as the schema's ActivationFunctionType numbers them. */
enum fk_act { FK_ACT_NONE = 0, FK_ACT_RELU = 1, FK_ACT_RELU_N1_TO_1 = 2,
	      FK_ACT_RELU6 = 3 };

/* Window geometry shared by convolutions and pools (one spatial axis). */
struct fk_window {
	int in, filter, stride, dilation;
	int out, pad_before;
};

/* Output size and leading padding of TFLite's SAME (same=true) or VALID. */
int fk_window_init(struct fk_window *w, int in, int filter, int stride,
		   int dilation, bool same);

size_t fk_elems(const struct fk_shape *s);
float fk_activate(float x, int act);

/* in [N,H,W,IC], filter [OC,KH,KW,IC], bias [OC] or NULL -> out [N,OH,OW,OC]. */
void fk_conv2d(const float *in, int n, int ic, const struct fk_window *wy,
	       const struct fk_window *wx, const float *filter, int oc,
	       const float *bias, int act, float *out);
/* filter [1,KH,KW,IC*M]; output channel c*M+m reads input channel c. */
void fk_depthwise_conv2d(const float *in, int n, int ic, int mult,
			 const struct fk_window *wy, const struct fk_window *wx,
			 const float *filter, const float *bias, int act, float *out);
/* in [rows, depth], weights [units, depth] -> out [rows, units]. */
void fk_fully_connected(const float *in, int rows, int depth, const float *w,
			int units, const float *bias, int act, float *out);
/* Pools over in-bounds elements only (padding is not counted). */
void fk_pool2d(const float *in, int n, int c, const struct fk_window *wy,
	       const struct fk_window *wx, bool max, int act, float *out);
/* Mean over the axes with reduce[axis] set; out has the kept axes' order. */
void fk_mean(const float *in, const struct fk_shape *s, const bool *reduce,
	     float *out);

enum fk_binop { FK_ADD, FK_SUB, FK_MUL };
/* out = a OP b with NumPy broadcasting; the three shapes have out's rank. */
void fk_binary(enum fk_binop op, const float *a, const struct fk_shape *sa,
	       const float *b, const struct fk_shape *sb, const struct fk_shape *so,
	       int act, float *out);

enum fk_unop { FK_RELU, FK_RELU6, FK_LEAKY_RELU, FK_LOGISTIC, FK_TANH,
	       FK_HARD_SWISH };
void fk_unary(enum fk_unop op, const float *in, size_t n, float alpha, float *out);
/* Softmax over the last axis (depth), exp(beta * (x - max)) normalised. */
void fk_softmax(const float *in, size_t rows, int depth, float beta, float *out);

/* Copies of slabs: concatenation along an axis of the given outer/inner sizes. */
void fk_concat(const float *const *ins, const int *axis_sizes, int num,
	       size_t outer, size_t inner, float *out);
/* Zero padding; pads[2*i], pads[2*i+1] before and after axis i. */
void fk_pad(const float *in, const struct fk_shape *s, const int *pads,
	    float *out);
/* [B,H,W,C] -> [B*bh*bw, (H+pads)/bh, (W+pads)/bw, C], pads [top,bottom,left,right]. */
void fk_space_to_batch(const float *in, const struct fk_shape *s, int bh, int bw,
		       const int *pads, float *out);
/* [B,H,W,C] -> [B/(bh*bw), H*bh-crops, W*bw-crops, C], crops [top,bottom,left,right]. */
void fk_batch_to_space(const float *in, const struct fk_shape *s, int bh, int bw,
		       const int *crops, float *out);

#endif /* QACCEL_QUANT_FKERNELS_H */
