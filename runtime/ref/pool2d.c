// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * QACCEL_OP_MAX_POOL_2D and QACCEL_OP_AVERAGE_POOL_2D: TFLite's
 * reference_integer_ops::MaxPool and AveragePool; only taps inside the
 * input count.
 */
#include "ref_util.h"

static s32 pool_one(const struct qaccel_cmd_pool2d *c, const s8 *in,
		    u32 n, u32 oy, u32 ox, u32 ch)
{
	const u32 *id = c->input.dims;
	bool is_max = c->hdr.opcode == QACCEL_OP_MAX_POOL_2D;
	s32 acc = is_max ? S8_MIN : 0;
	s32 count = 0;
	u32 ky, kx;

	for (ky = 0; ky < c->filter_h; ky++) {
		s64 y = (s64)oy * c->win.stride_h - c->win.pad_top + ky;

		if (y < 0 || y >= id[1])
			continue;
		for (kx = 0; kx < c->filter_w; kx++) {
			s64 x = (s64)ox * c->win.stride_w - c->win.pad_left + kx;
			s32 v;

			if (x < 0 || x >= id[2])
				continue;
			v = in[ref_offset(id, n, (u32)y, (u32)x, ch)];
			if (is_max)
				acc = v > acc ? v : acc;
			else
				acc += v;
			count++;
		}
	}
	if (is_max)
		return acc;
	/* A window with no tap inside the input averages to 0, not 0/0. */
	if (!count)
		return 0;
	return acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
}

/**
 * qaccel_ref_pool2d() - run one validated max or average pooling command
 * @c: the command
 * @bufs: the submit's buffer table
 */
void qaccel_ref_pool2d(const struct qaccel_cmd_pool2d *c,
		       const struct qaccel_buf_view *bufs)
{
	const s8 *in = ref_tensor(bufs, &c->input);
	s8 *out = ref_tensor(bufs, &c->output);
	const u32 *od = c->output.dims;
	u32 n, oy, ox, ch;

	for (n = 0; n < od[0]; n++)
		for (oy = 0; oy < od[1]; oy++)
			for (ox = 0; ox < od[2]; ox++)
				for (ch = 0; ch < od[3]; ch++)
					out[ref_offset(od, n, oy, ox, ch)] =
						ref_narrow(pool_one(c, in, n, oy,
								    ox, ch),
							   &c->clamp);
}
