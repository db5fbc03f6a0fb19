/* SPDX-License-Identifier: (GPL-2.0-only WITH Linux-syscall-note) OR MIT */
/*
 * qaccel DRM driver uAPI, ABI version 1. Documentation/driver.rst lists
 * every ioctl's errors.
 *
 * The device is a DRM render node (driver name "qaccel"). Buffers are GEM
 * objects; GEM close, PRIME export/import and syncobjs come from the DRM
 * core. A job is a command stream (uapi/qaccel_cmd.h) held in one buffer
 * plus a table of buffers its commands refer to by index; the kernel copies
 * the stream out of its buffer and validates it before queueing the job.
 */
#ifndef _UAPI_QACCEL_DRM_H_
#define _UAPI_QACCEL_DRM_H_

#include "drm.h"

#if defined(__cplusplus)
extern "C" {
#endif

/*
 * enum drm_qaccel_ioctl - ioctl numbers, offsets from DRM_COMMAND_BASE.
 * Append only; never renumber.
 */
enum drm_qaccel_ioctl {
	DRM_QACCEL_QUERY = 0x00,
	DRM_QACCEL_BO_CREATE = 0x01,
	DRM_QACCEL_BO_WAIT = 0x02,
	DRM_QACCEL_SUBMIT = 0x03,
	DRM_QACCEL_GET_STATS = 0x04,
	DRM_QACCEL_BO_INFO = 0x05,
};

/**
 * struct drm_qaccel_query_info - what DRM_QACCEL_QUERY reports
 * @abi_version: Output: version of this ioctl interface (1)
 * @isa_version: Output: command-stream ISA version (QACCEL_ISA_VERSION)
 * @opcodes_mask: Output: bit n set when opcode n is supported
 * @max_stream_size: Output: largest stream accepted, in bytes
 * @max_cmds: Output: most commands in one stream
 * @max_buffers: Output: most entries in one buffer table
 * @timeout_ms: Output: a job running longer than this is stopped
 * @max_bo_size: Output: largest buffer BO_CREATE accepts, in bytes
 */
struct drm_qaccel_query_info {
	__u32 abi_version;
	__u32 isa_version;
	__u64 opcodes_mask;
	__u32 max_stream_size;
	__u32 max_cmds;
	__u32 max_buffers;
	__u32 timeout_ms;
	__u64 max_bo_size;
};

/**
 * struct drm_qaccel_query - DRM_IOCTL_QACCEL_QUERY
 * @info: Input: user pointer to a struct drm_qaccel_query_info, or 0
 * @size: Input: bytes at @info; Output: the kernel's size of the struct.
 *	With @info 0 only the size is returned; otherwise the kernel copies
 *	min(@size, its size) bytes, so the struct can grow.
 * @flags: Input: must be 0
 */
struct drm_qaccel_query {
	__u64 info;
	__u32 size;
	__u32 flags;
};

/**
 * struct drm_qaccel_bo_create - DRM_IOCTL_QACCEL_BO_CREATE
 * @size: Input: bytes, 1 to drm_qaccel_query_info.max_bo_size; rounded up
 *	to whole pages, zeroed
 * @flags: Input: must be 0
 * @handle: Output: GEM handle, valid in this file only
 * @mmap_offset: Output: offset to mmap() the buffer at on the device file
 */
struct drm_qaccel_bo_create {
	__u64 size;
	__u32 flags;
	__u32 handle;
	__u64 mmap_offset;
};

/**
 * struct drm_qaccel_bo_wait - DRM_IOCTL_QACCEL_BO_WAIT
 * @handle: Input: GEM handle
 * @flags: Input: must be 0
 * @timeout_ns: Input: absolute CLOCK_MONOTONIC time to give up at;
 *	-ETIMEDOUT when the buffer's jobs have not finished by then
 */
struct drm_qaccel_bo_wait {
	__u32 handle;
	__u32 flags;
	__s64 timeout_ns;
};

#define DRM_QACCEL_BUF_READ	0x1
#define DRM_QACCEL_BUF_WRITE	0x2

/**
 * struct drm_qaccel_buf_entry - one entry of a submit's buffer table
 * @handle: Input: GEM handle
 * @flags: Input: DRM_QACCEL_BUF_READ and/or DRM_QACCEL_BUF_WRITE (at
 *	least one, nothing else), for implicit fencing: a reader waits for
 *	earlier writers, a writer for earlier readers and writers
 *
 * A buffer may appear once in a table, and never the stream's own buffer.
 */
struct drm_qaccel_buf_entry {
	__u32 handle;
	__u32 flags;
};

/**
 * struct drm_qaccel_submit - DRM_IOCTL_QACCEL_SUBMIT
 * @stream_handle: Input: GEM handle of the buffer holding the stream
 * @stream_offset: Input: byte offset of the stream in it, 8-aligned
 * @stream_size: Input: stream bytes, 1 to QACCEL_MAX_STREAM_SIZE
 * @buf_count: Input: entries in the buffer table, 0 to QACCEL_MAX_BUFFERS
 * @bufs: Input: user pointer to @buf_count entries of @buf_entry_size bytes
 * @buf_entry_size: Input: sizeof(struct drm_qaccel_buf_entry) as the caller
 *	knows it, 8 to 4096, so the entry can grow (bytes past the kernel's
 *	entry must be 0)
 * @flags: Input: must be 0
 * @in_syncobj: Input: syncobj to wait on before running, or 0
 * @out_syncobj: Input: syncobj that gets the job's fence, or 0; the fence
 *	is signalled with -EIO when the job fails, -ETIMEDOUT when the
 *	timeout stopped it
 * @error_offset: Output: when the validator rejects the stream (the ioctl
 *	fails with its -EINVAL, -EOVERFLOW or -E2BIG), the byte offset of the
 *	first bad command, 0 for the stream header
 * @pad: Input: must be 0
 * @seqno: Output: job sequence number in this file
 */
struct drm_qaccel_submit {
	__u32 stream_handle;
	__u32 stream_offset;
	__u32 stream_size;
	__u32 buf_count;
	__u64 bufs;
	__u32 buf_entry_size;
	__u32 flags;
	__u32 in_syncobj;
	__u32 out_syncobj;
	__u32 error_offset;
	__u32 pad;
	__u64 seqno;
};

/**
 * struct drm_qaccel_stats - DRM_IOCTL_QACCEL_GET_STATS, for this file
 * @jobs_completed: Output: jobs that ran to the end
 * @jobs_failed: Output: jobs that failed
 * @jobs_timed_out: Output: jobs stopped by the timeout
 * @engine_time_ns: Output: time the engine spent on this file's jobs
 */
struct drm_qaccel_stats {
	__u64 jobs_completed;
	__u64 jobs_failed;
	__u64 jobs_timed_out;
	__u64 engine_time_ns;
};

/**
 * struct drm_qaccel_bo_info - DRM_IOCTL_QACCEL_BO_INFO
 * @handle: Input: GEM handle, made by BO_CREATE or imported through PRIME
 * @flags: Input: must be 0
 * @size: Output: bytes the buffer holds (whole pages)
 * @mmap_offset: Output: offset to mmap() the buffer at on this device file
 *	(what BO_CREATE returned, or one for an imported buffer)
 */
struct drm_qaccel_bo_info {
	__u32 handle;
	__u32 flags;
	__u64 size;
	__u64 mmap_offset;
};

#define DRM_IOCTL_QACCEL_QUERY \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_QACCEL_QUERY, struct drm_qaccel_query)
#define DRM_IOCTL_QACCEL_BO_CREATE \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_QACCEL_BO_CREATE, struct drm_qaccel_bo_create)
#define DRM_IOCTL_QACCEL_BO_WAIT \
	DRM_IOW(DRM_COMMAND_BASE + DRM_QACCEL_BO_WAIT, struct drm_qaccel_bo_wait)
#define DRM_IOCTL_QACCEL_SUBMIT \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_QACCEL_SUBMIT, struct drm_qaccel_submit)
#define DRM_IOCTL_QACCEL_GET_STATS \
	DRM_IOR(DRM_COMMAND_BASE + DRM_QACCEL_GET_STATS, struct drm_qaccel_stats)
#define DRM_IOCTL_QACCEL_BO_INFO \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_QACCEL_BO_INFO, struct drm_qaccel_bo_info)

#if defined(__cplusplus)
}
#endif

#endif /* _UAPI_QACCEL_DRM_H_ */
