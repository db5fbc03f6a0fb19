/* SPDX-License-Identifier: MIT */
/*
 * The one seam between libqaccel and the places a command stream runs: a
 * backend allocates buffers the CPU can map and runs a validated stream over
 * a table of them, synchronously. Each backend is one file behind this
 * vtable.
 */
#ifndef QACCEL_BACKEND_H
#define QACCEL_BACKEND_H

#include <stddef.h>
#include <stdint.h>

#include "qaccel.h"

/**
 * struct qaccel_bo - a buffer a backend owns
 * @map: CPU address of its bytes while the model lives (the backend keeps
 *	it coherent across submits)
 * @size: bytes
 */
struct qaccel_bo {
	void *map;
	size_t size;
};

struct qaccel_backend_ops {
	const char *name;
	/* 0 and *state set, or -errno (-ENODEV: no such device here). */
	int (*open)(const struct qaccel_ctx_options *opts, void **state);
	void (*close)(void *state);
	/* One line naming the device, valid until close. */
	const char *(*device_name)(void *state);
	int (*bo_create)(void *state, size_t size, struct qaccel_bo **out);
	void (*bo_destroy)(void *state, struct qaccel_bo *bo);
	/*
	 * Run the stream held in the first stream_size bytes of stream over
	 * table[0..count) and wait for it to finish.
	 */
	int (*submit)(void *state, struct qaccel_bo *stream, uint32_t stream_size,
		      struct qaccel_bo *const *table, uint32_t count);
	/*
	 * Optional: the caller will not change bo's bytes again (a model's
	 * constants), so a backend may keep things derived from them, such
	 * as repacked weights, for the bo's lifetime.
	 */
	void (*bo_seal)(void *state, struct qaccel_bo *bo);
};

extern const struct qaccel_backend_ops qaccel_backend_ref;
extern const struct qaccel_backend_ops qaccel_backend_opencl;
extern const struct qaccel_backend_ops qaccel_backend_cpu;
/* Built with libdrm only (QACCEL_HAVE_DRM); see backend_drm.c. */
extern const struct qaccel_backend_ops qaccel_backend_drm;

/* The backend for a kind, or NULL if this build has none. */
const struct qaccel_backend_ops *qaccel_backend_lookup(enum qaccel_backend_kind kind);

#endif /* QACCEL_BACKEND_H */
