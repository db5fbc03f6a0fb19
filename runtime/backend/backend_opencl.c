// SPDX-License-Identifier: MIT
/*
 * The opencl backend: buffers are cl_mem objects over page-aligned host
 * memory (CL_MEM_USE_HOST_PTR), kept mapped between submits so that
 * qaccel_bo.map stays valid and coherent; a submit unmaps the stream's
 * buffers, queues every command's kernels (cl_dispatch.c) behind one
 * another's events, maps the buffers back and waits once.
 *
 * Compiled only when the build found OpenCL (QACCEL_HAVE_OPENCL).
 */
#ifdef QACCEL_HAVE_OPENCL

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opencl/cl_internal.h"
#include "runtime/core/error.h"
#include "runtime/ref/qaccel_ref.h"

static const char *const qcl_kernel_names[QCL_K_COUNT] = {
	[QCL_K_GEMM] = "q_gemm",
	[QCL_K_IM2COL] = "q_im2col",
	[QCL_K_DWCONV2D] = "q_dwconv2d",
	[QCL_K_BINARY] = "q_binary",
	[QCL_K_LUT] = "q_lut",
	[QCL_K_REQUANTIZE] = "q_requantize",
	[QCL_K_COPY] = "q_copy",
	[QCL_K_PAD] = "q_pad",
	[QCL_K_POOL2D] = "q_pool2d",
	[QCL_K_MEAN] = "q_mean",
	[QCL_K_SOFTMAX] = "q_softmax",
	[QCL_K_SOFTMAX_F32] = "q_softmax_f32",
	[QCL_K_MEAN_F32] = "q_mean_f32",
};

static void qcl_close(void *state)
{
	struct qcl_state *st = state;

	if (!st)
		return;
	for (int i = 0; i < QCL_K_COUNT; i++)
		if (st->k[i])
			clReleaseKernel(st->k[i]);
	if (st->scratch)
		clReleaseMemObject(st->scratch);
	if (st->dummy)
		clReleaseMemObject(st->dummy);
	if (st->prog)
		clReleaseProgram(st->prog);
	if (st->queue)
		clReleaseCommandQueue(st->queue);
	if (st->ctx)
		clReleaseContext(st->ctx);
	pthread_mutex_destroy(&st->lock);
	free(st);
}

static int qcl_open(const struct qaccel_ctx_options *opts, void **state)
{
	struct qcl_state *st = calloc(1, sizeof(*st));
	cl_int err = CL_SUCCESS;
	int ret;

	if (!st)
		return qaccel_set_error(-ENOMEM, "out of memory");
	pthread_mutex_init(&st->lock, NULL);
	ret = qcl_pick_device(opts->device, &st->dev);
	if (ret == -EINVAL) {
		qaccel_set_error(ret, "opencl: bad device '%s' (an index, a name, "
				 "then ,dot=off or ,dot=emulate)", opts->device);
		goto fail;
	}
	if (ret) {
		qaccel_set_error(ret, opts->device && opts->device[0] ?
				 "opencl: no OpenCL device matches '%s'" :
				 "opencl: no OpenCL device found%s", opts->device ?
				 opts->device : "");
		goto fail;
	}
	st->ctx = clCreateContext(NULL, 1, &st->dev.id, NULL, NULL, &err);
	if (st->ctx)
		st->queue = clCreateCommandQueue(st->ctx, st->dev.id, 0, &err);
	if (st->queue)
		st->dummy = clCreateBuffer(st->ctx, CL_MEM_READ_WRITE, 64, NULL, &err);
	if (!st->dummy) {
		ret = qaccel_set_error(-ENODEV, "opencl: cannot open %s (error %d)",
				       st->dev.name, err);
		goto fail;
	}
	ret = qcl_program_load(st);
	if (ret) {
		qaccel_set_error(ret, "opencl: cannot build the kernels for %s",
				 st->dev.name);
		goto fail;
	}
	for (int i = 0; i < QCL_K_COUNT; i++) {
		st->k[i] = clCreateKernel(st->prog, qcl_kernel_names[i], &err);
		if (!st->k[i]) {
			ret = qaccel_set_error(-EIO, "opencl: kernel %s missing (error %d)",
					       qcl_kernel_names[i], err);
			goto fail;
		}
	}
	snprintf(st->desc, sizeof(st->desc), "%s (%s; integer dot product: %s)",
		 st->dev.name, st->dev.version,
		 st->dev.dot == QCL_DOT_KHR ? "cl_khr" : st->dev.dot == QCL_DOT_ARM ?
		 "cl_arm" : st->dev.dot == QCL_DOT_EMULATE ? "emulated" : "none");
	*state = st;
	return 0;
fail:
	qcl_close(st);
	return ret;
}

static const char *qcl_device_name(void *state)
{
	return ((struct qcl_state *)state)->desc;
}

