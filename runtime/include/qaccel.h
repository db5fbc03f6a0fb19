/* SPDX-License-Identifier: MIT */
/*
 * libqaccel: run int8 TensorFlow Lite models on the qaccel accelerator, an
 * OpenCL device standing in for it, or the CPU, with results identical to
 * TensorFlow Lite's reference kernels.
 *
 * Conventions: every function that can fail returns 0 or a negative errno;
 * qaccel_last_error() then describes the failure in words. Objects are
 * created by a _create or _load function and released by the matching
 * _destroy or _free.
 *
 * Thread safety: distinct contexts and models may be used from different
 * threads at the same time. One model must not be used by two threads at
 * once (set_input/run/get_output share its buffers); a context may be shared
 * by models used in different threads. qaccel_last_error() is per thread.
 *
 * Typical use:
 *
 *	struct qaccel_ctx *ctx;
 *	struct qaccel_model *m;
 *
 *	qaccel_ctx_create(NULL, &ctx);
 *	qaccel_model_load_file(ctx, "model_int8.tflite", &m);
 *	qaccel_model_set_input(m, 0, image, image_bytes);
 *	qaccel_model_run(m);
 *	qaccel_model_get_output(m, 0, scores, scores_bytes);
 *	qaccel_model_free(m);
 *	qaccel_ctx_destroy(ctx);
 */
#ifndef QACCEL_H
#define QACCEL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define QACCEL_VERSION_MAJOR 0
#define QACCEL_VERSION_MINOR 1

/** Where a model runs. */
enum qaccel_backend_kind {
	QACCEL_BACKEND_AUTO = 0,	/* drm if a device is present, else opencl, else cpu */
	QACCEL_BACKEND_REF,		/* the reference kernels, in process */
	QACCEL_BACKEND_CPU,		/* the fastest CPU kernels this build has */
	QACCEL_BACKEND_DRM,		/* qaccel.ko through /dev/dri/renderD* */
	QACCEL_BACKEND_OPENCL,		/* an OpenCL device */
};

/** Element type of a model's input or output. */
enum qaccel_dtype {
	QACCEL_DTYPE_INT8 = 0,
	QACCEL_DTYPE_UINT8,
	QACCEL_DTYPE_INT32,
	QACCEL_DTYPE_FLOAT32,
};

#define QACCEL_MAX_RANK 8

/** Options for qaccel_ctx_create(); zero-initialise, then set what you need. */
struct qaccel_ctx_options {
	size_t struct_size;		/* sizeof(struct qaccel_ctx_options) */
	enum qaccel_backend_kind backend;
	const char *device;		/* backend-specific device, NULL for default */
	int threads;			/* CPU threads, 0 for the default */
	int verbose;			/* log compiler decisions to stderr */
};

/** What a model's input or output is. Pointers live as long as the model. */
struct qaccel_tensor_info {
	const char *name;
	enum qaccel_dtype dtype;
	int rank;
	int64_t dims[QACCEL_MAX_RANK];
	size_t bytes;			/* total size of the data */
	float scale;			/* quantization scale, 0 if not quantized */
	int32_t zero_point;
};

struct qaccel_ctx;
struct qaccel_model;

/* Context: one backend instance. opts may be NULL for defaults. */
int qaccel_ctx_create(const struct qaccel_ctx_options *opts,
		      struct qaccel_ctx **out);
void qaccel_ctx_destroy(struct qaccel_ctx *ctx);
/* "ref", "cpu", "drm" or "opencl": what AUTO resolved to. */
const char *qaccel_ctx_backend_name(const struct qaccel_ctx *ctx);
/* One line describing the device the context runs on. */
const char *qaccel_ctx_device_name(const struct qaccel_ctx *ctx);

/* Models: load, compile for the context's backend, upload weights once. */
int qaccel_model_load_file(struct qaccel_ctx *ctx, const char *path,
			   struct qaccel_model **out);
int qaccel_model_load_memory(struct qaccel_ctx *ctx, const void *data,
			     size_t size, struct qaccel_model **out);
void qaccel_model_free(struct qaccel_model *model);

int qaccel_model_num_inputs(const struct qaccel_model *model);
int qaccel_model_num_outputs(const struct qaccel_model *model);
int qaccel_model_input_info(const struct qaccel_model *model, int index,
			    struct qaccel_tensor_info *info);
int qaccel_model_output_info(const struct qaccel_model *model, int index,
			     struct qaccel_tensor_info *info);

/* bytes must equal the tensor's size exactly. */
int qaccel_model_set_input(struct qaccel_model *model, int index,
			   const void *data, size_t bytes);
int qaccel_model_run(struct qaccel_model *model);
int qaccel_model_get_output(const struct qaccel_model *model, int index,
			    void *data, size_t bytes);

/* Activation memory the compiler planned, in bytes. */
size_t qaccel_model_arena_size(const struct qaccel_model *model);

/*
 * Post-training quantization: a float32 .tflite and calibration samples in,
 * an int8 .tflite that TensorFlow Lite and qaccel both run (see
 * Documentation/quantization.rst). calib is a .npy of float32 samples
 * stacked on a first axis, or a folder of .npy files.
 */
enum qaccel_calib_method {
	QACCEL_CALIB_MINMAX = 0,	/* the extremes seen */
	QACCEL_CALIB_PERCENTILE,	/* clip the tails beyond a percentile */
	QACCEL_CALIB_MSE,		/* the range of least squared error */
	QACCEL_CALIB_ENTROPY,		/* the range of least KL divergence */
};

/** Options for qaccel_quantize_file(); zero-initialise, then set what you need. */
struct qaccel_quantize_options {
	size_t struct_size;		/* sizeof(struct qaccel_quantize_options) */
	enum qaccel_calib_method method;
	double percentile;		/* for QACCEL_CALIB_PERCENTILE, e.g. 99.99 */
	int per_tensor;			/* one weight scale per tensor, not per channel */
	int float_io;			/* float32 model inputs and outputs */
	size_t max_samples;		/* use at most this many samples, 0 for all */
	const char *report_path;	/* text report here, plus .json and .svg; NULL: none */
	int progress;			/* progress bar on stderr when it is a terminal */
};

/* Writes out_path only on success (through a temporary file and a rename). */
int qaccel_quantize_file(const char *float_model, const char *calib,
			 const char *out_path,
			 const struct qaccel_quantize_options *opts);

/* Message for the calling thread's last failure ("" if none). */
const char *qaccel_last_error(void);
const char *qaccel_backend_kind_name(enum qaccel_backend_kind kind);
const char *qaccel_dtype_name(enum qaccel_dtype dtype);
size_t qaccel_dtype_size(enum qaccel_dtype dtype);

#ifdef __cplusplus
}
#endif

#endif /* QACCEL_H */
