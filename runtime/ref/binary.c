// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * QACCEL_OP_ADD, QACCEL_OP_SUB, QACCEL_OP_MUL: TFLite's int8 Add (SUB is Add
 * with the second multiplier negated, as TFLite does it) and Mul, with
 * 4-D broadcasting of size-1 dimensions.
 */
#include "ref_util.h"

/* Index of output element [n, h, w, c] in an input that may broadcast. */
static u64 binary_index(const u32 *d, u32 n, u32 h, u32 w, u32 c)
{
	return ref_offset(d, d[0] == 1 ? 0 : n, d[1] == 1 ? 0 : h,
			  d[2] == 1 ? 0 : w, d[3] == 1 ? 0 : c);
}

static s32 binary_one(const struct qaccel_cmd_binary *c, s32 a, s32 b)
{
	const struct qaccel_qmul *q1 = &c->input1_qmul, *q2 = &c->input2_qmul;
	const struct qaccel_qmul *qo = &c->output_qmul;
	u32 r = c->rounding;
	s32 v;

	a -= c->input1.zero_point;
	b -= c->input2.zero_point;
	if (c->hdr.opcode == QACCEL_OP_MUL) {
		v = qaccel_mul_by_qmul(a * b, qo->multiplier, qo->shift, r);
	} else {
		s32 m2 = c->hdr.opcode == QACCEL_OP_SUB ? -q2->multiplier :
			 q2->multiplier;
		s32 sa = qaccel_mul_by_qmul(qaccel_shl_wrap(a, c->left_shift),
					    q1->multiplier, q1->shift, r);
		s32 sb = qaccel_mul_by_qmul(qaccel_shl_wrap(b, c->left_shift),
					    m2, q2->shift, r);

		v = qaccel_mul_by_qmul(ref_add_wrap(sa, sb), qo->multiplier,
				       qo->shift, r);
	}
	return v;
}

/**
 * qaccel_ref_binary() - run one validated ADD, SUB or MUL command
 * @c: the command
 * @bufs: the submit's buffer table
 */
void qaccel_ref_binary(const struct qaccel_cmd_binary *c,
		       const struct qaccel_buf_view *bufs)
{
	const s8 *in1 = ref_tensor(bufs, &c->input1);
	const s8 *in2 = ref_tensor(bufs, &c->input2);
	s8 *out = ref_tensor(bufs, &c->output);
	const u32 *od = c->output.dims;
	u32 n, h, w, k;

	for (n = 0; n < od[0]; n++)
		for (h = 0; h < od[1]; h++)
			for (w = 0; w < od[2]; w++)
				for (k = 0; k < od[3]; k++) {
					s32 a = in1[binary_index(c->input1.dims,
								 n, h, w, k)];
					s32 b = in2[binary_index(c->input2.dims,
								 n, h, w, k)];

					out[ref_offset(od, n, h, w, k)] =
						ref_output(binary_one(c, a, b),
							   c->output.zero_point,
							   &c->clamp);
				}
}
