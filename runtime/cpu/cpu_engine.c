// SPDX-License-Identifier: MIT
/*
 * The engine: per-thread scratch, the packed-weight cache lists, and the
 * dispatch of each command to its optimised driver or, for the commands
 * without one, to the reference kernel.
 */
#include <errno.h>
#include <stdlib.h>

#include "cpu.h"
#include "runtime/ref/ref_util.h"

int cpu_engine_init(struct cpu_engine *e, const struct cpu_isa *isa, int threads)
{
	int ret;

	e->isa = isa;
	e->threads = threads < 1 ? 1 : threads;
	e->split_min = CPU_SPLIT_MIN_WORK;
	e->softmax = NULL;
	e->image = NULL;
	e->image_size = 0;
	/* One slot per thread, and one more for data shared by a command. */
	e->scratch = calloc((size_t)e->threads + 1, sizeof(*e->scratch));
	e->scratch_size = calloc((size_t)e->threads + 1, sizeof(*e->scratch_size));
	if (!e->scratch || !e->scratch_size) {
		free(e->scratch);
		free(e->scratch_size);
		return -ENOMEM;
	}
	ret = cpu_pool_create(e->threads, &e->pool);
	if (ret) {
		free(e->scratch);
		free(e->scratch_size);
	}
	return ret;
}

void cpu_engine_fini(struct cpu_engine *e)
{
	cpu_pool_destroy(e->pool);
	cpu_softmax_free(e);
	free(e->image);
	for (int i = 0; i <= e->threads; i++)
		free(e->scratch[i]);
	free(e->scratch);
	free(e->scratch_size);
}

u32 cpu_split_threads(const struct cpu_engine *e, u64 work)
{
	return work < e->split_min ? 1 : (u32)e->threads;
}

void cpu_run(struct cpu_engine *e, u32 ntasks, void (*fn)(void *arg, u32 task, u32 thread),
	     void *arg, u64 work)
{
	if (work < e->split_min) {
		for (u32 t = 0; t < ntasks; t++)
			fn(arg, t, 0);
		return;
	}
	cpu_pool_run(e->pool, ntasks, fn, arg);
}

void *cpu_scratch(struct cpu_engine *e, u32 thread, size_t size)
{
	if (e->scratch_size[thread] < size) {
		size_t grown = (size + 4095) & ~(size_t)4095;
		void *p = aligned_alloc(64, grown);

		if (!p)
			return NULL;
		free(e->scratch[thread]);
		e->scratch[thread] = p;
		e->scratch_size[thread] = grown;
	}
	return e->scratch[thread];
}

/* A cache is a ring whose pointer is the last entry used (or NULL). */
void cpu_packed_free_all(struct cpu_packed **list)
{
	struct cpu_packed *last = *list, *p;

	if (!last)
		return;
	/* Broken open after the last entry; a lone uncached entry has no next. */
	p = last->next ? last->next : last;
	last->next = NULL;
	while (p) {
		struct cpu_packed *next = p->next;

		free(p->b);
		free(p->wsum);
		free(p->rq_mem);
		free(p);
		p = next;
	}
	*list = NULL;
}

/*
 * Commands run in the same order every time, so the search starts after
 * the entry used last: one step per command instead of a walk.
 */
struct cpu_packed *cpu_packed_find(struct cpu_packed **cache, const void *src,
				   u32 opcode, u32 n, u32 k, u32 kh, u32 kw,
				   enum cpu_isa_level level)
{
	struct cpu_packed *p;

	if (!cache || !*cache)
		return NULL;
	p = *cache;
	do {
		p = p->next;
		if (p->src == src && p->opcode == opcode && p->n == n && p->k == k &&
		    p->kh == kh && p->kw == kw && p->level == level) {
			*cache = p;
			return p;
		}
	} while (p != *cache);
	return NULL;
}

void cpu_packed_insert(struct cpu_packed **cache, struct cpu_packed *p)
{
	if (!*cache) {
		p->next = p;
	} else {
		p->next = (*cache)->next;
		(*cache)->next = p;
	}
	*cache = p;
}

static struct cpu_packed **cache_of(struct cpu_packed **const *caches,
				    const struct qaccel_tensor *filter)
{
	return caches ? caches[filter->ref.buf] : NULL;
}

/*
 * Bias and multipliers in the filter's own constant buffer: their bytes
 * live and die with the packed weights, so arrays made from them can stay.
 */
