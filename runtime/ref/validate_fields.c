// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Validator checks shared by several commands: references, tensors,
 * multipliers, clamps, windows, bias and requantization. Each rejection
 * records a static string naming the field (validate.c lists the rules).
 */
#include "validate.h"

const struct qaccel_vtensor_names qaccel_vn_input = {
	.ref = {
		.buf = "input.ref.buf: not in the buffer table",
		.align = "input.ref.offset: not 4-aligned",
		.extent = "input.ref: reaches past the end of its buffer",
	},
	.dims = "input.dims: 0",
	.dims_big = "input.dims: above QACCEL_MAX_DIM",
	.zero_point = "input.zero_point: outside -128..127",
	.reserved = "input.reserved: not 0",
};

const struct qaccel_vtensor_names qaccel_vn_input1 = {
	.ref = {
		.buf = "input1.ref.buf: not in the buffer table",
		.align = "input1.ref.offset: not 4-aligned",
		.extent = "input1.ref: reaches past the end of its buffer",
	},
	.dims = "input1.dims: 0",
	.dims_big = "input1.dims: above QACCEL_MAX_DIM",
	.zero_point = "input1.zero_point: outside -128..127",
	.reserved = "input1.reserved: not 0",
};

const struct qaccel_vtensor_names qaccel_vn_input2 = {
	.ref = {
		.buf = "input2.ref.buf: not in the buffer table",
		.align = "input2.ref.offset: not 4-aligned",
		.extent = "input2.ref: reaches past the end of its buffer",
	},
	.dims = "input2.dims: 0",
	.dims_big = "input2.dims: above QACCEL_MAX_DIM",
	.zero_point = "input2.zero_point: outside -128..127",
	.reserved = "input2.reserved: not 0",
};

const struct qaccel_vtensor_names qaccel_vn_filter = {
	.ref = {
		.buf = "filter.ref.buf: not in the buffer table",
		.align = "filter.ref.offset: not 4-aligned",
		.extent = "filter.ref: reaches past the end of its buffer",
	},
	.dims = "filter.dims: 0",
	.dims_big = "filter.dims: above QACCEL_MAX_DIM",
	.zero_point = "filter.zero_point: outside -128..127",
	.reserved = "filter.reserved: not 0",
};

const struct qaccel_vtensor_names qaccel_vn_output = {
	.ref = {
		.buf = "output.ref.buf: not in the buffer table",
		.align = "output.ref.offset: not 4-aligned",
		.extent = "output.ref: reaches past the end of its buffer",
	},
	.dims = "output.dims: 0",
	.dims_big = "output.dims: above QACCEL_MAX_DIM",
	.zero_point = "output.zero_point: outside -128..127",
	.reserved = "output.reserved: not 0",
};

static const struct qaccel_vref_names qaccel_vn_bias = {
	.buf = "bias.buf: not in the buffer table",
	.align = "bias.offset: not 4-aligned",
	.extent = "bias: reaches past the end of its buffer",
};

static const struct qaccel_vref_names qaccel_vn_params = {
	.buf = "requant.params.buf: not in the buffer table",
	.align = "requant.params.offset: not 4-aligned",
	.extent = "requant.params: reaches past the end of its buffer",
};

/**
 * qaccel_vfail() - record why a command is rejected
 * @v: validation state
 * @err: the negative errno to return
 * @reason: static string naming the field
 *
 * Return: @err.
 */
int qaccel_vfail(struct qaccel_vctx *v, int err, const char *reason)
{
	v->reason = reason;
	return err;
}

/**
 * qaccel_vref() - check that an operand lies inside its buffer
 * @v: validation state
 * @r: the reference
 * @bytes: extent of the operand in bytes, at least 1
 * @align: required alignment of the offset (1 or 4)
 * @n: what to report
 *
 * Return: 0, -EINVAL (unknown buffer, misaligned) or -EOVERFLOW.
 */
int qaccel_vref(struct qaccel_vctx *v, const struct qaccel_ref *r, u64 bytes,
		u32 align, const struct qaccel_vref_names *n)
{
	u64 size;

	if (r->buf >= v->num_bufs)
		return qaccel_vfail(v, -EINVAL, n->buf);
	if (r->offset % align)
		return qaccel_vfail(v, -EINVAL, n->align);
	/* offset + bytes <= size, written so that nothing can wrap. */
	size = v->sizes[r->buf];
	if (bytes > size || r->offset > size - bytes)
		return qaccel_vfail(v, -EOVERFLOW, n->extent);
	return 0;
}

