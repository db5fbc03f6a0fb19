// SPDX-License-Identifier: MIT
/* MAX_POOL_2D, AVERAGE_POOL_2D and MEAN (the integer one). */

#define Q_OP_MAX_POOL_2D	7	/* enum qaccel_opcode */

/* win: (stride_h, stride_w, pad_top, pad_left, filter_h, filter_w, -, -). */
__kernel void q_pool2d(__global const char *in, ulong in_off, uint4 id,
		       __global char *out, ulong out_off, uint4 od,
		       uint opcode, uint8 win, int lo, int hi)
{
	ulong g = get_global_id(0);
	int is_max = opcode == Q_OP_MAX_POOL_2D;
	int acc = is_max ? -128 : 0, count = 0;
	uint4 o;
	uint ky, kx;

	if (g >= q_elems(od))
		return;
	o = q_coords(g, od);
	for (ky = 0; ky < win.s4; ky++) {
		long y = (long)o.s1 * win.s0 - win.s2 + ky;

		if (y < 0 || y >= id.s1)
			continue;
		for (kx = 0; kx < win.s5; kx++) {
			long x = (long)o.s2 * win.s1 - win.s3 + kx;
			int v;

			if (x < 0 || x >= id.s2)
				continue;
			v = in[in_off + q_offset(id, o.s0, y, x, o.s3)];
			acc = is_max ? max(acc, v) : acc + v;
			count++;
		}
	}
	if (!is_max)
		acc = !count ? 0 : (acc > 0 ? (acc + count / 2) / count :
				    (acc - count / 2) / count);
	out[out_off + g] = (char)clamp(acc, lo, hi);
}

/* One work-item per (n, c): the zero-point-corrected sum over H x W. */
__kernel void q_mean(__global const char *in, ulong in_off, uint4 id, int zi,
		     __global char *out, ulong out_off, int zo,
		     int2 qm, int divisor, uint rounding, int lo, int hi)
{
	ulong g = get_global_id(0);
	uint acc;
	int v;

	if (g >= (ulong)id.s0 * id.s3)
		return;
	/* sum (x - zi) = sum x - H W zi, modulo 2^32 as the reference wraps */
	acc = (uint)q_sum_hw(in + in_off, id, g / id.s3, g % id.s3) -
	      id.s1 * id.s2 * (uint)zi;
	v = q_mul_by_qmul((int)acc, qm.x, qm.y, rounding);
	if (divisor)
		v = (int)(v > 0 ? ((long)v + divisor / 2) / divisor :
			  ((long)v - divisor / 2) / divisor);
	out[out_off + g] = q_output(v, zo, lo, hi);
}
