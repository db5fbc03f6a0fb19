/* SPDX-License-Identifier: MIT */
/*
 * The opencl backend's pieces: device choice (cl_device.c), the program
 * and its on-disk binary cache (cl_program.c), one launch sequence per
 * opcode (cl_dispatch.c), and the vtable (../backend_opencl.c).
 */
#ifndef QACCEL_CL_INTERNAL_H
#define QACCEL_CL_INTERNAL_H

#ifndef CL_TARGET_OPENCL_VERSION
#define CL_TARGET_OPENCL_VERSION 120
#endif
#include <CL/cl.h>
#include <CL/cl_ext.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "runtime/backend/backend.h"
#include "uapi/qaccel_cmd.h"

/* Kernels of opencl_kernels/, in the order cl_kernel handles are kept. */
enum qcl_kernel {
	QCL_K_GEMM,
	QCL_K_IM2COL,
	QCL_K_DWCONV2D,
	QCL_K_BINARY,
	QCL_K_LUT,
	QCL_K_REQUANTIZE,
	QCL_K_COPY,
	QCL_K_PAD,
	QCL_K_POOL2D,
	QCL_K_MEAN,
	QCL_K_SOFTMAX,
	QCL_K_SOFTMAX_F32,
	QCL_K_MEAN_F32,
	QCL_K_COUNT
};

/* How the integer dot product is reached on this device. */
enum qcl_dot {
	QCL_DOT_NONE,		/* generic char16/short16 path */
	QCL_DOT_KHR,		/* cl_khr_integer_dot_product */
	QCL_DOT_ARM,		/* cl_arm_integer_dot_product_int8 */
	QCL_DOT_EMULATE,	/* the dot path's arithmetic in plain C (tests) */
};

/* Launch shapes chosen per device; they become -D build options. */
struct qcl_tuning {
	unsigned gemm_tm, gemm_tn, gemm_wg_x, gemm_wg_y;
	size_t lws;		/* work-group size of the 1-D kernels */
};

/* A device as found, and how it will be built for. */
struct qcl_device {
	cl_platform_id platform;
	cl_device_id id;
	char name[300];		/* "platform / device" */
	char driver[128];	/* driver version */
	char version[128];	/* device OpenCL version */
	enum qcl_dot dot;
	struct qcl_tuning tune;
};

/* Where the last program came from and what it cost. */
struct qcl_build_info {
	double build_ms;	/* load (and build if needed) of the program */
	bool from_cache;	/* a cached binary was used */
	bool cache_rejected;	/* a cache entry existed but was not trusted */
};

struct qcl_bo {
	struct qaccel_bo bo;
	cl_mem mem;
	size_t alloc;		/* bytes of bo.map: size rounded up to a page */
	bool mapped;
};

struct qcl_state {
	struct qcl_device dev;
	cl_context ctx;
	cl_command_queue queue;
	cl_program prog;
	cl_kernel k[QCL_K_COUNT];
	cl_mem dummy;		/* stands for absent optional operands */
	cl_mem scratch;		/* im2col patches, grown on demand */
	size_t scratch_size;
	struct qcl_build_info build;
	pthread_mutex_t lock;	/* one submit at a time sets kernel arguments */
	char desc[800];
};

/* Every device of every platform, in ICD order; returns the count (<= max). */
int qcl_list_devices(struct qcl_device *out, int max);
/*
 * Picks a device by spec: NULL or "" (the first GPU, else the first device),
 * an index into qcl_list_devices(), or a case-insensitive substring of its
 * name; ",dot=off|emulate" after it overrides the dot-product path.
 * Returns 0, -ENODEV (nothing matches) or -EINVAL (bad spec).
 */
int qcl_pick_device(const char *spec, struct qcl_device *dev);
/* The -D options for a device's tuning and dot path. */
void qcl_build_options(const struct qcl_device *dev, char *buf, size_t len);

/* Builds (or loads from the cache) the program for st->dev into st->prog. */
int qcl_program_load(struct qcl_state *st);
/* The cache directory in use, e.g. $XDG_CACHE_HOME/qaccel/opencl. */
int qcl_cache_dir(char *buf, size_t len);

/* Enqueues one validated command; *ev is the previous launch's event in,
 * this command's last event out. */
int qcl_dispatch(struct qcl_state *st, const struct qaccel_cmd_header *cmd,
		 struct qaccel_bo *const *table, cl_event *ev);

/* For tests and benchmarks: what the program load of a context cost. */
int qaccel_opencl_build_info(const void *backend_state, struct qcl_build_info *out);

extern const char qaccel_opencl_source[];
extern const size_t qaccel_opencl_source_len;

#endif /* QACCEL_CL_INTERNAL_H */