/**
 * qaccel_vtensor_fields() - check a tensor's dims, zero point and reserved
 * @v: validation state
 * @t: the tensor
 * @n: what to report
 *
 * Return: 0, -EINVAL or -E2BIG.
 */
int qaccel_vtensor_fields(struct qaccel_vctx *v, const struct qaccel_tensor *t,
			  const struct qaccel_vtensor_names *n)
{
	int i;

	for (i = 0; i < 4; i++) {
		if (!t->dims[i])
			return qaccel_vfail(v, -EINVAL, n->dims);
		if (t->dims[i] > QACCEL_MAX_DIM)
			return qaccel_vfail(v, -E2BIG, n->dims_big);
	}
	if (t->zero_point < S8_MIN || t->zero_point > S8_MAX)
		return qaccel_vfail(v, -EINVAL, n->zero_point);
	if (t->reserved)
		return qaccel_vfail(v, -EINVAL, n->reserved);
	return 0;
}

/**
 * qaccel_vtensor_mem() - check that a tensor lies inside its buffer
 * @v: validation state
 * @t: the tensor, its fields already checked
 * @n: what to report
 *
 * Four dimensions of up to 2^16 can multiply to exactly 2^64, one past u64:
 * the product is checked.
 *
 * Return: 0, -EINVAL, -E2BIG or -EOVERFLOW.
 */
int qaccel_vtensor_mem(struct qaccel_vctx *v, const struct qaccel_tensor *t,
		       const struct qaccel_vtensor_names *n)
{
	u64 elems = 1;
	int i;

	for (i = 0; i < 4; i++)
		if (__builtin_mul_overflow(elems, (u64)t->dims[i], &elems))
			return qaccel_vfail(v, -E2BIG, n->dims_big);
	return qaccel_vref(v, &t->ref, elems, 1, &n->ref);
}

/**
 * qaccel_vsame_dims() - whether two tensors have the same shape
 * @a: one tensor
 * @b: the other
 *
 * Return: true if all four dimensions are equal.
 */
bool qaccel_vsame_dims(const struct qaccel_tensor *a,
		       const struct qaccel_tensor *b)
{
	return a->dims[0] == b->dims[0] && a->dims[1] == b->dims[1] &&
	       a->dims[2] == b->dims[2] && a->dims[3] == b->dims[3];
}

/**
 * qaccel_vqmul() - check a quantized multiplier
 * @v: validation state
 * @q: the multiplier
 * @n: what to report
 *
 * Return: 0 or -EINVAL.
 */
int qaccel_vqmul(struct qaccel_vctx *v, const struct qaccel_qmul *q,
		 const struct qaccel_vqmul_names *n)
{
	if (q->multiplier < 0)
		return qaccel_vfail(v, -EINVAL, n->multiplier);
	if (q->shift < -31 || q->shift > 30)
		return qaccel_vfail(v, -EINVAL, n->shift);
	return 0;
}

/**
 * qaccel_vrounding() - check an enum qaccel_rounding value
 * @v: validation state
 * @rounding: the value
 * @reason: what to report
 *
 * Return: 0 or -EINVAL.
 */
int qaccel_vrounding(struct qaccel_vctx *v, u32 rounding, const char *reason)
{
	if (rounding != QACCEL_ROUND_DOUBLE && rounding != QACCEL_ROUND_SINGLE)
		return qaccel_vfail(v, -EINVAL, reason);
	return 0;
}

/**
 * qaccel_vclamp() - check an activation clamp
 * @v: validation state
 * @c: the clamp
 *
 * Return: 0 or -EINVAL.
 */
int qaccel_vclamp(struct qaccel_vctx *v, const struct qaccel_clamp *c)
{
	if (c->min < S8_MIN || c->min > S8_MAX)
		return qaccel_vfail(v, -EINVAL, "clamp.min: outside -128..127");
	if (c->max < S8_MIN || c->max > S8_MAX)
		return qaccel_vfail(v, -EINVAL, "clamp.max: outside -128..127");
	if (c->min > c->max)
		return qaccel_vfail(v, -EINVAL, "clamp: min above max");
	return 0;
}

