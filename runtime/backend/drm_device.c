// SPDX-License-Identifier: MIT
/*
 * The drm backend's device: find the qaccel node (by the driver name the
 * kernel reports, not by a fixed minor), check that it speaks this
 * runtime's ABI and ISA, describe it. Every failure leaves a message that
 * says what to do about it.
 */
#ifdef QACCEL_HAVE_DRM

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xf86drm.h>

#include "drm_device.h"
#include "runtime/core/error.h"
#include "uapi/qaccel_cmd.h"

#define DRIVER_NAME "qaccel"
#define NOT_DRM "(not DRM)"

/* What a scan of one directory met, for the message when nothing fits. */
struct scan_log {
	int nodes;		/* candidates seen */
	int denied;		/* could not open: permissions */
	int other_err;		/* could not open: anything else */
	char others[160];	/* names of the other DRM drivers met */
};

int qaccel_drm_check_info(const struct drm_qaccel_query_info *info,
			  uint32_t size, char *msg, size_t len)
{
	if (size < sizeof(*info)) {
		snprintf(msg, len, "the driver's QUERY answers %u bytes, this libqaccel needs %zu: the driver is older than the runtime",
			 size, sizeof(*info));
		return -EPROTO;
	}
	if (info->abi_version != QACCEL_DRM_ABI) {
		snprintf(msg, len, "the driver speaks ioctl ABI %u, this libqaccel ABI %u: install a matching qaccel.ko and libqaccel",
			 info->abi_version, QACCEL_DRM_ABI);
		return -EPROTO;
	}
	if (info->isa_version != QACCEL_ISA_VERSION) {
		snprintf(msg, len, "the device runs command-stream ISA %u, this libqaccel writes ISA %u: install a matching qaccel.ko and libqaccel",
			 info->isa_version, QACCEL_ISA_VERSION);
		return -EPROTO;
	}
	if (!info->max_stream_size || !info->max_cmds || !info->max_buffers ||
	    !info->max_bo_size) {
		snprintf(msg, len, "the driver reports a zero limit (stream %u bytes, %u commands, %u buffers, buffers of %llu bytes)",
			 info->max_stream_size, info->max_cmds, info->max_buffers,
			 (unsigned long long)info->max_bo_size);
		return -EPROTO;
	}
	return 0;
}

void qaccel_drm_describe(struct qaccel_drm_dev *dev)
{
	const struct drm_qaccel_query_info *i = &dev->info;
	int known = QACCEL_OP_COUNT - 1, have = 0;

	for (int op = 1; op < QACCEL_OP_COUNT; op++)
		have += op < 64 && (i->opcodes_mask >> op & 1);
	snprintf(dev->desc, sizeof(dev->desc),
		 "qaccel at %s: driver %s, ABI %u, ISA %u, %d of %d opcodes; up to %u stream bytes, %u commands, %u buffers per job, %llu MiB per buffer; job timeout %u ms",
		 dev->path, dev->driver_version, i->abi_version, i->isa_version,
		 have, known, i->max_stream_size, i->max_cmds, i->max_buffers,
		 (unsigned long long)(i->max_bo_size >> 20), i->timeout_ms);
}

static void note_other(struct scan_log *log, const char *name)
{
	size_t n = strlen(log->others);

	if (strstr(log->others, name))
		return;
	snprintf(log->others + n, sizeof(log->others) - n, "%s%s",
		 n ? ", " : "", name);
}

/*
 * Opens path if it is a qaccel node: 1 with dev->fd set, 0 if it is some
 * other device (noted in log), -errno if it cannot be opened.
 */
static int try_node(const char *path, struct qaccel_drm_dev *dev,
		    struct scan_log *log)
{
	drmVersionPtr v;
	int fd = open(path, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	v = drmGetVersion(fd);
	if (!v) {
		close(fd);
		note_other(log, NOT_DRM);
		return 0;
	}
	if (!v->name || strcmp(v->name, DRIVER_NAME)) {
		note_other(log, v->name ? v->name : "(unnamed)");
		drmFreeVersion(v);
		close(fd);
		return 0;
	}
	snprintf(dev->driver_version, sizeof(dev->driver_version), "%d.%d.%d %s",
		 v->version_major, v->version_minor, v->version_patchlevel,
		 v->date ? v->date : "");
	drmFreeVersion(v);
	snprintf(dev->path, sizeof(dev->path), "%s", path);
	dev->fd = fd;
	return 1;
}

/* Node names tried in a directory, with the number that orders them. */
static int node_number(const char *name)
{
	static const char *const prefixes[] = { "renderD", "accel" };

	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		size_t n = strlen(prefixes[i]);
		char *end;
		long v;

		if (strncmp(name, prefixes[i], n) || !name[n])
			continue;
		v = strtol(name + n, &end, 10);
		if (*end || v < 0 || v > 0xffff)
			return -1;
		/* render nodes first: they are what DRM drivers offer today */
		return (int)(i * 0x10000 + v);
	}
	return -1;
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* 1 and dev set when dir has a qaccel node, 0 when not, -errno. */
static int scan_dir(const char *dir, struct qaccel_drm_dev *dev,
		    struct scan_log *log)
{
	int nums[256], n = 0, ret = 0;
	struct dirent *e;
	DIR *d = opendir(dir);

