// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * QACCEL_OP_MEAN: TFLite's reference_integer_ops::Mean over H and W:
 * rescale the zero-point-corrected sum, then divide by the element count
 * rounding halfway away from zero.
 */
#include "ref_util.h"

/**
 * qaccel_ref_mean() - run one validated QACCEL_OP_MEAN
 * @c: the command
 * @bufs: the submit's buffer table
 */
void qaccel_ref_mean(const struct qaccel_cmd_mean *c,
		     const struct qaccel_buf_view *bufs)
{
	const s8 *in = ref_tensor(bufs, &c->input);
	s8 *out = ref_tensor(bufs, &c->output);
	const u32 *id = c->input.dims;
	s32 div = (s32)c->divisor;
	u32 n, y, x, ch;

	for (n = 0; n < id[0]; n++)
		for (ch = 0; ch < id[3]; ch++) {
			s32 acc = 0;

			for (y = 0; y < id[1]; y++)
				for (x = 0; x < id[2]; x++)
					acc += in[ref_offset(id, n, y, x, ch)] -
					       c->input.zero_point;
			acc = qaccel_mul_by_qmul(acc, c->qmul.multiplier,
						 c->qmul.shift, c->rounding);
			/* In 64 bits: acc may be near the int32 limits. */
			if (div)
				acc = (s32)(acc > 0 ? ((s64)acc + div / 2) / div :
					    ((s64)acc - div / 2) / div);
			out[(u64)n * id[3] + ch] =
				ref_output(acc, c->output.zero_point, &c->clamp);
		}
}
