// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * QACCEL_OP_SOFTMAX: the fixed-point int8 softmax of TFLite's
 * reference_ops::Softmax (gemmlowp arithmetic, as in TFLite Micro):
 * differences from the row maximum rescaled to Q5.26, exponentiated, summed
 * in Q12.19, scaled by the reciprocal of the sum.
 */
#include "ref_util.h"
#include "fixedpoint.h"

#define SOFTMAX_ACC_INT_BITS	12

static s32 softmax_exp(const struct qaccel_cmd_softmax *c, s32 diff)
{
	s32 scaled = qaccel_mul_by_qmul(diff, c->input_beta_multiplier,
					c->input_beta_left_shift, c->rounding);

	return fp_exp_on_negative_q5(scaled);
}

static void softmax_row(const struct qaccel_cmd_softmax *c, const s8 *in,
			s8 *out, u32 depth)
{
	s32 row_max = S8_MIN, sum = 0, scale;
	int headroom, bits_over_unit;
	u32 i;

	for (i = 0; i < depth; i++)
		row_max = in[i] > row_max ? in[i] : row_max;
	for (i = 0; i < depth; i++) {
		s32 diff = in[i] - row_max;

		if (diff >= c->diff_min)
			sum = fp_add(sum, qaccel_rdbpot(softmax_exp(c, diff),
							SOFTMAX_ACC_INT_BITS));
	}
	/* GetReciprocal: normalise the sum into [1, 2) and invert. */
	headroom = fp_clz32((u32)sum);
	/* Only a wrapped (overlong) row can sum to 0; keep the shift defined. */
	if (headroom > 31)
		headroom = 31;
	bits_over_unit = SOFTMAX_ACC_INT_BITS - headroom;
	scale = fp_one_over_one_plus_x((s32)(((u32)sum << headroom) -
					     (1U << 31)));
	for (i = 0; i < depth; i++) {
		s32 diff = in[i] - row_max;
		s64 v = S8_MIN;

		if (diff >= c->diff_min) {
			s32 e = softmax_exp(c, diff);

			v = fp_rdbpot64(qaccel_srdhm(scale, e),
					bits_over_unit + 31 - 8) + S8_MIN;
		}
		out[i] = (s8)(v > S8_MAX ? S8_MAX : (v < S8_MIN ? S8_MIN : v));
	}
}

/**
 * qaccel_ref_softmax() - run one validated QACCEL_OP_SOFTMAX
 * @c: the command
 * @bufs: the submit's buffer table
 */
void qaccel_ref_softmax(const struct qaccel_cmd_softmax *c,
			const struct qaccel_buf_view *bufs)
{
	const s8 *in = ref_tensor(bufs, &c->input);
	s8 *out = ref_tensor(bufs, &c->output);
	u32 depth = c->input.dims[3];
	u64 r, rows = ref_elems(&c->input) / depth;

	for (r = 0; r < rows; r++)
		softmax_row(c, in + r * depth, out + r * depth, depth);
}
