/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Userspace spelling of the kernel types and helpers the reference code
 * uses. Only freestanding headers: this also builds with -ffreestanding.
 */
#ifndef QACCEL_REF_TYPES_USER_H
#define QACCEL_REF_TYPES_USER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
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

#ifndef static_assert
#define static_assert _Static_assert
#endif

#endif /* QACCEL_REF_TYPES_USER_H */
