/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/* Small helpers shared by the reference kernels. */
#ifndef QACCEL_REF_UTIL_H
#define QACCEL_REF_UTIL_H

#include "qaccel_ref.h"
#include "qaccel_qmath.h"

static inline u8 *ref_ptr(const struct qaccel_buf_view *bufs,
			  const struct qaccel_ref *r)
{
	return bufs[r->buf].ptr + r->offset;
}

static inline s8 *ref_tensor(const struct qaccel_buf_view *bufs,
			     const struct qaccel_tensor *t)
{
	return (s8 *)ref_ptr(bufs, &t->ref);
}

static inline u64 ref_elems(const struct qaccel_tensor *t)
{
	return (u64)t->dims[0] * t->dims[1] * t->dims[2] * t->dims[3];
}

/* Byte offset of element [n, h, w, c] of a dense NHWC tensor. */
static inline u64 ref_offset(const u32 *dims, u32 n, u32 h, u32 w, u32 c)
{
	return (((u64)n * dims[1] + h) * dims[2] + w) * dims[3] + c;
}

/* Adds the output zero point exactly (no wrap-around) and clamps. */
static inline s8 ref_output(s32 v, s32 zero_point,
			    const struct qaccel_clamp *cl)
{
	s64 r = (s64)v + zero_point;

	return (s8)(r < cl->min ? cl->min : (r > cl->max ? cl->max : r));
}

static inline s8 ref_narrow(s32 v, const struct qaccel_clamp *cl)
{
	return (s8)qaccel_clamp_s32(v, cl->min, cl->max);
}

/* Two's-complement addition without C's signed-overflow undefinedness. */
static inline s32 ref_add_wrap(s32 a, s32 b)
{
	return (s32)((u32)a + (u32)b);
}

static inline s32 ref_mul_wrap(s32 a, s32 b)
{
	return (s32)((u32)a * (u32)b);
}

/*
 * Rescale by a multiplier read from a buffer. Buffer contents can change
 * after validation (userspace maps them), so the shift is forced into the
 * range the arithmetic is defined for instead of trusted.
 */
static inline s32 ref_requant(s32 acc, const struct qaccel_qmul *q,
			      u32 rounding)
{
	s32 shift = qaccel_clamp_s32(q->shift, -31, 30);

	return qaccel_mul_by_qmul(acc, q->multiplier, shift, rounding);
}

static inline const s32 *ref_bias(const struct qaccel_buf_view *bufs,
				  const struct qaccel_ref *bias)
{
	if (bias->buf == QACCEL_NO_BUFFER)
		return NULL;
	return (const s32 *)ref_ptr(bufs, bias);
}

/* The tail shared by CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED. */
static inline s8 ref_acc_to_output(s32 acc, const s32 *bias,
				   const struct qaccel_qmul *q,
				   const struct qaccel_requant *rq, u32 oc,
				   s32 zero_point, const struct qaccel_clamp *cl)
{
	if (bias)
		acc = ref_add_wrap(acc, bias[oc]);
	acc = ref_requant(acc, &q[rq->count == 1 ? 0 : oc], rq->rounding);
	return ref_output(acc, zero_point, cl);
}

#endif /* QACCEL_REF_UTIL_H */