	if (!d)
		return -errno;
	while ((e = readdir(d)) && n < (int)(sizeof(nums) / sizeof(nums[0]))) {
		int k = node_number(e->d_name);

		if (k >= 0)
			nums[n++] = k;
	}
	closedir(d);
	qsort(nums, (size_t)n, sizeof(nums[0]), cmp_int);
	for (int i = 0; i < n && ret <= 0; i++) {
		char path[300];

		snprintf(path, sizeof(path), "%s/%s%d", dir,
			 nums[i] < 0x10000 ? "renderD" : "accel", nums[i] & 0xffff);
		log->nodes++;
		ret = try_node(path, dev, log);
		if (ret == -EACCES || ret == -EPERM)
			log->denied++;
		else if (ret < 0)
			log->other_err++;
		ret = ret > 0;
	}
	return ret;
}

static int not_found(const char *where, const struct scan_log *log)
{
	if (!log->nodes)
		return qaccel_set_error(-ENODEV, "no qaccel device: no DRM render or accel node in %s (is qaccel.ko loaded?)",
					where);
	if (log->denied)
		return qaccel_set_error(-EACCES, "no qaccel device usable: %d of the %d nodes in %s could not be opened (permission denied; on most systems the render group may open render nodes)",
					log->denied, log->nodes, where);
	return qaccel_set_error(-ENODEV, "no qaccel device: none of the %d nodes in %s belongs to the qaccel driver (found: %s; is qaccel.ko loaded?)",
				log->nodes, where, log->others[0] ? log->others : "none that opened");
}

static int find_node(const char *where, struct qaccel_drm_dev *dev)
{
	struct scan_log log = { 0 };
	struct stat st;
	int ret;

	if (where) {
		if (stat(where, &st))
			return qaccel_set_error(-errno, "qaccel device %s: %s", where,
						strerror(errno));
		if (S_ISDIR(st.st_mode)) {
			ret = scan_dir(where, dev, &log);
			if (ret < 0)
				return qaccel_set_error(ret, "qaccel device: cannot read %s: %s",
							where, strerror(-ret));
			return ret ? 0 : not_found(where, &log);
		}
		ret = try_node(where, dev, &log);
		if (ret < 0)
			return qaccel_set_error(ret, "qaccel device %s: %s", where,
						strerror(-ret));
		if (!ret && !strcmp(log.others, NOT_DRM))
			return qaccel_set_error(-ENODEV, "%s is not a DRM device", where);
		if (!ret)
			return qaccel_set_error(-ENODEV, "%s belongs to the DRM driver '%s', not to qaccel",
						where, log.others);
		return 0;
	}
	/* A missing directory is only "no such devices here". */
	if (scan_dir("/dev/dri", dev, &log) > 0 || scan_dir("/dev/accel", dev, &log) > 0)
		return 0;
	return not_found("/dev/dri and /dev/accel", &log);
}

int qaccel_drm_dev_open(const char *where, struct qaccel_drm_dev *dev)
{
	struct drm_qaccel_query q = { 0 };
	char msg[256];
	int ret;

	memset(dev, 0, sizeof(*dev));
	dev->fd = -1;
	if (!where || !where[0])
		where = getenv(QACCEL_DRM_DEVICE_ENV);
	if (where && !where[0])
		where = NULL;
	ret = find_node(where, dev);
	if (ret)
		return ret;
	q.info = (uintptr_t)&dev->info;
	q.size = sizeof(dev->info);
	if (drmIoctl(dev->fd, DRM_IOCTL_QACCEL_QUERY, &q)) {
		ret = -errno;
		qaccel_drm_dev_close(dev);
		return qaccel_set_error(ret, "qaccel device %s: QUERY failed: %s",
					dev->path, strerror(-ret));
	}
	ret = qaccel_drm_check_info(&dev->info, q.size, msg, sizeof(msg));
	if (ret) {
		qaccel_drm_dev_close(dev);
		return qaccel_set_error(ret, "qaccel device %s: %s", dev->path, msg);
	}
	qaccel_drm_describe(dev);
	return 0;
}

void qaccel_drm_dev_close(struct qaccel_drm_dev *dev)
{
	if (dev->fd >= 0)
		close(dev->fd);
	dev->fd = -1;
}

#endif /* QACCEL_HAVE_DRM */
