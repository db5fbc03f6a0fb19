// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * QACCEL_OP_CONV_2D: TFLite's reference_integer_ops::ConvPerChannel.
 * Taps outside the input are skipped (implicit padding at the zero point).
 */
#include "ref_util.h"

static s32 conv2d_acc(const struct qaccel_cmd_conv2d *c, const s8 *in,
		      const s8 *filter, u32 n, u32 oy, u32 ox, u32 oc)
{
	const u32 *id = c->input.dims, *fd = c->filter.dims;
	s32 zi = c->input.zero_point;
	s32 acc = 0;
	u32 ky, kx, ic;

	for (ky = 0; ky < fd[1]; ky++) {
		s64 y = (s64)oy * c->win.stride_h - c->win.pad_top +
			(s64)ky * c->win.dilation_h;

		if (y < 0 || y >= id[1])
			continue;
		for (kx = 0; kx < fd[2]; kx++) {
			s64 x = (s64)ox * c->win.stride_w - c->win.pad_left +
				(s64)kx * c->win.dilation_w;
			const s8 *ip, *fp;

			if (x < 0 || x >= id[2])
				continue;
			ip = in + ref_offset(id, n, (u32)y, (u32)x, 0);
			fp = filter + ref_offset(fd, oc, ky, kx, 0);
			for (ic = 0; ic < id[3]; ic++)
				acc = ref_add_wrap(acc, fp[ic] * (ip[ic] - zi));
		}
	}
	return acc;
}

/**
 * qaccel_ref_conv2d() - run one validated QACCEL_OP_CONV_2D
 * @c: the command
 * @bufs: the submit's buffer table
 */
void qaccel_ref_conv2d(const struct qaccel_cmd_conv2d *c,
		       const struct qaccel_buf_view *bufs)
{
	const s8 *in = ref_tensor(bufs, &c->input);
	const s8 *filter = ref_tensor(bufs, &c->filter);
	s8 *out = ref_tensor(bufs, &c->output);
	const s32 *bias = ref_bias(bufs, &c->bias);
	const struct qaccel_qmul *q =
		(const struct qaccel_qmul *)ref_ptr(bufs, &c->requant.params);
	const u32 *od = c->output.dims;
	u32 n, oy, ox, oc;

	for (n = 0; n < od[0]; n++)
		for (oy = 0; oy < od[1]; oy++)
			for (ox = 0; ox < od[2]; ox++)
				for (oc = 0; oc < od[3]; oc++) {
					s32 acc = conv2d_acc(c, in, filter,
							     n, oy, ox, oc);

					out[ref_offset(od, n, oy, ox, oc)] =
						ref_acc_to_output(acc, bias, q,
								  &c->requant, oc,
								  c->output.zero_point,
								  &c->clamp);
				}
}
