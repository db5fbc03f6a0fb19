// SPDX-License-Identifier: MIT
/*
 * int8 GEMM with TFLite's requantized epilogue: FULLY_CONNECTED directly,
 * CONV_2D after im2col (conv.cl) or as is for 1x1 stride-1 convolutions.
 *
 *   C[r][c] = out(sum_k (A[r][k] - za) * (B[c][k] - zb) + bias[c], q[c])
 *
 * A is rows x depth, B is cols x depth (both with depth contiguous, as
 * NHWC activations and OHWI filters are), C is rows x cols. The sum is
 * taken modulo 2^32 exactly as the reference's wrapping adds: every way
 * of splitting it below is equal modulo 2^32.
 */

#ifndef GEMM_TM
#define GEMM_TM 4	/* rows of A per work-item */
#endif
#ifndef GEMM_TN
#define GEMM_TN 4	/* rows of B (output columns) per work-item */
#endif
#ifndef GEMM_WG_X
#define GEMM_WG_X 8	/* work-group width, along the output columns */
#endif
#ifndef GEMM_WG_Y
#define GEMM_WG_Y 8	/* work-group height, along the output rows */
#endif

#if defined(QCL_DOT_KHR)
#pragma OPENCL EXTENSION cl_khr_integer_dot_product : enable
#define q_dot4(a, b) dot((a), (b))
#elif defined(QCL_DOT_ARM)
#pragma OPENCL EXTENSION cl_arm_integer_dot_product_int8 : enable
#define q_dot4(a, b) arm_dot((a), (b))
#elif defined(QCL_DOT_EMULATE)
/* Test builds: the dot-product path's arithmetic on any device. */
inline int q_dot4(char4 a, char4 b)
{
	int4 p = convert_int4(a) * convert_int4(b);

	return p.x + p.y + p.z + p.w;
}
#endif

#if defined(QCL_DOT_KHR) || defined(QCL_DOT_ARM) || defined(QCL_DOT_EMULATE)
#define QCL_HAVE_DOT 1
#endif

inline uint q_hsum16(int16 v)
{
	int8 a = v.lo + v.hi;
	int4 b = a.lo + a.hi;
	int2 c = b.lo + b.hi;

	return (uint)(c.x + c.y);
}


__kernel __attribute__((reqd_work_group_size(GEMM_WG_X, GEMM_WG_Y, 1)))
void q_gemm(__global const char *a, ulong a_off,
	    __global const char *b, ulong b_off,
	    __global char *c, ulong c_off,
	    uint rows, uint cols, uint depth, int za, int zb,
	    __global const int *bias, ulong bias_off, int has_bias,
	    __global const int *q, ulong q_off, uint q_count, uint rounding,
	    int zo, int lo, int hi)
{
	uint c0 = get_global_id(0) * GEMM_TN, r0 = get_global_id(1) * GEMM_TM;
	__global const char *ar[GEMM_TM], *br[GEMM_TN];
	uint k = 0, i, j;
#ifdef QCL_HAVE_DOT
	int acc[GEMM_TM][GEMM_TN], asum[GEMM_TM], bsum[GEMM_TN];
#else
	int16 acc[GEMM_TM][GEMM_TN], asum[GEMM_TM];
#endif

	if (r0 >= rows || c0 >= cols)
		return;
	/* Rows past the edge read the last row again; their results are dropped. */
	for (i = 0; i < GEMM_TM; i++) {
		ar[i] = a + a_off + (ulong)min(r0 + i, rows - 1) * depth;
		asum[i] = 0;
	}
	for (j = 0; j < GEMM_TN; j++)
		br[j] = b + b_off + (ulong)min(c0 + j, cols - 1) * depth;
	for (i = 0; i < GEMM_TM; i++)
		for (j = 0; j < GEMM_TN; j++)
			acc[i][j] = 0;
#ifdef QCL_HAVE_DOT
	for (j = 0; j < GEMM_TN; j++)
		bsum[j] = 0;
	for (; k + 4 <= depth; k += 4) {
		char4 av[GEMM_TM];

		#pragma unroll
		for (i = 0; i < GEMM_TM; i++) {
			av[i] = vload4(0, ar[i] + k);
			asum[i] += q_dot4(av[i], (char4)(1));
		}
		for (j = 0; j < GEMM_TN; j++) {
			char4 bv = vload4(0, br[j] + k);

			bsum[j] += q_dot4(bv, (char4)(1));
			for (i = 0; i < GEMM_TM; i++)
				acc[i][j] += q_dot4(av[i], bv);
		}
	}
#else
	for (; k + 16 <= depth; k += 16) {
		short16 av[GEMM_TM];

		#pragma unroll
		for (i = 0; i < GEMM_TM; i++) {
			av[i] = convert_short16(vload16(0, ar[i] + k)) - (short16)(short)za;
			asum[i] += convert_int16(av[i]);
		}
		#pragma unroll
		for (j = 0; j < GEMM_TN; j++) {
			short16 bv = convert_short16(vload16(0, br[j] + k));

			#pragma unroll
			for (i = 0; i < GEMM_TM; i++)
				/* b (a - za) fits a short: |.| <= 128 * 255 */
				acc[i][j] += convert_int16(av[i] * bv);
		}
	}
#endif
	for (i = 0; i < GEMM_TM; i++) {
		uint r = r0 + i;
#ifdef QCL_HAVE_DOT
		/* sum (a - za)(b - zb) = sum ab - za sum b - zb sum a + n za zb */
		uint as = (uint)asum[i], n = k;
#else
		/* sum (a - za)(b - zb) = sum (a - za) b - zb sum (a - za) */
		uint as = q_hsum16(asum[i]);
#endif
		uint kt;

		if (r >= rows)
			break;
		for (kt = k; kt < depth; kt++)
			as += (uint)(ar[i][kt] - za);
		for (j = 0; j < GEMM_TN; j++) {
			uint col = c0 + j, s;

			if (col >= cols)
				break;
#ifdef QCL_HAVE_DOT
			s = (uint)acc[i][j] - (uint)za * (uint)bsum[j] +
			    (uint)za * (uint)zb * n;
			for (kt = k; kt < depth; kt++)
				s += (uint)(ar[i][kt] - za) * (uint)br[j][kt];
			/* the tail's a - za is in as already; the za zb part of
			 * the tail is in its own products */
			s -= (uint)zb * as;
#else
			s = q_hsum16(acc[i][j]);
			for (kt = k; kt < depth; kt++)
				s += (uint)(ar[i][kt] - za) * (uint)br[j][kt];
			s -= (uint)zb * as;
#endif
			c[c_off + (ulong)r * cols + col] =
				q_acc_to_output((int)s, bias + bias_off, has_bias,
						q + q_off, q_count, rounding, col,
						zo, lo, hi);
		}
	}
}
