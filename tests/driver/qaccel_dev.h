/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Driver-test helpers: find and open the qaccel render node, thin wrappers
 * around each ioctl that return 0 or -errno, and "jobs": a buffer table
 * built by the unit tests' helpers (cmd_util.h, stream_builder.h) uploaded
 * into GEM buffers with the stream in one more, so that a test can submit
 * it and compare every output byte with the reference engine run in
 * userspace on a copy of the same inputs.
 */
#ifndef QACCEL_TEST_DEV_H
#define QACCEL_TEST_DEV_H

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <xf86drm.h>

#include "uapi/qaccel_drm.h"
#include "stream_builder.h"

#define QD_NS_PER_MS 1000000LL

/* An open render node of the qaccel driver, or -1 if there is none. */
static inline int qd_open(void)
{
	char path[32];

	for (int i = 128; i < 192; i++) {
		drmVersionPtr v;
		int fd;

		snprintf(path, sizeof(path), "/dev/dri/renderD%d", i);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		v = drmGetVersion(fd);
		if (v && !strcmp(v->name, "qaccel")) {
			drmFreeVersion(v);
			return fd;
		}
		if (v)
			drmFreeVersion(v);
		close(fd);
	}
	return -1;
}

static inline int qd_ioctl(int fd, unsigned long req, void *arg)
{
	return drmIoctl(fd, req, arg) ? -errno : 0;
}

static inline int64_t qd_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static inline int qd_query(int fd, struct drm_qaccel_query_info *info)
{
	struct drm_qaccel_query q = {
		.info = (uintptr_t)info, .size = sizeof(*info),
	};

	memset(info, 0, sizeof(*info));
	return qd_ioctl(fd, DRM_IOCTL_QACCEL_QUERY, &q);
}

static inline int qd_stats(int fd, struct drm_qaccel_stats *s)
{
	memset(s, 0, sizeof(*s));
	return qd_ioctl(fd, DRM_IOCTL_QACCEL_GET_STATS, s);
}

struct qd_bo {
	uint32_t handle;
	uint64_t size;		/* as asked for */
	uint64_t mmap_offset;
	uint8_t *map;		/* NULL until qd_bo_map() */
	uint64_t map_size;	/* whole pages */
};

static inline uint64_t qd_page_round(uint64_t size)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);

	return (size + page - 1) / page * page;
}

static inline int qd_bo_create(int fd, uint64_t size, struct qd_bo *bo)
{
	struct drm_qaccel_bo_create c = { .size = size };
	int ret = qd_ioctl(fd, DRM_IOCTL_QACCEL_BO_CREATE, &c);

	memset(bo, 0, sizeof(*bo));
	if (ret)
		return ret;
	bo->handle = c.handle;
	bo->size = size;
	bo->mmap_offset = c.mmap_offset;
	return 0;
}

static inline int qd_bo_map(int fd, struct qd_bo *bo)
{
	void *p;

	bo->map_size = qd_page_round(bo->size);
	p = mmap(NULL, bo->map_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		 (off_t)bo->mmap_offset);
	if (p == MAP_FAILED)
		return -errno;
	bo->map = p;
	return 0;
}

static inline int qd_gem_close(int fd, uint32_t handle)
{
	struct drm_gem_close c = { .handle = handle };

	return qd_ioctl(fd, DRM_IOCTL_GEM_CLOSE, &c);
}

static inline void qd_bo_free(int fd, struct qd_bo *bo)
{
	if (bo->map)
		munmap(bo->map, bo->map_size);
	if (bo->handle)
		qd_gem_close(fd, bo->handle);
	memset(bo, 0, sizeof(*bo));
}

/* A buffer of size bytes, mapped, holding a copy of data (if not NULL). */
static inline int qd_bo_upload(int fd, const void *data, uint64_t size,
			       struct qd_bo *bo)
{
	int ret = qd_bo_create(fd, size, bo);

	if (!ret)
		ret = qd_bo_map(fd, bo);
	if (ret) {
		qd_bo_free(fd, bo);
		return ret;
	}
	if (data)
		memcpy(bo->map, data, size);
	return 0;
}

