// SPDX-License-Identifier: MIT
/*
 * The drm backend: streams run on qaccel.ko through libdrm. Every buffer
 * is a GEM object mapped into the process for the model's lifetime, so
 * weights are written into their buffer once at load, and a run writes
 * its inputs and reads its outputs in place: a submit copies nothing.
 *
 * A run is SUBMIT with the context's out-syncobj, whose new fence is taken
 * out as a sync_file right away (under a lock, so threads sharing the
 * context each get their own job's fence); waiting on that file and asking
 * its status tells a job that finished from one that failed or was killed
 * by the driver's timeout.
 */
#ifdef QACCEL_HAVE_DRM

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/sync_file.h>
#include <xf86drm.h>

#include "backend.h"
#include "drm_device.h"
#include "runtime/core/error.h"
#include "runtime/ref/qaccel_ref.h"

/* A wait gives up after the driver's job timeout times this, plus a floor. */
#define WAIT_TIMEOUT_FACTOR 4
#define WAIT_FLOOR_MS 10000
/* ...and looks at the clock (and the driver's timeout) this often. */
#define WAIT_SLICE_MS 1000

struct drm_state {
	struct qaccel_drm_dev dev;
	uint32_t syncobj;
	pthread_mutex_t lock;		/* the syncobj between submit and export */
};

struct drm_bo {
	struct qaccel_bo bo;
	uint32_t handle;
	size_t map_size;
};

static int drm_open(const struct qaccel_ctx_options *opts, void **state)
{
	struct drm_state *s = calloc(1, sizeof(*s));
	int ret;

	if (!s)
		return qaccel_set_error(-ENOMEM, "out of memory");
	ret = qaccel_drm_dev_open(opts ? opts->device : NULL, &s->dev);
	if (ret) {
		free(s);
		return ret;
	}
	if (drmSyncobjCreate(s->dev.fd, 0, &s->syncobj)) {
		ret = -errno;
		qaccel_drm_dev_close(&s->dev);
		free(s);
		return qaccel_set_error(ret, "qaccel device: cannot create a syncobj: %s",
					strerror(-ret));
	}
	pthread_mutex_init(&s->lock, NULL);
	*state = s;
	return 0;
}

static void drm_close(void *state)
{
	struct drm_state *s = state;

	drmSyncobjDestroy(s->dev.fd, s->syncobj);
	pthread_mutex_destroy(&s->lock);
	qaccel_drm_dev_close(&s->dev);
	free(s);
}

static const char *drm_device_name(void *state)
{
	return ((struct drm_state *)state)->dev.desc;
}

static void gem_close(int fd, uint32_t handle)
{
	struct drm_gem_close c = { .handle = handle };

	drmIoctl(fd, DRM_IOCTL_GEM_CLOSE, &c);
}

static int drm_bo_create(void *state, size_t size, struct qaccel_bo **out)
{
	struct drm_state *s = state;
	struct drm_qaccel_bo_create c = { .size = size };
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	struct drm_bo *b;
	void *map;
	int ret;

	if (!size || size > SIZE_MAX - page)
		return qaccel_set_error(-EINVAL, "buffer of %zu bytes", size);
	if (size > s->dev.info.max_bo_size)
		return qaccel_set_error(-E2BIG, "a buffer of %zu bytes is needed; this device's largest is %llu",
					size, (unsigned long long)s->dev.info.max_bo_size);
	b = calloc(1, sizeof(*b));
	if (!b)
		return qaccel_set_error(-ENOMEM, "out of memory");
	if (drmIoctl(s->dev.fd, DRM_IOCTL_QACCEL_BO_CREATE, &c)) {
		ret = -errno;
		free(b);
		return qaccel_set_error(ret, "BO_CREATE of %zu bytes: %s", size,
					strerror(-ret));
	}
	b->handle = c.handle;
	b->map_size = (size + page - 1) / page * page;
	map = mmap(NULL, b->map_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		   s->dev.fd, (off_t)c.mmap_offset);
	if (map == MAP_FAILED) {
		ret = -errno;
		gem_close(s->dev.fd, b->handle);
		free(b);
		return qaccel_set_error(ret, "mmap of a %zu-byte buffer: %s", size,
					strerror(-ret));
	}
	b->bo.map = map;
	b->bo.size = size;
	*out = &b->bo;
	return 0;
}

