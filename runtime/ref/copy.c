// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* QACCEL_OP_COPY: strided 4-D byte copy (concatenation, slicing). */
#include "ref_util.h"

/**
 * qaccel_ref_copy() - run one validated QACCEL_OP_COPY
 * @c: the command
 * @bufs: the submit's buffer table
 */
void qaccel_ref_copy(const struct qaccel_cmd_copy *c,
		     const struct qaccel_buf_view *bufs)
{
	const u8 *src = ref_ptr(bufs, &c->src);
	u8 *dst = ref_ptr(bufs, &c->dst);
	const u32 *d = c->dims, *ss = c->src_strides, *ds = c->dst_strides;
	u32 i0, i1, i2, i3;

	for (i0 = 0; i0 < d[0]; i0++)
		for (i1 = 0; i1 < d[1]; i1++)
			for (i2 = 0; i2 < d[2]; i2++) {
				u64 so = (u64)i0 * ss[0] + (u64)i1 * ss[1] +
					 (u64)i2 * ss[2];
				u64 doff = (u64)i0 * ds[0] + (u64)i1 * ds[1] +
					   (u64)i2 * ds[2];

				for (i3 = 0; i3 < d[3]; i3++)
					dst[doff + (u64)i3 * ds[3]] =
						src[so + (u64)i3 * ss[3]];
			}
}
