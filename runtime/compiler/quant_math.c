// SPDX-License-Identifier: MIT
/*
 * Float parts of quantized inference, as TensorFlow Lite's Prepare() does
 * them. The precise types matter: where TFLite multiplies two floats before
 * widening to double, so do we (the volatile stores stop the compiler from
 * keeping wider intermediates or fusing multiply-adds).
 */
#include "quant_math.h"

#include <math.h>
#include <string.h>

#include "runtime/ref/qaccel_qmath.h"

uint32_t qc_f32_bits(float f)
{
	uint32_t u;

	memcpy(&u, &f, sizeof(u));
	return u;
}

void qc_quantize_multiplier(double real, int32_t *multiplier, int32_t *shift)
{
	int exp = 0;
	double q;
	int64_t q_fixed;

	/* Callers check scales; a non-finite ratio still yields a harmless 0. */
	if (real == 0.0 || !isfinite(real)) {
		*multiplier = 0;
		*shift = 0;
		return;
	}
	q = frexp(real, &exp);
	q_fixed = (int64_t)round(q * (double)(1LL << 31));
	if (q_fixed == (1LL << 31)) {
		q_fixed /= 2;
		exp++;
	}
	if (exp < -31) {
		exp = 0;
		q_fixed = 0;
	}
	if (exp > 30) {
		exp = 30;
		q_fixed = (1LL << 31) - 1;
	}
	*multiplier = (int32_t)q_fixed;
	*shift = exp;
}

/* Clamps in 64 bits: a rescaled value plus a zero point may pass int32. */
static int32_t clamp_i32(int64_t x, int32_t lo, int32_t hi)
{
	return (int32_t)(x < lo ? lo : (x > hi ? hi : x));
}

/* float to int32 for integral r, saturating at +-2^24 (NaN gives 0). */
static int32_t sat_f2i(float r)
{
	if (r != r)
		return 0;
	if (r > 16777216.0f)
		return 16777216;
	if (r < -16777216.0f)
		return -16777216;
	return (int32_t)r;
}

/*
 * zp + round(f / scale), as TFLite's activation-range helpers compute it;
 * saturated so that a tiny scale cannot overflow the conversion.
 */
static int32_t quantize_bound(float f, float scale, int32_t zp)
{
	volatile float t = f / scale;

	return zp + sat_f2i(roundf(t));
}

void qc_activation_range(enum qc_fused_act act, float out_scale, int32_t out_zp,
			 int32_t *min, int32_t *max)
{
	int32_t lo = -128, hi = 127;

	switch (act) {
	case QC_ACT_RELU:
		lo = quantize_bound(0.0f, out_scale, out_zp);
		break;
	case QC_ACT_RELU6:
		lo = quantize_bound(0.0f, out_scale, out_zp);
		hi = quantize_bound(6.0f, out_scale, out_zp);
		break;
	case QC_ACT_RELU_N1_TO_1:
		lo = quantize_bound(-1.0f, out_scale, out_zp);
		hi = quantize_bound(1.0f, out_scale, out_zp);
		break;
	case QC_ACT_NONE:
		break;
	}
	*min = lo > -128 ? lo : -128;
	*max = hi < 127 ? hi : 127;
}

void qc_lut_float_fn(enum qc_lut_fn fn, float in_scale, int32_t in_zp,
		     float out_scale, int32_t out_zp, int8_t table[256])
{
	volatile float inverse_scale = 1.0f / out_scale;

	for (int32_t v = -128; v <= 127; v++) {
		volatile float x = in_scale * (float)(v - in_zp);
		volatile float y;
		volatile float r;
		int32_t q;

		if (fn == QC_LUT_LOGISTIC) {
			volatile float e = expf(-x);
			volatile float d = 1.0f + e;

			y = 1.0f / d;
		} else {
			y = tanhf(x);
		}
		r = roundf(y * inverse_scale);
		q = sat_f2i(r + (float)out_zp);
		table[v + 128] = (int8_t)clamp_i32(q, -128, 127);
	}
}

void qc_lut_relu(float act_min, float act_max, float in_scale, int32_t in_zp,
		 float out_scale, int32_t out_zp, int8_t table[256])
{
	volatile float ratio = in_scale / out_scale;
	int32_t m, s, lo, hi;

	qc_quantize_multiplier((double)ratio, &m, &s);
	lo = quantize_bound(act_min, out_scale, out_zp);
	lo = lo > -128 ? lo : -128;
	if (isinf(act_max)) {
		hi = 127;
	} else {
		hi = quantize_bound(act_max, out_scale, out_zp);
		hi = hi < 127 ? hi : 127;
	}
	for (int32_t v = -128; v <= 127; v++) {
		int64_t c = (int64_t)out_zp + qaccel_mul_by_qmul(v - in_zp, m, s,
								 QACCEL_ROUND_DOUBLE);

		table[v + 128] = (int8_t)clamp_i32(c, lo > hi ? hi : lo, hi);
	}
}

