/* SPDX-License-Identifier: MIT */
/*
 * The compiler's float work, done once per model and exactly as TensorFlow
 * Lite's Prepare() functions do it (same float/double types, same operation
 * order), so that the integers it hands the engine are TFLite's integers.
 */
#ifndef QACCEL_QUANT_MATH_H
#define QACCEL_QUANT_MATH_H

#include <stdint.h>

/* TFLite QuantizeMultiplier: real = m * 2^(shift - 31), m in [2^30, 2^31). */
void qc_quantize_multiplier(double real, int32_t *multiplier, int32_t *shift);

/* Activation clamp of a fused activation (TFLite CalculateActivationRangeQuantized). */
enum qc_fused_act { QC_ACT_NONE, QC_ACT_RELU, QC_ACT_RELU_N1_TO_1, QC_ACT_RELU6 };
void qc_activation_range(enum qc_fused_act act, float out_scale, int32_t out_zp,
			 int32_t *min, int32_t *max);

/* 256-entry int8 tables, indexed by x + 128. */
enum qc_lut_fn { QC_LUT_LOGISTIC, QC_LUT_TANH };
void qc_lut_float_fn(enum qc_lut_fn fn, float in_scale, int32_t in_zp,
		     float out_scale, int32_t out_zp, int8_t table[256]);
void qc_lut_relu(float act_min, float act_max, float in_scale, int32_t in_zp,
		 float out_scale, int32_t out_zp, int8_t table[256]);
void qc_lut_leaky_relu(float alpha, float in_scale, int32_t in_zp,
		       float out_scale, int32_t out_zp, int8_t table[256]);
/* Returns -1 for scales TFLite refuses (output rescale above 1). */
int qc_lut_hard_swish(float in_scale, int32_t in_zp, float out_scale,
		      int32_t out_zp, int8_t table[256]);

/* TFLite's int8 softmax table: entry d = expf(-in_scale * beta * d). */
void qc_softmax_exp_table(float in_scale, float beta, uint32_t table[256]);

/* Float32 bit pattern of a float. */
uint32_t qc_f32_bits(float f);

/* QUANTIZE float -> int8 and DEQUANTIZE, as TFLite's reference kernels. */
int8_t qc_quantize_f32(float x, float scale, int32_t zp);
float qc_dequantize_s8(int8_t q, float scale, int32_t zp);

#endif /* QACCEL_QUANT_MATH_H */
