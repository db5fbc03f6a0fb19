// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* QACCEL_OP_REQUANTIZE: TFLite's int8 to int8 Requantize. */
#include "ref_util.h"

/**
 * qaccel_ref_requantize() - run one validated QACCEL_OP_REQUANTIZE
 * @c: the command
 * @bufs: the submit's buffer table
 */
void qaccel_ref_requantize(const struct qaccel_cmd_requantize *c,
			   const struct qaccel_buf_view *bufs)
{
	const s8 *in = ref_tensor(bufs, &c->input);
	s8 *out = ref_tensor(bufs, &c->output);
	const struct qaccel_clamp full = { S8_MIN, S8_MAX };
	u64 i, count = ref_elems(&c->input);

	for (i = 0; i < count; i++) {
		s32 v = qaccel_mul_by_qmul(in[i] - c->input.zero_point,
					   c->qmul.multiplier, c->qmul.shift,
					   c->rounding);

		out[i] = ref_output(v, c->output.zero_point, &full);
	}
}
