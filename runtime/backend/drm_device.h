/* SPDX-License-Identifier: MIT */
/*
 * Finding and checking the qaccel device for the drm backend: which node
 * to open, whether its driver is qaccel, whether its ABI and ISA are the
 * ones this libqaccel writes, and a one-line description for `qaccel info`.
 * Compiled only with libdrm (QACCEL_HAVE_DRM).
 */
#ifndef QACCEL_DRM_DEVICE_H
#define QACCEL_DRM_DEVICE_H

#include <stddef.h>
#include <stdint.h>

#include "uapi/qaccel_drm.h"

/* The DRM_QACCEL_QUERY abi_version this runtime speaks. */
#define QACCEL_DRM_ABI 1u

/* Environment variable naming a node or a directory to look in. */
#define QACCEL_DRM_DEVICE_ENV "QACCEL_DRM_DEVICE"

struct qaccel_drm_dev {
	int fd;
	char path[256];
	char driver_version[64];	/* "MAJOR.MINOR.PATCH DATE" */
	struct drm_qaccel_query_info info;
	char desc[512];
};

/*
 * Opens the qaccel device. where: a device node, a directory whose
 * renderD* and accel* nodes are tried in order, or NULL for the
 * QACCEL_DRM_DEVICE environment variable, else /dev/dri then /dev/accel.
 * Then QUERY, checked by qaccel_drm_check_info(). Returns 0, or -errno
 * with qaccel_last_error() saying why (-ENODEV: no qaccel device there).
 */
int qaccel_drm_dev_open(const char *where, struct qaccel_drm_dev *dev);
void qaccel_drm_dev_close(struct qaccel_drm_dev *dev);

/*
 * 0 when a device whose QUERY returned info (size: the kernel's struct
 * size) can run the streams this libqaccel writes; otherwise -EPROTO with
 * the reason in msg.
 */
int qaccel_drm_check_info(const struct drm_qaccel_query_info *info,
			  uint32_t size, char *msg, size_t len);

/* dev->desc from the node, the driver's version and the QUERY limits. */
void qaccel_drm_describe(struct qaccel_drm_dev *dev);

#endif /* QACCEL_DRM_DEVICE_H */
