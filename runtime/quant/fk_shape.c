// SPDX-License-Identifier: MIT
/* Float data movement: concatenation, padding, space-to-batch and back. */
#include <string.h>

#include "fkernels.h"

void fk_concat(const float *const *ins, const int *axis_sizes, int num,
	       size_t outer, size_t inner, float *out)
{
	for (size_t o = 0; o < outer; o++)
		for (int k = 0; k < num; k++) {
			size_t len = (size_t)axis_sizes[k] * inner;

			memcpy(out, ins[k] + o * len, len * sizeof(float));
			out += len;
		}
}

void fk_pad(const float *in, const struct fk_shape *s, const int *pads,
	    float *out)
{
	struct fk_shape so = *s;
	size_t n = fk_elems(s), st[FK_MAX_RANK], step = 1, base = 0;
	int idx[FK_MAX_RANK] = { 0 };

	for (int i = 0; i < s->rank; i++)
		so.d[i] += pads[2 * i] + pads[2 * i + 1];
	memset(out, 0, fk_elems(&so) * sizeof(float));
	for (int i = s->rank - 1; i >= 0; i--) {
		st[i] = step;
		base += (size_t)pads[2 * i] * step;
		step *= (size_t)so.d[i];
	}
	for (size_t i = 0; i < n; i++) {
		size_t o = base;

		for (int k = 0; k < s->rank; k++)
			o += (size_t)idx[k] * st[k];
		out[o] = in[i];
		for (int k = s->rank - 1; k >= 0; k--) {
			if (++idx[k] < s->d[k])
				break;
			idx[k] = 0;
		}
	}
}

void fk_space_to_batch(const float *in, const struct fk_shape *s, int bh, int bw,
		       const int *pads, float *out)
{
	int b_in = s->d[0], h = s->d[1], w = s->d[2], c = s->d[3];
	int oh = (h + pads[0] + pads[1]) / bh, ow = (w + pads[2] + pads[3]) / bw;

	for (int sy = 0; sy < bh; sy++)
		for (int sx = 0; sx < bw; sx++)
			for (int b = 0; b < b_in; b++)
				for (int y = 0; y < oh; y++)
					for (int x = 0; x < ow; x++) {
						int iy = y * bh + sy - pads[0], ix = x * bw + sx - pads[2];

						if (iy < 0 || iy >= h || ix < 0 || ix >= w)
							memset(out, 0, (size_t)c * sizeof(float));
						else
							memcpy(out, in + (((size_t)b * h + iy) * w + ix) * c,
							       (size_t)c * sizeof(float));
						out += c;
					}
}

void fk_batch_to_space(const float *in, const struct fk_shape *s, int bh, int bw,
		       const int *crops, float *out)
{
	int b_out = s->d[0] / (bh * bw), h = s->d[1], w = s->d[2], c = s->d[3];
	int oh = h * bh - crops[0] - crops[1], ow = w * bw - crops[2] - crops[3];

	for (int b = 0; b < b_out; b++)
		for (int y = 0; y < oh; y++)
			for (int x = 0; x < ow; x++) {
				int py = y + crops[0], px = x + crops[2];
				int ib = ((py % bh) * bw + px % bw) * b_out + b;

				memcpy(out, in + (((size_t)ib * h + py / bh) * w + px / bw) * c,
				       (size_t)c * sizeof(float));
				out += c;
			}
}
