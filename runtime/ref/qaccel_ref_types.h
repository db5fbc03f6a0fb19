/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Integer types for the freestanding reference code: the kernel's own names,
 * so the same sources read as kernel code and build in userspace too.
 */
#ifndef QACCEL_REF_TYPES_H
#define QACCEL_REF_TYPES_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/limits.h>
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/types.h>
#include <linux/errno.h>

typedef int8_t s8;
typedef uint8_t u8;
typedef int16_t s16;
typedef uint16_t u16;
typedef int32_t s32;
typedef uint32_t u32;
typedef int64_t s64;
typedef uint64_t u64;

#define S8_MIN	INT8_MIN
#define S8_MAX	INT8_MAX
#define S32_MIN	INT32_MIN
#define S32_MAX	INT32_MAX
#define U32_MAX	UINT32_MAX
#define S64_MIN	INT64_MIN
#define S64_MAX	INT64_MAX
#endif

#endif /* QACCEL_REF_TYPES_H */