static void drm_bo_destroy(void *state, struct qaccel_bo *bo)
{
	struct drm_state *s = state;
	struct drm_bo *b = (struct drm_bo *)bo;

	if (!b)
		return;
	munmap(b->bo.map, b->map_size);
	/* A job still using it keeps the object alive in the kernel. */
	gem_close(s->dev.fd, b->handle);
	free(b);
}

/*
 * Why the kernel refused a stream, in words: the userspace validator
 * (the kernel's twin) names the rule, and the device's opcode list names
 * an opcode it lacks.
 */
static int submit_rejected(struct drm_state *s, int err, const struct drm_qaccel_submit *sub,
			   const struct qaccel_bo *stream, struct qaccel_bo *const *table)
{
	uint64_t sizes[QACCEL_MAX_BUFFERS];
	struct qaccel_validate_error verr;
	const uint8_t *p = stream->map;
	uint32_t off = sizeof(struct qaccel_stream_header);

	for (uint32_t i = 0; i < sub->buf_count; i++)
		sizes[i] = table[i]->size;
	if (qaccel_validate(stream->map, sub->stream_size, sizes, sub->buf_count, &verr))
		return qaccel_set_error(err, "the stream is invalid at byte %u (command %u): %s",
					verr.offset, verr.cmd_index, verr.reason);
	/* Valid here: walk the commands for one the device does not have. */
	while (off + sizeof(struct qaccel_cmd_header) <= sub->stream_size) {
		struct qaccel_cmd_header h;

		memcpy(&h, p + off, sizeof(h));
		if (h.opcode >= 64 || !(s->dev.info.opcodes_mask >> h.opcode & 1))
			return qaccel_set_error(err, "the device does not support opcode %u (command at byte %u)",
						h.opcode, off);
		if (!h.size)
			break;
		off += h.size;
	}
	if (err == -EINVAL)
		return qaccel_set_error(err, "the driver rejected a stream this libqaccel accepts (first bad byte %u): driver and runtime disagree",
					sub->error_offset);
	return qaccel_set_error(err, "SUBMIT: %s", strerror(-err));
}

/* What a job's fence status (negative) means, for the message. */
static const char *job_failure(int status)
{
	switch (status) {
	case -ETIMEDOUT:
	case -ETIME:
		return "it ran past the driver's job timeout and was stopped (the engine was reset)";
	case -ECANCELED:
	case -ESRCH:
		return "it was cancelled (the engine was reset or the file closed)";
	case -EIO:
		return "the device reported an error running it";
	default:
		return "the device reported an error";
	}
}

/*
 * How long a wait may last: a bound the driver's own job timeout always
 * beats. The timeout is a module parameter that may change at run time,
 * so it is asked again rather than remembered.
 */
static int64_t wait_bound_ms(struct drm_state *s)
{
	struct drm_qaccel_query_info info = { .timeout_ms = s->dev.info.timeout_ms };
	struct drm_qaccel_query q = { .info = (uintptr_t)&info, .size = sizeof(info) };

	drmIoctl(s->dev.fd, DRM_IOCTL_QACCEL_QUERY, &q);
	return (int64_t)info.timeout_ms * WAIT_TIMEOUT_FACTOR + WAIT_FLOOR_MS;
}

