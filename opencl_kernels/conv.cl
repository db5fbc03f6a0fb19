// SPDX-License-Identifier: MIT
/*
 * CONV_2D's first half and DEPTHWISE_CONV_2D.
 *
 * CONV_2D runs as im2col then q_gemm: q_im2col writes a block of rows of
 * the patch matrix (one row per output pixel, KH * KW * IC columns in the
 * filter's order), and a tap outside the input is written as the input
 * zero point, whose (x - zi) is 0: exactly the reference's skipped tap.
 */

/* Image geometry shared by both kernels, packed to keep argument lists short. */
#define Q_N(d)	((d).s0)
#define Q_H(d)	((d).s1)
#define Q_W(d)	((d).s2)
#define Q_C(d)	((d).s3)

/*
 * One work-item per (patch row, ky, kx): copies IC bytes. win is
 * (stride_h, stride_w, dilation_h, dilation_w, pad_top, pad_left, KH, KW).
 */
__kernel void q_im2col(__global const char *in, ulong in_off, uint4 id,
		       int zi, __global char *patch, uint4 od, uint8 win,
		       ulong row0, ulong nrows)
{
	ulong g = get_global_id(0);
	uint kh = win.s6, kw = win.s7, ic = Q_C(id);
	ulong depth = (ulong)kh * kw * ic;
	uint kx, ky, ox, oy, n;
	ulong r, t;
	long y, x;
	__global char *dst;

	if (g >= nrows * kh * kw)
		return;
	kx = g % kw;
	t = g / kw;
	ky = t % kh;
	r = t / kh;
	dst = patch + r * depth + ((ulong)ky * kw + kx) * ic;
	t = row0 + r;
	ox = t % Q_W(od);
	t /= Q_W(od);
	oy = t % Q_H(od);
	n = t / Q_H(od);
	y = (long)oy * win.s0 - win.s4 + (long)ky * win.s2;
	x = (long)ox * win.s1 - win.s5 + (long)kx * win.s3;
	if (y < 0 || y >= Q_H(id) || x < 0 || x >= Q_W(id)) {
		for (uint c = 0; c < ic; c++)
			dst[c] = (char)zi;
	} else {
		__global const char *src = in + in_off +
			(((ulong)n * Q_H(id) + y) * Q_W(id) + x) * ic;
		uint c = 0;

		for (; c + 16 <= ic; c += 16)
			vstore16(vload16(0, src + c), 0, dst + c);
		for (; c < ic; c++)
			dst[c] = src[c];
	}
}

/*
 * One work-item per output element. Output channel oc reads input channel
 * oc / depth_multiplier; the filter is [1, KH, KW, OC].
 */
__kernel void q_dwconv2d(__global const char *in, ulong in_off, uint4 id, int zi,
			 __global const char *filter, ulong f_off,
			 __global char *out, ulong out_off, uint4 od, int zo,
			 uint8 win, uint depth_multiplier,
			 __global const int *bias, ulong bias_off, int has_bias,
			 __global const int *q, ulong q_off, uint q_count,
			 uint rounding, int lo, int hi)
{
	ulong g = get_global_id(0);
	uint kh = win.s6, kw = win.s7, ic, ky, kx;
	uint4 o;
	uint acc = 0;

	if (g >= q_elems(od))
		return;
	o = q_coords(g, od);
	ic = o.s3 / depth_multiplier;
	for (ky = 0; ky < kh; ky++) {
		long y = (long)o.s1 * win.s0 - win.s4 + (long)ky * win.s2;

		if (y < 0 || y >= Q_H(id))
			continue;
		for (kx = 0; kx < kw; kx++) {
			long x = (long)o.s2 * win.s1 - win.s5 + (long)kx * win.s3;
			int v, w;

			if (x < 0 || x >= Q_W(id))
				continue;
			v = in[in_off + q_offset(id, o.s0, y, x, ic)];
			w = filter[f_off + ((ulong)ky * kw + kx) * Q_C(od) + o.s3];
			acc += (uint)(w * (v - zi));
		}
	}
	out[out_off + g] = q_acc_to_output((int)acc, bias + bias_off, has_bias,
					   q + q_off, q_count, rounding, o.s3, zo,
					   lo, hi);
}
