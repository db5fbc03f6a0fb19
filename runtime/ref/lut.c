// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* QACCEL_OP_LUT: out = table[x + 128]; input and output may coincide. */
#include "ref_util.h"

/**
 * qaccel_ref_lut() - run one validated QACCEL_OP_LUT
 * @c: the command
 * @bufs: the submit's buffer table
 */
void qaccel_ref_lut(const struct qaccel_cmd_lut *c,
		    const struct qaccel_buf_view *bufs)
{
	const s8 *in = ref_tensor(bufs, &c->input);
	s8 *out = ref_tensor(bufs, &c->output);
	const s8 *table = (const s8 *)ref_ptr(bufs, &c->table);
	u64 i, count = ref_elems(&c->input);

	for (i = 0; i < count; i++)
		out[i] = table[in[i] + 128];
}