/**
 * qaccel_vwindow() - check a window's size, strides, dilations and padding
 * @v: validation state
 * @w: the window geometry
 * @kh: window height in taps (filter height, or a pool's filter_h)
 * @kw: window width in taps
 * @dilated: true for convolutions; pools need dilations of 1
 *
 * Padding must be smaller than the dilated window extent, (k - 1) * d + 1,
 * so that the first output's window always reaches into the input.
 *
 * Return: 0, -EINVAL or -E2BIG.
 */
int qaccel_vwindow(struct qaccel_vctx *v, const struct qaccel_window *w,
		   u32 kh, u32 kw, bool dilated)
{
	if (kh > QACCEL_MAX_KERNEL_DIM || kw > QACCEL_MAX_KERNEL_DIM)
		return qaccel_vfail(v, -E2BIG, dilated ?
				    "filter.dims: above QACCEL_MAX_KERNEL_DIM" :
				    "filter_h/w: above QACCEL_MAX_KERNEL_DIM");
	if (!kh || !kw)
		return qaccel_vfail(v, -EINVAL, "filter_h/w: 0");
	if (!w->stride_h || !w->stride_w)
		return qaccel_vfail(v, -EINVAL, "win.stride: 0");
	if (w->stride_h > QACCEL_MAX_STRIDE || w->stride_w > QACCEL_MAX_STRIDE)
		return qaccel_vfail(v, -E2BIG,
				    "win.stride: above QACCEL_MAX_STRIDE");
	if (!dilated && (w->dilation_h != 1 || w->dilation_w != 1))
		return qaccel_vfail(v, -EINVAL, "win.dilation: not 1 for a pool");
	if (!w->dilation_h || !w->dilation_w)
		return qaccel_vfail(v, -EINVAL, "win.dilation: 0");
	if (w->dilation_h > QACCEL_MAX_DILATION ||
	    w->dilation_w > QACCEL_MAX_DILATION)
		return qaccel_vfail(v, -E2BIG,
				    "win.dilation: above QACCEL_MAX_DILATION");
	/* At most 63 * 64 + 1: no overflow. */
	if (w->pad_top >= (kh - 1) * w->dilation_h + 1)
		return qaccel_vfail(v, -EINVAL,
				    "win.pad_top: not below the window height");
	if (w->pad_left >= (kw - 1) * w->dilation_w + 1)
		return qaccel_vfail(v, -EINVAL,
				    "win.pad_left: not below the window width");
	return 0;
}

/**
 * qaccel_vrequant() - check a requantization's count and rounding
 * @v: validation state
 * @rq: the requantization
 * @oc: output channels
 *
 * Return: 0 or -EINVAL.
 */
int qaccel_vrequant(struct qaccel_vctx *v, const struct qaccel_requant *rq,
		    u32 oc)
{
	if (rq->count != 1 && rq->count != oc)
		return qaccel_vfail(v, -EINVAL,
				    "requant.count: not 1 or the output channels");
	return qaccel_vrounding(v, rq->rounding, "requant.rounding: unknown");
}

/**
 * qaccel_vbias_requant_mem() - check the bias and multiplier arrays' memory
 * @v: validation state
 * @bias: OC int32 values, or buf QACCEL_NO_BUFFER with offset 0
 * @rq: the requantization, count already checked
 * @oc: output channels
 *
 * Return: 0, -EINVAL or -EOVERFLOW.
 */
int qaccel_vbias_requant_mem(struct qaccel_vctx *v,
			     const struct qaccel_ref *bias,
			     const struct qaccel_requant *rq, u32 oc)
{
	int ret;

	if (bias->buf != QACCEL_NO_BUFFER) {
		ret = qaccel_vref(v, bias, (u64)oc * sizeof(s32), sizeof(s32),
				  &qaccel_vn_bias);
		if (ret)
			return ret;
	} else if (bias->offset) {
		/* An absent operand has no offset: keep the bits for later. */
		return qaccel_vfail(v, -EINVAL,
				    "bias.offset: not 0 with no buffer");
	}
	return qaccel_vref(v, &rq->params,
			   (u64)rq->count * sizeof(struct qaccel_qmul),
			   sizeof(s32), &qaccel_vn_params);
}
