// SPDX-License-Identifier: MIT
/*
 * Which backends this build has. Optional ones (drm, opencl) are compiled in
 * when their libraries were found at build time and declare themselves with
 * QACCEL_HAVE_* defines.
 */
#include <stddef.h>

#include "backend.h"

const struct qaccel_backend_ops *qaccel_backend_lookup(enum qaccel_backend_kind kind)
{
	switch (kind) {
	case QACCEL_BACKEND_REF:
		return &qaccel_backend_ref;
	case QACCEL_BACKEND_CPU:
#ifdef QACCEL_HAVE_CPU_FAST
		return &qaccel_backend_cpu;
#else
		/* Until the optimised kernels land, cpu runs the reference ones. */
		return &qaccel_backend_ref;
#endif
	case QACCEL_BACKEND_DRM:
#ifdef QACCEL_HAVE_DRM
		return &qaccel_backend_drm;
#else
		return NULL;
#endif
	case QACCEL_BACKEND_OPENCL:
#ifdef QACCEL_HAVE_OPENCL
		return &qaccel_backend_opencl;
#else
		return NULL;
#endif
	case QACCEL_BACKEND_AUTO:
		break;
	}
	return NULL;
}
