// SPDX-License-Identifier: MIT
/*
 * Elementwise and data-movement commands: ADD, SUB, MUL (with size-1
 * broadcasting), LUT, REQUANTIZE, COPY, PAD. One work-item per output
 * element; the launch is rounded up to the work-group size, so every
 * kernel checks its index first.
 */

#define Q_OP_SUB	5	/* enum qaccel_opcode */
#define Q_OP_MUL	6

/* Offset of output element [n, h, w, c] in an input that may broadcast. */
inline ulong q_bcast(uint4 d, uint4 o)
{
	uint4 i = select(o, (uint4)(0), d == 1);

	return q_offset(d, i.s0, i.s1, i.s2, i.s3);
}

/*
 * q1, q2, qo: (multiplier, shift) of input1, input2 and output;
 * zp: (z1, z2, zo, left_shift).
 */
__kernel void q_binary(__global const char *in1, ulong off1, uint4 d1,
		       __global const char *in2, ulong off2, uint4 d2,
		       __global char *out, ulong out_off, uint4 od,
		       uint opcode, int2 q1, int2 q2, int2 qo, int4 zp,
		       uint rounding, int lo, int hi)
{
	ulong g = get_global_id(0);
	uint4 o;
	int a, b, v;

	if (g >= q_elems(od))
		return;
	o = q_coords(g, od);
	a = in1[off1 + q_bcast(d1, o)] - zp.s0;
	b = in2[off2 + q_bcast(d2, o)] - zp.s1;
	if (opcode == Q_OP_MUL) {
		v = q_mul_by_qmul(a * b, qo.x, qo.y, rounding);
	} else {
		int m2 = opcode == Q_OP_SUB ? -q2.x : q2.x;
		int sa = q_mul_by_qmul(q_shl_wrap(a, zp.s3), q1.x, q1.y, rounding);
		int sb = q_mul_by_qmul(q_shl_wrap(b, zp.s3), m2, q2.y, rounding);

		v = q_mul_by_qmul(q_add_wrap(sa, sb), qo.x, qo.y, rounding);
	}
	out[out_off + g] = q_output(v, zp.s2, lo, hi);
}

/* Input and output may be the same bytes: each item reads before it writes. */
__kernel void q_lut(__global const char *in, ulong in_off,
		    __global char *out, ulong out_off,
		    __global const char *table, ulong table_off, ulong count)
{
	ulong g = get_global_id(0);

	if (g >= count)
		return;
	out[out_off + g] = table[table_off + in[in_off + g] + 128];
}

__kernel void q_requantize(__global const char *in, ulong in_off, int zi,
			   __global char *out, ulong out_off, int zo,
			   int2 qm, uint rounding, ulong count)
{
	ulong g = get_global_id(0);

	if (g >= count)
		return;
	out[out_off + g] = q_output(q_mul_by_qmul(in[in_off + g] - zi, qm.x, qm.y,
						  rounding), zo, -128, 127);
}

/* dims, and byte strides of source and destination, per dimension. */
__kernel void q_copy(__global const char *src, ulong src_off,
		     __global char *dst, ulong dst_off,
		     uint4 d, uint4 ss, uint4 ds)
{
	ulong g = get_global_id(0), so, doff;
	uint4 i;

	if (g >= q_elems(d))
		return;
	i = q_coords(g, d);
	so = (ulong)i.s0 * ss.s0 + (ulong)i.s1 * ss.s1 + (ulong)i.s2 * ss.s2 +
	     (ulong)i.s3 * ss.s3;
	doff = (ulong)i.s0 * ds.s0 + (ulong)i.s1 * ds.s1 + (ulong)i.s2 * ds.s2 +
	       (ulong)i.s3 * ds.s3;
	dst[dst_off + doff] = src[src_off + so];
}

__kernel void q_pad(__global const char *in, ulong in_off, uint4 id,
		    __global char *out, ulong out_off, uint4 od,
		    uint4 before, int pad_value)
{
	ulong g = get_global_id(0);
	uint4 o, i;
	char v = (char)pad_value;

	if (g >= q_elems(od))
		return;
	o = q_coords(g, od);
	i = o - before;
	/* Unsigned: a position before the input wraps to a huge index. */
	if (all(o >= before) && all(i < id))
		v = in[in_off + q_offset(id, i.s0, i.s1, i.s2, i.s3)];
	out[out_off + g] = v;
}