static int qcl_map(struct qcl_state *st, struct qcl_bo *b, cl_bool blocking)
{
	cl_int err = CL_SUCCESS;
	void *p;

	if (b->mapped)
		return 0;
	p = clEnqueueMapBuffer(st->queue, b->mem, blocking, CL_MAP_READ | CL_MAP_WRITE,
			       0, b->alloc, 0, NULL, NULL, &err);
	/* USE_HOST_PTR: the mapping is the host memory itself, every time. */
	if (!p || err || p != b->bo.map)
		return -EIO;
	b->mapped = true;
	return 0;
}

static void qcl_unmap(struct qcl_state *st, struct qcl_bo *b)
{
	if (b->mapped && !clEnqueueUnmapMemObject(st->queue, b->mem, b->bo.map, 0,
						  NULL, NULL))
		b->mapped = false;
}

static int qcl_bo_create(void *state, size_t size, struct qaccel_bo **out)
{
	struct qcl_state *st = state;
	struct qcl_bo *b = calloc(1, sizeof(*b));
	/* Whole pages, at least one: clCreateBuffer refuses size 0. */
	size_t alloc = size ? (size + 4095) & ~(size_t)4095 : 4096;
	cl_int err;

	if (!b || alloc < size)
		goto nomem;
	b->bo.map = aligned_alloc(4096, alloc);
	if (!b->bo.map)
		goto nomem;
	b->bo.size = size;
	b->alloc = alloc;
	b->mem = clCreateBuffer(st->ctx, CL_MEM_READ_WRITE | CL_MEM_USE_HOST_PTR,
				alloc, b->bo.map, &err);
	if (!b->mem)
		goto nomem;
	pthread_mutex_lock(&st->lock);
	err = qcl_map(st, b, CL_TRUE);
	pthread_mutex_unlock(&st->lock);
	if (err) {
		clReleaseMemObject(b->mem);
		goto nomem;
	}
	*out = &b->bo;
	return 0;
nomem:
	if (b)
		free(b->bo.map);
	free(b);
	return -ENOMEM;
}

static void qcl_bo_destroy(void *state, struct qaccel_bo *bo)
{
	struct qcl_state *st = state;
	struct qcl_bo *b = (struct qcl_bo *)bo;

	if (!b)
		return;
	pthread_mutex_lock(&st->lock);
	qcl_unmap(st, b);
	clFinish(st->queue);
	pthread_mutex_unlock(&st->lock);
	clReleaseMemObject(b->mem);
	free(b->bo.map);
	free(b);
}

static int qcl_submit(void *state, struct qaccel_bo *stream, uint32_t stream_size,
		      struct qaccel_bo *const *table, uint32_t count)
{
	struct qcl_state *st = state;
	uint64_t sizes[QACCEL_MAX_BUFFERS] = { 0 };
	struct qaccel_validate_error verr;
	const struct qaccel_stream_header *h = stream->map;
	const uint8_t *p;
	cl_event ev = NULL;
	int ret, mret = 0;

	if (count > QACCEL_MAX_BUFFERS || stream_size > stream->size)
		return -EINVAL;
	for (uint32_t i = 0; i < count; i++)
		sizes[i] = table[i]->size;
	/* Nothing reaches a kernel that the validator has not accepted. */
	ret = qaccel_validate(stream->map, stream_size, sizes, count, &verr);
	if (ret)
		return ret;
	pthread_mutex_lock(&st->lock);
	for (uint32_t i = 0; i < count; i++)
		qcl_unmap(st, (struct qcl_bo *)table[i]);
	p = (const uint8_t *)stream->map + sizeof(*h);
	for (uint32_t i = 0; i < h->num_cmds && !ret; i++) {
		const struct qaccel_cmd_header *cmd = (const void *)p;

		ret = qcl_dispatch(st, cmd, table, &ev);
		p += cmd->size;
	}
	if (ev)
		clReleaseEvent(ev);
	/* Mapped again whatever happened: the host owns the bytes between runs. */
	for (uint32_t i = 0; i < count; i++) {
		int r = qcl_map(st, (struct qcl_bo *)table[i], CL_FALSE);

		mret = mret ? mret : r;
	}
	if (clFinish(st->queue) && !ret)
		ret = -EIO;
	pthread_mutex_unlock(&st->lock);
	return ret ? ret : mret;
}

int qaccel_opencl_build_info(const void *backend_state, struct qcl_build_info *out)
{
	const struct qcl_state *st = backend_state;

	if (!st)
		return -EINVAL;
	*out = st->build;
	return 0;
}

const struct qaccel_backend_ops qaccel_backend_opencl = {
	.name = "opencl",
	.open = qcl_open,
	.close = qcl_close,
	.device_name = qcl_device_name,
	.bo_create = qcl_bo_create,
	.bo_destroy = qcl_bo_destroy,
	.submit = qcl_submit,
};

#endif /* QACCEL_HAVE_OPENCL */