void qc_lut_leaky_relu(float alpha, float in_scale, int32_t in_zp,
		       float out_scale, int32_t out_zp, int8_t table[256])
{
	volatile float alpha_prod = in_scale * alpha;
	volatile float alpha_ratio = alpha_prod / out_scale;
	volatile float id_ratio = in_scale / out_scale;
	int32_t ma, sa, mi, si;

	qc_quantize_multiplier((double)alpha_ratio, &ma, &sa);
	qc_quantize_multiplier((double)id_ratio, &mi, &si);
	for (int32_t v = -128; v <= 127; v++) {
		int32_t d = v - in_zp;
		int64_t u = (int64_t)out_zp + (d >= 0 ?
			qaccel_mul_by_qmul(d, mi, si, QACCEL_ROUND_DOUBLE) :
			qaccel_mul_by_qmul(d, ma, sa, QACCEL_ROUND_DOUBLE));

		table[v + 128] = (int8_t)clamp_i32(u, -128, 127);
	}
}

/* gemmlowp's 16-bit fixed-point helpers, as TFLite's HardSwish uses them. */
static int16_t srdhm16(int16_t a, int16_t b)
{
	int32_t ab = (int32_t)a * b;
	int32_t nudge = ab >= 0 ? (1 << 14) : (1 - (1 << 14));

	if (a == b && a == INT16_MIN)
		return INT16_MAX;
	return (int16_t)((ab + nudge) / (1 << 15));
}

static int16_t sdhm16(int16_t a, int16_t b)
{
	if (a == b && a == INT16_MIN)
		return INT16_MAX;
	return (int16_t)(((int32_t)a * b) / (1 << 15));
}

/*
 * RoundingDivideByPOT on int16 values: the same result as the 32-bit one
 * for exponents up to 15; larger exponents (tiny output scales) are capped
 * at 31 to stay defined.
 */
static int16_t rdbpot16(int16_t x, int exponent)
{
	return (int16_t)qaccel_rdbpot(x, exponent > 31 ? 31 : exponent);
}

static int16_t sat_shl16(int16_t x, int amount)
{
	int64_t r = (int64_t)x * (1 << amount);

	return (int16_t)(r > INT16_MAX ? INT16_MAX : (r < INT16_MIN ? INT16_MIN : r));
}

/* TFLite DownScaleInt32ToInt16Multiplier. */
static int16_t downscale_multiplier(int32_t m)
{
	if (m >= INT32_MAX - (1 << 15))
		return INT16_MAX;
	return (int16_t)((m + (1 << 15)) >> 16);
}

int qc_lut_hard_swish(float in_scale, int32_t in_zp, float out_scale,
		      int32_t out_zp, int8_t table[256])
{
	volatile float hires = (1.0f / 128.0f) * in_scale;
	volatile float reluish_scale = 3.0f / 32768.0f;
	volatile float out_mult = hires / out_scale;
	volatile float reluish_mult = hires / reluish_scale;
	int32_t m32, out_exp, r32, r_exp;
	int16_t out_m16, r_m16;

	qc_quantize_multiplier((double)out_mult, &m32, &out_exp);
	/* TFLite's HardSwishPrepare refuses an output rescale above 1 too. */
	if (out_exp > 0)
		return -1;
	out_m16 = downscale_multiplier(m32);
	qc_quantize_multiplier((double)reluish_mult, &r32, &r_exp);
	r_m16 = downscale_multiplier(r32);

	for (int32_t v = -128; v <= 127; v++) {
		int16_t in = (int16_t)(v - in_zp);
		int16_t hi_in = (int16_t)(in * (1 << 7));
		int16_t pre_out = srdhm16(hi_in, out_m16);
		int16_t reluish = hi_in;
		int16_t out;

		if (r_exp > 0)
			reluish = sat_shl16(reluish, r_exp - 1);
		reluish = srdhm16(reluish, r_m16);
		if (r_exp > 0)
			reluish = sat_shl16(reluish, 1);
		if (r_exp < 0)
			reluish = rdbpot16(reluish, -r_exp);
		reluish = (int16_t)((reluish + (1 << 15)) >> 1);
		out = rdbpot16(sdhm16(reluish, pre_out), -out_exp);
		out = (int16_t)(out + out_zp);
		out = out < 127 ? out : 127;
		out = out > -128 ? out : -128;
		table[v + 128] = (int8_t)out;
	}
	return 0;
}

void qc_softmax_exp_table(float in_scale, float beta, uint32_t table[256])
{
	volatile float scale = -in_scale * beta;

	for (int d = 0; d < 256; d++) {
		volatile float arg = scale * (float)d;

		table[d] = qc_f32_bits(expf(arg));
	}
}

int8_t qc_quantize_f32(float x, float scale, int32_t zp)
{
	volatile float t = x / scale;
	float r;

	/* Out-of-range and NaN inputs saturate instead of overflowing the cast. */
	if (t != t)
		return (int8_t)clamp_i32(zp, -128, 127);
	r = roundf(t);
	if (r > 1e6f)
		r = 1e6f;
	if (r < -1e6f)
		r = -1e6f;
	return (int8_t)clamp_i32((int64_t)r + zp, -128, 127);
}

float qc_dequantize_s8(int8_t q, float scale, int32_t zp)
{
	return scale * (float)((int32_t)q - zp);
}
