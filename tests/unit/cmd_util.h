/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Test helpers: a buffer table of separately allocated, exactly sized
 * buffers (so ASan sees any overrun), tensors and int32 arrays placed in
 * them (optionally after a few bytes of slack, so a kernel that ignores an
 * offset reads the wrong bytes), random command fields within the limits
 * of uapi/qaccel_cmd.h, and one-command streams for the validator.
 */
#ifndef QACCEL_TEST_CMD_UTIL_H
#define QACCEL_TEST_CMD_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"
#include "runtime/ref/qaccel_ref.h"

#define T_MAX_BUFS 16

struct t_bufs {
	struct qaccel_buf_view v[T_MAX_BUFS];
	uint64_t sizes[T_MAX_BUFS];
	uint32_t n;
};

/* A new buffer of exactly size bytes, random contents. */
static inline uint32_t t_buf_new(struct t_bufs *b, size_t size)
{
	uint32_t i = b->n++;

	if (i >= T_MAX_BUFS)
		abort();
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

/* dst becomes a deep copy of src (same sizes and bytes). */
static inline void t_bufs_clone(struct t_bufs *dst, const struct t_bufs *src)
{
	*dst = *src;
	for (uint32_t i = 0; i < src->n; i++) {
		dst->v[i].ptr = malloc(src->sizes[i] ? src->sizes[i] : 1);
		memcpy(dst->v[i].ptr, src->v[i].ptr, src->sizes[i]);
	}
}

static inline size_t t_elems(const uint32_t *d)
{
	return (size_t)d[0] * d[1] * d[2] * d[3];
}

/*
 * A tensor in a new buffer: slack random bytes, then exactly its
 * elements (the buffer ends where the tensor does).
 */
static inline void t_tensor_at(struct t_bufs *b, struct qaccel_tensor *t,
			       const uint32_t *dims, int32_t zp, uint32_t slack)
{
	memset(t, 0, sizeof(*t));
	memcpy(t->dims, dims, sizeof(t->dims));
	t->zero_point = zp;
	t->ref.offset = slack;
	t->ref.buf = t_buf_new(b, slack + t_elems(t->dims));
}

static inline void t_tensor(struct t_bufs *b, struct qaccel_tensor *t, uint32_t n,
			    uint32_t h, uint32_t w, uint32_t c, int32_t zp)
{
	uint32_t d[4] = { n, h, w, c };

	t_tensor_at(b, t, d, zp, 0);
}

static inline int8_t *t_data(struct t_bufs *b, const struct qaccel_tensor *t)
{
	return (int8_t *)b->v[t->ref.buf].ptr + t->ref.offset;
}

static inline void *t_ptr(struct t_bufs *b, const struct qaccel_ref *r)
{
	return b->v[r->buf].ptr + r->offset;
}

/* Copies values into a tensor's elements. */
static inline void t_fill(struct t_bufs *b, const struct qaccel_tensor *t,
			  const int8_t *v)
{
	memcpy(t_data(b, t), v, t_elems(t->dims));
}

/* An array of count int32 words in a new buffer, at a 4-aligned offset. */
static inline struct qaccel_ref t_words(struct t_bufs *b, uint32_t count,
					uint32_t slack_words)
{
	struct qaccel_ref r;

	r.offset = 4 * slack_words;
	r.buf = t_buf_new(b, 4 * ((size_t)slack_words + count));
	return r;
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

/*
 * Any valid multiplier, edges included: 0, 1, 2^30, 2^31 - 1 and any
 * value between, shifts anywhere in [lo, hi].
 */
static inline struct qaccel_qmul t_qmul_any(int lo, int hi)
{
	static const int32_t edge[] = { 0, 1, 1 << 30, INT32_MAX, (1 << 30) + 1 };
	struct qaccel_qmul q = t_qmul(lo, hi);

	if (t_one_in(8))
		q.multiplier = edge[t_rand() % 5];
	else if (t_one_in(8))
		q.multiplier = (int32_t)(t_rand() & 0x7fffffff);
	return q;
}

/* A random activation clamp: often the full range, sometimes narrow. */
static inline struct qaccel_clamp t_rand_clamp(void)
{
	struct qaccel_clamp c = { -128, 127 };
	int32_t a, z;

	switch (t_rand() % 4) {
	case 0:
		break;
	case 1:		/* ReLU-like: [zp-ish, 127] */
		c.min = t_range(-128, 127);
		break;
	default:
		a = t_range(-128, 127);
		z = t_range(-128, 127);
		c.min = a < z ? a : z;
		c.max = a < z ? z : a;
		break;
	}
	return c;
}

/* A zero point, edges -128 and 127 often. */
static inline int32_t t_zp(void)
{
	switch (t_rand() % 6) {
	case 0:
		return -128;
	case 1:
		return 127;
	case 2:
		return 0;
	default:
		return t_range(-128, 127);
	}
}

/* Bytes of slack before an operand: usually none, sometimes a few. */
static inline uint32_t t_slack(void)
{
	return t_one_in(3) ? (uint32_t)t_range(1, 13) : 0;
}

/*
 * Requantization parameters for oc output channels: per tensor or per
 * channel, either rounding, realistic multipliers or (one case in four)
 * any valid one, shifts at both ends of [-31, 30] included.
 */
static inline void t_rand_requant(struct t_bufs *b, struct qaccel_requant *rq,
				  uint32_t oc)
{
	struct qaccel_qmul *q;
	int wide = t_one_in(4);

	rq->count = t_one_in(3) ? 1 : oc;
	rq->rounding = t_rand() & 1;
	rq->params = t_words(b, 2 * rq->count, t_one_in(4));
	q = t_ptr(b, &rq->params);
	for (uint32_t i = 0; i < rq->count; i++)
		q[i] = wide ? t_qmul_any(-31, 30) : t_qmul(-14, 1);
}

/* A bias of oc int32 values, or none (one case in four). */
static inline struct qaccel_ref t_rand_bias(struct t_bufs *b, uint32_t oc)
{
	struct qaccel_ref r = { QACCEL_NO_BUFFER, 0 };
	int wide = t_one_in(5);
	int32_t *v;

	if (t_one_in(4))
		return r;
	r = t_words(b, oc, t_one_in(4));
	v = t_ptr(b, &r);
	for (uint32_t i = 0; i < oc; i++)
		v[i] = wide ? (int32_t)t_rand() : t_range(-(1 << 16), 1 << 16);
	return r;
}

/* Random strides, dilations (if dilate) and valid leading padding. */
static inline void t_rand_window(struct qaccel_window *w, uint32_t kh,
				 uint32_t kw, int dilate)
{
	w->stride_h = t_one_in(12) ? (uint32_t)t_range(1, QACCEL_MAX_STRIDE) :
		      (uint32_t)t_range(1, 3);
	w->stride_w = t_one_in(12) ? (uint32_t)t_range(1, QACCEL_MAX_STRIDE) :
		      (uint32_t)t_range(1, 3);
	w->dilation_h = !dilate ? 1 : t_one_in(12) ?
			(uint32_t)t_range(1, QACCEL_MAX_DILATION) : (uint32_t)t_range(1, 3);
	w->dilation_w = !dilate ? 1 : t_one_in(12) ?
			(uint32_t)t_range(1, QACCEL_MAX_DILATION) : (uint32_t)t_range(1, 3);
	/* pad < (k - 1) * dilation + 1, the validator's bound. */
	w->pad_top = (uint32_t)t_range(0, (int32_t)((kh - 1) * w->dilation_h));
	w->pad_left = (uint32_t)t_range(0, (int32_t)((kw - 1) * w->dilation_w));
}

/*
 * An output side for input side in: what some trailing padding below the
 * window's extent gives, sometimes one or two more (windows wholly in the
 * padding), at least 1.
 */
static inline uint32_t t_win_out(uint32_t in, uint32_t k, uint32_t pad,
				 uint32_t stride, uint32_t dil)
{
	int64_t eff = (int64_t)(k - 1) * dil + 1;
	int64_t span = (int64_t)in + pad + t_range(0, (int32_t)(eff - 1));
	int64_t out = span >= eff ? (span - eff) / stride + 1 : 1;

	if (t_one_in(6))
		out += t_range(1, 2);
	return (uint32_t)out;
}

/* Formats a tensor's dims and zero point for failure messages. */
#define T_DIMS_FMT "[%u,%u,%u,%u] zp %d"
#define T_DIMS_ARGS(t) (t).dims[0], (t).dims[1], (t).dims[2], (t).dims[3], \
	(t).zero_point

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
