/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * IEEE 754 binary32 arithmetic on bit patterns, with integer instructions
 * only: the kernel may not touch the FPU, yet TensorFlow Lite computes its
 * int8 softmax and general mean in float, so the engine reproduces those
 * operations bit for bit. Every operation rounds to nearest, ties to even;
 * any NaN result is the canonical quiet NaN 0x7fc00000.
 */
#ifndef QACCEL_F32_H
#define QACCEL_F32_H

#include "qaccel_ref_types.h"

#define QACCEL_F32_ONE		0x3f800000u
#define QACCEL_F32_QNAN		0x7fc00000u

u32 qaccel_f32_from_s32(s32 x);
u32 qaccel_f32_add(u32 a, u32 b);
u32 qaccel_f32_mul(u32 a, u32 b);
u32 qaccel_f32_div(u32 a, u32 b);
/* Nearest integral value, halfway cases away from zero (C's roundf). */
u32 qaccel_f32_round(u32 a);
/* Truncates toward zero; NaN gives 0, out-of-range values saturate. */
s32 qaccel_f32_to_s32(u32 a);
/* a < b, false when either is NaN. */
bool qaccel_f32_lt(u32 a, u32 b);

#endif /* QACCEL_F32_H */
