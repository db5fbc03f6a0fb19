// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * QUERY (what the device and its ISA support, with size negotiation so the
 * info struct can grow) and GET_STATS (this file's job counters).
 */
#include <linux/minmax.h>
#include <linux/uaccess.h>
#include <drm/drm_file.h>
#include <drm/drm_print.h>

#include "qaccel_drv.h"

int qaccel_ioctl_query(struct drm_device *drm, void *data,
		       struct drm_file *file)
{
	struct drm_qaccel_query *args = data;
	struct drm_qaccel_query_info info = {
		.abi_version = QACCEL_ABI_VERSION,
		.isa_version = QACCEL_ISA_VERSION,
		.max_stream_size = QACCEL_MAX_STREAM_SIZE,
		.max_cmds = QACCEL_MAX_CMDS,
		.max_buffers = QACCEL_MAX_BUFFERS,
		.timeout_ms = qaccel_timeout_ms(),
		.max_bo_size = QACCEL_MAX_BO_SIZE,
	};
	u32 op;

	if (args->flags) {
		drm_dbg(drm, "QUERY: flags %#x\n", args->flags);
		return -EINVAL;
	}
	BUILD_BUG_ON(QACCEL_OP_COUNT > 64);
	for (op = 1; op < QACCEL_OP_COUNT; op++)
		if (qaccel_opcode_name(op))
			info.opcodes_mask |= 1ULL << op;

	if (args->info &&
	    copy_to_user(u64_to_user_ptr(args->info), &info,
			 min_t(size_t, args->size, sizeof(info)))) {
		drm_dbg(drm, "QUERY: bad info pointer\n");
		return -EFAULT;
	}
	args->size = sizeof(info);
	return 0;
}

int qaccel_ioctl_get_stats(struct drm_device *drm, void *data,
			   struct drm_file *file)
{
	struct qaccel_file *qfile = file->driver_priv;
	struct drm_qaccel_stats *args = data;

	args->jobs_completed = atomic64_read(&qfile->completed);
	args->jobs_failed = atomic64_read(&qfile->failed);
	args->jobs_timed_out = atomic64_read(&qfile->timed_out);
	args->engine_time_ns = atomic64_read(&qfile->engine_ns);
	return 0;
}
