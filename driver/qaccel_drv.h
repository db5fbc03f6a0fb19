/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * qaccel.ko: a DRM render-node driver whose "hardware" is a simulated int8
 * engine running the reference kernels (runtime/ref/) on vmapped GEM
 * buffers. Shared structures and the functions each file offers the others.
 */
#ifndef QACCEL_DRV_H
#define QACCEL_DRV_H

#include <linux/atomic.h>
#include <linux/bits.h>
#include <linux/iosys-map.h>
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <drm/drm_device.h>
#include <drm/drm_gem_shmem_helper.h>
#include <drm/gpu_scheduler.h>

#include "uapi/qaccel_drm.h"
#include "runtime/ref/qaccel_ref.h"

#define QACCEL_DRIVER_NAME	"qaccel"
#define QACCEL_ABI_VERSION	1
/* Largest buffer BO_CREATE makes: the engine vmaps whole buffers. */
#define QACCEL_MAX_BO_SIZE	BIT_ULL(30)
/*
 * Jobs one file may have in the kernel (queued, running, or done and not
 * yet freed): SUBMIT waits for room beyond this, so a process cannot pile
 * up kernel memory (each job holds up to a 1 MiB stream copy).
 */
#define QACCEL_MAX_FILE_JOBS	256

struct qaccel_job;

/**
 * struct qaccel_engine - the simulated accelerator: one job at a time
 * @wq: ordered workqueue the jobs run on (never the submitter's context)
 * @lock: protects @cur and @cancel; also the lock of every hardware fence
 * @cur: job handed to the engine and not finished yet, or NULL
 * @cancel: set by a reset: the running job stops at the next command
 * @dying: set at unload: every job left stops at once
 * @kill: the job in @cur stops at once (its process was killed)
 * @idle: woken when a job finishes or @cancel is set
 * @fence_context: dma_fence context of the hardware fences
 * @fence_seqno: last hardware fence seqno handed out
 * @resets: engine resets since load
 */
struct qaccel_engine {
	struct workqueue_struct *wq;
	spinlock_t lock;	/* see above */
	struct qaccel_job *cur;
	bool cancel;
	bool dying;
	bool kill;
	wait_queue_head_t idle;
	u64 fence_context;
	u64 fence_seqno;
	atomic_t resets;
};

/**
 * struct qaccel_device - one qaccel device
 * @drm: the DRM device
 * @engine: the simulated accelerator
 * @sched: the job queue in front of the engine
 * @push_lock: serialises arming and pushing jobs, so that fence order is
 *	queue order
 * @bos: live GEM objects of this device
 * @jobs: jobs allocated and not yet freed
 * @files: open files
 * @jobs_freed: woken when @jobs drops, for unload to wait on
 */
struct qaccel_device {
	struct drm_device drm;
	struct qaccel_engine engine;
	struct drm_gpu_scheduler sched;
	struct mutex push_lock;	/* see above */
	atomic_t bos;
	atomic_t jobs;
	atomic_t files;
	wait_queue_head_t jobs_freed;
};

/**
 * struct qaccel_file - per open file state
 * @ref: held by the file and by each of its jobs, which outlive it
 * @qdev: the device
 * @entity: this file's scheduler entity
 * @jobs: this file's jobs not yet freed
 * @room: woken when @jobs drops
 * @completed: jobs that ran to the end
 * @failed: jobs that failed
 * @timed_out: jobs stopped by the timeout
 * @engine_ns: engine time spent on this file's jobs
 */
struct qaccel_file {
	struct kref ref;
	struct qaccel_device *qdev;
	struct drm_sched_entity entity;
	atomic_t jobs;
	wait_queue_head_t room;
	atomic64_t completed;
	atomic64_t failed;
	atomic64_t timed_out;
	atomic64_t engine_ns;
};

/**
 * struct qaccel_bo - a buffer: a shmem GEM object
 * @base: the shmem object
 */
struct qaccel_bo {
	struct drm_gem_shmem_object base;
};

/**
 * struct qaccel_job - one submitted command stream
 * @base: the scheduler's job
 * @qdev: the device
 * @qfile: the submitting file (a reference)
 * @work: runs the job on the engine's workqueue
 * @hw_fence: signalled by the engine when the job is done
 * @stream: the kernel's copy of the validated stream
 * @stream_size: its bytes
 * @bos: the buffer table's objects (one reference each)
 * @maps: their kernel mappings, valid while the job lives
 * @views: what the reference engine sees: @maps and the object sizes
 * @num_bos: entries in @bos, @maps and @views
 * @mapped: leading entries of @bos that are vmapped
 * @hang: fault injection: never finish, wait for the timeout
 * @fail: fault injection: finish at once with -EIO
 */
struct qaccel_job {
	struct drm_sched_job base;
	struct qaccel_device *qdev;
	struct qaccel_file *qfile;
	struct work_struct work;
	struct dma_fence *hw_fence;
	void *stream;
	u32 stream_size;
	struct drm_gem_object **bos;
	struct iosys_map *maps;
	struct qaccel_buf_view *views;
	u32 num_bos;
	u32 mapped;
	bool hang;
	bool fail;
};

static inline struct qaccel_device *to_qaccel_device(struct drm_device *drm)
{
	return container_of(drm, struct qaccel_device, drm);
}

static inline struct qaccel_job *to_qaccel_job(struct drm_sched_job *job)
{
	return container_of(job, struct qaccel_job, base);
}

/* qaccel_drv.c: module parameters. */
unsigned int qaccel_timeout_ms(void);
void qaccel_take_faults(bool *hang, bool *fail);

/* qaccel_gem.c */
struct drm_gem_object *qaccel_gem_create_object(struct drm_device *drm,
						size_t size);
int qaccel_ioctl_bo_create(struct drm_device *drm, void *data,
			   struct drm_file *file);
int qaccel_ioctl_bo_wait(struct drm_device *drm, void *data,
			 struct drm_file *file);
int qaccel_ioctl_bo_info(struct drm_device *drm, void *data,
			 struct drm_file *file);

/* qaccel_query.c */
int qaccel_ioctl_query(struct drm_device *drm, void *data,
		       struct drm_file *file);
int qaccel_ioctl_get_stats(struct drm_device *drm, void *data,
			   struct drm_file *file);

/* qaccel_submit.c */
int qaccel_ioctl_submit(struct drm_device *drm, void *data,
			struct drm_file *file);

/* qaccel_job.c: jobs and the scheduler in front of the engine. */
int qaccel_sched_init(struct qaccel_device *qdev);
void qaccel_sched_fini(struct qaccel_device *qdev);
void qaccel_sched_update_timeout(struct qaccel_device *qdev);
void qaccel_job_put_resources(struct qaccel_job *job);
void qaccel_file_put(struct qaccel_file *qfile);

/* qaccel_engine.c */
int qaccel_engine_init(struct qaccel_engine *eng);
void qaccel_engine_fini(struct qaccel_engine *eng);
struct dma_fence *qaccel_engine_run(struct qaccel_engine *eng,
				    struct qaccel_job *job);
bool qaccel_engine_reset(struct qaccel_engine *eng, struct qaccel_job *job);
void qaccel_engine_stop_all(struct qaccel_engine *eng);
void qaccel_engine_kill_file(struct qaccel_engine *eng,
			     struct qaccel_file *qfile);

/* qaccel_debugfs.c */
void qaccel_debugfs_init(struct drm_minor *minor);

#endif /* QACCEL_DRV_H */
