/* SPDX-License-Identifier: MIT */
/*
 * The requantization of the AArch64 levels (neon, sdot), included after
 * cpu_vec.h by files that define CPU_OWN_REQUANT. Double rounding maps
 * onto instructions: sqrdmulh is gemmlowp's saturating rounding doubling
 * high multiply, bit for bit (it rounds (2 x m + 2^31) / 2^32 half up,
 * which is floor((x m + 2^30) / 2^31), the form cpu_vec.h's vsrdhm_half
 * shows equal to gemmlowp's; both saturate the one overflowing case,
 * S32_MIN * S32_MIN, to S32_MAX). The rounding divide by 2^e with ties
 * away from zero is srshl by -e (ties up) after adding -1 to negative
 * values when e > 0: x & -e has x's sign bit exactly then, and the add
 * saturates only at S32_MIN, where dividing S32_MIN - 1 and S32_MIN by
 * 2^e, e <= 31, rounds alike. Single rounding keeps the portable form.
 */
#ifndef QACCEL_CPU_NEON_REQUANT_H
#define QACCEL_CPU_NEON_REQUANT_H

#include <arm_neon.h>

/* qaccel_mul_by_qmul() with double rounding on 4 lanes; nrs = -(right shift). */
static inline int32x4_t neon_mul_double(int32x4_t x, int32x4_t m, int32x4_t ls,
					int32x4_t nrs)
{
	int32x4_t fix;

	x = vqrdmulhq_s32(vshlq_s32(x, ls), m);
	fix = vshrq_n_s32(vandq_s32(x, nrs), 31);
	return vrshlq_s32(vqaddq_s32(x, fix), nrs);
}

static inline void vec_requant_store(vi v, const struct cpu_rq *rq, u32 o, s8 *out)
{
	int32x4_t x[2];
	int16x8_t h;
	int8x8_t b;

	if (rq->rounding == QACCEL_ROUND_SINGLE) {
		v = vadd_wrap(v, vld(rq->off + o));
		v = vmulq(v, vld(rq->mult + o), vld(rq->lshift + o), vld(rq->rshift + o),
			  rq->rounding);
		vstore_out(out + o, v, rq->zero_point, rq->min, rq->max);
		return;
	}
	memcpy(x, &v, sizeof(x));
	for (int i = 0; i < 2; i++) {
		u32 c = o + 4 * (u32)i;
		int32x4_t a = vaddq_s32(x[i], vld1q_s32(rq->off + c));

		a = neon_mul_double(a, vld1q_s32(rq->mult + c), vld1q_s32(rq->lshift + c),
				    vnegq_s32(vld1q_s32(rq->rshift + c)));
		/* Saturating: a result beyond int32 is clamped either way. */
		x[i] = vqaddq_s32(a, vdupq_n_s32(rq->zero_point));
	}
	h = vcombine_s16(vqmovn_s32(x[0]), vqmovn_s32(x[1]));
	b = vqmovn_s16(h);
	b = vmin_s8(vmax_s8(b, vdup_n_s8((s8)rq->min)), vdup_n_s8((s8)rq->max));
	vst1_s8(out + o, b);
}

#endif /* QACCEL_CPU_NEON_REQUANT_H */
