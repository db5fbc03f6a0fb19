// SPDX-License-Identifier: MIT
/*
 * The cpu backend: runs streams in process with the optimised kernels of
 * runtime/cpu/ (the best instruction-set level this CPU has), on a thread
 * pool created with the context. Buffers are plain memory; weights in a
 * sealed buffer (a model's constants) are repacked on first use and kept
 * with the buffer until it is freed.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend.h"
#include "runtime/cpu/cpu.h"

#define CPU_DEFAULT_MAX_THREADS 8
#define CPU_MAX_THREADS 256

/* A ref buffer (plain memory) and what the cpu backend keeps beside it. */
struct cpu_bo {
	struct qaccel_bo bo;
	struct qaccel_bo *mem;
	bool sealed;
	struct cpu_packed *packed;
	/*
	 * A sealed stream accepted by the validator: its size and the
	 * buffer sizes it was checked against. The same submit again
	 * needs no second pass (the result depends on nothing else).
	 */
	uint64_t *ok_sizes;
	uint32_t ok_size, ok_count;
};

struct cpu_state {
	struct cpu_engine engine;
	/*
	 * Models of one context may run from different threads (qaccel.h);
	 * the engine's pool and scratch serve one submit at a time.
	 */
	pthread_mutex_t lock;
	char name[96];
};

static int cpu_open(const struct qaccel_ctx_options *opts, void **state)
{
	int threads = opts ? opts->threads : 0;
	struct cpu_state *s;
	int ret;

	if (threads > CPU_MAX_THREADS)
		return -EINVAL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	if (threads <= 0) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);

		threads = n < 1 ? 1 : n > CPU_DEFAULT_MAX_THREADS ?
			  CPU_DEFAULT_MAX_THREADS : (int)n;
	}
	ret = cpu_engine_init(&s->engine, cpu_isa_best(), threads);
	if (ret) {
		free(s);
		return ret;
	}
	pthread_mutex_init(&s->lock, NULL);
	snprintf(s->name, sizeof(s->name), "optimised int8 kernels (%s, %d thread%s)",
		 s->engine.isa->name, threads, threads == 1 ? "" : "s");
	*state = s;
	return 0;
}

static void cpu_close(void *state)
{
	struct cpu_state *s = state;

	cpu_engine_fini(&s->engine);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

static const char *cpu_device_name(void *state)
{
	return ((struct cpu_state *)state)->name;
}

static int cpu_bo_create(void *state, size_t size, struct qaccel_bo **out)
{
	struct cpu_bo *b = calloc(1, sizeof(*b));
	int ret;

	(void)state;
	if (!b)
		return -ENOMEM;
	ret = qaccel_backend_ref.bo_create(NULL, size, &b->mem);
	if (ret) {
		free(b);
		return ret;
	}
	b->bo = *b->mem;
	*out = &b->bo;
	return 0;
}

static void cpu_bo_destroy(void *state, struct qaccel_bo *bo)
{
	struct cpu_bo *b = (struct cpu_bo *)bo;

	(void)state;
	if (!bo)
		return;
	cpu_packed_free_all(&b->packed);
	free(b->ok_sizes);
	qaccel_backend_ref.bo_destroy(NULL, b->mem);
	free(b);
}

static void cpu_bo_seal(void *state, struct qaccel_bo *bo)
{
	(void)state;
	((struct cpu_bo *)bo)->sealed = true;
}

static bool known_valid(const struct cpu_bo *sb, uint32_t size, const uint64_t *sizes,
			uint32_t count)
{
	return sb->sealed && sb->ok_sizes && sb->ok_size == size && sb->ok_count == count &&
	       !memcmp(sb->ok_sizes, sizes, sizeof(*sizes) * count);
}

/* Without memory for the record, the next submit validates again. */
static void remember_valid(struct cpu_bo *sb, uint32_t size, const uint64_t *sizes,
			   uint32_t count)
{
	if (!sb->sealed)
		return;
	if (!sb->ok_sizes)
		sb->ok_sizes = malloc(sizeof(*sizes) * QACCEL_MAX_BUFFERS);
	if (!sb->ok_sizes)
		return;
	memcpy(sb->ok_sizes, sizes, sizeof(*sizes) * count);
	sb->ok_size = size;
	sb->ok_count = count;
}

static int cpu_submit(void *state, struct qaccel_bo *stream, uint32_t stream_size,
		      struct qaccel_bo *const *table, uint32_t count)
{
	struct cpu_state *s = state;
	struct qaccel_buf_view views[QACCEL_MAX_BUFFERS];
	struct cpu_packed **caches[QACCEL_MAX_BUFFERS];
	uint64_t sizes[QACCEL_MAX_BUFFERS];
	struct qaccel_validate_error err;
	struct cpu_bo *sb = (struct cpu_bo *)stream;
	int ret;

	if (count > QACCEL_MAX_BUFFERS || stream_size > stream->size)
		return -EINVAL;
	for (uint32_t i = 0; i < count; i++) {
		struct cpu_bo *b = (struct cpu_bo *)table[i];

		views[i].ptr = table[i]->map;
		views[i].size = table[i]->size;
		sizes[i] = table[i]->size;
		caches[i] = b->sealed ? &b->packed : NULL;
	}
	pthread_mutex_lock(&s->lock);
	/* Like the kernel: nothing runs that the validator has not accepted. */
	if (!known_valid(sb, stream_size, sizes, count)) {
		ret = qaccel_validate(stream->map, stream_size, sizes, count, &err);
		if (!ret)
			remember_valid(sb, stream_size, sizes, count);
	} else {
		ret = 0;
	}
	if (!ret)
		ret = cpu_exec_stream(&s->engine, stream->map, views, caches);
	pthread_mutex_unlock(&s->lock);
	return ret;
}

const struct qaccel_backend_ops qaccel_backend_cpu = {
	.name = "cpu",
	.open = cpu_open,
	.close = cpu_close,
	.device_name = cpu_device_name,
	.bo_create = cpu_bo_create,
	.bo_destroy = cpu_bo_destroy,
	.submit = cpu_submit,
	.bo_seal = cpu_bo_seal,
};
