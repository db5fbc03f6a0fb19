// SPDX-License-Identifier: MIT
/*
 * Linked ahead of libqaccel.a into the VM's static programs: OpenCL's ICD
 * loader has no static archive (and the VM no OpenCL device), so this
 * stands in for the opencl backend. Since it defines the one symbol the
 * registry needs from backend_opencl.o, the linker never pulls that object
 * (or the OpenCL calls behind it) out of the archive; every other backend
 * is the library's own.
 */
#include <errno.h>

#include "runtime/backend/backend.h"
#include "runtime/core/error.h"

static int no_opencl_open(const struct qaccel_ctx_options *opts, void **state)
{
	(void)opts;
	(void)state;
	return qaccel_set_error(-ENODEV, "backend 'opencl' is left out of this static build (no static OpenCL loader)");
}

const struct qaccel_backend_ops qaccel_backend_opencl = {
	.name = "opencl",
	.open = no_opencl_open,
};
