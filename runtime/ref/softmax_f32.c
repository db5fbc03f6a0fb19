// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * QACCEL_OP_SOFTMAX_F32: TensorFlow Lite's int8 softmax, which weights each
 * element by a precomputed exp() table and normalises in binary32. The
 * binary32 steps run on f32.c's integer emulation, in TFLite's order, so the
 * bytes match TFLite's on every input.
 */
#include "qaccel_ref.h"
#include "f32.h"

/*
 * Buffers may change while a command runs (userspace maps them, and input
 * and output may overlap), so an element can exceed the row maximum taken
 * earlier; the index is kept inside the table rather than trusted.
 */
static u32 softmax_weight(const u32 *table, s32 row_max, s8 x)
{
	s32 d = row_max - x;

	return table[d < 0 ? 0 : d];
}

/**
 * qaccel_ref_softmax_f32() - run one validated QACCEL_OP_SOFTMAX_F32
 * @c: the command
 * @bufs: the submit's buffer table
 */
void qaccel_ref_softmax_f32(const struct qaccel_cmd_softmax_f32 *c,
			    const struct qaccel_buf_view *bufs)
{
	const s8 *in = (const s8 *)(bufs[c->input.ref.buf].ptr +
				    c->input.ref.offset);
	s8 *out = (s8 *)(bufs[c->output.ref.buf].ptr + c->output.ref.offset);
	const u32 *table = (const u32 *)(bufs[c->exp_table.buf].ptr +
					 c->exp_table.offset);
	u32 depth = c->input.dims[3];
	u64 rows = (u64)c->input.dims[0] * c->input.dims[1] * c->input.dims[2];
	u32 zp = qaccel_f32_from_s32(c->output.zero_point);
	u64 r;
	u32 i;

	for (r = 0; r < rows; r++, in += depth, out += depth) {
		s32 row_max = S8_MIN;
		u32 sum = 0, inv;

		for (i = 0; i < depth; i++)
			row_max = in[i] > row_max ? in[i] : row_max;
		for (i = 0; i < depth; i++)
			sum = qaccel_f32_add(sum, softmax_weight(table, row_max,
								 in[i]));
		inv = qaccel_f32_div(QACCEL_F32_ONE,
				     qaccel_f32_mul(sum, c->output_scale));
		for (i = 0; i < depth; i++) {
			u32 p = qaccel_f32_mul(softmax_weight(table, row_max,
							      in[i]), inv);
			s32 q = qaccel_f32_to_s32(qaccel_f32_add(qaccel_f32_round(p),
								 zp));

			out[i] = (s8)(q < S8_MIN ? S8_MIN : (q > S8_MAX ? S8_MAX : q));
		}
	}
}