/* BO_WAIT with a timeout relative to now (negative: already past). */
static inline int qd_bo_wait(int fd, uint32_t handle, int64_t rel_ns)
{
	struct drm_qaccel_bo_wait w = {
		.handle = handle, .timeout_ns = qd_now_ns() + rel_ns,
	};

	return qd_ioctl(fd, DRM_IOCTL_QACCEL_BO_WAIT, &w);
}

static inline int qd_submit_raw(int fd, struct drm_qaccel_submit *s)
{
	return qd_ioctl(fd, DRM_IOCTL_QACCEL_SUBMIT, s);
}

/*
 * A job: the buffers of a struct t_bufs in GEM buffers (each sized as
 * asked; the pages past the end are zero), the stream in one more, and
 * the buffer table naming them (all read and write).
 */
struct qd_job {
	struct qd_bo bo[T_MAX_BUFS];
	struct drm_qaccel_buf_entry ent[T_MAX_BUFS];
	uint32_t n;
	struct qd_bo stream;
	uint32_t stream_size;
	struct drm_qaccel_submit sub;
};

static inline void qd_job_free(int fd, struct qd_job *j)
{
	for (uint32_t i = 0; i < j->n; i++)
		qd_bo_free(fd, &j->bo[i]);
	qd_bo_free(fd, &j->stream);
	j->n = 0;
}

static inline int qd_job_upload(int fd, const struct t_bufs *b,
				const void *stream, uint32_t stream_size,
				struct qd_job *j)
{
	int ret;

	memset(j, 0, sizeof(*j));
	for (uint32_t i = 0; i < b->n; i++) {
		ret = qd_bo_upload(fd, b->v[i].ptr, b->sizes[i], &j->bo[i]);
		if (ret)
			goto fail;
		j->n++;
		j->ent[i].handle = j->bo[i].handle;
		j->ent[i].flags = DRM_QACCEL_BUF_READ | DRM_QACCEL_BUF_WRITE;
	}
	ret = qd_bo_upload(fd, stream, stream_size, &j->stream);
	if (ret)
		goto fail;
	j->stream_size = stream_size;
	j->sub = (struct drm_qaccel_submit){
		.stream_handle = j->stream.handle,
		.stream_size = stream_size,
		.buf_count = j->n,
		.bufs = (uintptr_t)j->ent,
		.buf_entry_size = sizeof(j->ent[0]),
	};
	return 0;
fail:
	qd_job_free(fd, j);
	return ret;
}

static inline int qd_job_submit(int fd, struct qd_job *j)
{
	return qd_submit_raw(fd, &j->sub);
}

/* Waits (up to timeout_ms) for every buffer of the job to be idle. */
static inline int qd_job_wait(int fd, struct qd_job *j, int64_t timeout_ms)
{
	for (uint32_t i = 0; i < j->n; i++) {
		int ret = qd_bo_wait(fd, j->bo[i].handle,
				     timeout_ms * QD_NS_PER_MS);

		if (ret)
			return ret;
	}
	return 0;
}

/*
 * Index of the first buffer whose bytes differ from the expected ones, or
 * whose bytes past the asked size are not zero (an engine writing out of
 * bounds); -1 when all match. *at gets the byte offset.
 */
static inline int qd_job_compare(const struct qd_job *j,
				 const struct t_bufs *want, uint64_t *at)
{
	for (uint32_t i = 0; i < j->n; i++) {
		const uint8_t *got = j->bo[i].map;

		for (uint64_t k = 0; k < want->sizes[i]; k++)
			if (got[k] != want->v[i].ptr[k]) {
				*at = k;
				return (int)i;
			}
		for (uint64_t k = want->sizes[i]; k < j->bo[i].map_size; k++)
			if (got[k]) {
				*at = k;
				return (int)i;
			}
	}
	return -1;
}

/* Runs the reference engine on b (which it changes), as the driver would. */
static inline int qd_ref_run(struct t_bufs *b, const void *stream,
			     uint32_t size)
{
	struct qaccel_validate_error err;
	int ret = qaccel_validate(stream, size, b->sizes, b->n, &err);

	if (ret) {
		fprintf(stderr, "# reference rejects the stream: %s at %u\n",
			err.reason, err.offset);
		return ret;
	}
	return qaccel_exec_stream(stream, b->v, NULL, NULL);
}

#endif /* QACCEL_TEST_DEV_H */