static bool rq_const(struct cpu_packed **const *caches, const struct qaccel_tensor *filter,
		     const struct qaccel_ref *bias, const struct qaccel_requant *req)
{
	u32 fb = filter->ref.buf;

	return caches && caches[fb] && req->params.buf == fb &&
	       (bias->buf == QACCEL_NO_BUFFER || bias->buf == fb);
}

/* The output tensor of an optimised command, or NULL for the others. */
static const struct qaccel_tensor *fast_output(const struct qaccel_cmd_header *cmd)
{
	const void *c = cmd;

	switch (cmd->opcode) {
	case QACCEL_OP_CONV_2D:
		return &((const struct qaccel_cmd_conv2d *)c)->output;
	case QACCEL_OP_FULLY_CONNECTED:
		return &((const struct qaccel_cmd_fc *)c)->output;
	case QACCEL_OP_DEPTHWISE_CONV_2D:
		return &((const struct qaccel_cmd_dwconv2d *)c)->output;
	case QACCEL_OP_MAX_POOL_2D:
	case QACCEL_OP_AVERAGE_POOL_2D:
		return &((const struct qaccel_cmd_pool2d *)c)->output;
	case QACCEL_OP_ADD:
	case QACCEL_OP_SUB:
	case QACCEL_OP_MUL:
		return &((const struct qaccel_cmd_binary *)c)->output;
	case QACCEL_OP_LUT:
		return &((const struct qaccel_cmd_lut *)c)->output;
	case QACCEL_OP_MEAN:
		return &((const struct qaccel_cmd_mean *)c)->output;
	case QACCEL_OP_SOFTMAX_F32:
		return &((const struct qaccel_cmd_softmax_f32 *)c)->output;
	case QACCEL_OP_SOFTMAX:
		return &((const struct qaccel_cmd_softmax *)c)->output;
	default:
		return NULL;
	}
}

int cpu_exec_cmd(struct cpu_engine *e, const struct qaccel_cmd_header *cmd,
		 const struct qaccel_buf_view *bufs,
		 struct cpu_packed **const *caches)
{
	const struct qaccel_tensor *out = fast_output(cmd);
	const void *c = cmd;

	/*
	 * The drivers count pixels and rows in 32 bits: an output of 2^31
	 * elements or more (which no real model has) runs the reference.
	 */
	if (!out || ref_elems(out) >= (1ULL << 31)) {
		qaccel_exec_cmd(cmd, bufs);
		return 0;
	}
	switch (cmd->opcode) {
	case QACCEL_OP_CONV_2D: {
		const struct qaccel_cmd_conv2d *cc = c;

		return cpu_conv2d(e, cc, bufs, cache_of(caches, &cc->filter),
				  rq_const(caches, &cc->filter, &cc->bias, &cc->requant));
	}
	case QACCEL_OP_FULLY_CONNECTED: {
		const struct qaccel_cmd_fc *fc = c;

		return cpu_fc(e, fc, bufs, cache_of(caches, &fc->filter),
			      rq_const(caches, &fc->filter, &fc->bias, &fc->requant));
	}
	case QACCEL_OP_DEPTHWISE_CONV_2D: {
		const struct qaccel_cmd_dwconv2d *dc = c;

		return cpu_dwconv2d(e, dc, bufs, cache_of(caches, &dc->filter),
				    rq_const(caches, &dc->filter, &dc->bias, &dc->requant));
	}
	case QACCEL_OP_MAX_POOL_2D:
	case QACCEL_OP_AVERAGE_POOL_2D:
		return cpu_pool2d(e, c, bufs);
	case QACCEL_OP_ADD:
	case QACCEL_OP_SUB:
	case QACCEL_OP_MUL:
		return cpu_binary(e, c, bufs);
	case QACCEL_OP_MEAN:
		return cpu_mean(e, c, bufs);
	case QACCEL_OP_SOFTMAX_F32:
		return cpu_softmax_f32(c, bufs);
	case QACCEL_OP_SOFTMAX:
		return cpu_softmax(e, c, bufs);
	default:
		return cpu_lut(e, c, bufs);
	}
}

int cpu_exec_stream(struct cpu_engine *e, const void *stream,
		    const struct qaccel_buf_view *bufs,
		    struct cpu_packed **const *caches)
{
	const struct qaccel_stream_header *h = stream;
	const u8 *p = (const u8 *)stream + sizeof(*h);

	for (u32 i = 0; i < h->num_cmds; i++) {
		const struct qaccel_cmd_header *cmd = (const void *)p;
		int ret = cpu_exec_cmd(e, cmd, bufs, caches);

		if (ret)
			return ret;
		p += cmd->size;
	}
	return 0;
}
