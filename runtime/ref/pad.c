// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* QACCEL_OP_PAD: constant padding of a 4-D tensor. */
#include "ref_util.h"

static bool pad_inside(const struct qaccel_cmd_pad *c, const u32 *o, u32 *i)
{
	int k;

	for (k = 0; k < 4; k++) {
		if (o[k] < c->before[k] ||
		    o[k] - c->before[k] >= c->input.dims[k])
			return false;
		i[k] = o[k] - c->before[k];
	}
	return true;
}

/**
 * qaccel_ref_pad() - run one validated QACCEL_OP_PAD
 * @c: the command
 * @bufs: the submit's buffer table
 */
void qaccel_ref_pad(const struct qaccel_cmd_pad *c,
		    const struct qaccel_buf_view *bufs)
{
	const s8 *in = ref_tensor(bufs, &c->input);
	s8 *out = ref_tensor(bufs, &c->output);
	const u32 *od = c->output.dims;
	u32 o[4], i[4];

	for (o[0] = 0; o[0] < od[0]; o[0]++)
		for (o[1] = 0; o[1] < od[1]; o[1]++)
			for (o[2] = 0; o[2] < od[2]; o[2]++)
				for (o[3] = 0; o[3] < od[3]; o[3]++) {
					s8 v = (s8)c->pad_value;

					if (pad_inside(c, o, i))
						v = in[ref_offset(c->input.dims,
								  i[0], i[1],
								  i[2], i[3])];
					out[ref_offset(od, o[0], o[1], o[2],
						       o[3])] = v;
				}
}
