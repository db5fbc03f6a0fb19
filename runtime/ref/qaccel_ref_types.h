/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Integer types for the freestanding reference code: the kernel's own names,
 * so the same sources read as kernel code and build in userspace too.
 */
#ifndef QACCEL_REF_TYPES_H
#define QACCEL_REF_TYPES_H

#ifdef __KERNEL__
#include <linux/build_bug.h>
#include <linux/errno.h>
#include <linux/limits.h>
#include <linux/types.h>
#else
#include "qaccel_ref_types_user.h"
#endif

#endif /* QACCEL_REF_TYPES_H */
