// SPDX-License-Identifier: MIT
/*
 * The ref backend: runs streams in process with the reference kernels, the
 * same code the driver's simulated engine runs. Buffers are plain memory.
 */
#include <errno.h>
#include <stdlib.h>

#include "backend.h"
#include "runtime/ref/qaccel_ref.h"

struct ref_bo {
	struct qaccel_bo bo;
};

static int ref_open(const struct qaccel_ctx_options *opts, void **state)
{
	(void)opts;
	*state = NULL;
	return 0;
}

static void ref_close(void *state)
{
	(void)state;
}

static const char *ref_device_name(void *state)
{
	(void)state;
	return "reference int8 kernels (in process)";
}

static int ref_bo_create(void *state, size_t size, struct qaccel_bo **out)
{
	struct ref_bo *b = calloc(1, sizeof(*b));

	(void)state;
	if (!b)
		return -ENOMEM;
	/* 64-byte alignment: every engine operand alignment rule holds. */
	b->bo.map = aligned_alloc(64, (size + 63) & ~(size_t)63);
	if (!b->bo.map) {
		free(b);
		return -ENOMEM;
	}
	b->bo.size = size;
	*out = &b->bo;
	return 0;
}

static void ref_bo_destroy(void *state, struct qaccel_bo *bo)
{
	(void)state;
	if (!bo)
		return;
	free(bo->map);
	free((struct ref_bo *)bo);
}

static int ref_submit(void *state, struct qaccel_bo *stream, uint32_t stream_size,
		      struct qaccel_bo *const *table, uint32_t count)
{
	struct qaccel_buf_view views[QACCEL_MAX_BUFFERS];
	uint64_t sizes[QACCEL_MAX_BUFFERS];
	struct qaccel_validate_error err;
	int ret;

	(void)state;
	if (count > QACCEL_MAX_BUFFERS || stream_size > stream->size)
		return -EINVAL;
	for (uint32_t i = 0; i < count; i++) {
		views[i].ptr = table[i]->map;
		views[i].size = table[i]->size;
		sizes[i] = table[i]->size;
	}
	/* Like the kernel: nothing runs that the validator has not accepted. */
	ret = qaccel_validate(stream->map, stream_size, sizes, count, &err);
	if (ret)
		return ret;
	return qaccel_exec_stream(stream->map, views, NULL, NULL);
}

const struct qaccel_backend_ops qaccel_backend_ref = {
	.name = "ref",
	.open = ref_open,
	.close = ref_close,
	.device_name = ref_device_name,
	.bo_create = ref_bo_create,
	.bo_destroy = ref_bo_destroy,
	.submit = ref_submit,
};