/* Waits for the job behind sync_fd; 0, or -errno with a message. */
static int wait_job(struct drm_state *s, int sync_fd)
{
	struct pollfd pfd = { .fd = sync_fd, .events = POLLIN };
	struct sync_file_info info;
	int64_t waited = 0;
	int ret;

	for (;;) {
		ret = poll(&pfd, 1, WAIT_SLICE_MS);
		if (ret < 0 && errno != EINTR)
			return qaccel_set_error(-errno, "waiting for the job: %s",
						strerror(errno));
		if (ret > 0)
			break;
		waited += ret ? 0 : WAIT_SLICE_MS;
		if (waited >= wait_bound_ms(s))
			return qaccel_set_error(-ETIMEDOUT, "the job did not finish within %lld ms, though the driver should have stopped it",
						(long long)waited);
	}
	memset(&info, 0, sizeof(info));
	if (ioctl(sync_fd, SYNC_IOC_FILE_INFO, &info))
		return qaccel_set_error(-errno, "reading the job's fence: %s", strerror(errno));
	if (info.status < 0)
		return qaccel_set_error(info.status, "the job failed: %s (fence error %d, %s)",
					job_failure(info.status), info.status,
					strerror(-info.status));
	if (info.status == 0)	/* poll woke for something else */
		return qaccel_set_error(-EIO, "the job's fence is not signalled after the wait (poll events %#x)",
					(unsigned int)pfd.revents);
	return 0;
}

static int drm_submit(void *state, struct qaccel_bo *stream, uint32_t stream_size,
		      struct qaccel_bo *const *table, uint32_t count)
{
	struct drm_state *s = state;
	struct drm_qaccel_buf_entry ent[QACCEL_MAX_BUFFERS];
	struct drm_qaccel_submit sub = { 0 };
	int sync_fd = -1, ret;

	if (stream_size > stream->size)
		return qaccel_set_error(-EINVAL, "stream of %u bytes in a %zu-byte buffer",
					stream_size, stream->size);
	if (stream_size > s->dev.info.max_stream_size)
		return qaccel_set_error(-E2BIG, "the command stream has %u bytes; this device takes at most %u",
					stream_size, s->dev.info.max_stream_size);
	if (count > s->dev.info.max_buffers || count > QACCEL_MAX_BUFFERS)
		return qaccel_set_error(-E2BIG, "the job uses %u buffers; this device takes at most %u",
					count, s->dev.info.max_buffers);
	for (uint32_t i = 0; i < count; i++) {
		ent[i].handle = ((struct drm_bo *)table[i])->handle;
		ent[i].flags = DRM_QACCEL_BUF_READ | DRM_QACCEL_BUF_WRITE;
	}
	sub.stream_handle = ((struct drm_bo *)stream)->handle;
	sub.stream_size = stream_size;
	sub.buf_count = count;
	sub.bufs = (uintptr_t)ent;
	sub.buf_entry_size = sizeof(ent[0]);
	sub.out_syncobj = s->syncobj;

	pthread_mutex_lock(&s->lock);
	if (drmIoctl(s->dev.fd, DRM_IOCTL_QACCEL_SUBMIT, &sub)) {
		ret = -errno;
		pthread_mutex_unlock(&s->lock);
		if (ret == -EINVAL || ret == -EOVERFLOW || ret == -E2BIG)
			return submit_rejected(s, ret, &sub, stream, table);
		return qaccel_set_error(ret, "SUBMIT: %s", strerror(-ret));
	}
	if (drmSyncobjExportSyncFile(s->dev.fd, s->syncobj, &sync_fd)) {
		ret = errno ? -errno : -EIO;
		pthread_mutex_unlock(&s->lock);
		return qaccel_set_error(ret, "taking the job's fence: %s", strerror(-ret));
	}
	pthread_mutex_unlock(&s->lock);
	ret = wait_job(s, sync_fd);
	close(sync_fd);
	return ret;
}

const struct qaccel_backend_ops qaccel_backend_drm = {
	.name = "drm",
	.open = drm_open,
	.close = drm_close,
	.device_name = drm_device_name,
	.bo_create = drm_bo_create,
	.bo_destroy = drm_bo_destroy,
	.submit = drm_submit,
};

#endif /* QACCEL_HAVE_DRM */
