// SPDX-License-Identifier: MIT
/*
 * Element types by name and size: what the model path needs without a
 * context (the compiler, the fuzz targets), kept apart from the backends.
 */
#include "qaccel.h"

const char *qaccel_dtype_name(enum qaccel_dtype dtype)
{
	switch (dtype) {
	case QACCEL_DTYPE_INT8:
		return "int8";
	case QACCEL_DTYPE_UINT8:
		return "uint8";
	case QACCEL_DTYPE_INT32:
		return "int32";
	case QACCEL_DTYPE_FLOAT32:
		return "float32";
	}
	return "unknown";
}

size_t qaccel_dtype_size(enum qaccel_dtype dtype)
{
	switch (dtype) {
	case QACCEL_DTYPE_INT8:
	case QACCEL_DTYPE_UINT8:
		return 1;
	case QACCEL_DTYPE_INT32:
	case QACCEL_DTYPE_FLOAT32:
		return 4;
	}
	return 0;
}
