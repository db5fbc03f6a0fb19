/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Private to the validator (validate*.c): the checks every command shares,
 * and the static strings that name each field in a rejection.
 */
#ifndef QACCEL_VALIDATE_H
#define QACCEL_VALIDATE_H

#include "qaccel_ref.h"

/**
 * struct qaccel_vctx - state of one qaccel_validate() call
 * @sizes: size of each buffer of the table
 * @num_bufs: entries in @sizes
 * @reason: names the field of the first rejection
 */
struct qaccel_vctx {
	const u64 *sizes;
	u32 num_bufs;
	const char *reason;
};

/**
 * struct qaccel_vref_names - what a rejected struct qaccel_ref reports
 * @buf: buffer index not in the table
 * @align: offset not aligned for an int32 array
 * @extent: the operand reaches past the end of its buffer
 */
struct qaccel_vref_names {
	const char *buf;
	const char *align;
	const char *extent;
};

/**
 * struct qaccel_vtensor_names - what a rejected struct qaccel_tensor reports
 * @ref: its reference
 * @dims: a dimension is 0
 * @dims_big: a dimension is above QACCEL_MAX_DIM
 * @zero_point: zero point outside int8
 * @reserved: reserved word not zero
 */
struct qaccel_vtensor_names {
	struct qaccel_vref_names ref;
	const char *dims;
	const char *dims_big;
	const char *zero_point;
	const char *reserved;
};

/**
 * struct qaccel_vqmul_names - what a rejected struct qaccel_qmul reports
 * @multiplier: negative multiplier
 * @shift: shift outside -31..30
 */
struct qaccel_vqmul_names {
	const char *multiplier;
	const char *shift;
};

extern const struct qaccel_vtensor_names qaccel_vn_input;
extern const struct qaccel_vtensor_names qaccel_vn_input1;
extern const struct qaccel_vtensor_names qaccel_vn_input2;
extern const struct qaccel_vtensor_names qaccel_vn_filter;
extern const struct qaccel_vtensor_names qaccel_vn_output;

int qaccel_vfail(struct qaccel_vctx *v, int err, const char *reason);
int qaccel_vref(struct qaccel_vctx *v, const struct qaccel_ref *r, u64 bytes,
		u32 align, const struct qaccel_vref_names *n);
int qaccel_vtensor_fields(struct qaccel_vctx *v, const struct qaccel_tensor *t,
			  const struct qaccel_vtensor_names *n);
int qaccel_vtensor_mem(struct qaccel_vctx *v, const struct qaccel_tensor *t,
		       const struct qaccel_vtensor_names *n);
bool qaccel_vsame_dims(const struct qaccel_tensor *a,
		       const struct qaccel_tensor *b);
int qaccel_vqmul(struct qaccel_vctx *v, const struct qaccel_qmul *q,
		 const struct qaccel_vqmul_names *n);
int qaccel_vrounding(struct qaccel_vctx *v, u32 rounding, const char *reason);
int qaccel_vclamp(struct qaccel_vctx *v, const struct qaccel_clamp *c);
int qaccel_vwindow(struct qaccel_vctx *v, const struct qaccel_window *w,
		   u32 kh, u32 kw, bool dilated);
int qaccel_vrequant(struct qaccel_vctx *v, const struct qaccel_requant *rq,
		    u32 oc);
int qaccel_vbias_requant_mem(struct qaccel_vctx *v,
			     const struct qaccel_ref *bias,
			     const struct qaccel_requant *rq, u32 oc);
int qaccel_vcmd(struct qaccel_vctx *v, const struct qaccel_cmd_header *h);

#endif /* QACCEL_VALIDATE_H */
