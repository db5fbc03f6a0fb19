// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * QACCEL_OP_FULLY_CONNECTED: TFLite's reference_integer_ops::FullyConnected
 * (per tensor) and its per-channel variant.
 */
#include "ref_util.h"

/**
 * qaccel_ref_fc() - run one validated QACCEL_OP_FULLY_CONNECTED
 * @c: the command
 * @bufs: the submit's buffer table
 */
void qaccel_ref_fc(const struct qaccel_cmd_fc *c,
		   const struct qaccel_buf_view *bufs)
{
	const s8 *in = ref_tensor(bufs, &c->input);
	const s8 *filter = ref_tensor(bufs, &c->filter);
	s8 *out = ref_tensor(bufs, &c->output);
	const s32 *bias = ref_bias(bufs, &c->bias);
	const struct qaccel_qmul *q =
		(const struct qaccel_qmul *)ref_ptr(bufs, &c->requant.params);
	u32 batches = c->input.dims[2], depth = c->input.dims[3];
	u32 units = c->filter.dims[2];
	s32 zi = c->input.zero_point, zf = c->filter.zero_point;
	u32 b, o, k;

	for (b = 0; b < batches; b++) {
		const s8 *row = in + (u64)b * depth;

		for (o = 0; o < units; o++) {
			const s8 *w = filter + (u64)o * depth;
			s32 acc = 0;

			for (k = 0; k < depth; k++)
				acc = ref_add_wrap(acc, (w[k] - zf) * (row[k] - zi));
			out[(u64)b * units + o] =
				ref_acc_to_output(acc, bias, q, &c->requant, o,
						  c->output.zero_point, &c->clamp);
		}
	}
}
