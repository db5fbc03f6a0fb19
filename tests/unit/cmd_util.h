/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Test helpers: a seeded random generator (QACCEL_TEST_SEED overrides the
 * seed, which every failure prints), a buffer table of separately allocated,
 * exactly sized buffers (so ASan sees any overrun), and one-command streams.
 */
#ifndef QACCEL_TEST_CMD_UTIL_H
#define QACCEL_TEST_CMD_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/ref/qaccel_ref.h"

static uint64_t t_rng_state;
static uint64_t t_seed;

static inline void t_seed_init(uint64_t def)
{
	const char *e = getenv("QACCEL_TEST_SEED");

	t_seed = e ? strtoull(e, NULL, 0) : def;
	t_rng_state = t_seed * 0x9e3779b97f4a7c15ull + 1;
}

static inline uint32_t t_rand(void)
{
	t_rng_state ^= t_rng_state << 13;
	t_rng_state ^= t_rng_state >> 7;
	t_rng_state ^= t_rng_state << 17;
	return (uint32_t)(t_rng_state >> 11);
}

/* Uniform in [lo, hi]. */
static inline int32_t t_range(int32_t lo, int32_t hi)
{
	return lo + (int32_t)(t_rand() % (uint32_t)(hi - lo + 1));
}

#define T_MAX_BUFS 16

struct t_bufs {
	struct qaccel_buf_view v[T_MAX_BUFS];
	uint64_t sizes[T_MAX_BUFS];
	uint32_t n;
};

static inline uint32_t t_buf_new(struct t_bufs *b, size_t size)
{
	uint32_t i = b->n++;

	b->v[i].ptr = malloc(size ? size : 1);
	b->v[i].size = size;
	b->sizes[i] = size;
	for (size_t k = 0; k < size; k++)
		b->v[i].ptr[k] = (uint8_t)t_rand();
	return i;
}

static inline void t_bufs_free(struct t_bufs *b)
{
	for (uint32_t i = 0; i < b->n; i++)
		free(b->v[i].ptr);
	b->n = 0;
}

static inline size_t t_elems(const uint32_t *d)
{
	return (size_t)d[0] * d[1] * d[2] * d[3];
}

/* A tensor in a new buffer of exactly its size, random contents. */
static inline void t_tensor(struct t_bufs *b, struct qaccel_tensor *t, uint32_t n,
		     uint32_t h, uint32_t w, uint32_t c, int32_t zp)
{
	memset(t, 0, sizeof(*t));
	t->dims[0] = n;
	t->dims[1] = h;
	t->dims[2] = w;
	t->dims[3] = c;
	t->zero_point = zp;
	t->ref.buf = t_buf_new(b, t_elems(t->dims));
}

static inline int8_t *t_data(struct t_bufs *b, const struct qaccel_tensor *t)
{
	return (int8_t *)b->v[t->ref.buf].ptr + t->ref.offset;
}

static inline void *t_ptr(struct t_bufs *b, const struct qaccel_ref *r)
{
	return b->v[r->buf].ptr + r->offset;
}

/* A random realistic multiplier: [2^30, 2^31), shift in [lo, hi]. */
static inline struct qaccel_qmul t_qmul(int lo, int hi)
{
	struct qaccel_qmul q = {
		.multiplier = (int32_t)((1u << 30) | (t_rand() & 0x3fffffff)),
		.shift = t_range(lo, hi),
	};

	return q;
}

/* Wraps one command in a stream (8-aligned heap copy) and validates it. */
static inline int t_validate_one(const void *cmd, uint32_t size, struct t_bufs *b,
			  struct qaccel_validate_error *err)
{
	uint32_t total = sizeof(struct qaccel_stream_header) + size;
	uint64_t *mem = calloc(1, total);
	struct qaccel_stream_header *h = (void *)mem;
	int ret;

	h->magic = QACCEL_STREAM_MAGIC;
	h->version = QACCEL_ISA_VERSION;
	h->size = total;
	h->num_cmds = 1;
	memcpy(h + 1, cmd, size);
	ret = qaccel_validate(mem, total, b->sizes, b->n, err);
	free(mem);
	return ret;
}

static inline size_t t_first_diff(const int8_t *a, const int8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return i;
	return n;
}

#endif /* QACCEL_TEST_CMD_UTIL_H */
