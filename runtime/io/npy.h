/* SPDX-License-Identifier: MIT */
/*
 * .npy files (NumPy's array format, versions 1.0 to 3.0): little-endian,
 * C-order arrays of int8, uint8, int32, int64 or float32.
 */
#ifndef QACCEL_NPY_H
#define QACCEL_NPY_H

#include <stddef.h>
#include <stdint.h>

#define NPY_MAX_RANK 8

enum npy_dtype { NPY_I8, NPY_U8, NPY_I32, NPY_I64, NPY_F32 };

struct npy_array {
	enum npy_dtype dtype;
	int rank;
	int64_t shape[NPY_MAX_RANK];
	size_t elems;
	size_t elem_size;
	void *data;
};

/* Parses bytes; on error returns -errno and writes a message to err. */
int npy_parse(const void *buf, size_t size, struct npy_array *a, char *err,
	      size_t errlen);
int npy_load(const char *path, struct npy_array *a, char *err, size_t errlen);
int npy_save(const char *path, const struct npy_array *a, char *err,
	     size_t errlen);
void npy_free(struct npy_array *a);
const char *npy_dtype_descr(enum npy_dtype t);

#endif /* QACCEL_NPY_H */
