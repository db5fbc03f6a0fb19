// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * QACCEL_OP_MEAN_F32: TensorFlow Lite's general quantized mean (the path its
 * MEAN takes for int8 unless keep_dims reduces a 4-D tensor's H and W), whose
 * division and rescaling are binary32; emulated bit for bit by f32.c.
 */
#include "qaccel_ref.h"
#include "f32.h"

#define MEAN_F32_INT8_MIN	0xc3000000u	/* -128.0f */
#define MEAN_F32_INT8_MAX	0x42fe0000u	/* 127.0f */

/**
 * qaccel_ref_mean_f32() - run one validated QACCEL_OP_MEAN_F32
 * @c: the command
 * @bufs: the submit's buffer table
 */
void qaccel_ref_mean_f32(const struct qaccel_cmd_mean_f32 *c,
			 const struct qaccel_buf_view *bufs)
{
	const s8 *in = (const s8 *)(bufs[c->input.ref.buf].ptr +
				    c->input.ref.offset);
	s8 *out = (s8 *)(bufs[c->output.ref.buf].ptr + c->output.ref.offset);
	u32 n = c->input.dims[0], h = c->input.dims[1];
	u32 w = c->input.dims[2], ch = c->input.dims[3];
	u32 count = qaccel_f32_from_s32((s32)(h * w));
	u32 zp = qaccel_f32_from_s32(c->output.zero_point);
	u32 b, y, x, k;

	for (b = 0; b < n; b++) {
		const s8 *img = in + (u64)b * h * w * ch;

		for (k = 0; k < ch; k++) {
			s32 sum = 0;
			u32 r;

			for (y = 0; y < h; y++)
				for (x = 0; x < w; x++)
					sum += img[((u64)y * w + x) * ch + k];
			r = qaccel_f32_div(qaccel_f32_from_s32(sum), count);
			r = qaccel_f32_add(qaccel_f32_mul(r, c->scale), c->bias);
			r = qaccel_f32_add(qaccel_f32_round(r), zp);
			/* TfLiteMin/TfLiteMax: std::min(a, b) is b < a ? b : a. */
			if (qaccel_f32_lt(MEAN_F32_INT8_MAX, r))
				r = MEAN_F32_INT8_MAX;
			if (qaccel_f32_lt(r, MEAN_F32_INT8_MIN))
				r = MEAN_F32_INT8_MIN;
			out[(u64)b * ch + k] = (s8)qaccel_f32_to_s32(r);
		}
	}
}
